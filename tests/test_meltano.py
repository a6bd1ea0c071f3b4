"""`meltano run tap-kustomer target-jsonl` with the example project in meltano/, against the sandbox."""

import json
import os
import subprocess

import pytest
from conftest import BOOKMARKED, ROOT, in_scope, make_sandbox, record_keys

from tap_kustomer.sandbox.server import SANDBOX_TOKEN
from tap_kustomer.streams import STREAMS

MELTANO = ROOT / ".venv-meltano" / "bin" / "meltano"
PROJECT = ROOT / "meltano"
HAND_PICKED = {name for name, stream in STREAMS.items() if not stream.selected_by_default}  # left out in meltano.yml


def meltano_for(box, tmp_path, **settings):
    """meltano(*args, ok=True) in the example project, pointed at the sandbox; and its output folder."""
    if not MELTANO.exists():
        if os.environ.get("CI"):
            pytest.fail("meltano missing in CI; scripts/pipelines-setup.sh should have installed it")
        pytest.skip("run `make test` (it installs meltano into .venv-meltano)")
    out = tmp_path / "out"
    env = {
        **os.environ,
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        "MELTANO_DATABASE_URI": f"sqlite:///{tmp_path}/meltano.db",
        "TAP_KUSTOMER_API_TOKEN": SANDBOX_TOKEN,
        "TAP_KUSTOMER_START_DATE": "2015-01-01T00:00:00Z",
        "TAP_KUSTOMER_BASE_URL": box.base_url,
        "TARGET_JSONL_DESTINATION_PATH": str(out),
        "TAP_KUSTOMER_MAX_REQUESTS_PER_MINUTE": "0",  # the sandbox has no agents to leave a share to
        **{f"TAP_KUSTOMER_{key.upper()}": str(value) for key, value in settings.items()},
    }
    out.mkdir()

    def meltano(*args, ok=True):
        done = subprocess.run([str(MELTANO), *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600)
        assert (done.returncode == 0) == ok, done.stderr[-3000:]
        return done

    return meltano, out


def state_of(meltano):
    return json.loads(meltano("state", "get", "dev:tap-kustomer-to-target-jsonl").stdout.strip().splitlines()[-1])


def test_meltano_run_full_then_incremental(tmp_path):
    box = make_sandbox()
    meltano, out = meltano_for(box, tmp_path)
    try:
        meltano("install")
        meltano("run", "tap-kustomer", "target-jsonl")
        for name in (name for name, stream in STREAMS.items() if stream.selected_by_default):
            rows = [json.loads(line) for line in (out / f"{name}.jsonl").read_text().splitlines()]
            assert record_keys(name, rows) == in_scope(box, name) and len(rows) == len(in_scope(box, name)), name
        state = state_of(meltano)
        assert set(state["singer_state"]["bookmarks"]) == BOOKMARKED - HAND_PICKED  # not selected there
        assert not (out / "attachments.jsonl").exists()
        before = len((out / "tags.jsonl").read_text().splitlines())
        box.store.touch("tags", box.store.resources["tags"][0]["id"])
        meltano("run", "tap-kustomer", "target-jsonl")  # incremental: Meltano hands the state back
        again = (out / "tags.jsonl").read_text().splitlines()[before:]
        mark = state["singer_state"]["bookmarks"]["tags"]["updated_at"]
        at_mark = {r["id"] for r in box.store.resources["tags"] if r["attributes"]["updatedAt"] == mark}
        assert {json.loads(line)["id"] for line in again} == {box.store.resources["tags"][0]["id"]} | at_mark
    finally:
        box.stop()


def test_a_stream_that_fails_fails_meltano_run_and_the_others_state_is_kept(tmp_path):
    """Exit code 3 (some streams failed, the rest completed) is a failed run for Meltano, which
    still keeps the state the target confirmed: the next run resumes every stream."""
    box = make_sandbox(broken={"/v1/routing/queues": "500"})
    meltano, out = meltano_for(box, tmp_path, max_retry_seconds=1)
    try:
        meltano("install")
        failed = meltano("run", "tap-kustomer", "target-jsonl", ok=False)
        assert "queues: HTTP 500" in failed.stderr
        bookmarks = state_of(meltano)["singer_state"]["bookmarks"]
        assert set(bookmarks) == BOOKMARKED - {"queues"} - HAND_PICKED  # every stream but the failed one
        rows = [json.loads(line) for line in (out / "conversations.jsonl").read_text().splitlines()]
        assert record_keys("conversations", rows) == in_scope(box, "conversations")
        box.api.options.broken = {}
        meltano("run", "tap-kustomer", "target-jsonl")
        assert set(state_of(meltano)["singer_state"]["bookmarks"]) == BOOKMARKED - HAND_PICKED
        rows = [json.loads(line) for line in (out / "queues.jsonl").read_text().splitlines()]
        assert record_keys("queues", rows) == in_scope(box, "queues")
    finally:
        box.stop()
