"""Discovery is derived from the stream declarations and the schema files, and reading it back."""

import json

import pytest
from conftest import ROOT

from tap_kustomer.catalog import discover, load_schema, selected_streams
from tap_kustomer.errors import InputError
from tap_kustomer.streams import STREAMS

NINE = {"conversations", "customers", "kobjects", "messages", "notes", "shortcuts", "tags", "teams", "users"}
COMPANIES_AND_DIMENSIONS = {
    "companies",
    "brands",
    "business_schedules",
    "business_holidays",
    "satisfaction_surveys",
    "klasses",
    "team_members",
    "role_groups",
}
ROUTING_SLAS_AND_AUDIT = {
    "queues",
    "routing_statuses",
    "team_routing_settings",
    "work_sessions",
    "slas",
    "sla_versions",
    "audit_logs",
}
HANDLING_AND_SETTINGS = {"conversation_times", "work_items", "attachments", "custom_attributes", "snoozes", "cards"}
HISTORY = {"conversation_events"}  # issue 25: every change of each changed conversation


def test_schema_files_and_registry_match():
    files = {p.stem for p in (ROOT / "tap_kustomer" / "schemas").glob("*.json")}
    assert (
        files
        == set(STREAMS)
        == NINE | COMPANIES_AND_DIMENSIONS | ROUTING_SLAS_AND_AUDIT | HANDLING_AND_SETTINGS | HISTORY
    )
    assert len(STREAMS) == 31
    for name, stream in STREAMS.items():
        props = load_schema(name)["properties"]
        for key in stream.key_properties:
            assert props[key] == {"type": "string"}, f"{name}.{key}"
        if stream.replication_key:
            assert props[stream.replication_key]["format"] == "date-time"
        for field, sub in props.items():
            if field not in stream.key_properties:
                kinds = sub.get("type", [])
                assert "null" in kinds, f"{name}.{field} must be nullable"
            if field.endswith("_at"):
                assert sub.get("format") == "date-time", f"{name}.{field}"
        if stream.parent:
            assert STREAMS[stream.parent].parent is None  # one level of families


def test_metadata_is_derived():
    for entry in discover()["streams"]:
        stream = STREAMS[entry["stream"]]
        top = entry["metadata"][0]
        assert top["breadcrumb"] == []
        keys, replication = list(stream.key_properties), stream.replication_key
        expected = {"table-key-properties": keys, "inclusion": "available"}
        if replication:
            expected.update({"valid-replication-keys": [replication], "forced-replication-method": "INCREMENTAL"})
        else:
            expected["forced-replication-method"] = "FULL_TABLE"
        if not stream.selected_by_default:  # attachments: a request per changed conversation
            expected["selected-by-default"] = False
        assert top["metadata"] == expected, entry["stream"]
        fields = {tuple(m["breadcrumb"]): m["metadata"]["inclusion"] for m in entry["metadata"][1:]}
        for field in keys + ([replication] if replication else []):
            assert fields[("properties", field)] == "automatic"
        assert set(fields.values()) <= {"automatic", "available"}
        assert len(fields) == len(entry["schema"]["properties"])
        assert entry["key_properties"] == keys


def test_repo_catalog_is_the_discovered_one_with_everything_selected():
    assert json.loads((ROOT / "catalog.json").read_text()) == discover(select_all=True)


def test_interrupted_stream_comes_first():
    names = [s.name for s in selected_streams(discover(select_all=True), {"currently_syncing": "notes"})]
    assert names[0] == "notes" and sorted(names) == sorted(n for n, s in STREAMS.items() if s.selected_by_default)


@pytest.mark.parametrize(
    "mutate, words",
    [
        (lambda c: c["streams"][0].update(tap_stream_id="orders", stream="orders"), "unknown stream 'orders'"),
        (
            lambda c: next(e for e in c["streams"] if e["stream"] == "tags")["metadata"].append(
                {"breadcrumb": ["properties", "nope"], "metadata": {"selected": True}}
            ),
            "fields missing from its schema: nope",
        ),
        (lambda c: c["streams"][0].update(schema={"type": "object"}), "no usable schema"),
        (lambda c: c.update(streams={}), "'streams' list"),
    ],
)
def test_bad_catalogs_are_refused(mutate, words):
    catalog = discover(select_all=True)
    mutate(catalog)
    with pytest.raises(InputError, match=words):
        selected_streams(catalog)
