"""Discovery (the catalog, derived from the stream declarations and schema files) and reading
the catalog a user hands back, with its selections."""

import json
from dataclasses import dataclass
from importlib import resources

from singer import metadata
from singer.catalog import Catalog
from singer.utils import should_sync_field

from tap_kustomer.custom import discover_custom
from tap_kustomer.errors import InputError
from tap_kustomer.streams import STREAMS


def load_schema(name):
    return json.loads(resources.files("tap_kustomer").joinpath("schemas", f"{name}.json").read_text("utf-8"))


def stream_metadata(stream, schema):
    """singer-python's standard metadata for a stream, with its replication key automatic too
    (get_standard_metadata marks only the key properties) and every other field selected by default.
    A stream without a replication key is a full table."""
    key = stream.replication_key
    mdata = metadata.to_map(
        metadata.get_standard_metadata(
            schema=schema,
            key_properties=list(stream.key_properties),
            valid_replication_keys=[key] if key else None,
            replication_method="INCREMENTAL" if key else "FULL_TABLE",
        )
    )
    automatic = set(stream.key_properties) | ({key} if key else set())
    for field in schema["properties"]:
        if field in automatic:
            metadata.write(mdata, ("properties", field), "inclusion", "automatic")
        else:
            metadata.write(mdata, ("properties", field), "selected-by-default", True)
    return [{"breadcrumb": list(item["breadcrumb"]), "metadata": item["metadata"]} for item in metadata.to_list(mdata)]


def discover(client=None, select_all=False):
    """The catalog. With a client, each org's custom attributes are typed into `custom`;
    without one (the repo's catalog.json), `custom` is an open object."""
    customs = {}
    if client is not None:
        client.get("/v1/users/current")  # the token and the region are right, before anything else
        resources = {n: s.metadata_resource for n, s in STREAMS.items() if s.metadata_resource}
        customs = discover_custom(client, resources)
    streams = []
    for name in sorted(STREAMS):
        stream, schema = STREAMS[name], load_schema(name)
        if name in customs:
            schema["properties"]["custom"] = customs[name]
        metadata = stream_metadata(stream, schema)
        if select_all:
            metadata[0]["metadata"]["selected"] = True
        streams.append(
            {
                "tap_stream_id": name,
                "stream": name,
                "schema": schema,
                "key_properties": list(stream.key_properties),
                "metadata": metadata,
            }
        )
    return {"streams": streams}


@dataclass
class SelectedStream:
    name: str
    schema: dict  # the catalog's schema, used to conform records
    selected_fields: set  # top-level fields to emit, or None for all
    emitted_schema: dict  # the schema restricted to those fields, sent in SCHEMA


def _read_entry(entry, position):
    """The stream name, schema and metadata map of one catalog entry, checked."""
    if not isinstance(entry, dict):
        raise InputError(f"catalog stream #{position} is not an object: rediscover with --discover")
    name = entry.get("tap_stream_id") or entry.get("stream")
    if name not in STREAMS:
        raise InputError(f"catalog names an unknown stream {name!r}: streams are {', '.join(sorted(STREAMS))}")
    schema = entry.get("schema")
    keys = STREAMS[name].key_properties
    if (
        not isinstance(schema, dict)
        or not isinstance(schema.get("properties"), dict)
        or not all(key in schema["properties"] for key in keys)
    ):
        raise InputError(
            f"catalog stream '{name}' has no usable schema (an object with properties incl. "
            f"{', '.join(keys)}): rediscover"
        )
    raw_metadata = entry.get("metadata") or []
    if not isinstance(raw_metadata, list) or not all(
        isinstance(item, dict) and isinstance(item.get("breadcrumb"), list) and isinstance(item.get("metadata"), dict)
        for item in raw_metadata
    ):
        raise InputError(f"catalog stream '{name}' has a metadata entry without breadcrumb/metadata: rediscover")
    return name, schema, metadata.to_map(raw_metadata)


def _selected_fields(name, schema, md, stream):
    """The top-level fields to emit (None: all), as singer-python's should_sync_field decides."""
    fields = {crumb[1]: meta for crumb, meta in md.items() if len(crumb) == 2 and crumb[0] == "properties"}
    missing = sorted(set(fields) - set(schema["properties"]))
    if missing:
        raise InputError(
            f"catalog stream '{name}' selects fields missing from its schema: {', '.join(missing)}; rediscover"
        )
    if not any("selected" in meta for meta in fields.values()):
        return None
    always = set(stream.key_properties) | ({stream.replication_key} if stream.replication_key else set())
    return {
        field
        for field in schema["properties"]
        if field in always
        or should_sync_field(
            fields.get(field, {}).get("inclusion"),
            fields.get(field, {}).get("selected"),
            bool(fields.get(field, {}).get("selected-by-default")),
        )
    }


def selected_streams(catalog, state=None):
    """The selected streams, the interrupted one (state's currently_syncing) first, as singer-python's
    Catalog.get_selected_streams orders them."""
    if not isinstance(catalog, dict) or not isinstance(catalog.get("streams"), list):
        raise InputError("the catalog must be a JSON object with a 'streams' list: create one with --discover")
    entries = {}
    for position, entry in enumerate(catalog["streams"]):
        name, schema, md = _read_entry(entry, position)
        if name in entries:
            raise InputError(f"the catalog lists stream '{name}' twice: keep one entry")
        entries[name] = (schema, md)
    named = [{**entry, "tap_stream_id": name} for name, entry in zip(entries, catalog["streams"], strict=True)]
    try:
        parsed = Catalog.from_dict({"streams": named})
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        raise InputError(f"the catalog's schemas cannot be read ({type(exc).__name__}: {exc}): rediscover") from None
    chosen = []
    for entry in parsed.get_selected_streams(state or {}):
        schema, md = entries[entry.tap_stream_id]
        fields = _selected_fields(entry.tap_stream_id, schema, md, STREAMS[entry.tap_stream_id])
        emitted = (
            schema
            if fields is None
            else {**schema, "properties": {k: v for k, v in schema["properties"].items() if k in fields}}
        )
        chosen.append(SelectedStream(entry.tap_stream_id, schema, fields, emitted))
    return chosen
