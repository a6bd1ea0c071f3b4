"""The tap-kustomer command against the local sandbox: full, incremental, killed and resumed, selected."""

import json
import re
import signal
import subprocess

import jsonschema
import pytest
from conftest import (
    BOOKMARKED,
    TAP,
    in_scope,
    make_sandbox,
    record_keys,
    sandbox_config,
    selected_catalog,
    write_json,
)

from tap_kustomer.sandbox.store import DataOptions
from tap_kustomer.streams import STREAMS

RFC3339_UTC = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")


def date_time_values(schema, value, path=""):
    """(path, value) for every value the schema marks format date-time."""
    if value is None:
        return
    if schema.get("format") == "date-time":
        yield path, value
    elif isinstance(value, dict) and "properties" in schema:
        for key, sub in schema["properties"].items():
            if key in value:
                yield from date_time_values(sub, value[key], f"{path}.{key}")
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            yield from date_time_values(schema["items"], item, path + "[]")


def test_full_sync_of_every_stream_validates(sandbox, tap):
    run = tap(sandbox_config(sandbox), selected_catalog())
    schemas = run.schemas()
    assert set(schemas) == set(STREAMS)
    seen_schema = set()
    for message in run.messages:  # SCHEMA comes before the first RECORD of its stream
        if message["type"] == "SCHEMA":
            seen_schema.add(message["stream"])
        elif message["type"] == "RECORD":
            assert message["stream"] in seen_schema
    for name in STREAMS:
        schema = schemas[name]["schema"]
        validator = jsonschema.Draft4Validator(schema)
        records = run.records(name)
        assert record_keys(name, records) == in_scope(sandbox, name), name
        assert len(records) == len(in_scope(sandbox, name)), name  # each once
        for record in records:
            errors = sorted(validator.iter_errors(record), key=str)
            assert not errors, f"{name} {record['id']}: {errors[0].message}"
            for path, value in date_time_values(schema, record):
                assert RFC3339_UTC.fullmatch(value), f"{name}{path} = {value!r}"
    assert "WARNING" not in run.stderr, run.stderr  # the sandbox's fields are all in the schemas
    state = run.last_state
    assert state["currently_syncing"] is None
    assert set(state["bookmarks"]) == BOOKMARKED
    assert f"INFO sync finished: {len(STREAMS)} complete" in run.stderr
    for name in STREAMS:  # the table that ends the run: each stream, its outcome, records, requests
        count = len(in_scope(sandbox, name))
        assert re.search(rf"^INFO {name} +complete +{count:,} +\d+$", run.stderr, re.M), name


def test_record_shape(sandbox, tap):
    run = tap(sandbox_config(sandbox), selected_catalog({"customers", "kobjects", "messages"}))
    source = {r["id"]: r for r in sandbox.store.resources["customers"]}
    record = next(r for r in run.records("customers") if source[r["id"]]["attributes"].get("conversationCounts"))
    raw = source[record["id"]]
    assert record["type"] == "customer"
    assert record["conversation_counts"] == raw["attributes"]["conversationCounts"]
    assert record["links"] == raw["links"]
    assert record["org"] == {"type": "org", "id": raw["relationships"]["org"]["data"]["id"]}
    assert "messages" not in record  # a links-only relationship is dropped
    kobject = run.records("kobjects")[0]
    assert kobject["type"] == f"kobject.{kobject['klass_name']}"
    # custom attribute keys come out in snake_case too
    customs = [r["custom"] for r in run.records("customers") if r.get("custom")]
    assert customs and all(k == k.lower() for c in customs for k in c)


def test_deactivated_users_and_deleted_records_arrive(sandbox, tap):
    run = tap(sandbox_config(sandbox), selected_catalog({"users", "customers"}))
    users = run.records("users")
    assert any(u.get("deleted_at") for u in users) and any(not u.get("deleted_at") for u in users)
    assert any(c.get("deleted") is True for c in run.records("customers"))


def test_incremental_run_emits_only_what_changed(tap):
    box = make_sandbox()
    try:
        config = sandbox_config(box)
        catalog = selected_catalog({"customers", "tags", "notes"})
        first = tap(config, catalog)
        state = first.last_state
        touched = {name: [r["id"] for r in box.store.resources[name][5:8]] for name in ("customers", "tags")}
        for name, ids in touched.items():
            for rid in ids:
                box.store.touch(name, rid)
        second = tap(config, catalog, state)
        for name in ("customers", "notes"):  # search streams: exactly what changed
            assert sorted(second.ids(name)) == sorted(touched.get(name, [])), name
        mark = state["bookmarks"]["tags"]["updated_at"]  # a list stream: also what shares its bookmark's instant
        at_mark = {r["id"] for r in box.store.resources["tags"] if r["attributes"]["updatedAt"] == mark}
        assert set(second.ids("tags")) == set(touched["tags"]) | at_mark
        for name, mark in second.last_state["bookmarks"].items():
            assert mark["updated_at"] >= state["bookmarks"][name]["updated_at"]
    finally:
        box.stop()


def test_killed_run_resumes_from_last_state_with_nothing_missing(tmp_path):
    box = make_sandbox(search_latency=0.02)
    try:
        config = write_json(tmp_path / "config.json", sandbox_config(box, page_size=40, max_concurrent_streams=1))
        catalog = write_json(tmp_path / "catalog.json", selected_catalog({"customers", "messages", "tags"}))
        proc = subprocess.Popen(
            [*TAP, "-c", config, "--catalog", catalog], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
        )
        lines, states = [], 0
        for line in proc.stdout:
            lines.append(line)
            message = json.loads(line)
            if message["type"] == "STATE" and message["value"]["currently_syncing"] == "messages":
                states += 1
                if states == 4:  # a few pages into messages, customers done
                    proc.send_signal(signal.SIGKILL)
                    break
        proc.wait()
        first = [json.loads(line) for line in lines if line.strip()]
        state = [m["value"] for m in first if m["type"] == "STATE"][-1]
        assert state["currently_syncing"] == "messages"
        state_file = write_json(tmp_path / "state.json", state)
        done = subprocess.run(
            [*TAP, "-c", config, "--catalog", catalog, "-s", state_file],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        second = [json.loads(line) for line in done.stdout.splitlines()]
        assert next(m for m in second if m["type"] == "RECORD")["stream"] == "messages"  # resumed first
        for name in ("customers", "messages", "tags"):
            got = {m["record"]["id"] for m in first + second if m["type"] == "RECORD" and m["stream"] == name}
            assert got == in_scope(box, name), name
        # customers had finished: nothing of it comes again; of messages, at most the page in flight
        again = {m["record"]["id"] for m in second if m["type"] == "RECORD" and m["stream"] == "customers"}
        assert again == set()
        first_ids = {m["record"]["id"] for m in first if m["type"] == "RECORD" and m["stream"] == "messages"}
        second_ids = {m["record"]["id"] for m in second if m["type"] == "RECORD" and m["stream"] == "messages"}
        assert len(first_ids & second_ids) <= 40
    finally:
        box.stop()


def test_field_selection_and_unselected_streams(sandbox, tap):
    catalog = selected_catalog({"customers"})
    entry = next(s for s in catalog["streams"] if s["stream"] == "customers")
    for item in entry["metadata"][1:]:
        item["metadata"]["selected"] = item["breadcrumb"][1] in ("name", "emails")
    before = dict(sandbox.api.requests)
    run = tap(sandbox_config(sandbox), catalog)
    made = {k: v - before.get(k, 0) for k, v in sandbox.api.requests.items() if v != before.get(k, 0)}
    assert set(made) <= {"GET /v1/users/current", "POST /v1/customers/search", "POST /v1/customers/archive/search"}
    assert set(run.schemas()) == {"customers"}
    assert set(run.schemas()["customers"]["schema"]["properties"]) == {"id", "updated_at", "name", "emails"}
    assert {key for r in run.records() for key in r} <= {"id", "updated_at", "name", "emails"}
    assert len(run.records("customers")) == len(in_scope(sandbox, "customers"))


@pytest.mark.parametrize("page_size", [7, 60])
def test_search_reads_past_the_page_cap_and_through_ties(tap, page_size):
    data = DataOptions(counts={"customers": 900, "users": 3, "teams": 1}, tie_blocks=(40, 250, 13), seed=3)
    box = make_sandbox(page_cap=3, data=data)  # 3 pages per query at most, ties far larger than a page
    try:
        run = tap(sandbox_config(box, page_size=page_size), selected_catalog({"customers"}))
        ids = run.ids("customers")
        assert set(ids) == in_scope(box, "customers")
        assert len(ids) == len(set(ids))  # keyset paging writes nothing twice in one run
        requests = box.api.requests.get("POST /v1/customers/search", 0)
        floor = -(-len(ids) // page_size)
        assert requests <= floor * 1.2 + 10, (requests, floor)
    finally:
        box.stop()


def test_bookmark_never_passes_the_signpost(tap):
    box = make_sandbox(data=DataOptions(counts={"customers": 50, "users": 2}))
    try:
        fresh = box.store.touch("customers", box.store.resources["customers"][0]["id"])
        run = tap(sandbox_config(box, search_lag_seconds=600), selected_catalog({"customers"}))
        mark = run.last_state["bookmarks"]["customers"]["updated_at"]
        assert mark < fresh["attributes"]["updatedAt"]  # updated just now, inside the 600 s lag
        assert fresh["id"] in run.ids("customers")  # records past the signpost are still written
        assert len(run.records("customers")) == 50
    finally:
        box.stop()


def test_stdout_carries_only_singer_messages(sandbox, tap):
    run = tap(sandbox_config(sandbox), selected_catalog({"tags"}))
    assert {m["type"] for m in run.messages} == {"SCHEMA", "RECORD", "STATE"}
    assert "INFO tags: page 1" in run.stderr and "METRIC" in run.stderr


def test_discover_writes_only_the_catalog(sandbox, tap):
    run = tap(sandbox_config(sandbox), args=["--discover"])
    catalog = json.loads(run.stdout)
    klasses = {f"kobjects_{k['attributes']['name']}" for k in sandbox.store.klasses}
    assert sorted(s["stream"] for s in catalog["streams"]) == sorted(set(STREAMS) | klasses)
    assert run.stderr.count("CRITICAL") == 0
