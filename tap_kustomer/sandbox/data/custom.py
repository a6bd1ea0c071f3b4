"""Custom attributes (the org's metadata), klasses and custom objects (kobjects)."""

from __future__ import annotations

from tap_kustomer.sandbox.data.common import (
    _DAY,
    _NOTE_BODIES,
    _SKUS,
    _STREETS,
    _base_rels,
    _fmt,
    _fmt_offset,
    _opt_rel,
)

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


def klass_resource(org_id, kid, attributes):
    """A klass as GET /v1/klasses sends it: the envelope around its attributes."""
    name = attributes["name"]
    return {
        "type": "klass",
        "id": kid,
        "attributes": attributes,
        "relationships": {
            "org": {"links": {"self": f"/v1/orgs/{org_id}"}, "data": {"type": "org", "id": org_id}},
            "kobjects": {"links": {"self": f"/v1/klasses/{name}"}},
        },
        "links": {"self": f"/v1/klasses/{kid}"},
    }


def klass_resources(org_id: str = _SANDBOX_ORG) -> list[dict]:
    """The enabled klasses, the ones kobjects are made of, for the given org (fresh dicts each call)."""
    return [
        klass_resource(
            org_id,
            kid,
            {
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
        )
        for name, kid, display, icon, color, mixins, created, updated in _KLASS_DEFS
    ]


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
        "legacyScoreNum": _attr("number", "Legacy score"),  # served without its type as an odd shape
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
    # klasses that are not enabled (listed with ?status=disabled or existing_only): no kobjects are
    # generated for them, but their attributes are defined
    "kobject.warranty_claim": {
        "claimNumberStr": _attr("string", "Claim number"),
        "approvedBool": _attr("boolean", "Approved"),
        "claimedAt": _attr("date", "Claimed"),
        "orderNumberNum": _attr("string", "Order number"),  # a number in order, text here
    },
    "kobject.shopify_refund": {},
    "kobject.legacy_ticket": {
        "ticketNumberNum": _attr("number", "Ticket number"),
        "subjectStr": _attr("string", "Subject"),
    },
    "kobject.call_back_request": {},
    "company": {
        "accountTierStr": _attr("string", "Account tier", enumeration=["smb", "mid_market", "enterprise"]),
        "crmAccountStr": _attr("string", "CRM account"),
        "annualRevenueNum": _attr("number", "Annual revenue"),
        "seatsCountNum": _attr("number", "Seats count"),
        "renewalAt": _attr("date", "Renewal"),
        "contractSignedAt": _attr("date", "Contract signed"),
        "strategicBool": _attr("boolean", "Strategic account"),
        "accountNotesTxt": _attr("string", "Account notes"),
        "billingAddressTxt": _attr("string", "Billing address"),
        "industryTree": _attr(
            "string",
            "Industry",
            enumeration=["retail", "retail.apparel", "retail.grocery", "software", "software.saas", "hospitality"],
        ),
        "crmRecordUrl": _attr("string", "CRM record"),
        "latestOrderId": _attr("string", "Latest order", target="kobject.order"),
        "subscriptionsId": _attr("string", "Subscriptions", target="kobject.subscription", multi=True),
        "legacyRankNum": _attr("number", "Legacy rank"),  # served without its type as an odd shape
    },
}


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
                "status": pick(("open", "done", "done")),  # as documented (odd_shapes adds snoozed)
                "queue": queue_id,
                "assignedUser": ctx.user() if chance(0.7) else None,
                "doneCount": done,
                "reopenCount": max(0, done - 1),
                # the description's schema spells it reopenFromDoneCount, its examples reopenDoneCount
                ("reopenFromDoneCount" if int(ctx.rid, 16) % 2 else "reopenDoneCount"): max(0, done - 1),
                "firstDone": _kdone(ctx, times[1]) if done else {},
                "lastDone": _kdone(ctx, times[2]) if done else {},
            }
        )
    rid = ctx.rid
    rels = _base_rels(ctx)
    # as the description has it: `link` (not `links`) for the klass, `links` for the others
    rels["klass"] = {"link": {"self": f"/v1/klasses/{klass}"}, "data": {"type": "klass", "id": klass}}
    if chance(0.9):
        rels["customer"] = _opt_rel(ctx, "customer", ctx.some_id(ctx.pool.customer_ids), "/v1/customers/")
    if chance(0.15):
        rels["company"] = _opt_rel(ctx, "company", ctx.some_id(ctx.pool.company_ids), "/v1/companies/")
    if assignable:
        # The attribute (a plain id) wins over this relationship when both are present.
        rels["queue"] = {
            "links": {"self": f"/v1/queues/{queue_id or ''}"},
            "data": {"type": "queue", "id": queue_id} if queue_id else None,
        }
    return a, rels, {"self": f"/v1/klasses/{klass}/{rid}"}
