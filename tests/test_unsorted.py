"""A search that does not sort (Kustomer documents sorting for customer attributes only) is read by
windows of time that each fit a page: with every guarantee of the sorted walk. The sandbox's switch
`search_ignores_sort` answers every search (and the archive) newest first, whatever it asked."""

import re
from datetime import timedelta

import pytest
from conftest import in_scope, make_sandbox, run_tap_killed, sandbox_config, selected_catalog

from tap_kustomer.sandbox.store import DataOptions, parse_stamp
from tap_kustomer.streams import STREAMS, SearchStream

SEARCH = sorted(name for name, stream in STREAMS.items() if isinstance(stream, SearchStream))
STREAMS_UNDER_TEST = pytest.mark.parametrize("stream", ["customers", "conversation_times"])


def records(messages, stream):
    return [m["record"] for m in messages if m["type"] == "RECORD" and m["stream"] == stream]


def marks(messages, stream):
    return [
        m["value"]["bookmarks"][stream] for m in messages if m["type"] == "STATE" and stream in m["value"]["bookmarks"]
    ]


def after_last_state(messages, stream):
    """The ids written after the last STATE: the only ones a resumed run may write again."""
    last = max(i for i, m in enumerate(messages) if m["type"] == "STATE")
    return {m["record"]["id"] for m in messages[last:] if m["type"] == "RECORD" and m["stream"] == stream}


def position(mark, key):
    return mark[key], mark.get("after_id") or "", len(mark.get("written", ()))


def test_every_search_stream_is_complete_without_a_sort(tap):
    box = make_sandbox(search_ignores_sort=True)
    try:
        run = tap(sandbox_config(box, page_size=40), selected_catalog(set(SEARCH)))
        for name in SEARCH:
            ids = run.ids(name)
            assert sorted(ids) == sorted(in_scope(box, name)), name  # each exactly once
        warned = {line.split(":")[0] for line in run.stderr.splitlines() if "it is read by windows" in line}
        assert {f"WARNING {name}" for name in SEARCH} <= warned  # one word per stream (and per path)
        assert "CRITICAL" not in run.stderr and run.returncode == 0
    finally:
        box.stop()


@STREAMS_UNDER_TEST
def test_more_than_100_pages_without_a_sort(tmp_path, stream):
    data = DataOptions(counts={stream: 620, "users": 1}, tie_blocks=(3,), archive_fraction=0)
    box = make_sandbox(data=data, search_ignores_sort=True)
    try:  # 620 records at 5 a page: 124 pages, past the cap of 100 a query; each window asks page 1 only
        out = run_tap_killed(tmp_path, sandbox_config(box, page_size=5), selected_catalog({stream}))
        ids = [r["id"] for r in records(out, stream)]
        assert sorted(ids) == sorted(in_scope(box, stream))
        key = STREAMS[stream].replication_key
        steps = [position(m, key) for m in marks(out, stream)]
        assert steps == sorted(steps) and len(set(steps)) > 100  # a STATE per window, never back
        assert box.api.requests["POST /v1/customers/search"] < 620 / 5 * 3  # the figure: docs/performance.md
    finally:
        box.stop()


@STREAMS_UNDER_TEST
def test_a_tie_larger_than_a_page_without_a_sort(tmp_path, stream):
    data = DataOptions(counts={stream: 400, "users": 1}, tie_blocks=(250,), archive_fraction=0, seed=4)
    box = make_sandbox(data=data, search_ignores_sort=True)
    try:
        out = run_tap_killed(tmp_path, sandbox_config(box, page_size=20), selected_catalog({stream}))
        ids = [r["id"] for r in records(out, stream)]
        assert sorted(ids) == sorted(in_scope(box, stream))  # each exactly once
        tie = [m for m in marks(out, stream) if "after_id" in m]
        assert len(tie) >= 250 // 20  # the instant was read by ranges of ids, a STATE after each
    finally:
        box.stop()


@STREAMS_UNDER_TEST
@pytest.mark.parametrize("kill_after", [25, 60, 140])
def test_a_kill_without_a_sort_resumes_where_it_stopped(tmp_path, stream, kill_after):
    data = DataOptions(counts={stream: 500, "users": 1}, tie_blocks=(90, 7), archive_fraction=0, seed=5)
    box = make_sandbox(data=data, search_ignores_sort=True)
    try:
        config, catalog = sandbox_config(box, page_size=10), selected_catalog({stream})
        first = run_tap_killed(tmp_path, config, catalog, kill_after_lines=kill_after)
        state = [m["value"] for m in first if m["type"] == "STATE"][-1]
        second = run_tap_killed(tmp_path, config, catalog, state=state)
        a, b = [r["id"] for r in records(first, stream)], [r["id"] for r in records(second, stream)]
        assert set(a) | set(b) == in_scope(box, stream)
        assert set(a) & set(b) <= after_last_state(first, stream)  # again: only the window in flight
    finally:
        box.stop()


@pytest.mark.parametrize("kill_after", [30, 45, 77])
def test_a_bookmark_of_the_sorted_walk_resumes_without_a_sort(tmp_path, kill_after):
    data = DataOptions(counts={"customers": 300, "users": 1}, tie_blocks=(12, 9, 40), archive_fraction=0, seed=9)
    box = make_sandbox(data=data)
    try:  # a sorted run killed (its bookmark names the ids written at its instant), then the sort is gone
        config, catalog = sandbox_config(box, page_size=10), selected_catalog({"customers"})
        first = run_tap_killed(tmp_path, config, catalog, kill_after_lines=kill_after)
        state = [m["value"] for m in first if m["type"] == "STATE"][-1]
        box.api.options.search_ignores_sort = True
        second = run_tap_killed(tmp_path, config, catalog, state=state)
        a, b = [r["id"] for r in records(first, "customers")], [r["id"] for r in records(second, "customers")]
        assert set(a) | set(b) == in_scope(box, "customers")
        assert set(a) & set(b) <= after_last_state(first, "customers")  # the written ids are not sent again
    finally:
        box.stop()


def test_a_live_org_without_a_sort_loses_nothing(tmp_path):
    box = make_sandbox(
        search_ignores_sort=True,
        search_latency=0.005,
        mutations_per_second=200,
        data=DataOptions(counts={"customers": 1200, "users": 1}, archive_fraction=0, seed=8),
    )
    try:
        scope = in_scope(box, "customers")
        out = run_tap_killed(tmp_path, sandbox_config(box, page_size=25), selected_catalog({"customers"}))
        assert box.mutations > 20
        assert scope <= {r["id"] for r in records(out, "customers")}
    finally:
        box.stop()


@pytest.mark.parametrize("kill_after", [None, 40])
def test_the_archive_and_the_search_without_a_sort_leave_no_gap(tmp_path, kill_after):
    data = DataOptions(counts={"companies": 400, "users": 1}, archive_fraction=0.3, seed=6)
    box = make_sandbox(data=data, search_ignores_sort=True, boundary_drift_per_search=3.0)
    try:  # 150 records a second apart just above the two-year edge: they age into the archive mid-run
        edge = parse_stamp(box.store.boundary())
        for i, record in enumerate(box.store.resources["companies"][-150:]):
            box.store.touch("companies", record["id"], when=edge + timedelta(seconds=i + 2))
        scope = in_scope(box, "companies")
        config, catalog = sandbox_config(box, page_size=8), selected_catalog({"companies"})
        out = run_tap_killed(tmp_path, config, catalog, kill_after_lines=kill_after)
        if kill_after:
            state = [m["value"] for m in out if m["type"] == "STATE"][-1]
            out += run_tap_killed(tmp_path, config, catalog, state=state)
        assert {r["id"] for r in records(out, "companies")} == scope
        assert box.api.requests["POST /v1/customers/archive/search"] > 1
        for mark in marks(out, "companies"):
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", mark["updated_at"])
    finally:
        box.stop()
