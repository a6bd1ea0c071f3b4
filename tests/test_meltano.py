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


def test_meltano_run_full_then_incremental(tmp_path):
    if not MELTANO.exists():
        if os.environ.get("CI"):
            pytest.fail("meltano missing in CI; scripts/pipelines-setup.sh should have installed it")
        pytest.skip("run `make test` (it installs meltano into .venv-meltano)")
    box = make_sandbox()
    out = tmp_path / "out"
    env = {
        **os.environ,
        "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
        "MELTANO_DATABASE_URI": f"sqlite:///{tmp_path}/meltano.db",
        "TAP_KUSTOMER_API_TOKEN": SANDBOX_TOKEN,
        "TAP_KUSTOMER_START_DATE": "2015-01-01T00:00:00Z",
        "TAP_KUSTOMER_BASE_URL": box.base_url,
        "TARGET_JSONL_DESTINATION_PATH": str(out),
    }
    out.mkdir()

    def meltano(*args):
        done = subprocess.run([str(MELTANO), *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        return done

    try:
        meltano("install")
        meltano("run", "tap-kustomer", "target-jsonl")
        for name in STREAMS:
            rows = [json.loads(line) for line in (out / f"{name}.jsonl").read_text().splitlines()]
            assert record_keys(name, rows) == in_scope(box, name) and len(rows) == len(in_scope(box, name)), name
        state = json.loads(meltano("state", "get", "dev:tap-kustomer-to-target-jsonl").stdout.strip().splitlines()[-1])
        assert set(state["singer_state"]["bookmarks"]) == BOOKMARKED
        before = len((out / "tags.jsonl").read_text().splitlines())
        box.store.touch("tags", box.store.resources["tags"][0]["id"])
        meltano("run", "tap-kustomer", "target-jsonl")  # incremental: Meltano hands the state back
        again = (out / "tags.jsonl").read_text().splitlines()[before:]
        mark = state["singer_state"]["bookmarks"]["tags"]["updated_at"]
        at_mark = {r["id"] for r in box.store.resources["tags"] if r["attributes"]["updatedAt"] == mark}
        assert {json.loads(line)["id"] for line in again} == {box.store.resources["tags"][0]["id"]} | at_mark
    finally:
        box.stop()
