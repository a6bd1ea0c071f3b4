"""The section "Status history" of docs/dbt.md (the contract), computed in Python from what the
sandbox served: each conversation's status intervals, its time in each status (calendar and
business), its assignment changes, and the daily backlog. test_dbt.py holds the package's marts to
these, to the millisecond.

`with_events` is the set of conversations whose events were loaded (they take their transitions
from their events only); every other conversation takes them from the audit entries the API still
served. Instants are epoch milliseconds; seconds are Decimals."""

from collections import defaultdict
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from tap_kustomer.sandbox.data.common import _ms

MS = Decimal(1000)
DAY = 86_400_000
STATUSES = ("open", "snoozed", "done")


def _changes(resource_changes, field):
    return ((resource_changes or {}).get("attributes") or {}).get(field)


class History:
    def __init__(self, store, with_events, open_time, data_time):
        self.open_time, self.data_time = open_time, data_time
        now = store.clock()
        served = [e for e in store.audit if e["attributes"]["expiresAt"] > now]
        logged = [e for e in served if e["attributes"]["objectType"] == "conversation"]
        self.coverage = min(_ms(e["attributes"]["createdAt"]) for e in logged)
        audit = defaultdict(list)
        for e in logged:
            audit[e["attributes"]["objectId"]].append((_ms(e["attributes"]["createdAt"]), e["id"], e["attributes"]))
        self.conversations = {c["id"]: c for c in store.resources["conversations"]}
        self.with_events = set(with_events)
        self.intervals, self.assignments, self.inferred = {}, {}, {}
        for cid, conv in self.conversations.items():
            if cid in self.with_events:
                rows = []
                for e in store.events[cid]:
                    a = e["attributes"]
                    rows.append((_ms(a.get("updatedAt") or a["publishedAt"]), e["id"], a))
                from_audit = False
            else:
                rows, from_audit = audit.get(cid, []), True
            rows.sort(key=lambda row: (row[0], row[1]))
            created = _ms(conv["attributes"]["createdAt"])
            status = [
                (t, ch["before"], ch["after"]) for t, _i, a in rows if (ch := _changes(a.get("changes"), "status"))
            ]
            status = [s for s in status if s[1] != s[2]]
            inferred = from_audit and created < self.coverage
            self.inferred[cid] = inferred
            spans = []
            if status:
                start, current = created, status[0][1]
                for t, _before, after in status:
                    spans.append([current, start, t])
                    start, current = t, after
                spans.append([current, start, None])
            else:
                spans.append([conv["attributes"]["status"], created, None])
            self.intervals[cid] = [
                {
                    "status": s,
                    "valid_from": t1,
                    "valid_to": t2,
                    "is_inferred": inferred and i == 0,
                    "calendar_seconds": self.overlap(created, t1, t2, calendar=True),
                    "business_seconds": self.overlap(created, t1, t2, calendar=False),
                }
                for i, (s, t1, t2) in enumerate(spans)
            ]
            moves = [
                (t, ch["before"], ch["after"])
                for t, _i, a in rows
                if (ch := _changes(a.get("changes"), "assigned_users") or _changes(a.get("changes"), "assignedUsers"))
            ]
            moves = [m for m in moves if (m[1] or []) != (m[2] or [])]
            first = next((t for t, before, after in moves if not before and after), None)
            self.assignments[cid] = {
                "assignment_changes": len(moves),
                "first_assigned_at": None if inferred else first,
                "time_to_first_assignment_seconds": None
                if inferred or first is None
                else Decimal(first - created) / MS,
            }

    def overlap(self, created, t1, t2, calendar):
        """Seconds of [t1, t2) (t2 None: open-ended) within [created, the time of the data)."""
        lo, hi = max(t1, created), min(self.data_time if t2 is None else t2, self.data_time)
        if hi <= lo:
            return Decimal(0) if calendar or self.open_time is not None else None
        if calendar:
            return Decimal(hi - lo) / MS
        return None if self.open_time is None else Decimal(self.open_time.between(lo, hi)) / MS

    def time_in_status(self, cid):
        out = {"has_inferred_history": self.inferred[cid]}
        for status in STATUSES:
            spans = [s for s in self.intervals[cid] if s["status"] == status]
            out[f"{status}_seconds"] = sum((s["calendar_seconds"] for s in spans), Decimal(0))
            business = [s["business_seconds"] for s in spans]
            out[f"{status}_business_seconds"] = (
                None if self.open_time is None else sum((b for b in business if b is not None), Decimal(0))
            )
        return out

    def status_at(self, cid, at):
        for span in self.intervals[cid]:
            if span["valid_from"] <= at and (span["valid_to"] is None or at < span["valid_to"]):
                return span["status"]
        return None

    def backlog(self):
        """date -> (open, snoozed) at the end of each UTC day from the coverage start's to the data's."""
        day = datetime.fromtimestamp(self.coverage / 1000, timezone.utc).date()
        last = datetime.fromtimestamp(self.data_time / 1000, timezone.utc).date()
        live = [
            (cid, _ms(c["attributes"]["createdAt"]))
            for cid, c in self.conversations.items()
            if not (c["attributes"].get("deleted") or c["attributes"].get("deletedAt"))
        ]
        out = {}
        while day <= last:
            start = int(datetime(day.year, day.month, day.day, tzinfo=timezone.utc).timestamp() * 1000)
            end = min(start + DAY, self.data_time)
            counts = defaultdict(int)
            for cid, created in live:
                if created < end:
                    counts[self.status_at(cid, end)] += 1
            out[day.isoformat()] = (counts["open"], counts["snoozed"])
            day += timedelta(days=1)
        return out

    def native_disagreements(self, tolerance):
        """(conversation, metric) pairs of time in status where ours and Kustomer's differ: a status
        the conversation has left (Kustomer's total lacks the current interval), history not inferred."""
        out = set()
        for cid, conv in self.conversations.items():
            if self.inferred[cid]:
                continue
            a, ours = conv["attributes"], self.time_in_status(cid)
            for status, key in (("open", "totalOpen"), ("snoozed", "totalSnooze"), ("done", "totalDone")):
                if status == a["status"]:
                    continue
                native = (a.get(key) or {}).get("time") or 0  # no total: never left that status
                mine = ours[f"{status}_seconds"]
                if abs(mine - Decimal(native) / MS) > tolerance:
                    out.add((cid, f"{status}_seconds"))
        return out
