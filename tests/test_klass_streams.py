"""A table per custom object type: one stream per klass, typed from its own attributes only."""

import json
import subprocess

import jsonschema
import pytest
from conftest import TAP, in_scope, make_sandbox, run_tap_killed, sandbox_config, write_json

from tap_kustomer.sandbox.data import CUSTOM_ATTRIBUTES
from tap_kustomer.sandbox.store import DataOptions
from tap_kustomer.streams import stream_names


def discover(box, tmp_path):
    done = subprocess.run(
        [*TAP, "-c", write_json(tmp_path / "d_config.json", sandbox_config(box)), "--discover"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def select(catalog, names):
    for entry in catalog["streams"]:
        entry["metadata"][0]["metadata"]["selected"] = entry["stream"] in names
    return catalog


def klass_ids(box, klass, start="2015-01-01T00:00:00.000Z"):
    return {i for i in in_scope(box, "kobjects", start) if box.store.get("kobjects", i)["type"] == f"kobject.{klass}"}


@pytest.fixture(scope="module")
def box():
    sandbox = make_sandbox()
    yield sandbox
    sandbox.stop()


def test_discovery_adds_a_stream_per_klass_typed_by_its_own_attributes(box, tmp_path):
    before = sum(box.api.requests.values())
    catalog = discover(box, tmp_path)
    made = sum(box.api.requests.values()) - before
    klasses = [k["attributes"]["name"] for k in box.store.klasses]
    entries = {e["stream"]: e for e in catalog["streams"]}
    assert {n for n in entries if n.startswith("kobjects_")} == {f"kobjects_{k}" for k in klasses}
    assert made == 1 + 4 + 3 + len(klasses)  # the requests discovery made before: no more
    custom = {n: entries[n]["schema"]["properties"]["custom"]["properties"] for n in entries if "kobjects" in n}
    assert custom["kobjects_order"]["legacy_code_num"]["type"] == ["null", "number"]
    assert custom["kobjects_device"]["legacy_code_num"]["type"] == ["null", "string"]
    assert custom["kobjects"]["legacy_code_num"]["type"] == ["null", "number", "string"]  # one table: widened
    assert custom["kobjects_warranty_claim"]["order_number_num"]["type"] == ["null", "string"]
    assert custom["kobjects_order"]["order_number_num"]["type"] == ["null", "number"]
    assert set(custom["kobjects_subscription"]) == {
        "plan_str",
        "monthly_price_num",
        "renews_at",
        "auto_renew_bool",
        "cancel_reason_tree",
    }
    assert set(custom["kobjects_shopify_refund"]) == set() and not CUSTOM_ATTRIBUTES["kobject.shopify_refund"]
    for name in custom:
        top = entries[name]["metadata"][0]["metadata"]
        if name == "kobjects":
            assert "selected-by-default" not in top and "kustomer-klass" not in top
        else:
            assert top["selected-by-default"] is False and top["kustomer-klass"] == name[len("kobjects_") :]


def test_each_per_klass_stream_is_complete_valid_and_its_own(box, tap, tmp_path):
    catalog = select(
        discover(box, tmp_path), {"kobjects", "kobjects_order", "kobjects_device", "kobjects_subscription"}
    )
    run = tap(sandbox_config(box), catalog)
    for klass in ("order", "device", "subscription"):
        name = f"kobjects_{klass}"
        records = run.records(name)
        assert {r["id"] for r in records} == klass_ids(box, klass) and len(records) == len(klass_ids(box, klass))
        validator = jsonschema.Draft4Validator(run.schemas()[name]["schema"])
        assert not [e for r in records for e in validator.iter_errors(r)], name
        assert all(r["klass_name"] == klass for r in records)
    codes = {
        name: {
            type(r["custom"]["legacy_code_num"])
            for r in run.records(name)
            if (r.get("custom") or {}).get("legacy_code_num") is not None
        }
        for name in ("kobjects_order", "kobjects_device")
    }
    assert codes["kobjects_order"] <= {int, float} and codes["kobjects_device"] == {str}
    assert "WARNING" not in run.stderr, run.stderr
    state = run.last_state["bookmarks"]
    assert {"kobjects_order", "kobjects_device", "kobjects_subscription", "kobjects"} <= set(
        state
    )  # bookmarks of their own


def test_a_klass_added_after_discovery_is_noticed_once(box, tap, tmp_path):
    catalog = discover(box, tmp_path)
    catalog["streams"] = [e for e in catalog["streams"] if e["stream"] != "kobjects_device"]  # as if device were new
    run = tap(sandbox_config(box), select(catalog, {"kobjects"}))
    lines = [line for line in run.stderr.splitlines() if "klass 'device'" in line]
    assert len(lines) == 1 and lines[0].startswith("INFO kobjects: objects of klass 'device'")
    assert "run --discover" in lines[0]


def test_a_klass_that_disappeared_is_reported_and_the_rest_syncs(box, tap, tmp_path):
    catalog = discover(box, tmp_path)
    gone = json.loads(json.dumps(next(e for e in catalog["streams"] if e["stream"] == "kobjects_order")))
    gone["tap_stream_id"] = gone["stream"] = "kobjects_returns"
    gone["metadata"][0]["metadata"]["kustomer-klass"] = "returns"
    catalog["streams"].append(gone)
    run = tap(sandbox_config(box), select(catalog, {"kobjects_returns", "kobjects_order", "tags"}))
    errors = [line for line in run.stderr.splitlines() if line.startswith("ERROR")]
    assert any(line.startswith("ERROR kobjects_returns: skipped") and "HTTP 400" in line for line in errors)
    assert set(run.ids("kobjects_order")) == klass_ids(box, "order") and run.records("tags")


def test_a_per_klass_stream_loses_nothing_through_a_tie_and_a_kill(tmp_path):
    data = DataOptions(counts={"kobjects": 360, "users": 1}, tie_blocks=(180,), archive_fraction=0, seed=12)
    box = make_sandbox(data=data)  # 180 kobjects share one updatedAt: 60 of them are orders
    try:
        catalog = select(discover(box, tmp_path), {"kobjects_order"})
        config = sandbox_config(box, page_size=8)
        stamps = sorted(box.store.get("kobjects", i)["attributes"]["updatedAt"] for i in klass_ids(box, "order"))
        tie = max(set(stamps), key=stamps.count)
        before = sum(1 for t in stamps if t < tie)  # orders written before the tie: pages of 8, a STATE each
        first = run_tap_killed(tmp_path, config, catalog, kill_after_lines=2 + 9 * (before // 8 + 3))
        states = [m["value"] for m in first if m["type"] == "STATE"]
        assert states[-1]["bookmarks"]["kobjects_order"]["after_id"]  # killed inside the tie
        second = run_tap_killed(tmp_path, config, catalog, state=states[-1])
        ids = lambda out: [m["record"]["id"] for m in out if m["type"] == "RECORD"]  # noqa: E731
        assert set(ids(first)) | set(ids(second)) == klass_ids(box, "order")
        assert len(set(ids(first)) & set(ids(second))) <= 8  # at most the page in flight again
    finally:
        box.stop()


def test_names_that_collide_after_the_rewrite_stay_stable():
    names = stream_names(["calendly-event", "calendly_event", "order"])
    assert names["kobjects_calendly_event"] == "calendly_event"  # already that name: keeps it
    assert names["kobjects_order"] == "order"
    other = next(n for n, k in names.items() if k == "calendly-event")
    assert other.startswith("kobjects_calendly_event_") and len(other) == len("kobjects_calendly_event_") + 6
    assert stream_names(["calendly-event"]) == {"kobjects_calendly_event": "calendly-event"}  # alone: the plain name
    assert stream_names(["calendly-event", "calendly_event", "zebra"])[other] == "calendly-event"  # same, whatever else
