"""A bad API and a hostile environment: faults, 429 storms, signals, a dying target, and the token."""

import io
import json
import logging
import re
import signal
import subprocess
import threading
import time

import pytest
from conftest import TAP, in_scope, make_sandbox, selected_catalog, write_json

from tap_kustomer.client import KustomerClient
from tap_kustomer.config import load_config
from tap_kustomer.sandbox.server import FAULTS
from tap_kustomer.sandbox.store import DataOptions
from tap_kustomer.sync import read_state, sync
from tap_kustomer.timeutil import now_utc, parse_instant
from tap_kustomer.writer import Writer

SECRET = "tok-SECRET-8f3a1c5e9b7d"
STREAMS = ("customers", "messages", "notes", "tags", "users")
SMALL = DataOptions(counts={"customers": 300, "messages": 250, "notes": 90, "tags": 40, "users": 12}, seed=21)


def config_for(box, **extra):
    return {"api_token": SECRET, "start_date": "2015-01-01T00:00:00Z", "base_url": box.base_url, **extra}


def secret_box(**options):
    return make_sandbox(token=SECRET, data=options.pop("data", SMALL), **options)


def messages_of(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def emitted_ids(messages, stream):
    return {m["record"]["id"] for m in messages if m["type"] == "RECORD" and m["stream"] == stream}


def last_state(messages):
    return [m["value"] for m in messages if m["type"] == "STATE"][-1]


def assert_valid_state(state):
    assert read_state(state) == {**state, "bookmarks": state["bookmarks"]}
    for mark in state["bookmarks"].values():
        parse_instant(mark["updated_at"])


def run_cli(tmp_path, config, streams=STREAMS, state=None, timeout=120, extra=()):
    argv = [
        *TAP,
        "-c",
        write_json(tmp_path / "f_config.json", config),
        "--catalog",
        write_json(tmp_path / "f_catalog.json", selected_catalog(set(streams))),
        *extra,
    ]
    if state is not None:
        argv += ["-s", write_json(tmp_path / "f_state.json", state)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout)


def test_every_fault_kind_is_survived_with_nothing_lost(caplog, fake_time):
    """A few percent of each fault, four seeds, sleeps patched: every record arrives, STATE stays valid."""
    injected = {}
    rates = {kind: 0.03 for kind in FAULTS} | {"slow": 0.015}  # slow ones cost real time: fewer
    for seed in (1, 2, 3, 4):
        box = secret_box(faults=rates, fault_seed=seed, slow_seconds=0.8)
        try:
            raw = config_for(box, page_size=10, request_timeout=0.5, max_retries=10)
            config = load_config(raw, now_utc(), lambda *a: None)
            client = KustomerClient(config, sleep=fake_time.sleep)  # backoff sleeps on fake_time too
            out = io.StringIO()
            with caplog.at_level(logging.WARNING, logger="tap_kustomer"):
                sync(config, client, selected_catalog(set(STREAMS)), read_state(None), Writer(out))
            messages = messages_of(out.getvalue())
            for stream in STREAMS:
                assert emitted_ids(messages, stream) == in_scope(box, stream), (seed, stream)
            assert_valid_state(last_state(messages))
            for kind, n in box.api.faults_injected.items():
                injected[kind] = injected.get(kind, 0) + n
        finally:
            box.stop()
    assert set(injected) == set(FAULTS), injected  # every kind was met at least once
    warnings = caplog.text
    for reason in (
        "HTTP 500",
        "HTTP 502",
        "HTTP 503",
        "HTTP 504",
        "connection failed",
        "no answer within",
        "not a JSON object",
        "rate limited (HTTP 429)",
    ):
        assert reason in warnings, reason
    assert SECRET not in warnings


def test_a_short_429_storm_is_waited_out(tmp_path):
    box = secret_box(storm_after=6, storm_seconds=1.5)
    try:
        done = run_cli(tmp_path, config_for(box, max_rate_limit_wait=60))
        assert done.returncode == 0, done.stderr
        assert "rate limited (HTTP 429); waiting" in done.stderr
        messages = messages_of(done.stdout)
        for stream in STREAMS:
            assert emitted_ids(messages, stream) == in_scope(box, stream)
        assert SECRET not in done.stdout + done.stderr
    finally:
        box.stop()


def test_a_long_429_storm_stops_cleanly_and_the_state_resumes(tmp_path):
    box = secret_box(storm_after=8, storm_seconds=600, search_latency=0.01)
    try:
        first = run_cli(tmp_path, config_for(box, max_rate_limit_wait=2, page_size=50))
        assert first.returncode == 1
        critical = [line for line in first.stderr.splitlines() if line.startswith("CRITICAL")]
        assert len(critical) == 1 and "max_rate_limit_wait" in critical[0] and "Rate limit exceeded" in critical[0]
        messages = messages_of(first.stdout)
        state = last_state(messages)
        assert_valid_state(state)
        box.api.options.storm_after = 0  # the storm passes
        second = run_cli(tmp_path, config_for(box, page_size=50), state=state)
        assert second.returncode == 0, second.stderr
        both = messages + messages_of(second.stdout)
        for stream in STREAMS:
            assert emitted_ids(both, stream) == in_scope(box, stream)
        assert SECRET not in first.stdout + first.stderr + second.stdout + second.stderr
    finally:
        box.stop()


@pytest.mark.parametrize(
    "fault, words",
    [
        ("503", ["HTTP 503", "try again", "gave up after 2 retries"]),
        ("500", ["HTTP 500", "Internal server error", "gave up after 2 retries"]),
        ("html", ["not a JSON object", "'<!DOCTYPE html>", "base_url"]),
    ],
)
def test_retries_exhausted_give_one_critical_line(tmp_path, fault, words):
    box = secret_box(faults={fault: 1.0})
    try:
        done = run_cli(tmp_path, config_for(box, max_retries=2), streams=("tags",))
        assert done.returncode == 1
        critical = [line for line in done.stderr.splitlines() if line.startswith("CRITICAL")]
        assert len(critical) == 1 and all(w in critical[0] for w in words), critical
        assert "Traceback" not in done.stderr and SECRET not in done.stderr + done.stdout
        assert done.stderr.count("WARNING") == 2  # each retry logged with its reason
    finally:
        box.stop()


@pytest.mark.parametrize("sig, code", [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_with_a_final_state_that_resumes(tmp_path, sig, code):
    box = secret_box(search_latency=0.03)
    try:
        config = config_for(box, page_size=20, log_level="DEBUG")
        argv = [
            *TAP,
            "-c",
            write_json(tmp_path / "s_config.json", config),
            "--catalog",
            write_json(tmp_path / "s_catalog.json", selected_catalog(set(STREAMS))),
        ]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        errors = []  # stderr drained meanwhile, so a full pipe cannot hold the tap up
        drain = threading.Thread(target=lambda: errors.append(proc.stderr.read()), daemon=True)
        drain.start()
        lines, states = [], 0
        for line in proc.stdout:
            lines.append(line)
            states += json.loads(line)["type"] == "STATE"
            if states == 6:
                proc.send_signal(sig)
                started = time.monotonic()
                break
        # the rest through the same reader: communicate() would skip what it has buffered already
        rest = proc.stdout.read()
        proc.wait(timeout=30)
        drain.join(30)
        err = errors[0]
        assert proc.returncode == code and time.monotonic() - started < 10
        lines += rest.splitlines(keepends=True)
        messages = messages_of("".join(lines))
        assert messages[-1]["type"] == "STATE"  # the last word is where to resume
        critical = [x for x in err.splitlines() if x.startswith("CRITICAL")]
        assert len(critical) == 1 and sig.name in critical[0] and "Traceback" not in err
        assert SECRET not in err + "".join(lines)  # at DEBUG too
        state = messages[-1]["value"]
        assert_valid_state(state)
        done = run_cli(tmp_path, config_for(box, page_size=20), state=state)
        both = messages + messages_of(done.stdout)
        for stream in STREAMS:
            assert emitted_ids(both, stream) == in_scope(box, stream)
    finally:
        box.stop()


def test_a_signal_during_a_retry_wait_stops_at_once(tmp_path):
    """backoff sleeps with time.sleep, which a signal does not cut short: the run stops anyway,
    with its final STATE, without waiting for the sleeping thread."""
    box = secret_box(outage_after=1, outage_seconds=600)  # the token check passes, then nothing does
    try:
        argv = [
            *TAP,
            "-c",
            write_json(tmp_path / "w_config.json", config_for(box, max_retries=20)),
            "--catalog",
            write_json(tmp_path / "w_catalog.json", selected_catalog({"tags"})),
        ]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for line in proc.stderr:
            if "retry 4 of 20 in" in line:  # now asleep for about 8 seconds
                break
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
        assert proc.returncode == 143 and time.monotonic() - started < 4
        assert messages_of(out)[-1]["type"] == "STATE" and "SIGTERM" in err
    finally:
        box.stop()


def test_a_target_that_dies_ends_the_tap_quietly(tmp_path):
    box = secret_box()
    try:
        argv = [
            *TAP,
            "-c",
            write_json(tmp_path / "b_config.json", config_for(box, page_size=20)),
            "--catalog",
            write_json(tmp_path / "b_catalog.json", selected_catalog(set(STREAMS))),
        ]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(3):
            proc.stdout.readline()
        proc.stdout.close()  # the target is gone
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=30) == 1
        critical = [x for x in err.splitlines() if x.startswith("CRITICAL")]
        assert len(critical) == 1 and "broken pipe" in critical[0]
        assert "Traceback" not in err and "Exception ignored" not in err
    finally:
        box.stop()


def test_a_missing_role_fails_that_stream_unless_skipping_was_asked_for(tmp_path):
    box = secret_box(forbidden=("message",))
    try:
        failed = run_cli(tmp_path, config_for(box), streams=("customers", "messages", "tags"))
        assert failed.returncode == 3
        critical = [x for x in failed.stderr.splitlines() if x.startswith("CRITICAL")]
        assert len(critical) == 1 and "HTTP 403" in critical[0] and "Missing role to read message" in critical[0]
        assert emitted_ids(messages_of(failed.stdout), "customers") == in_scope(box, "customers")
        skipped = run_cli(
            tmp_path, config_for(box, skip_forbidden_streams=True), streams=("customers", "messages", "tags")
        )
        assert skipped.returncode == 0
        messages = messages_of(skipped.stdout)
        assert emitted_ids(messages, "customers") == in_scope(box, "customers")
        assert emitted_ids(messages, "tags") == in_scope(box, "tags")
        assert "messages: skipped" in skipped.stderr
        assert re.search(
            r"^ERROR messages +skipped: no read role, and skip_forbidden_streams is true", skipped.stderr, re.M
        )
        assert "messages" not in last_state(messages)["bookmarks"]
    finally:
        box.stop()


def test_the_token_goes_only_to_the_api_host_and_never_follows_a_redirect(tmp_path):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen = []

    class Redirector(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.headers.get("Authorization"))
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.2:{self.server.server_address[1]}/stolen")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        config = {
            "api_token": SECRET,
            "start_date": "2024-01-01",
            "base_url": f"http://127.0.0.1:{server.server_address[1]}",
        }
        done = run_cli(tmp_path, config, streams=("tags",))
        assert done.returncode == 1 and "HTTP 302" in done.stderr
        assert seen == [f"Bearer {SECRET}"]  # one request, to the configured host; the redirect not followed
        assert SECRET not in done.stderr + done.stdout
    finally:
        server.shutdown()
        server.server_close()
