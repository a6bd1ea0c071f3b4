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


def metadata_properties(resource, definitions, odd_shapes):
    """What GET /v1/metadata/{resource} answers in `properties`: the definitions, some without a type
    when untyped_attribute is on."""
    if "untyped_attribute" not in odd_shapes:
        return definitions
    silent = UNTYPED.get(resource, ())
    return {
        name: {k: v for k, v in spec.items() if k != "type" or name not in silent} for name, spec in definitions.items()
    }
