"""A local fake of the Kustomer API on 127.0.0.1, for the demo, the tests and the benchmarks.

It behaves as ../shared/kustomer-api.md says the real API does: bearer auth, JSON:API envelopes,
page-number lists with relative links.next and silent pageSize clamps, search with its operators,
sort and includeDeleted, the 100-page cap (page 100's next link points to 101, which fails), the
two-year search window with an archive search beside it, rate-limit headers and 429s, and both
error body shapes.
"""

import fnmatch
import json
import random
import re
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from tap_kustomer.sandbox import data as builders
from tap_kustomer.sandbox.data import oddities
from tap_kustomer.sandbox.errors import ApiError, jsonapi_error, plain_error
from tap_kustomer.sandbox.search import SEARCH_PAGE_MAX, SearchApi, _normal_stamp
from tap_kustomer.sandbox.store import DataOptions, Store, parse_stamp, stamp

SANDBOX_TOKEN = "sandbox-token"
# list path under /v1/ -> (stream, page size maximum)
LISTS = {
    "tags": ("tags", 100),
    "shortcuts": ("shortcuts", 100),
    "teams": ("teams", 500),
    "users": ("users", 500),
    "brands": ("brands", 100),
    "schedules": ("business_schedules", 100),
    "satisfaction": ("satisfaction_surveys", 100),
    "role-groups": ("role_groups", 100),
    "klasses": ("klasses", 100),
    "routing/queues": ("queues", 100),
    "routing/statuses": ("routing_statuses", 100),
    "routing/settings": ("team_routing_settings", 100),
    "routing/work-sessions": ("work_sessions", 100),
    "slas": ("slas", 100),
    "snoozes": ("snoozes", 100),
    "cards": ("cards", 100),
    "companies": ("companies", 100),  # GET /v1/companies: companies where search refuses the context
}
AUDIT_COUNT_DEFAULT, AUDIT_COUNT_MAX = 100, 1000
_STAMP = re.compile(rb'(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d{3})Z"')  # a canonical timestamp, as encoded


@dataclass
class ServerOptions:
    token: str = SANDBOX_TOKEN
    page_cap: int = 100  # pages one search query may serve
    search_page_max: int = SEARCH_PAGE_MAX
    window_seconds: float = 60.0
    org_budget: int = 0  # requests per window for everything; 0 = unlimited
    search_budget: int = 0  # search requests per window; 0 = unlimited
    search_latency: float = 0.0  # seconds added to each search answer
    wrong_region_tokens: tuple = ()  # tokens that get the wrong-pod 401
    token_revoked_after: int = 0  # after this many requests the token is rejected (401), as if revoked
    forbidden: tuple = ()  # resource names ("customer", "users", ...) answered with 403
    missing: tuple = ()  # streams whose paths answer 404, as in an org without the feature
    mutations_per_second: float = 0.0  # a live org: records of search streams updated while serving
    boundary_drift_per_search: float = 0.0  # seconds the two-year boundary moves on per search request
    faults: dict = field(default_factory=dict)  # fault kind (see FAULTS) -> probability per request
    fault_seed: int = 0
    slow_seconds: float = 2.0  # how long a "slow" fault holds its answer
    storm_after: int = 0  # after this many requests, answer 429 to everything for storm_seconds
    storm_seconds: float = 0.0
    outage_after: int = 0  # after this many requests, answer 503 to everything for outage_seconds
    outage_seconds: float = 0.0
    # misbehaviour on purpose: what a tap must notice rather than loop on or skip records over
    search_ignores_filter: bool = False  # every search answers as if it had no criteria
    search_ignores_sort: bool = False  # every search answers in its default order, updatedAt descending
    list_ignores_page: bool = False  # lists always answer page 1, with links.next still pointing on
    list_page_max: int = 0  # clamp every list's pageSize to this (0: each list's own maximum, LISTS)
    # the contexts the archive answers 400 for (Kustomer documents message, conversation, customer,
    # kobject, kobject_<klass> and company for POST /customers/archive/search; the default org's
    # archive takes the others too, the contrary org's `archive-refuses` does not)
    archive_refuses_contexts: tuple = ()
    audit_oldest_first: bool = False  # oldest first, next links asking `after` (documented: newest first)
    audit_ignores_filter: bool = False  # the audit log answers as if it had no filter[start] / filter[end]
    audit_next_repeats: bool = False  # the audit log's links.next never moves on
    audit_next_keeps_filter: bool = False  # links.next repeats filter[start/end] (the documented example drops it)
    audit_count_max: int = AUDIT_COUNT_MAX  # a larger `count` is clamped to this, silently
    # an org that answers an UNCONFIRMED fact the other way (sandbox/contrary.py names each set of these)
    contrary: tuple = ()  # the contrary switches applied (contrary.apply), for the record
    list_unpaged: tuple = ()  # streams whose lists ignore page and pageSize: every record at once
    list_links: bool = True  # False: lists answer without `links`
    search_total: str = "exact"  # meta.total of a search answer: exact, missing, capped (at search_total_cap)
    search_total_cap: int = 10_000
    search_refuses_contexts: tuple = ()  # queryContexts the standard search answers 400 for
    search_refuses_ids: bool = False  # a criterion or sort on <context>_id answers 400
    search_window_shift_days: float = 0.0  # the two-year edge later (> 0: a shorter window) or earlier (< 0)
    stamps_without_ms: bool = False  # timestamps written without milliseconds (with DataOptions.whole_seconds)
    stamps_with_offset: bool = False  # timestamps written with +00:00 instead of Z
    audit_filter_on: str = "createdAt"  # the instant filter[start] / filter[end] compare
    work_sessions_ignore_active: bool = False
    empty_klass_metadata: str = "empty"  # a klass without attributes: properties {} (empty), absent, or 404
    lists_include_deleted: bool = False  # deleted=false and status= are not applied
    events_page_max: int = 100  # a conversation's events: pageSize clamped to this
    events_kept_days: int = 0  # a conversation's events older than this many days are gone (0: all of its life)
    events_without_status: bool = False  # events carry no status change (as Kustomer's example shows none)
    record_exchanges: bool = False  # keep every request and answer in Api.exchanges (tests check them)
    # one part of the API broken while the rest answers: target -> mode. A target is a path
    # ("/v1/routing/queues", or a pattern: "/v1/schedules/*"), "search:<queryContext>" or
    # "archive:<queryContext>"; a mode is BREAK_MODES' (a 500 for ever, a 200 without `data`, ...),
    # with "@N" to answer the first N such requests normally ("500@3")
    broken: dict = field(default_factory=dict)
    data: DataOptions = field(default_factory=DataOptions)


@dataclass
class Exchange:
    """One request the sandbox answered and its answer, as Api.exchanges keeps them."""

    method: str
    path: str
    query: dict  # name -> [values], as sent
    body: object
    status: int
    answer: object


FAULTS = ("500", "502", "503", "504", "reset", "truncate", "slow", "429", "empty", "html")
BREAK_MODES = ("500", "400", "401", "403", "404", "409", "422", "nodata")
HTML_PAGES = {
    "502": b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
    "504": b"<html><head><title>504 Gateway Time-out</title></head><body><h1>504 Gateway Time-out</h1></body></html>",
    "html": b"<!DOCTYPE html><html><body><p>We are down for scheduled maintenance.</p></body></html>",
}


class Answered(Exception):
    """An answer given before routing (a broken target's 200 without data)."""

    def __init__(self, status, body):
        super().__init__(status)
        self.status, self.body = status, body


class RateLimiter:
    """Fixed windows, as the API counts them; one counter per budget."""

    def __init__(self, window):
        self.window = window
        self.lock = threading.Lock()
        self.counts = {}
        self.rejected = 0

    def take(self, name, limit):
        """Count one request against budget `name`; headers to send, and whether it is allowed."""
        now = time.time()
        start = now - (now % self.window)
        with self.lock:
            key = (name, start)
            used = self.counts.get(key, 0) + 1
            self.counts[key] = used
            allowed = used <= limit
            if not allowed:
                self.rejected += 1
        headers = {
            "x-ratelimit-limit": str(limit),
            "x-ratelimit-remaining": str(max(0, limit - used)),
            "x-ratelimit-reset": f"{start + self.window:.3f}",
        }
        return headers, allowed


class Api(SearchApi):
    """Routes and answers, independent of the HTTP plumbing so tests can call it directly."""

    def __init__(self, options=None, store=None):
        self.options = options or ServerOptions()
        self.store = store or Store(self.options.data)
        if self.options.search_window_shift_days:
            self.store.shift_boundary(self.options.search_window_shift_days * 86400)
        self.limiter = RateLimiter(self.options.window_seconds)
        self.requests = {}
        self.lock = threading.Lock()
        self.faults_injected = {}
        self.log = []  # (epoch seconds it arrived, "METHOD /path", status) of every request answered
        self.exchanges = [] if self.options.record_exchanges else None  # see Exchange
        self._fault_rng = random.Random(self.options.fault_seed)
        self._served = 0
        self._storm_until = None
        self._outage_until = None
        self._broken_seen = {}  # broken target -> requests it has had

    def draw_fault(self):
        """The fault to act out for the next request, or None; counted in faults_injected."""
        with self.lock:
            roll, chosen = self._fault_rng.random(), None
            for kind in FAULTS:
                roll -= self.options.faults.get(kind, 0.0)
                if roll < 0:
                    chosen = kind
                    break
            if chosen:
                self.faults_injected[chosen] = self.faults_injected.get(chosen, 0) + 1
            return chosen

    def _storm(self):
        """During a 429 storm: the reset time (epoch seconds) it ends at; otherwise None."""
        return self._spell("_storm_until", self.options.storm_after, self.options.storm_seconds)

    def _outage(self):
        """During an outage: when it ends (epoch seconds); otherwise None."""
        return self._spell("_outage_until", self.options.outage_after, self.options.outage_seconds)

    def _spell(self, attribute, after, seconds):
        """A spell of misbehaviour that starts once `after` requests were served and lasts `seconds`."""
        if not after:
            return None
        with self.lock:
            until = getattr(self, attribute)
            if until is None and self._served > after:
                until = time.time() + seconds
                setattr(self, attribute, until)
            if until is not None and time.time() < until:
                return until
        return None

    def handle(self, method, target, headers, body):
        """(status, headers, payload) for one request."""
        arrived = time.time()
        parts = urlsplit(target)
        path, query = parts.path.rstrip("/"), {k: v[-1] for k, v in parse_qs(parts.query).items()}
        with self.lock:
            key = f"{method} {path}"
            self.requests[key] = self.requests.get(key, 0) + 1
            self._served += 1
        extra = {}
        status, payload = 500, None
        try:
            if self._outage() is not None:
                raise ApiError(503, plain_error("unavailable", "Service Unavailable: the API is down"))
            storm_end = self._storm()
            if storm_end is not None:
                raise ApiError(
                    429,
                    jsonapi_error(429, "rate_limited", "Too Many Requests", "Rate limit exceeded"),
                    {"x-ratelimit-limit": "100", "x-ratelimit-remaining": "0", "x-ratelimit-reset": f"{storm_end:.3f}"},
                )
            self._authorize(headers.get("Authorization", ""))
            extra = self._rate_limit(path)
            self._break(path, body)
            status, payload = self._route(method, path, query, body)
            return status, extra, payload
        except Answered as answer:
            status, payload = answer.status, answer.body
            return answer.status, extra, answer.body
        except ApiError as exc:
            status, payload = exc.status, exc.body
            return exc.status, {**extra, **exc.headers}, exc.body
        finally:
            self.log.append((arrived, key, status))
            if self.exchanges is not None:
                self.exchanges.append(Exchange(method, path, parse_qs(parts.query), body, status, payload))

    def render(self, body):
        """An encoded answer as the org writes its timestamps: without milliseconds, or with +00:00."""
        opts = self.options
        if not (opts.stamps_without_ms or opts.stamps_with_offset):
            return body
        zone = b"+00:00" if opts.stamps_with_offset else b"Z"
        ms = b"" if opts.stamps_without_ms else rb"\2"
        return _STAMP.sub(rb"\1" + ms + zone + b'"', body)

    def _break(self, path, body):
        """Act out options.broken for this request, if one of its targets names it."""
        if not self.options.broken:
            return
        names = [path]
        if path.endswith("/search") and isinstance(body, dict):
            names.append(f"{'archive' if 'archive' in path else 'search'}:{body.get('queryContext')}")
        for target, spec in self.options.broken.items():
            if not any(fnmatch.fnmatchcase(name, target) for name in names):
                continue
            mode, _, spare = spec.partition("@")
            with self.lock:
                seen = self._broken_seen[target] = self._broken_seen.get(target, 0) + 1
            if spare and seen <= int(spare):
                return
            if mode == "nodata":
                raise Answered(200, {"meta": {}, "links": {"self": path, "next": None}})
            detail = f"{target} is broken on purpose (sandbox option broken)"
            raise ApiError(int(mode), jsonapi_error(int(mode), "broken", "Broken", detail))

    def _authorize(self, header):
        if self.options.token_revoked_after and self._served > self.options.token_revoked_after:
            raise ApiError(401, jsonapi_error(401, "auth_invalid", "Unauthorized", "Invalid auth token"))
        scheme, _, token = header.partition(" ")
        if scheme != "Bearer" or not token:
            raise ApiError(401, jsonapi_error(401, "auth_required", "Unauthorized", "Authorization header required"))
        if token in self.options.wrong_region_tokens:
            raise ApiError(
                401,
                plain_error(
                    "invalid_token", "Auth token associated with pod prod2 but request is being handled by prod1"
                ),
            )
        if token != self.options.token:
            raise ApiError(401, jsonapi_error(401, "auth_invalid", "Unauthorized", "Invalid auth token"))

    def _rate_limit(self, path):
        headers = {}
        checks = []
        if self.options.org_budget:
            checks.append(("org", self.options.org_budget))
        if self.options.search_budget and path.endswith("/search"):
            checks.append(("search", self.options.search_budget))
        for name, limit in checks:
            got, allowed = self.limiter.take(name, limit)
            if not headers or int(got["x-ratelimit-remaining"]) <= int(headers["x-ratelimit-remaining"]):
                headers = got
            if not allowed:
                raise ApiError(
                    429,
                    jsonapi_error(429, "rate_limited", "Too Many Requests", f"Rate limit of {limit} requests exceeded"),
                    got,
                )
        return headers

    def _forbid(self, resource):
        if resource in self.options.forbidden:
            raise ApiError(403, plain_error("forbidden", f"Missing role to read {resource}"))

    def _route(self, method, path, query, body):
        if method == "POST" and path in ("/v1/customers/search", "/v1/customers/archive/search"):
            return 200, self._search(path, query, body, archive="archive" in path)
        if method != "GET":
            raise ApiError(404, jsonapi_error(404, "not_found", "Not Found", f"No route {method} {path}"))
        if path == "/v1/users/current":
            return 200, {"data": self.store.resources["users"][0] if self.store.resources["users"] else {}}
        name = path[len("/v1/") :] if path.startswith("/v1/") else ""
        if name in LISTS:
            stream, maximum = LISTS[name]
            maximum = min(maximum, self.options.list_page_max or maximum)
            self._forbid(name)
            self._missing(stream, path)
            every = self.options.lists_include_deleted  # the contrary org applies neither filter
            if stream == "klasses":  # enabled ones unless ?status= says otherwise
                status = query.get("status", "enabled")
                rows = [k for k in self.store.klasses if every or k["attributes"].get("status") == status]
            else:
                rows = self.store.resources[stream]
            if stream == "users" and not every:  # active only, unless deleted=true asks for the deactivated ones
                want_deleted = query.get("deleted") == "true"
                rows = [r for r in rows if bool(r["attributes"].get("deletedAt")) == want_deleted]
            if stream == "work_sessions" and query.get("user", "true") != "false":  # the key's own sessions only
                me = self.store.resources["users"][0]["id"] if self.store.resources["users"] else None
                rows = [r for r in rows if (r["relationships"].get("user") or {}).get("data", {}).get("id") == me]
            if (
                stream == "work_sessions"
                and query.get("active") == "true"
                and not self.options.work_sessions_ignore_active
            ):
                rows = [r for r in rows if r["attributes"].get("active") is True]  # the current sessions only
            answer = self._list_page(path, query, rows, maximum, stream in self.options.list_unpaged)
            if stream == "slas" and query.get("versions") == "all":  # every listed SLA's versions
                listed = {r["id"] for r in answer["data"]}
                answer["included"] = [
                    v for v in self.store.sla_versions if v["relationships"]["sla"]["data"]["id"] in listed
                ]
            return 200, answer
        if name == "audit-logs":
            self._forbid(name)
            self._missing("audit_logs", path)
            return 200, self._audit_logs(path, query)
        if name.startswith("schedules/"):
            return 200, self._schedule(path, name[len("schedules/") :], query)
        if name.startswith("conversations/") and name.endswith("/attachments"):
            return 200, self._attachments(path, name.split("/")[1], query)
        if name.startswith("conversations/") and name.endswith("/events"):
            return 200, self._events(path, name.split("/")[1], query)
        if name.startswith("conversations/") and name.count("/") == 1:  # GET /v1/conversations/{id}
            self._forbid("conversation")
            found = self.store.get("conversations", name.split("/")[1])
            if found is None:
                raise ApiError(404, jsonapi_error(404, "not_found", "Not Found", f"No conversation {name}"))
            return 200, {"data": found}
        if name.startswith("metadata/"):
            self._forbid("metadata")
            resource = name[len("metadata/") :]
            empty = not builders.CUSTOM_ATTRIBUTES.get(resource) and resource.startswith("kobject.")
            if resource not in builders.CUSTOM_ATTRIBUTES or (empty and self.options.empty_klass_metadata == "404"):
                raise ApiError(404, jsonapi_error(404, "not_found", "Not Found", f"No metadata for {resource}"))
            org = self.store.pool.org_id
            properties = oddities.metadata_properties(
                resource, builders.CUSTOM_ATTRIBUTES[resource], self.store.options.odd_shapes
            )
            absent = empty and self.options.empty_klass_metadata == "absent"
            return 200, {
                "data": {
                    "type": "metadata",
                    "id": resource,
                    "attributes": {} if absent else {"properties": properties},
                    "relationships": {
                        "org": {"links": {"self": f"/v1/orgs/{org}"}, "data": {"type": "org", "id": org}}
                    },
                    "links": {"self": path},
                }
            }
        raise ApiError(404, jsonapi_error(404, "not_found", "Not Found", f"No route GET {path}"))

    def _audit_logs(self, path, query):
        """GET /v1/audit-logs as Kustomer documents it: entries created in [filter[start], filter[end])
        that have not expired (Kustomer keeps them 90 days to 12 months), newest first, `count` at a
        time, paged by cursor: links.next asks for the entries `before` the page's last one, links.prev
        for those `after` its first; meta {count, total, cursorCount}. Like the documented example,
        the next link carries count and the cursor only (no filter) unless audit_next_keeps_filter."""
        try:
            count = min(int(query.get("count", AUDIT_COUNT_DEFAULT)), self.options.audit_count_max)
            start = _normal_stamp(query["filter[start]"]) if "filter[start]" in query else ""
            end = _normal_stamp(query["filter[end]"]) if "filter[end]" in query else "\uffff"
        except ValueError:
            raise ApiError(400, jsonapi_error(400, "invalid_params", "Bad Request", "bad count or filter")) from None
        if count < 1:
            raise ApiError(400, jsonapi_error(400, "invalid_params", "Bad Request", "count must be positive"))
        opts = self.options
        if opts.audit_ignores_filter:
            start, end = "", "\uffff"
        now = self.store.clock()
        order = lambda e: (e["attributes"]["createdAt"], e["id"])  # noqa: E731
        with self.store.lock:
            every = list(self.store.audit)
        instant = opts.audit_filter_on  # createdAt, as the tap expects, or another instant (contrary)
        kept = [e for e in every if start <= e["attributes"][instant] < end and e["attributes"]["expiresAt"] > now]
        newest_first = not opts.audit_oldest_first
        kept.sort(key=order, reverse=newest_first)
        total, cursor = len(kept), ""
        for name, keep in (("before", lambda k, c: k < c), ("after", lambda k, c: k > c)):
            if name in query:
                found = next((e for e in every if e["id"] == query[name]), None)
                if found is None:
                    raise ApiError(
                        400, jsonapi_error(400, "invalid_params", "Bad Request", f"no audit log {query[name]!r}")
                    )
                kept = [e for e in kept if keep(order(e), order(found))]
                cursor += f"&{name}={query[name]}"
        chunk = kept[:count]
        filters = "".join(f"&{k}={query[k]}" for k in ("filter[start]", "filter[end]") if k in query)
        base = f"{path}?count={count}"
        carried = filters if opts.audit_next_keeps_filter else ""
        older, newer = ("before", "after") if newest_first else ("after", "before")
        links = {
            "self": base + filters + cursor,
            "first": base + filters,
            "prev": f"{base}{carried}&{newer}={chunk[0]['id']}" if chunk else None,
            "next": f"{base}{carried}&{older}={chunk[-1]['id']}" if len(kept) > count else None,
        }
        if opts.audit_next_repeats and links["next"]:
            links["next"] = links["self"]
        return {"meta": {"count": len(chunk), "total": total, "cursorCount": len(kept)}, "data": chunk, "links": links}

    def _attachments(self, path, cid, query):
        """GET /v1/conversations/{id}/attachments, as Kustomer's example answers it: `meta` empty,
        links with page and pageSize."""
        self._forbid("attachments")
        self._missing("attachments", path)
        if self.store.get("conversations", cid) is None:
            raise ApiError(404, jsonapi_error(404, "not_found", "Not Found", f"No conversation {cid}"))
        answer = self._list_page(path, query, self.store.attachments.get(cid, []), 100)
        answer["meta"] = {}
        return answer

    def _events(self, path, cid, query):
        """GET /v1/conversations/{id}/events: every change of the conversation's life, newest first
        (as Kustomer's example lists them) unless sort=asc, page and pageSize (100 at most)."""
        self._forbid("conversation_events")
        self._missing("conversation_events", path)
        if self.store.get("conversations", cid) is None:
            raise ApiError(404, jsonapi_error(404, "not_found", "Not Found", f"No conversation {cid}"))
        with self.store.lock:
            events = list(self.store.events.get(cid, ()))
        if self.options.events_kept_days:
            since = stamp(parse_stamp(self.store.clock()) - timedelta(days=self.options.events_kept_days))
            events = [e for e in events if e["attributes"]["updatedAt"] >= since]
        if self.options.events_without_status:
            events = [_without_status(e) for e in events]
        order = lambda e: (e["attributes"]["updatedAt"], e["id"])  # noqa: E731
        events.sort(key=order, reverse=query.get("sort", "desc").lower() not in ("asc", "ascending"))
        answer = self._list_page(path, query, events, self.options.events_page_max)
        answer["meta"] = {}
        return answer

    def _missing(self, stream, path):
        if stream in self.options.missing:
            raise ApiError(404, jsonapi_error(404, "not_found", "Not Found", f"No route GET {path}"))

    def _schedule(self, path, sid, query):
        """GET /v1/schedules/{id}, with its holidays in `included` when include=holidays."""
        self._forbid("schedules")
        self._missing("business_holidays", path)
        schedule = self.store.get("business_schedules", sid)
        if schedule is None:
            raise ApiError(404, jsonapi_error(404, "not_found", "Not Found", f"No schedule {sid}"))
        answer = {"data": schedule}
        if "holidays" in query.get("include", "").split(","):
            answer["included"] = self.store.holidays.get(sid, [])
        return answer

    @staticmethod
    def _paging(query, maximum):
        try:
            page = int(query.get("page", 1))
            size = int(query.get("pageSize", 100))
        except ValueError:
            raise ApiError(
                400, jsonapi_error(400, "invalid_params", "Bad Request", "page and pageSize must be integers")
            ) from None
        if page < 1 or size < 1:
            raise ApiError(
                400, jsonapi_error(400, "invalid_params", "Bad Request", "page and pageSize must be positive")
            )
        return page, min(size, maximum)  # oversized pages are clamped silently

    def _list_page(self, path, query, rows, maximum, unpaged=False):
        """One page of a list; `unpaged`: every row, whatever page and pageSize say (its links still
        follow them, as if it paged)."""
        page, size = self._paging(query, maximum)
        served = 1 if self.options.list_ignores_page else page
        chunk = list(rows) if unpaged else rows[(served - 1) * size : served * size]
        extra = "".join(f"&{k}={v}" for k, v in query.items() if k not in ("page", "pageSize"))
        more = page * size < len(rows)
        answer = {"meta": {"page": page, "pageSize": size}, "data": chunk}
        if self.options.list_links:
            answer["links"] = {
                "self": f"{path}?page={page}&pageSize={size}{extra}",
                "first": f"{path}?page=1&pageSize={size}{extra}",
                "prev": f"{path}?page={page - 1}&pageSize={size}{extra}" if page > 1 else None,
                "next": f"{path}?page={page + 1}&pageSize={size}{extra}" if more else None,
            }
        return answer


def _without_status(event):
    """A copy of a conversation event without its status change."""
    changes = event["attributes"].get("changes") or {}
    if "status" not in (changes.get("attributes") or {}):
        return event
    kept = {k: v for k, v in changes["attributes"].items() if k != "status"}
    return {**event, "attributes": {**event["attributes"], "changes": {**changes, "attributes": kept}}}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    wbufsize = 1 << 16  # headers and body leave in one write; flushed after each request
    api = None  # set per server class

    def log_message(self, *args):  # quiet: the tap's own log is what matters
        pass

    def _answer(self, method):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        fault = self.api.draw_fault() if self.api.options.faults else None
        if fault == "reset":  # no answer at all: the connection is reset
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        if fault == "slow":
            time.sleep(self.api.options.slow_seconds)
        if fault in ("500", "503", "429"):
            body = (
                plain_error("internal", "Internal server error")
                if fault == "500"
                else jsonapi_error(
                    int(fault),
                    "unavailable" if fault == "503" else "rate_limited",
                    "Service Unavailable" if fault == "503" else "Too Many Requests",
                    "try again",
                )
            )
            headers = {"x-ratelimit-reset": f"{time.time() + 0.2:.3f}"} if fault == "429" else {}
            return self._send(int(fault), headers, json.dumps(body).encode())
        if fault in ("502", "504"):
            return self._send(int(fault), {}, HTML_PAGES[fault], "text/html")
        if fault == "empty":
            return self._send(200, {}, b"")
        if fault == "html":
            return self._send(200, {}, HTML_PAGES["html"], "text/html")
        body = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = ...
        if body is ...:
            status, headers, payload = 400, {}, jsonapi_error(400, "invalid_json", "Bad Request", "body is not JSON")
        else:
            status, headers, payload = self.api.handle(method, self.path, self.headers, body)
        out = self.api.render(json.dumps(payload, ensure_ascii=False).encode())
        if fault == "truncate":  # promise the whole body, send half of it, and hang up
            self._send(status, headers, out[: len(out) // 2], length=len(out))
            self.wfile.flush()
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        self._send(status, headers, out)

    def _send(self, status, headers, out, content_type="application/json; charset=utf-8", length=None):
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(out) if length is None else length))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(out)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a "slow" fault): fine
            self.close_connection = True

    def do_GET(self):
        self._answer("GET")

    def do_POST(self):
        self._answer("POST")


class Sandbox:
    """A running sandbox: start() serves on 127.0.0.1 in a background thread."""

    def __init__(self, options=None, port=0):
        self.api = Api(options)
        handler = type("Handler", (_Handler,), {"api": self.api})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), handler)
        self.httpd.daemon_threads = True
        self.thread = None
        self.mutations = 0

    @property
    def store(self):
        return self.api.store

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self):
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="sandbox", daemon=True)
        self.thread.start()
        if self.api.options.mutations_per_second:
            self._stop_mutating = threading.Event()
            self._mutator = threading.Thread(target=self._mutate, name="sandbox-mutations", daemon=True)
            self._mutator.start()
        return self

    def _mutate(self):
        """Update random records of the search streams at a steady rate, as agents do in a live org."""
        rng = random.Random(self.api.options.data.seed)
        pause = 1.0 / self.api.options.mutations_per_second
        while not self._stop_mutating.wait(pause):
            self.store.live_update(rng)
            if self.mutations % 2 == 0:
                self.store.audit_now()  # the org's activity also writes its audit log
            self.mutations += 1

    def stop(self):
        if getattr(self, "_mutator", None):
            self._stop_mutating.set()
            self._mutator.join()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
