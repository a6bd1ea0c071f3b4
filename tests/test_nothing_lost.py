"""Nothing lost at any scale: the page cap, ties, the two-year window, deletes, a live org, kills."""

import random
import re
from datetime import timedelta

import pytest
from conftest import in_scope, make_sandbox, run_tap_killed, sandbox_config, selected_catalog

from tap_kustomer.sandbox.store import DataOptions, parse_stamp
from tap_kustomer.timeutil import parse_instant

CANONICAL = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


def records(messages, stream):
    return [m["record"] for m in messages if m["type"] == "RECORD" and m["stream"] == stream]


def states(messages):
    return [m["value"] for m in messages if m["type"] == "STATE"]


def position(mark):
    return mark["updated_at"], mark.get("after_id") or ""


# companies, conversation times (on created_at) and work items: the same guarantees as customers
SEARCH = pytest.mark.parametrize("stream", ["customers", "companies", "conversation_times", "work_items"])


@SEARCH
def test_a_search_of_more_than_100_pages_under_the_real_cap(tmp_path, stream):
    box = make_sandbox(data=DataOptions(counts={stream: 620, "users": 1}, tie_blocks=(3,), archive_fraction=0))
    try:  # the sandbox serves 100 pages per query, as Kustomer does; 620 records at 5 a page is 124 pages
        out = run_tap_killed(tmp_path, sandbox_config(box, page_size=5), selected_catalog({stream}))
        ids = [r["id"] for r in records(out, stream)]
        assert sorted(ids) == sorted(in_scope(box, stream))
        assert box.api.requests["POST /v1/customers/search"] <= 620 // 4 + 2  # 4 new records a page at worst
    finally:
        box.stop()


@SEARCH
def test_a_tie_larger_than_100_pages(tmp_path, stream):
    data = DataOptions(counts={stream: 900, "users": 1}, tie_blocks=(700,), archive_fraction=0, seed=4)
    box = make_sandbox(data=data)
    try:
        out = run_tap_killed(tmp_path, sandbox_config(box, page_size=5), selected_catalog({stream}))
        ids = [r["id"] for r in records(out, stream)]
        assert sorted(ids) == sorted(in_scope(box, stream))  # each exactly once
        tie_marks = [s["bookmarks"][stream] for s in states(out) if "after_id" in s["bookmarks"].get(stream, {})]
        assert len(tie_marks) >= 100  # the tie was walked by id, checkpointing inside it
        assert box.api.requests["POST /v1/customers/search"] < 900 / 5 * 1.3
    finally:
        box.stop()


@SEARCH
def test_a_kill_inside_a_tie_resumes_inside_it(tmp_path, stream):
    data = DataOptions(counts={stream: 300, "users": 1}, tie_blocks=(200,), archive_fraction=0, seed=5)
    box = make_sandbox(data=data)
    try:
        config, catalog = sandbox_config(box, page_size=10), selected_catalog({stream})
        whole = run_tap_killed(tmp_path, config, catalog)  # where the tie walk is, in lines of output
        inside = [
            i
            for i, m in enumerate(whole)
            if m["type"] == "STATE" and "after_id" in m["value"]["bookmarks"].get(stream, {})
        ]
        first = run_tap_killed(tmp_path, config, catalog, kill_after_lines=inside[len(inside) // 2] + 3)
        mark = states(first)[-1]["bookmarks"][stream]
        assert mark.get("after_id")  # killed while walking the tie
        second = run_tap_killed(tmp_path, config, catalog, state=states(first)[-1])
        a, b = [r["id"] for r in records(first, stream)], [r["id"] for r in records(second, stream)]
        assert set(a) | set(b) == in_scope(box, stream)
        assert len(set(a) & set(b)) <= 10  # again at most: the page in flight at the kill
    finally:
        box.stop()


@pytest.mark.parametrize("stream", ["messages", "companies"])  # contexts the archive documents (not note)
def test_history_older_than_two_years_comes_from_the_archive_without_a_gap(tmp_path, stream):
    data = DataOptions(counts={stream: 400, "users": 1}, archive_fraction=0.3, seed=6)
    box = make_sandbox(data=data, boundary_drift_per_search=3.0)
    try:  # put 150 records a second apart just above the boundary: they age into the archive mid-run
        edge = parse_stamp(box.store.boundary())
        for i, record in enumerate(box.store.resources[stream][-150:]):
            box.store.touch(stream, record["id"], when=edge + timedelta(seconds=i + 2))
        scope = in_scope(box, stream)
        out = run_tap_killed(tmp_path, sandbox_config(box, page_size=8), selected_catalog({stream}))
        assert {r["id"] for r in records(out, stream)} == scope
        assert box.api.requests["POST /v1/customers/archive/search"] > 1
    finally:
        box.stop()


def test_include_deleted_false_leaves_deleted_records_and_deactivated_users_out(tmp_path):
    box = make_sandbox()
    try:
        out = run_tap_killed(
            tmp_path, sandbox_config(box, include_deleted=False), selected_catalog({"customers", "users", "tags"})
        )
        for stream in ("customers", "users", "tags"):
            got = records(out, stream)
            assert got and not any(r.get("deleted") is True or r.get("deleted_at") for r in got), stream
            alive = {
                r["id"]
                for r in box.store.resources[stream]
                if not r["attributes"].get("deleted") and not r["attributes"].get("deletedAt")
            }
            assert {r["id"] for r in got} == alive, stream
    finally:
        box.stop()


@SEARCH
def test_a_live_org_loses_nothing(tmp_path, stream):
    box = make_sandbox(
        search_latency=0.01,
        mutations_per_second=300,
        data=DataOptions(counts={stream: 1500, "users": 1}, archive_fraction=0, seed=8),
    )
    try:
        scope = in_scope(box, stream)
        out = run_tap_killed(tmp_path, sandbox_config(box, page_size=25), selected_catalog({stream}))
        assert box.mutations > 20  # records really moved while the sync ran
        assert scope <= {r["id"] for r in records(out, stream)}
    finally:
        box.stop()


@pytest.mark.parametrize("seed", [11, 12, 13, 14, 29, 32])  # 29 and 32: no live updates, so duplicates are checked
def test_randomized_ties_deletes_archive_live_updates_and_kills(tmp_path, seed):
    rng = random.Random(seed)
    data = DataOptions(
        seed=seed,
        counts={
            "customers": rng.randint(150, 400),
            "companies": rng.randint(50, 200),
            "messages": rng.randint(100, 300),
            "tags": rng.randint(5, 250),
            "users": 20,
        },
        tie_blocks=tuple(rng.randint(2, 60) for _ in range(rng.randint(1, 4))),
        archive_fraction=rng.uniform(0, 0.4),
        deleted_fraction=rng.uniform(0, 0.3),
    )
    mutations, page_size = rng.choice([0, 50, 200]), rng.choice([7, 20, 50])
    box = make_sandbox(data=data, mutations_per_second=mutations, search_latency=0.005)
    streams = ("customers", "companies", "messages", "tags", "users")
    try:
        config = sandbox_config(box, page_size=page_size, start_date="2015-01-01T00:00:00Z")
        catalog = selected_catalog(set(streams))
        scope = {name: in_scope(box, name) for name in streams}
        emitted, state, runs = {name: set() for name in streams}, None, 0
        marks = {}
        while True:
            runs += 1
            kill = rng.randint(5, 120) if runs <= 3 else None
            out = run_tap_killed(tmp_path, config, catalog, state=state, kill_after_lines=kill)
            for name in streams:
                ids = {r["id"] for r in records(out, name)}
                if mutations == 0 and name in ("customers", "companies", "messages"):  # a search stream resumes:
                    assert len(ids & emitted[name]) <= page_size, name  # at most the page in flight again
                emitted[name] |= ids
            for value in states(out):
                for name, mark in value["bookmarks"].items():
                    assert CANONICAL.fullmatch(mark["updated_at"]) and parse_instant(mark["updated_at"])
                    assert position(mark) >= position(marks.get(name, mark)), (name, mark, marks.get(name))
                    marks[name] = mark
            state = states(out)[-1] if states(out) else state
            if kill is None:
                break
        for name in streams:
            assert scope[name] <= emitted[name], (name, len(scope[name] - emitted[name]))
        assert state["currently_syncing"] is None and set(state["bookmarks"]) == set(streams)
    finally:
        box.stop()
