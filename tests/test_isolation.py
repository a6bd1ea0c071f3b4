"""One stream's surprise costs that stream, never the run.

The sandbox breaks one path or one search context (a 500 for ever, a 200 without `data`, a 400...)
while the rest of the API answers normally. The broken stream (and the children its listing feeds)
ends at its last fully written page; every other selected stream runs to its end; the last STATE
carries every bookmark; the run ends with a table of outcomes and exit code 3. What no stream could
get past (the token revoked, the whole API down) still stops the run at once, with exit code 1."""

import json
import re
import time

import pytest
from conftest import in_scope, make_sandbox, outcomes, sandbox_config, selected_catalog

from tap_kustomer.custom import OPEN
from tap_kustomer.streams import STREAMS

FAST = {"max_retry_seconds": 1}  # a broken path gives up after a second here (600 by default)


def critical(run):
    lines = [line for line in run.stderr.splitlines() if line.startswith("CRITICAL")]
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr[-3000:]
    return lines[0]


def assert_complete(box, run, names):
    """Each stream wrote every record in scope, and the table and the STATE say it completed."""
    table, state = outcomes(run), run.last_state
    for name in names:
        assert set(run.ids(name)) == in_scope(box, name), name
        assert table[name][:1] == ("complete",) and table[name][2] == len(run.ids(name)), (name, table[name])
        if STREAMS[name].replication_key:
            assert state["bookmarks"][name], name


def warned(run):
    """The WARNING lines about custom attribute definitions, up to the reason (retries aside)."""
    lines = [line for line in run.stderr.splitlines() if "cannot read its custom attribute definitions" in line]
    return [line.split(" (")[0] for line in lines]


def catalog_properties(run):
    """stream -> its schema's properties, from --discover's catalog."""
    return {entry["stream"]: entry["schema"]["properties"] for entry in json.loads(run.stdout)["streams"]}


@pytest.fixture
def box():
    sandbox = make_sandbox()
    yield sandbox
    sandbox.stop()


@pytest.mark.parametrize(
    "mode, words",
    [
        ("500", "HTTP 500"),
        ("nodata", "without a 'data' list"),
        ("400", "HTTP 400"),
        ("404", None),  # an org without the feature: skipped by rule, exit 0
        ("409", "HTTP 409"),
        ("422", "HTTP 422"),
    ],
)
def test_a_broken_listing_costs_that_stream_only(box, tap, mode, words):
    box.api.options.broken = {"/v1/routing/queues": mode}
    others = ["conversations", "klasses", "tags", "work_sessions", "users"]
    began = time.monotonic()
    run = tap(sandbox_config(box, **FAST), selected_catalog({"queues", *others}), check=False)
    assert time.monotonic() - began < 30
    assert_complete(box, run, others)
    status, reason, records, requests = outcomes(run)["queues"]
    assert "queues" not in run.last_state["bookmarks"] and not run.records("queues")
    if words is None:
        assert run.returncode == 0 and status == "skipped" and "no such data" in reason
        assert "CRITICAL" not in run.stderr
        return
    assert run.returncode == 3 and status == "failed" and words in reason
    line = critical(run)
    assert line.startswith("CRITICAL queues: ") and words in line and "exit code 3" in line
    assert re.search(r"^ERROR queues: failed, the other streams go on: ", run.stderr, re.M)
    assert requests >= 1 and run.last_state["currently_syncing"] is None


def test_a_broken_search_context_stops_at_its_last_written_page_and_resumes_there(box, tap):
    box.api.options.broken = {"search:conversation": "nodata@2"}  # two search pages, then no data
    catalog = selected_catalog({"conversations", "customers", "tags", "messages"})
    first = tap(sandbox_config(box, page_size=50), catalog, check=False)
    assert first.returncode == 3 and "CRITICAL conversations: " in first.stderr
    assert_complete(box, first, ["customers", "tags", "messages"])
    written = first.records("conversations")
    mark = first.last_state["bookmarks"]["conversations"]
    assert written and max(r["updated_at"] for r in written) == mark["updated_at"]  # its last written page
    every = {r["id"]: r["attributes"]["updatedAt"] for r in box.store.resources["conversations"]}
    assert {r["id"] for r in written} == {i for i, at in every.items() if at <= mark["updated_at"]}
    assert outcomes(first)["conversations"][:1] == ("failed",)

    box.api.options.broken = {}
    second = tap(sandbox_config(box, page_size=50), catalog, first.last_state)
    again = set(first.ids("conversations")) & set(second.ids("conversations"))
    assert set(first.ids("conversations")) | set(second.ids("conversations")) == in_scope(box, "conversations")
    assert not again  # the bookmark names the ids written at its instant: nothing comes twice
    for name in ("customers", "messages", "tags"):  # the streams that completed read nothing older
        bookmark = first.last_state["bookmarks"][name]["updated_at"]
        assert all(r["updated_at"] >= bookmark for r in second.records(name)), name
    assert outcomes(second)["conversations"][:1] == ("complete",) and second.returncode == 0


def test_a_broken_child_leaves_its_parent_complete(box, tap):
    box.api.options.broken = {"/v1/schedules/*": "500"}  # each schedule's holidays
    run = tap(
        sandbox_config(box, **FAST), selected_catalog({"business_schedules", "business_holidays", "tags"}), check=False
    )
    assert run.returncode == 3
    assert_complete(box, run, ["business_schedules", "tags"])
    status, reason, _, requests = outcomes(run)["business_holidays"]
    assert status == "failed" and "HTTP 500" in reason and requests >= 2  # its own requests, retried
    assert "business_holidays" not in run.last_state["bookmarks"]
    assert critical(run).startswith("CRITICAL business_holidays: ")


def test_a_broken_parent_ends_its_children(box, tap):
    box.api.options.broken = {"/v1/teams": "500"}
    run = tap(sandbox_config(box, **FAST), selected_catalog({"teams", "team_members", "tags", "users"}), check=False)
    assert run.returncode == 3
    assert_complete(box, run, ["tags", "users"])
    table = outcomes(run)
    assert table["teams"][0] == "failed" and "HTTP 500" in table["teams"][1]
    assert table["team_members"][:2] == ("failed", "its parent teams failed")
    assert "2 of 4 streams did not complete" in critical(run)


def test_a_401_on_one_path_is_a_missing_role_not_a_rejected_token(box, tap):
    box.api.options.broken = {"/v1/tags": "401"}
    run = tap(sandbox_config(box), selected_catalog({"tags", "users"}), check=False)
    assert run.returncode == 3 and outcomes(run)["tags"][0] == "failed"
    assert_complete(box, run, ["users"])
    skipped = tap(sandbox_config(box, skip_forbidden_streams=True), selected_catalog({"tags", "users"}))
    status, reason, _, _ = outcomes(skipped)["tags"]
    assert status == "skipped" and reason.startswith("no read role, and skip_forbidden_streams is true: HTTP 401")


def test_a_token_revoked_mid_run_stops_every_stream(tap):
    box = make_sandbox(token_revoked_after=6)
    try:
        names = {"customers", "conversations", "messages", "tags", "users", "brands"}
        run = tap(sandbox_config(box, page_size=20, max_concurrent_streams=1), selected_catalog(names), check=False)
        assert run.returncode == 1
        assert "the API token was rejected mid-run" in critical(run)
        table = outcomes(run)
        assert set(table) == names and "not started" in {row[0] for row in table.values()}
        assert all(row[0] in ("complete", "stopped", "not started") for row in table.values())
    finally:
        box.stop()


def test_an_outage_stops_the_run_rather_than_each_stream_in_turn(tap):
    box = make_sandbox(outage_after=8, outage_seconds=600)
    try:
        names = {"customers", "conversations", "messages", "notes", "tags", "users", "brands", "queues"}
        began = time.monotonic()
        run = tap(sandbox_config(box, page_size=20, max_retry_seconds=2), selected_catalog(names), check=False)
        assert run.returncode == 1 and time.monotonic() - began < 20  # not 8 streams x max_retry_seconds
        line = critical(run)
        assert "The whole API is down, not one stream's path" in line and "HTTP 503" in line
        assert not any(row[0] == "failed" for row in outcomes(run).values())
    finally:
        box.stop()


@pytest.mark.parametrize("mode", ["404", "403", "500", "nodata"])
def test_a_klass_without_metadata_leaves_every_other_klass_typed(box, tap, mode):
    box.api.options.broken = {"/v1/metadata/kobject.device": mode}
    run = tap(sandbox_config(box, **FAST), args=["--discover"])
    assert warned(run) == ["WARNING klass 'device': cannot read its custom attribute definitions"]
    streams = catalog_properties(run)
    box.api.options.broken = {}
    whole = catalog_properties(tap(sandbox_config(box), args=["--discover"]))
    assert streams["kobjects_device"]["custom"] == OPEN
    for name in ("kobjects_order", "kobjects_subscription", "customers", "conversations"):
        assert streams[name]["custom"] == whole[name]["custom"] and streams[name]["custom"]["properties"], name
    merged = streams["kobjects"]["custom"]
    assert merged["additionalProperties"] is True  # device's attributes pass through untyped
    others = [
        props["custom"] for name, props in streams.items() if name.startswith("kobjects_") and "device" not in name
    ]
    assert set(merged["properties"]) == {field for custom in others for field in custom.get("properties", {})}
    assert set(whole["kobjects_device"]["custom"]["properties"]) - set(merged["properties"])  # device's own: untyped


def test_a_resource_without_metadata_leaves_the_others_typed(box, tap):
    box.api.options.broken = {"/v1/metadata/conversation": "500"}
    run = tap(sandbox_config(box, **FAST), args=["--discover"])
    assert warned(run) == ["WARNING conversations: cannot read its custom attribute definitions"]
    streams = catalog_properties(run)
    assert streams["conversations"]["custom"] == OPEN and streams["customers"]["custom"]["properties"]


def test_the_archive_is_asked_for_every_context_note_included(box, tap):
    """Kustomer's archive docs do not name note (nor conversation_time, work_item, work_session):
    asked all the same, an archive that serves them reads every record."""
    run = tap(sandbox_config(box), selected_catalog({"notes", "customers"}))
    asked = {x for x in box.api.requests if x == "POST /v1/customers/archive/search"}
    assert asked and not [line for line in run.stderr.splitlines() if line.startswith("WARNING")]
    old = [r for r in box.store.resources["notes"] if r["attributes"]["updatedAt"] < box.store.boundary()]
    assert old and set(run.ids("notes")) == {r["id"] for r in box.store.resources["notes"]}
    assert set(run.ids("customers")) == {r["id"] for r in box.store.resources["customers"]}  # from the archive too
    assert outcomes(run)["notes"][0] == "complete" and run.returncode == 0


def test_the_archive_refusing_a_context_leaves_that_stream_partial_by_name(box, tap):
    box.api.options.archive_refuses_contexts = ("message",)  # one it documents, refused all the same
    run = tap(sandbox_config(box), selected_catalog({"messages", "customers"}), check=False)
    refusals = [line for line in run.stderr.splitlines() if "to queryContext 'message'" in line]
    assert refusals[0].startswith("WARNING messages: the archive search answered HTTP 400 to queryContext 'message'")
    assert "UNCONFIRMED fact archive-context: the archive search takes" in refusals[0]
    boundary = box.store.boundary()
    reachable = {r["id"] for r in box.store.resources["messages"] if r["attributes"]["updatedAt"] >= boundary}
    assert set(run.ids("messages")) == reachable and len(reachable) < len(box.store.resources["messages"])
    assert set(run.ids("customers")) == {r["id"] for r in box.store.resources["customers"]}
    table = outcomes(run)
    assert table["messages"][0] == "partial" and table["messages"].facts == ("archive-context",)
    assert table["customers"][0] == "complete" and run.returncode == 3
    assert "(UNCONFIRMED fact archive-context)" in critical(run)


def test_the_connection_test_judges_each_stream_as_the_sync_would_and_prints_one_table(box, tap):
    box.api.options.broken = {"/v1/routing/queues": "nodata", "search:note": "500"}
    run = tap(sandbox_config(box, **FAST), args=["--test"], check=False)
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    table = lines[lines.index("| stream | readable |") :]
    assert len(table) == 2 + len(STREAMS) and all(line.startswith("|") for line in table)  # one block
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip() for line in table[2:]}
    assert rows["queues"].startswith("NO: ") and "without a 'data' list" in rows["queues"]
    assert rows["notes"].startswith("NO: ") and "HTTP 500" in rows["notes"]
    assert sum(answer == "yes" for answer in rows.values()) == len(STREAMS) - 2
    assert "METRIC" not in run.stderr  # request timings are for DEBUG here
    debug = tap(sandbox_config(box, **FAST, log_level="DEBUG"), args=["--test"], check=False)
    assert "INFO METRIC: " in debug.stderr


def test_discovery_prints_no_request_metrics_at_the_default_level(box, tap):
    run = tap(sandbox_config(box), args=["--discover"])
    assert catalog_properties(run) and "METRIC" not in run.stderr


@pytest.mark.parametrize(
    "base_url, words",
    [
        ("http://127.0.0.1:1", "the connection was refused: check 'base_url'"),
        ("https://tap-kustomer-sandbox.invalid", "its host name does not resolve: check 'base_url'"),
    ],
)
@pytest.mark.parametrize("flag", ["--discover", "--test", None])
def test_a_wrong_address_fails_in_seconds_with_the_setting_named(tap, base_url, words, flag):
    config = {"api_token": "tok-SECRET-unreached", "start_date": "2024-01-01", "base_url": base_url}
    began = time.monotonic()
    run = tap(config, selected_catalog({"tags"}) if flag is None else None, args=[flag] if flag else [], check=False)
    assert time.monotonic() - began < 30 and run.returncode == 1
    line = critical(run)
    assert f"cannot reach the Kustomer API at {base_url} (from config 'base_url')" in line and words in line
    assert "retry" not in run.stderr and "tok-SECRET" not in run.stderr + run.stdout


def test_a_record_the_tap_cannot_read_costs_its_stream_only(box, tap):
    broken = box.store.resources["tags"][7]
    broken["attributes"] = ["not", "an", "object"]  # no API sends this; the tap must not fall over on it
    run = tap(sandbox_config(box), selected_catalog({"tags", "users", "brands"}), check=False)
    assert run.returncode == 3
    status, reason, _, _ = outcomes(run)["tags"]
    assert status == "failed" and reason.startswith("AttributeError")
    assert "ERROR tags: an unexpected error; please report this with the log" in run.stderr  # with its traceback
    assert_complete(box, run, ["users", "brands"])
    assert "tags" not in run.last_state["bookmarks"]
