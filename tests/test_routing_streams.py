"""Routing, SLAs and the audit trail: complete, valid, incremental; the audit log window by window,
in either order, killed and resumed, past its retention; an org without routing."""

import math
from datetime import datetime, timezone

import jsonschema
import pytest
from conftest import in_scope, make_sandbox, run_tap_killed, sandbox_config, selected_catalog

from tap_kustomer.errors import AnswerError
from tap_kustomer.facts import Facts
from tap_kustomer.sandbox.server import SANDBOX_TOKEN
from tap_kustomer.sandbox.store import DataOptions, stamp
from tap_kustomer.streams.audit import AuditLogs, Window
from tap_kustomer.timeutil import parse_instant

ROUTING = ("queues", "routing_statuses", "team_routing_settings", "work_sessions", "slas", "sla_versions")
NOW = datetime.now(timezone.utc)


def records(messages, stream):
    return [m["record"] for m in messages if m["type"] == "RECORD" and m["stream"] == stream]


@pytest.fixture
def box():
    sandbox = make_sandbox(data=DataOptions(counts={"users": 30, "teams": 12, "work_sessions": 120, "slas": 8}))
    yield sandbox
    sandbox.stop()


def test_routing_and_sla_streams_are_complete_valid_and_incremental(box, tap):
    config, catalog = sandbox_config(box), selected_catalog(set(ROUTING))
    first = tap(config, catalog)
    schemas = first.schemas()
    for name in ROUTING:
        got = first.records(name)
        assert got and {r["id"] for r in got} == in_scope(box, name) and len(got) == len(in_scope(box, name)), name
        validator = jsonschema.Draft4Validator(schemas[name]["schema"])
        assert not [e for r in got for e in validator.iter_errors(r)], name
    assert "WARNING" not in first.stderr, first.stderr
    versions = first.records("sla_versions")
    assert all(v["sla_id"] == v["sla"]["id"] for v in versions)
    assert box.api.requests["GET /v1/slas"] == 1  # one walk feeds slas and sla_versions

    assert "slas" not in first.last_state["bookmarks"]  # a full table: no bookmark
    slas = [m for m in first.messages if m.get("stream") == "slas" and m["type"] in ("RECORD", "ACTIVATE_VERSION")]
    assert slas[-1]["type"] == "ACTIVATE_VERSION" and {m["version"] for m in slas} == {slas[-1]["version"]}

    second = tap(config, catalog, first.last_state)
    active = {s["id"] for s in box.store.resources["work_sessions"] if s["attributes"]["active"]}
    assert active and active <= set(second.ids("work_sessions"))  # an active session comes every run
    assert set(second.ids("slas")) == in_scope(box, "slas")  # no updatedAt: the whole table every run
    for name in ("queues", "routing_statuses", "team_routing_settings", "sla_versions"):
        mark = first.last_state["bookmarks"][name]
        key = "created_at" if name == "sla_versions" else "updated_at"
        attribute = "createdAt" if name == "sla_versions" else "updatedAt"
        source = box.store.sla_versions if name == "sla_versions" else box.store.resources[name]
        at_mark = {r["id"] for r in source if r["attributes"][attribute] == mark[key]}
        assert set(second.ids(name)) <= at_mark, name  # nothing changed: at most what shares the bookmark


def test_list_streams_make_one_request_per_page(box, tap):
    tap(sandbox_config(box), selected_catalog({"queues", "routing_statuses", "team_routing_settings", "work_sessions"}))
    for path, stream in (
        ("GET /v1/routing/queues", "queues"),
        ("GET /v1/routing/statuses", "routing_statuses"),
        ("GET /v1/routing/settings", "team_routing_settings"),
    ):
        assert box.api.requests[path] == math.ceil(len(box.store.resources[stream]) / 100), path
    # work sessions: a search page of every change, then the listing of the active ones only
    active = [s for s in box.store.resources["work_sessions"] if s["attributes"]["active"]]
    assert box.api.requests["GET /v1/routing/work-sessions"] == max(1, math.ceil(len(active) / 100))
    assert box.api.requests["POST /v1/customers/search"] == 1


def audit_box(**options):
    data = DataOptions(counts={"users": 20, "customers": 50, "conversations": 50, "audit_logs": 5000}, seed=9)
    return make_sandbox(data=data, **options)


@pytest.mark.parametrize(
    "oldest_first, keeps_filter",
    [(False, False), (False, True), (True, False), (True, True)],
    ids=[
        "documented: newest first, next link without the filter",
        "newest first, filter kept",
        "oldest first",
        "oldest first, filter kept",
    ],
)
def test_the_audit_log_is_complete_and_incremental_by_cursor_in_either_order(tap, oldest_first, keeps_filter):
    # 50 entries a page (the tap asks 1,000; the sandbox clamps): windows take several pages, and
    # without the filter in links.next the last page of each runs on into older (or newer) entries
    box = audit_box(audit_oldest_first=oldest_first, audit_next_keeps_filter=keeps_filter, audit_count_max=50)
    try:
        config, catalog = sandbox_config(box, search_lag_seconds=0), selected_catalog({"audit_logs"})
        first = tap(config, catalog)
        ids = first.ids("audit_logs")
        assert set(ids) == in_scope(box, "audit_logs") and len(ids) == len(set(ids))
        reached = min(r["created_at"] for r in first.records("audit_logs"))
        assert f"audit_logs: the log reached back to {reached}" in first.stderr
        warnings = [line for line in first.stderr.splitlines() if line.startswith("WARNING")]
        facts = (["audit-order: the audit log answers oldest first"] if oldest_first else []) + (
            ["audit-next: the audit log's links.next repeats the window's filter"] if keeps_filter else []
        )
        assert len(warnings) == len(facts)  # each fact met once, by name
        assert all(any(f.split(": ")[1] in w for w in warnings) for f in facts)
        made = box.api.requests["GET /v1/audit-logs"]
        windows = sum(1 for s in first.states() if "audit_logs" in s["bookmarks"])
        assert made > windows  # windows of several pages
        assert made <= math.ceil(len(ids) / 50) + windows  # a request per 50 entries, one more per window at most
        fresh = {box.store.audit_now()["id"] for _ in range(3)}  # created after the first run began
        second = tap(config, catalog, first.last_state)
        assert set(second.ids("audit_logs")) == fresh  # only what is new, nothing twice across runs
        assert "the log reached back" not in second.stderr
    finally:
        box.stop()


def test_the_sandbox_pages_the_audit_log_as_documented():
    box = audit_box(audit_count_max=50)
    try:
        api, auth = box.api, {"Authorization": f"Bearer {SANDBOX_TOKEN}"}
        _, _, page = api.handle("GET", "/v1/audit-logs?count=20", auth, None)
        stamps = [e["attributes"]["createdAt"] for e in page["data"]]
        assert stamps == sorted(stamps, reverse=True) and len(stamps) == 20  # newest first
        first, last = page["data"][0]["id"], page["data"][-1]["id"]
        assert page["links"]["next"] == f"/v1/audit-logs?count=20&before={last}"
        assert page["links"]["prev"] == f"/v1/audit-logs?count=20&after={first}"
        assert set(page["meta"]) == {"count", "total", "cursorCount"} and page["meta"]["count"] == 20
        _, _, older = api.handle("GET", page["links"]["next"], auth, None)
        assert older["data"][0]["attributes"]["createdAt"] <= stamps[-1]
        assert older["meta"]["cursorCount"] == page["meta"]["total"] - 20
        window = "filter[start]=2000-01-01T00:00:00.000Z&filter[end]=2100-01-01T00:00:00.000Z"
        _, _, filtered = api.handle("GET", f"/v1/audit-logs?count=5000&{window}", auth, None)
        assert len(filtered["data"]) == 50 and "filter" not in filtered["links"]["next"]  # clamped; no filter
    finally:
        box.stop()


def audit_entry(number, created_at):
    return {"type": "audit_log", "id": f"{number:024x}", "attributes": {"createdAt": created_at}}


def test_an_audit_window_ends_where_its_entries_pass_its_start_and_stops_on_a_cursor_gone_wrong():
    low, high = parse_instant("2025-03-01T00:00:00.000Z"), parse_instant("2025-03-02T00:00:00.000Z")

    def window_after_a_first_page():
        window = Window(AuditLogs(), low, high, set(), Facts())
        page = [audit_entry(1, "2025-03-01T20:00:00.000Z"), audit_entry(2, "2025-03-01T10:00:00.000Z")]
        assert window.take(page, filtered=True) == (page, False)
        return window

    window = window_after_a_first_page()  # the documented paging: the next link drops the filter
    page = [audit_entry(3, "2025-03-01T00:00:00.000Z"), audit_entry(4, "2025-02-28T23:59:59.999Z")]
    fresh, ended = window.take(page + [audit_entry(5, "2025-02-28T12:00:00.000Z")], filtered=False)
    assert fresh == page[:1] and ended  # older entries belong to earlier windows: not written, no error
    assert window.requests == 0 and window.oldest == "2025-03-01T00:00:00.000Z"

    with pytest.raises(AnswerError, match="newer than its end .* its cursor did not move back in time"):
        window_after_a_first_page().take([audit_entry(6, "2025-03-02T00:05:00.000Z")], filtered=False)
    with pytest.raises(AnswerError, match="after one created at 2025-03-01T10:00:00.000Z"):
        window_after_a_first_page().take([audit_entry(7, "2025-03-01T12:00:00.000Z")], filtered=False)
    with pytest.raises(AnswerError, match="did not apply the date filter"):
        Window(AuditLogs(), low, high, set(), Facts()).take([audit_entry(8, "2025-02-27T00:00:00.000Z")], filtered=True)


def test_an_audit_walk_killed_mid_way_resends_at_most_the_window_in_flight(tmp_path):
    box = audit_box()
    try:
        config, catalog = sandbox_config(box, search_lag_seconds=0), selected_catalog({"audit_logs"})
        scope, first = in_scope(box, "audit_logs"), None
        for kill in (40, 400, 1800):
            first = run_tap_killed(tmp_path, config, catalog, kill_after_lines=kill)
            marks = [
                m["value"]["bookmarks"]["audit_logs"]
                for m in first
                if m["type"] == "STATE" and m["value"]["bookmarks"].get("audit_logs")
            ]
            if marks:
                break
        state = [m["value"] for m in first if m["type"] == "STATE"][-1]
        mark = state["bookmarks"]["audit_logs"]["created_at"]
        second = run_tap_killed(tmp_path, config, catalog, state=state)
        a, b = {r["id"] for r in records(first, "audit_logs")}, {r["id"] for r in records(second, "audit_logs")}
        assert a | b == scope  # nothing lost
        by_id = {e["id"]: e["attributes"]["createdAt"] for e in box.store.audit}
        assert all(by_id[i] >= mark for i in a & b)  # what came twice was past the bookmark: the window in flight
    finally:
        box.stop()


def test_a_start_date_past_the_retention_is_not_an_error(tap):
    box = audit_box()
    try:
        run = tap(sandbox_config(box, start_date="2001-01-01T00:00:00Z"), selected_catalog({"audit_logs"}))
        assert set(run.ids("audit_logs")) == in_scope(box, "audit_logs")
        expired = [e for e in box.store.audit if e["attributes"]["expiresAt"] <= stamp(NOW)]
        assert expired and not {e["id"] for e in expired} & set(run.ids("audit_logs"))
    finally:
        box.stop()


@pytest.mark.parametrize(
    "switch, words",
    [
        ("audit_next_repeats", "page 2 of /v1/audit-logs answered only records of earlier pages"),
        ("audit_ignores_filter", "did not apply the date filter as the tap expects"),
    ],
)
def test_an_audit_log_that_does_not_fit_its_query_stops_by_name(tap, switch, words):
    box = audit_box(**{switch: True})
    try:
        run = tap(sandbox_config(box, search_lag_seconds=0), selected_catalog({"audit_logs", "tags"}), check=False)
        critical = [line for line in run.stderr.splitlines() if line.startswith("CRITICAL")]
        assert run.returncode == 3 and len(critical) == 1
        assert critical[0].startswith("CRITICAL audit_logs: ") and words in critical[0]
        assert set(run.ids("tags")) == in_scope(box, "tags")  # the rest completed
        ids = run.ids("audit_logs")
        assert len(ids) == len(set(ids))  # stopped before anything came twice
    finally:
        box.stop()


def test_an_org_without_routing_or_slas_syncs_the_rest(tap):
    box = make_sandbox(missing=("queues", "work_sessions", "slas"))
    try:
        run = tap(sandbox_config(box), selected_catalog({"queues", "work_sessions", "slas", "sla_versions", "tags"}))
        errors = [line for line in run.stderr.splitlines() if line.startswith("ERROR")]
        for name in ("queues", "work_sessions", "sla_versions, slas"):
            assert any(line.startswith(f"ERROR {name}: skipped") for line in errors), (name, errors)
        assert set(run.ids("tags")) == in_scope(box, "tags")
    finally:
        box.stop()


def test_an_org_with_empty_routing_is_not_an_error(tap):
    box = make_sandbox()
    try:
        for name in ("queues", "routing_statuses", "team_routing_settings", "work_sessions", "slas"):
            box.store.resources[name] = []
        box.store.sla_versions = []
        run = tap(sandbox_config(box), selected_catalog(set(ROUTING)))
        assert not [m for m in run.messages if m["type"] == "RECORD"] and "ERROR" not in run.stderr
    finally:
        box.stop()
