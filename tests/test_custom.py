"""Each org's custom attributes and custom objects: typed in discovery, conformed in records."""

import json

import jsonschema
import pytest
from conftest import make_sandbox, sandbox_config

from tap_kustomer.custom import attribute_schema, merge_custom, widen
from tap_kustomer.sandbox.data import CUSTOM_ATTRIBUTES
from tap_kustomer.sandbox.data.oddities import ODD_SHAPES
from tap_kustomer.sandbox.store import DataOptions
from tap_kustomer.transform import snake


def discovered(tap, box, select=None):
    before = dict(box.api.requests)
    run = tap(sandbox_config(box), args=["--discover"])
    catalog = json.loads(run.stdout)
    made = {k: v - before.get(k, 0) for k, v in box.api.requests.items() if v != before.get(k, 0)}
    for entry in catalog["streams"]:
        if select is None or entry["stream"] in select:
            entry["metadata"][0]["metadata"]["selected"] = True
    return catalog, run, made


def custom_of(catalog, stream):
    return next(s for s in catalog["streams"] if s["stream"] == stream)["schema"]["properties"]["custom"]


@pytest.fixture(scope="module")
def box():
    # every shape Kustomer does not document, on: the tap must type and carry them all the same
    sandbox = make_sandbox(data=DataOptions(odd_shapes=tuple(ODD_SHAPES)))
    yield sandbox
    sandbox.stop()


@pytest.mark.parametrize(
    "name, definition, expected",
    [
        (
            "brandStr",
            {"type": "string", "displayName": "Brand", "enumeration": ["A", "B"]},
            {"type": ["null", "string"], "description": "Brand; one of: A, B"},
        ),
        ("totalNum", {"type": "number"}, {"type": ["null", "number"]}),
        ("renewsAt", {"type": "date"}, {"type": ["null", "string"], "format": "date-time"}),
        ("scoreNum", {}, {"type": ["null", "number"]}),  # silent definition: the suffix decides
        ("giftBool", {"type": "mystery"}, {"type": ["null", "boolean"]}),
        ("notesTxt", {}, {"type": ["null", "string"]}),
        ("ordersId", {"type": "string", "multi": True}, {"type": ["null", "array"], "items": {"type": ["string"]}}),
        ("oddname", {}, {}),  # nothing known: any value
    ],
)
def test_attribute_schema(name, definition, expected):
    assert attribute_schema(name, definition) == expected


def test_widening_conflicting_types():
    number, string = {"type": ["null", "number"]}, {"type": ["null", "string"]}
    date = {"type": ["null", "string"], "format": "date-time"}
    assert widen(number, string) == {"type": ["null", "number", "string"]}
    assert widen(date, string) == {"type": ["null", "string"]}
    assert widen({"type": ["null", "integer"]}, number) == {"type": ["null", "number"]}
    merged = merge_custom([{"properties": {"code_num": number, "a": date}}, {"properties": {"code_num": string}}])
    assert merged["properties"] == {"a": date, "code_num": {"type": ["null", "number", "string"]}}


def test_discovery_types_each_orgs_custom_attributes_in_few_requests(tap, box):
    catalog, run, made = discovered(tap, box)
    customers = custom_of(catalog, "customers")["properties"]
    assert set(customers) == {
        "loyalty_tier_str",
        "account_number_str",
        "lifetime_value_num",
        "orders_count_num",
        "accepts_marketing_bool",
        "last_order_at",
        "vip_notes_txt",
        "preferred_contact_tree",
        "profile_url",
        "latest_order_id",
        "wishlist_id",
        "legacy_score_num",
    }
    assert customers["last_order_at"]["format"] == "date-time"
    assert customers["legacy_score_num"]["type"] == ["null", "number"]
    assert "one of: bronze, silver, gold, platinum" in customers["loyalty_tier_str"]["description"]
    assert customers["wishlist_id"]["type"] == ["null", "array"]
    kobjects = custom_of(catalog, "kobjects")["properties"]
    klass_attrs = {n for r, props in CUSTOM_ATTRIBUTES.items() if r.startswith("kobject.") for n in props}
    assert len(kobjects) == len(klass_attrs)  # the union over every klass
    assert kobjects["legacy_code_num"]["type"] == ["null", "number", "string"]  # widened, not dropped
    assert (
        custom_of(catalog, "conversations")["properties"]["brand_str"]["description"]
        == "Brand; one of: Acme, Acme Kids, Nordlys"
    )
    klasses = sum(1 for r in CUSTOM_ATTRIBUTES if r.startswith("kobject."))
    # the token check, four metadata resources (customer, conversation, message, company), the klass
    # list once per status and one metadata read per klass
    assert sum(made.values()) == 1 + 4 + 3 + klasses, made
    companies = custom_of(catalog, "companies")["properties"]
    assert companies["annual_revenue_num"]["type"] == ["null", "number"]
    assert companies["renewal_at"]["format"] == "date-time" and companies["strategic_bool"]["type"] == [
        "null",
        "boolean",
    ]
    assert companies["subscriptions_id"]["type"] == ["null", "array"]
    assert companies["legacy_rank_num"]["type"] == ["null", "number"]  # no type defined: the suffix says
    assert "WARNING" not in run.stderr


def test_records_carry_typed_custom_values(tap, box):
    catalog, _, _ = discovered(tap, box, {"customers", "conversations", "kobjects", "messages"})
    run = tap(sandbox_config(box), catalog)
    assert "WARNING" not in run.stderr, run.stderr
    schemas = {name: m["schema"] for name, m in run.schemas().items()}
    source = {r["id"]: r for name in ("customers", "kobjects") for r in box.store.resources[name]}
    offsets = numeric_strings = 0
    for name in ("customers", "conversations", "kobjects", "messages"):
        validator = jsonschema.Draft4Validator(schemas[name])
        for record in run.records(name):
            assert not list(validator.iter_errors(record))
            raw = (source.get(record["id"]) or {}).get("attributes", {}).get("custom") or {}
            for key, value in raw.items():
                if isinstance(value, str) and key.endswith("At") and not value.endswith("Z"):
                    offsets += 1
                    assert record["custom"][snake(key)].endswith("Z")
                typed = schemas[name]["properties"]["custom"]["properties"][snake(key)]["type"]
                if isinstance(value, str) and key.endswith("Num") and "string" not in typed:  # not widened
                    numeric_strings += 1
                    assert record["custom"][snake(key)] == float(value)
    assert offsets and numeric_strings
    kobject = run.records("kobjects")[0]
    assert kobject["klass_name"] in {"order", "subscription", "device"}
    # the undocumented values the odd shapes serve arrive as they are
    assert "snoozed" in {r.get("status") for r in run.records("kobjects")}
    assert 0.5 in {r.get("satisfaction") for r in run.records("conversations")}


def test_without_the_metadata_role_discovery_still_succeeds(tap):
    box = make_sandbox(forbidden=("metadata",))
    try:
        catalog, run, _ = discovered(tap, box)
        for stream in ("customers", "conversations", "messages", "kobjects", "companies"):
            assert custom_of(catalog, stream) == {"type": ["null", "object"], "additionalProperties": True}
        warnings = [line for line in run.stderr.splitlines() if line.startswith("WARNING")]
        klasses = {k["attributes"]["name"] for k in box.store.klasses}
        assert len(warnings) == 4 + len(klasses) and all("metadata read role" in w for w in warnings)
        assert {w.split("'")[1] for w in warnings if w.startswith("WARNING klass '")} == klasses  # one each, by name
    finally:
        box.stop()


def test_a_catalog_made_before_a_new_attribute_keeps_working(tap):
    box = make_sandbox()
    try:
        catalog, _, _ = discovered(tap, box, {"customers"})
        for record in box.store.resources["customers"][:30]:  # the org adds an attribute later
            record["attributes"].setdefault("custom", {})["nextBestOfferStr"] = "upgrade"
        box.store.resources["customers"][40]["attributes"]["custom"]["lifetimeValueNum"] = "n/a"
        run = tap(sandbox_config(box), catalog)
        warnings = [line for line in run.stderr.splitlines() if line.startswith("WARNING")]
        assert len(warnings) == 1
        assert "custom.next_best_offer_str x30" in warnings[0] and "custom.lifetime_value_num x1" in warnings[0]
        assert len(run.records("customers")) == len(box.store.resources["customers"])
        assert not any("next_best_offer_str" in (r.get("custom") or {}) for r in run.records("customers"))
    finally:
        box.stop()
