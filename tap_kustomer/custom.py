"""Each org's own custom attributes, read from the metadata API and typed into the `custom` schemas.

Kustomer names custom attributes with a suffix that says their type (`brandStr`, `totalNum`,
`renewsAt`, ...), and `GET /v1/metadata/{resource}` describes each one. Discovery turns those
definitions into JSON schema; where a definition does not say its type, the suffix does.
"""

import logging

from tap_kustomer.errors import AuthError, ForbiddenError, NotFoundError
from tap_kustomer.streams.org import KLASS_STATUSES
from tap_kustomer.transform import snake

LOGGER = logging.getLogger("tap_kustomer")

DATE_TIME = {"type": ["null", "string"], "format": "date-time"}
DEFINED_TYPES = {
    "string": {"type": ["null", "string"]},
    "number": {"type": ["null", "number"]},
    "integer": {"type": ["null", "integer"]},
    "boolean": {"type": ["null", "boolean"]},
    "date": DATE_TIME,
    "datetime": DATE_TIME,
    "date-time": DATE_TIME,
}
SUFFIX_TYPES = (
    ("Bool", "boolean"),
    ("Num", "number"),
    ("At", "date"),
    ("Str", "string"),
    ("Txt", "string"),
    ("Tree", "string"),
    ("Url", "string"),
    ("Id", "string"),
)
OPEN = {"type": ["null", "object"], "additionalProperties": True}


def attribute_schema(name, definition):
    """The JSON schema of one custom attribute from its metadata definition."""
    kind = definition.get("type") if isinstance(definition, dict) else None
    base = DEFINED_TYPES.get(kind)
    if base is None:
        kind = next((k for suffix, k in SUFFIX_TYPES if name.endswith(suffix)), None)
        base = DEFINED_TYPES.get(kind, {})
    schema = dict(base)
    if isinstance(definition, dict) and definition.get("multi"):  # several values, e.g. linked object ids
        item = dict(base)
        if "type" in item:
            item["type"] = [t for t in item["type"] if t != "null"]
        schema = {"type": ["null", "array"], "items": item}
    notes = []
    if isinstance(definition, dict):
        if definition.get("displayName"):
            notes.append(str(definition["displayName"]))
        if isinstance(definition.get("enumeration"), list) and definition["enumeration"]:
            notes.append("one of: " + ", ".join(str(v) for v in definition["enumeration"]))
        if definition.get("target"):
            notes.append(f"links to {definition['target']}")
    if notes:
        schema["description"] = "; ".join(notes)
    return schema


def widen(a, b):
    """One schema that accepts what either accepts: conflicting custom types are widened, not dropped."""
    if a == b:
        return a
    if not a or not b:
        return {}
    types_a, types_b = a.get("type", []), b.get("type", [])
    if "array" in types_a or "array" in types_b:
        if types_a == types_b:
            return {"type": types_a, "items": widen(a.get("items", {}), b.get("items", {}))}
        return {}
    out = {"type": sorted(set(types_a) | set(types_b), key=["null", "boolean", "integer", "number", "string"].index)}
    if "number" in out["type"] and "integer" in out["type"]:
        out["type"].remove("integer")
    if a.get("format") == b.get("format") and a.get("format"):
        out["format"] = a["format"]
    descriptions = [d for d in (a.get("description"), b.get("description")) if d]
    if descriptions:
        out["description"] = descriptions[0] if len(set(descriptions)) == 1 else " | ".join(dict.fromkeys(descriptions))
    return out


def custom_schema(properties):
    """The `custom` object schema for a resource's attribute definitions."""
    return {
        "type": ["null", "object"],
        "properties": {snake(name): attribute_schema(name, spec) for name, spec in sorted(properties.items())},
    }


def merge_custom(schemas):
    """The union of several `custom` schemas (one per klass), widening conflicts."""
    merged = {}
    for schema in schemas:
        for name, sub in schema["properties"].items():
            merged[name] = widen(merged[name], sub) if name in merged else sub
    return {"type": ["null", "object"], "properties": dict(sorted(merged.items()))}


def _properties(client, resource):
    payload = client.get(f"/v1/metadata/{resource}")
    data = payload.get("data") if isinstance(payload, dict) else None
    attributes = data.get("attributes") if isinstance(data, dict) else None
    properties = attributes.get("properties") if isinstance(attributes, dict) else None
    return properties if isinstance(properties, dict) else {}


def _klass_names(client):
    """Every klass the org has, whatever its status (GET /v1/klasses lists enabled ones by default)."""
    names = []
    for status in KLASS_STATUSES:
        for payload in client.pages("/v1/klasses", {"page": 1, "pageSize": 100, "status": status}, "klasses"):
            for item in payload.get("data") or []:
                name = (item.get("attributes") or {}).get("name") if isinstance(item, dict) else None
                if isinstance(name, str) and name and name not in names:
                    names.append(name)
    return names


def discover_custom(client, resources):
    """(stream -> `custom` schema, klass -> `custom` schema) for {stream: metadata resource}:
    kobjects' is the union over every klass, and each klass's own is kept for its own stream.

    A stream whose metadata the API key may not read keeps an open `custom`, with a WARNING."""
    found, klasses = {}, {}
    for stream, resource in resources.items():
        try:
            if resource == "kobject":
                names = _klass_names(client)
                klasses.update((name, OPEN) for name in names)  # typed below, while the role allows
                for name in names:
                    klasses[name] = custom_schema(_properties(client, f"kobject.{name}"))
                found[stream] = merge_custom(klasses.values())
            else:
                found[stream] = custom_schema(_properties(client, resource))
        except (AuthError, ForbiddenError, NotFoundError) as exc:
            LOGGER.warning(
                "%s: cannot read its custom attribute definitions (%s); `custom` stays an untyped object. "
                "Give the API key the metadata read role%s to type it.",
                stream,
                exc,
                " and the klass read role" if resource == "kobject" else "",
            )
    return found, klasses
