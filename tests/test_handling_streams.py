"""Conversation times, work items, work sessions by search, attachments, custom attribute
definitions, snoozes and cards: complete, incremental as an org changes, cost that grows with
change, and every UNCONFIRMED fact they rest on noticed when the API answers otherwise."""

import math
import time

import pytest
from conftest import in_scope, make_sandbox, sandbox_config, selected_catalog

from tap_kustomer.sandbox.store import DEFAULT_COUNTS, DataOptions
from tap_kustomer.streams import STREAMS

NEW = ("conversation_times", "work_items", "work_sessions", "attachments", "custom_attributes", "snoozes", "cards")
INCREMENTAL = ("conversation_times", "work_items", "work_sessions", "attachments")
ATTACHMENTS = "GET /v1/conversations/{id}/attachments"


def attachment_requests(box):
    return sum(n for key, n in box.api.requests.items() if key.startswith("GET /v1/conversations/"))


@pytest.fixture
def box():
    sandbox = make_sandbox()
    yield sandbox
    sandbox.stop()


def test_each_new_stream_is_complete_and_incremental_as_a_live_org_changes(tap):
    box = make_sandbox(mutations_per_second=100, search_latency=0.002)
    try:
        config = sandbox_config(box, search_lag_seconds=0)
        catalog = selected_catalog(set(NEW))
        scope = {name: in_scope(box, name) for name in NEW}  # the org before the run
        first = tap(config, catalog)
        for name in NEW:
            assert scope[name] <= set(first.ids(name)), name
        time.sleep(2)  # agents at work: records updated, conversation times created, attachments added
        moved = box.mutations
        second = tap(config, catalog, first.last_state)
        assert box.mutations > moved
        for name in INCREMENTAL:
            mark = first.last_state["bookmarks"][name]
            key = STREAMS[name].replication_key
            changed = [r for r in second.records(name) if not r.get("active")]  # active sessions: every run
            assert all(r[key] >= mark[key] for r in changed), name  # only what changed since
            assert len(second.ids(name)) < len(first.ids(name)), name
        assert set(second.ids("conversation_times")) - set(first.ids("conversation_times"))  # created meanwhile
        assert second.ids("work_items") and second.ids("attachments")  # updated meanwhile
        active = {s["id"] for s in box.store.resources["work_sessions"] if s["attributes"]["active"]}
        assert active <= set(second.ids("work_sessions"))  # active sessions come every run
        assert set(second.ids("custom_attributes")) == set(first.ids("custom_attributes"))  # the whole table again
    finally:
        box.stop()


def test_attachments_are_read_only_for_conversations_changed_since_their_bookmark(box, tap):
    config, catalog = sandbox_config(box, search_lag_seconds=0), selected_catalog({"attachments"})
    first = tap(config, catalog)
    conversations = in_scope(box, "conversations")
    assert attachment_requests(box) == len(conversations)  # one request per conversation, once
    assert set(first.ids("attachments")) == in_scope(box, "attachments") and first.records("attachments")
    record = first.records("attachments")[0]
    assert record["conversation_id"] in conversations and record["conversation_updated_at"]
    before = attachment_requests(box)
    touched = [c["id"] for c in box.store.resources["conversations"][:7]]
    for cid in touched:
        box.store.touch("conversations", cid)
    second = tap(config, catalog, first.last_state)
    assert attachment_requests(box) - before == len(touched)  # the seven changed conversations, no other
    expected = {a.get("id") or a["links"]["self"].rsplit("/", 1)[-1] for c in touched for a in box.store.attachments[c]}
    assert set(second.ids("attachments")) == expected
    quiet = attachment_requests(box)
    tap(config, catalog, second.last_state)
    assert attachment_requests(box) == quiet  # nothing changed: no attachment request at all


def test_an_attachment_listed_without_id_takes_the_end_of_its_link(tap):
    box = make_sandbox(data=DataOptions(odd_shapes=("attachment_no_id",)))  # as in Kustomer's own example
    try:
        run = tap(sandbox_config(box), selected_catalog({"attachments"}))
        unlabelled = [a for listed in box.store.attachments.values() for a in listed if "id" not in a]
        assert unlabelled
        written = {r["id"]: r for r in run.records("attachments")}
        for attachment in unlabelled:
            rid = attachment["links"]["self"].rsplit("/", 1)[-1]
            assert written[rid]["name"] == attachment["attributes"]["name"]
    finally:
        box.stop()


def test_an_attachment_without_id_or_link_fails_its_stream_by_name(box, tap):
    cid = next(c for c, listed in box.store.attachments.items() if listed)
    box.store.attachments[cid][0] = {"type": "attachment", "attributes": {"name": "x.pdf"}}
    run = tap(sandbox_config(box), selected_catalog({"attachments", "snoozes"}), check=False)
    assert run.returncode == 3 and f"attachments: an attachment of conversation {cid} has neither an id" in run.stderr
    assert set(run.ids("snoozes")) == in_scope(box, "snoozes")


def test_custom_attributes_are_the_whole_table_each_run_with_a_version(box, tap):
    run = tap(sandbox_config(box), selected_catalog({"custom_attributes"}))
    rows = {(r["resource"], r["name"]): r for r in run.records("custom_attributes")}
    assert set(rows) == in_scope(box, "custom_attributes")
    tier = rows[("customer", "loyaltyTierStr")]
    assert tier["field"] == "loyalty_tier_str" and tier["type"] == "string" and tier["display_name"] == "Loyalty tier"
    assert tier["enumeration"] == ["bronze", "silver", "gold", "platinum"]
    assert rows[("company", "subscriptionsId")]["multi"] is True
    assert rows[("company", "subscriptionsId")]["target"] == "kobject.subscription"
    assert any(resource.startswith("kobject.") for resource, _ in rows)  # every klass, whatever its status
    versions = [m for m in run.messages if m["type"] == "ACTIVATE_VERSION"]
    assert [m["stream"] for m in versions] == ["custom_attributes"]
    assert {m["version"] for m in run.messages if m.get("stream") == "custom_attributes" and m["type"] == "RECORD"} == {
        versions[0]["version"]
    }
    assert "custom_attributes" not in run.last_state["bookmarks"]


def test_custom_attributes_that_cannot_all_be_read_fail_without_dropping_a_row(box, tap):
    box.api.options.broken = {"/v1/metadata/kobject.device": "500"}
    run = tap(sandbox_config(box, max_retry_seconds=1), selected_catalog({"custom_attributes", "cards"}), check=False)
    assert run.returncode == 3 and "CRITICAL custom_attributes: HTTP 500" in run.stderr
    assert not [m for m in run.messages if m["type"] == "ACTIVATE_VERSION"]  # no target drops a row for it
    assert set(run.ids("cards")) == in_scope(box, "cards")


def test_work_sessions_fall_back_to_the_listing_when_the_search_refuses_them(box, tap):
    box.api.options.broken = {"search:work_session": "400"}
    run = tap(sandbox_config(box), selected_catalog({"work_sessions"}))
    lines = [line for line in run.stderr.splitlines() if "to queryContext 'work_session'" in line]
    assert len(lines) == 1 and lines[0].startswith("WARNING work_sessions: the search answered HTTP 400")
    assert "every record is read from /v1/routing/work-sessions instead" in lines[0]
    assert set(run.ids("work_sessions")) == in_scope(box, "work_sessions")
    assert box.api.requests["GET /v1/routing/work-sessions"] == math.ceil(
        len(box.store.resources["work_sessions"]) / 100
    )


def test_an_active_filter_the_api_ignores_is_noticed(box, tap):
    original = box.api._route

    def ignore_active(method, path, query, body):
        return original(method, path, {k: v for k, v in query.items() if k != "active"}, body)

    box.api._route = ignore_active
    run = tap(sandbox_config(box), selected_catalog({"work_sessions"}))
    warnings = [line for line in run.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1 and "?active=true answered" in warnings[0] and "did not apply the filter" in warnings[0]
    assert set(run.ids("work_sessions")) == in_scope(box, "work_sessions")


@pytest.mark.parametrize(
    "stream, change, words",
    [
        ("work_items", lambda r: r["attributes"].update(stageTimes={"queue": 5}), "stage_times x"),
        ("conversation_times", lambda r: r.update(type="conversation_times"), "records come with type"),
        ("snoozes", lambda r: r["attributes"].update(kind="relative"), "kind x"),
        ("cards", lambda r: r["attributes"].update(contexts=[{"name": "customer"}]), "contexts[] x"),
    ],
)
def test_an_unconfirmed_shape_that_differs_is_reported_by_name(box, tap, stream, change, words):
    for record in box.store.resources[stream]:
        change(record)
    run = tap(sandbox_config(box), selected_catalog({stream}))
    warnings = [line for line in run.stderr.splitlines() if line.startswith(f"WARNING {stream}: ")]
    assert len(warnings) == 1 and words in warnings[0], run.stderr[-2000:]
    assert set(run.ids(stream)) == in_scope(box, stream)


def test_lists_that_do_not_page_as_expected_stop_by_name(box, tap):
    box.api.options.list_ignores_page = True
    box.store.resources["snoozes"] = box.store.resources["snoozes"] * 30  # more than a page
    for i, snooze in enumerate(box.store.resources["snoozes"]):
        box.store.resources["snoozes"][i] = {**snooze, "id": f"{i:024x}"}
    run = tap(sandbox_config(box), selected_catalog({"snoozes", "conversation_times"}), check=False)
    assert (
        run.returncode == 3 and "CRITICAL snoozes: page 2 of /v1/snoozes answered only records of earlier" in run.stderr
    )
    assert set(run.ids("conversation_times")) == in_scope(box, "conversation_times")


def test_a_quiet_second_run_makes_a_bounded_number_of_requests(tap):
    data = DataOptions(counts={**DEFAULT_COUNTS, "conversations": 900, "conversation_times": 900, "work_items": 900})
    box = make_sandbox(data=data)
    try:
        config = sandbox_config(box, page_size=50, search_lag_seconds=0)
        catalog = selected_catalog(set(INCREMENTAL))
        first = tap(config, catalog)
        box.api.requests.clear()
        tap(config, catalog, first.last_state)
        searches = box.api.requests.get("POST /v1/customers/search", 0)
        assert searches == len(INCREMENTAL)  # one search each: nothing new past the bookmark
        assert attachment_requests(box) == 0
        active = sum(1 for s in box.store.resources["work_sessions"] if s["attributes"]["active"])
        assert box.api.requests["GET /v1/routing/work-sessions"] == max(1, math.ceil(active / 100))
    finally:
        box.stop()
