"""One stream per custom object type (klass): its objects in a table of their own, `custom` typed
from that klass's own attributes (GET /v1/metadata/kobject.<klass>), never widened by others.

These streams exist only in a discovered catalog: discovery names them, and each catalog entry
carries its klass in its stream metadata (`kustomer-klass`), so a sync needs no request to know them.
"""

import hashlib
import re

from tap_kustomer.errors import BadRequestError, NotFoundError
from tap_kustomer.streams.core import KObjects
from tap_kustomer.transform import snake

PREFIX = "kobjects_"
_NOT_NAME = re.compile(r"[^a-z0-9_]+")


class KlassObjects(KObjects):
    """The objects of one klass, via search context `kobject_<klass>`, sorted by kobject_updated_at.
    A klass that no longer answers (404 or 400 on its context) is skipped with an ERROR."""

    field_prefix = "kobject"
    metadata_resource = None  # typed at discovery, from the klass's own metadata
    missing_errors = (NotFoundError, BadRequestError)
    selected_by_default = False  # kobjects keeps every klass in one table; these are chosen by hand

    def __init__(self, name, klass):
        self.name, self.klass, self.context = name, klass, f"kobject_{klass}"


def stream_names(klasses):
    """stream name -> klass for the org's klasses. `calendly-event` becomes kobjects_calendly_event;
    when two klasses come to the same name, the one whose name is already that name keeps it and
    each other gets six hex characters of a hash of its klass name (stable, whatever else the org
    adds)."""
    wanted = {}
    for klass in sorted(set(klasses)):
        wanted.setdefault(PREFIX + _NOT_NAME.sub("_", snake(klass)).strip("_"), []).append(klass)
    names = {}
    for name, group in wanted.items():
        keeper = next((k for k in group if PREFIX + k == name), None) if len(group) > 1 else group[0]
        for klass in group:
            digest = hashlib.blake2s(klass.encode("utf-8"), digest_size=3).hexdigest()
            names[name if klass == keeper else f"{name}_{digest}"] = klass
    return names
