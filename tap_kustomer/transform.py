"""From a Kustomer JSON:API resource to the record the target sees, in one pass.

The schema is compiled once per stream into nested closures. Each walks the API's camelCase
data, renames keys to snake_case (cached), conforms values to the schema's types and counts
what it had to leave out, so the run can report it once per stream.
"""

import re
from collections import Counter

from tap_kustomer.timeutil import conform_datetime

_CAMEL_1 = re.compile(r"(.)([A-Z][a-z]+)")
_CAMEL_2 = re.compile(r"([a-z0-9])([A-Z])")
_SNAKE_CACHE = {}
_SNAKE_CACHE_MAX = 200_000


def snake(key):
    """messageCountByChannel -> message_count_by_channel, brandStr -> brand_str, HTTPCode -> http_code."""
    found = _SNAKE_CACHE.get(key)
    if found is None:
        found = _CAMEL_2.sub(r"\1_\2", _CAMEL_1.sub(r"\1_\2", key)).lower()
        if len(_SNAKE_CACHE) < _SNAKE_CACHE_MAX:
            _SNAKE_CACHE[key] = found
    return found


def snake_deep(value):
    """A free-form value with every object key in snake_case."""
    if isinstance(value, dict):
        return {snake(k): snake_deep(v) for k, v in value.items()}
    if isinstance(value, list):
        return [snake_deep(v) for v in value]
    return value


class Invalid(Exception):
    """A value that does not fit its schema; the caller leaves it out and counts it."""


_INVALID = Invalid()
_SKIP = object()  # a known property the catalog did not select


def _types(schema):
    kind = schema.get("type")
    if kind is None:
        return set()
    return {kind} if isinstance(kind, str) else set(kind)


def _scalar(types, schema):
    """A conformer for a leaf: string (maybe date-time), integer, number, boolean."""
    nullable = "null" in types
    if "string" in types and schema.get("format") == "date-time":

        def conform(value, report, path):
            if value is None and nullable:
                return None
            if isinstance(value, str):
                try:
                    return conform_datetime(value)
                except ValueError:
                    pass
            raise _INVALID

        return conform

    accept = []
    if "string" in types:
        accept.append(str)
    if "boolean" in types:
        accept.append(bool)
    if "number" in types:
        accept.extend((int, float))
    accepted = tuple(accept)
    wants_int = "integer" in types
    wants_number = (wants_int or "number" in types) and str not in accepted

    def conform(value, report, path):
        if value is None:
            if nullable:
                return None
            raise _INVALID
        if isinstance(value, bool):
            if bool in accepted:
                return value
            raise _INVALID
        if isinstance(value, accepted):
            return value
        if wants_int:
            if isinstance(value, int):
                return value
            if isinstance(value, float) and value.is_integer():
                return int(value)
        if wants_number and isinstance(value, str):  # "12.5" in a number field: a number, written as text
            return _number_from_text(value, wants_int and float not in accepted)
        raise _INVALID

    return conform


def _number_from_text(text, integer_only):
    try:
        number = float(text)
    except ValueError:
        raise _INVALID from None
    if number != number or number in (float("inf"), float("-inf")):
        raise _INVALID
    if integer_only or (number.is_integer() and "." not in text and "e" not in text.lower()):
        if not number.is_integer():
            raise _INVALID
        return int(number)
    return number


def _free(value, report, path):
    return snake_deep(value)


def compile_schema(schema, selected=None):
    """A conformer function(value, report, path) for schema; selected limits an object's top level."""
    types = _types(schema)
    nullable = "null" in types or not types
    if "object" in types and "properties" in schema:
        return _object(schema, nullable, selected)
    if "object" in types or not types:
        if types - {"object", "null"}:  # object or scalar: keep whatever fits
            return _scalar(types, schema)

        def conform_open(value, report, path):
            if value is None and nullable:
                return None
            if types and not isinstance(value, dict):
                raise _INVALID
            return snake_deep(value)

        return conform_open if types else _free
    if "array" in types:
        return _array(schema, nullable)
    return _scalar(types, schema)


def _array(schema, nullable):
    item = compile_schema(schema.get("items") or {})

    def conform(value, report, path):
        if value is None and nullable:
            return None
        if not isinstance(value, list):
            raise _INVALID
        out = []
        item_path = path + "[]"
        for element in value:
            try:
                out.append(item(element, report, item_path))
            except Invalid:
                report.invalid[item_path] += 1
        return out

    return conform


def _object(schema, nullable, selected):
    props = schema["properties"]
    conformers = {name: compile_schema(sub) for name, sub in props.items()}
    keep_extra = schema.get("additionalProperties") is True
    keys = {}  # source key -> (target key, conformer or _SKIP or None for unknown)

    def resolve(key):
        name = snake(key)
        if name in conformers:
            entry = (name, conformers[name] if selected is None or name in selected else _SKIP)
        else:
            entry = (name, None)
        keys[key] = entry
        return entry

    def conform(value, report, path):
        if value is None and nullable:
            return None
        if not isinstance(value, dict):
            raise _INVALID
        return fill({}, value, report, path)

    def fill(out, value, report, path):
        prefix = path + "." if path else ""
        for key, item in value.items():
            entry = keys.get(key) or resolve(key)
            name, fn = entry
            if fn is None:
                if keep_extra:
                    out[name] = snake_deep(item)
                else:
                    report.unknown[prefix + name] += 1
                continue
            if fn is _SKIP:
                continue
            try:
                out[name] = fn(item, report, prefix + name)
            except Invalid:
                report.invalid[prefix + name] += 1
        return out

    conform.fill = fill
    conform.conformers = conformers
    return conform


class Report:
    """What a stream's records carried that the schema could not take, counted by path."""

    def __init__(self):
        self.unknown = Counter()
        self.invalid = Counter()

    def summary(self, limit=20):
        parts = []
        for label, counter in (
            ("not in schema, dropped", self.unknown),
            ("not of the schema's type, left out", self.invalid),
        ):
            if counter:
                items = ", ".join(f"{p} x{n}" for p, n in counter.most_common(limit))
                more = f" and {len(counter) - limit} more" if len(counter) > limit else ""
                parts.append(f"{label}: {items}{more}")
        return "; ".join(parts)


class RecordMaker:
    """Compiled once per stream: resource -> record, honouring the catalog's field selection."""

    def __init__(self, schema, selected=None, derive=None):
        self.report = Report()
        self._top = _object(schema, False, selected)
        self._fill = self._top.fill
        self._selected = selected
        self._names = set(schema["properties"])
        self._derive = derive

    def _wants(self, name):
        return name in self._names and (self._selected is None or name in self._selected)

    def __call__(self, resource):
        report = self.report
        record = {"id": resource["id"]}
        rtype = resource.get("type")
        if self._wants("type"):
            record["type"] = rtype
        attributes = resource.get("attributes")
        if attributes:
            self._fill(record, attributes, report, "")
        relationships = resource.get("relationships")
        if relationships:
            for name, rel in relationships.items():
                data = rel.get("data") if isinstance(rel, dict) else None
                if data is None:
                    continue
                key = snake(name)
                if key in record:
                    continue
                if isinstance(data, list):
                    value = [{"type": d.get("type"), "id": d.get("id")} for d in data if isinstance(d, dict)]
                elif isinstance(data, dict):
                    value = {"type": data.get("type"), "id": data.get("id")}
                else:
                    report.invalid["relationships." + key] += 1
                    continue
                self._fill(record, {key: value}, report, "")
        links = resource.get("links")
        if links is not None and self._wants("links"):
            self._fill(record, {"links": links}, report, "")
        if self._derive:
            self._derive(record, resource, self._wants)
        return record
