"""What every stream declares, the page its paging algorithm hands the sync, and shared helpers."""

import logging
from dataclasses import dataclass, field

from tap_kustomer.errors import KustomerError, NotFoundError
from tap_kustomer.timeutil import canonical

LOGGER = logging.getLogger("tap_kustomer")


@dataclass
class Page:
    """What one step of a stream's walk gives the sync."""

    records: list  # resources to write
    checkpoint: dict = None  # the stream's bookmark once these are written, or None: nothing promised yet
    listed: list = field(default_factory=list)  # every resource the answer held (a listing feeds its children)
    payload: dict = None  # the answer itself (children may read its `included`)


class Stream:
    """One stream: its name, keys and replication, declared as class attributes."""

    name = None
    key_properties = ("id",)
    replication_key = "updated_at"  # None: a full table, all of it every run, versioned (ACTIVATE_VERSION)
    stamp_attribute = "updatedAt"  # the API attribute behind the replication key
    metadata_resource = None  # where GET /v1/metadata/... describes its custom attributes
    expected_type = None  # the JSON:API type its records should carry; another is reported once
    parent = None  # a child stream: the name of the stream whose listing feeds it
    aliases = {}  # attribute's other spelling -> the one the schema has  # noqa: RUF012 - read only
    missing_errors = (NotFoundError,)  # what tells the stream's data is not in this org: skipped at ERROR
    attributes_unconfirmed = False  # its fields come from examples and other connectors: others are a fact met
    selected_by_default = True

    def notice(self, run, resources):
        """A look at each page before it is written (kobjects notices klasses the catalog lacks)."""

    @staticmethod
    def derive(record, resource, wants):
        """Fields computed from the resource rather than copied from it; most streams have none."""

    @staticmethod
    def still_changing(resource):
        """A listed record to write every run, whatever its stamp (an active work session)."""
        return False

    def stamp(self, resource):
        """The record's replication instant in canonical form, or None if it has none we can read."""
        try:
            return canonical((resource.get("attributes") or {}).get(self.stamp_attribute))
        except (TypeError, ValueError):
            return None

    def probe(self, client, config):
        """Read a little of the stream, as --test does; raises what the sync would meet."""
        raise NotImplementedError


def page_data(payload, what, ids=True):
    """The `data` list of an answer, checked: a list of records, each with an id (when `ids`)."""
    data = payload.get("data")
    if not isinstance(data, list):
        raise KustomerError(f"the API answered {what} without a 'data' list; got keys {sorted(payload)[:5]}")
    for item in data:
        if not isinstance(item, dict) or (ids and not isinstance(item.get("id"), str)):
            raise KustomerError(f"the API answered {what} with a record that has no id")
    return data


def deleted(resource):
    attributes = resource.get("attributes") or {}
    return attributes.get("deleted") is True or bool(attributes.get("deletedAt"))


def has_next(payload):
    links = payload.get("links")
    return isinstance(links, dict) and bool(links.get("next"))


def with_attribute(resource, name, value):
    """A copy of resource with one more attribute (a derived field such as a parent's id)."""
    return {**resource, "attributes": {**(resource.get("attributes") or {}), name: value}}
