"""An org that answers an UNCONFIRMED fact the other way (the sandbox's contrary switches, one at a
time and all at once): every selected stream either reads every record the org holds in scope and
ends complete, or ends partial or failed with a reason that names the fact. A fact the tap adapted
to is named once at WARNING and beside its stream in the table that ends the run. Records are
counted against the sandbox's own.
"""

import dataclasses
from datetime import datetime, timedelta, timezone

import pytest
from conftest import (
    in_scope,
    outcomes,
    record_keys,
    run_tap_killed,
    sandbox_config,
    searchable,
    selected_catalog,
)

from tap_kustomer.facts import FACTS
from tap_kustomer.sandbox import contrary
from tap_kustomer.sandbox.server import Sandbox, ServerOptions
from tap_kustomer.sandbox.store import DEFAULT_COUNTS, DataOptions
from tap_kustomer.streams import STREAMS, SearchStream

SEARCH = ("conversations", "customers", "kobjects", "messages", "notes", "companies")
LISTS = ("shortcuts", "tags", "teams", "users", "brands", "klasses", "snoozes", "cards", "queues", "role_groups")
HANDLING = ("conversation_times", "work_items", "work_sessions")
BIG = {"tags": 130, "shortcuts": 120, "users": 120, "snoozes": 130, "cards": 120, "customers": 600}


@dataclasses.dataclass
class Case:
    streams: tuple  # what is selected
    met: dict  # stream -> the fact it must name (the tap adapted: complete); streams left out complete quietly
    ends: dict = dataclasses.field(default_factory=dict)  # stream -> (outcome, fact) for those that cannot complete
    counts: dict = dataclasses.field(default_factory=dict)  # sandbox records per stream, beyond the defaults
    config: dict = dataclasses.field(default_factory=dict)  # the tap's
    server: dict = dataclasses.field(default_factory=dict)  # more sandbox options
    state: object = None  # days back -> a state with every search stream's bookmark that far back


CASES = {
    "list-page-max-50": Case(LISTS, {s: "page-size" for s in ("tags", "shortcuts", "users", "snoozes", "cards")}),
    "list-unpaged": Case(("snoozes", "cards", "tags"), {"snoozes": "list-paging", "cards": "list-paging"}),
    "list-no-links": Case(LISTS + ("attachments",), {s: "list-links" for s in LISTS}),
    "search-no-total": Case(SEARCH, {s: "search-total" for s in SEARCH}),
    "search-total-capped": Case(("customers",), {}, server={"search_total_cap": 100, "search_ignores_sort": True}),
    "search-refuses-contexts": Case(
        ("companies", "work_sessions", "conversation_times", "work_items", "customers"),
        {"companies": "search-context", "work_sessions": "search-context"},
        {"conversation_times": ("failed", "search-context"), "work_items": ("failed", "search-context")},
    ),
    "search-refuses-ids": Case(SEARCH + HANDLING, {s: "search-id" for s in SEARCH}, config={"page_size": 20}),
    "search-unsorted": Case(SEARCH + HANDLING, {s: "search-sort" for s in SEARCH + HANDLING}),
    "search-window-shorter": Case(SEARCH, {}, state=725),  # bookmarks inside the tap's two years, outside the API's
    "search-window-longer": Case(SEARCH, {s: "search-sort" for s in SEARCH}, server={"search_ignores_sort": True}),
    "archive-refuses": Case(
        ("notes", "conversation_times", "work_items", "customers"),
        {},
        {s: ("partial", "archive-context") for s in ("notes", "conversation_times", "work_items")},
    ),
    "record-types": Case(
        ("conversation_times", "work_items", "snoozes", "cards", "attachments", "brands", "business_holidays"),
        {s: "record-type" for s in ("conversation_times", "work_items", "snoozes", "cards", "attachments", "brands")},
    ),
    "record-attributes": Case(
        ("conversation_times", "work_items", "snoozes", "cards"),
        {s: "record-attributes" for s in ("conversation_times", "work_items", "snoozes", "cards")},
    ),
    "timestamps-seconds": Case(tuple(STREAMS), {}),
    "timestamps-offset": Case(tuple(STREAMS), {}),
    "attachment-no-id": Case(("attachments",), {"attachments": "attachment-id"}),
    "events-kept-400-days": Case(("conversation_events",), {"conversation_events": "events-retention"}),
    "events-without-status": Case(("conversation_events",), {"conversation_events": "events-changes"}),
    "audit-oldest-first": Case(("audit_logs",), {"audit_logs": "audit-order"}, server={"audit_count_max": 7}),
    "audit-filter-published": Case(("audit_logs",), {}, server={"audit_count_max": 7}),
    "audit-next-keeps-filter": Case(("audit_logs",), {"audit_logs": "audit-next"}, server={"audit_count_max": 7}),
    "work-sessions-ignore-active": Case(("work_sessions",), {"work_sessions": "work-sessions-active"}),
    "klass-metadata-absent": Case(("custom_attributes",), {}),
    "klass-metadata-404": Case(("custom_attributes",), {}, {"custom_attributes": ("partial", "klass-metadata")}),
    "lists-include-deleted": Case(("users", "klasses"), {}),
}


def org(names, counts=None, **server):
    data = DataOptions(counts={**DEFAULT_COUNTS, **BIG, **(counts or {})})
    return Sandbox(contrary.apply(ServerOptions(data=data, **server), names)).start()


def days_back(days):
    return (datetime.now(timezone.utc) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def reachable(box, stream, start="2015-01-01T00:00:00.000Z"):
    """What a partial stream delivers: what search reaches (for a search stream), or all there is."""
    search = isinstance(STREAMS[stream], SearchStream)
    return searchable(box, stream, start) if search else in_scope(box, stream, start)


def check(box, run, case, start="2015-01-01T00:00:00.000Z"):
    """Each selected stream complete with every record in scope, or ending as the case says, its
    reason naming the fact; each fact met named at WARNING once and in the stream's row."""
    table = outcomes(run)
    warnings = [line for line in run.stderr.splitlines() if line.startswith("WARNING")]
    for stream in case.streams:
        row = table[stream]
        status, fact = case.ends.get(stream, ("complete", case.met.get(stream)))
        assert row[0] == status, (stream, row)
        got = record_keys(stream, run.records(stream))
        if status == "complete":
            assert got == in_scope(box, stream, start), stream
        else:  # the whole reason, at ERROR when the stream ended, names the fact
            if status == "partial":
                assert got == reachable(box, stream, start), stream
            assert got <= in_scope(box, stream, start), stream  # a failed one: what it read before it stopped
            ended = [line for line in run.stderr.splitlines() if line.startswith(f"ERROR {stream}: {status}, ")]
            assert len(ended) == 1 and f"UNCONFIRMED fact {fact}" in ended[0], (stream, ended)
        if fact and status != "failed":
            assert fact in row.facts, (stream, row)
            named = [
                w
                for w in warnings
                if w.startswith(f"WARNING {stream}: ") and f"UNCONFIRMED fact {fact}: {FACTS[fact]}" in w
            ]
            assert len(named) == 1, (stream, fact, warnings)
    assert run.returncode == (3 if case.ends else 0), run.stderr[-3000:]


@pytest.mark.parametrize("name", list(CASES))
def test_each_contrary_fact_is_read_whole_or_named(name, tap):
    case = CASES[name]
    box = org([name], case.counts, **case.server)
    try:
        state = None
        if case.state:
            mark = {"updated_at": days_back(case.state)}
            state = {"bookmarks": {s: dict(mark) for s in case.streams}}
        config = sandbox_config(box, **case.config)
        run = tap(config, selected_catalog(set(case.streams)), state, check=False)
        check(box, run, case, days_back(case.state) if case.state else "2015-01-01T00:00:00.000Z")
    finally:
        box.stop()


def test_every_contrary_switch_has_a_case_and_names_a_fact_of_the_tap():
    assert set(CASES) == set(contrary.CONTRARY)
    assert {entry.fact for entry in contrary.CONTRARY.values()} <= set(FACTS)


def test_a_clamped_list_without_links_is_read_to_its_end(tap):
    """The combination met in a real org: tags stopped at 50 of 60, reported complete."""
    box = org(["list-page-max-50", "list-no-links"])
    try:
        run = tap(sandbox_config(box), selected_catalog({"tags", "users", "shortcuts"}))
        for stream in ("tags", "users", "shortcuts"):
            assert set(run.ids(stream)) == in_scope(box, stream) and len(in_scope(box, stream)) > 50
            assert {"page-size", "list-links"} <= set(outcomes(run)[stream].facts)
    finally:
        box.stop()


def test_ids_refused_inside_an_unsorted_walk(tap):
    box = org(["search-refuses-ids", "search-unsorted", "search-no-total"])
    try:
        case = Case(SEARCH, {s: "search-id" for s in SEARCH})
        run = tap(sandbox_config(box, page_size=20), selected_catalog(set(SEARCH)), check=False)
        check(box, run, case)
    finally:
        box.stop()


def test_active_sessions_come_every_run_where_active_is_ignored(tap):
    """A quiet second run still writes every active session, on whichever page it is listed."""
    box = org(["work-sessions-ignore-active"], {"work_sessions": 300})
    try:
        first = tap(sandbox_config(box), selected_catalog({"work_sessions"}))
        second = tap(sandbox_config(box), selected_catalog({"work_sessions"}), first.last_state)
        active = {r["id"] for r in box.store.resources["work_sessions"] if r["attributes"]["active"] is True}
        assert len(active) > 1 and set(second.ids("work_sessions")) >= active
        assert box.api.requests["GET /v1/routing/work-sessions"] >= 2 * 3  # every page of 300, each run
    finally:
        box.stop()


def test_a_partial_full_table_drops_nothing(tap):
    box = org(["klass-metadata-404"])
    try:
        run = tap(sandbox_config(box), selected_catalog({"custom_attributes"}), check=False)
        assert run.returncode == 3 and outcomes(run)["custom_attributes"][0] == "partial"
        assert not [m for m in run.messages if m["type"] == "ACTIVATE_VERSION"]
        assert "kobject.shopify_refund" in outcomes(run)["custom_attributes"][1] + run.stderr
    finally:
        box.stop()


def all_case():
    """What every stream does in the org that answers every fact the other way."""
    ends = {"conversation_times": ("failed", "search-context"), "work_items": ("failed", "search-context")}
    ends.update({"notes": ("partial", "archive-context"), "custom_attributes": ("partial", "klass-metadata")})
    return Case(tuple(STREAMS), {}, ends)


# facts the `all` org contradicts without a word from the tap: they hold whatever the answer (an
# edge days away, timestamps in another form, deleted records listed, an audit entry a few seconds
# outside its window), or cannot be met there (work sessions are listed whole: their search is refused)
QUIET_IN_ALL = {"search-window", "record-timestamps", "list-deleted", "audit-filter", "work-sessions-active"}
ALL_CONFIG = {"page_size": 20}  # ties longer than a page in every search stream
ALL_SERVER = {"audit_count_max": 7}  # the audit log's windows take several pages


def test_an_org_that_answers_every_fact_the_other_way(tap):
    box = org(["all"], **ALL_SERVER)
    try:
        run = tap(sandbox_config(box, **ALL_CONFIG), selected_catalog(), check=False)
        check(box, run, all_case())
        met = {fact for row in outcomes(run).values() for fact in row.facts}
        assert met == {contrary.CONTRARY[name].fact for name in contrary.ALL} - QUIET_IN_ALL
    finally:
        box.stop()


def test_a_kill_in_the_middle_of_the_contrary_run_loses_nothing(tmp_path):
    """Killed halfway through its output, then resumed from the last STATE it printed: together
    the two runs hold every record in scope of every stream that can complete."""
    box = org(["all"], **ALL_SERVER)
    try:
        config, catalog = sandbox_config(box, **ALL_CONFIG), selected_catalog()
        whole = run_tap_killed(tmp_path, config, catalog, kill_after_lines=None, check=False)
        first = run_tap_killed(tmp_path, config, catalog, kill_after_lines=len(whole) // 2)
        states = [m["value"] for m in first if m["type"] == "STATE"]
        second = run_tap_killed(tmp_path, config, catalog, states[-1], check=False)
        case = all_case()
        for stream in STREAMS:
            got = {
                k
                for m in first + second
                if m["type"] == "RECORD" and m["stream"] == stream
                for k in record_keys(stream, [m["record"]])
            }
            status = case.ends.get(stream, ("complete",))[0]
            want = reachable(box, stream) if status == "partial" else in_scope(box, stream)
            if status != "failed":
                assert got >= want, (stream, len(want - got))
    finally:
        box.stop()


def test_the_connection_test_names_the_fact_a_stream_cannot_be_read_without(tap):
    box = org(["search-refuses-contexts"])
    try:
        run = tap(sandbox_config(box), args=["--test"], check=False)
        rows = {line.split(" | ")[0].strip("| "): line for line in run.stdout.splitlines() if line.startswith("| ")}
        assert run.returncode == 1
        for stream in ("conversation_times", "work_items"):
            assert "NO: " in rows[stream] and "UNCONFIRMED fact search-context" in rows[stream], rows[stream]
        assert rows["companies"].endswith("| yes |") and rows["work_sessions"].endswith("| yes |")
    finally:
        box.stop()
