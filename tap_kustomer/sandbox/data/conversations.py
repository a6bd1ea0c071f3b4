"""Conversations, messages, notes and shortcuts."""

from __future__ import annotations

from tap_kustomer.sandbox.data.common import (
    _APPS,
    _CHANNELS,
    _CITIES,
    _HOUR,
    _LANGS,
    _NOTE_BODIES,
    _PREVIEWS,
    _SHORTCUT_NAMES,
    _SUBJECTS,
    _base_rels,
    _by_channel,
    _fmt,
    _opt_rel,
    _rel,
    _satisfaction,
)
from tap_kustomer.sandbox.data.custom import _custom

# --------------------------------------------------------------------------- conversations


def _done_snapshot(ctx, at, messages, notes):
    outbound = ctx.int(0, messages)
    return {
        "time": at - ctx.c,
        "businessTime": int((at - ctx.c) * 0.4),
        "createdAt": _fmt(at),
        "createdBy": ctx.user(),
        "createdByTeams": ctx.some_ids(ctx.pool.team_ids, 0, 2),
        "assignedUsers": ctx.some_ids(ctx.pool.user_ids, 0, 1),
        "assignedTeams": ctx.some_ids(ctx.pool.team_ids, 0, 1),
        "lastMessageDirection": ctx.pick(("in", "out")),
        "lastMessageDirectionType": ctx.pick(("response-out", "followup-in", "initial-in")),
        "messageCount": messages,
        "messageCountByChannel": _by_channel(ctx, messages),
        "noteCount": notes,
        "outboundMessageCount": outbound,
        "outboundMessageCountByChannel": _by_channel(ctx, outbound),
    }


def _response_snapshot(ctx, at, with_sent=True):
    snap = {
        "id": ctx.hexid(),
        "createdAt": _fmt(at),
        "createdBy": ctx.user(),
        "createdByTeams": ctx.some_ids(ctx.pool.team_ids, 0, 2),
        "assignedUsers": ctx.some_ids(ctx.pool.user_ids, 0, 1),
        "assignedTeams": ctx.some_ids(ctx.pool.team_ids, 0, 1),
        "time": at - ctx.c,
        "businessTime": int((at - ctx.c) * 0.35),
    }
    if with_sent:
        snap["sentAt"] = _fmt(at)
        snap["responseTime"] = at - ctx.c
    return snap


def _msg_ref(ctx, at):
    return {"id": ctx.hexid(), "createdAt": _fmt(at + ctx.int(0, 900)), "sentAt": _fmt(at)}


def _sla(ctx, times):
    breached = ctx.chance(0.25)
    fr_breach = times[1] + 4 * _HOUR
    return {
        "version": ctx.int(1, 6),
        "matchedAt": _fmt(times[0]),
        "status": "breached" if breached else ctx.pick(("active", "satisfied")),
        "breached": breached,
        "breach": ({"metric": "firstResponse", "at": _fmt(fr_breach)} if breached else {}),
        "metrics": {
            "firstResponse": {"breachAt": _fmt(fr_breach), "satisfiedAt": _fmt(times[2])},
            "longestUnrespondedMessage": {
                "breachAt": _fmt(times[3] + 8 * _HOUR),
                "satisfiedAt": (_fmt(times[4]) if ctx.chance(0.7) else None),
            },
        },
        "summary": {
            "firstBreachAt": _fmt(fr_breach) if breached else None,
            "satisfiedAt": _fmt(times[4]) if not breached else None,
        },
    }


def _conversation(ctx, deleted):
    pick, chance = ctx.pick, ctx.chance
    times = ctx.sorted_ms(8)
    status = pick(("open", "done", "done", "done", "snoozed"))
    channels = [pick(_CHANNELS)]
    if chance(0.15):
        extra = pick(_CHANNELS)
        if extra not in channels:
            channels.append(extra)
    messages = ctx.int(1, 25)
    notes = ctx.int(0, 4)
    outbound = ctx.int(0, messages)
    done_count = ctx.int(1, 3) if status == "done" else ctx.int(0, 1)
    ended = status == "done"
    has_response = outbound > 0
    a = {
        "name": pick(_SUBJECTS),
        "channels": channels,
        "status": status,
        "messageCount": messages,
        "noteCount": notes,
        "outboundMessageCount": outbound,
        "satisfaction": pick((0, 0, 0, 1, 2, 3, 4, 5, 5)),
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
        "modifiedAt": ctx.updated_at if chance(0.8) else _fmt(times[7]),
        "tags": ctx.some_ids(ctx.pool.tag_ids, 0, 3),
        "suggestedTags": (
            [{"tag": ctx.some_id(ctx.pool.tag_ids), "confidence": round(ctx.r(), 3)}] if chance(0.2) else []
        ),
        "suggestedShortcuts": ([{"shortcut": ctx.hexid(), "confidence": round(ctx.r(), 3)}] if chance(0.1) else []),
        "sentiment": ctx.sentiment(),
        "lastMessageIn": _msg_ref(ctx, times[5]),
        "lastMessageOut": _msg_ref(ctx, times[6]) if has_response else {},
        "lastMessageUnrespondedTo": _msg_ref(ctx, times[5]) if chance(0.4) else {},
        "lastMessageUnrespondedToSinceLastDone": (_msg_ref(ctx, times[5]) if chance(0.3) else {}),
        "assignedUsers": ctx.some_ids(ctx.pool.user_ids, 0, 1),
        "assignedTeams": ctx.some_ids(ctx.pool.team_ids, 0, 1),
        "firstResponse": _response_snapshot(ctx, times[2]) if has_response else {},
        "firstResponseSinceLastDone": (_response_snapshot(ctx, times[4]) if has_response and chance(0.5) else {}),
        "lastResponse": _response_snapshot(ctx, times[6], False) if has_response else {},
        "firstMessageIn": {
            "id": ctx.hexid(),
            "channel": channels[0],
            "directionType": "initial-in",
            "createdAt": _fmt(times[0]),
            "sentAt": _fmt(times[0]),
        },
        "firstMessageOut": (
            {
                "id": ctx.hexid(),
                "channel": channels[0],
                "directionType": "response-out",
                "createdAt": _fmt(times[2]),
                "createdBy": ctx.user(),
                "createdByTeams": ctx.some_ids(ctx.pool.team_ids, 0, 1),
                "sentAt": _fmt(times[2]),
            }
            if has_response
            else {}
        ),
        "direction": pick(("in", "in", "in", "out")),
        "lastMessageDirection": pick(("in", "out")),
        "lastMessageAt": _fmt(times[6]),
        "lastReceivedAt": _fmt(times[5]),
        "lastActivityAt": _fmt(times[7]),
        "doneCount": done_count,
        "reopenCount": max(0, done_count - 1),
        "snoozeCount": ctx.int(0, 2),
        "totalDone": {"time": times[7] - times[6], "businessTime": (times[7] - times[6]) // 3},
        "totalOpen": {
            "time": times[6] - times[0],
            "businessTime": (times[6] - times[0]) // 3,
            "timeSinceLastDone": times[6] - times[4],
            "businessTimeSinceLastDone": (times[6] - times[4]) // 3,
        },
        "totalSnooze": (
            {"time": times[4] - times[3], "businessTime": (times[4] - times[3]) // 3} if chance(0.3) else {}
        ),
        "priority": ctx.int(1, 5),
        "preview": pick(_PREVIEWS),
        "externalId": ("zd-" + ctx.digits(7)) if chance(0.3) else None,
        "importedAt": _fmt(times[1]) if chance(0.15) else None,
        "mergedTarget": chance(0.03),
        "ended": ended,
        "rev": ctx.int(1, 60),
        "roleGroupVersions": [],
        "satisfactionLevel": _satisfaction(ctx),
        "sla": _sla(ctx, times) if chance(0.5) else None,
        "slaData": (
            {"policy": "Standard", "businessHours": "24x7", "targets": [{"metric": "firstResponse", "minutes": 240}]}
            if chance(0.3)
            else {}
        ),
        "slaVersion": ({"id": ctx.hexid(), "version": ctx.int(1, 6)} if chance(0.3) else None),
        "deleted": deleted,
        "custom": _custom(ctx, "conversation"),
    }
    if status == "snoozed" or chance(0.1):
        a["snooze"] = {
            "status": "snoozed" if status == "snoozed" else "unsnoozed",
            "statusAt": _fmt(times[3]),
            "time": _fmt(times[3] + ctx.int(1, 72) * _HOUR),
        }
    else:
        a["snooze"] = {}
    if status == "done":
        a["firstDone"] = _done_snapshot(ctx, times[4], messages, notes)
        a["lastDone"] = _done_snapshot(ctx, times[7], messages, notes)
        a["endedAt"] = _fmt(times[7])
        a["endedByType"] = pick(("user", "user", "workflow"))
        a["endedReason"] = pick(("done", "spam", "merged", "auto-close"))
    if chance(0.05):
        a["roleGroupVersions"] = [{"roleGroup": ctx.hexid(), "version": ctx.int(1, 9)}]
    if deleted:
        a["deletedAt"] = ctx.updated_at
    rid = ctx.rid
    rels = _base_rels(ctx)
    rels["customer"] = _rel("customer", ctx.some_id(ctx.pool.customer_ids), "/v1/customers/")
    rels["messages"] = {"links": {"self": f"/v1/conversations/{rid}/messages"}}
    if chance(0.6):
        rels["queue"] = _opt_rel(ctx, "queue", ctx.hexid(), "/v1/routing/queues/")
    if chance(0.7):
        rels["brand"] = _opt_rel(ctx, "brand", ctx.hexid(), "/v1/brands/")
    if ended:
        rels["endedBy"] = _opt_rel(ctx, "user", ctx.user(), "/v1/users/")
    if deleted:
        rels["deletedBy"] = _rel("user", ctx.user(), "/v1/users/")
    return a, rels, {"self": f"/v1/conversations/{rid}"}


# --------------------------------------------------------------------------- messages


def _message_meta(ctx, channel, direction, subject):
    if channel == "email":
        customer_mail = ctx.email_for(*ctx.person()[:2])
        support = ctx.pick(("support@example.com", "help@example.com"))
        meta = {
            "subject": subject,
            "from": customer_mail if direction == "in" else support,
            "to": [{"email": support if direction == "in" else customer_mail}],
            "cc": [{"email": ctx.email_for("ops", "team")}] if ctx.chance(0.15) else [],
            "bcc": [{"email": "archive@example.com"}] if ctx.chance(0.05) else [],
        }
        if direction == "in":
            meta["recipient"] = {"mailboxHash": "", "email": support}
            if ctx.chance(0.5):
                meta["inReplyTo"] = f"<{ctx.hexid()}@kustomer.mail.example.com>"
        return meta
    if channel in ("sms", "whatsapp", "voice"):
        return {"from": ctx.phone(), "to": [{"phone": ctx.phone()}]}
    return {}


def _message(ctx, deleted):
    pick, chance = ctx.pick, ctx.chance
    channel = pick(_CHANNELS)
    direction = pick(("in", "in", "out"))
    out = direction == "out"
    subject = pick(_SUBJECTS)
    sent = ctx.ms_in(ctx.c - 20_000, ctx.c)
    failed = out and chance(0.06)
    city = pick(_CITIES)
    a = {
        "externalId": (
            f"<{ctx.hexid()}@mail.example.com>"
            if channel == "email"
            else ("SM" + ctx.hexid())
            if channel in ("sms", "whatsapp")
            else ctx.digits(16)
            if chance(0.3)
            else None
        ),
        "channel": channel,
        "app": _APPS[channel],
        "size": ctx.int(0, 48_000),
        "direction": direction,
        "directionType": (
            pick(("initial-out", "response-out", "followup-out")) if out else pick(("initial-in", "followup-in"))
        ),
        "preview": pick(_PREVIEWS),
        "sentiment": ctx.sentiment(),
        "meta": _message_meta(ctx, channel, direction, subject),
        "status": "failed" if failed else (pick(("sent", "delivered", "read")) if out else "received"),
        "sentAt": _fmt(sent),
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
        "modifiedAt": ctx.updated_at if chance(0.7) else ctx.at(),
        "importedAt": ctx.at() if chance(0.1) else None,
        "deleted": deleted,
        "rev": ctx.int(1, 5),
        "attachments": (
            [
                {
                    "id": ctx.hexid(),
                    "name": pick(("receipt.pdf", "photo.jpg", "café-menu.png")),
                    "contentType": pick(("application/pdf", "image/jpeg", "image/png")),
                    "contentLength": ctx.int(1000, 900_000),
                }
            ]
            if chance(0.15)
            else []
        ),
        "error": (
            {"code": pick(("bounce", "30007", "rate_limited")), "message": "Message could not be delivered"}
            if failed
            else None
        ),
        "location": (
            {"city": city[0], "region": city[1], "countryCode": city[2], "latitude": city[3], "longitude": city[4]}
            if channel == "chat" and chance(0.5)
            else None
        ),
        "auto": chance(0.1),
        "redacted": chance(0.02),
        "shortcuts": [ctx.hexid()] if out and chance(0.2) else [],
        "reactions": (
            [{"emoji": pick(("👍", "❤️", "😂")), "createdBy": ctx.user(), "createdAt": ctx.at()}]
            if channel in ("chat", "whatsapp", "instagram") and chance(0.3)
            else []
        ),
        "lang": pick(_LANGS) if chance(0.8) else None,
        "custom": _custom(ctx, "message"),
    }
    if deleted:
        a["deletedAt"] = ctx.updated_at
    rid = ctx.rid
    rels = _base_rels(ctx)
    customer_type = "customers" if chance(0.3) else "customer"
    rels["customer"] = _rel(customer_type, ctx.some_id(ctx.pool.customer_ids), "/v1/customers/")
    rels["conversation"] = _rel("conversation", ctx.some_id(ctx.pool.conversation_ids), "/v1/conversations/")
    links = {"self": f"/v1/messages/{rid}"}
    if channel == "email" and chance(0.5):
        links["related"] = f"/v1/postmark/messages/{rid}"
    return a, rels, links


# --------------------------------------------------------------------------- notes


def _note(ctx, deleted):
    chance = ctx.chance
    body = ctx.pick(_NOTE_BODIES)
    mentions = []
    if "@" in body or chance(0.15):
        mentions = [{"user": ctx.user()}]
        if chance(0.2):
            mentions.append({"team": ctx.team()})
    a = {
        "body": body,
        "userMentions": mentions,
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
        "modifiedAt": ctx.updated_at if chance(0.8) else ctx.at(),
        "externalId": ("note-" + ctx.digits(6)) if chance(0.2) else None,
        "importedAt": ctx.at() if chance(0.1) else None,
        "rev": ctx.int(1, 4),
        "deleted": deleted,
    }
    if deleted:
        a["deletedAt"] = ctx.updated_at
    rid = ctx.rid
    rels = _base_rels(ctx)
    rels["customer"] = _opt_rel(ctx, "customer", ctx.some_id(ctx.pool.customer_ids), "/v1/customers/", 0.02)
    rels["conversation"] = _opt_rel(
        ctx, "conversation", ctx.some_id(ctx.pool.conversation_ids), "/v1/conversations/", 0.02
    )
    if deleted:
        rels["deletedBy"] = _rel("user", ctx.user(), "/v1/users/")
    return a, rels, {"self": f"/v1/notes/{rid}"}


# --------------------------------------------------------------------------- shortcuts


def _draft_js(ctx, greeting):
    text = ctx.pick(
        (
            "Thanks for reaching out! Your refund has been issued.",
            "You can track your package here: tracking link.",
            "Lamentamos el retraso — tu pedido ya está en camino 🚚",
            "ご不便をおかけして申し訳ありません。",
        )
    )
    first_line = f"Hi {greeting},"
    blocks = [
        {
            "key": f"{ctx.rng.getrandbits(20):05x}",
            "text": first_line,
            "type": "unstyled",
            "depth": 0,
            "inlineStyleRanges": [],
            "entityRanges": [{"offset": 3, "length": len(greeting), "key": 0}],
            "data": {},
        },
        {
            "key": f"{ctx.rng.getrandbits(20):05x}",
            "text": text,
            "type": "unstyled",
            "depth": 0,
            "inlineStyleRanges": ([{"offset": 0, "length": 6, "style": "BOLD"}] if ctx.chance(0.5) else []),
            "entityRanges": [],
            "data": {},
        },
    ]
    entity_map = {
        "0": {
            "type": "VARIABLE",
            "mutability": "IMMUTABLE",
            "data": {"key": "customer.firstName", "fallbackText": "there"},
        }
    }
    if "tracking link" in text:
        start = text.index("tracking link")
        blocks[1]["entityRanges"].append({"offset": start, "length": 13, "key": 1})
        entity_map["1"] = {
            "type": "LINK",
            "mutability": "MUTABLE",
            "data": {"url": "https://track.example.com/1Z999AA1"},
        }
    if ctx.chance(0.3):
        blocks.append(
            {
                "key": f"{ctx.rng.getrandbits(20):05x}",
                "text": "— The Acme team",
                "type": "unordered-list-item" if ctx.chance(0.2) else "unstyled",
                "depth": 0,
                "inlineStyleRanges": [{"offset": 2, "length": 8, "style": "ITALIC"}],
                "entityRanges": [],
                "data": {"textAlign": "left"},
            }
        )
    return {"blocks": blocks, "entityMap": entity_map}


def _shortcut(ctx, deleted):
    pick, chance = ctx.pick, ctx.chance
    channel = pick(("email", "chat", "sms"))
    draft = {"channel": channel, "subject": pick(_SUBJECTS) if channel == "email" else None}
    a = {
        "name": pick(_SHORTCUT_NAMES),
        "isPrivate": chance(0.2),
        "deleted": deleted,
        "draft": draft if chance(0.6) else {},
        "payload": {
            "text": _draft_js(ctx, "{{customer.firstName}}"),
            "draft": ({"channel": channel, "attachments": []} if chance(0.7) else {}),
        },
        "conversation": {},
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
        "modifiedAt": ctx.updated_at if chance(0.8) else ctx.at(),
        "rev": ctx.int(1, 9),
    }
    if chance(0.5):
        conv = {}
        if chance(0.6):
            conv["name"] = {"operator": "set", "value": pick(_SUBJECTS) or "Follow-up"}
        conv["tags"] = {"operator": pick(("add", "remove")), "value": ctx.some_ids(ctx.pool.tag_ids, 1, 2)}
        a["conversation"] = conv
    rels = _base_rels(ctx)
    return a, rels, {"self": f"/v1/shortcuts/{ctx.rid}"}
