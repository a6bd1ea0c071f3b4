"""The sandbox org is coherent: Kustomer's figures on each conversation follow from its messages
and the default business schedule (data/metrics.py), and business time itself is right by hand."""

from collections import defaultdict
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from tap_kustomer.sandbox.data.common import _ms
from tap_kustomer.sandbox.data.metrics import DEFAULT_TIMEZONE, OpenTime, default_schedule, local_ms, open_time_of
from tap_kustomer.sandbox.store import DEFAULT_COUNTS, DataOptions, Store

NOW = datetime(2025, 11, 12, 15, 0, tzinfo=timezone.utc)
HOUR = 3_600_000
WEEKDAYS_9_TO_17 = {str(d): [[540, 1020]] for d in range(1, 6)}


def at(text):
    return _ms(text)


# --------------------------------------------------------------------------- business time by hand


@pytest.mark.parametrize(
    "tz, day, hours",
    [
        ("America/New_York", date(2025, 3, 9), 23),  # spring forward
        ("America/New_York", date(2025, 11, 2), 25),  # fall back
        ("Australia/Sydney", date(2025, 10, 5), 23),  # southern spring
        ("Australia/Sydney", date(2025, 4, 6), 25),  # southern autumn
        ("Europe/Madrid", date(2025, 6, 15), 24),
    ],
)
def test_a_24_hour_day_keeps_its_local_hours(tz, day, hours):
    clock = OpenTime({"0": [[0, 1440]]}, tz)
    (span,) = clock.day(day)
    assert span[1] - span[0] == hours * HOUR
    assert clock.between(span[0] - HOUR, span[1] + HOUR) == hours * HOUR


def test_local_times_that_do_not_exist_or_happen_twice_are_read_as_postgresql_reads_them():
    new_york = ZoneInfo("America/New_York")
    assert local_ms(date(2025, 3, 9), 150, new_york) == at("2025-03-09T07:30:00.000Z")  # 02:30: before the switch
    assert local_ms(date(2025, 11, 2), 90, new_york) == at("2025-11-02T06:30:00.000Z")  # 01:30: the second one
    sydney = ZoneInfo("Australia/Sydney")
    assert local_ms(date(2025, 10, 5), 150, sydney) == at("2025-10-04T16:30:00.000Z")
    assert local_ms(date(2025, 4, 6), 150, sydney) == at("2025-04-05T16:30:00.000Z")


def test_split_shifts_closed_days_holidays_and_many_weeks():
    hours = {str(d): [[480, 720], [780, 1020]] for d in range(1, 6)}  # 8-12, 13-17, Monday to Friday
    clock = OpenTime(hours, "UTC", [(at("2024-01-03T10:00:00.000Z"), at("2024-01-04T00:00:00.000Z"))])
    monday = at("2024-01-01T00:00:00.000Z")
    assert clock.between(at("2024-01-01T11:00:00.000Z"), at("2024-01-01T14:00:00.000Z")) == 2 * HOUR  # lunch out
    assert clock.between(at("2024-01-05T16:00:00.000Z"), at("2024-01-08T09:00:00.000Z")) == 2 * HOUR  # weekend out
    assert clock.between(monday, monday + 7 * 24 * HOUR) == 40 * HOUR - 6 * HOUR  # Wednesday from 10 a holiday
    weeks = 60
    start = at("2024-01-08T00:00:00.000Z")
    assert clock.between(start, start + weeks * 7 * 24 * HOUR) == weeks * 40 * HOUR
    assert clock.between(start + 5, start) == 0 and clock.between(start + 9 * HOUR, start) == -HOUR


def test_add_is_the_inverse_of_between():
    clock = OpenTime(WEEKDAYS_9_TO_17, "America/New_York")
    start = at("2025-03-07T20:00:00.000Z")  # Friday 15:00 EST
    end = clock.add(start, 4 * HOUR)
    assert end == at("2025-03-10T15:00:00.000Z")  # Monday 11:00 EDT: 2 hours Friday, 2 Monday
    assert clock.between(start, end) == 4 * HOUR
    assert OpenTime({}, "UTC").add(start, HOUR, max_days=30) is None


# --------------------------------------------------------------------------- the store's org


@pytest.fixture(scope="module")
def store():
    return Store(DataOptions(now=NOW))


def story(store):
    messages = defaultdict(list)
    for m in store.resources["messages"]:
        messages[m["relationships"]["conversation"]["data"]["id"]].append(m)
    return messages


def when(message):
    a = message["attributes"]
    return _ms(a["sentAt"] or a["createdAt"])


def live(message):
    return not message["attributes"].get("deleted")


def test_counts_and_timestamps_stay_the_stores(store):
    assert len(store.resources["conversations"]) == DEFAULT_COUNTS["conversations"]
    assert len(store.resources["messages"]) == DEFAULT_COUNTS["messages"]
    conversations = {c["id"]: c for c in store.resources["conversations"]}
    for cid, messages in story(store).items():
        c = conversations[cid]["attributes"]
        for m in messages:
            a = m["attributes"]
            assert a["createdAt"] <= a["updatedAt"] and (a.get("modifiedAt") or "") <= a["updatedAt"]
            assert c["createdAt"] <= a["createdAt"] and when(m) <= min(_ms(a["updatedAt"]), _ms(c["updatedAt"]))
            if a.get("deleted"):
                assert a["deletedAt"] == a["updatedAt"]
    for c in conversations.values():
        a = c["attributes"]
        assert a["createdAt"] <= a["updatedAt"] and (a.get("modifiedAt") or "") <= a["updatedAt"]
        for key in ("firstDone", "lastDone"):
            if a.get(key):
                assert a["createdAt"] <= a[key]["createdAt"] <= a["updatedAt"]


def test_the_default_schedule_is_designed_and_its_holidays_cover_the_years(store):
    schedule = default_schedule(store.resources["business_schedules"])
    assert schedule["attributes"]["timezone"] == DEFAULT_TIMEZONE
    holidays = store.holidays[schedule["id"]]
    assert {h["attributes"]["enabled"] for h in holidays} == {True, False, None}
    years = {h["attributes"]["startDate"][:4] for h in holidays}
    assert {"2024", "2025"} <= years
    for h in holidays:  # local midnight in New York, daylight saving or not
        local = datetime.fromisoformat(h["attributes"]["startDate"].replace("Z", "+00:00")).astimezone(
            ZoneInfo(DEFAULT_TIMEZONE)
        )
        assert (local.hour, local.minute) == (0, 0)


def test_native_figures_follow_from_the_messages_and_the_schedule(store):
    schedule = default_schedule(store.resources["business_schedules"])
    clock = open_time_of(schedule, store.holidays[schedule["id"]])
    messages = story(store)
    flagged = store.native_disagreements
    assert len(flagged) >= 2
    checked = 0
    for c in store.resources["conversations"]:
        a = c["attributes"]
        counted = sorted((when(m), m["id"], m) for m in messages[c["id"]] if live(m))
        assert a["messageCount"] == len(counted)
        inbound = [t for t, _i, m in counted if m["attributes"]["direction"] == "in"]
        kinds = ("out",) if c["id"] in flagged else ("human",)
        replies = [
            (t, m)
            for t, _i, m in counted
            if m["attributes"]["direction"] == "out" and ("out" in kinds or m["attributes"]["auto"] is not True)
        ]
        reply = next(((t, m) for t, m in replies if inbound and t >= inbound[0]), None)
        if reply is None:
            assert a["firstResponse"] == {}
        else:
            checked += 1
            assert a["firstResponse"]["id"] == reply[1]["id"]
            assert a["firstResponse"]["time"] == reply[0] - inbound[0]
            assert a["firstResponse"]["businessTime"] == clock.between(inbound[0], reply[0])
        created = _ms(a["createdAt"])
        for key in ("firstDone", "lastDone"):
            if a.get(key):
                done = _ms(a[key]["createdAt"])
                assert a[key]["time"] == done - created and a[key]["businessTime"] == clock.between(created, done)
        assert a["reopenCount"] == a["doneCount"] - (1 if a["status"] == "done" else 0)
        level = a["satisfactionLevel"]
        if level.get("rating") is not None:
            assert level["rating"] in range(1, 6) and level["score"] == (1 if level["rating"] >= 4 else 0)
    assert checked > 50
    for cid in flagged:  # Kustomer counted the automatic reply there
        (conversation,) = [c for c in store.resources["conversations"] if c["id"] == cid]
        first = conversation["attributes"]["firstResponse"]["id"]
        assert next(m for m in messages[cid] if m["id"] == first)["attributes"]["auto"] is True


def test_sla_metrics_vary_by_policy_and_breaches_follow_from_them(store):
    data_time = max(_ms(c["attributes"]["updatedAt"]) for c in store.resources["conversations"])
    key_sets = set()
    for c in store.resources["conversations"]:
        sla = c["attributes"]["sla"]
        if not sla:
            continue
        key_sets.add(tuple(sorted(sla["metrics"])))
        breached = False
        for metric in sla["metrics"].values():
            breach = metric["breachAt"] and _ms(metric["breachAt"])
            satisfied = metric["satisfiedAt"] and _ms(metric["satisfiedAt"])
            breached |= bool(breach and (not satisfied or satisfied > breach) and breach <= data_time)
        assert sla["breached"] is breached and (sla["status"] == "breached") is breached
    assert len(key_sets) >= 3


def test_the_same_seed_gives_the_same_org():
    first, second = Store(DataOptions(now=NOW, seed=5)), Store(DataOptions(now=NOW, seed=5))
    for stream in ("conversations", "messages", "business_schedules"):
        assert first.resources[stream] == second.resources[stream]
    assert first.native_disagreements == second.native_disagreements


def test_small_and_partial_orgs_still_build():
    for counts in ({"conversations": 1, "messages": 5}, {"messages": 10}, {"conversations": 5}, {"customers": 3}):
        store = Store(DataOptions(counts=counts, now=NOW))
        assert len(store.resources["messages"]) == counts.get("messages", 0)
