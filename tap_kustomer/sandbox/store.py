"""The sandbox's data: deterministic generated Kustomer resources, indexed for search."""

import bisect
import hashlib
import random
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from tap_kustomer.sandbox import data as builders
from tap_kustomer.sandbox.data import oddities

UTC = timezone.utc
SEARCH_STREAMS = ("conversations", "customers", "kobjects", "messages", "notes", "companies")
# searchable too, made after routing (they name its queues and users): conversation handling
HANDLING_STREAMS = ("conversation_times", "work_items")
STAMPS = {"conversation_times": "createdAt"}  # the attribute search sorts a context on, where not updatedAt
LIST_STREAMS = (
    "shortcuts",
    "tags",
    "teams",
    "users",
    "brands",
    "business_schedules",
    "satisfaction_surveys",
    "role_groups",
    "snoozes",
    "cards",
)
CONTEXTS = {
    "customer": "customers",
    "conversation": "conversations",
    "message": "messages",
    "note": "notes",
    "kobject": "kobjects",
    "company": "companies",
    "conversation_time": "conversation_times",
    "work_item": "work_items",
    "work_session": "work_sessions",
}
DEFAULT_COUNTS = {
    "conversations": 300,
    "customers": 400,
    "kobjects": 120,
    "messages": 500,
    "notes": 150,
    "shortcuts": 40,
    "tags": 60,
    "teams": 12,
    "users": 30,
    "companies": 80,
    "brands": 4,
    "business_schedules": 6,
    "satisfaction_surveys": 8,
    "role_groups": 9,
    "snoozes": 8,
    "cards": 6,
    "conversation_times": 400,
    "work_items": 350,
    # routing, SLAs and the audit log (made together, consistent with each other: data/routing.py)
    "queues": 12,
    "routing_statuses": 9,
    "work_sessions": 80,
    "slas": 6,
    "audit_logs": 400,
}
ROUTING_LISTS = ("queues", "routing_statuses", "team_routing_settings", "work_sessions", "slas")
TWO_YEARS = timedelta(days=730)


def stamp(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_stamp(text):
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


@dataclass
class DataOptions:
    seed: int = 1
    counts: dict = field(default_factory=lambda: dict(DEFAULT_COUNTS))
    now: datetime = None
    history_days: int = 900  # records are spread over this many days before now
    archive_fraction: float = 0.1  # share of search-stream records older than two years
    deleted_fraction: float = 0.05
    tie_blocks: tuple = (25, 7)  # per search stream: sizes of blocks sharing one updatedAt
    newest_age_seconds: int = 3600  # the newest generated record is this old
    links_only_null_data: bool = False  # render `"data": null` relationships as links only (older taps crash on null)
    odd_shapes: tuple = ()  # shapes the OpenAPI description does not document, served on purpose (data/oddities.py)
    whole_seconds: bool = False  # every timestamp cut to the second (an org that keeps no milliseconds)


def _object_id(rng):
    return f"{rng.getrandbits(96):024x}"


class Store:
    """Every resource by stream, plus per search context a list sorted by (updatedAt, tie order)."""

    def __init__(self, options=None):
        self.options = options or DataOptions()
        self.now = self.options.now or datetime.now(UTC)
        self.lock = threading.RLock()
        self.resources = {}
        self._by_id = {}
        self._indexes = {}
        self._boundary_shift = 0.0
        self._generate()

    # -- generation -------------------------------------------------------------------------
    def _generate(self):
        opts = self.options
        oddities.check(opts.odd_shapes)
        rng = random.Random(opts.seed)
        counts = {name: opts.counts.get(name, 0) for name in SEARCH_STREAMS + LIST_STREAMS}
        pool = builders.Pool(
            org_id=_object_id(rng),
            user_ids=[_object_id(rng) for _ in range(max(1, counts["users"]))],
            team_ids=[_object_id(rng) for _ in range(max(1, counts["teams"]))],
            customer_ids=[_object_id(rng) for _ in range(max(1, counts["customers"]))],
            conversation_ids=[_object_id(rng) for _ in range(max(1, counts["conversations"]))],
            tag_ids=[_object_id(rng) for _ in range(max(1, counts["tags"]))],
            klass_names=[k["attributes"]["name"] for k in builders.KLASSES],
            company_ids=[_object_id(rng) for _ in range(max(1, counts["companies"]))],
        )
        self.pool = pool
        self.klasses = builders.all_klass_resources(pool.org_id)  # every status; kobjects only of enabled ones
        fixed_ids = {
            "users": pool.user_ids,
            "teams": pool.team_ids,
            "customers": pool.customer_ids,
            "conversations": pool.conversation_ids,
            "tags": pool.tag_ids,
            "companies": pool.company_ids,
        }
        newest = self.now - timedelta(seconds=opts.newest_age_seconds)
        for name, count in counts.items():
            srng = random.Random(f"{opts.seed}:{name}")
            stamps = self._stamps(srng, count, newest, name in SEARCH_STREAMS)
            ids = fixed_ids.get(name, [])
            out = []
            for i, updated in enumerate(stamps):
                rid = ids[i] if i < len(ids) else _object_id(srng)
                created = updated - timedelta(seconds=srng.randint(0, 86400 * 30))
                deleted = srng.random() < opts.deleted_fraction
                klass = pool.klass_names[i % len(pool.klass_names)] if name == "kobjects" else None
                res = builders.build(name, srng, rid, stamp(created), stamp(updated), deleted, pool, klass, i)
                if opts.links_only_null_data:
                    for rel in (res.get("relationships") or {}).values():
                        if isinstance(rel, dict) and "data" in rel and rel["data"] is None:
                            del rel["data"]
                out.append(res)
            self.resources[name] = out
            for res in out:
                self._by_id[(name, res["id"])] = res
        oddities.apply(self.resources, opts.odd_shapes)
        hrng = random.Random(f"{opts.seed}:business_holidays")
        self.holidays = {
            s["id"]: builders.schedule_holidays(hrng, s, pool) for s in self.resources["business_schedules"]
        }
        # conversations, messages and the default schedule made one coherent org (data/metrics.py);
        # the conversations whose native firstResponse deliberately disagrees with the dbt package's
        self.lives = {}
        self.native_disagreements = builders.cohere(self.resources, self.holidays, pool, opts.seed, self.lives)
        routing_counts = {name: opts.counts.get(name, 0) for name in builders.ROUTING_STREAMS}
        routing, self.routing_pool = builders.build_org(
            pool, seed=opts.seed, now=stamp(newest), counts=routing_counts, history_days=min(opts.history_days, 400)
        )
        for name in ROUTING_LISTS:
            self.resources[name] = routing[name]
            for res in routing[name]:
                self._by_id[(name, res["id"])] = res
        self.sla_versions = routing["sla_versions"]
        self.audit = routing["audit_logs"]  # oldest first; expired entries are kept, and not served
        self._live_history(newest)
        self._audit_rng = random.Random(f"{opts.seed}:audit-live")
        for name in HANDLING_STREAMS:
            srng = random.Random(f"{opts.seed}:{name}")
            out = []
            for i, updated in enumerate(self._stamps(srng, opts.counts.get(name, 0), newest, True)):
                created = updated - timedelta(seconds=srng.randint(0, 86400 * 3))
                rid = _object_id(srng)
                out.append(
                    builders.build(name, srng, rid, stamp(created), stamp(updated), False, self.routing_pool, None, i)
                )
            self.resources[name] = out
            self._by_id.update(((name, r["id"]), r) for r in out)
        arng = random.Random(f"{opts.seed}:attachments")
        by_conversation = {}
        for message in self.resources["messages"]:
            cid = ((message["relationships"].get("conversation") or {}).get("data") or {}).get("id")
            by_conversation.setdefault(cid, []).append(message["id"])
        self.attachments = {
            c["id"]: builders.attachments_of(arng, c, by_conversation.get(c["id"], []), pool.org_id)
            for c in self.resources["conversations"]
        }
        self._live_rng = random.Random(f"{opts.seed}:handling-live")
        oddities.apply_late(self, opts.odd_shapes)
        if opts.whole_seconds:
            for collection in (self.resources, self.holidays, self.attachments, self.audit, self.klasses, self.events):
                oddities.whole_seconds(collection)
            oddities.whole_seconds(self.sla_versions)

    def _live_history(self, newest):
        """Each conversation's status and assignment changes (data/history.py), served as its
        events (all of its life) and as audit-log entries (from 120 days back: older ones would
        have expired, conversation updates being kept 90 days)."""
        hrng = random.Random(f"{self.options.seed}:history")
        schedule = builders.default_schedule(self.resources.get("business_schedules") or [])
        open_time = builders.open_time_of(schedule, self.holidays[schedule["id"]]) if schedule else None
        horizon = int((newest - timedelta(days=120)).timestamp() * 1000)
        org = self.pool.org_id
        self.changes, self.events = {}, {}
        for conv in self.resources["conversations"]:
            life = self.lives.get(conv["id"])
            if life is None:
                continue
            changes = self.changes[conv["id"]] = builders.history.changes_of(hrng, conv, life, open_time)
            self.events[conv["id"]] = builders.history.events_of(hrng, conv, changes, org)
            self.audit += [builders.history.audit_of(hrng, conv, c, org) for c in changes if c.at >= horizon]
        self.audit.sort(key=lambda r: r["attributes"]["createdAt"])

    def clock(self):
        """Now, for what expires (audit entries): the org's fixed now, if it has one."""
        return stamp(self.now if self.options.now is not None else datetime.now(UTC))

    def attachment_list(self):
        """Every conversation's attachments, in one list."""
        return [a for rows in self.attachments.values() for a in rows]

    def _stamps(self, rng, count, newest, searchable):
        opts = self.options
        oldest = newest - timedelta(days=opts.history_days)
        boundary = self.now - TWO_YEARS
        span_old = max(1.0, (boundary - oldest).total_seconds())
        span_new = max(1.0, (newest - boundary).total_seconds()) - 3600
        stamps = []
        for _ in range(count):
            if searchable and rng.random() < opts.archive_fraction and span_old > 1:
                moment = oldest + timedelta(seconds=rng.uniform(0, span_old - 3600))
            else:
                moment = boundary + timedelta(seconds=3600 + rng.uniform(0, span_new))
            stamps.append(moment.replace(microsecond=moment.microsecond // 1000 * 1000))
        if searchable:  # blocks of records that share one updatedAt, as bulk updates make them
            at = 0
            for size in opts.tie_blocks:
                if at + size > count:
                    break
                shared = stamps[at]
                for j in range(at, at + size):
                    stamps[j] = shared
                at += size
        stamps.sort()
        return stamps

    # -- reads ------------------------------------------------------------------------------
    @staticmethod
    def tie_order(rid):
        """Within one updatedAt the sandbox orders records by a hash, not by id, as a real index may."""
        return hashlib.blake2b(rid.encode(), digest_size=8).digest()

    @staticmethod
    def stamp_attribute(stream):
        """The attribute a stream's search context sorts and filters on: updatedAt, but for records
        that have none (conversation times: createdAt)."""
        return STAMPS.get(stream, "updatedAt")

    def index(self, stream, klass=None):
        """[(stamp, tie order, resource)] sorted, for one search context (stamp: stamp_attribute)."""
        key = (stream, klass)
        attribute = self.stamp_attribute(stream)
        with self.lock:
            found = self._indexes.get(key)
            if found is None:
                rows = [
                    (r["attributes"][attribute], self.tie_order(r["id"]), r)
                    for r in self.resources[stream]
                    if klass is None or r["type"] == f"kobject.{klass}"
                ]
                rows.sort(key=lambda row: row[:2])
                found = self._indexes[key] = rows
            return found

    def boundary(self):
        """Search sees updatedAt >= this; the archive sees the rest."""
        now = datetime.now(UTC) if self.options.now is None else self.now
        return stamp(now - TWO_YEARS + timedelta(seconds=self._boundary_shift))

    def shift_boundary(self, seconds):
        """Let time pass for the two-year window faster than the clock does (tests of its edge)."""
        with self.lock:
            self._boundary_shift += seconds

    # -- writes (a live org) ------------------------------------------------------------------
    def touch(self, stream, rid, when=None):
        """Update one record now: updatedAt, modifiedAt and rev move, so it moves to the end of the sort."""
        with self.lock:
            res = self._by_id[(stream, rid)]
            moment = stamp(when or datetime.now(UTC))
            if self.options.whole_seconds:
                moment = moment[:19] + ".000Z"
            attrs = res["attributes"]
            old = attrs["updatedAt"]
            attrs["updatedAt"] = moment
            if "modifiedAt" in attrs:
                attrs["modifiedAt"] = moment
            if isinstance(attrs.get("rev"), int):
                attrs["rev"] += 1
            for (name, _klass), rows in self._indexes.items():
                if name != stream:
                    continue
                key = (old, self.tie_order(rid))
                at = bisect.bisect_left(rows, key, key=lambda row: row[:2])
                while at < len(rows) and rows[at][2] is not res:
                    at += 1
                if at < len(rows):
                    del rows[at]
                    bisect.insort(rows, (moment, self.tie_order(rid), res), key=lambda row: row[:2])
            return res

    def get(self, stream, rid):
        return self._by_id.get((stream, rid))

    def add(self, stream, resource):
        """A new record of a searchable stream (a conversation time Kustomer just created)."""
        with self.lock:
            self.resources[stream].append(resource)
            self._by_id[(stream, resource["id"])] = resource
            attribute = self.stamp_attribute(stream)
            row = (resource["attributes"][attribute], self.tie_order(resource["id"]), resource)
            for (name, _klass), rows in self._indexes.items():
                if name == stream:
                    bisect.insort(rows, row, key=lambda r: r[:2])
            return resource

    def live_update(self, rng):
        """What an agent's moment of work changes: a record of a search stream updated, or a new
        conversation time (they are never edited), sometimes with an attachment on a conversation."""
        names = [name for name in SEARCH_STREAMS + HANDLING_STREAMS + ("work_sessions",) if self.resources.get(name)]
        if not names:
            return None
        name = rng.choice(names)
        if name == "conversation_times":
            now = datetime.now(UTC)
            rid = _object_id(self._live_rng)
            made = builders.build(name, self._live_rng, rid, stamp(now), stamp(now), False, self.routing_pool, None, 0)
            return self.add(name, made)
        record = self.touch(name, rng.choice(self.resources[name])["id"])
        if name == "conversations" and rng.random() < 0.3:
            with self.lock:
                self.attachments[record["id"]] = self.attachments.get(record["id"], []) + builders.attachments_of(
                    self._live_rng, record, [], self.pool.org_id
                )
        return record

    def audit_now(self, when=None):
        """Append one audit-log entry created now, as an org's activity does."""
        with self.lock:
            moment = when or datetime.now(UTC)
            ms = int(moment.timestamp() * 1000)
            entry = builders.audit_entry(self._audit_rng, self.routing_pool, ms)
            self.audit.append(entry)
            return entry
