"""Discovery (the catalog, derived from the stream declarations and schema files) and reading
the catalog a user hands back, with its selections."""

import json
from dataclasses import dataclass
from importlib import resources

from tap_kustomer.custom import discover_custom
from tap_kustomer.errors import InputError
from tap_kustomer.streams import STREAMS


def load_schema(name):
    return json.loads(resources.files("tap_kustomer").joinpath("schemas", f"{name}.json").read_text("utf-8"))


def stream_metadata(stream, schema):
    automatic = set(stream.key_properties) | {stream.replication_key}
    entries = [
        {
            "breadcrumb": [],
            "metadata": {
                "table-key-properties": list(stream.key_properties),
                "valid-replication-keys": [stream.replication_key],
                "forced-replication-method": "INCREMENTAL",
                "inclusion": "available",
            },
        }
    ]
    for field in schema["properties"]:
        if field in automatic:
            md = {"inclusion": "automatic"}
        else:
            md = {"inclusion": "available", "selected-by-default": True}
        entries.append({"breadcrumb": ["properties", field], "metadata": md})
    return entries


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
    if not isinstance(entry, dict):
        raise InputError(f"catalog stream #{position} is not an object: rediscover with --discover")
    name = entry.get("tap_stream_id") or entry.get("stream")
    if name not in STREAMS:
        raise InputError(f"catalog names an unknown stream {name!r}: streams are {', '.join(sorted(STREAMS))}")
    schema = entry.get("schema")
    if (
        not isinstance(schema, dict)
        or not isinstance(schema.get("properties"), dict)
        or "id" not in schema["properties"]
    ):
        raise InputError(
            f"catalog stream '{name}' has no usable schema (an object with properties incl. id): rediscover"
        )
    raw_metadata = entry.get("metadata") or []
    if not isinstance(raw_metadata, list):
        raise InputError(f"catalog stream '{name}' metadata must be a list: rediscover with --discover")
    md = {}
    for item in raw_metadata:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("breadcrumb"), list)
            or not isinstance(item.get("metadata"), dict)
        ):
            raise InputError(f"catalog stream '{name}' has a metadata entry without breadcrumb/metadata: rediscover")
        md[tuple(item["breadcrumb"])] = item["metadata"]
    return name, schema, md


def _selected_fields(name, schema, md, stream):
    fields = {crumb[1]: meta for crumb, meta in md.items() if len(crumb) == 2 and crumb[0] == "properties"}
    missing = sorted(set(fields) - set(schema["properties"]))
    if missing:
        raise InputError(
            f"catalog stream '{name}' selects fields missing from its schema: {', '.join(missing)}; rediscover"
        )
    if not any("selected" in meta for meta in fields.values()):
        return None
    always = set(stream.key_properties) | {stream.replication_key}
    chosen = set()
    for field in schema["properties"]:
        meta = fields.get(field, {})
        if (
            field in always
            or meta.get("inclusion") == "automatic"
            or meta.get("selected") is True
            or ("selected" not in meta and meta.get("selected-by-default"))
        ):
            chosen.add(field)
    return chosen & set(schema["properties"])


def selected_streams(catalog, currently_syncing=None):
    """The selected streams, in catalog order, the interrupted one (currently_syncing) first."""
    if not isinstance(catalog, dict) or not isinstance(catalog.get("streams"), list):
        raise InputError("the catalog must be a JSON object with a 'streams' list: create one with --discover")
    chosen = []
    for position, entry in enumerate(catalog["streams"]):
        name, schema, md = _read_entry(entry, position)
        top = md.get((), {})
        if not (top.get("selected") is True or (top.get("selected") is None and schema.get("selected") is True)):
            continue
        fields = _selected_fields(name, schema, md, STREAMS[name])
        emitted = (
            schema
            if fields is None
            else {**schema, "properties": {k: v for k, v in schema["properties"].items() if k in fields}}
        )
        chosen.append(SelectedStream(name, schema, fields, emitted))
    chosen.sort(key=lambda s: s.name != currently_syncing)
    return chosen
