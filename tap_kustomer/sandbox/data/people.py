"""Customers, users and teams, and tags."""

from __future__ import annotations

from tap_kustomer.sandbox.data.common import (
    _CHANNELS,
    _COLORS,
    _DAY,
    _HEX_COLORS,
    _ICONS,
    _LOCALES,
    _PREVIEWS,
    _ROLES,
    _STREETS,
    _SUBJECTS,
    _TAG_NAMES,
    _TEAM_NAMES,
    _TIME_ZONES,
    _base_rels,
    _email_items,
    _fmt,
    _opt_rel,
    _phone_items,
    _satisfaction,
    _social_items,
)
from tap_kustomer.sandbox.data.custom import _custom

# --------------------------------------------------------------------------- customers


def _customer(ctx, deleted):
    pick, r = ctx.pick, ctx.r
    first, last, full = ctx.person()
    n_conv = ctx.int(0, 12)
    done = ctx.int(0, n_conv)
    snoozed = ctx.int(0, n_conv - done)
    times = ctx.sorted_ms(6)
    at = [_fmt(t) for t in times]
    channel = pick(_CHANNELS)
    tag_ids = ctx.pool.tag_ids
    a = {
        "name": full if r() < 0.95 else None,
        "displayName": full if r() < 0.8 else pick(("Silver Scissors", "Green Compass", "Blue Anchor", first)),
        "displayColor": pick(_COLORS),
        "displayIcon": pick(_ICONS),
        "firstName": first if r() < 0.85 else None,
        "lastName": last if r() < 0.85 else None,
        "username": (first.lower() + ctx.digits(2)) if r() < 0.3 else None,
        "avatarUrl": f"https://cdn.example.com/avatars/{ctx.hexid()}.png" if r() < 0.3 else None,
        "externalId": ("shop-" + ctx.digits(8)) if r() < 0.6 else None,
        "externalIds": ([{"externalId": "shop-" + ctx.digits(8), "verified": r() < 0.5}] if r() < 0.4 else []),
        "sharedExternalIds": ([{"externalId": "crm-" + ctx.digits(6), "verified": False}] if r() < 0.07 else []),
        "emails": _email_items(ctx, first, last, pick((0, 1, 1, 1, 2))),
        "sharedEmails": _email_items(ctx, first, last, 1) if r() < 0.07 else [],
        "phones": _phone_items(ctx, pick((0, 0, 1, 1, 2))),
        "sharedPhones": _phone_items(ctx, 1) if r() < 0.07 else [],
        "whatsapps": _phone_items(ctx, 1, ("mobile",)) if r() < 0.15 else [],
        "sharedWhatsapps": _phone_items(ctx, 1, ("mobile",)) if r() < 0.06 else [],
        "facebookIds": ([{"userId": ctx.digits(15), "pageId": ctx.digits(12)}] if r() < 0.15 else []),
        "instagramIds": ([{"userId": ctx.digits(17), "username": first.lower()}] if r() < 0.1 else []),
        "smoochIds": [ctx.hexid()] if r() < 0.1 else [],
        "socials": _social_items(ctx, first, pick((0, 0, 0, 1, 2))),
        "sharedSocials": _social_items(ctx, first, 1) if r() < 0.06 else [],
        "urls": (
            [{"url": f"https://{last.lower().replace(' ', '')}.example.com", "type": pick(("website", "blog"))}]
            if r() < 0.2
            else []
        ),
        "locations": ([{"type": pick(("home", "work")), "address": pick(_STREETS)}] if r() < 0.3 else []),
        "activeUsers": ctx.some_ids(ctx.pool.user_ids, 0, 2) if r() < 0.2 else [],
        "watchers": ctx.some_ids(ctx.pool.user_ids, 1, 2) if r() < 0.15 else [],
        "recentLocation": {"updatedAt": at[1]},
        "locale": pick(_LOCALES) if r() < 0.7 else None,
        "timeZone": pick(_TIME_ZONES) if r() < 0.5 else None,
        "gender": pick(("m", "f", "m", "f", "x")) if r() < 0.4 else None,
        "birthdayAt": (_fmt(ctx.ms_in(-631_152_000_000, 1_104_537_600_000)) if r() < 0.3 else None),
        "signedUpAt": ctx.at(ctx.c - 700 * _DAY, ctx.c) if r() < 0.45 else None,
        "importedAt": at[0] if r() < 0.2 else None,
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
        "modifiedAt": ctx.updated_at if r() < 0.8 else at[5],
        "lastActivityAt": at[4],
        "lastCustomerActivityAt": at[3] if r() < 0.7 else None,
        "lastSeenAt": at[3] if r() < 0.4 else None,
        "lastMessageAt": at[3] if n_conv else None,
        "deleted": deleted,
        "lastMessageIn": (
            {"channel": channel, "sentAt": at[2], "sentiment": ctx.sentiment()} if n_conv else {"sentiment": {}}
        ),
        "lastMessageOut": ({"channel": channel, "sentAt": at[3]} if n_conv and r() < 0.8 else {}),
        "lastMessageUnrespondedTo": ({"channel": channel, "sentAt": at[2]} if n_conv and r() < 0.3 else {}),
        "lastConversation": (
            {
                "id": ctx.some_id(ctx.pool.conversation_ids),
                "channels": [channel],
                "sentiment": ctx.sentiment(),
                "tags": ctx.some_ids(tag_ids, 0, 2),
            }
            if n_conv
            else {"channels": [], "tags": [], "sentiment": {}}  # as the description's example of a new customer
        ),
        "conversationCounts": {"done": done, "open": n_conv - done - snoozed, "snoozed": snoozed, "all": n_conv},
        "preview": (
            {
                "channel": channel,
                "type": "message",
                "previewAt": at[3],
                "subject": pick(_SUBJECTS),
                "text": pick(_PREVIEWS),
            }
            if n_conv and r() < 0.8
            else {}
        ),
        "tags": ctx.some_ids(tag_ids, 0, 3),
        "progressiveStatus": pick(("lead", "customer", "churned", None, None)),
        "verified": r() < 0.6,
        "rev": ctx.int(1, 40),
        "recentItems": [
            {
                "id": ctx.hexid(),
                "type": pick(("kobject.order", "conversation")),
                "updatedAt": at[4],
                "meta": {"title": pick(("Order #1059", "Where is my order?"))},
            }
            for _ in range(pick((0, 0, 1, 2)))
        ],
        "satisfactionLevel": {"firstSatisfaction": _satisfaction(ctx), "lastSatisfaction": _satisfaction(ctx)},
        "sentiment": ctx.sentiment() if n_conv else {},
        "roleGroupVersions": [],
        "accessOverride": [],
        "custom": _custom(ctx, "customer"),
        "presence": pick(("offline", "offline", "online", "away")),
    }
    if r() < 0.05:
        a["roleGroupVersions"] = [{"roleGroup": ctx.hexid(), "version": ctx.int(1, 9)}]
    if r() < 0.04:
        a["accessOverride"] = [{"team": ctx.team(), "access": "read"}]
    if r() < 0.1:
        a["recentLocation"].update({"city": "Madrid", "countryCode": "ES"})
    if deleted:
        a["deletedAt"] = ctx.updated_at
    rid = ctx.rid
    rels = _base_rels(ctx)
    rels["messages"] = {"links": {"self": f"/v1/customers/{rid}/messages"}}
    if r() < 0.35:
        rels["company"] = _opt_rel(ctx, "company", ctx.some_id(ctx.pool.company_ids), "/v1/companies/", 0.1)
    return a, rels, {"self": f"/v1/customers/{rid}"}


# --------------------------------------------------------------------------- tags, teams, users


def _tag(ctx, deleted):
    a = {
        "name": ctx.pick(_TAG_NAMES) + ("" if ctx.chance(0.7) else f" {ctx.int(2, 99)}"),
        "color": ctx.pick(_HEX_COLORS) if ctx.chance(0.9) else None,
        "deleted": deleted,
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
        "modifiedAt": ctx.updated_at if ctx.chance(0.8) else ctx.at(),
        "rev": ctx.int(1, 5),
    }
    return a, _base_rels(ctx), {"self": f"/v1/tags/{ctx.rid}"}


def _team(ctx, deleted):
    chance = ctx.chance
    name = ctx.pick(_TEAM_NAMES)
    a = {
        "name": name,
        "displayName": name if chance(0.6) else (name + " 🌍" if chance(0.3) else None),
        "icon": ctx.pick(_ICONS) if chance(0.7) else None,
        "members": ctx.some_ids(ctx.pool.user_ids, 0, 8),
        "roleGroups": [ctx.hexid() for _ in range(ctx.int(0, 2))],
        "externalId": ("team-" + ctx.digits(4)) if chance(0.15) else None,
        "importedAt": ctx.at() if chance(0.1) else None,
        "deleted": deleted,
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
        "modifiedAt": ctx.updated_at if chance(0.8) else ctx.at(),
        "rev": ctx.int(1, 30),
    }
    rels = _base_rels(ctx)
    if deleted:
        a["deletedAt"] = ctx.updated_at
        rels["deletedBy"] = _opt_rel(ctx, "user", ctx.user(), "/v1/users/")
    return a, rels, {"self": f"/v1/teams/{ctx.rid}"}


def _user(ctx, deleted):
    pick, chance = ctx.pick, ctx.chance
    machine = chance(0.1)
    if machine:
        name = pick(("Zapier", "Shopify sync", "Data warehouse export", "Chatbot"))
        display, email = f"{name} (API key)", None
    else:
        first, last, name = ctx.person()
        display = first if chance(0.4) else name
        email = ctx.email_for(first, last).split("@")[0] + "@acme.example.com"
    verified = ctx.ms_in()
    a = {
        "name": name,
        "displayName": display,
        "email": email,
        "emailVerifiedAt": _fmt(verified) if email and chance(0.85) else None,
        "firstEmailVerifiedAt": _fmt(verified) if email and chance(0.8) else None,
        "emailSignature": (f"{display}\nAcme Support · ☎ +1 800 555 0100" if not machine and chance(0.5) else None),
        "mobile": ctx.phone() if not machine and chance(0.3) else None,
        "avatarUrl": (f"https://cdn.example.com/avatars/{ctx.hexid()}.png" if not machine and chance(0.5) else None),
        "userType": "machine" if machine else "user",
        "roles": [pick(_ROLES) for _ in range(ctx.int(1, 4))],
        "roleGroups": [ctx.hexid() for _ in range(ctx.int(0, 2))],
        "password": ({} if machine else {"allowNew": chance(0.9), "forceNew": chance(0.05), "updatedAt": ctx.at()}),
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
        "modifiedAt": ctx.updated_at if chance(0.8) else ctx.at(),
        "rev": ctx.int(1, 20),
    }
    if deleted:
        a["deletedAt"] = ctx.updated_at
    return a, _base_rels(ctx), {"self": f"/v1/users/{ctx.rid}"}
