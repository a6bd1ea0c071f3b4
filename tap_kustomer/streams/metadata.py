"""The org's custom attribute definitions: GET /v1/metadata/{resource} for company, conversation,
customer, message and every klass (kobject.<name>), as discovery reads them to type `custom`,
and as the custom_attributes stream writes them, one row per resource and attribute.

No date filter exists and the answer is one object per resource, so the stream is the whole
table every run, versioned (ACTIVATE_VERSION once every resource was read: a resource that
cannot be read fails the stream, and nothing is dropped). UNCONFIRMED: the answer for a klass
without custom attributes (`properties: {}`, or none, is read as none; a 404 leaves the stream
partial, naming the klasses, and sends no ACTIVATE_VERSION), and `enum` beside `enumeration`
(both are read).
"""

from tap_kustomer.errors import KustomerError, NotFoundError
from tap_kustomer.streams.base import Page, Stream, page_data
from tap_kustomer.streams.org import KLASS_STATUSES
from tap_kustomer.transform import snake

STANDARD_RESOURCES = ("company", "conversation", "customer", "message")


def attribute_definitions(client, resource):
    """{attribute name: definition} from GET /v1/metadata/{resource}; a KustomerError when the
    answer is not of the documented shape."""
    payload = client.get(f"/v1/metadata/{resource}")
    data = payload.get("data")
    attributes = data.get("attributes") if isinstance(data, dict) else None
    properties = attributes.get("properties", {}) if isinstance(attributes, dict) else None
    if not isinstance(properties, dict):
        raise KustomerError(
            f"GET /v1/metadata/{resource} answered without a data.attributes.properties object "
            f"(data is {type(data).__name__}): the tap cannot read custom attribute definitions from it"
        )
    return properties


def klass_names(client):
    """Every klass the org has, whatever its status (GET /v1/klasses lists enabled ones by default)."""
    names = []
    for status in KLASS_STATUSES:
        for payload in client.pages("/v1/klasses", {"page": 1, "pageSize": 100, "status": status}, "klasses"):
            for item in page_data(payload, "the klasses list"):
                name = (item.get("attributes") or {}).get("name")
                if isinstance(name, str) and name and name not in names:
                    names.append(name)
    return names


class CustomAttributes(Stream):
    """One row per resource and custom attribute definition: the whole table every run."""

    name = "custom_attributes"
    key_properties = ("resource", "name")
    replication_key = None

    def pages(self, run, start, params=None):
        klasses = [f"kobject.{name}" for name in klass_names(run.client)]
        unread = []
        for resource in STANDARD_RESOURCES + tuple(klasses):
            try:
                definitions = attribute_definitions(run.client, resource)
            except NotFoundError:
                if resource not in klasses:
                    raise  # the metadata itself is not there: an org without it (skipped by rule)
                unread.append(resource)  # a klass the org lists and the metadata does not know
                continue
            yield Page([row(resource, name, spec) for name, spec in sorted(definitions.items())])
        if unread:
            run.client.facts.lost(
                self.name,
                "klass-metadata",
                f"GET /v1/metadata/{{resource}} answered 404 for {len(unread)} of the {len(klasses)} klasses the org "
                f"lists ({', '.join(unread[:3])}{'...' if len(unread) > 3 else ''}): their definitions, if they "
                f"have any, are not in the table, and no row is dropped",
            )
        yield Page([])

    def probe(self, client, config):
        attribute_definitions(client, STANDARD_RESOURCES[0])


def row(resource, name, spec):
    """A definition as the resource the tap turns into a record: where the attribute lives, its
    name as Kustomer spells it and as the tap's `custom` field names it, and what it says."""
    if not isinstance(spec, dict):
        raise KustomerError(f"GET /v1/metadata/{resource} defines {name} as {spec!r}, not as an object")
    attributes = {**spec, "resource": resource, "name": name, "field": snake(name)}
    if "enum" in spec and "enumeration" not in spec:  # the example spells it `enumeration`; other material `enum`
        attributes["enumeration"] = spec["enum"]
    attributes.pop("enum", None)
    return {"attributes": attributes}


STREAMS = (CustomAttributes,)
