"""Each conversation's life as the changes Kustomer records: its status and assignment over time.

cohere() (metrics.py) tells each conversation's story: when it was created, its messages, when it
was done. changes_of() turns that story into what an org's activity changes, in time order, inside
(createdAt, updatedAt]:

- status: open at creation; done at each done instant; reopened (done -> open) by the next
  message; snoozed inside an open stretch and woken by its timer before the next message (a
  snooze that ends); a conversation whose status is snoozed was snoozed after its last message
  and still is;
- assignedUsers: [] at creation, an agent soon after; sometimes another agent first, and the
  conversation's own agent later (a reassignment);
- now and then a priority change, which is no transition.

From the changes: the conversation's doneCount, reopenCount, snoozeCount, its `snooze`, and
Kustomer's totals (totalOpen, totalSnooze, totalDone). Kustomer adds an interval to a status's total
when the conversation leaves that status, so the current interval is in none of them;
businessTime is the same intervals' open time in the default schedule.

Each change is then served twice: as an event of GET /v1/conversations/{id}/events (every change
of its life, after a create event; an event's createdAt is its conversation's, as in Kustomer's
example, and its own instant is updatedAt, published up to 3 s later) and as an audit-log entry
(kustomer.conversation.update, createdAt = the change's instant, kept 90 days). Ids are
time-ordered like Kustomer's ObjectIds, and within one conversation they follow the changes'
order, so two changes in the same second (or millisecond) keep their order by id. Standard
library only; the same seed gives the same org.
"""

from __future__ import annotations

from dataclasses import dataclass

from tap_kustomer.sandbox.data.common import _DAY, _fmt, _ms
from tap_kustomer.sandbox.data.policies import retention_days

SNOOZE_SHARE = 0.35  # conversations with a snooze that ended, in one of their open stretches
NOISE_SHARE = 0.3  # conversations with a priority change as well
_MIN_GAP = 10_000  # ms: a snooze needs a stretch this long between two messages


@dataclass
class Change:
    """One change of one conversation's attribute at an instant (epoch ms)."""

    at: int
    field: str  # status, assignedUsers or priority
    before: object
    after: object
    by: str | None  # the user who made it; None: Kustomer itself (a message, a timer)
    id: str = ""


def changes_of(rng, conv, life, open_time):
    """The conversation's changes in order (ids set), with its counts, `snooze` and totals made to
    agree with them. life: metrics.Life; open_time: metrics.OpenTime or None."""
    a = conv["attributes"]
    created, updated = life.created, max(life.updated, life.created + 1)
    status = _status_changes(life, a["status"] == "done", updated)
    stretches = _open_stretches(created, status, a["status"] != "done", updated)
    snoozes = []
    if a["status"] == "snoozed":
        lo = max([stretches[-1][0]] + [m for m in life.moments if m <= updated])
        at = min(updated, lo + 1 + int((updated - lo) * (0.3 + 0.6 * rng.random())))
        snoozes.append(Change(at, "status", "open", "snoozed", life.agent))
        stretches[-1] = (stretches[-1][0], lo)
    if rng.random() < SNOOZE_SHARE:
        snoozes[:0] = _ended_snooze(rng, stretches, life)
    changes = sorted(status + snoozes, key=lambda c: c.at)
    changes += _assignments(rng, created, updated, changes, life)
    if rng.random() < NOISE_SHARE:
        at = _free_instant(rng, created, updated, changes)
        if at is not None:
            before = a.get("priority") or 3
            changes.append(Change(at, "priority", before % 5 + 1, before, life.agent))
    changes.sort(key=lambda c: c.at)
    stem = f"{rng.getrandbits(40):010x}"  # one per conversation, like an ObjectId's machine part
    for number, change in enumerate(changes, start=1):
        change.id = f"{change.at // 1000:08x}{stem}{number:06x}"
    _agree(a, created, changes, open_time, snoozes)
    return changes


def _status_changes(life, final_done, updated):
    out = []
    for i, done in enumerate(life.dones):
        out.append(Change(done, "status", "open", "done", life.agent))
        if i == len(life.dones) - 1 and final_done:
            break
        upper = life.dones[i + 1] if i + 1 < len(life.dones) else updated + 1
        again = next((m for m in life.moments if m > done), None)  # the message that reopened it
        if again is None or again >= upper:
            again = done + max(1, (upper - done) // 2)
        out.append(Change(again, "status", "done", "open", None))
    return out


def _open_stretches(created, status, ends_open, updated):
    """[(from, to)] of the conversation's open time, as its status changes leave it."""
    stretches, start = [], created
    for change in status:
        if change.after == "done":
            stretches.append((start, change.at))
        else:
            start = change.at
    if ends_open:
        stretches.append((start, updated))
    return stretches


def _ended_snooze(rng, stretches, life):
    """A snooze and its end between two messages of an open stretch, where one is long enough."""
    gaps = []
    for lo, hi in stretches:
        points = [lo] + [m for m in life.moments if lo < m < hi] + [hi]
        gaps += [(p, q) for p, q in zip(points, points[1:], strict=False) if q - p >= _MIN_GAP]
    if not gaps:
        return []
    p, q = rng.choice(gaps)
    start = p + int((q - p) * (0.1 + 0.3 * rng.random()))
    end = p + int((q - p) * (0.6 + 0.3 * rng.random()))
    return [Change(start, "status", "open", "snoozed", life.agent), Change(end, "status", "snoozed", "open", None)]


def _free_instant(rng, lo, hi, changes):
    """An instant in (lo, hi] no change has, or None."""
    taken = {c.at for c in changes}
    for _ in range(8):
        if hi - lo < 2:
            return None
        at = lo + 1 + int((hi - lo - 1) * rng.random())
        if at not in taken:
            return at
    return None


def _assignments(rng, created, updated, changes, life):
    """[] -> [agent] soon after creation; or [] -> [other], then [other] -> [agent] later."""
    first_change = changes[0].at if changes else updated
    first = _free_instant(rng, created, created + max(2, (first_change - created) // 2), changes)
    if first is None:
        return []
    other = life.other_agent
    out = [Change(first, "assignedUsers", [], [other or life.agent], None)]
    if other:
        later = _free_instant(rng, first, updated, changes + out)
        if later is not None and later > first:
            out.append(Change(later, "assignedUsers", [other], [life.agent], life.agent))
        else:
            out[0].after = [life.agent]
    return out


def intervals(created, changes, end):
    """[(status, from, to)] of the status changes over [created, end); the first interval takes
    the first change's `before`, the last runs to `end`."""
    status = [c for c in changes if c.field == "status" and c.before != c.after]
    if not status:
        return []
    out, start, current = [], created, status[0].before
    for change in status:
        out.append((current, start, change.at))
        start, current = change.at, change.after
    out.append((current, start, end))
    return out


def _agree(a, created, changes, open_time, snoozes):
    """Counts, snooze and totals from the changes (closed intervals only: see the docstring)."""
    status = [c for c in changes if c.field == "status"]
    a["doneCount"] = sum(1 for c in status if c.after == "done")
    a["reopenCount"] = sum(1 for c in status if c.before == "done" and c.after == "open")
    naps = [c for c in status if c.after == "snoozed"]
    a["snoozeCount"] = len(naps)
    if a["status"] == "snoozed":
        at = snoozes[-1].at
        a["snooze"] = {"status": "snoozed", "statusAt": _fmt(at), "time": _fmt(at + 24 * 3600 * 1000 * 400)}
    elif naps:
        woke = next(c for c in status if c.before == "snoozed")
        a["snooze"] = {"status": "unsnoozed", "statusAt": _fmt(woke.at), "time": _fmt(woke.at)}
    else:
        a["snooze"] = {}
    closed = intervals(created, changes, None)[:-1]
    last_done = max((c.at for c in status if c.after == "done"), default=None)
    totals = {s: [0, 0] for s in ("open", "snoozed", "done")}
    since = [0, 0]
    for state, t1, t2 in closed:
        business = open_time.between(t1, t2) if open_time is not None else (t2 - t1) // 3
        totals[state][0] += t2 - t1
        totals[state][1] += business
        if state == "open" and last_done is not None and t1 >= last_done:
            since[0] += t2 - t1
            since[1] += business
    a["totalOpen"] = {
        "time": totals["open"][0],
        "businessTime": totals["open"][1],
        "timeSinceLastDone": since[0],
        "businessTimeSinceLastDone": since[1],
    }
    a["totalSnooze"] = {"time": totals["snoozed"][0], "businessTime": totals["snoozed"][1]}
    a["totalDone"] = {"time": totals["done"][0], "businessTime": totals["done"][1]}


def _ref(kind, rid, path):
    return {"links": {"self": f"{path}{rid}"}, "data": {"type": kind, "id": rid}}


def events_of(rng, conv, changes, org):
    """The conversation's events, oldest first: its creation, then one per change."""
    a, cid = conv["attributes"], conv["id"]
    customer = ((conv.get("relationships") or {}).get("customer") or {}).get("data") or {}
    customer_id = customer.get("id")
    keeper = (a.get("assignedUsers") or [org])[0]  # every event names a user (Kustomer's example)
    made = [(None, a["createdAt"], f"{_ms(a['createdAt']) // 1000:08x}" + "0" * 16)]  # first by id too
    made += [(c, _fmt(c.at), c.id) for c in changes]
    out = []
    for change, instant, eid in made:
        attributes = {
            "name": "kustomer.conversation.create" if change is None else "kustomer.conversation.update",
            "type": "conversation",
            "publishedAt": _fmt(_ms(instant) + rng.randint(20, 3000)),
            "createdAt": a["createdAt"],  # the conversation's, as in Kustomer's example
            "updatedAt": instant,
            "modifiedAt": instant,
            "location": None,
            "meta": None,
        }
        if change is not None:
            attributes["changes"] = {
                "attributes": {
                    change.field: {"op": "replace", "before": change.before, "after": change.after},
                    "updatedAt": {"op": "replace", "before": None, "after": instant},
                },
                "relationships": {},
            }
        by = (change.by if change is not None else None) or keeper  # Kustomer's own changes: its agent's
        relationships = {
            "org": _ref("org", org, "/v1/orgs/"),
            "conversation": _ref("conversation", cid, "/v1/conversations/"),
            "createdBy": _ref("user", by, "/v1/users/"),
            "modifiedBy": _ref("user", by, "/v1/users/"),
        }
        if customer_id:
            relationships["customer"] = _ref("customer", customer_id, "/v1/customers/")
        out.append(
            {
                "type": "customer_event",
                "id": eid,
                "attributes": attributes,
                "relationships": relationships,
                "links": {"self": f"/v1/customers/{customer_id}/events/{eid}"},
            }
        )
    return out


def audit_of(rng, conv, change, org):
    """The audit-log entry of one change: kustomer.conversation.update at the change's instant."""
    user_type = "user" if change.by else "system"
    rid = change.id[:8] + f"{rng.getrandbits(64):016x}"
    return {
        "type": "audit_log",
        "id": rid,
        "attributes": {
            "eventName": "kustomer.conversation.update",
            "eventVerb": "update",
            "org": org,
            "userId": change.by,
            "userType": user_type,
            "objectId": conv["id"],
            "objectType": "conversation",
            "client": "web" if change.by else None,
            "ip": "203.0.113." + str(rng.randint(1, 254)) if change.by else None,
            "changes": {
                "attributes": {change.field: {"op": "replace", "before": change.before, "after": change.after}},
                "relationships": {},
            },
            "createdAt": _fmt(change.at),
            "publishedAt": _fmt(change.at + rng.randint(0, 3000)),
            "expiresAt": _fmt(change.at + retention_days("conversation", "update") * _DAY),
        },
        "relationships": {"user": _ref("user", change.by, "/v1/users/")},
        "links": {"self": "/v1/audit-logs/" + rid},
    }


__all__ = ["Change", "audit_of", "changes_of", "events_of", "intervals"]
