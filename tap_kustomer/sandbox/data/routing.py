"""Queues, routing statuses, team routing settings, work sessions, SLAs with their versions, and
audit-log entries.

Same contract as the other builders: each builder takes a _Ctx (the rng, the record's id and time window,
the pool) and returns (attributes, relationships, links) in the API's camelCase shape, filled the
way real orgs fill them (mostly present, sometimes null, some unicode). Standard library only;
the same rng state gives the same resource.

The routing objects point at each other, so the pool carries more than data.Pool does:
RoutingPool adds queue ids, routing statuses (id and statusType), team routing settings and
business schedule ids. Every builder also works with a plain data.Pool (it invents ids then).
build_org() makes a whole consistent set: one DEFAULT_QUEUE, the four system statuses, one
setting per routing team, at most one active work session per user, SLAs with their versions.

Values nobody documents (type strings, setting values, event names beyond
kustomer.conversation.update, units of times) are the sandbox's own choices; NOTES.md lists them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from tap_kustomer.sandbox.data.common import (
    _DAY,
    _HOUR,
    _MIN,
    Pool,
    _base_rels,
    _Ctx,
    _fmt,
    _ms,
    _opt_rel,
    _rel,
)
from tap_kustomer.sandbox.data.policies import _SLA_NAMES, _audit_log, _pool_list, _sla_policy, _sla_version

__all__ = ["ROUTING_STREAMS", "TYPES", "RoutingPool", "build_routing", "build_org", "audit_entry"]

ROUTING_STREAMS = (
    "queues",
    "routing_statuses",
    "team_routing_settings",
    "work_sessions",
    "slas",
    "sla_versions",
    "audit_logs",
)


@dataclass
class RoutingPool(Pool):
    """data.Pool plus the routing objects other records point at."""

    queue_ids: list[str] = field(default_factory=list)
    statuses: list[tuple[str, str]] = field(default_factory=list)  # (id, statusType)
    team_settings: dict[str, tuple[list[str], int]] = field(default_factory=dict)  # team id -> (queue ids, capacity)
    schedule_ids: list[str] = field(default_factory=list)


STATUS_TYPES = ("available", "busy", "unavailable", "offline")

# --------------------------------------------------------------------------- word lists

_QUEUES = (  # display name, key
    ("Billing", "billing"),
    ("VIP Support ⭐", "vip"),
    ("Chat — English", "chat.en"),
    ("Chat — Español", "chat.es"),
    ("Chat — Français", "chat.fr"),
    ("Email Tier 1", "email.tier1"),
    ("Email Tier 2", "email.tier2"),
    ("Returns & Exchanges", "returns"),
    ("Voice", "voice"),
    ("Social DMs", "social"),
    ("Escalations", "escalations"),
    ("注文サポート", "orders.ja"),
    ("Großkunden", "wholesale.de"),
    ("Fraud review 🔍", "fraud"),
)
_QUEUE_DESCRIPTIONS = (
    "Billing questions, refunds and chargebacks",
    "Customers tagged VIP — answer first",
    "Conversaciones de chat en español",
    "Escalated by Tier 1 after two replies",
    "Routed by language: chat.{{conversation.defaultLang}}",
    "大口注文のお問い合わせ",
    "",
)
_QUEUE_SETTING_VALUES = ("default", "enabled", "disabled")
_SYSTEM_STATUS_NAMES = {"available": "Available", "busy": "Busy", "unavailable": "Unavailable", "offline": "Offline"}
_CUSTOM_STATUSES = (  # name, statusType: custom statuses are mostly extra unavailable ones
    ("Lunch 🍔", "unavailable"),
    ("Coaching", "unavailable"),
    ("Admin work", "unavailable"),
    ("Training", "unavailable"),
    ("Pausa café ☕", "unavailable"),
    ("Réunion d'équipe", "unavailable"),
    ("休憩中", "unavailable"),
    ("Mittagspause", "unavailable"),
    ("Available — email only", "available"),
)
_STATUS_DESCRIPTIONS = (
    "Back in 45 minutes",
    "1:1 with team lead",
    "Not routed; counts as unavailable in utilization",
    "Solo correo electrónico",
)
_EXTERNAL_QUEUES = ("Amazon Connect — Support", "Talkdesk Sales", "Aircall: Returns")
# --------------------------------------------------------------------------- helpers


def _stamps(ctx):
    return {
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
        "modifiedAt": ctx.updated_at if ctx.chance(0.8) else ctx.at(),
    }


def _to_many(kind, ids, path):
    return {"links": {"self": path}, "data": [{"type": kind, "id": i} for i in ids]}


# --------------------------------------------------------------------------- queues


def _queue(ctx, deleted, system=False):
    """A queue; system=True gives the org's one DEFAULT_QUEUE (never deleted)."""
    pick, chance = ctx.pick, ctx.chance
    if system:
        deleted = False
        name, display, key = "DEFAULT_QUEUE", "Default Queue", None
        description = "Conversations no queue rule matches"
        priority, item_size = 1, 1
    else:
        display, key = pick(_QUEUES)
        name = display
        display = display if chance(0.85) else None
        key = key if chance(0.75) else None
        description = pick(_QUEUE_DESCRIPTIONS) if chance(0.6) else None
        priority = pick((1, 1, 2, 3, 5, 10, 25, 50, 100))
        item_size = pick((1, 1, 1, 2, 3, 5))
    settings = {}
    if not system and chance(0.4):
        settings["overrideAssignment"] = pick(_QUEUE_SETTING_VALUES)
        if chance(0.7):
            settings["putBackItemsOnOffline"] = pick(_QUEUE_SETTING_VALUES)
    a = {
        "name": name,
        "displayName": display,
        "description": description,
        "key": key,
        "system": system,
        "priority": priority,
        "itemSize": item_size,
        "restrictTransfersByUsers": chance(0.25),
        "settings": settings,
        "deleted": deleted,
    }
    a.update(_stamps(ctx))
    if deleted:
        a["deletedAt"] = ctx.updated_at
    return a, _base_rels(ctx), {"self": f"/v1/routing/queues/{ctx.rid}"}


# --------------------------------------------------------------------------- routing statuses


def _routing_status(ctx, deleted, system_type=None):
    """A routing user status: system_type gives that built-in status (Available, Busy,
    Unavailable, Offline); otherwise a custom one. No soft delete is documented: deleted is ignored."""
    chance = ctx.chance
    if system_type:
        name, status_type, system = _SYSTEM_STATUS_NAMES[system_type], system_type, True
        description = None
        enabled = True
    else:
        name, status_type = ctx.pick(_CUSTOM_STATUSES)
        system = False
        description = ctx.pick(_STATUS_DESCRIPTIONS) if chance(0.4) else None
        enabled = chance(0.85)
    a = {
        "name": name,
        "statusType": status_type,
        "system": system,
        "description": description,
        "enabled": enabled,
        "selectable": not (system and status_type == "busy"),  # Kustomer sets busy itself
        "routable": status_type == "available",
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
    }
    rels = {
        "org": _rel("org", ctx.pool.org_id, "/v1/orgs/"),
        "createdBy": _opt_rel(ctx, "user", ctx.user(), "/v1/users/", 0.5 if system else 0.05),
    }
    return a, rels, {"self": f"/v1/routing/statuses/{ctx.rid}"}


# --------------------------------------------------------------------------- team routing settings


def _team_routing_setting(ctx, deleted, queue_ids=None, capacity=None):
    """One team's routing settings; the record's id (ctx.rid) is the team's id."""
    pick, chance = ctx.pick, ctx.chance
    if queue_ids is None:
        queue_ids = ctx.some_ids(_pool_list(ctx, "queue_ids"), 1, 4)
    queue_ids = list(queue_ids)[:10]
    if capacity is None:
        capacity = pick((1, 2, 3, 3, 4, 5, 8, 10))
    by_priority = {}
    if chance(0.3):  # "capacity by priority": a limit per queue priority
        for priority in sorted(set(pick((1, 5, 10, 50)) for _ in range(ctx.int(1, 3)))):
            by_priority[str(priority)] = ctx.int(1, capacity)
    a = {
        "enabled": (not deleted) and chance(0.85),
        "externalQueues": [pick(_EXTERNAL_QUEUES)] if chance(0.15) else [],
        "workItemCapacity": capacity if chance(0.95) else None,
        "capacity": by_priority,
        "deleted": deleted,
    }
    a.update(_stamps(ctx))
    rid = ctx.rid
    rels = {
        "org": _rel("org", ctx.pool.org_id, "/v1/orgs/"),
        "team": _rel("team", rid, "/v1/teams/"),
        "modifiedBy": _opt_rel(ctx, "user", ctx.user(), "/v1/users/"),
        "queues": _to_many("queue", queue_ids, f"/v1/routing/settings/{rid}/queues"),
    }
    return a, rels, {"self": f"/v1/routing/settings/{rid}"}


# --------------------------------------------------------------------------- work sessions


def _pick_status(ctx, statuses, kinds, prefer=None):
    found = [s for s in statuses if s[1] in kinds]
    if not found:
        return (ctx.hexid(), kinds[0])
    if prefer:
        preferred = [s for s in found if s[1] == prefer]
        if preferred and ctx.chance(0.6):
            return ctx.pick(preferred)
    return ctx.pick(found)


def _split(ctx, total, parts):
    """total split into `parts` non-negative integers (random cut points)."""
    cuts = sorted(ctx.int(0, total) for _ in range(parts - 1))
    edges = [0, *cuts, total]
    return [edges[i + 1] - edges[i] for i in range(parts)]


def _status_time(ctx, time, at):
    return {"time": time, "businessTime": int(time * (0.3 + ctx.r() * 0.7)), "statusAt": at}


def _work_session(ctx, deleted, active=None, user_id=None, team_id=None, queue_ids=None, capacity=None):
    """One agent's routing session from sign-in (createdAt) to now or to sign-out. Active ones
    have no signedOutAt; ended ones switched to an offline status: signedOutAt = updatedAt,
    active false, nothing held. Times are in milliseconds. deleted is ignored."""
    pick, chance = ctx.pick, ctx.chance
    statuses = _pool_list(ctx, "statuses")
    if active is None:
        active = chance(0.3)
    team_id = team_id or ctx.team()
    setting = (getattr(ctx.pool, "team_settings", None) or {}).get(team_id)
    if queue_ids is None:
        queue_ids = setting[0] if setting else ctx.some_ids(_pool_list(ctx, "queue_ids"), 1, 3)
    if capacity is None:
        capacity = setting[1] if setting else pick((2, 3, 3, 4, 5, 8))
    user_id = user_id or ctx.user()

    if active:
        status = _pick_status(ctx, statuses, ("available", "busy", "unavailable"), prefer="available")
    else:
        status = _pick_status(ctx, statuses, ("offline",))
    # time in each status: the current one (if live) plus one to three others the agent passed through
    live = [s for s in statuses if s[1] != "offline"] or [(ctx.hexid(), "available"), (ctx.hexid(), "unavailable")]
    visited = [status] if active else []
    for s in (pick(live) for _ in range(ctx.int(1, 3))):
        if s not in visited:
            visited.append(s)
    length = ctx.u - ctx.c
    times = _split(ctx, length, len(visited))
    by_status = {}
    totals = {"available": [0, 0, None], "unavailable": [0, 0, None]}
    for (sid, kind), spent in zip(visited, times, strict=True):
        at = _fmt(ctx.u) if active and sid == status[0] else ctx.at()
        entry = _status_time(ctx, spent, at)
        by_status[sid] = entry
        if kind in totals:
            total = totals[kind]
            total[0] += spent
            total[1] += entry["businessTime"]
            total[2] = max(total[2] or at, at)

    held = ctx.int(0, capacity) if active else 0
    paused = ctx.int(0, min(2, held))
    remaining = capacity - held
    capacity_status = "idle" if held == 0 else ("at-capacity" if remaining <= 0 else "not-at-capacity")
    handled = ctx.int(0, 40) if length > 10 * _MIN else 0
    available_ms = totals["available"][0]
    idle_ms = int(available_ms * ctx.r() * 0.5)
    at_capacity_ms = int((available_ms - idle_ms) * ctx.r())
    a = {
        "active": active,
        "signedInAt": ctx.created_at,
        "statusType": status[1],
        "routable": active and status[1] == "available",
        "totalCapacity": capacity,
        "capacityRemaining": remaining,
        "capacityStatus": capacity_status,
        "capacity": (
            [{"priority": p, "limit": capacity, "remaining": max(0, capacity - held)} for p in (1, 10)]
            if chance(0.3)
            else []
        ),
        "workItemCount": held,
        "pausedWorkItemCount": paused,
        "handledItemCount": handled,
        "handledConversationCount": ctx.int(0, handled),
        "lastAssignedItemAt": ctx.at() if handled or held else None,
        "lastCompletedItemAt": ctx.at() if handled else None,
        "idleSince": ctx.at() if active and capacity_status == "idle" else None,
        "hasPendingItem": active and chance(0.1),
        "hasSkills": chance(0.2),
        "changedTeam": chance(0.08),
        "subsystem": pick((None, None, None, "routing", "voice")),
        "totalAvailable": {
            "time": available_ms,
            "businessTime": totals["available"][1],
            "statusAt": totals["available"][2],
        },
        "totalAvailableIdleCapacity": {"time": idle_ms, "businessTime": idle_ms // 2},
        "totalAvailableAtCapacity": _status_time(ctx, at_capacity_ms, ctx.at() if at_capacity_ms else None),
        "totalUnavailable": {
            "time": totals["unavailable"][0],
            "businessTime": totals["unavailable"][1],
            "statusAt": totals["unavailable"][2],
        },
        "totalTimeByStatus": by_status,
        "rev": ctx.int(1, 400),
    }
    a.update(_stamps(ctx))
    if not active:
        a["signedOutAt"] = ctx.updated_at
    elif chance(0.5):
        a["signedOutAt"] = None
    rid = ctx.rid
    rels = {
        "org": _rel("org", ctx.pool.org_id, "/v1/orgs/"),
        "user": _rel("user", user_id, "/v1/users/"),
        "team": _opt_rel(ctx, "team", team_id, "/v1/teams/", 0.03),
        "routingSettings": _rel("team_routing_setting", team_id, "/v1/routing/settings/"),
        "status": _rel("routing_status", status[0], "/v1/routing/statuses/"),
        "queues": _to_many("queue", queue_ids, f"/v1/routing/work-sessions/{rid}/queues"),
        "createdBy": _rel("user", user_id if chance(0.9) else ctx.user(), "/v1/users/"),
        "modifiedBy": _opt_rel(ctx, "user", user_id if chance(0.7) else ctx.user(), "/v1/users/"),
    }
    if chance(0.4):  # an attribute and a relationship of one name: the attribute wins in the record
        revision = ctx.hexid()
        a["lastRevision"] = {
            "handledItemCount": max(0, handled - 1),
            "totalAvailable": {"statusAt": totals["available"][2]},
        }
        rels["lastRevision"] = _rel("work_session_revision", revision, "/v1/routing/work-sessions/revisions/")
    return a, rels, {"self": f"/v1/routing/work-sessions/{rid}"}


# --------------------------------------------------------------------------- entry points

TYPES = {  # only audit_log is documented; the rest are the sandbox's guesses
    "queues": "queue",
    "routing_statuses": "routing_status",
    "team_routing_settings": "team_routing_setting",
    "work_sessions": "work_session",
    "slas": "sla",
    "sla_versions": "sla_version",
    "audit_logs": "audit_log",
}
_BUILDERS = {
    "queues": _queue,
    "routing_statuses": _routing_status,
    "team_routing_settings": _team_routing_setting,
    "work_sessions": _work_session,
    "slas": _sla_policy,
    "sla_versions": _sla_version,
    "audit_logs": _audit_log,
}


def build_routing(stream, rng, rid, created_at, updated_at, deleted, pool, **options):
    """One JSON:API resource for stream, like data.build. options go to the builder:
    queues system=True; routing_statuses system_type="available"|...; team_routing_settings
    queue_ids, capacity (rid must be a team id); work_sessions active, user_id, team_id,
    queue_ids, capacity; slas version_ids; sla_versions sla_id, number, name."""
    try:
        builder = _BUILDERS[stream]
    except KeyError:
        raise ValueError(f"unknown stream {stream!r}") from None
    ctx = _Ctx(rng, rid, created_at, updated_at, pool)
    attributes, relationships, links = builder(ctx, deleted, **options)
    return {"type": TYPES[stream], "id": rid, "attributes": attributes, "relationships": relationships, "links": links}


def _hexid(rng):
    return f"{rng.getrandbits(96):024x}"


DEFAULT_COUNTS = {"queues": 12, "routing_statuses": 9, "work_sessions": 80, "slas": 6, "audit_logs": 300}


def build_org(pool, seed=1, now="2025-06-02T09:30:00.000Z", counts=None, history_days=400):
    """Every routing, SLA and audit-log resource of one org, consistent with each other and
    with pool (a data.Pool or RoutingPool: its org, users, teams, customers, conversations).
    Returns ({stream: [resource, ...]}, RoutingPool). SLA versions come as one list; each
    version's relationships.sla names its parent (the tap's sla_id)."""
    counts = {**DEFAULT_COUNTS, **(counts or {})}
    rng = random.Random(f"{seed}:routing")
    now_ms = _ms(now)
    users = list(pool.user_ids) or [_hexid(rng) for _ in range(8)]
    teams = list(pool.team_ids) or [_hexid(rng) for _ in range(3)]
    rpool = RoutingPool(
        org_id=pool.org_id,
        user_ids=users,
        team_ids=teams,
        customer_ids=list(pool.customer_ids),
        conversation_ids=list(pool.conversation_ids),
        tag_ids=list(pool.tag_ids),
        klass_names=list(pool.klass_names),
        schedule_ids=[_hexid(rng) for _ in range(3)],
    )

    def window(max_age_days, max_span_ms):
        updated = now_ms - rng.randrange(0, max_age_days * _DAY)
        created = updated - rng.randrange(0, max_span_ms)
        return _fmt(created), _fmt(updated)

    out = {name: [] for name in ROUTING_STREAMS}
    for i in range(max(1, counts["queues"])):
        created, updated = window(history_days, 200 * _DAY)
        res = build_routing(
            "queues", rng, _hexid(rng), created, updated, i > 0 and rng.random() < 0.08, rpool, system=i == 0
        )
        out["queues"].append(res)
    live_queues = [q["id"] for q in out["queues"] if not q["attributes"]["deleted"]]
    rpool.queue_ids = live_queues

    kinds = list(STATUS_TYPES) + [None] * max(0, counts["routing_statuses"] - len(STATUS_TYPES))
    for kind in kinds:
        created, updated = window(history_days, 200 * _DAY)
        res = build_routing("routing_statuses", rng, _hexid(rng), created, updated, False, rpool, system_type=kind)
        out["routing_statuses"].append(res)
    rpool.statuses = [(s["id"], s["attributes"]["statusType"]) for s in out["routing_statuses"]]

    for team in teams:
        if rng.random() < 0.2:
            continue  # a team nobody saved routing settings for has no record
        queues = rng.sample(live_queues, min(len(live_queues), rng.randint(1, 10)))
        capacity = rng.choice((2, 3, 4, 5, 8))
        created, updated = window(history_days, 100 * _DAY)
        res = build_routing(
            "team_routing_settings",
            rng,
            team,
            created,
            updated,
            rng.random() < 0.05,
            rpool,
            queue_ids=queues,
            capacity=capacity,
        )
        out["team_routing_settings"].append(res)
        rpool.team_settings[team] = (queues, capacity)
    routing_teams = list(rpool.team_settings) or teams

    active_users = set()
    for _ in range(counts["work_sessions"]):
        user = rng.choice(users)
        active = user not in active_users and rng.random() < 0.25  # at most one current session per user
        if active:
            active_users.add(user)
            updated = now_ms - rng.randrange(0, _HOUR)
            created = updated - rng.randrange(5 * _MIN, 10 * _HOUR)
        else:
            updated = now_ms - rng.randrange(_HOUR, 120 * _DAY)
            created = updated - rng.randrange(_MIN, 11 * _HOUR)
        res = build_routing(
            "work_sessions",
            rng,
            _hexid(rng),
            _fmt(created),
            _fmt(updated),
            False,
            rpool,
            active=active,
            user_id=user,
            team_id=rng.choice(routing_teams),
        )
        out["work_sessions"].append(res)

    for _ in range(counts["slas"]):
        sla_id = _hexid(rng)
        n = rng.randint(1, 4)
        version_ids = [_hexid(rng) for _ in range(n)]
        created = now_ms - rng.randrange(30 * _DAY, history_days * _DAY)
        stamps = [created] + sorted(rng.randrange(created, now_ms) for _ in range(n - 1))
        out["slas"].append(
            build_routing("slas", rng, sla_id, _fmt(created), _fmt(stamps[-1]), False, rpool, version_ids=version_ids)
        )
        name = rng.choice(_SLA_NAMES)
        for number, (vid, at) in enumerate(zip(version_ids, stamps, strict=True), start=1):
            renamed = name if rng.random() < 0.85 else rng.choice(_SLA_NAMES)
            out["sla_versions"].append(
                build_routing(
                    "sla_versions",
                    rng,
                    vid,
                    _fmt(at),
                    _fmt(at),
                    False,
                    rpool,
                    sla_id=sla_id,
                    number=number,
                    name=renamed,
                )
            )

    for _ in range(counts["audit_logs"]):  # over 120 days: the older 90-day kinds are already expired
        out["audit_logs"].append(audit_entry(rng, rpool, now_ms - rng.randrange(0, 120 * _DAY)))
    out["audit_logs"].sort(key=lambda r: r["attributes"]["createdAt"])
    return out, rpool


def audit_entry(rng, pool, created_ms):
    """One audit-log entry created at created_ms (epoch milliseconds)."""
    stamp = _fmt(created_ms)
    return build_routing("audit_logs", rng, _hexid(rng), stamp, stamp, False, pool)
