"""What the benchmark scripts share: running the tap-kustomer command against a sandbox."""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tap_kustomer.catalog import discover  # noqa: E402
from tap_kustomer.sandbox.server import SANDBOX_TOKEN  # noqa: E402


def run_tap(box, streams, state=None, catalog=None, **settings):
    """Sync `streams` from the sandbox `box` with the given config settings (and a state to resume
    from; a catalog, such as one discovered from the sandbox, instead of the one made without an
    org); the finished process."""
    with tempfile.TemporaryDirectory() as tmp:
        config = {
            "api_token": SANDBOX_TOKEN,
            "start_date": "2015-01-01T00:00:00Z",
            "base_url": box.base_url,
            **settings,
        }
        Path(tmp, "config.json").write_text(json.dumps(config))
        catalog = catalog or discover()
        for entry in catalog["streams"]:
            entry["metadata"][0]["metadata"]["selected"] = entry["stream"] in streams
        Path(tmp, "catalog.json").write_text(json.dumps(catalog))
        argv = [
            sys.executable,
            "-m",
            "tap_kustomer",
            "-c",
            str(Path(tmp, "config.json")),
            "--catalog",
            str(Path(tmp, "catalog.json")),
        ]
        if state is not None:
            Path(tmp, "state.json").write_text(json.dumps(state))
            argv += ["--state", str(Path(tmp, "state.json"))]
        return subprocess.run(argv, capture_output=True, text=True, cwd=ROOT)
