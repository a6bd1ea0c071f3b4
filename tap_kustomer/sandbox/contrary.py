"""An org that answers an UNCONFIRMED fact the other way: one switch per fact, `--contrary NAME`
(repeatable) or `--contrary all`, each a named set of the sandbox's own options.

The sandbox's default org answers every fact the tap relies on as the tap expects (and as
Kustomer's OpenAPI description documents, where it does). Each entry here turns one of them
around while everything else stays as it is: `fact` is the tap's name for it (tap_kustomer/facts.py,
docs/streams.md "Unconfirmed facts"). Entries that contradict each other (two edges for the search
window) are left out of `all` where named in EXCLUSIVE.
"""

import dataclasses
from dataclasses import dataclass, field

UNDOCUMENTED_CONTEXTS = ("note", "conversation_time", "work_item", "work_session")  # not in the archive's docs
SEARCH_ONLY_CONTEXTS = ("company", "conversation_time", "work_item", "work_session")  # standard search, UNCONFIRMED
UNPAGED_LISTS = ("snoozes", "cards")  # "fetches all", says each one's page: paged the other way
EDGE_DAYS = 9  # how far the API's two-year edge is from the tap's clock in the window switches


@dataclass(frozen=True)
class Contrary:
    fact: str  # the tap's name for what it assumes (facts.py)
    what: str  # what the sandbox answers instead
    server: dict = field(default_factory=dict)  # ServerOptions fields
    data: dict = field(default_factory=dict)  # DataOptions fields
    odd_shapes: tuple = ()  # data/oddities.py shapes


CONTRARY = {
    "list-page-max-50": Contrary("page-size", "every list clamps pageSize to 50, silently", {"list_page_max": 50}),
    "list-unpaged": Contrary(
        "list-paging",
        f"{' and '.join(UNPAGED_LISTS)} ignore page and pageSize: every record at once, whatever is asked",
        {"list_unpaged": UNPAGED_LISTS},
    ),
    "list-no-links": Contrary("list-links", "lists answer without `links` at all", {"list_links": False}),
    "search-no-total": Contrary("search-total", "search answers carry no meta.total", {"search_total": "missing"}),
    "search-total-capped": Contrary(
        "search-total", "search answers' meta.total is capped at 10,000", {"search_total": "capped"}
    ),
    "search-refuses-contexts": Contrary(
        "search-context",
        f"search answers 400 to queryContext {', '.join(SEARCH_ONLY_CONTEXTS)}",
        {"search_refuses_contexts": SEARCH_ONLY_CONTEXTS},
    ),
    "search-refuses-ids": Contrary(
        "search-id", "search answers 400 to a criterion or sort on <context>_id", {"search_refuses_ids": True}
    ),
    "search-unsorted": Contrary(
        "search-sort",
        "search ignores `sort` (updatedAt descending, the documented default)",
        {"search_ignores_sort": True},
    ),
    "search-window-shorter": Contrary(
        "search-window",
        f"the search index reaches back {EDGE_DAYS} days less than two years; the archive holds the rest",
        {"search_window_shift_days": EDGE_DAYS},
    ),
    "search-window-longer": Contrary(
        "search-window",
        f"the search index reaches back {EDGE_DAYS} days more than two years; the archive holds what is older",
        {"search_window_shift_days": -EDGE_DAYS},
    ),
    "archive-refuses": Contrary(
        "archive-context",
        f"the archive answers 400 to queryContext {', '.join(UNDOCUMENTED_CONTEXTS)} (the contexts its docs leave out)",
        {"archive_refuses_contexts": UNDOCUMENTED_CONTEXTS},
    ),
    "record-types": Contrary(
        "record-type", "records of the newer streams come with other `type` values", odd_shapes=("other_types",)
    ),
    "record-attributes": Contrary(
        "record-attributes",
        "work items, snoozes, cards and conversation times carry an attribute renamed and one more",
        odd_shapes=("renamed_attributes",),
    ),
    "timestamps-seconds": Contrary(
        "record-timestamps",
        "every timestamp in whole seconds, written without milliseconds (2024-05-01T10:00:00Z)",
        {"stamps_without_ms": True},
        {"whole_seconds": True},
    ),
    "timestamps-offset": Contrary(
        "record-timestamps", "every timestamp with a +00:00 offset instead of Z", {"stamps_with_offset": True}
    ),
    "attachment-no-id": Contrary(
        "attachment-id",
        "attachments listed without an id (as Kustomer's own example)",
        odd_shapes=("attachment_no_id",),
    ),
    "events-kept-400-days": Contrary(
        "events-retention",
        "a conversation's events are kept 400 days: older conversations' events start after their creation",
        {"events_kept_days": 400},
    ),
    "events-without-status": Contrary(
        "events-changes",
        "conversation events carry no status change (Kustomer's own example shows only other changes)",
        {"events_without_status": True},
    ),
    "audit-oldest-first": Contrary("audit-order", "the audit log answers oldest first", {"audit_oldest_first": True}),
    "audit-filter-published": Contrary(
        "audit-filter",
        "the audit log's filter compares publishedAt, up to 30 s after createdAt",
        {"audit_filter_on": "publishedAt"},
        odd_shapes=("late_published",),
    ),
    "audit-next-keeps-filter": Contrary(
        "audit-next", "the audit log's links.next repeats the window's filter", {"audit_next_keeps_filter": True}
    ),
    "work-sessions-ignore-active": Contrary(
        "work-sessions-active",
        "GET /v1/routing/work-sessions ignores active=true",
        {"work_sessions_ignore_active": True},
    ),
    "klass-metadata-absent": Contrary(
        "klass-metadata",
        "GET /v1/metadata/kobject.<klass> answers a klass without attributes with no `properties`",
        {"empty_klass_metadata": "absent"},
    ),
    "klass-metadata-404": Contrary(
        "klass-metadata",
        "GET /v1/metadata/kobject.<klass> answers 404 for a klass without attributes",
        {"empty_klass_metadata": "404"},
    ),
    "lists-include-deleted": Contrary(
        "list-deleted",
        "lists answer deactivated users to deleted=false and every klass whatever the status asked",
        {"lists_include_deleted": True},
    ),
}
EXCLUSIVE = ("search-total-capped", "search-window-shorter", "klass-metadata-absent")  # `all` takes the other one
ALL = tuple(name for name in CONTRARY if name not in EXCLUSIVE)


def names(asked):
    """The switches asked for, `all` expanded; a ValueError naming the unknown ones."""
    out = []
    for name in asked:
        for one in ALL if name == "all" else (name,):
            if one not in CONTRARY:
                raise ValueError(f"unknown contrary fact {one!r}: the sandbox knows all, {', '.join(CONTRARY)}")
            if one not in out:
                out.append(one)
    return tuple(out)


def apply(options, asked):
    """ServerOptions with the switches asked for turned on (and recorded in `contrary`)."""
    chosen = names(asked)
    server, data, shapes = {}, {}, list(options.data.odd_shapes)
    for name in chosen:
        entry = CONTRARY[name]
        server.update(entry.server)
        data.update(entry.data)
        shapes += [s for s in entry.odd_shapes if s not in shapes]
    data = dataclasses.replace(options.data, odd_shapes=tuple(shapes), **data)
    return dataclasses.replace(options, contrary=options.contrary + chosen, data=data, **server)
