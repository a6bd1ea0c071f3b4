"""Realistic Kustomer resources for the local fake API.

build() returns one resource in the shape the real API sends (JSON:API, camelCase attributes,
relationships with links and data, the known quirks), filled the way real orgs fill them:
mostly present, sometimes null or empty, some unicode. The server assigns ids and the
record's own timestamps; everything else comes from the rng it passes, so the same seed
gives the same data. Standard library only.
"""

from __future__ import annotations

import random

from tap_kustomer.sandbox.data import history
from tap_kustomer.sandbox.data.common import Pool, _Ctx
from tap_kustomer.sandbox.data.conversations import _conversation, _message, _note, _shortcut
from tap_kustomer.sandbox.data.custom import _KLASS_DEFS, CUSTOM_ATTRIBUTES, KLASSES, _kobject, klass_resources
from tap_kustomer.sandbox.data.handling import attachments_of, card, conversation_time, snooze, work_item
from tap_kustomer.sandbox.data.metrics import cohere, default_schedule, open_time_of
from tap_kustomer.sandbox.data.org import (
    _SYSTEM_ROLE_GROUPS,
    _brand,
    _company,
    _role_group,
    _schedule,
    _survey,
    all_klass_resources,
    schedule_holidays,
)
from tap_kustomer.sandbox.data.people import _customer, _tag, _team, _user
from tap_kustomer.sandbox.data.routing import ROUTING_STREAMS, audit_entry, build_org

__all__ = [
    "CUSTOM_ATTRIBUTES",
    "KLASSES",
    "ROUTING_STREAMS",
    "attachments_of",
    "audit_entry",
    "build_org",
    "cohere",
    "default_schedule",
    "history",
    "open_time_of",
    "STREAMS",
    "Pool",
    "all_klass_resources",
    "build",
    "klass_resources",
    "schedule_holidays",
]

STREAMS = (
    "conversations",
    "customers",
    "kobjects",
    "messages",
    "notes",
    "shortcuts",
    "tags",
    "teams",
    "users",
    "companies",
    "brands",
    "business_schedules",
    "satisfaction_surveys",
    "role_groups",
    "snoozes",
    "cards",
    "conversation_times",
    "work_items",
)

# --------------------------------------------------------------------------- entry point

_BUILDERS = {
    "conversations": ("conversation", _conversation),
    "customers": ("customer", _customer),
    "messages": ("message", _message),
    "notes": ("note", _note),
    "shortcuts": ("shortcut", _shortcut),
    "tags": ("tag", _tag),
    "teams": ("team", _team),
    "users": ("user", _user),
    "companies": ("company", _company),
    "brands": ("brand", _brand),
    "business_schedules": ("schedule", _schedule),
    "satisfaction_surveys": ("satisfaction", _survey),
    "role_groups": ("role_group", _role_group),
    "snoozes": ("snooze", snooze),
    "cards": ("card", card),
    "conversation_times": ("conversation_time", conversation_time),
    "work_items": ("work_item", work_item),
}


def build(
    stream: str,
    rng: random.Random,
    rid: str,
    created_at: str,
    updated_at: str,
    deleted: bool,
    pool: Pool,
    klass: str | None = None,
    index: int = 0,
) -> dict:
    """One JSON:API resource {"type", "id", "attributes", "relationships", "links"} for stream.

    created_at/updated_at are the record's own "...Z" timestamps (created_at <= updated_at);
    deleted=True gives a soft-deleted record (deactivated for users). For kobjects, klass is
    the klass name and the type is "kobject.<klass>". index is the record's place in its stream,
    oldest first: record 0 is the default brand and the default schedule, 0-2 the system role groups.
    """
    ctx = _Ctx(rng, rid, created_at, updated_at, pool)
    if stream == "kobjects":
        if not klass:
            klass = pool.klass_names[0] if pool.klass_names else _KLASS_DEFS[0][0]
        rtype = f"kobject.{klass}"
        attributes, relationships, links = _kobject(ctx, deleted, klass)
    else:
        try:
            rtype, builder = _BUILDERS[stream]
        except KeyError:
            raise ValueError(f"unknown stream {stream!r}") from None
        if stream in ("snoozes", "cards"):
            attributes, relationships, links = builder(ctx, deleted, index=index)
        elif stream in ("brands", "business_schedules"):
            attributes, relationships, links = builder(ctx, deleted, default=index == 0)
        elif stream == "role_groups":
            system = index if index < len(_SYSTEM_ROLE_GROUPS) else None
            attributes, relationships, links = builder(ctx, deleted, system_index=system)
        else:
            attributes, relationships, links = builder(ctx, deleted)
    return {"type": rtype, "id": rid, "attributes": attributes, "relationships": relationships, "links": links}
