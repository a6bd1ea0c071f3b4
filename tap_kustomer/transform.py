"""From a Kustomer JSON:API resource to the record the target sees, in one pass.

The schema is compiled once per stream into nested closures. Each walks the API's camelCase
data, renames keys to snake_case (cached), conforms values to the schema's types and counts
what it had to leave out, so the run can report it once per stream.
"""

import re
from collections import Counter

from tap_kustomer.timeutil import UTC_Z, conform_datetime

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
    kind = type(value)
    if kind is dict:
        return {snake(k): snake_deep(v) for k, v in value.items()}
    if kind is list:
        return [snake_deep(v) for v in value] if any(type(v) in _CONTAINERS for v in value) else value
    return value


_CONTAINERS = frozenset((dict, list))


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

        def conform(value):
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

    def conform(value):
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


def compile_schema(schema, report, path):
    """A conformer function(value) for the schema of the value at `path`: the conformed value, or
    Invalid. What it leaves out below itself, it counts in `report` under the full path."""
    types = _types(schema)
    nullable = "null" in types or not types
    if "object" in types and "properties" in schema:
        return _object(schema, nullable, None, report, path)
    if "object" in types and isinstance(schema.get("additionalProperties"), dict):
        return _map(schema["additionalProperties"], nullable, report, path)
    if "object" in types or not types:
        if types - {"object", "null"}:  # object or scalar: keep whatever fits
            return _scalar(types, schema)

        def conform_open(value):
            if value is None and nullable:
                return None
            if types and not isinstance(value, dict):
                raise _INVALID
            return snake_deep(value)

        return conform_open if types else snake_deep
    if "array" in types:
        return _array(schema, nullable, report, path)
    return _scalar(types, schema)


def _map(values, nullable, report, path):
    """A conformer for an object whose keys vary (e.g. a conversation's SLA metrics, one key per
    metric of its policy): every key kept, snake_cased, each value conformed to one schema."""
    value_path = path + ".*"
    conform_value = compile_schema(values, report, value_path)
    invalid = report.invalid

    def conform(value):
        if type(value) is not dict:
            if value is None and nullable:
                return None
            raise _INVALID
        out = {}
        for key, item in value.items():
            try:
                out[snake(key)] = conform_value(item)
            except Invalid:
                invalid[value_path] += 1
        return out

    return conform


_FAST_TYPES = {"string": str, "integer": int, "boolean": bool, "null": type(None)}
_DATE_TIME = object()  # entry kind: a date-time string, checked inline when already RFC 3339 UTC
_SCALARS = frozenset((str, int, float, bool, type(None)))  # what free items need no work for


def _array(schema, nullable, report, path):
    items = schema.get("items") or {}
    item_path = path + "[]"
    item = compile_schema(items, report, item_path)
    fill = getattr(item, "fill", None)  # items that are objects: filled directly, one call less each
    quick = _item_fast_path(items)
    invalid = report.invalid

    def conform(value):
        if type(value) is not list:
            if value is None and nullable:
                return None
            raise _INVALID
        if quick is not None:
            for element in value:
                if type(element) not in quick:
                    break
            else:
                return value  # nothing to change: the decoded list is ours to hand on
        out = []
        add = out.append
        for element in value:
            if fill is not None and type(element) is dict:
                add(fill({}, element))
                continue
            try:
                add(item(element))
            except Invalid:
                invalid[item_path] += 1
        return out

    return conform


def _fast_path(schema):
    """For a leaf whose values usually need no work: the exact types accepted as they are."""
    types = _types(schema)
    if not types or types - {"string", "integer", "number", "boolean", "null"}:
        return None
    if "string" in types and schema.get("format") == "date-time":
        return _DATE_TIME if types <= {"string", "null"} else None
    exact = {_FAST_TYPES[t] for t in types if t in _FAST_TYPES}
    if "number" in types:
        exact |= {int, float}
    return frozenset(exact)


def _item_fast_path(items):
    """For an array: the exact types of elements that need no work (None if each needs some)."""
    if not items:
        return _SCALARS
    quick = _fast_path(items)
    return None if quick is _DATE_TIME else quick


def _list_fast_path(schema):
    """For an array property whose elements usually need no work: their exact types, else None."""
    types = _types(schema)
    if "array" not in types or types - {"array", "null"}:
        return None
    return _item_fast_path(schema.get("items") or {})


def _structured(props):
    """Object properties with subfields: a null one is left out of the record (a target stores
    NULL either way), because singer-check-tap crashes on a null object whose subfields include a
    date-time, and users run their taps through it."""
    return frozenset(
        name for name, sub in props.items() if "object" in _types(sub) and isinstance(sub.get("properties"), dict)
    )


def _object(schema, nullable, selected, report, path):
    """A conformer for an object with properties, and its `fill(out, value)`, which writes the
    conformed properties of value into out."""
    props = schema["properties"]
    prefix = path + "." if path else ""
    conformers = {name: compile_schema(sub, report, prefix + name) for name, sub in props.items()}
    fast = {name: _fast_path(sub) for name, sub in props.items()}
    keep_extra = schema.get("additionalProperties") is True
    structured = _structured(props)
    utc_z = UTC_Z.fullmatch
    unknown, invalid = report.unknown, report.invalid
    lists = {name: _list_fast_path(sub) for name, sub in props.items()}
    keys = {}  # source key -> (target key, fast path, conformer or _SKIP or None, nested fill, list items, path)

    def resolve(key):
        name = snake(key)
        if name not in conformers:
            entry = (name, None, None, None, None, prefix + name)
        elif selected is not None and name not in selected:
            entry = (name, None, _SKIP, None, None, None)
        else:
            fn = conformers[name]
            nested = fn.fill if name in structured else None
            entry = (name, fast[name], fn, nested, lists[name], prefix + name)
        keys[key] = entry
        return entry

    def conform(value):
        if type(value) is not dict:
            if value is None and nullable:
                return None
            raise _INVALID
        return fill({}, value)

    def fill(out, value, _type=type, _str=str, _dict=dict, _list=list, _dt=_DATE_TIME, _skip=_SKIP):
        # the hot loop of the tap: locals only, and the common cases (a leaf or a list of leaves that
        # needs no work, a nested object) inline
        for key, item in value.items():
            try:
                name, quick, fn, nested, items, where = keys[key]
            except KeyError:
                name, quick, fn, nested, items, where = resolve(key)
            if quick is not None:
                if quick is _dt:
                    if item is None or (_type(item) is _str and utc_z(item)):
                        out[name] = item
                        continue
                elif _type(item) in quick:
                    out[name] = item
                    continue
            elif nested is not None:
                if _type(item) is _dict:
                    out[name] = nested({}, item)
                    continue
                if item is None:
                    continue  # see _structured
            elif items is not None:
                if _type(item) is _list:
                    for element in item:
                        if _type(element) not in items:
                            break
                    else:
                        out[name] = item  # the decoded list is ours to hand on
                        continue
            elif fn is _skip:
                continue
            elif fn is None:
                if keep_extra:
                    out[name] = snake_deep(item)
                else:
                    unknown[where] += 1
                continue
            try:
                out[name] = fn(item)
            except Invalid:
                invalid[where] += 1
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
    """Compiled once per stream: resource -> record, honouring the catalog's field selection.

    `aliases` maps an attribute's other spelling to the one the schema has (Kustomer's description
    spells a few names two ways): a value under the other spelling lands in the schema's field,
    unless the record also has that field with a value, which then wins."""

    def __init__(self, schema, selected=None, derive=None, aliases=None):
        self.report = Report()
        self._top = _object(schema, False, selected, self.report, "")
        self._fill = self._top.fill
        self._conformers = self._top.conformers
        self._plain_refs = _plain_refs(schema["properties"], selected)
        self._selected = selected
        self._names = set(schema["properties"])
        self._derive = derive
        self._want_type = self._wants("type")
        self._want_links = self._wants("links")
        self._aliases = tuple((aliases or {}).items())

    def _wants(self, name):
        return name in self._names and (self._selected is None or name in self._selected)

    def __call__(self, resource):
        rid = resource.get("id")
        record = {} if rid is None else {"id": rid}  # derived records (team members) have no id
        if self._want_type:
            record["type"] = resource.get("type")
        attributes = resource.get("attributes")
        if attributes:
            for other, name in self._aliases:
                if other in attributes:
                    attributes = _unalias(attributes, other, name)
            self._fill(record, attributes)
        relationships = resource.get("relationships")
        if relationships:
            self._relate(record, relationships)
        if self._want_links:
            links = resource.get("links")
            if links is not None:
                self._fill(record, {"links": links})
        if self._derive:
            self._derive(record, resource, self._wants)
        return record

    def _relate(self, record, relationships):
        """Each relationship that carries data, as {"type", "id"} (or a list of them) under its name."""
        plain, report = self._plain_refs, self.report
        for name, rel in relationships.items():
            data = rel.get("data") if type(rel) is dict else None
            if data is None:
                continue
            key = snake(name)
            if key in record:
                continue  # an attribute of the same name wins
            if type(data) is dict:
                kind, rid = data.get("type"), data.get("id")
                if key in plain and type(kind) is str and type(rid) is str:
                    record[key] = {"type": kind, "id": rid}  # already what the schema says: no check needed
                    continue
                value = {"type": kind, "id": rid}
            elif type(data) is list:
                value = [{"type": d.get("type"), "id": d.get("id")} for d in data if type(d) is dict]
            else:
                report.invalid[key] += 1
                continue
            fn = self._conformers.get(key)
            if fn is None:
                report.unknown[key] += 1
            elif self._selected is None or key in self._selected:
                try:
                    record[key] = fn(value)
                except Invalid:
                    report.invalid[key] += 1


def _unalias(attributes, other, name):
    """A copy of attributes with the value under `other` moved to `name` (where name has no value)."""
    moved = dict(attributes)
    value = moved.pop(other)
    if moved.get(name) is None:
        moved[name] = value
    return moved


_REF_PROPERTIES = {"type": {"type": ["null", "string"]}, "id": {"type": ["null", "string"]}}


def _plain_refs(props, selected):
    """Selected properties whose schema is exactly a {type, id} reference of nullable strings."""
    return frozenset(
        name
        for name, sub in props.items()
        if sub.get("properties") == _REF_PROPERTIES
        and "object" in _types(sub)
        and not sub.get("additionalProperties")
        and (selected is None or name in selected)
    )
