"""Shapes Kustomer's OpenAPI description does not document, served only when asked for.

The sandbox's default org answers in the documented shapes (tests/test_openapi.py holds it to the
description). A real org may still send something else, and the tap must survive it: each odd
shape here is a switch (DataOptions.odd_shapes, `--odd-shape NAME` on the command line) that the
robustness tests turn on. They change records after they are built, so an org with and without
them holds the same records otherwise.
"""

from __future__ import annotations

ODD_SHAPES = {
    "untyped_attribute": "custom attribute definitions without a `type` (customer legacyScoreNum, company "
    "legacyRankNum; every documented definition has one): discovery types them by their name's suffix",
    "undocumented_status": "custom objects with status `snoozed`, outside the documented `open` and `done`: "
    "the tap passes a status through as text",
    "fractional_satisfaction": "conversations whose `satisfaction` is 0.5, where the description says an "
    "integer: the tap's column is a number",
    "numbers_as_text": 'custom attributes defined as numbers whose value comes as text ("12.5"), as some '
    "integrations write them: the tap conforms them to numbers",
    "attachment_metadata_only": "attachments without `links.related`, as Kustomer's page on creating them says one "
    "made with renderMode metadata_only has (the description requires the link)",
    # the contrary org's shapes (sandbox/contrary.py): UNCONFIRMED facts answered the other way
    "other_types": "records of the newer streams with other `type` values (workItem, conversationTime, ...)",
    "renamed_attributes": "work items, snoozes, cards and conversation times with one attribute renamed and one "
    "more: the tap reports the fields its schema lacks",
    "attachment_no_id": "attachments listed without `id`, as in Kustomer's own list example: the tap takes the end "
    "of links.self",
    "late_published": "audit entries published up to 30 s after they were created",
}
OTHER_TYPES = {  # JSON:API type -> what an org answers instead (other_types)
    "conversation_time": "conversationTime",
    "work_item": "workItem",
    "snooze": "snooze_option",
    "card": "installed_card",
    "attachment": "file",
    "brand": "brands",
    "holiday": "business_holiday",
}
RENAMED = {  # stream -> ({old attribute: new name}, an attribute the schema does not have) (renamed_attributes)
    "conversation_times": ({"handleTime": "handleSeconds"}, "focusTime"),
    "work_items": ({"queuedCount": "queueCount"}, "priorityScore"),
    "snoozes": ({"time": "schedule"}, "sortOrder"),
    "cards": ({"contexts": "contextNames"}, "iframeHeight"),
}
UNTYPED = {"customer": ("legacyScoreNum",), "company": ("legacyRankNum",)}  # for untyped_attribute


def check(odd_shapes):
    unknown = set(odd_shapes) - set(ODD_SHAPES)
    if unknown:
        raise ValueError(f"unknown odd shapes {sorted(unknown)}: the sandbox knows {', '.join(ODD_SHAPES)}")


def apply(resources, odd_shapes):
    """Give some records of `resources` (stream -> list, as the store holds them) the odd shapes asked for."""
    if "undocumented_status" in odd_shapes:
        assignable = [r for r in resources.get("kobjects", ()) if "status" in r["attributes"]]
        for resource in assignable[::5]:
            resource["attributes"]["status"] = "snoozed"
    if "fractional_satisfaction" in odd_shapes:
        for resource in resources.get("conversations", ())[4::9]:
            resource["attributes"]["satisfaction"] = 0.5
    if "numbers_as_text" in odd_shapes:
        for name in ("customers", "conversations", "messages", "kobjects", "companies"):
            for resource in resources.get(name, ())[3::11]:
                custom = resource["attributes"].get("custom") or {}
                for key, value in custom.items():
                    if key.endswith("Num") and isinstance(value, (int, float)) and not isinstance(value, bool):
                        custom[key] = str(value)
                        break


def apply_late(store, odd_shapes):
    """The shapes of what the store builds after the org is made coherent: the handling streams,
    the org's dimensions, attachments and the audit log."""
    if "other_types" in odd_shapes:
        every = [r for rows in store.resources.values() for r in rows] + store.attachment_list()
        every += [h for rows in store.holidays.values() for h in rows]
        for resource in every:
            resource["type"] = OTHER_TYPES.get(resource.get("type"), resource.get("type"))
    if "renamed_attributes" in odd_shapes:
        for stream, (renamed, extra) in RENAMED.items():
            for n, resource in enumerate(store.resources.get(stream, ())):
                attributes = resource["attributes"]
                for old, new in renamed.items():
                    if old in attributes:
                        attributes[new] = attributes.pop(old)
                attributes[extra] = n % 7
    for attachment in store.attachment_list():
        if "attachment_no_id" in odd_shapes:
            attachment.pop("id", None)
        if "attachment_metadata_only" in odd_shapes and attachment["attributes"]["contentLength"] % 3 == 0:
            attachment["links"].pop("related", None)
    if "late_published" in odd_shapes:
        for entry in store.audit:
            created = entry["attributes"]["createdAt"]
            entry["attributes"]["publishedAt"] = later(created, int(entry["id"][-4:], 16) % 30_001)


def later(stamp, ms):
    """A canonical timestamp `ms` milliseconds after `stamp`."""
    from tap_kustomer.sandbox.data.common import _fmt, _ms

    return _fmt(_ms(stamp) + ms)


def whole_seconds(value):
    """Cut every canonical timestamp in value (dicts and lists, changed in place) to the second, as
    an org that keeps seconds only would hold them."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(item, str):
            if len(item) == 24 and item[10] == "T" and item[19] == "." and item[23] == "Z":
                value[key] = item[:19] + ".000Z"
        else:
            whole_seconds(item)


def metadata_properties(resource, definitions, odd_shapes):
    """What GET /v1/metadata/{resource} answers in `properties`: the definitions, some without a type
    when untyped_attribute is on."""
    if "untyped_attribute" not in odd_shapes:
        return definitions
    silent = UNTYPED.get(resource, ())
    return {
        name: {k: v for k, v in spec.items() if k != "type" or name not in silent} for name, spec in definitions.items()
    }
