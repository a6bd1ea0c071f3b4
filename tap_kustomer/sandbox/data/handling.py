"""How the sandbox's conversations are handled: conversation times, work items, attachments; and
two org settings, snooze options and installed cards.

Conversation times and work items name conversations, customers, users, teams and queues the
sandbox has (the routing pool's), and are searchable (contexts conversation_time, work_item).
Attachments belong to a conversation and one of its messages. Where Kustomer documents a shape
(../shared/kustomer-api-streams.md, sections 16 to 21) it is followed; the rest (work items,
snoozes, cards) are the sandbox's guesses, each a plausible reading of the docs.
"""

from tap_kustomer.sandbox.data.common import _CHANNELS, _DAY, _HOUR, _base_rels, _fmt, _opt_rel, _rel

WORK_ITEM_STATUSES = ("ivr", "queued", "queued", "routed", "accepted", "completed", "completed", "completed")
_FILE_KINDS = (
    ("invoice-{n}.pdf", "application/pdf", 40_000, 400_000),
    ("IMG_{n}.jpg", "image/jpeg", 150_000, 4_000_000),
    ("screenshot {n}.png", "image/png", 60_000, 1_500_000),
    ("Lieferschein Nr. {n}.pdf", "application/pdf", 20_000, 200_000),
    ("写真_{n}.heic", "image/heic", 500_000, 3_000_000),
    ("order-export-{n}.csv", "text/csv", 900, 90_000),
    ("voice memo {n}.m4a", "audio/mp4", 80_000, 2_000_000),
)
_SNOOZES = (  # name, time: relative (ms from the moment of snoozing), dynamic (a day rule and a time), absolute
    ("1 Hour", {"relative": _HOUR}),
    ("2 Hours", {"relative": 2 * _HOUR}),
    ("Tomorrow", {"day": {"type": "tomorrow", "value": ""}, "value": "09:00 am"}),
    ("Next Week", {"day": {"type": "absolute", "value": "monday"}, "value": "09:00 am"}),
    ("Fin de semana", {"day": {"type": "absolute", "value": "saturday"}, "value": "10:00 am"}),
    ("3 Days", {"relative": 3 * _DAY}),
    ("Black Friday", {"value": 1795996800000}),
    ("Until the warehouse reopens", {"value": 1798761600000}),
)
_CARDS = (  # name, description, url, contexts, app
    (
        "shopify-orders",
        "Orders, refunds and returns from Shopify",
        "https://apps.example.com/shopify/card",
        ["customer", "conversation"],
        "shopify",
    ),
    (
        "stripe.billing",
        "Invoices and subscriptions",
        "https://apps.example.com/stripe",
        ["customer", "company"],
        "stripe",
    ),
    (
        "device_health",
        "Battery, firmware and last sign of life",
        "https://iot.example.net/kustomer",
        ["kobject.device", "customer"],
        None,
    ),
    (
        "loyalty-points",
        "Points balance — Punktestand — ポイント",
        "https://loyalty.example.org/card",
        ["customer"],
        "loyalty",
    ),
    (
        "returns.portal",
        "Return labels and their tracking",
        "https://returns.example.com/card",
        ["conversation", "kobject.order"],
        "returns",
    ),
    ("crm-account", "The CRM account behind a company", "https://crm.example.com/account", ["company"], None),
)


def conversation_time(ctx, deleted):
    """One handling of a conversation by an agent, created when it ends (createdAt is the
    record's stamp: the store sorts and ties on it). handleTime is whole seconds from handleAt."""
    created = ctx.u
    handle_ms = ctx.int(20, 3 * 3600) * 1000
    a = {
        "createdAt": _fmt(created),
        "createdByTeams": ctx.some_ids(ctx.pool.team_ids, 0, 2),
        "assignedUsers": ctx.some_ids(ctx.pool.user_ids, 0, 2),
        "assignedTeams": ctx.some_ids(ctx.pool.team_ids, 0, 1),
        "handleAt": _fmt(created - handle_ms),
        "handleTime": handle_ms // 1000,
        "channels": sorted({ctx.pick(_CHANNELS) for _ in range(ctx.int(1, 2))}),
        "touched": ctx.chance(0.8),
        "reopened": ctx.chance(0.1),
        "snoozed": ctx.chance(0.15),
        "resolved": ctx.chance(0.6),
    }
    if ctx.chance(0.7):
        sent = ctx.int(0, 6)
        a.update(
            messageAt=_fmt(created - ctx.int(0, handle_ms)) if sent else None,
            messageTime=ctx.int(0, handle_ms // 1000) if sent else 0,
            messagesSent=sent,
        )
    if ctx.chance(0.3):
        a.update(noteAt=_fmt(created - ctx.int(0, handle_ms)), noteTime=ctx.int(5, 300), notesSent=ctx.int(1, 3))
    rels = {
        "org": _rel("org", ctx.pool.org_id, "/v1/orgs/"),
        "customer": _rel("customer", ctx.some_id(ctx.pool.customer_ids), "/v1/customers/"),
        "conversation": _rel("conversation", ctx.some_id(ctx.pool.conversation_ids), "/v1/conversations/"),
        "createdBy": _opt_rel(ctx, "user", ctx.user(), "/v1/users/"),
    }
    return a, rels, {"self": f"/v1/conversations/times/{ctx.rid}"}


def work_item(ctx, deleted):
    """Routing's record of one conversation needing an agent: queued, offered, accepted, completed."""
    status = ctx.pick(WORK_ITEM_STATUSES)
    steps = ctx.sorted_ms(4)
    queues = getattr(ctx.pool, "queue_ids", None) or []
    reached = WORK_ITEM_STATUSES.index(status)
    user = ctx.user()
    a = {
        "status": status,
        "queuedCount": 0 if status == "ivr" else ctx.int(1, 3),
        "priority": ctx.pick((1, 1, 1, 5, 10)),
        "paused": status == "accepted" and ctx.chance(0.1),
        "channel": ctx.pick(_CHANNELS),
        "queuedAt": _fmt(steps[0]) if reached >= 1 else None,
        "routedAt": _fmt(steps[1]) if reached >= 3 else None,
        "acceptedAt": _fmt(steps[2]) if reached >= 4 else None,
        "completedAt": _fmt(ctx.u) if status == "completed" else None,
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
        "modifiedAt": ctx.updated_at,
        "rev": ctx.int(1, 12),
    }
    rels = {
        **_base_rels(ctx),
        "resource": _rel("conversation", ctx.some_id(ctx.pool.conversation_ids), "/v1/conversations/"),
        "queue": _opt_rel(ctx, "queue", ctx.some_id(queues), "/v1/routing/queues/", 0.1),
        "team": _opt_rel(ctx, "team", ctx.team(), "/v1/teams/", 0.2),
    }
    if reached >= 3:
        rels["user"] = _rel("user", user, "/v1/users/")
    if reached >= 4:
        rels["acceptedBy"] = _rel("user", user, "/v1/users/")
    return a, rels, {"self": f"/v1/routing/work-items/{ctx.rid}"}


def snooze(ctx, deleted, index=0):
    name, time = _SNOOZES[index % len(_SNOOZES)]
    a = {
        "name": name if index < len(_SNOOZES) else f"{name} ({index // len(_SNOOZES) + 1})",
        "enabled": index % 5 != 4,
        "time": time,
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
        "modifiedAt": ctx.updated_at,
        "deleted": deleted,
    }
    return a, _base_rels(ctx), {"self": f"/v1/snoozes/{ctx.rid}"}


def card(ctx, deleted, index=0):
    name, description, url, contexts, app = _CARDS[index % len(_CARDS)]
    a = {
        "name": name if index < len(_CARDS) else f"{name}-{index}",
        "description": description,
        "url": url,
        "contexts": list(contexts),
        "app": app,
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
        "modifiedAt": ctx.updated_at,
        "deleted": deleted,
    }
    return a, _base_rels(ctx), {"self": f"/v1/cards/{ctx.rid}"}


def attachments_of(rng, conversation, message_ids, org_id):
    """A conversation's attachments (none for most), each on one of its messages, as the OpenAPI
    description's schema has them: an `id` and a `links.related` to the file (odd shapes take them
    away: Kustomer's own list example has no id, an attachment made metadata-only no file)."""
    if rng.random() < 0.6:
        return []
    out = []
    for _ in range(rng.randint(1, 3)):
        pattern, kind, low, high = _FILE_KINDS[rng.randrange(len(_FILE_KINDS))]
        mid = message_ids[rng.randrange(len(message_ids))] if message_ids else f"{rng.getrandbits(96):024x}"
        aid = f"{rng.getrandbits(96):024x}"
        redacted = rng.random() < 0.05
        record = {
            "type": "attachment",
            "id": aid,
            "attributes": {
                "name": pattern.format(n=rng.randint(100, 99999)),
                "contentType": kind,
                "contentLength": rng.randint(low, high),
                "redacted": redacted,
            },
            "relationships": {
                "org": _rel("org", org_id, "/v1/orgs/"),
                "message": _rel("message", mid, "/v1/messages/"),
            },
            "links": {
                "self": f"/v1/messages/{mid}/attachments/{aid}",
                "related": f"https://kustomer-attachments.example.com/{aid}?X-Amz-Expires=600&X-Amz-Signature={aid[:16]}",
            },
        }
        out.append(record)
    return out
