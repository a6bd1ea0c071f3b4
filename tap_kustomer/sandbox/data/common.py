"""What the sandbox's builders share: the id pool, word lists, time formats and the per-record context."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone


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
    company_ids: list[str] = field(default_factory=list)


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


def _by_channel(ctx, total):
    out = {}
    for ch in _COUNT_CHANNELS:
        if ctx.chance(0.35):
            out[ch] = ctx.int(0, total)
    return out


# --------------------------------------------------------------------------- contact lists, satisfaction


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
