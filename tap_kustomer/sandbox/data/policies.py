"""SLA policies and their versions, and audit-log entries with Kustomer's retention."""

from __future__ import annotations

from tap_kustomer.sandbox.data.common import (
    _DAY,
    _HOUR,
    _MIN,
    _fmt,
    _opt_rel,
    _rel,
)

_SLA_NAMES = (
    "Urgent email — 1 hour",
    "Standard email",
    "Chat VIP ⭐",
    "Réponse sous 24 h",
    "WhatsApp",
    "Respuesta rápida",
    "標準サポート",
    "Enterprise customers",
)
_SLA_DESCRIPTIONS = (
    "Targets agreed with the support leads for 2025",
    "Applies to every inbound email",
    "Für Premium-Kunden",
    "Business hours only",
    "",
)
_SLA_CHANNELS = ("email", "email", "chat", "sms", "voice", "whatsapp", "facebook", "instagram")
_FAST_CHANNELS = frozenset(("chat", "sms", "voice", "whatsapp"))
_METRICS = (
    "firstResponse",
    "nextReply",
    "longestUnrespondedMessage",
    "totalConversationOpenTime",
    "totalCustomerWaitTime",
)

# The objectType enum of GET /v1/audit-logs, with how often each shows up and its verbs.
_AUDIT_OBJECTS = (
    ("conversation", 30, ("update", "update", "update", "create")),
    ("customer", 16, ("update", "update", "create", "merge")),
    ("message", 10, ("update", "create", "create")),
    ("user", 9, ("login", "login", "login_failed", "logout", "update")),
    ("work_session", 7, ("create", "update", "update")),
    ("work_item", 7, ("create", "update", "update")),
    ("shortcut", 4, ("create", "update", "delete")),
    ("search", 4, ("create", "update", "delete")),
    ("business_rule", 4, ("create", "update", "delete")),
    ("company", 4, ("update",)),
    ("ip_rule", 2, ("create", "delete")),
    ("bill_subscription", 1, ("update",)),
    ("shopify_rest", 2, ("refund", "cancel", "read")),
)
_AUDIT_WEIGHTED = tuple(entry for entry in _AUDIT_OBJECTS for _ in range(entry[1]))
_CLIENTS = {
    "user": ("web", "web", "web", "ios", "android"),
    "machine": ("api",),
    "system": ("workflow", "business_rule", "routing-api"),
}
_USER_IPS = ("203.0.113.", "198.51.100.", "192.0.2.")


def retention_days(object_type, event_verb):
    """How long Kustomer keeps an audit-log entry (help center, "Audit log storage limits"):
    90 days for conversation, customer and message updates, routing (work session and work item)
    events, user sign-ins and Shopify calls; 12 months (taken as 365 days) for the rest."""
    if event_verb == "update" and object_type in ("conversation", "customer", "message"):
        return 90
    if object_type in ("work_session", "work_item", "shopify_rest"):
        return 90
    if object_type == "user" and event_verb in ("login", "login_failed", "logout"):
        return 90
    return 365


def _pool_list(ctx, name):
    return list(getattr(ctx.pool, name, None) or ())


# --------------------------------------------------------------------------- SLAs and versions


def _sla_policy(ctx, deleted, version_ids=None):
    """An SLA as GET /v1/slas/{id} sends it: currentVersion, createdAt and the versions' ids.
    (data.py's _sla is the conversation's sla attribute; this is the SLA object.) deleted is ignored."""
    if version_ids is None:
        version_ids = [ctx.hexid() for _ in range(ctx.int(1, 3))]
    version_ids = list(version_ids)
    a = {  # as documented: no updatedAt (an SLA changes by getting a new version)
        "currentVersion": len(version_ids) if version_ids else None,
        "createdAt": ctx.created_at,
    }
    rels = {
        "org": _rel("org", ctx.pool.org_id, "/v1/orgs/"),
        "createdBy": _opt_rel(ctx, "user", ctx.user(), "/v1/users/"),
        # as the client types it: data only, no links
        "versions": {"data": [{"type": "sla_version", "id": v} for v in version_ids]},
    }
    return a, rels, {"self": f"/v1/slas/{ctx.rid}"}


def _sla_targets(ctx, base_seconds):
    """Targets per conversation priority "1".."5" (5 is the most urgent), in seconds."""
    out = {}
    for priority in range(1, 6):
        out[str(priority)] = None if ctx.chance(0.04) else int(base_seconds * (6 - priority))
    return out


def _sla_metrics(ctx, channel):
    fast = channel in _FAST_CHANNELS
    first = (5 * _MIN if fast else 4 * _HOUR) // 1000
    chance = ctx.chance
    scale = {
        "firstResponse": (1, 0.95),
        "nextReply": (1, 0.5),
        "longestUnrespondedMessage": (2, 0.5),
        "totalConversationOpenTime": (12, 0.3),
        "totalCustomerWaitTime": (6, 0.3),
    }
    metrics = {}
    for name in _METRICS:
        factor, p_enabled = scale[name]
        metric = {"enabled": chance(p_enabled), "times": _sla_targets(ctx, first * factor)}
        if name in ("firstResponse", "nextReply") and chance(0.5):
            metric["basedOnHumanInteraction"] = chance(0.5)
        metrics[name] = metric
    return metrics


def _sla_version(ctx, deleted, sla_id=None, number=1, name=None):
    """One version of an SLA, as it comes in `included` of GET /v1/slas?versions=all.
    Versions are never updated (a change makes a new version): only createdAt. deleted is ignored."""
    pick, chance = ctx.pick, ctx.chance
    sla_id = sla_id or ctx.hexid()
    channel = pick(_SLA_CHANNELS)
    schedules = _pool_list(ctx, "schedule_ids")
    a = {
        "name": name or pick(_SLA_NAMES),
        "description": pick(_SLA_DESCRIPTIONS) if chance(0.7) else None,
        "version": number,
        "hours": (pick(schedules) if schedules else ctx.hexid()) if chance(0.85) else None,
        "metrics": _sla_metrics(ctx, channel),
        "criteria": (
            {
                "and": [
                    {"conversation_channel": {"operator": pick(("equals", "equals", "not_equals")), "value": channel}}
                ]
            }
            if chance(0.9)
            else {}
        ),
        "createdAt": ctx.created_at,
    }
    rels = {
        "org": _rel("org", ctx.pool.org_id, "/v1/orgs/"),
        "createdBy": _opt_rel(ctx, "user", ctx.user(), "/v1/users/"),
        "sla": {"data": {"type": "sla", "id": sla_id}, "links": {"self": f"/v1/slas/{sla_id}"}},
    }
    return a, rels, {"self": f"/v1/slas/{sla_id}/versions/{ctx.rid}"}


# --------------------------------------------------------------------------- audit logs


def _change(op, before, after):
    return {"op": op, "before": before, "after": after}


def _audit_changes(ctx, object_type, verb):
    """changes {attributes: {field: {op, before, after}}, relationships: {...}} for one event."""
    pick, chance = ctx.pick, ctx.chance
    attrs, rels = {}, {}
    if verb in ("delete", "login", "login_failed", "logout", "read", "cancel", "refund"):
        return {"attributes": {}, "relationships": {}} if chance(0.7) else {}
    create = verb == "create"
    if object_type == "conversation":  # status and assignedUsers come from each one's life (history.py)
        if chance(0.4):
            attrs["priority"] = _change("replace", None if create else ctx.int(1, 5), ctx.int(1, 5))
        if chance(0.3):
            attrs["tags"] = _change("add", [], ctx.some_ids(ctx.pool.tag_ids, 1, 2))
        if chance(0.2):
            attrs["name"] = _change("replace", "Where is my order?", "¿Dónde está mi pedido? 📦")
        if chance(0.3):
            rels["queue"] = _change("replace", None, ctx.some_id(_pool_list(ctx, "queue_ids")))
    elif object_type == "customer":
        attrs["name"] = _change("replace", None if create else "Zoë Müller", pick(("Zoë Müller-Ångström", "山田 太郎")))
        if chance(0.4):
            attrs["emails"] = _change("add", [], [{"email": "zoe@example.com", "type": "home"}])
        if verb == "merge":
            attrs["mergedTarget"] = _change("replace", False, True)
    elif object_type == "message":
        if create:
            attrs["channel"] = _change("add", None, pick(("email", "chat", "sms")))
        elif chance(0.3):
            attrs["redacted"] = _change("replace", False, True)
        else:
            attrs["status"] = _change("replace", "sent", "delivered")
    elif object_type == "work_session":
        attrs["statusType"] = _change("replace", None if create else "available", pick(("available", "unavailable")))
        statuses = _pool_list(ctx, "statuses")
        if statuses and chance(0.7):
            rels["status"] = _change("replace", None if create else pick(statuses)[0], pick(statuses)[0])
    elif object_type == "work_item":
        attrs["status"] = _change(
            "replace", None if create else "queued", pick(("queued", "routed", "assigned", "completed"))
        )
    elif object_type == "user":
        attrs["roles"] = _change(
            "add", ["org.user.conversation.read"], ["org.user.conversation.read", "org.admin.team.write"]
        )
    elif object_type in ("shortcut", "search", "business_rule"):
        attrs["name"] = _change(
            "replace", None if create else "Refund issued", pick(("Refund issued ✅", "Remboursement effectué"))
        )
        if object_type == "business_rule" and chance(0.5):
            attrs["enabled"] = _change("replace", True, False)
    elif object_type == "company":
        attrs["domains"] = _change("add", [], [{"domain": "acme.example.com"}])
    elif object_type == "bill_subscription":
        attrs["seats"] = _change("replace", ctx.int(5, 40), ctx.int(41, 80))
    elif object_type == "ip_rule":
        attrs["cidr"] = _change("add", None, "203.0.113.0/24")
    if create:  # a new object: every field is added, nothing was there before
        for change in (*attrs.values(), *rels.values()):
            change["op"], change["before"] = "add", None
    return {"attributes": attrs, "relationships": rels}


def _audit_log(ctx, deleted):
    """One audit-log entry (type audit_log). Entries are never edited: only createdAt counts,
    publishedAt follows it within seconds, expiresAt = createdAt + retention. deleted is ignored."""
    pick, chance = ctx.pick, ctx.chance
    object_type, _weight, verbs = pick(_AUDIT_WEIGHTED)
    verb = pick(verbs)
    if object_type == "user" and verb in ("login", "login_failed", "logout"):
        user_type = "user"
    else:
        user_type = pick(("user", "user", "user", "machine", "system"))  # system: a workflow, rule or the router
    user_id = ctx.user() if user_type != "system" else None
    if object_type == "conversation":
        object_id = ctx.some_id(ctx.pool.conversation_ids)
    elif object_type == "customer":
        object_id = ctx.some_id(ctx.pool.customer_ids)
    elif object_type == "user":
        object_id = user_id or ctx.user()
    else:
        object_id = ctx.hexid() if chance(0.97) else None
    if user_type == "user":
        ip = pick(_USER_IPS) + str(ctx.int(1, 254))
    elif user_type == "machine":
        ip = pick(("198.51.100.", "2001:db8::")) + str(ctx.int(1, 254))
    else:
        ip = None
    created = ctx.c
    a = {
        "eventName": f"kustomer.{object_type}.{verb}",
        "eventVerb": verb,
        "org": ctx.pool.org_id,
        "userId": user_id,
        "userType": user_type,
        "objectId": object_id,
        "objectType": object_type,
        "client": pick(_CLIENTS[user_type]) if chance(0.95) else None,
        "ip": ip,
        "changes": _audit_changes(ctx, object_type, verb),
        "createdAt": ctx.created_at,
        "publishedAt": _fmt(created + ctx.int(0, 3000)),
        "expiresAt": _fmt(created + retention_days(object_type, verb) * _DAY),
    }
    # as the example shows a system entry: the user relationship is there, its id null
    rels = {
        "user": {
            "links": {"self": f"/v1/users/{user_id}" if user_id else "/v1/users/null"},
            "data": {"type": "user", "id": user_id},
        }
    }
    return a, rels, {"self": f"/v1/audit-logs/{ctx.rid}"}
