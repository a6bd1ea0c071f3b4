"""Companies and the org's dimensions: complete, valid, incremental; a listing read once for its
children; team members as a versioned full table; an org without a feature; UNCONFIRMED facts noticed."""

import jsonschema
import pytest
from conftest import in_scope, make_sandbox, record_keys, sandbox_config, selected_catalog

from tap_kustomer.sandbox.store import stamp
from tap_kustomer.timeutil import now_utc

DIMENSIONS = (
    "brands",
    "business_schedules",
    "business_holidays",
    "satisfaction_surveys",
    "klasses",
    "team_members",
    "role_groups",
)
NEW = ("companies", *DIMENSIONS)


@pytest.fixture
def box():
    sandbox = make_sandbox()
    yield sandbox
    sandbox.stop()


def touch(resource):
    """Update a record the way the API would: updatedAt moves to now."""
    resource["attributes"]["updatedAt"] = stamp(now_utc())
    return resource["id"]


def test_each_new_stream_is_complete_valid_and_incremental(box, tap):
    config, catalog = sandbox_config(box), selected_catalog(set(NEW))
    first = tap(config, catalog)
    schemas = first.schemas()
    for name in NEW:
        records = first.records(name)
        assert records and record_keys(name, records) == in_scope(box, name), name
        assert len(records) == len(in_scope(box, name)), name  # each once
        validator = jsonschema.Draft4Validator(schemas[name]["schema"])
        for record in records:
            assert not list(validator.iter_errors(record)), (name, record)
    assert "WARNING" not in first.stderr, first.stderr
    holidays = first.records("business_holidays")
    schedules = {s["id"] for s in box.store.resources["business_schedules"]}
    assert all(h["schedule_id"] in schedules and h["schedule"]["id"] == h["schedule_id"] for h in holidays)
    assert {k["status"] for k in first.records("klasses")} == {"enabled", "disabled", "existing_only"}

    store = box.store
    changed = {
        "brands": {touch(store.resources["brands"][1])},
        "business_schedules": {touch(store.resources["business_schedules"][2])},
        "business_holidays": {touch(next(h for hs in store.holidays.values() for h in hs))},
        "satisfaction_surveys": {touch(store.resources["satisfaction_surveys"][0])},
        "klasses": {touch(store.klasses[4])},  # a disabled one
        "role_groups": {touch(store.resources["role_groups"][3])},
        "companies": {store.touch("companies", store.resources["companies"][5]["id"])["id"]},
    }
    state = first.last_state
    second = tap(config, catalog, state)
    for name, ids in changed.items():
        mark = state["bookmarks"][name]["updated_at"]
        # what changed, and (lists only, compared with >=) what shares the old bookmark's instant
        at_mark = {r["id"] for r in records_of(box, name) if r["attributes"]["updatedAt"] == mark}
        allowed = ids | (at_mark if name != "companies" else set())
        assert ids <= set(second.ids(name)) <= allowed, name
    assert set(second.ids("team_members")) == in_scope(box, "team_members")  # the whole table, every run
    for name, mark in second.last_state["bookmarks"].items():
        assert mark["updated_at"] >= state["bookmarks"][name]["updated_at"], name


def records_of(box, name):
    if name == "business_holidays":
        return [h for hs in box.store.holidays.values() for h in hs]
    return box.store.klasses if name == "klasses" else box.store.resources[name]


def test_a_listing_is_read_once_for_its_children(box, tap):
    tap(sandbox_config(box), selected_catalog({"business_schedules", "business_holidays", "teams", "team_members"}))
    made = box.api.requests
    schedules = len(box.store.resources["business_schedules"])
    assert made["GET /v1/schedules"] == 1 and made["GET /v1/teams"] == 1
    details = sum(n for key, n in made.items() if key.startswith("GET /v1/schedules/"))
    assert details == schedules  # the one documented request per schedule, and no other


def test_a_child_alone_reads_its_parent_without_writing_it(box, tap):
    run = tap(sandbox_config(box), selected_catalog({"business_holidays", "team_members"}))
    assert set(run.schemas()) == {"business_holidays", "team_members"}
    assert {m["stream"] for m in run.messages if m["type"] == "RECORD"} == {"business_holidays", "team_members"}
    assert set(run.ids("business_holidays")) == in_scope(box, "business_holidays")
    assert set(run.ids("team_members")) == in_scope(box, "team_members")
    assert set(run.last_state["bookmarks"]) == {"business_holidays"}  # parents not written: no bookmark
    assert box.api.requests["GET /v1/schedules"] == 1 and box.api.requests["GET /v1/teams"] == 1


def test_team_members_are_a_full_table_whose_removed_rows_targets_drop(box, tap):
    config, catalog = sandbox_config(box), selected_catalog({"teams", "team_members"})
    first = tap(config, catalog)
    members = [m for m in first.messages if m.get("stream") == "team_members"]
    version = members[-1]["version"]
    assert members[0]["type"] == "SCHEMA" and members[-1]["type"] == "ACTIVATE_VERSION"
    assert all(m["version"] == version for m in members if m["type"] == "RECORD")
    assert first.schemas()["team_members"]["key_properties"] == ["team_id", "user_id"]
    team = next(t for t in box.store.resources["teams"] if len(t["attributes"]["members"]) > 1)
    gone = team["attributes"]["members"].pop()
    second = tap(config, catalog, first.last_state)
    again = [m for m in second.messages if m.get("stream") == "team_members" and m["type"] != "SCHEMA"]
    assert again[-1]["type"] == "ACTIVATE_VERSION" and again[-1]["version"] > version
    assert (team["id"], gone) not in set(second.ids("team_members"))
    assert set(second.ids("team_members")) == in_scope(box, "team_members")


def test_customers_point_at_their_company(box, tap):
    run = tap(sandbox_config(box), selected_catalog({"customers", "companies"}))
    companies = set(run.ids("companies"))
    linked = [r["company"] for r in run.records("customers") if r.get("company")]
    assert linked and all(set(c) == {"type", "id"} and c["type"] == "company" for c in linked)
    assert {c["id"] for c in linked} <= companies


def test_field_selection_holds_for_a_child_stream(box, tap):
    catalog = selected_catalog({"business_holidays"})
    entry = next(s for s in catalog["streams"] if s["stream"] == "business_holidays")
    for item in entry["metadata"][1:]:
        item["metadata"]["selected"] = item["breadcrumb"][1] in ("name", "schedule_id")
    run = tap(sandbox_config(box), catalog)
    assert {key for r in run.records("business_holidays") for key in r} == {"id", "updated_at", "name", "schedule_id"}


def test_an_org_without_a_feature_syncs_the_rest(tap):
    box = make_sandbox(missing=("satisfaction_surveys",))
    try:
        run = tap(sandbox_config(box), selected_catalog({"satisfaction_surveys", "brands", "tags"}))
        errors = [line for line in run.stderr.splitlines() if line.startswith("ERROR")]
        assert any(line.startswith("ERROR satisfaction_surveys: skipped") and "HTTP 404" in line for line in errors)
        assert set(run.ids("brands")) == in_scope(box, "brands") and set(run.ids("tags")) == in_scope(box, "tags")
        assert "satisfaction_surveys" not in run.last_state["bookmarks"]
        test = tap(sandbox_config(box), args=["--test"])
        row = next(line for line in test.stdout.splitlines() if line.startswith("| satisfaction_surveys "))
        assert "n/a: this org has no such data" in row  # shown, and not a failure: exit 0
    finally:
        box.stop()


def test_a_missing_role_on_a_new_stream_follows_skip_forbidden_streams(tap):
    box = make_sandbox(forbidden=("role-groups",))
    try:
        failed = tap(sandbox_config(box), selected_catalog({"role_groups", "brands"}), check=False)
        assert failed.returncode == 3 and "CRITICAL role_groups: HTTP 403" in failed.stderr
        assert set(failed.ids("brands")) == in_scope(box, "brands")  # the missing role cost role_groups only
        skipped = tap(sandbox_config(box, skip_forbidden_streams=True), selected_catalog({"role_groups", "brands"}))
        assert "ERROR role_groups: skipped" in skipped.stderr and skipped.records("brands")
        failing = tap(sandbox_config(box), args=["--test"], check=False)
        assert failing.returncode == 1 and "| role_groups | NO: HTTP 403" in failing.stdout
        passing = tap(sandbox_config(box, skip_forbidden_streams=True), args=["--test"])
        assert "| role_groups | NO (skip_forbidden_streams is true: the sync skips it): HTTP 403" in passing.stdout
    finally:
        box.stop()


def test_a_record_type_other_than_kustomers_examples_is_reported_once(box, tap):
    for brand in box.store.resources["brands"]:
        brand["type"] = "brands"
    run = tap(sandbox_config(box), selected_catalog({"brands"}))
    warnings = [line for line in run.stderr.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1 and "brands: records come with type 'brands'" in warnings[0]
    assert "UNCONFIRMED" in warnings[0] and len(run.records("brands")) == len(box.store.resources["brands"])


def test_holidays_in_an_unexpected_shape_stop_the_stream_by_name(box, tap):
    sid = box.store.resources["business_schedules"][0]["id"]
    box.store.holidays[sid] = {"holidays": []}  # not a list of records
    run = tap(sandbox_config(box), selected_catalog({"business_holidays", "tags"}), check=False)
    critical = [line for line in run.stderr.splitlines() if line.startswith("CRITICAL")]
    assert run.returncode == 3 and len(critical) == 1
    assert critical[0].startswith("CRITICAL business_holidays: GET /v1/schedules/") and "`included`" in critical[0]
    assert set(run.ids("tags")) == in_scope(box, "tags")
