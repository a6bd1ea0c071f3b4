"""Conversations whose figures follow from their messages: the sandbox org, made coherent.

The builders draw each conversation and each message on its own. cohere() then turns them into
one org whose numbers add up, the way Kustomer's would:

- the default business schedule gets designed hours (split shifts, a 24-hour Sunday that takes
  both daylight-saving switches, a closed Saturday) in America/New_York, and holidays of its own
  (some disabled, one with `enabled` null) in every year the conversations cover;
- each conversation gets a block of messages (dealt by updatedAt, so they fall inside its life), a
  story (inbound, automatic and human replies, done, reopened), and from that story the figures
  Kustomer precomputes: firstResponse, firstDone, lastDone (calendar and business milliseconds),
  doneCount, reopenCount, message counts, satisfactionLevel (score 0/1, rating 1-5) and SLA
  metrics (breachAt = start + target in business time, satisfiedAt = when it was met).

The figures follow the dbt package's definitions (docs/dbt.md), computed here with zoneinfo and
nothing else, so the package's SQL can be checked against an independent implementation. One
deliberate exception: in a few conversations (returned by cohere(), kept by the store as
`native_disagreements`) Kustomer's firstResponse is the automatic reply that came before the first
human one, as an org whose SLA counts automatic replies would show it. The package's agreement test
must report exactly those.

Every timestamp stays within what the store assigned: a message's times are at or before its own
updatedAt and its conversation's updatedAt; updatedAt values (and so the search order and the tie
blocks) are never changed. Standard library only; the same seed gives the same org.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from tap_kustomer.sandbox.data.common import _DAY, _HOUR, _fmt, _ms
from tap_kustomer.sandbox.data.org import build_holiday

UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_MS = timedelta(milliseconds=1)

# The sandbox's default schedule: "0" is Sunday. Minutes after local midnight; 1440 is the next midnight.
DEFAULT_TIMEZONE = "America/New_York"
DEFAULT_HOURS = {
    "0": [[0, 1440]],  # 24 hours: the US switches happen on Sundays (a 23- and a 25-hour day)
    "1": [[420, 720], [780, 1140]],  # split shift
    "2": [[420, 720], [780, 1140]],
    "3": [[540, 1020]],
    "4": [[420, 720], [780, 1140]],
    "5": [[480, 960]],
    "6": None,  # closed
}
# (month, day or None for "4th Thursday", name, days, enabled)
_DESIGNED_HOLIDAYS = (
    (1, 1, "New Year's Day", 1, True),
    (7, 4, "Independence Day 🇺🇸", 1, True),
    (11, None, "Thanksgiving 🦃", 2, True),
    (12, 24, "Christmas Eve & Day", 2, True),
    (3, 14, "Company offsite", 3, False),  # disabled: must not count
    (10, 10, "Inventory day", 1, None),  # enabled null: counts (only false turns a holiday off)
)
# SLA policies: which metrics each matches a conversation with; targets in business milliseconds
_SLA_POLICIES = (
    ("firstResponse", "nextReply", "totalConversationOpenTime"),
    ("firstResponse", "longestUnrespondedMessage"),
    ("firstResponse",),
    ("firstResponse", "nextReply", "longestUnrespondedMessage", "totalConversationOpenTime"),
)
_SLA_TARGETS = {
    "firstResponse": 4 * _HOUR,
    "nextReply": 8 * _HOUR,
    "longestUnrespondedMessage": 12 * _HOUR,
    "totalConversationOpenTime": 40 * _HOUR,
}
_FAST_CHANNELS = frozenset(("chat", "sms", "voice", "whatsapp"))
_MAX_MESSAGES = 14  # messages in one conversation at most
_DISAGREEMENT_SHARE = 0.015


# --------------------------------------------------------------------------- business time


def _epoch_ms(moment: datetime) -> int:
    return (moment - _EPOCH) // _ONE_MS


def local_ms(day: date, minutes: int, tz: ZoneInfo) -> int:
    """The instant (epoch ms) of local `day` 00:00 + minutes in tz, read as PostgreSQL reads
    `timestamp AT TIME ZONE tz`: a time that does not exist (spring forward) with the offset before
    the switch, an ambiguous one (fall back) with the offset after it."""
    naive = datetime(day.year, day.month, day.day) + timedelta(minutes=minutes)
    first, second = naive.replace(tzinfo=tz), naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() != second.utcoffset():
        back = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
        if back == naive:  # ambiguous: both readings exist; take the later offset
            first = second
    return _epoch_ms(first)


def _merge(spans):
    out = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [tuple(span) for span in out]


def _minus(spans, holes):
    out = []
    for start, end in spans:
        pieces = [(start, end)]
        for hole_start, hole_end in holes:
            if hole_end <= start or hole_start >= end:
                continue
            pieces = [
                part
                for lo, hi in pieces
                for part in ((lo, min(hi, hole_start)), (max(lo, hole_end), hi))
                if part[1] > part[0]
            ]
        out.extend(pieces)
    return out


class OpenTime:
    """The open time of one business schedule: its hours per local weekday in its zone, minus its
    holidays' [start, end). Instants are epoch milliseconds."""

    def __init__(self, hours, tz_name, holidays=()):
        self.hours = hours or {}
        self.tz = ZoneInfo(tz_name)
        self.holidays = sorted((start, end) for start, end in holidays if end > start)
        self._days = {}

    def day(self, local_date: date):
        """[(start, end)] open on one local date, holidays removed, in order."""
        found = self._days.get(local_date)
        if found is None:
            shifts = self.hours.get(str((local_date.weekday() + 1) % 7)) or []
            spans = _merge((local_ms(local_date, s, self.tz), local_ms(local_date, e, self.tz)) for s, e in shifts)
            found = self._days[local_date] = _minus(spans, self.holidays)
        return found

    def local_date(self, ms: int) -> date:
        return (_EPOCH + ms * _ONE_MS).astimezone(self.tz).date()

    def between(self, t1: int, t2: int) -> int:
        """Open milliseconds in [t1, t2) (negative when t2 < t1, as B(t2) - B(t1) is)."""
        if t2 < t1:
            return -self.between(t2, t1)
        total, day = 0, self.local_date(t1) - timedelta(days=1)
        last = self.local_date(t2) + timedelta(days=1)
        while day <= last:
            for start, end in self.day(day):
                if end > t1 and start < t2:
                    total += min(end, t2) - max(start, t1)
            day += timedelta(days=1)
        return total

    def add(self, t: int, amount: int, max_days: int = 3 * 366):
        """The instant at which `amount` open milliseconds have passed since t (None if the schedule
        is not open that long within max_days)."""
        day = self.local_date(t) - timedelta(days=1)
        for _ in range(max_days):
            for start, end in self.day(day):
                if end <= t:
                    continue
                start = max(start, t)
                if end - start >= amount:
                    return start + amount
                amount -= end - start
            day += timedelta(days=1)
        return None


def default_schedule(schedules):
    """The org's default schedule as analytics.md picks it: default and not deleted, the most
    recently updated if several; None if there is none."""
    found = [s for s in schedules if s["attributes"].get("default") and not s["attributes"].get("deleted")]
    return max(found, key=lambda s: (s["attributes"]["updatedAt"], s["id"])) if found else None


def open_time_of(schedule, holidays):
    """The OpenTime of a schedule resource and its holiday resources (enabled not false)."""
    a = schedule["attributes"]
    spans = [
        (_ms(h["attributes"]["startDate"]), _ms(h["attributes"]["endDate"]))
        for h in holidays
        if h["attributes"].get("enabled") is not False
    ]
    return OpenTime(a.get("hours"), a["timezone"], spans)


# --------------------------------------------------------------------------- the default schedule


def _fourth_thursday(year):
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def _design_schedule(rng, schedule, pool, years):
    """Designed hours and zone for the default schedule, and its holidays for `years`."""
    a = schedule["attributes"]
    a["hours"] = {day: (list(map(list, spans)) if spans else None) for day, spans in DEFAULT_HOURS.items()}
    a["timezone"] = DEFAULT_TIMEZONE
    tz = ZoneInfo(DEFAULT_TIMEZONE)
    lo, hi = _ms(a["createdAt"]), _ms(a["updatedAt"])
    out = []
    for year in years:
        for month, day, name, days, enabled in _DESIGNED_HOLIDAYS:
            first = _fourth_thursday(year) if day is None else date(year, month, day)
            created = lo + int(rng.random() * (hi - lo + 1))
            rid = f"{rng.getrandbits(96):024x}"
            holiday = build_holiday(rng, rid, _fmt(created), _fmt(created), pool, schedule["id"], DEFAULT_TIMEZONE)
            h = holiday["attributes"]
            start = local_ms(first, 0, tz)
            h["name"], h["enabled"] = name, enabled
            h["startDate"] = _fmt(start)
            h["endDate"] = _fmt(local_ms(first + timedelta(days=days), 0, tz) - 1000)  # the last second, as Kustomer
            h["modifiedAt"] = h["updatedAt"]
            out.append(holiday)
    return out


# --------------------------------------------------------------------------- dealing messages


def _deal(rng, conversations, messages):
    """[(conversation, [message, ...])]: each conversation's block of messages, dealt in updatedAt
    order so a conversation's messages were last updated near it (and so can fall inside its life)."""
    convs = sorted(conversations, key=lambda r: (r["attributes"]["updatedAt"], r["id"]))
    msgs = sorted(messages, key=lambda r: (r["attributes"]["updatedAt"], r["id"]))
    counts = [0] * len(convs)
    talking = sorted(rng.sample(range(len(convs)), min(len(msgs), max(1, round(len(convs) * 0.85)))))
    for i in talking:
        counts[i] = 1
    urn = list(talking)  # a Polya urn: threads that already have messages tend to get more
    for _ in range(len(msgs) - len(talking)):
        while True:
            i = rng.choice(urn)
            if counts[i] < _MAX_MESSAGES or all(counts[j] >= _MAX_MESSAGES for j in talking):
                break
        counts[i] += 1
        urn.append(i)
    blocks, at = [], 0
    for conv, count in zip(convs, counts, strict=True):
        blocks.append((conv, msgs[at : at + count]))
        at += count
    return blocks


# --------------------------------------------------------------------------- one conversation's story


def _gap(rng, before, role):
    """Milliseconds between a message in role `before` and the next, in role `role`."""
    ms = rng.randrange(1000)
    if role == "auto":
        return rng.randint(3, 90) * 1000 + ms
    if role == "human" and before != "human":  # a reply: minutes, hours, days, now and then weeks
        kind = rng.random()
        if kind < 0.35:
            return rng.randint(60, 3540) * 1000 + ms
        if kind < 0.7:
            return rng.randint(3600, 12 * 3600) * 1000 + ms
        if kind < 0.92:
            return rng.randint(12 * 3600, 4 * 86400) * 1000 + ms
        if kind < 0.98:
            return rng.randint(4 * 86400, 20 * 86400) * 1000 + ms
        return rng.randint(21 * 86400, 63 * 86400) * 1000 + ms
    if role == "in" and before != "in":  # the customer answers
        return rng.choice((rng.randint(30, 3600), rng.randint(3600, 3 * 86400))) * 1000 + ms
    return rng.randint(20, 4 * 3600) * 1000 + ms  # a follow-up from the same side


def _roles(rng, count, disagree):
    """The roles of a conversation's messages in time order: "in", "auto" or "human"."""
    if disagree:  # inbound, an automatic reply, then the human one an hour or more later
        head = ["in", "auto", "human"]
        return head + [rng.choice(("in", "human")) for _ in range(count - 3)]
    roles = []
    for _ in range(count):
        if not roles:
            roles.append("in" if rng.random() < 0.92 else "human")
            continue
        before = roles[-1]
        r = rng.random()
        if before == "in":
            nxt = "auto" if r < 0.12 and "auto" not in roles else ("human" if r < 0.75 else "in")
        elif before == "auto":
            nxt = "human" if r < 0.75 else "in"
        else:
            nxt = "in" if r < 0.6 else "human"
        roles.append(nxt)
    return roles


def _message_time(m):
    a = m["attributes"]
    return _ms(a["sentAt"] or a["createdAt"])


def _counted(m):
    a = m["attributes"]
    return not a.get("deleted") and not a.get("deletedAt")


class _Story:
    """A conversation's events in time order and the figures that follow from them."""

    def __init__(self, conv, block, roles, times, dones):
        self.conv, self.block, self.roles, self.times, self.dones = conv, block, roles, times, dones
        live = [(t, role, m) for t, role, m in zip(times, roles, block, strict=True) if _counted(m)]
        self.live = sorted(live, key=lambda e: (e[0], e[2]["id"]))

    def first_inbound(self):
        return next(((t, m) for t, role, m in self.live if role == "in"), None)

    def first_reply(self, after, roles=("human",)):
        """The earliest counted message in one of `roles` at or after instant `after`."""
        return next(((t, m) for t, role, m in self.live if role in roles and t >= after), None)

    def inbound_after(self, after):
        return next(((t, m) for t, role, m in self.live if role == "in" and t > after), None)


def _place_times(rng, roles, dones_wanted, final_done):
    """Offsets (ms from the first message) of each message, and of the done events."""
    times, t = [], 0
    for i, role in enumerate(roles):
        if i:
            gap = _gap(rng, roles[i - 1], role)
            if role == "human" and roles[i - 1] == "auto":
                gap = max(gap, _HOUR + rng.randrange(_HOUR))
            t += gap
        times.append(t)
    # reopened: a done between a reply and the message that reopened it
    slots = [i for i in range(len(roles) - 1) if roles[i] != "in" and times[i + 1] - times[i] > 2000]
    rng.shuffle(slots)
    dones = []
    for i in sorted(slots[:dones_wanted]):
        dones.append(times[i] + 1000 + int((times[i + 1] - times[i] - 2000) * rng.random()))
    if final_done:
        dones.append(times[-1] + rng.choice((rng.randint(60, 3600), rng.randint(3600, 2 * 86400))) * 1000)
    return times, dones


def _teams_of(teams):
    out = {}
    for team in teams:
        if team["attributes"].get("deleted"):
            continue
        for user in team["attributes"].get("members") or ():
            out.setdefault(user, []).append(team["id"])
    return out


def _snapshot(template, **values):
    snap = dict(template or {})
    snap.update(values)
    return snap


def _ref(m):
    a = m["attributes"]
    return {"id": m["id"], "createdAt": a["createdAt"], "sentAt": a["sentAt"] or a["createdAt"]}


@dataclass
class Life:
    """What history.py needs of a told conversation: its creation, last update, done instants,
    message instants (sorted; deleted messages too) and the agents who worked it (epoch ms)."""

    created: int
    updated: int
    dones: list
    moments: list
    agent: str
    other_agent: str | None


def _tell(rng, conv, block, open_time, teams_of, pool, disagree, data_time, shortcut_ids):
    """Rewrite one conversation and its messages into a coherent story."""
    a = conv["attributes"]
    updated = _ms(a["updatedAt"])
    done = a["status"] == "done"
    planned = a.get("doneCount") or 0
    earlier_dones = max(0, planned - 1) if done else planned
    agents = list(pool.user_ids) or [f"{rng.getrandbits(96):024x}"]
    agent = rng.choice(agents)
    helper = rng.choice(agents) if rng.random() < 0.2 else agent

    if disagree:  # counted messages first, so the three that disagree are live
        block = sorted(block, key=lambda m: not _counted(m))
    roles = _roles(rng, len(block), disagree)
    if block:
        offsets, done_offsets = _place_times(rng, roles, earlier_dones, done)
        limit = min([updated] + [_ms(m["attributes"]["updatedAt"]) for m in block]) - rng.randint(1000, _HOUR)
        span = max(offsets[-1], done_offsets[-1] if done_offsets else 0)
        start = limit - span
        created = start - rng.randrange(500)
        times = [start + o for o in offsets]
        dones = [start + o for o in done_offsets]
    else:
        created = _ms(a["createdAt"])
        times = []
        dones = [created + int((updated - created) * (0.2 + 0.8 * rng.random()))] if done else []
    a["createdAt"] = _fmt(created)
    if a.get("modifiedAt") and a["modifiedAt"] < a["createdAt"]:
        a["modifiedAt"] = a["updatedAt"]

    customer = (conv["relationships"].get("customer") or {}).get("data") or {}
    for i, (m, role, t) in enumerate(zip(block, roles, times, strict=True)):
        _rewrite_message(rng, m, conv["id"], customer, role, t, i, roles, agent if i < 3 else helper, created)
        if role != "in" and m["attributes"]["shortcuts"] and shortcut_ids:  # the org's own shortcuts
            m["attributes"]["shortcuts"] = [rng.choice(shortcut_ids)]

    story = _Story(conv, block, roles, times, dones)
    _figures(rng, a, story, created, dones, open_time, teams_of, agent, disagree, data_time, updated)
    return Life(created, updated, list(dones), sorted(times), agent, helper if helper != agent else None)


def _rewrite_message(rng, m, conversation_id, customer, role, t, index, roles, agent, floor):
    a, rels = m["attributes"], m["relationships"]
    inbound = role == "in"
    a["direction"] = "in" if inbound else "out"
    a["auto"] = role == "auto"
    if inbound:
        a["directionType"] = "initial-in" if "in" not in roles[:index] else "followup-in"
        a["status"], a["error"], a["shortcuts"] = "received", None, []
    else:
        if index == 0:
            a["directionType"] = "initial-out"
        else:
            a["directionType"] = "response-out" if roles[index - 1] == "in" else "followup-out"
        if a.get("status") == "received":
            a["status"] = rng.choice(("sent", "delivered", "read"))
    if rng.random() < 0.05:  # no sentAt: the message's time is its createdAt
        a["sentAt"], a["createdAt"] = None, _fmt(t)
    else:
        a["sentAt"] = _fmt(t)
        a["createdAt"] = _fmt(t + rng.randrange(900) if inbound else max(floor, t - rng.randrange(3000)))
    if a.get("modifiedAt") and a["modifiedAt"] < a["createdAt"]:
        a["modifiedAt"] = a["updatedAt"]
    if a.get("importedAt") and a["importedAt"] < a["createdAt"]:
        a["importedAt"] = a["createdAt"]
    rels["conversation"] = {
        "links": {"self": f"/v1/conversations/{conversation_id}"},
        "data": {"type": "conversation", "id": conversation_id},
    }
    if customer.get("id"):
        kind = (rels.get("customer") or {}).get("data", {}).get("type") or "customer"
        rels["customer"] = {
            "links": {"self": f"/v1/customers/{customer['id']}"},
            "data": {"type": kind, "id": customer["id"]},
        }
    if role == "human":
        rels["createdBy"] = {"links": {"self": f"/v1/users/{agent}"}, "data": {"type": "user", "id": agent}}


def _business(open_time, t1, t2):
    return open_time.between(t1, t2) if open_time is not None else None


def _figures(rng, a, story, created, dones, open_time, teams_of, agent, disagree, data_time, updated):
    """Kustomer's precomputed figures from the story."""
    live = story.live
    teams = teams_of.get(agent, [])
    a["assignedUsers"] = [agent]
    a["assignedTeams"] = teams[:1] or a.get("assignedTeams") or []
    a["messageCount"] = len(live)
    a["outboundMessageCount"] = sum(1 for _t, role, _m in live if role != "in")
    if story.block:
        a["direction"] = "in" if story.roles[0] == "in" else "out"

    first_in = story.first_inbound()
    reply = story.first_reply(first_in[0], ("human", "auto") if disagree else ("human",)) if first_in else None
    a["firstResponse"] = {}
    if reply:
        t_in, t_reply, m = first_in[0], reply[0], reply[1]
        by = (m["relationships"].get("createdBy") or {}).get("data", {}).get("id") or agent
        a["firstResponse"] = {
            "id": m["id"],
            "createdAt": m["attributes"]["createdAt"],
            "sentAt": _fmt(t_reply),
            "createdBy": by,
            "createdByTeams": teams_of.get(by, []),
            "assignedUsers": [agent],
            "assignedTeams": a["assignedTeams"],
            "time": t_reply - t_in,
            "businessTime": _business(open_time, t_in, t_reply),
            "responseTime": t_reply - t_in,
        }
    a["firstResponseSinceLastDone"] = {}
    reopened_at = max((d for d in dones if any(t > d for t, _r, _m in live)), default=None)
    if reopened_at is not None:
        again = story.inbound_after(reopened_at)
        answer = story.first_reply(again[0]) if again else None
        if answer:
            a["firstResponseSinceLastDone"] = _snapshot(
                a["firstResponse"],
                id=answer[1]["id"],
                createdAt=answer[1]["attributes"]["createdAt"],
                sentAt=_fmt(answer[0]),
                time=answer[0] - again[0],
                businessTime=_business(open_time, again[0], answer[0]),
                responseTime=answer[0] - again[0],
            )

    a["doneCount"] = len(dones)
    a["reopenCount"] = len(dones) - 1 if a["status"] == "done" and dones else len(dones)
    for key in ("firstDone", "lastDone"):
        if not dones:
            a.pop(key, None)
            continue
        at = dones[0] if key == "firstDone" else dones[-1]
        before = [(t, role) for t, role, _m in live if t <= at]
        a[key] = _snapshot(
            a.get(key),
            time=at - created,
            businessTime=_business(open_time, created, at),
            createdAt=_fmt(at),
            createdBy=agent,
            createdByTeams=teams,
            assignedUsers=[agent],
            assignedTeams=a["assignedTeams"],
            messageCount=len(before),
            outboundMessageCount=sum(1 for _t, role in before if role != "in"),
            noteCount=a.get("noteCount") or 0,
            lastMessageDirection=("in" if before[-1][1] == "in" else "out") if before else None,
        )
    if a["status"] == "done":
        a["ended"], a["endedAt"] = True, _fmt(dones[-1])
    else:
        a["ended"] = False
        a.pop("endedAt", None)

    _message_refs(a, story, created)
    a["satisfactionLevel"] = _csat(rng, a, dones, updated)
    a["sla"] = _sla(rng, a, story, created, dones, open_time, data_time) if first_in and rng.random() < 0.6 else None


def _message_refs(a, story, created):
    live = story.live
    ins = [(t, m) for t, role, m in live if role == "in"]
    outs = [(t, m) for t, role, m in live if role != "in"]
    if ins:
        m = ins[0][1]
        a["firstMessageIn"] = {
            "id": m["id"],
            "channel": m["attributes"]["channel"],
            "directionType": m["attributes"]["directionType"],
            "createdAt": m["attributes"]["createdAt"],
            "sentAt": _fmt(ins[0][0]),
        }
        a["lastMessageIn"] = _ref(ins[-1][1])
        a["lastReceivedAt"] = _fmt(ins[-1][0])
    elif live:
        a["firstMessageIn"], a["lastMessageIn"], a["lastReceivedAt"] = {}, {}, None
    if outs:
        m = outs[0][1]
        by = (m["relationships"].get("createdBy") or {}).get("data", {}).get("id")
        a["firstMessageOut"] = {
            "id": m["id"],
            "channel": m["attributes"]["channel"],
            "directionType": m["attributes"]["directionType"],
            "createdAt": m["attributes"]["createdAt"],
            "createdBy": by,
            "createdByTeams": [],
            "sentAt": _fmt(outs[0][0]),
        }
        a["lastMessageOut"] = _ref(outs[-1][1])
    else:
        a["firstMessageOut"], a["lastMessageOut"] = {}, {}
    if live:
        last_t, last_role, _m = live[-1]
        a["lastMessageAt"] = _fmt(last_t)
        a["lastMessageDirection"] = "in" if last_role == "in" else "out"
        a["lastMessageUnrespondedTo"] = _ref(live[-1][2]) if last_role == "in" else {}
        a["lastActivityAt"] = max(a["lastMessageAt"], a.get("endedAt") or "", a["createdAt"])


def _csat(rng, a, dones, updated):
    """Rated (score 0/1, rating 1-5), offered and unanswered, or never sent."""
    if a["status"] != "done" or not dones or rng.random() < 0.5:
        return {"sentByTeams": []}
    last = dones[-1]
    sent = last + (updated - last) * 3 // 10
    answered = rng.random() < 0.75
    rating = rng.choice((1, 2, 3, 4, 4, 5, 5, 5)) if answered else None
    return {
        "sentByTeams": a["assignedTeams"],
        "status": "rated" if answered else rng.choice(("offered", "unrated")),
        "channel": rng.choice(("email", "chat", "sms")),
        "sentAt": _fmt(sent),
        "score": (1 if rating >= 4 else 0) if answered else None,
        "rating": rating,
        "createdAt": _fmt(sent),
        "updatedAt": _fmt(last + (updated - last) * 6 // 10),
    }


def _sla(rng, a, story, created, dones, open_time, data_time):
    """The conversation's SLA: one entry per metric of its policy, breachAt and satisfiedAt."""
    fast = (a.get("channels") or ["email"])[0] in _FAST_CHANNELS
    policy = rng.choice(_SLA_POLICIES)
    first_in = story.first_inbound()
    first_reply = story.first_reply(first_in[0])
    starts = {
        "firstResponse": (first_in[0], first_reply[0] if first_reply else None),
        "totalConversationOpenTime": (created, dones[-1] if a["status"] == "done" and dones else None),
    }
    nxt = story.inbound_after(first_reply[0]) if first_reply else None
    nxt_reply = story.first_reply(nxt[0]) if nxt else None
    starts["nextReply"] = (nxt[0] if nxt else None, nxt_reply[0] if nxt_reply else None)
    last_in = [t for t, role, _m in story.live if role == "in"][-1]
    last_reply = story.first_reply(last_in)
    starts["longestUnrespondedMessage"] = (last_in, last_reply[0] if last_reply else None)
    metrics, breaches, satisfied = {}, [], []
    for name in policy:
        start, met = starts[name]
        target = _SLA_TARGETS[name] // (8 if fast and name == "firstResponse" else 1)
        if start is None:
            breach_at = None
        elif open_time is not None:
            breach_at = open_time.add(start, target)
        else:
            breach_at = start + target
        metrics[name] = {
            "breachAt": None if breach_at is None else _fmt(breach_at),
            "satisfiedAt": None if met is None else _fmt(met),
        }
        if breach_at is not None and (met is None or met > breach_at) and breach_at <= data_time:
            breaches.append((breach_at, name))
        if met is not None:
            satisfied.append(met)
    breached = bool(breaches)
    first_breach = min(breaches) if breaches else None
    all_met = len(satisfied) == len(policy)
    return {
        "version": rng.randint(1, 6),
        "matchedAt": _fmt(created),
        "status": "breached" if breached else ("satisfied" if all_met else "active"),
        "breached": breached,
        "breach": {"metric": first_breach[1], "at": _fmt(first_breach[0])} if first_breach else {},
        "metrics": metrics,
        "summary": {
            "firstBreachAt": _fmt(first_breach[0]) if first_breach else None,
            "satisfiedAt": _fmt(max(satisfied)) if all_met and not breached else None,
        },
    }


# --------------------------------------------------------------------------- entry point


def cohere(resources, holidays, pool, seed, lives=None):
    """Make the store's conversations, messages, default schedule and its holidays one coherent
    org (see the module's docstring). holidays maps schedule id -> holiday resources and is updated
    in place; lives (a dict), when given, gets each conversation's Life by id. Returns the ids of
    the conversations whose native firstResponse deliberately disagrees with the package's
    definition."""
    rng = random.Random(f"{seed}:metrics")
    conversations = resources.get("conversations") or []
    messages = resources.get("messages") or []
    schedule = default_schedule(resources.get("business_schedules") or [])
    open_time = None
    if schedule is not None and conversations:
        first = min(_ms(c["attributes"]["updatedAt"]) for c in conversations) - 120 * _DAY
        last = max(_ms(c["attributes"]["updatedAt"]) for c in conversations)
        years = range(int(_fmt(first)[:4]), int(_fmt(last)[:4]) + 1)
        holidays[schedule["id"]] = _design_schedule(rng, schedule, pool, years)
        open_time = open_time_of(schedule, holidays[schedule["id"]])
    if not conversations:
        return set()
    data_time = max(_ms(c["attributes"]["updatedAt"]) for c in conversations)
    teams_of = _teams_of(resources.get("teams") or [])
    blocks = _deal(rng, conversations, messages)
    candidates = [conv["id"] for conv, block in blocks if sum(1 for m in block if _counted(m)) >= 3]
    wanted = min(len(candidates), max(2, round(len(conversations) * _DISAGREEMENT_SHARE)))
    disagree = set(rng.sample(candidates, wanted))
    shortcut_ids = [r["id"] for r in resources.get("shortcuts") or []]
    for conv, block in blocks:
        life = _tell(rng, conv, block, open_time, teams_of, pool, conv["id"] in disagree, data_time, shortcut_ids)
        if lives is not None:
            lives[conv["id"]] = life
    return disagree


__all__ = [
    "DEFAULT_HOURS",
    "DEFAULT_TIMEZONE",
    "Life",
    "OpenTime",
    "cohere",
    "default_schedule",
    "local_ms",
    "open_time_of",
]
