"""scripts/load-duckdb, the DuckDB loader the dbt package reads with kustomer_loader: duckdb: every
record of every stream arrives (the first of each batch too: target-duckdb 0.8.0 loses it with
duckdb 1.3 and later), nested values land as JSON, a second run's updates replace the rows they
update, and a full table's ACTIVATE_VERSION drops the rows the table no longer has.

The loader installs its own virtualenv on first use (scripts/pipelines-setup.sh does it first in CI).
"""

import json
import subprocess

import pytest
from conftest import TAP, in_scope, make_sandbox, record_keys, sandbox_config, selected_catalog, write_json
from duck import LOAD_DUCKDB, load, query
from test_pipelines import tap_command

from tap_kustomer.sandbox.data.common import _ms
from tap_kustomer.streams import STREAMS


def keys_of(path, stream):
    key = ", ".join(STREAMS[stream].key_properties) if stream in STREAMS else "id"
    rows = query(path, f'select {key} from kustomer."{stream}"')
    return record_keys(stream, rows)


@pytest.fixture(scope="module")
def box():
    sandbox = make_sandbox()
    yield sandbox
    sandbox.stop()


def test_every_record_of_every_stream_arrives_in_small_batches_and_nested_values_are_json(box, tmp_path):
    path = tmp_path / "k.duckdb"
    states, stderr = load(tap_command(box, tmp_path), path, "kustomer", tmp_path, "--batch-rows", "7")
    loads = int(stderr.split(" records in ")[1].split(" loads")[0])
    assert loads > 300  # batches of 7: thousands of records, so hundreds of first records of a batch
    for name in STREAMS:
        assert keys_of(path, name) == in_scope(box, name), name
    for klass in ("order", "device", "subscription"):  # the per-klass streams the catalog selects too
        assert {r["id"] for r in query(path, f"select id from kustomer.kobjects_{klass}")} == {
            r["id"] for r in box.store.resources["kobjects"] if r["type"] == f"kobject.{klass}"
        }
    types = {
        r["column_name"]: r["data_type"]
        for r in query(
            path,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'kustomer' and table_name = 'customers'",
        )
    }
    assert types["emails"] == types["conversation_counts"] == types["custom"] == "JSON"
    assert types["updated_at"] == "TIMESTAMP WITH TIME ZONE" and types["_sdc_batched_at"] == "TIMESTAMP WITH TIME ZONE"
    sample = box.store.resources["customers"][3]
    (row,) = query(path, f"select emails, conversation_counts from kustomer.customers where id = '{sample['id']}'")
    assert row["emails"] == sample["attributes"]["emails"]
    assert row["conversation_counts"] == sample["attributes"]["conversationCounts"]
    assert states and states[-1]["currently_syncing"] is None  # STATE passed on once its records are in


def test_a_second_run_updates_rows_and_a_full_table_drops_what_it_no_longer_has(tmp_path):
    box = make_sandbox()
    path = tmp_path / "k.duckdb"
    config = write_json(tmp_path / "config.json", sandbox_config(box))
    catalog = write_json(tmp_path / "catalog.json", selected_catalog({"customers", "teams", "team_members"}))
    tap = [*TAP, "-c", config, "--catalog", catalog]
    try:
        states, _ = load(tap, path, "kustomer", tmp_path)
        touched = [r["id"] for r in box.store.resources["customers"][10:15]]
        for rid in touched:
            box.store.touch("customers", rid)
        team = next(t for t in box.store.resources["teams"] if len(t["attributes"]["members"]) > 1)
        gone = team["attributes"]["members"].pop()
        load(tap + ["--state", write_json(tmp_path / "state.json", states[-1])], path, "kustomer", tmp_path)

        rows = query(path, "select id, epoch_ms(updated_at) as updated_ms, _sdc_sequence from kustomer.customers")
        assert len(rows) == len({r["id"] for r in rows}) == len(in_scope(box, "customers"))  # upserted
        newest = {r["id"]: r["updated_ms"] for r in rows if r["id"] in touched}
        assert newest == {rid: _ms(box.store.get("customers", rid)["attributes"]["updatedAt"]) for rid in touched}
        later = min(r["_sdc_sequence"] for r in rows if r["id"] in touched)
        assert later > max(r["_sdc_sequence"] for r in rows if r["id"] not in touched)  # loaded after the others

        members = keys_of(path, "team_members")
        assert members == in_scope(box, "team_members") and (team["id"], gone) not in members
    finally:
        box.stop()


def test_a_message_the_loader_cannot_use_fails_the_load_with_a_message(tmp_path):
    record = {"type": "RECORD", "stream": "tags", "record": {"id": "t1"}}
    done = subprocess.run(
        [str(LOAD_DUCKDB), str(tmp_path / "k.duckdb"), "kustomer"],
        input=json.dumps(record) + "\n",
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1
    assert "CRITICAL load-duckdb: a RECORD for stream tags came before its SCHEMA" in done.stderr
