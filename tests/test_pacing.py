"""Pacing within the API's budgets, and streams synced concurrently with well-formed output."""

from conftest import FakeTime, in_scope, make_sandbox, run_tap_killed, sandbox_config, selected_catalog

from tap_kustomer.pacing import Pacer
from tap_kustomer.sandbox.store import DataOptions


def window(remaining, reset, limit=100):
    return {"x-ratelimit-limit": str(limit), "x-ratelimit-remaining": str(remaining), "x-ratelimit-reset": str(reset)}


def test_requests_in_flight_count_against_the_window():
    t = FakeTime()
    pacer = Pacer(t.clock, t.sleep)
    pacer.acquire("search")
    pacer.release("search", window(2, t.now + 10))
    pacer.acquire("search")
    pacer.acquire("search")  # two in flight use the two left
    assert t.sleeps == []
    pacer.release("search", window(1, t.now + 10))
    pacer.release("search", window(0, t.now + 10))
    pacer.acquire("search")  # none left: wait for the reset
    assert t.sleeps == [10.25]
    pacer.acquire("org")  # another bucket is not held back
    assert len(t.sleeps) == 1


def test_an_answer_that_overtook_a_later_one_does_not_raise_the_count():
    t = FakeTime()
    pacer = Pacer(t.clock, t.sleep)
    for _ in range(2):
        pacer.acquire("search")
    pacer.release("search", window(0, t.now + 5))
    pacer.release("search", window(1, t.now + 5))  # sent earlier, answered later
    pacer.acquire("search")
    assert t.sleeps == [5.25]


def test_max_requests_per_minute_holds_over_any_sixty_seconds():
    t = FakeTime()
    pacer = Pacer(t.clock, t.sleep, max_per_minute=3)
    sent = []
    for _ in range(10):
        pacer.acquire("org")
        sent.append(t.now)
        pacer.release("org", None)
        t.now += 1
    for i, at in enumerate(sent):
        assert sum(1 for other in sent if at <= other < at + 60) <= 3, i
    assert sent[3] >= sent[0] + 60


def test_concurrent_streams_stay_within_the_search_budget_and_write_whole_messages(tmp_path):
    data = DataOptions(
        counts={"customers": 300, "conversations": 200, "messages": 250, "notes": 120, "users": 5}, seed=31
    )
    box = make_sandbox(data=data, search_budget=8, window_seconds=1.0, search_latency=0.05)
    try:
        streams = {"customers", "conversations", "messages", "notes"}
        config = sandbox_config(box, page_size=25, max_concurrent_streams=3)
        out = run_tap_killed(tmp_path, config, selected_catalog(streams))  # every line parsed as JSON
        assert box.api.limiter.rejected <= 1  # paced from the headers: (almost) no 429s
        searches = box.api.requests["POST /v1/customers/search"] + box.api.requests.get(
            "POST /v1/customers/archive/search", 0
        )
        assert searches > 3 * 8  # the run needed several windows
        first_record, schema_at = {}, {}
        marks = {}
        for i, message in enumerate(out):
            if message["type"] == "SCHEMA":
                schema_at[message["stream"]] = i
            elif message["type"] == "RECORD":
                first_record.setdefault(message["stream"], i)
            else:
                for name, mark in message["value"]["bookmarks"].items():
                    assert mark["updated_at"] >= marks.get(name, "")
                    marks[name] = mark["updated_at"]
        for name in streams:
            assert schema_at[name] < first_record[name]
            assert {m["record"]["id"] for m in out if m["type"] == "RECORD" and m["stream"] == name} == in_scope(
                box, name
            )
        interleaved = [m["stream"] for m in out if m["type"] == "RECORD"]
        assert len({s for s in interleaved[: len(interleaved) // 3]}) > 1  # the streams really ran together
        assert out[-1]["type"] == "STATE" and out[-1]["value"]["currently_syncing"] is None
    finally:
        box.stop()
