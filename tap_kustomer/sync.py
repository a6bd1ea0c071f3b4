"""The sync: selected streams (several at once, the interrupted one first), records out, and a
STATE after every page whose records were all written.

A listing and the child streams its records feed are synced together, as one family: the listing
is read once for all of them, and read without being written when only a child is selected."""

import copy
import logging
import threading
import time

import singer

from tap_kustomer.catalog import catalog_klasses, selected_streams
from tap_kustomer.errors import InputError, Interrupted, KustomerError, PartialFailure, Stopped
from tap_kustomer.logs import record_counter
from tap_kustomer.outcomes import (
    COMPLETE,
    FAILED,
    NOT_STARTED,
    PARTIAL,
    SKIP,
    SKIPPED,
    STOP,
    STOPPED,
    Outcome,
    headline,
    judge,
    reason_of,
    summary_table,
)
from tap_kustomer.streams import STREAMS, Since, get_stream
from tap_kustomer.timeutil import canonical, format_instant, now_utc
from tap_kustomer.transform import RecordMaker
from tap_kustomer.writer import Writer

LOGGER = logging.getLogger("tap_kustomer")
SEARCH_WINDOW_DAYS = 730  # the search index sees the last two years of updates
# The API's two years may end days away from what this clock computes (UNCONFIRMED fact search-window):
# the archive is asked for every bookmark within EDGE_MARGIN_DAYS of the edge, and the unsorted walk
# hands over from the archive to search that far before it, skipping what it wrote twice.
EDGE_MARGIN_DAYS = 30
MARK_EXTRAS = ("after_id", "written")  # a search bookmark's place inside its instant
STOP_GRACE = 2.0  # seconds the other streams get to finish the message they are writing when the run stops


def read_state(raw):
    """The bookmarks of a state file, checked; accepts tap-kustomer 1.1.0's flat strings too."""
    if raw is None:
        return {"currently_syncing": None, "bookmarks": {}}
    if not isinstance(raw, dict):
        raise InputError('the state file must hold a JSON object like {"bookmarks": {...}}: fix or remove it')
    bookmarks = raw.get("bookmarks", {})
    if not isinstance(bookmarks, dict):
        raise InputError("state 'bookmarks' must be an object of stream -> {\"updated_at\": ...}: fix or remove it")
    clean = {}
    for stream, mark in bookmarks.items():
        # a bookmark is kept under its stream's replication key (updated_at, created_at, ...)
        keys = [k for k in mark if isinstance(k, str) and k.endswith("_at")] if isinstance(mark, dict) else []
        key = "updated_at" if "updated_at" in keys or not keys else keys[0]
        value = mark.get(key) if isinstance(mark, dict) else mark
        after = mark.get("after_id") if isinstance(mark, dict) else None
        if after is not None and not isinstance(after, str):
            raise InputError(f"state bookmark for '{stream}' has an after_id that is not an id: remove it")
        written = mark.get("written") if isinstance(mark, dict) else None
        if written is not None and not (isinstance(written, list) and all(isinstance(i, str) for i in written)):
            raise InputError(f"state bookmark for '{stream}' has a 'written' that is not a list of ids: remove it")
        try:
            clean[stream] = {key: canonical(value)}
            if after:
                clean[stream]["after_id"] = after
            if written:
                clean[stream]["written"] = written
        except (TypeError, ValueError):
            raise InputError(
                f"state bookmark for '{stream}' is not a date ({value!r}): fix it or remove that stream's entry"
            ) from None
    current = raw.get("currently_syncing")
    if current is not None and not isinstance(current, str):
        raise InputError("state 'currently_syncing' must be a stream name or null")
    return {"currently_syncing": current, "bookmarks": clean}


def _position(mark, key):
    """A bookmark's place: the instant, then (within a tie) the id, then how many ids at the instant
    are known to be written."""
    return mark.get(key) or "", mark.get("after_id") or "", len(mark.get("written", ()))


def bookmark_key(name):
    """The field a stream's bookmark is kept under: its replication key (updated_at for most)."""
    return get_stream(name).replication_key or "updated_at"


class Run:
    """One sync: the client, the clock's signposts, the state and the counts."""

    def __init__(self, config, client, state, writer, now):
        self.config = config
        self.client = client
        self.state = state
        self.writer = writer
        self.now = now
        # Bookmarks never pass this: the search index lags writes, so a record updated just before
        # the run may be invisible now; the next run reads from here and finds it.
        self.signpost = format_instant(now.subtract(seconds=config.search_lag_seconds))
        self.search_edge = format_instant(now.subtract(days=SEARCH_WINDOW_DAYS))
        self.archive_boundary = format_instant(now.subtract(days=SEARCH_WINDOW_DAYS - EDGE_MARGIN_DAYS))
        # everything older than this is in the archive, whatever two years means to the API
        self.archive_ceiling = format_instant(now.subtract(days=SEARCH_WINDOW_DAYS + EDGE_MARGIN_DAYS))
        self.window_end = int(now.add(hours=1).timestamp() * 1000)  # the unsorted walk's far end (epoch ms)
        self.unsorted = set()  # (stream, search path) that answered unsorted: read by windows
        self.answered = set()  # (stream, search path) that answered once: a 400 later is not about the context
        self.without_ids = set()  # (stream, search path) that refused a query on ids: ties read by page numbers
        self.totals = {}
        self.lock = threading.RLock()  # streams run in threads: one STATE at a time, always whole
        self.active = []  # streams in progress, in the order they started
        self.stopping = client.stop_event
        self.outputs = {}  # stream -> its Output, once started
        self.outcomes = {}  # stream -> Outcome, once it completed, failed or was skipped
        self.known_klasses = set()  # klasses the catalog has a stream for (kobjects notices others)
        self.noticed = set()

    def note_total(self, stream, payload):
        meta = payload.get("meta")
        if isinstance(meta, dict) and isinstance(meta.get("total"), int):
            self.totals[stream] = meta["total"]
        elif stream not in self.totals:
            self.totals[stream] = None
            self.client.facts.met(
                stream,
                "search-total",
                "search answers carry no meta.total: progress has no ETA, and an unsorted walk tells a window that "
                "holds more than a page by its links.next",
            )

    def start_for(self, name):
        """Where a stream starts: its bookmark, or start_date if that is later or there is none."""
        key = bookmark_key(name)
        mark = {field: singer.get_bookmark(self.state, name, field) for field in (key, *MARK_EXTRAS)}
        if mark[key] and mark[key] >= self.config.start_date:
            return {field: value for field, value in mark.items() if value}
        return {key: self.config.start_date}

    def advance(self, name, checkpoint):
        """Move the stream's bookmark forward to checkpoint, never past the signpost, never back;
        then emit STATE."""
        key = bookmark_key(name)
        if checkpoint[key] > self.signpost:
            checkpoint = {key: self.signpost}
        with self.lock:
            old = self.state["bookmarks"].get(name)
            if old is None or _position(checkpoint, key) > _position(old, key):
                for field in (key, *MARK_EXTRAS):
                    if field in checkpoint:
                        singer.set_bookmark(self.state, name, field, checkpoint[field])
                    else:
                        singer.clear_bookmark(self.state, name, field)
            self.emit_state()

    def emit_state(self):
        with self.lock:
            self.writer.state(copy.deepcopy(self.state))

    def mark_active(self, name, active):
        """currently_syncing names the earliest-started stream still running: the one to resume first."""
        with self.lock:
            if active:
                self.active.append(name)
            elif name in self.active:
                self.active.remove(name)
            singer.set_currently_syncing(self.state, self.active[0] if self.active else None)
            self.emit_state()

    def sync_family(self, root, outputs):
        """Walk root's pages once, writing root (if selected) and each selected child from them.
        A child that fails ends alone; the walk goes on for root and the other children."""
        own = outputs.get(root.name)
        children = [(get_stream(name), out) for name, out in outputs.items() if name != root.name]
        filters = {
            child.name: Since(child, out.start[child.replication_key], self.config.include_deleted)
            for child, out in children
            if child.replication_key
        }
        params = {key: value for child, _ in children for key, value in child.parent_params.items()}
        start = own.start if own else {bookmark_key(root.name): self.config.start_date}
        with self.client.on_behalf_of(root.name if own else next(iter(outputs))):
            for page in root.pages(self, start, params):
                if self.stopping.is_set():
                    raise Stopped()
                if own:
                    own.write(page.records)
                    if page.checkpoint:
                        self.advance(own.name, page.checkpoint)
                    own.progress()
                for child, out in list(children):
                    try:
                        with self.client.on_behalf_of(child.name):
                            found = [
                                found for parent in page.listed for found in child.children(self, parent, page.payload)
                            ]
                        out.write(filters[child.name].keep(found) if child.name in filters else found)
                        out.progress()
                    except (Stopped, Halt):
                        raise
                    except Exception as exc:  # noqa: BLE001 - judged: the child ends, or the run stops
                        self.settle(exc, root, [child.name])
                        children.remove((child, out))
        for child, out in children:
            checkpoint = filters[child.name].checkpoint() if child.name in filters else None
            if checkpoint:
                self.advance(child.name, checkpoint)
            out.finish()
        if own:
            own.finish()

    def settle(self, exc, root, names):
        """An error met while syncing `names` (root's family, or one child of it), judged: they are
        recorded skipped or failed and the run goes on, or Halt stops the run."""
        verdict, error = judge(exc, [get_stream(name) for name in names], self.client, self.config)
        label = ", ".join(names)
        if verdict == STOP:
            raise Halt(_named(error, label))
        reason = reason_of(error)
        reason = reason[len(label) + 2 :] if reason.startswith(f"{label}: ") else reason
        if verdict == SKIP:
            forbidden = error.status in (401, 403)
            why = "no read role, and skip_forbidden_streams is true" if forbidden else "this org has no such data"
            LOGGER.error("%s: skipped (%s), the rest syncs: %s", label, why, reason)
            outcome = Outcome(SKIPPED, f"{why}: {reason}")
        else:
            LOGGER.error("%s: failed, the other streams go on: %s", label, reason)
            outcome = Outcome(FAILED, reason)
        for name in names:
            parent_failed = name != root.name and root.name in names and verdict != SKIP
            self.outcomes[name] = Outcome(FAILED, f"its parent {root.name} failed") if parent_failed else outcome
            self.mark_active(name, False)

    def worker(self, todo, halts):
        """A thread's loop: families from todo until none is left or the run stops."""
        while not self.stopping.is_set():
            try:
                root, entries = todo.pop(0)
            except IndexError:
                return
            try:
                self.sync_entries(root, entries)
            except Stopped:
                return
            except Halt as halt:
                halts.append(halt.error)
                self.stopping.set()
                return

    def sync_entries(self, root, entries):
        """One family's selected streams: their outputs, then the walk. What goes wrong is judged
        (settle): the family ends and the run goes on, or Halt stops the run."""
        try:
            for name, entry in entries.items():
                self.outputs[name] = Output(self, get_stream(name), entry)
            self.sync_family(root, {name: self.outputs[name] for name in entries})
        except (Stopped, Halt):
            raise
        except BaseException as exc:  # noqa: BLE001 - judged: the family ends, or the run stops
            self.settle(exc, root, [name for name in entries if name not in self.outcomes])

    def report(self, names, stopped_by=None):
        """The table that ends every run, on stderr; unfinished streams say what stopped them."""
        for name in names:
            if name not in self.outcomes:
                started = name in self.outputs
                self.outcomes[name] = Outcome(STOPPED, stopped_by) if started else Outcome(NOT_STARTED)
        statuses = {self.outcomes[name].status for name in names}
        level = logging.INFO if statuses <= {COMPLETE} else logging.ERROR
        counts = {name: out.count for name, out in self.outputs.items()}
        requests = self.client.stream_requests
        unattributed = sum(self.client.request_counts.values()) - sum(requests.values())
        LOGGER.log(level, "sync finished: %s", headline(names, self.outcomes))
        table = summary_table(names, self.outcomes, counts, requests, unattributed, self.client.facts)
        for line in table.splitlines():
            LOGGER.log(level, "%s", line)


class Halt(Exception):
    """A run-wide failure met in a stream's thread: the run stops with `error`."""

    def __init__(self, error):
        super().__init__(str(error))
        self.error = error


def _named(exc, names):
    """The error with the streams it stopped named first, for the CRITICAL line."""
    if not isinstance(exc, KustomerError) or str(exc).startswith(names):
        return exc
    return type(exc)(f"{names}: {exc}", exc.status, exc.api_text)


class Output:
    """One selected stream's share of the sync: its SCHEMA and RecordMaker, where its walk starts,
    its records written, its count and progress. A stream whose every run is the whole table (no
    replication key) writes its records with a version, and ACTIVATE_VERSION once it is complete."""

    def __init__(self, run, stream, entry):
        self.run, self.stream, self.name = run, stream, stream.name
        keys = (stream.replication_key,) if stream.replication_key else ()
        run.writer.schema(self.name, entry.emitted_schema, stream.key_properties, keys)
        self.make = RecordMaker(entry.schema, entry.selected_fields, stream.derive, stream.aliases)
        self.start = run.start_for(self.name)
        self.version = None if stream.replication_key else int(run.now.timestamp() * 1000)
        self.counter = record_counter(self.name)
        self.pages, self.count, self.began, self.odd_type = 0, 0, time.monotonic(), None
        run.mark_active(self.name, True)
        if stream.replication_key:
            key = stream.replication_key
            LOGGER.info("%s: syncing records %s since %s", self.name, key[: -len("_at")], self.start[key])
        else:
            LOGGER.info("%s: syncing the whole table (version %d)", self.name, self.version)

    def write(self, resources):
        self.pages += 1
        if not resources:
            return
        expected = self.stream.expected_type
        if expected and self.odd_type is None and resources[0].get("type") != expected:
            self.odd_type = resources[0].get("type")
            self.run.client.facts.met(
                self.name,
                "record-type",
                f"records come with type {self.odd_type!r}, where Kustomer's examples show {expected!r}; they are "
                f"synced as they come",
            )
        self.stream.notice(self.run, resources)
        self.run.writer.records(self.name, [self.make(r) for r in resources], now_utc(), self.version)
        self.count += len(resources)
        self.counter.increment(len(resources))

    def progress(self):
        mark = self.run.state["bookmarks"].get(self.name, {}).get(bookmark_key(self.name))
        line = f"{self.name}: page {self.pages}, {self.count} records so far, bookmark {mark}"
        remaining = self.run.totals.get(self.name)
        if remaining is not None and self.count:
            done = self.count / (self.count + max(0, remaining - self.run.config.page_size))
            elapsed = time.monotonic() - self.began
            eta = elapsed * (1 - done) / done if done > 0 else 0
            line += f", about {done:.0%} done, ETA {eta:.0f}s"
        LOGGER.info(line)

    def finish(self):
        """The stream's walk ended: complete, or partial when an answer kept part of it out of reach
        (a partial full table sends no ACTIVATE_VERSION: nothing is dropped for what was not read)."""
        shortfall = self.run.client.facts.shortfall(self.name)
        if self.version is not None and not shortfall:
            self.run.writer.version(self.name, self.version)  # the whole table is written: older rows go
        problems = self.make.report.summary()
        if problems and self.stream.attributes_unconfirmed and self.make.report.unknown:
            self.run.client.facts.met(
                self.name, "record-attributes", f"its records carry what its schema lacks: {problems}"
            )
        elif problems:
            LOGGER.warning("%s: %s", self.name, problems)
        self.counter.__exit__(None, None, None)  # singer's Counter writes its last METRIC line
        self.run.outcomes[self.name] = Outcome(PARTIAL, shortfall) if shortfall else Outcome(COMPLETE)
        if shortfall:
            LOGGER.error("%s: partial, the other streams go on: %s", self.name, shortfall)
        self.run.mark_active(self.name, False)


def sync(config, client, catalog, state, writer=None, now=None):
    """Sync the selected streams, up to max_concurrent_streams at a time, each in its own thread.

    Search pages take about a second each, so one stream at a time cannot use the search budget;
    several can, and the client's pacer keeps them all within it. Messages are written whole under
    one lock, and every STATE carries every stream's bookmark as of its last fully written page."""
    run = Run(config, client, state, writer or Writer(), now or now_utc())
    entries = selected_streams(catalog, state)
    run.known_klasses = catalog_klasses(catalog)
    if not entries:
        LOGGER.warning('no stream is selected in the catalog: mark streams with "selected": true')
        return run
    client.get("/v1/users/current")  # the token and region are right: a 401/403 later is a missing role
    families = {}
    for entry in entries:
        stream = get_stream(entry.name)
        root = STREAMS[stream.parent] if stream.parent else stream
        families.setdefault(root.name, (root, {}))[1][entry.name] = entry
    todo, halts = list(families.values()), []
    threads = [
        threading.Thread(target=run.worker, args=(todo, halts), name=f"stream-{i}", daemon=True)
        for i in range(min(config.max_concurrent_streams, len(todo)))
    ]
    names = [entry.name for entry in entries]
    try:
        for thread in threads:
            thread.start()
        alive = threads
        while alive and not run.stopping.is_set():
            alive[0].join(0.2)  # in slices, so SIGTERM/SIGINT reach the main thread promptly
            alive = [t for t in alive if t.is_alive()]
    except Interrupted as exc:
        run.stopping.set()
        _stop(run, threads)
        run.report(names, f"stopped by {exc.signal_name}")
        run.emit_state()  # where the next run resumes: everything up to here was fully written
        run.writer.close()
        raise
    _stop(run, threads)
    if halts:
        run.report(names, f"the run stopped: {reason_of(halts[0])}")
        run.writer.close()
        raise halts[0]
    run.report(names)
    short = [name for name in names if run.outcomes[name].status in (FAILED, PARTIAL)]
    if len(short) == 1:
        name, outcome = short[0], run.outcomes[short[0]]
        raise PartialFailure(
            f"{name}: {outcome.reason} ({name} {outcome.status}; every other stream completed; "
            f"{RESUME[outcome.status]}: exit code 3)"
        )
    if short:
        reasons = "; ".join(f"{name} ({run.outcomes[name].status}): {run.outcomes[name].reason}" for name in short)
        raise PartialFailure(
            f"{len(short)} of {len(names)} streams did not complete, every other one did: {reasons}. "
            f"The last STATE resumes each failed one where it stopped (exit code 3)"
        )
    return run


RESUME = {
    FAILED: "the last STATE resumes it where it stopped",
    PARTIAL: "what it could read was written and its bookmark moved on; the rest is out of the API's reach as asked",
}


def _stop(run, threads):
    """Let the stream threads end. After a stop, a thread that is sleeping between retries is not
    waited for: it writes nothing more once the writer is closed."""
    deadline = time.monotonic() + STOP_GRACE
    for thread in threads:
        if run.stopping.is_set():
            thread.join(max(0.0, deadline - time.monotonic()))
        else:
            thread.join()
