"""The sandbox behaves as ../shared/kustomer-api.md says the real API does."""

import pytest

from tap_kustomer.sandbox.server import SANDBOX_TOKEN, Api, ServerOptions
from tap_kustomer.sandbox.store import DataOptions, Store

AUTH = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}


@pytest.fixture(scope="module")
def store():
    return Store(DataOptions(counts={"customers": 1200, "users": 30, "tags": 250, "teams": 2}, seed=7))


def api(store, **options):
    return Api(ServerOptions(**options), store=store)


def search(box, body=None, page=1, size=500, archive=False, headers=AUTH):
    path = "/v1/customers/archive/search" if archive else "/v1/customers/search"
    body = body or {"queryContext": "customer", "includeDeleted": True}
    return box.handle("POST", f"{path}?page={page}&pageSize={size}", headers, body)


def test_auth_and_both_error_shapes(store):
    box = api(store, wrong_region_tokens=("eu-token",), forbidden=("tags",))
    status, _, body = box.handle("GET", "/v1/tags", {}, None)
    assert status == 401 and body["errors"][0]["status"] == 401 and "title" in body["errors"][0]
    status, _, body = box.handle("GET", "/v1/tags", {"Authorization": "Bearer eu-token"}, None)
    assert status == 401 and "pod prod2" in body["errors"][0]["message"]
    status, _, body = box.handle("GET", "/v1/tags", AUTH, None)
    assert status == 403 and body["errors"][0]["code"] == "forbidden" and "message" in body["errors"][0]


def test_list_pages_clamp_and_relative_next_links(store):
    box = api(store)
    status, _, body = box.handle("GET", "/v1/tags?page=1&pageSize=1000", AUTH, None)
    assert status == 200 and len(body["data"]) == 100 and body["meta"]["pageSize"] == 100
    assert body["links"]["next"] == "/v1/tags?page=2&pageSize=100"
    _, _, last = box.handle("GET", "/v1/tags?page=3&pageSize=100", AUTH, None)
    assert len(last["data"]) == 50 and last["links"]["next"] is None


def test_users_listing_splits_active_and_deactivated(store):
    box = api(store)
    active = box.handle("GET", "/v1/users?deleted=false&pageSize=500", AUTH, None)[2]["data"]
    gone = box.handle("GET", "/v1/users?deleted=true&pageSize=500", AUTH, None)[2]["data"]
    assert len(active) + len(gone) == 30 and gone and all(u["attributes"].get("deletedAt") for u in gone)


def test_search_sorts_filters_and_caps_at_page_100_or_the_configured_cap(store):
    box = api(store, page_cap=3)
    _, _, page = search(box, size=100)
    stamps = [r["attributes"]["updatedAt"] for r in page["data"]]
    assert stamps == sorted(stamps) and page["meta"]["total"] > 300
    _, _, third = search(box, page=3, size=100)
    assert third["links"]["next"] == "/v1/customers/search?page=4&pageSize=100"  # still points past the cap
    status, _, body = search(box, page=4, size=100)
    assert status == 404 and body["errors"]
    _, _, clamped = search(box, size=5000)
    assert clamped["meta"]["pageSize"] == 500 and len(clamped["data"]) == 500


def test_search_operators_and_include_deleted(store):
    box = api(store)
    mid = store.index("customers")[600][0]
    crit = {"queryContext": "customer", "includeDeleted": True, "and": [{"customer_updated_at": {"gte": mid}}]}
    _, _, gte = search(box, crit)
    assert all(r["attributes"]["updatedAt"] >= mid for r in gte["data"])
    crit["and"] = [{"customer_updated_at": {"gt": mid}}]
    assert all(r["attributes"]["updatedAt"] > mid for r in search(box, crit)[2]["data"])
    _, _, everything = search(box, {"queryContext": "customer", "includeDeleted": True}, size=500)
    _, _, live = search(box, {"queryContext": "customer"}, size=500)
    assert everything["meta"]["total"] > live["meta"]["total"]
    assert not any(r["attributes"].get("deleted") for r in live["data"])
    bad = search(box, {"queryContext": "customer", "and": [{"customer_updated_at": {"near": mid}}]})
    assert bad[0] == 400


def test_two_year_window_and_archive_search(store):
    box = api(store)
    boundary = store.boundary()
    recent = search(box, size=500)[2]
    old = search(box, size=500, archive=True)[2]
    assert recent["meta"]["total"] + old["meta"]["total"] == 1200
    assert old["meta"]["total"] > 0
    assert all(r["attributes"]["updatedAt"] < boundary for r in old["data"])
    assert all(r["attributes"]["updatedAt"] >= boundary for r in recent["data"])


def test_the_archive_refuses_the_contexts_it_is_told_to(store):
    box = api(store, archive_refuses_contexts=("note",))
    status, _, body = search(box, {"queryContext": "note", "includeDeleted": True}, archive=True)
    assert status == 400 and "queryContext 'note'" in body["errors"][0]["detail"]
    assert search(box, {"queryContext": "note", "includeDeleted": True})[0] == 200  # standard search serves notes
    assert search(box, archive=True)[0] == 200
    # by default the archive takes every context, those its docs leave out too (--contrary archive-refuses)
    assert search(api(store), {"queryContext": "note"}, archive=True)[0] == 200


def test_rate_limit_headers_and_429(store):
    box = api(store, search_budget=3, window_seconds=60)
    answers = [search(box, size=1) for _ in range(4)]
    assert [a[0] for a in answers] == [200, 200, 200, 429]
    assert [a[1]["x-ratelimit-remaining"] for a in answers] == ["2", "1", "0", "0"]
    assert float(answers[0][1]["x-ratelimit-reset"]) > 1e9
    assert box.handle("GET", "/v1/tags", AUTH, None)[0] == 200  # lists are outside the search budget


def test_tie_blocks_exist_and_touch_moves_a_record_to_the_end():
    store = Store(DataOptions(counts={"customers": 100}, tie_blocks=(20,), seed=2))
    stamps = [r["attributes"]["updatedAt"] for r in store.resources["customers"]]
    assert max(stamps.count(s) for s in stamps) == 20
    first = store.index("customers")[0][2]
    store.touch("customers", first["id"])
    assert store.index("customers")[-1][2] is first
