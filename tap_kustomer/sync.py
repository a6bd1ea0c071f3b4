"""The sync: selected streams (several at once, the interrupted one first), records out, and a
STATE after every page whose records were all written."""

import copy
import logging
import sys
import threading
import time

import singer

from tap_kustomer import jsonutil
from tap_kustomer.catalog import selected_streams
from tap_kustomer.errors import AuthError, ForbiddenError, InputError, Interrupted, Stopped
from tap_kustomer.logs import record_counter
from tap_kustomer.streams import STREAMS
from tap_kustomer.timeutil import UTC, canonical, format_instant, now_utc
from tap_kustomer.transform import RecordMaker

LOGGER = logging.getLogger("tap_kustomer")
SEARCH_WINDOW_DAYS = 730  # the search index sees the last two years of updates
ARCHIVE_MARGIN_DAYS = 1  # read the archive a day early rather than miss its edge
BOOKMARK_KEYS = ("updated_at", "after_id", "written")
STOP_GRACE = 2.0  # seconds the other streams get to finish the message they are writing when the run stops


class Writer:
    """Singer messages on stdout, one JSON object per line, written as bytes, each message whole.

    SCHEMA, STATE and ACTIVATE_VERSION lines are singer-python's own (singer.messages). RECORD
    lines, a few hundred per page, take the fast path: the same message, encoded with orjson
    straight to bytes and written a page at a time (README, "Built on singer-python, backoff and
    pendulum"; a test checks each line means what singer.format_message would write)."""

    def __init__(self, out=None, fast=True):
        self.out = out or sys.stdout
        self._binary = getattr(self.out, "buffer", None)  # a StringIO (tests) has none
        self._lock = threading.Lock()  # a message is written whole, whichever thread writes it
        self._dumps = jsonutil.dumps if fast else jsonutil.stdlib_dumps
        self.closed = False  # once the run has stopped, nothing more is written

    def schema(self, stream, schema, key_properties, bookmark_properties):
        self._message(singer.SchemaMessage(stream, schema, list(key_properties), list(bookmark_properties)))

    def records(self, stream, records, extracted):
        """RECORD lines for a page of records, extracted at the aware datetime `extracted`."""
        dumps = self._dumps
        head = b'{"type":"RECORD","stream":' + dumps(stream) + b',"record":'
        tail = b',"time_extracted":' + dumps(singer.utils.strftime(extracted.astimezone(UTC))) + b"}\n"
        parts = []
        add = parts.extend
        for record in records:
            add((head, dumps(record), tail))
        self._emit(b"".join(parts))

    def version(self, stream, version):
        self._message(singer.ActivateVersionMessage(stream, version))

    def state(self, value):
        self._message(singer.StateMessage(value), flush=True)

    def close(self):
        """Write nothing more (the run has stopped): a thread still at work cannot add a line."""
        with self._lock:
            self.closed = True

    def _message(self, message, flush=False):
        self._emit(singer.format_message(message).encode("utf-8") + b"\n", flush)

    def _emit(self, data, flush=False):
        with self._lock:
            if self.closed:
                raise Stopped()
            if self._binary is not None:
                self._binary.write(data)
            else:
                self.out.write(data.decode("utf-8"))
            if flush:  # a STATE reaches the target at once, after everything it covers
                (self._binary or self.out).flush()


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
        value = mark.get("updated_at") if isinstance(mark, dict) else mark
        after = mark.get("after_id") if isinstance(mark, dict) else None
        if after is not None and not isinstance(after, str):
            raise InputError(f"state bookmark for '{stream}' has an after_id that is not an id: remove it")
        written = mark.get("written") if isinstance(mark, dict) else None
        if written is not None and not (isinstance(written, list) and all(isinstance(i, str) for i in written)):
            raise InputError(f"state bookmark for '{stream}' has a 'written' that is not a list of ids: remove it")
        try:
            clean[stream] = {"updated_at": canonical(value)}
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


def _position(mark):
    """A bookmark's place: the instant, then (within a tie) the id, then how many ids at the instant
    are known to be written."""
    return mark["updated_at"], mark.get("after_id") or "", len(mark.get("written", ()))


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
        self.archive_boundary = format_instant(now.subtract(days=SEARCH_WINDOW_DAYS - ARCHIVE_MARGIN_DAYS))
        self.totals = {}
        self.counts = {}
        self.lock = threading.RLock()  # streams run in threads: one STATE at a time, always whole
        self.active = []  # streams in progress, in the order they started
        self.stopping = client.stop_event
        self.skipped = []

    def note_total(self, stream, payload):
        meta = payload.get("meta")
        if isinstance(meta, dict) and isinstance(meta.get("total"), int):
            self.totals[stream] = meta["total"]

    def start_for(self, name):
        """Where a stream starts: its bookmark, or start_date if that is later or there is none."""
        mark = {key: singer.get_bookmark(self.state, name, key) for key in BOOKMARK_KEYS}
        if mark["updated_at"] and mark["updated_at"] >= self.config.start_date:
            return {key: value for key, value in mark.items() if value}
        return {"updated_at": self.config.start_date}

    def advance(self, name, checkpoint):
        """Move the stream's bookmark forward to checkpoint, never past the signpost, never back;
        then emit STATE."""
        if checkpoint["updated_at"] > self.signpost:
            checkpoint = {"updated_at": self.signpost}
        with self.lock:
            old = self.state["bookmarks"].get(name)
            if old is None or _position(checkpoint) > _position(old):
                for key in BOOKMARK_KEYS:
                    if key in checkpoint:
                        singer.set_bookmark(self.state, name, key, checkpoint[key])
                    else:
                        singer.clear_bookmark(self.state, name, key)
            self.emit_state()

    def emit_state(self):
        with self.lock:
            self.writer.state(copy.deepcopy(self.state))

    def _mark_active(self, name, active):
        """currently_syncing names the earliest-started stream still running: the one to resume first."""
        with self.lock:
            if active:
                self.active.append(name)
            elif name in self.active:
                self.active.remove(name)
            singer.set_currently_syncing(self.state, self.active[0] if self.active else None)
            self.emit_state()

    def sync_stream(self, stream, entry):
        name = stream.name
        self.writer.schema(name, entry.emitted_schema, stream.key_properties, (stream.replication_key,))
        make = RecordMaker(entry.schema, entry.selected_fields, stream.derive)
        start = self.start_for(name)
        self._mark_active(name, True)
        LOGGER.info("%s: syncing records updated since %s", name, start["updated_at"])
        page, began = 0, time.monotonic()
        with record_counter(name) as counter:
            for resources, checkpoint in stream.pages(self, start):
                if self.stopping.is_set():
                    raise Stopped()
                page += 1
                if resources:
                    self.writer.records(name, [make(r) for r in resources], now_utc())
                    self.counts[name] = self.counts.get(name, 0) + len(resources)
                    counter.increment(len(resources))
                if checkpoint:
                    self.advance(name, checkpoint)
                self._progress(name, page, self.counts.get(name, 0), began)
        problems = make.report.summary()
        if problems:
            LOGGER.warning("%s: %s", name, problems)
        self.counts.setdefault(name, 0)
        self._mark_active(name, False)

    def worker(self, todo, failures):
        """A thread's loop: streams from todo until none is left, the run stops or one fails."""
        while not self.stopping.is_set():
            try:
                entry = todo.pop(0)
            except IndexError:
                return
            try:
                self.sync_stream(STREAMS[entry.name], entry)
            except Stopped:
                return
            except (ForbiddenError, AuthError) as exc:
                if not self.config.skip_forbidden_streams:
                    failures.append(exc)
                    self.stopping.set()
                    return
                LOGGER.error("%s: skipped (skip_forbidden_streams is true): %s", entry.name, exc)
                self.skipped.append(entry.name)
                self._mark_active(entry.name, False)
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread, which raises it
                failures.append(exc)
                self.stopping.set()
                return

    def _progress(self, name, page, count, began):
        mark = self.state["bookmarks"].get(name, {}).get("updated_at")
        line = f"{name}: page {page}, {count} records so far, bookmark {mark}"
        remaining = self.totals.get(name)
        if remaining is not None and count:
            done = count / (count + max(0, remaining - self.config.page_size))
            elapsed = time.monotonic() - began
            eta = elapsed * (1 - done) / done if done > 0 else 0
            line += f", about {done:.0%} done, ETA {eta:.0f}s"
        LOGGER.info(line)


def sync(config, client, catalog, state, writer=None, now=None):
    """Sync the selected streams, up to max_concurrent_streams at a time, each in its own thread.

    Search pages take about a second each, so one stream at a time cannot use the search budget;
    several can, and the client's pacer keeps them all within it. Messages are written whole under
    one lock, and every STATE carries every stream's bookmark as of its last fully written page."""
    run = Run(config, client, state, writer or Writer(), now or now_utc())
    entries = selected_streams(catalog, state)
    if not entries:
        LOGGER.warning('no stream is selected in the catalog: mark streams with "selected": true')
        return run
    client.get("/v1/users/current")  # the token and region are right: a 401/403 later is a missing role
    todo, failures = list(entries), []
    threads = [
        threading.Thread(target=run.worker, args=(todo, failures), name=f"stream-{i}", daemon=True)
        for i in range(min(config.max_concurrent_streams, len(entries)))
    ]
    try:
        for thread in threads:
            thread.start()
        alive = threads
        while alive and not run.stopping.is_set():
            alive[0].join(0.2)  # in slices, so SIGTERM/SIGINT reach the main thread promptly
            alive = [t for t in alive if t.is_alive()]
    except Interrupted:
        run.stopping.set()
        _stop(run, threads)
        run.emit_state()  # where the next run resumes: everything up to here was fully written
        run.writer.close()
        raise
    _stop(run, threads)
    if failures:
        run.writer.close()
        raise failures[0]
    if run.skipped:
        LOGGER.error("streams skipped for lack of a read role: %s", ", ".join(run.skipped))
    summary = ", ".join(f"{name} {n}" for name, n in sorted(run.counts.items())) or "nothing"
    LOGGER.info(
        "sync finished: records per stream: %s; requests: %s",
        summary,
        ", ".join(f"{k} {v}" for k, v in sorted(client.request_counts.items())) or "none",
    )
    return run


def _stop(run, threads):
    """Let the stream threads end. After a stop, a thread that is sleeping between retries is not
    waited for: it writes nothing more once the writer is closed."""
    deadline = time.monotonic() + STOP_GRACE
    for thread in threads:
        if run.stopping.is_set():
            thread.join(max(0.0, deadline - time.monotonic()))
        else:
            thread.join()
