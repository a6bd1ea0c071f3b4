"""Each org's own custom attributes, read from the metadata API and typed into the `custom` schemas.

Kustomer names custom attributes with a suffix that says their type (`brandStr`, `totalNum`,
`renewsAt`, ...), and `GET /v1/metadata/{resource}` describes each one. Discovery turns those
definitions into JSON schema; where a definition does not say its type, the suffix does.
"""

import logging

from tap_kustomer.errors import KustomerError, RateLimitError
from tap_kustomer.streams.metadata import attribute_definitions, klass_names
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


def merge_custom(schemas, open_klasses=False):
    """The union of several `custom` schemas (one per klass), widening conflicts. With open_klasses
    (some klass's attributes could not be read), attributes no schema names are kept untyped."""
    merged = {}
    for schema in schemas:
        for name, sub in schema["properties"].items():
            merged[name] = widen(merged[name], sub) if name in merged else sub
    out = {"type": ["null", "object"], "properties": dict(sorted(merged.items()))}
    if open_klasses:
        out["additionalProperties"] = True
    return out


def _read(what, read, advice):
    """read(), or None with one WARNING naming `what` when the API cannot answer it (a missing
    role, a 404, a fault past the retries, an answer of the wrong shape). The org's rate budget
    used up stops discovery: every other request would meet it too."""
    try:
        return read()
    except RateLimitError:
        raise
    except KustomerError as exc:
        LOGGER.warning("%s: cannot read its custom attribute definitions (%s); %s", what, exc, advice)
        return None


def discover_custom(client, resources):
    """(stream -> `custom` schema, klass -> `custom` schema) for {stream: metadata resource}:
    kobjects' is the union over every klass, and each klass's own is kept for its own stream.

    What cannot be read costs only itself: a resource whose definitions the API will not give
    keeps an open `custom` (every key passed through), a klass whose definitions it will not give
    keeps an open one in its own stream and adds no types to kobjects; each says so at WARNING."""
    found, klasses = {}, {}
    role = "give the API key the metadata read role"
    for stream, resource in resources.items():
        if resource != "kobject":
            properties = _read(
                stream,
                lambda r=resource: attribute_definitions(client, r),
                f"`custom` stays untyped. To type it, {role}",
            )
            if properties is not None:
                found[stream] = custom_schema(properties)
            continue
        names = _read(
            f"{stream} (listing the klasses)",
            lambda: klass_names(client),
            "`custom` stays untyped and no kobjects_<klass> stream is discovered. To type it, also give the klass read role",
        )
        if names is None:
            continue
        typed = []
        for name in names:
            properties = _read(
                f"klass {name!r}",
                lambda n=name: attribute_definitions(client, f"kobject.{n}"),
                f"its own stream keeps an untyped `custom`, and kobjects passes its attributes through untyped; "
                f"every other klass keeps its types. To type it, {role}",
            )
            klasses[name] = OPEN if properties is None else custom_schema(properties)
            if properties is not None:
                typed.append(klasses[name])
        found[stream] = merge_custom(typed, open_klasses=len(typed) < len(names)) if typed or not names else OPEN
    return found, klasses
