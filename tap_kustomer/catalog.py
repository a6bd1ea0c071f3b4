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
from tap_kustomer.streams import STREAMS, get_stream, klass_stream, stream_names

KLASS_KEY = "kustomer-klass"  # stream metadata: the klass a per-klass stream reads


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
    """The catalog. With a client, each org's custom attributes are typed into `custom`, and each
    klass gets a stream of its own (not selected by default); without one (the repo's
    catalog.json), `custom` is an open object and there are no per-klass streams."""
    customs, klasses = {}, {}
    if client is not None:
        client.get("/v1/users/current")  # the token and the region are right, before anything else
        resources = {n: s.metadata_resource for n, s in STREAMS.items() if s.metadata_resource}
        customs, klasses = discover_custom(client, resources)
    streams = []
    for name in sorted(STREAMS):
        schema = load_schema(name)
        if name in customs:
            schema["properties"]["custom"] = customs[name]
        streams.append(_entry(STREAMS[name], schema, select_all))
    for name, klass in sorted(stream_names(klasses).items()):
        schema = load_schema("kobjects")
        schema["properties"]["custom"] = klasses[klass]
        streams.append(_entry(klass_stream(name, klass), schema, select_all))
    return {"streams": streams}


def _entry(stream, schema, select_all):
    metadata = stream_metadata(stream, schema)
    top = metadata[0]["metadata"]
    if not stream.selected_by_default:
        top["selected-by-default"] = False
    if getattr(stream, "klass", None):
        top[KLASS_KEY] = stream.klass
    if select_all and stream.selected_by_default:
        top["selected"] = True
    return {
        "tap_stream_id": stream.name,
        "stream": stream.name,
        "schema": schema,
        "key_properties": list(stream.key_properties),
        "metadata": metadata,
    }


def catalog_klasses(catalog):
    """The klasses a catalog has a stream for, selected or not (a kobject of another is new since)."""
    out = set()
    for entry in catalog.get("streams", []) if isinstance(catalog, dict) else []:
        for item in entry.get("metadata") or [] if isinstance(entry, dict) else []:
            if isinstance(item, dict) and item.get("breadcrumb") == [] and isinstance(item.get("metadata"), dict):
                klass = item["metadata"].get(KLASS_KEY)
                if isinstance(klass, str):
                    out.add(klass)
    return out


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
    stream = _catalog_stream(name, entry)
    schema = entry.get("schema")
    keys = stream.key_properties
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


def _catalog_stream(name, entry):
    """The stream a catalog entry names: a declared one, or a klass's own (its klass in its metadata)."""
    if name in STREAMS:
        return STREAMS[name]
    klass = None
    for item in entry.get("metadata") or []:
        if isinstance(item, dict) and item.get("breadcrumb") == [] and isinstance(item.get("metadata"), dict):
            klass = item["metadata"].get(KLASS_KEY)
    if isinstance(name, str) and name.startswith("kobjects_") and isinstance(klass, str) and klass:
        return klass_stream(name, klass)
    raise InputError(f"catalog names an unknown stream {name!r}: streams are {', '.join(sorted(STREAMS))}")


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
        fields = _selected_fields(entry.tap_stream_id, schema, md, get_stream(entry.tap_stream_id))
        emitted = (
            schema
            if fields is None
            else {**schema, "properties": {k: v for k, v in schema["properties"].items() if k in fields}}
        )
        chosen.append(SelectedStream(entry.tap_stream_id, schema, fields, emitted))
    return chosen
