"""Where each conversation spent its time, at the source: the sandbox's conversations change
status over their life and every change lands, consistently, in the conversation's events and in
the audit log; the conversation_events stream reads every event of each changed conversation,
incremental on its own bookmark, and notices by name what the API leaves UNCONFIRMED.

The dbt models over these tables are checked end to end in test_dbt.py."""

import pytest
from conftest import in_scope, make_sandbox, outcomes, sandbox_config, selected_catalog

from tap_kustomer.sandbox.data.common import _DAY, _ms
from tap_kustomer.sandbox.data.history import intervals
from tap_kustomer.sandbox.store import DEFAULT_COUNTS, DataOptions

EVENTS = "conversation_events"


def event_requests(box):
    return sum(n for key, n in box.api.requests.items() if key.startswith("GET /v1/conversations/"))


@pytest.fixture(scope="module")
def box():
    sandbox = make_sandbox()
    yield sandbox
    sandbox.stop()


def status_changes(events):
    """(instant, before, after) of the events' status changes, in the order of their instants and ids."""
    out = []
    for e in sorted(events, key=lambda e: (e["attributes"]["updatedAt"], e["id"])):
        change = ((e["attributes"].get("changes") or {}).get("attributes") or {}).get("status")
        if change:
            out.append((e["attributes"]["updatedAt"], change["before"], change["after"]))
    return out


def test_every_conversation_changes_status_over_its_life_and_agrees_with_its_figures(box):
    store, kinds = box.store, set()
    for conv in store.resources["conversations"]:
        a, changes = conv["attributes"], store.changes[conv["id"]]
        created, updated = _ms(a["createdAt"]), _ms(a["updatedAt"])
        assert all(created < c.at <= updated for c in changes)
        assert [c.at for c in changes] == sorted(c.at for c in changes)
        assert [c.id for c in changes] == sorted(c.id for c in changes)  # time-ordered ids, in change order
        spans = intervals(created, changes, None)
        assert (spans[-1][0] if spans else "open") == a["status"]
        assert all(s[0] == "open" for s in spans[:1])  # every conversation starts open
        status = [c for c in changes if c.field == "status"]
        assert a["doneCount"] == sum(c.after == "done" for c in status)
        assert a["reopenCount"] == sum(c.before == "done" and c.after == "open" for c in status)
        assert a["snoozeCount"] == sum(c.after == "snoozed" for c in status)
        closed = spans[:-1]  # Kustomer adds an interval to a total when the conversation leaves it
        for key, state in (("totalOpen", "open"), ("totalSnooze", "snoozed"), ("totalDone", "done")):
            assert a[key]["time"] == sum(t2 - t1 for s, t1, t2 in closed if s == state), key
        if a["status"] == "done":
            assert _ms(a["lastDone"]["createdAt"]) == max(c.at for c in status if c.after == "done")
        assignments = [c for c in changes if c.field == "assignedUsers"]
        if assignments:
            assert assignments[0].before == [] and assignments[-1].after == a["assignedUsers"]
        kinds |= {(c.before, c.after) for c in status}
        if a["snoozeCount"]:
            assert a["snooze"]["status"] == ("snoozed" if a["status"] == "snoozed" else "unsnoozed")
    # the life the issue asks for: open, snoozed, done, reopened, a snooze that ends
    assert {("open", "done"), ("done", "open"), ("open", "snoozed"), ("snoozed", "open")} <= kinds


def test_every_change_is_an_event_and_each_recent_one_an_audit_entry(box):
    store = box.store
    now = store.clock()
    served = [e for e in store.audit if e["attributes"]["expiresAt"] > now]
    logged = {}
    for entry in served:
        a = entry["attributes"]
        if a["objectType"] == "conversation":
            for name in ("status", "assignedUsers"):
                if name in ((a["changes"] or {}).get("attributes") or {}):
                    logged.setdefault(a["objectId"], []).append((a["createdAt"], name))
    assert all(
        _ms(now) - _ms(t) <= 90 * _DAY for entries in logged.values() for t, _name in entries
    )  # updates: 90 days
    with_history = 0
    for conv in store.resources["conversations"]:
        a, events = conv["attributes"], store.events[conv["id"]]
        changes = store.changes[conv["id"]]
        assert events[0]["attributes"]["name"] == "kustomer.conversation.create"
        assert all(e["attributes"]["createdAt"] == a["createdAt"] for e in events)  # the conversation's
        assert all(e["attributes"]["publishedAt"] > e["attributes"]["updatedAt"] for e in events)
        assert len(events) == len(changes) + 1
        want = [(c.at, c.before, c.after) for c in changes if c.field == "status"]
        assert [(_ms(t), b, x) for t, b, x in status_changes(events)] == want
        recent = sorted(
            (c.at, c.field) for c in changes if c.field in ("status", "assignedUsers") and c.at > _ms(now) - 90 * _DAY
        )
        assert sorted((_ms(t), f) for t, f in logged.get(conv["id"], [])) == recent
        with_history += bool(recent)
    assert with_history >= 10  # enough conversations changed within the log's 90 days to test with


def test_the_events_stream_reads_every_event_of_each_changed_conversation_once(tap):
    box = make_sandbox()
    try:
        config, catalog = sandbox_config(box, search_lag_seconds=0), selected_catalog({EVENTS})
        first = tap(config, catalog)
        ids = first.ids(EVENTS)
        assert set(ids) == in_scope(box, EVENTS) and len(ids) == len(set(ids))
        assert event_requests(box) == len(in_scope(box, "conversations"))  # one request per conversation
        record = next(r for r in first.records(EVENTS) if "status" in (r.get("changes") or {}).get("attributes", {}))
        assert record["type"] == "customer_event" and record["event_type"] == "conversation"
        assert record["conversation_id"] and record["conversation_updated_at"] and record["updated_at"]
        assert set(record["changes"]["attributes"]["status"]) == {"op", "before", "after"}
        assert any("assigned_users" in (r.get("changes") or {}).get("attributes", {}) for r in first.records(EVENTS))
        mark = first.last_state["bookmarks"][EVENTS]["conversation_updated_at"]
        newest = max(c["attributes"]["updatedAt"] for c in box.store.resources["conversations"])
        assert mark[:23] == newest[:23]  # the conversations' instant, never an event's createdAt
        assert "WARNING" not in first.stderr
        before = event_requests(box)
        touched = [c["id"] for c in box.store.resources["conversations"][:5]]
        for cid in touched:
            box.store.touch("conversations", cid)
        second = tap(config, catalog, first.last_state)
        assert event_requests(box) - before == len(touched)
        assert set(second.ids(EVENTS)) == {e["id"] for cid in touched for e in box.store.events[cid]}
    finally:
        box.stop()


def test_events_in_pages_smaller_than_asked_and_short_retention_are_noticed_by_name(tap):
    box = make_sandbox(events_page_max=2, events_kept_days=400)
    try:
        run = tap(sandbox_config(box), selected_catalog({EVENTS}))
        kept = {e["id"] for e in run.records(EVENTS)}
        clock = box.store.clock()
        want = set()
        for cid in in_scope(box, "conversations"):
            want |= {
                e["id"] for e in box.store.events[cid] if _ms(e["attributes"]["updatedAt"]) >= _ms(clock) - 400 * _DAY
            }
        assert kept == want  # every page of every conversation, and nothing Kustomer no longer keeps
        warnings = [line for line in run.stderr.splitlines() if line.startswith("WARNING")]
        assert len(warnings) == 2
        assert any("UNCONFIRMED fact page-size" in w for w in warnings)
        assert any("UNCONFIRMED fact events-retention" in w and "kustomer.conversation.create" in w for w in warnings)
        row = outcomes(run)[EVENTS]
        assert row[0] == "complete" and {"page-size", "events-retention"} <= set(row.facts)
    finally:
        box.stop()


@pytest.mark.parametrize("stream", [EVENTS, "attachments"])
def test_a_list_missing_for_conversations_that_exist_skips_the_stream_and_one_deleted_meanwhile_does_not(tap, stream):
    box = make_sandbox(missing=(stream,), data=DataOptions(counts={**DEFAULT_COUNTS, "conversations": 30}))
    try:
        run = tap(sandbox_config(box), selected_catalog({stream, "tags"}), check=False)
        assert outcomes(run)[stream][0] == "skipped" and outcomes(run)["tags"][0] == "complete"
        single = [k for k in box.api.requests if k.startswith("GET /v1/conversations/") and k.count("/") == 3]
        assert len(single) == 1 and box.api.requests[single[0]] == 1  # asked once: the conversation is there
    finally:
        box.stop()
    box = make_sandbox(data=DataOptions(counts={**DEFAULT_COUNTS, "conversations": 30}))
    try:
        gone = box.store.resources["conversations"][-1]["id"]
        box.api.options.broken[f"/v1/conversations/{gone}/*"] = "404"
        box.api.options.broken[f"/v1/conversations/{gone}"] = "404"
        run = tap(sandbox_config(box), selected_catalog({stream}))
        assert outcomes(run)[stream][0] == "complete"
        assert f"conversation {gone} was found, then not" in run.stderr
    finally:
        box.stop()
