import datetime
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from tap_kustomer.catalog import discover
from tap_kustomer.outcomes import read_table
from tap_kustomer.sandbox.server import SANDBOX_TOKEN, Sandbox, ServerOptions
from tap_kustomer.sandbox.store import DataOptions, parse_stamp, stamp
from tap_kustomer.streams import STREAMS

ROOT = Path(__file__).resolve().parent.parent
BOOKMARKED = {name for name, stream in STREAMS.items() if stream.replication_key}  # full tables keep none
TAP = [sys.executable, "-m", "tap_kustomer"]


class Row(tuple):
    """One stream's row of the table that ends a run: (outcome, reason, records, requests), and the
    UNCONFIRMED facts its answers contradicted."""

    facts = ()


def outcomes(run):
    """stream -> Row from the table that ends the run."""
    rows = {}
    for name, (*row, facts) in read_table(run.stderr).items():
        rows[name] = Row(row)
        rows[name].facts = facts
    return rows


class TapRun:
    """One finished tap process: its messages, split by kind, and its stderr."""

    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr

    @property
    def messages(self):
        return [json.loads(line) for line in self.stdout.splitlines() if line.strip()]

    def records(self, stream=None):
        return [
            m["record"] for m in self.messages if m["type"] == "RECORD" and (stream is None or m["stream"] == stream)
        ]

    def ids(self, stream):
        if stream == "team_members":
            return [(r["team_id"], r["user_id"]) for r in self.records(stream)]
        if stream == "custom_attributes":
            return [(r["resource"], r["name"]) for r in self.records(stream)]
        return [r["id"] for r in self.records(stream)]

    def schemas(self):
        return {m["stream"]: m for m in self.messages if m["type"] == "SCHEMA"}

    def states(self):
        return [m["value"] for m in self.messages if m["type"] == "STATE"]

    @property
    def last_state(self):
        return self.states()[-1]


class FakeTime:
    """A clock that moves only when the code under test sleeps; the sleeps are recorded.

    `patch_backoff` puts backoff's own sleep and clock on it too (backoff sleeps with time.sleep
    and measures max_time with datetime.now)."""

    def __init__(self):
        self.now = 1_700_000_000.0
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def patch_backoff(self, monkeypatch):
        import backoff._sync

        now = lambda: datetime.datetime.fromtimestamp(self.now)  # noqa: E731
        monkeypatch.setattr(backoff._sync, "time", types.SimpleNamespace(sleep=self.sleep))
        monkeypatch.setattr(backoff._sync, "datetime", types.SimpleNamespace(datetime=types.SimpleNamespace(now=now)))
        return self


@pytest.fixture
def fake_time(monkeypatch):
    """A FakeTime that backoff sleeps on too."""
    return FakeTime().patch_backoff(monkeypatch)


def write_json(path, value):
    path.write_text(json.dumps(value))
    return str(path)


def selected_catalog(streams=None):
    catalog = discover()
    for entry in catalog["streams"]:
        if streams is None or entry["stream"] in streams:
            entry["metadata"][0]["metadata"]["selected"] = True
    return catalog


@pytest.fixture
def tap(tmp_path):
    """Run the tap-kustomer command; returns a TapRun."""

    def run(config, catalog=None, state=None, args=(), check=True, timeout=120):
        argv = [*TAP, "--config", write_json(tmp_path / "config.json", config)]
        if catalog is not None:
            argv += ["--catalog", write_json(tmp_path / "catalog.json", catalog)]
        if state is not None:
            argv += ["--state", write_json(tmp_path / "state.json", state)]
        argv += list(args)
        done = subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"}
        )
        result = TapRun(done.returncode, done.stdout, done.stderr)
        if check and done.returncode != 0:
            raise AssertionError(f"tap exited {done.returncode}:\n{done.stderr[-3000:]}")
        return result

    return run


def make_sandbox(**kwargs):
    data = kwargs.pop("data", None) or DataOptions()
    return Sandbox(ServerOptions(data=data, **kwargs)).start()


@pytest.fixture(scope="module")
def sandbox():
    box = make_sandbox(wrong_region_tokens=("tok-SECRET-eu-key",))
    yield box
    box.stop()


def sandbox_config(box, **extra):
    """A config for the sandbox: no ceiling of the tap's own (no agents share its budget)."""
    return {
        "api_token": SANDBOX_TOKEN,
        "start_date": "2015-01-01T00:00:00Z",
        "base_url": box.base_url,
        "max_requests_per_minute": 0,
        **extra,
    }


def sandbox_records(box, stream):
    """The resources the sandbox holds for stream, child streams and klasses included."""
    store = box.store
    if stream == "business_holidays":
        return [h for holidays in store.holidays.values() for h in holidays]
    if stream == "klasses":
        return store.klasses
    if stream == "sla_versions":
        return store.sla_versions
    if stream == "audit_logs":  # what Kustomer still keeps: expired entries are gone
        now = store.clock()
        return [e for e in store.audit if e["attributes"]["expiresAt"] > now]
    return store.resources[stream]


def in_scope(box, stream, start="2015-01-01T00:00:00.000Z"):
    """Ids the sandbox holds for stream with updatedAt >= start (for full tables, every record: for
    team_members, every (team_id, user_id) pair)."""
    if stream == "team_members":
        return {(t["id"], u) for t in box.store.resources["teams"] for u in t["attributes"]["members"]}
    if stream == "custom_attributes":
        return {(resource, name) for resource, spec in metadata_of(box).items() for name in spec}
    if stream == "attachments":  # those of the conversations updated since start
        changed = in_scope(box, "conversations", start)
        return {attachment_id(a) for cid in changed for a in box.store.attachments.get(cid, [])}
    if stream == "conversation_events":  # every event still kept of the conversations updated since start
        changed, kept = in_scope(box, "conversations", start), box.api.options.events_kept_days
        since = stamp(parse_stamp(box.store.clock()) - datetime.timedelta(days=kept)) if kept else ""
        events = (e for cid in changed for e in box.store.events.get(cid, []))
        return {e["id"] for e in events if e["attributes"]["updatedAt"] >= since}
    if STREAMS[stream].replication_key is None:
        return {r["id"] for r in sandbox_records(box, stream)}
    attribute = STREAMS[stream].stamp_attribute
    return {r["id"] for r in sandbox_records(box, stream) if r["attributes"][attribute] >= start}


def searchable(box, stream, start="2015-01-01T00:00:00.000Z"):
    """in_scope without what only the archive holds (records last updated before the two-year edge)."""
    return in_scope(box, stream, max(start, box.store.boundary()))


def attachment_id(attachment):
    """An attachment's id, or (listed without one, as in Kustomer's example) the end of its link."""
    return attachment.get("id") or attachment["links"]["self"].rsplit("/", 1)[-1]


def metadata_of(box):
    """resource -> its custom attribute definitions, as GET /v1/metadata/{resource} serves them."""
    from tap_kustomer.sandbox.data import CUSTOM_ATTRIBUTES

    klasses = {f"kobject.{k['attributes']['name']}" for k in box.store.klasses}
    standard = ("company", "conversation", "customer", "message")
    return {r: spec for r, spec in CUSTOM_ATTRIBUTES.items() if r in standard or r in klasses}


def record_keys(stream, records):
    """What in_scope compares with: each record's id, or its key (team_id, user_id) for team_members,
    (resource, name) for custom_attributes."""
    if stream == "team_members":
        return {(r["team_id"], r["user_id"]) for r in records}
    if stream == "custom_attributes":
        return {(r["resource"], r["name"]) for r in records}
    return {r["id"] for r in records}


def run_tap_killed(tmp_path, config, catalog, state=None, kill_after_lines=None, timeout=120, check=True):
    """Run the tap; SIGKILL it once it has printed kill_after_lines lines (None: let it finish).
    Returns the messages it printed, as a later run would see them in its output file."""
    import signal
    import time as _time

    argv = [
        *TAP,
        "-c",
        write_json(tmp_path / "k_config.json", config),
        "--catalog",
        write_json(tmp_path / "k_catalog.json", catalog),
    ]
    if state is not None:
        argv += ["-s", write_json(tmp_path / "k_state.json", state)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines, deadline = [], _time.monotonic() + timeout
    for line in proc.stdout:
        if not line.endswith("\n"):
            break  # a line cut off by the kill is no message
        lines.append(line)
        if kill_after_lines is not None and len(lines) >= kill_after_lines:
            proc.send_signal(signal.SIGKILL)
            break
        if _time.monotonic() > deadline:
            proc.kill()
            raise AssertionError("the tap did not finish in time")
    proc.stdout.close()
    code = proc.wait()
    if kill_after_lines is None and code != 0 and check:
        raise AssertionError(f"tap exited {code}")
    return [json.loads(line) for line in lines]
