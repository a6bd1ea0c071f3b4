"""Realistic Kustomer resources for the local fake API.

build() returns one resource in the shape the real API sends (JSON:API, camelCase attributes,
relationships with links and data, the known quirks), filled the way real orgs fill them:
mostly present, sometimes null or empty, some unicode. The server assigns ids and the
record's own timestamps; everything else comes from the rng it passes, so the same seed
gives the same data. Standard library only.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

__all__ = ["Pool", "KLASSES", "CUSTOM_ATTRIBUTES", "STREAMS", "build", "klass_resources"]

STREAMS = ("conversations", "customers", "kobjects", "messages", "notes", "shortcuts", "tags", "teams", "users")


@dataclass
class Pool:
    """Ids the server already has, so relationships point at records that exist."""

    org_id: str
    user_ids: list[str] = field(default_factory=list)
    team_ids: list[str] = field(default_factory=list)
    customer_ids: list[str] = field(default_factory=list)
    conversation_ids: list[str] = field(default_factory=list)
    tag_ids: list[str] = field(default_factory=list)
    klass_names: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- klasses, metadata

_SANDBOX_ORG = "5f9c1a2b3c4d5e6f70819a2b"
_KLASS_DEFS = (
    # name, id, displayName, icon, color, mixins, createdAt, updatedAt
    (
        "order",
        "5f9c1a2b3c4d5e6f70819b01",
        "Order",
        "cart",
        "#3f51b5",
        ["assignable"],
        "2019-04-02T15:21:07.112Z",
        "2024-11-18T09:02:44.930Z",
    ),
    (
        "subscription",
        "5f9c1a2b3c4d5e6f70819b02",
        "Subscription",
        "autorenew",
        "#009688",
        [],
        "2020-01-13T11:45:52.004Z",
        "2023-06-30T17:28:19.377Z",
    ),
    (
        "device",
        "5f9c1a2b3c4d5e6f70819b03",
        "Device",
        "lock",
        "",
        ["assignable"],
        "2021-08-27T08:03:31.650Z",
        "2025-02-04T22:10:05.018Z",
    ),
)


def klass_resources(org_id: str = _SANDBOX_ORG) -> list[dict]:
    """The klasses as GET /v1/klasses sends them, for the given org (fresh dicts each call)."""
    out = []
    for name, kid, display, icon, color, mixins, created, updated in _KLASS_DEFS:
        out.append(
            {
                "type": "klass",
                "id": kid,
                "attributes": {
                    "name": name,
                    "displayName": display,
                    "icon": icon,
                    "color": color,
                    "appDisabled": False,
                    "status": "enabled",
                    "mixins": list(mixins),
                    "updatedAt": updated,
                    "createdAt": created,
                },
                "relationships": {
                    "org": {"links": {"self": f"/v1/orgs/{org_id}"}, "data": {"type": "org", "id": org_id}},
                    "kobjects": {"links": {"self": f"/v1/klasses/{name}"}},
                },
                "links": {"self": f"/v1/klasses/{kid}"},
            }
        )
    return out


KLASSES: list[dict] = klass_resources()


def _attr(kind, display, **extra):
    spec = {"type": kind, "displayName": display}
    spec.update(extra)
    return spec


CUSTOM_ATTRIBUTES: dict[str, dict] = {
    "customer": {
        "loyaltyTierStr": _attr("string", "Loyalty tier", enumeration=["bronze", "silver", "gold", "platinum"]),
        "accountNumberStr": _attr("string", "Account number"),
        "lifetimeValueNum": _attr("number", "Lifetime value"),
        "ordersCountNum": _attr("number", "Orders count"),
        "acceptsMarketingBool": _attr("boolean", "Accepts marketing"),
        "lastOrderAt": _attr("date", "Last order"),
        "vipNotesTxt": _attr("string", "VIP notes"),
        "preferredContactTree": _attr(
            "string",
            "Preferred contact",
            enumeration=["email", "email.newsletter", "phone", "phone.sms", "phone.whatsapp"],
        ),
        "profileUrl": _attr("string", "Profile"),
        "latestOrderId": _attr("string", "Latest order", target="kobject.order"),
        "wishlistId": _attr("string", "Wishlist orders", target="kobject.order", multi=True),
        "legacyScoreNum": {"displayName": "Legacy score"},  # a definition silent on its type
    },
    "conversation": {
        "contactReasonTree": _attr(
            "string",
            "Contact reason",
            enumeration=[
                "billing",
                "billing.refund",
                "billing.invoice",
                "shipping",
                "shipping.delayed",
                "shipping.damaged",
                "product.question",
            ],
        ),
        "brandStr": _attr("string", "Brand", enumeration=["Acme", "Acme Kids", "Nordlys"]),
        "orderNumberStr": _attr("string", "Order number"),
        "refundAmountNum": _attr("number", "Refund amount"),
        "escalatedBool": _attr("boolean", "Escalated"),
        "followUpAt": _attr("date", "Follow up"),
        "resolutionNotesTxt": _attr("string", "Resolution notes"),
        "deskTicketUrl": _attr("string", "Desk ticket"),
        "orderId": _attr("string", "Order", target="kobject.order"),
    },
    "message": {
        "detectedLanguageStr": _attr("string", "Detected language"),
        "translatedBool": _attr("boolean", "Translated"),
        "botConfidenceNum": _attr("number", "Bot confidence"),
        "campaignIdStr": _attr("string", "Campaign"),
    },
    "kobject.order": {
        "orderNumberNum": _attr("number", "Order number"),
        "orderStatusStr": _attr(
            "string", "Order status", enumeration=["pending", "paid", "fulfilled", "refunded", "cancelled"]
        ),
        "totalPriceNum": _attr("number", "Total price"),
        "currencyStr": _attr("string", "Currency", enumeration=["USD", "EUR", "GBP", "JPY"]),
        "orderCreatedAt": _attr("date", "Order created"),
        "shippingAddressTxt": _attr("string", "Shipping address"),
        "trackingUrl": _attr("string", "Tracking"),
        "giftBool": _attr("boolean", "Gift"),
        "skusTxt": _attr("string", "SKUs"),
        "legacyCodeNum": _attr("number", "Legacy code"),
    },
    "kobject.subscription": {
        "planStr": _attr("string", "Plan", enumeration=["basic", "plus", "pro"]),
        "monthlyPriceNum": _attr("number", "Monthly price"),
        "renewsAt": _attr("date", "Renews"),
        "autoRenewBool": _attr("boolean", "Auto renew"),
        "cancelReasonTree": _attr(
            "string",
            "Cancel reason",
            enumeration=["price", "price.too_high", "product", "product.missing_feature", "other"],
        ),
    },
    "kobject.device": {
        "serialNumberStr": _attr("string", "Serial number"),
        "modelStr": _attr("string", "Model", enumeration=["Lock Pro", "Lock Mini", "Doorbell 2"]),
        "firmwareVersionStr": _attr("string", "Firmware version"),
        "installedAt": _attr("date", "Installed"),
        "underWarrantyBool": _attr("boolean", "Under warranty"),
        "batteryLevelNum": _attr("number", "Battery level"),
        "legacyCodeNum": _attr("string", "Legacy code"),  # same name as order's, another type
    },
}

# --------------------------------------------------------------------------- word lists

_FIRST = (
    "John",
    "Maria",
    "Zoë",
    "José",
    "Aisha",
    "Liam",
    "Sofía",
    "Noah",
    "Chloé",
    "Björn",
    "Mei",
    "Hiroshi",
    "Olga",
    "Priya",
    "Ahmed",
    "Fatima",
    "Émile",
    "Grace",
    "Łukasz",
    "Nguyễn",
    "Ana",
    "Ömer",
    "Sven",
    "Yuki",
    "David",
    "Emma",
    "Lucas",
    "Amélie",
    "Kwame",
    "Ingrid",
)
_LAST = (
    "Smith",
    "García",
    "Ångström",
    "Müller",
    "O'Brien",
    "Nakamura",
    "Kowalski",
    "Dubois",
    "Rossi",
    "Johansen",
    "Ivanova",
    "Patel",
    "Okafor",
    "Van der Berg",
    "Søndergaard",
    "Li",
    "Chen",
    "Núñez",
    "Brown",
    "Wilson",
    "Fernández",
    "Schäfer",
    "Kim",
    "Haddad",
    "Tanaka",
)
_CJK_NAMES = ("山田 太郎", "李 小龍", "김 민준", "佐藤 花子", "王 芳")
_DOMAINS = ("example.com", "mail.example.org", "example.net", "correo.example.es", "example.co.jp")
_COLORS = ("green", "silver", "blue", "orange", "purple", "red", "teal", "gold", "pink")
_ICONS = ("compass", "scissors", "anchor", "bicycle", "coffee", "leaf", "rocket", "star", "umbrella", "key")
_HEX_COLORS = ("#e74c3c", "#3498db", "#2ecc71", "#f1c40f", "#9b59b6", "#1abc9c", "#34495e", "#e67e22", "#95a5a6")
_LOCALES = ("en_US", "en_GB", "es_ES", "fr_FR", "de_DE", "ja_JP", "pt_BR", "sv_SE")
_TIME_ZONES = (
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Madrid",
    "Asia/Tokyo",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Europe/Stockholm",
)
_LANGS = ("en", "en", "en", "es", "fr", "de", "ja", "pt")
_CHANNELS = ("email", "email", "email", "chat", "chat", "sms", "voice", "facebook", "instagram", "whatsapp")
_APPS = {
    "email": "postmark",
    "chat": "chat",
    "sms": "twilio",
    "voice": "kustomer-voice",
    "facebook": "facebook",
    "instagram": "instagram",
    "whatsapp": "twilio-whatsapp",
}
_COUNT_CHANNELS = ("chat", "email", "facebook", "instagram", "sms", "voice", "whatsapp")
_SUBJECTS = (
    "Where is my order?",
    "Refund request",
    "Can you please help me?",
    "Wrong size delivered",
    "Problème de facturation",
    "¿Dónde está mi pedido?",
    "Lieferung beschädigt",
    "注文について",
    "Password reset not working",
    "Love the new app! 😍",
    "Cancel my subscription",
    "Re: hey",
    "Package arrived damaged 📦",
    "Question about warranty",
    "",
)
_PREVIEWS = (
    "Hi, my order #1059 still hasn't arrived. Can you check?",
    "Thanks so much for the quick reply! 🙏",
    "I was charged twice for the same order.",
    "Bonjour, je n'ai pas reçu ma commande.",
    "Hola, quiero devolver los zapatos, son demasiado pequeños.",
    "荷物がまだ届いていません。確認していただけますか？",
    "Can you please help me?",
    "The lock keeps disconnecting from Wi‑Fi after the update.",
    "We've issued a refund of $64.67 — it should appear in 3–5 business days.",
    "Your replacement has shipped! Tracking: 1Z999AA10123456784",
    "ok 👍",
    "",
)
_NOTE_BODIES = (
    "Customer called back, issue resolved.",
    "Escalating to billing — double charge confirmed.",
    "@Grace can you take a look? VIP customer ⭐",
    "Offered 15% coupon, customer accepted 🎉",
    "Kunde hat die Rücksendung bestätigt.",
    "返品ラベルを送付済み。",
    "Hey",
    "Shipping carrier confirmed the package was lost in transit.\nReshipped order.",
)
_TAG_NAMES = (
    "VIP",
    "Refund",
    "Shipping delay",
    "Bug",
    "Feature request",
    "Billing",
    "Escalated",
    "Spam",
    "VIP ⭐",
    "Résumé request",
    "返品",
    "Churn risk",
    "Wholesale",
    "Press",
    "Warranty",
)
_TEAM_NAMES = (
    "Tier 1",
    "Tier 2",
    "Billing",
    "Escalations",
    "Social",
    "Voice",
    "EMEA Support",
    "APAC Support",
    "Returns & Exchanges",
    "VIP Concierge",
    "Équipe France",
)
_SHORTCUT_NAMES = (
    "Refund issued",
    "Order delayed 📦",
    "Password reset steps",
    "Warranty info",
    "Greeting",
    "Closing — thanks!",
    "Devolución aceptada",
    "Tracking link",
    "Escalate to Tier 2",
    "お問い合わせありがとうございます",
)
_ROLES = (
    "org.user.customer.read",
    "org.user.customer.write",
    "org.user.conversation.read",
    "org.user.conversation.write",
    "org.user.message.read",
    "org.user.note.read",
    "org.user.kobject.read",
    "org.admin.team.write",
    "org.permission.customer.read",
    "org.permission.search.read",
    "org.user.user.read",
)
_STREETS = (
    "530 7th Ave, New York, NY 10018",
    "221B Baker Street, London NW1 6XE",
    "Calle de Alcalá 42, 28014 Madrid",
    "1-1 Chiyoda, Tokyo 100-0001",
    "Storgatan 12, 111 23 Stockholm",
    "Rua Augusta 1500, São Paulo",
)
_CITIES = (
    ("New York", "NY", "US", 40.7506, -73.9936),
    ("London", "ENG", "GB", 51.5237, -0.1585),
    ("Madrid", "MD", "ES", 40.4189, -3.6965),
    ("東京", "13", "JP", 35.6852, 139.7528),
    ("Stockholm", "AB", "SE", 59.3326, 18.0649),
)
_SKUS = ("HOODIE-GRY-M", "TEE-BLK-L", "MUG-KOFFEE", "SOCK-3PK", "CAP-NVY")

# --------------------------------------------------------------------------- time helpers

_EPOCH = datetime(1970, 1, 1)
_EPOCH_UTC = datetime(1970, 1, 1, tzinfo=timezone.utc)
_ONE_MS = timedelta(milliseconds=1)
_DAY = 86_400_000
_HOUR = 3_600_000
_MIN = 60_000


def _ms(text: str) -> int:
    """Milliseconds since the epoch for an ISO 8601 timestamp ("...Z" as the API writes them)."""
    value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return (value - _EPOCH_UTC) // _ONE_MS


_DAY_PREFIX: dict[int, str] = {}  # days since the epoch -> "YYYY-MM-DDT" (a few thousand at most)


def _fmt(ms: int) -> str:
    """The API's timestamp format: UTC, milliseconds, Z (the date part cached: this is hot)."""
    day, rem = divmod(ms, _DAY)
    prefix = _DAY_PREFIX.get(day)
    if prefix is None:
        prefix = _DAY_PREFIX[day] = (_EPOCH + timedelta(days=day)).strftime("%Y-%m-%dT")
    return "%s%02d:%02d:%02d.%03dZ" % (prefix, rem // _HOUR, rem // _MIN % 60, rem // 1000 % 60, rem % 1000)


def _fmt_offset(ms: int, hours: int) -> str:
    """A custom ...At value kept in a local offset, e.g. 2016-11-06T13:54:29-05:00."""
    local = _EPOCH + timedelta(milliseconds=ms + hours * _HOUR)
    sign = "-" if hours < 0 else "+"
    return local.isoformat(timespec="seconds") + f"{sign}{abs(hours):02d}:00"


# --------------------------------------------------------------------------- small helpers


class _Ctx:
    """Per-call state: the rng's methods bound once, the record's time window, the pool."""

    __slots__ = ("rng", "r", "pool", "c", "u", "created_at", "updated_at", "rid")

    def __init__(self, rng, rid, created_at, updated_at, pool):
        self.rng = rng
        self.r = rng.random
        self.pool = pool
        self.rid = rid
        self.created_at = created_at
        self.updated_at = updated_at
        self.c = _ms(created_at)
        self.u = max(self.c, _ms(updated_at))

    def pick(self, seq):
        return seq[int(self.r() * len(seq))]

    def chance(self, p):
        return self.r() < p

    def int(self, lo, hi):
        return lo + int(self.r() * (hi - lo + 1))

    def hexid(self):
        return f"{self.rng.getrandbits(96):024x}"

    def digits(self, n):
        return "%0*d" % (n, self.rng.getrandbits(64) % (10**n))

    def some_id(self, ids):
        return self.pick(ids) if ids else self.hexid()

    def some_ids(self, ids, lo, hi):
        n = self.int(lo, hi)
        if not ids:
            return [self.hexid() for _ in range(n)]
        out = []
        for _ in range(n):
            value = self.pick(ids)
            if value not in out:
                out.append(value)
        return out

    def user(self):
        return self.some_id(self.pool.user_ids)

    def team(self):
        return self.some_id(self.pool.team_ids)

    def at(self, lo=None, hi=None):
        """A "...Z" timestamp string within [lo, hi] (default: the record's own window)."""
        lo = self.c if lo is None else lo
        hi = self.u if hi is None else hi
        return _fmt(lo + int(self.r() * (hi - lo + 1)) if hi > lo else lo)

    def ms_in(self, lo=None, hi=None):
        lo = self.c if lo is None else lo
        hi = self.u if hi is None else hi
        return lo + int(self.r() * (hi - lo + 1)) if hi > lo else lo

    def sorted_ms(self, n, lo=None, hi=None):
        return sorted(self.ms_in(lo, hi) for _ in range(n))

    def person(self):
        if self.chance(0.06):
            full = self.pick(_CJK_NAMES)
            last, first = full.split(" ", 1)
            return first, last, full
        first, last = self.pick(_FIRST), self.pick(_LAST)
        return first, last, f"{first} {last}"

    def email_for(self, first, last):
        local = _ascii_handle(f"{first}.{last}") or "customer"
        return f"{local}{self.int(1, 999) if self.chance(0.4) else ''}@{self.pick(_DOMAINS)}"

    def phone(self):
        return "+1" + self.pick(("212", "415", "646", "305", "512")) + self.digits(7)

    def sentiment(self):
        if self.chance(0.25):
            return {}
        return {"confidence": round(0.5 + self.r() * 0.5, 4), "polarity": self.pick((-1, 0, 0, 1))}


_HANDLES: dict[str, str] = {}  # names come from small fixed lists, so this stays small


def _ascii_handle(name):
    """The ASCII letters, digits and dots of a name, lowercased ("Zoë.O'Brien" -> "zo.obrien")."""
    found = _HANDLES.get(name)
    if found is None:
        found = _HANDLES[name] = "".join(ch for ch in name.lower() if ch.isascii() and (ch.isalnum() or ch == "."))
        if len(found.replace(".", "")) < 2:
            found = _HANDLES[name] = ""
    return found


def _rel(kind, rid, path):
    return {"links": {"self": f"{path}{rid}"}, "data": {"type": kind, "id": rid}}


def _opt_rel(ctx, kind, rid, path, null_p=0.05):
    """An optional to-one relationship: about 5% of them come back with "data": null."""
    if ctx.chance(null_p):
        return {"links": {"self": f"{path}{rid}"}, "data": None}
    return _rel(kind, rid, path)


def _base_rels(ctx):
    org = ctx.pool.org_id
    rels = {"org": _rel("org", org, "/v1/orgs/"), "createdBy": _rel("user", ctx.user(), "/v1/users/")}
    rels["modifiedBy"] = _opt_rel(ctx, "user", ctx.user(), "/v1/users/")
    return rels


def _custom(ctx, resource):
    """Values for the org's declared custom attributes of resource, some left out."""
    specs = CUSTOM_ATTRIBUTES.get(resource)
    if not specs:
        return {}
    out = {}
    r = ctx.r
    for name, spec in specs.items():
        if r() >= 0.78:
            continue
        kind = spec.get("type") or ("number" if name.endswith("Num") else "string")
        if r() < 0.04:
            out[name] = None
        elif spec.get("multi"):
            out[name] = [ctx.hexid() for _ in range(ctx.int(0, 3))]
        elif "enumeration" in spec:
            out[name] = ctx.pick(spec["enumeration"])
        elif kind == "number":
            if "Count" in name or "Number" in name or "Level" in name:
                out[name] = ctx.int(0, 2000 if "Number" in name else 100)
            else:
                out[name] = ctx.int(0, 400) if r() < 0.3 else round(r() * 500, 2)
            if r() < 0.05:  # some integrations write numbers as strings
                out[name] = str(out[name])
        elif kind == "boolean":
            out[name] = r() < 0.5
        elif kind == "date":
            ms = ctx.ms_in(ctx.c - 400 * _DAY, ctx.u + 30 * _DAY)
            out[name] = _fmt_offset(ms, ctx.pick((-5, -8, 1, 9))) if ctx.chance(0.3) else _fmt(ms)
        elif name.endswith("Url"):
            out[name] = f"https://desk.example.com/tickets/{ctx.int(1000, 99999)}"
        elif name.endswith("Id"):
            out[name] = ctx.hexid()
        elif name.endswith("Txt"):
            if "Address" in name:
                out[name] = ctx.pick(_STREETS)
            elif "skus" in name:
                out[name] = ", ".join(_SKUS[: ctx.int(1, len(_SKUS))])
            else:
                out[name] = ctx.pick(_NOTE_BODIES)
        else:
            out[name] = ctx.pick(("A-", "B-", "KU-", "Ω-")) + ctx.digits(6)
    return out


def _by_channel(ctx, total):
    out = {}
    for ch in _COUNT_CHANNELS:
        if ctx.chance(0.35):
            out[ch] = ctx.int(0, total)
    return out


# --------------------------------------------------------------------------- customers


def _email_items(ctx, first, last, n):
    return [
        {"email": ctx.email_for(first, last), "verified": ctx.chance(0.3), "type": ctx.pick(("home", "work", "other"))}
        for _ in range(n)
    ]


def _phone_items(ctx, n, kinds=("mobile", "home", "work")):
    return [{"phone": ctx.phone(), "verified": ctx.chance(0.2), "type": ctx.pick(kinds)} for _ in range(n)]


def _social_items(ctx, first, n):
    out = []
    for _ in range(n):
        kind = ctx.pick(("twitter", "facebook", "instagram", "linkedin"))
        handle = (_ascii_handle(first) or "user").replace(".", "") + ctx.digits(3)
        out.append(
            {
                "type": kind,
                "userid": ctx.digits(9),
                "username": f"@{handle}",
                "url": f"https://{kind}.com/{handle}",
                "verified": ctx.chance(0.1),
            }
        )
    return out


def _satisfaction(ctx):
    if ctx.chance(0.5):
        return {"sentByTeams": []}
    sent = ctx.ms_in()
    rated = ctx.chance(0.7)
    return {
        "sentByTeams": ctx.some_ids(ctx.pool.team_ids, 0, 2),
        "status": "rated" if rated else ctx.pick(("offered", "scheduled", "unrated")),
        "channel": ctx.pick(("email", "chat", "sms")),
        "sentAt": _fmt(sent),
        "score": ctx.int(1, 5) if rated else None,
        "rating": (ctx.int(0, 10) if ctx.chance(0.3) else round(ctx.r(), 2)) if rated else None,
        "createdAt": _fmt(sent),
        "updatedAt": ctx.at(sent),
    }


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
            else {"channels": [], "tags": []}
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
        rels["company"] = _opt_rel(ctx, "company", ctx.hexid(), "/v1/companies/", 0.1)
    return a, rels, {"self": f"/v1/customers/{rid}"}


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
        "satisfaction": pick((0, 0, 0, 1, 2, 3, 4, 5, 0.5)),
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


# --------------------------------------------------------------------------- kobjects


def _kdone(ctx, at):
    return {
        "time": at - ctx.c,
        "businessTime": (at - ctx.c) // 3,
        "createdAt": _fmt(at),
        "createdBy": ctx.user(),
        "createdByTeam": ctx.team(),
        "assignedTeam": ctx.team(),
        "assignedUser": ctx.user(),
        "commentCount": ctx.int(0, 6),
    }


def _kobject_text(ctx, klass):
    if klass == "order":
        number = ctx.int(1000, 99999)
        items = ctx.int(1, 5)
        total = round(ctx.r() * 300 + 5, 2)
        return (
            f"Order #{number} ({items} items ordered for ${total})",
            f"{items} items ordered for ${total}",
            "truck-delivery",
        )
    if klass == "subscription":
        plan = ctx.pick(("Basic", "Plus", "Pro"))
        return f"{plan} plan — monthly", f"Renews automatically · {plan}", "autorenew"
    if klass == "device":
        return (
            f"{ctx.pick(('Lock Pro', 'Lock Mini', 'Doorbell 2'))} · SN {ctx.digits(10)}",
            ctx.pick(("Front door 🚪", "Garage", "Büro", "玄関")),
            "lock",
        )
    return f"{klass.replace('_', ' ').title()} {ctx.digits(5)}", None, "file"


def _kobject(ctx, deleted, klass):
    pick, chance = ctx.pick, ctx.chance
    title, description, icon = _kobject_text(ctx, klass)
    times = ctx.sorted_ms(3)
    assignable = chance(0.6)
    queue_id = ctx.hexid() if assignable and chance(0.7) else None
    a = {
        "title": title,
        "description": description if chance(0.8) else None,
        "icon": icon,
        "images": (
            [f"https://cdn.example.com/products/{pick(_SKUS).lower()}.jpg" for _ in range(ctx.int(1, 3))]
            if chance(0.4)
            else []
        ),
        "externalId": ("ext-" + ctx.digits(9)) if chance(0.7) else None,
        "data": (
            {
                "source": pick(("shopify", "recharge", "iot-hub")),
                "raw": {"lineItems": [{"sku": pick(_SKUS), "qty": ctx.int(1, 3)}]},
            }
            if chance(0.3)
            else {}
        ),
        "custom": _custom(ctx, f"kobject.{klass}"),
        "tags": ctx.some_ids(ctx.pool.tag_ids, 0, 2),
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
        "modifiedAt": ctx.updated_at if chance(0.8) else _fmt(times[2]),
        "importedAt": _fmt(times[0]) if chance(0.2) else None,
        "rev": ctx.int(0, 12),
        "deleted": deleted,
    }
    if assignable:
        done = ctx.int(0, 3)
        a.update(
            {
                "status": pick(("open", "done", "snoozed")),
                "queue": queue_id,
                "assignedUser": ctx.user() if chance(0.7) else None,
                "doneCount": done,
                "reopenCount": max(0, done - 1),
                "reopenDoneCount": max(0, done - 1),
                "firstDone": _kdone(ctx, times[1]) if done else {},
                "lastDone": _kdone(ctx, times[2]) if done else {},
            }
        )
    rid = ctx.rid
    rels = _base_rels(ctx)
    link_key = "link" if chance(0.3) else "links"
    rels["klass"] = {link_key: {"self": f"/v1/klasses/{klass}"}, "data": {"type": "klass", "id": klass}}
    if chance(0.9):
        rels["customer"] = _opt_rel(ctx, "customer", ctx.some_id(ctx.pool.customer_ids), "/v1/customers/")
    if chance(0.15):
        rels["company"] = _opt_rel(ctx, "company", ctx.hexid(), "/v1/companies/")
    if assignable:
        # The attribute (a plain id) wins over this relationship when both are present.
        rels["queue"] = {
            link_key: {"self": f"/v1/queues/{queue_id or ''}"},
            "data": {"type": "queue", "id": queue_id} if queue_id else None,
        }
    return a, rels, {"self": f"/v1/klasses/{klass}/{rid}"}


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
) -> dict:
    """One JSON:API resource {"type", "id", "attributes", "relationships", "links"} for stream.

    created_at/updated_at are the record's own "...Z" timestamps (created_at <= updated_at);
    deleted=True gives a soft-deleted record (deactivated for users). For kobjects, klass is
    the klass name and the type is "kobject.<klass>".
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
        attributes, relationships, links = builder(ctx, deleted)
    return {"type": rtype, "id": rid, "attributes": attributes, "relationships": relationships, "links": links}
