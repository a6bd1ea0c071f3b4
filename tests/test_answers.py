"""An API that does not do what it was asked: a filter, a sort or a page not applied, an outage.

Each misbehaviour is a switch of the sandbox. The tap must stop with one CRITICAL line that names
the stream, the query and what was wrong, within seconds, having written no flood of duplicates and
printed a STATE that resumes with nothing lost; an outage within max_retry_seconds is waited out."""

import math
import time
from collections import Counter

import pytest
from conftest import in_scope, make_sandbox, sandbox_config, selected_catalog

from tap_kustomer.sandbox.store import DataOptions
from tap_kustomer.sync import read_state

DATA = DataOptions(counts={"customers": 600, "tags": 250, "users": 5}, archive_fraction=0, seed=17)


def critical(run):
    lines = [line for line in run.stderr.splitlines() if line.startswith("CRITICAL")]
    assert len(lines) == 1, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    return lines[0]


def resume_and_check(box, tap, first, stream, **config):
    """Switch the misbehaviour off and resume from the last STATE: the two runs lose nothing."""
    state = first.last_state if first.states() else None
    if state is not None:
        assert read_state(state)["bookmarks"] == state["bookmarks"]  # valid as printed
    for switch in ("search_ignores_filter", "search_ignores_sort", "list_ignores_page"):
        setattr(box.api.options, switch, False)
    box.api.options.outage_after = 0
    second = tap(sandbox_config(box, **config), selected_catalog({stream}), state)
    scope = in_scope(box, stream, *([config["start_date"]] if "start_date" in config else []))
    assert set(first.ids(stream)) | set(second.ids(stream)) == scope
    return second


@pytest.fixture
def box():
    sandbox = make_sandbox(data=DATA)
    yield sandbox
    sandbox.stop()


def test_a_search_that_ignores_the_filter_stops_at_its_first_page(box, tap):
    stamps = sorted(r["attributes"]["updatedAt"] for r in box.store.resources["customers"])
    start = stamps[len(stamps) // 2]  # half of the customers are older: an unfiltered answer shows them
    box.api.options.search_ignores_filter = True
    began = time.monotonic()
    run = tap(sandbox_config(box, start_date=start, page_size=50), selected_catalog({"customers"}), check=False)
    assert run.returncode == 3 and time.monotonic() - began < 10
    line = critical(run)
    assert f"customers: the search answered records older than customer_updated_at >= {start}" in line
    assert "the API did not apply the filter" in line
    assert run.records("customers") == []  # the page that did not fit was not written
    assert box.api.requests["POST /v1/customers/search"] == 1
    resume_and_check(box, tap, run, "customers", start_date=start)


def test_a_search_that_ignores_the_filter_but_keeps_the_sort_writes_one_page_at_most_twice(box, tap):
    box.api.options.search_ignores_filter = True
    run = tap(sandbox_config(box, page_size=50), selected_catalog({"customers"}), check=False)
    assert run.returncode == 3  # the stream failed (exit 3: the run went on without it)
    assert "customers: the search answered records older than customer_updated_at >= " in critical(run)
    counts = Counter(run.ids("customers"))
    assert len(counts) == 50 and max(counts.values()) == 1  # the first page (it fit), then the stop
    assert box.api.requests["POST /v1/customers/search"] == 2
    again = resume_and_check(box, tap, run, "customers")
    assert len(set(run.ids("customers")) & set(again.ids("customers"))) <= 50


def test_a_search_that_ignores_the_sort_is_read_by_windows(box, tap):
    box.api.options.search_ignores_sort = True  # updatedAt descending, Kustomer's documented default
    run = tap(sandbox_config(box, page_size=50), selected_catalog({"customers"}))
    warnings = [line for line in run.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1
    assert "customers: the search answered records out of customer_updated_at ascending order" in warnings[0]
    assert (
        "UNCONFIRMED fact search-sort: search sorts on" in warnings[0]
        and "it is read by windows of customer_updated_at" in warnings[0]
    )
    assert sorted(run.ids("customers")) == sorted(in_scope(box, "customers"))  # each once
    assert "CRITICAL" not in run.stderr  # tests/test_unsorted.py holds the walk to every guarantee


def test_a_tie_walk_that_ignores_the_id_filter_stops(tap):
    data = DataOptions(counts={"customers": 120, "users": 1}, tie_blocks=(60,), archive_fraction=0, seed=3)
    box = make_sandbox(data=data)
    try:
        first = tap(sandbox_config(box, page_size=20), selected_catalog({"customers"}), check=False)
        assert first.returncode == 0  # the tie walk works when the API honours it

        original = box.api._criterion

        def ignore_id(prefix, item):  # the id criterion is dropped, as an API that does not know it would
            attr, op, value = original(prefix, item)
            return ("updatedAt", "gte", "") if attr == "id" else (attr, op, value)

        box.api._criterion = ignore_id
        run = tap(sandbox_config(box, page_size=20), selected_catalog({"customers"}), check=False)
        assert run.returncode == 3
        line = critical(run)
        assert "customers: the search answered records not at customer_updated_at = " in line
        assert "and customer_id > " in line and "did not apply the filter" in line
        assert max(Counter(run.ids("customers")).values()) == 1
    finally:
        box.stop()


def test_a_list_that_ignores_page_stops_on_its_second_page(box, tap):
    box.api.options.list_ignores_page = True
    run = tap(sandbox_config(box), selected_catalog({"tags"}), check=False)
    assert run.returncode == 3
    line = critical(run)
    assert "tags: page 2 of /v1/tags answered only records of earlier pages" in line
    assert "paging did not move on (the page parameter" in line
    # page 1, page 2 (a repeat), then page 1 of one record: it applies pageSize, so it cannot be read past page 1
    assert len(run.ids("tags")) == 100 and box.api.requests["GET /v1/tags"] == 3
    resume_and_check(box, tap, run, "tags")


LISTED = DataOptions(counts={"users": 12, "teams": 8, "role_groups": 9, "tags": 20, "customers": 200}, seed=5)
PAGED = ("users", "teams", "role_groups", "tags")  # page and pageSize undocumented on the first three


def test_a_clamped_page_size_costs_pages_not_records(tap):
    # the tap asks 100 or 500 a page (search: 500); the API answers 3 (search: 37), silently
    box = make_sandbox(data=LISTED, list_page_max=3, search_page_max=37)
    try:
        run = tap(sandbox_config(box), selected_catalog({*PAGED, "customers"}))
        for stream in (*PAGED, "customers"):
            assert sorted(run.ids(stream)) == sorted(in_scope(box, stream)), stream
        users = box.store.resources["users"]
        gone = sum(1 for u in users if u["attributes"].get("deletedAt"))
        pages = math.ceil((len(users) - gone) / 3) + max(1, math.ceil(gone / 3))  # active, then deactivated
        assert box.api.requests["GET /v1/users"] == pages
        assert box.api.requests["GET /v1/teams"] == math.ceil(8 / 3)
        warnings = [line for line in run.stderr.splitlines() if line.startswith("WARNING")]
        assert sorted(line.split(":")[0] for line in warnings) == sorted(f"WARNING {s}" for s in PAGED)
        assert all("it clamps pageSize; every page is read" in line for line in warnings)
    finally:
        box.stop()


@pytest.mark.parametrize(
    "stream, path", [("users", "/v1/users"), ("teams", "/v1/teams"), ("role_groups", "/v1/role-groups")]
)
def test_a_list_that_ignores_page_stops_by_name(tap, stream, path):
    box = make_sandbox(data=LISTED, list_page_max=3, list_ignores_page=True)
    try:
        run = tap(sandbox_config(box), selected_catalog({stream}), check=False)
        assert run.returncode == 3  # that stream failed
        assert f"{stream}: page 2 of {path} answered only records of earlier pages" in critical(run)
        assert len(run.ids(stream)) == 3 and box.api.requests[f"GET {path}"] == 3
    finally:
        box.stop()


def test_an_outage_shorter_than_max_retry_seconds_is_waited_out(box, tap):
    box.api.options.outage_after, box.api.options.outage_seconds = 4, 3.0  # a few pages in
    began = time.monotonic()
    run = tap(sandbox_config(box, page_size=50, max_retry_seconds=30), selected_catalog({"customers", "tags"}))
    assert time.monotonic() - began >= 3
    assert set(run.ids("customers")) == in_scope(box, "customers") and set(run.ids("tags")) == in_scope(box, "tags")
    assert "HTTP 503" in run.stderr and "of max_retry_seconds 30 spent" in run.stderr


def test_an_outage_longer_than_max_retry_seconds_stops_with_a_state_that_resumes(box, tap):
    box.api.options.outage_after, box.api.options.outage_seconds = 4, 600
    began = time.monotonic()
    run = tap(sandbox_config(box, page_size=50, max_retry_seconds=2), selected_catalog({"customers"}), check=False)
    assert run.returncode == 1 and time.monotonic() - began < 15
    line = critical(run)
    assert "HTTP 503" in line and "max_retry_seconds is 2" in line and "gave up after" in line
    assert run.records("customers")  # pages before the outage were written, and STATE says so
    resume_and_check(box, tap, run, "customers")


def test_max_retries_is_an_extra_cap(box, tap):
    box.api.options.outage_after, box.api.options.outage_seconds = 1, 600
    run = tap(sandbox_config(box, max_retries=2, max_retry_seconds=600), selected_catalog({"tags"}), check=False)
    line = critical(run)
    assert run.returncode == 1 and "gave up after 2 retries" in line and "max_retries is 2" in line


def test_the_connection_test_reports_a_search_that_does_not_fit_its_query(box, tap):
    box.api.options.search_ignores_filter = True
    run = tap(sandbox_config(box), args=["--test"], check=False)
    assert run.returncode == 1
    rows = {line.split("|")[1].strip(): line for line in run.stdout.splitlines() if line.startswith("| ")}
    assert "did not apply the filter" in rows["customers"] and "NO:" in rows["customers"]
    assert rows["tags"].endswith("| yes |")


def test_the_connection_test_passes_a_search_that_does_not_sort(box, tap):
    box.api.options.search_ignores_sort = True  # the sync reads it by windows: not a failure
    run = tap(sandbox_config(box), args=["--test"])
    rows = {line.split("|")[1].strip(): line for line in run.stdout.splitlines() if line.startswith("| ")}
    assert rows["customers"].endswith("| yes |") and rows["tags"].endswith("| yes |")
