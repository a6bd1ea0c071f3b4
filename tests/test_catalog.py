"""Discovery is derived from the stream declarations and the schema files, and reading it back."""

import json

import pytest
from conftest import ROOT

from tap_kustomer.catalog import discover, load_schema, selected_streams
from tap_kustomer.errors import InputError
from tap_kustomer.streams import STREAMS


def test_schema_files_and_registry_match():
    files = {p.stem for p in (ROOT / "tap_kustomer" / "schemas").glob("*.json")}
    assert (
        files
        == set(STREAMS)
        == {"conversations", "customers", "kobjects", "messages", "notes", "shortcuts", "tags", "teams", "users"}
    )
    for name in STREAMS:
        props = load_schema(name)["properties"]
        assert props["id"] == {"type": "string"}
        assert props["updated_at"]["format"] == "date-time"
        for field, sub in props.items():
            if field != "id":
                kinds = sub.get("type", [])
                assert "null" in kinds, f"{name}.{field} must be nullable"
            if field.endswith("_at"):
                assert sub.get("format") == "date-time", f"{name}.{field}"


def test_metadata_is_derived():
    for entry in discover()["streams"]:
        top = entry["metadata"][0]
        assert top["breadcrumb"] == []
        assert top["metadata"] == {
            "table-key-properties": ["id"],
            "valid-replication-keys": ["updated_at"],
            "forced-replication-method": "INCREMENTAL",
            "inclusion": "available",
        }
        fields = {tuple(m["breadcrumb"]): m["metadata"]["inclusion"] for m in entry["metadata"][1:]}
        assert fields[("properties", "id")] == fields[("properties", "updated_at")] == "automatic"
        assert set(fields.values()) == {"automatic", "available"}
        assert len(fields) == len(entry["schema"]["properties"])
        assert entry["key_properties"] == ["id"]


def test_repo_catalog_is_the_discovered_one_with_everything_selected():
    assert json.loads((ROOT / "catalog.json").read_text()) == discover(select_all=True)


def test_interrupted_stream_comes_first():
    names = [s.name for s in selected_streams(discover(select_all=True), {"currently_syncing": "notes"})]
    assert names[0] == "notes" and sorted(names) == sorted(STREAMS)


@pytest.mark.parametrize(
    "mutate, words",
    [
        (lambda c: c["streams"][0].update(tap_stream_id="orders", stream="orders"), "unknown stream 'orders'"),
        (
            lambda c: c["streams"][0]["metadata"].append(
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
