"""Companies and the org's dimensions: brands, business schedules and their holidays, satisfaction
surveys, role groups, and klasses of every status.

Shapes follow Kustomer's examples where there are some (see ../shared/kustomer-api-streams.md);
what nothing documents (a role group's type, a survey question's shape) is the sandbox's guess.
"""

from __future__ import annotations

from datetime import datetime, timezone

from tap_kustomer.sandbox.data.common import (
    _APPS,
    _DAY,
    _HOUR,
    _LANGS,
    _ROLES,
    _TIME_ZONES,
    _ascii_handle,
    _base_rels,
    _Ctx,
    _fmt,
    _ms,
    _opt_rel,
    _phone_items,
    _rel,
    _social_items,
)
from tap_kustomer.sandbox.data.custom import _SANDBOX_ORG, _custom, klass_resource, klass_resources

# --------------------------------------------------------------------------- word lists

_COMPANY_NAMES = (
    "Acme Corporation",
    "Nordlys AS",
    "Müller & Söhne GmbH",
    "株式会社さくら商事",
    "Café Olé S.L.",
    "Zürich Analytics AG",
    "Société Lumière SARL",
    "São Paulo Exportações Ltda",
    "Łódź Logistics Sp. z o.o.",
    "Blue Anchor Outfitters",
    "Green Compass Co-op",
    "O'Brien & Daughters",
    "한빛 솔루션",
    "Ångström Labs AB",
    "Kwame & Partners 🌍",
)
_COMPANY_MAILBOXES = ("info", "support", "billing", "hello", "ap", "compras")
# address, address2, cityName, regionCode, regionName, countryCode, countryName, zipCode, areaCode, lat, lon
_SITES = (
    ("530 7th Ave", "Floor 12", "New York", "NY", "New York", "US", "United States", "10018", "212", 40.7506, -73.9936),
    ("221B Baker Street", None, "London", "EN", "England", "GB", "United Kingdom", "NW1 6XE", None, 51.5237, -0.1585),
    (
        "Calle de Alcalá 42",
        "3º izquierda",
        "Madrid",
        "MD",
        "Comunidad de Madrid",
        "ES",
        "España",
        "28014",
        None,
        40.4189,
        -3.6965,
    ),
    ("千代田1-1", None, "東京", "13", "東京都", "JP", "日本", "100-0001", None, 35.6852, 139.7528),
    ("Storgatan 12", None, "Stockholm", "AB", "Stockholms län", "SE", "Sverige", "111 23", None, 59.3326, 18.0649),
    (
        "Rua Augusta 1500",
        "Conjunto 52",
        "São Paulo",
        "SP",
        "São Paulo",
        "BR",
        "Brasil",
        "01304-001",
        "11",
        -23.5568,
        -46.6623,
    ),
)
_SITE_NAMES = ("HQ", "Warehouse", "Sede central", "Retail store", "本社", "EMEA office")

_BRAND_NAMES = (
    "Acme Kids",
    "Nordlys",
    "Acme España",
    "アクメ Japan",
    "Zoë's Boutique 🌸",
    "Acme Outlet",
    "Kaffee & Co",
)

_SCHEDULE_NAMES = (
    "Business Hours",
    "Support — EMEA",
    "Horario de atención",
    "営業時間",
    "24/7 Chat",
    "Holiday Hours",
    "Weekend coverage ☀️",
    "Billing desk",
)
# Standard-time offsets (hours) of the sandbox's time zones: holidays start at local midnight.
_TZ_OFFSETS = {
    "America/New_York": -5,
    "America/Los_Angeles": -8,
    "Europe/London": 0,
    "Europe/Madrid": 1,
    "Asia/Tokyo": 9,
    "Australia/Sydney": 10,
    "America/Sao_Paulo": -3,
    "Europe/Stockholm": 1,
}
# month, day (None: a company day on any date), name, days
_HOLIDAYS = (
    (1, 1, "New Year's Day", 1),
    (1, 1, "元日", 1),
    (5, 1, "Fête du Travail", 1),
    (6, 20, "Midsommarafton", 2),
    (7, 4, "Independence Day 🇺🇸", 1),
    (11, 27, "Thanksgiving 🦃", 2),
    (12, 6, "Día de la Constitución", 1),
    (12, 24, "Christmas Eve & Day", 2),
    (None, None, "Company offsite", 3),
    (None, None, "Inventory day", 1),
)
_HOLIDAY_NOTES = (
    "Office closed; chat goes to the after-hours queue.",
    "Reduced staffing — SLAs paused.",
    "Cerrado por festivo nacional.",
    "",
)

_SURVEY_NAMES = (
    "CSAT survey",
    "Chat satisfaction",
    "Encuesta de satisfacción",
    "満足度調査",
    "Post-resolution survey ⭐",
    "Quick rating 👍",
    "Zufriedenheitsumfrage",
)
_SURVEY_CHANNELS = ("email", "email", "chat", "chat", "sms", "whatsapp", "form")
_SCALE_LABELS = (("Terrible", "Amazing"), ("Not satisfied", "Very satisfied"), ("Muy mal", "Excelente"), ("😞", "😍"))
_QUESTION_PROMPTS = (
    "What could we have done better?",
    "What did you like most?",
    "¿Qué podemos mejorar?",
    "How easy was it to get help?",
    "ご意見をお聞かせください",
)
_QUESTION_OPTIONS = ("Speed", "Friendliness", "Knowledge", "Resolution", "Other")

_SYSTEM_ROLE_GROUPS = (
    ("Administrator", "Full access to settings and data."),
    ("Agent", "Works conversations, customers and custom objects."),
    ("Read only", "Views data without changing it."),
)
_CUSTOM_ROLE_GROUPS = (
    "Billing specialists",
    "Équipe qualité",
    "VIP desk ⭐",
    "サポートリーダー",
    "Contractors (limited)",
    "Workforce managers",
)
_PERMISSIONS = _ROLES + (
    "org.permission.schedule.read",
    "org.permission.brand.read",
    "org.permission.satisfaction.read",
    "org.permission.company.read",
    "org.permission.klass.read",
)

# --------------------------------------------------------------------------- companies


def _slug(ctx, name):
    handle = _ascii_handle(name).replace(".", "")[:20]
    return handle + (ctx.digits(2) if ctx.chance(0.2) else "") if handle else "co" + ctx.digits(5)


def _location(ctx):
    pick, chance = ctx.pick, ctx.chance
    site = pick(_SITES)
    address, address2, city, region, region_name, country, country_name, zip_code, area, lat, lon = site
    if chance(0.2):  # filled in by hand: just a type and a free-text address
        return {"type": pick(("work", "other")), "address": f"{address}, {city} {zip_code}"}
    located = chance(0.7)
    return {
        "type": pick(("work", "work", "other", "home")),
        "name": pick(_SITE_NAMES) if chance(0.6) else None,
        "address": address,
        "address2": address2,
        "address3": "Attn: Receiving" if chance(0.1) else None,
        "latitude": lat if located else None,
        "longitude": lon if located else None,
        "countryCode": country,
        "countryName": country_name,
        "regionCode": region,
        "regionName": region_name,
        "cityName": city,
        "zipCode": zip_code,
        "areaCode": area,
    }


def _company(ctx, deleted):
    pick, chance = ctx.pick, ctx.chance
    name = pick(_COMPANY_NAMES)
    slug = _slug(ctx, name)
    domain = f"{slug}.example.com"
    times = ctx.sorted_ms(3)
    a = {
        "name": name,
        "displayName": name if chance(0.7) else (name.split(" ")[0] if chance(0.5) else None),
        # GET /v1/companies spells it extenalId, the rest of the API externalId: both occur
        ("extenalId" if int(ctx.rid, 16) % 3 == 0 else "externalId"): (
            ("crm-" + ctx.digits(7)) if chance(0.6) else None
        ),
        "avatarUrl": f"https://cdn.example.com/logos/{ctx.hexid()}.png" if chance(0.3) else None,
        "emails": [
            {"email": f"{pick(_COMPANY_MAILBOXES)}@{domain}", "verified": chance(0.3), "type": pick(("work", "other"))}
            for _ in range(pick((0, 1, 1, 2, 3)))
        ],
        "phones": _phone_items(ctx, pick((0, 1, 1, 2)), ("work", "work", "fax", "mobile", "other")),
        "whatsapps": _phone_items(ctx, 1, ("mobile",)) if chance(0.1) else [],
        "socials": _social_items(ctx, slug, pick((0, 0, 1, 2))),
        "urls": (
            [{"url": f"https://www.{domain}", "type": "website"}]
            + ([{"url": f"https://blog.{domain}", "type": pick(("blog", "other"))}] if chance(0.3) else [])
            if chance(0.6)
            else []
        ),
        "domains": [{"domain": domain}] + ([{"domain": f"{slug}.example.org"}] if chance(0.2) else []),
        "locations": [_location(ctx) for _ in range(pick((0, 1, 1, 2)))],
        "employeeCount": pick((None, ctx.int(1, 50), ctx.int(50, 800), ctx.int(800, 40_000))),
        "tags": ctx.some_ids(ctx.pool.tag_ids, 0, 3),
        "defaultLang": pick(_LANGS) if chance(0.6) else None,
        "custom": _custom(ctx, "company"),
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
        "modifiedAt": ctx.updated_at if chance(0.8) else _fmt(times[2]),
        "importedAt": _fmt(times[0]) if chance(0.15) else None,
        "lastActivityAt": _fmt(times[1]) if chance(0.6) else None,
        "verified": chance(0.2),
        "rev": ctx.int(1, 25),
        "deleted": deleted,
        "roleGroupVersions": ([{"roleGroup": ctx.hexid(), "version": ctx.int(1, 9)}] if chance(0.05) else []),
    }
    if deleted:
        a["deletedAt"] = ctx.updated_at
    return a, _base_rels(ctx), {"self": f"/v1/companies/{ctx.rid}"}


# --------------------------------------------------------------------------- brands


def _brand(ctx, deleted, default=False):
    """deleted is ignored: the public API has no way to delete a brand."""
    a = {
        "name": "Acme" if default else ctx.pick(_BRAND_NAMES),
        "default": default,
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
    }
    if ctx.chance(0.5):  # the list type does not show iconUrl; create/update responses do
        a["iconUrl"] = f"https://cdn.example.com/brands/{ctx.hexid()}.png" if ctx.chance(0.85) else None
    org = ctx.pool.org_id
    rels = {"org": _rel("org", org, "/v1/orgs/")}
    if not default:  # the official example's default brand has neither modifiedAt nor createdBy/modifiedBy
        a["modifiedAt"] = ctx.updated_at if ctx.chance(0.8) else ctx.at()
        rels["createdBy"] = _rel("user", ctx.user(), "/v1/users/")
        rels["modifiedBy"] = _opt_rel(ctx, "user", ctx.user(), "/v1/users/")
    return a, rels, {"self": f"/v1/brands/{ctx.rid}"}


# --------------------------------------------------------------------------- business schedules


def _hours(ctx):
    """{"0".."6": null (closed) or sorted, non-overlapping [start, end] minute pairs}."""
    kind = ctx.pick(("weekdays", "weekdays", "weekdays", "split", "extended", "always", "weekend"))
    start, end = ctx.pick((420, 480, 480, 540)), ctx.pick((1020, 1020, 1080))
    days = {}
    for day in range(7):
        weekday = 1 <= day <= 5
        if kind == "always":
            days[str(day)] = [[0, 1440]]
        elif kind == "split":
            days[str(day)] = [[start, 720], [780, end]] if weekday else None
        elif kind == "extended":
            days[str(day)] = [[360, 1320]] if weekday else ([[600, 960]] if day == 6 else None)
        elif kind == "weekend":
            days[str(day)] = None if weekday else [[540, 1080]]
        else:
            days[str(day)] = [[start, end]] if weekday else None
    if kind == "weekdays" and start >= 480 and ctx.chance(0.2):  # early Mondays, as in the official example
        days["1"] = [[280, 450], [start, end]]
    return days


def _schedule(ctx, deleted, default=False):
    """A deleted schedule comes back with deleted/deletedAt and is never the default."""
    default = default and not deleted
    a = {
        "name": "Business Hours" if default else ctx.pick(_SCHEDULE_NAMES),
        "hours": _hours(ctx),
        "timezone": ctx.pick(_TIME_ZONES),
        "default": default,
        "createdAt": ctx.created_at,
        "modifiedAt": ctx.updated_at if ctx.chance(0.8) else ctx.at(),
        "updatedAt": ctx.updated_at,
    }
    rels = _base_rels(ctx)
    if deleted:
        a.update({"deleted": True, "deletedAt": ctx.updated_at, "modifiedAt": ctx.updated_at})
        rels["deletedBy"] = _rel("user", ctx.user(), "/v1/users/")
    return a, rels, {"self": f"/v1/schedules/{ctx.rid}"}


# --------------------------------------------------------------------------- holidays


def _holiday(ctx, deleted, schedule_id, tz="UTC"):
    """One `included` holiday of a schedule (deleted is ignored: no deletion is documented).

    startDate/endDate are date-times: local midnight to the last second of the last day, in the
    schedule's time zone, written in UTC (the official example: 2020-03-12T04:00:00.000Z to
    2020-03-14T03:59:59.000Z for New York)."""
    month, day, name, days = ctx.pick(_HOLIDAYS)
    year = datetime.fromtimestamp(ctx.u / 1000, timezone.utc).year + ctx.pick((0, 0, 1))
    if month is None:
        month, day = ctx.int(1, 12), ctx.int(1, 28)
    local_midnight = int(datetime(year, month, day, tzinfo=timezone.utc).timestamp() * 1000)
    start = local_midnight - _TZ_OFFSETS.get(tz, 0) * _HOUR
    note = ctx.pick(_HOLIDAY_NOTES)
    a = {
        "name": name,
        "startDate": _fmt(start),
        "endDate": _fmt(start + days * _DAY - 1000),
        "description": note if ctx.chance(0.6) else None,
        "enabled": ctx.chance(0.8),
        "createdAt": ctx.created_at,
        "modifiedAt": ctx.updated_at if ctx.chance(0.8) else ctx.at(),
        "updatedAt": ctx.updated_at,
    }
    rels = _base_rels(ctx)
    rels["schedule"] = {
        "data": {"type": "schedule", "id": schedule_id},
        "links": {"self": f"/v1/schedules/{schedule_id}"},
    }
    return a, rels, {"self": f"/v1/holidays/{ctx.rid}"}


def build_holiday(rng, rid, created_at, updated_at, pool, schedule_id, tz="UTC"):
    ctx = _Ctx(rng, rid, created_at, updated_at, pool)
    attributes, relationships, links = _holiday(ctx, False, schedule_id, tz)
    return {"type": "holiday", "id": rid, "attributes": attributes, "relationships": relationships, "links": links}


def schedule_holidays(rng, schedule, pool):
    """The `included` list of GET /v1/schedules/{id}?include=holidays: 0-6 holidays, created
    while the schedule existed (ids and timestamps drawn from rng, as the store does)."""
    sa = schedule["attributes"]
    lo, hi = _ms(sa["createdAt"]), _ms(sa["updatedAt"])
    out = []
    for _ in range(rng.randint(0, 6)):
        created = lo + int(rng.random() * (hi - lo + 1))
        updated = created if rng.random() < 0.5 else created + int(rng.random() * (hi - created + 1))
        rid = f"{rng.getrandbits(96):024x}"
        out.append(build_holiday(rng, rid, _fmt(created), _fmt(updated), pool, schedule["id"], sa["timezone"]))
    return out


# --------------------------------------------------------------------------- satisfaction surveys


def _questions(ctx, n):
    out = []
    for _ in range(n):
        choice = ctx.chance(0.5)
        out.append(
            {
                "id": ctx.hexid(),
                "type": "select" if choice else "text",
                "prompt": ctx.pick(_QUESTION_PROMPTS),
                "options": list(_QUESTION_OPTIONS[: ctx.int(2, 5)]) if choice else [],
                "required": ctx.chance(0.3),
            }
        )
    return out


def _survey(ctx, deleted):
    """A satisfaction form (deleted is ignored: no deletion is documented)."""
    pick, chance = ctx.pick, ctx.chance
    channel = pick(_SURVEY_CHANNELS)
    split = chance(0.3)
    questions = [] if split else _questions(ctx, pick((0, 1, 2)))
    positive = _questions(ctx, ctx.int(1, 2)) if split else []
    negative = _questions(ctx, ctx.int(1, 2)) if split else []
    low, high = pick(_SCALE_LABELS)
    a = {
        "name": pick(_SURVEY_NAMES),
        "formType": "csat",
        "enabled": chance(0.7),
        "channel": channel,
        "description": (f"Sent when {channel} conversations are marked done." if chance(0.7) else None),
        "from": (
            {"channel": channel, "account": "support@acme.mail.kustomerapp.com", "app": _APPS.get(channel, channel)}
            if channel in _APPS and chance(0.9)
            else None
        ),
        "metaTitle": pick(("Satisfaction", "How did we do?", "Tu opinión")) if chance(0.8) else None,
        "metaDescription": f"{channel.title()} survey" if chance(0.7) else None,
        "delayTime": pick((0, 0, 300, 3600, 86400)),
        "scale": {"options": pick((5, 5, 3, 2, 10)), "type": "number", "labelLow": low, "labelHigh": high},
        "introduction": pick(("Tell us about your experience.", "Cuéntanos cómo te fue.", "")),
        "ratingPrompt": pick(("How satisfied are you with your interaction?", "Wie zufrieden waren Sie? 🙂")),
        "questions": questions,
        "positiveQuestions": positive,
        "negativeQuestions": negative,
        "allQuestions": questions + positive + negative,
        "followUpType": "split" if split else "all",
        "criteria": {
            "and": [{"conversation_channel": {"equals": channel}}] if chance(0.8) else [],
            "or": ([{"conversation_tags": {"contains": ctx.some_id(ctx.pool.tag_ids)}}] if chance(0.2) else []),
        },
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
    }
    # the official example writes `modified` where the type says `modifiedAt`
    a["modified" if chance(0.2) else "modifiedAt"] = ctx.updated_at if chance(0.8) else ctx.at()
    org = ctx.pool.org_id
    rels = {"org": _rel("org", org, "/v1/orgs/"), "createdBy": _rel("user", ctx.user(), "/v1/users/")}
    if chance(0.8):
        rels["modifiedBy"] = _opt_rel(ctx, "user", ctx.user(), "/v1/users/")
    if chance(0.3):
        template = ctx.hexid()
        rels["template"] = _rel("satisfaction_template", template, "/v1/satisfaction/templates/")
    return a, rels, {"self": f"/v1/satisfaction/{ctx.rid}"}


# --------------------------------------------------------------------------- role groups


def _role_group(ctx, deleted, system_index=None):
    """System groups (system_index given) come first; deleted is ignored (deletion is a 204)."""
    pick, chance = ctx.pick, ctx.chance
    if system_index is not None:
        name, description = _SYSTEM_ROLE_GROUPS[system_index]
        display, roles = True, list(_PERMISSIONS if system_index == 0 else _PERMISSIONS[: 4 + 2 * system_index])
    else:
        name = pick(_CUSTOM_ROLE_GROUPS)
        description = (
            pick(("Custom group for the team leads.", "Accès restreint aux factures.", "")) if chance(0.7) else None
        )
        display = chance(0.8)
        roles = sorted({pick(_PERMISSIONS) for _ in range(ctx.int(0, 6))})
    a = {
        "name": name,
        "description": description,
        "display": display,
        "system": system_index is not None,
        "roles": roles,
        "createdAt": ctx.created_at,
        "updatedAt": ctx.updated_at,
    }
    rels = {"org": _rel("org", ctx.pool.org_id, "/v1/orgs/")}
    return a, rels, {"self": f"/v1/role-groups/{ctx.rid}"}


# --------------------------------------------------------------------------- klasses

# name, id, displayName, icon, color, klassSchema, appVersion, appDisabled, status, mixins, createdAt, updatedAt
_EXTRA_KLASS_DEFS = (
    (
        "warranty_claim",
        "5f9c1a2b3c4d5e6f70819b04",
        "Warranty claim",
        "shield-check",
        "#e67e22",
        "task",
        None,
        False,
        "disabled",
        ["commentable", "assignable", "editable", "creatable"],
        "2021-02-11T10:12:44.501Z",
        "2024-05-02T16:40:09.118Z",
    ),
    (
        "shopify_refund",
        "5f9c1a2b3c4d5e6f70819b05",
        "Shopify refund",
        "cash-refund",
        "#95bf47",
        None,
        "2.14.0",
        True,
        "disabled",
        ["editable"],
        "2020-06-19T13:30:00.250Z",
        "2023-01-09T08:15:42.777Z",
    ),
    (
        "legacy_ticket",
        "5f9c1a2b3c4d5e6f70819b06",
        "Ticket (legacy) 🎫",
        "ticket",
        "",
        None,
        None,
        False,
        "existing_only",
        [],
        "2018-09-03T07:00:12.000Z",
        "2022-12-31T23:59:58.999Z",
    ),
)


def _extra_klass(org_id, spec):
    name, kid, display, icon, color, schema, app_version, app_disabled, status, mixins, created, updated = spec
    attributes = {
        "name": name,
        "displayName": display,
        "icon": icon,
        "color": color,
        "klassSchema": schema,
        "appVersion": app_version,
        "appDisabled": app_disabled,
        "status": status,
        "mixins": list(mixins),
        "createdAt": created,
        "updatedAt": updated,
        "s3DataUrl": f"https://s3.example.com/klass-data/{org_id}/{kid}.json",
    }
    return klass_resource(org_id, kid, attributes)


def _quirky_klass(org_id):
    """As in Kustomer's own list example: `displayname` in lower case, no mixins or color."""
    attributes = {
        "name": "call_back_request",
        "displayname": "Call Back Request",
        "icon": "phone-return",
        "status": "disabled",
        "updatedAt": "2019-11-12T05:15:09.250Z",
        "createdAt": "2019-10-30T03:09:03.258Z",
    }
    return klass_resource(org_id, "5f9c1a2b3c4d5e6f70819b07", attributes)


def all_klass_resources(org_id: str = _SANDBOX_ORG) -> list[dict]:
    """Every klass of the org, any status: data.py's three enabled ones, then these four."""
    return klass_resources(org_id) + [_extra_klass(org_id, s) for s in _EXTRA_KLASS_DEFS] + [_quirky_klass(org_id)]


def klasses_with_status(klasses: list[dict], status: str = "enabled") -> list[dict]:
    """What GET /v1/klasses?status=... answers in the sandbox (enabled when absent)."""
    return [k for k in klasses if k["attributes"].get("status") == status]
