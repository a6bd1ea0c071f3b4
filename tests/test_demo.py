"""`make demo` ends with answers: scripts/demo.sh syncs the sandbox into target-jsonl, loads the same
records into DuckDB, builds the dbt package there and prints the seven answers of docs/dbt.md.
Run here into a temporary directory (DEMO), with the virtualenvs `make test` set up."""

import os
import re
import subprocess

from conftest import ROOT
from test_pipelines import need

QUESTIONS = (
    "1. How fast do we first reply, in business hours?",
    "2. How long to resolve?",
    "3. How many SLAs did we breach?",
    "4. How happy are customers?",
    "5. Who carries the load?",
    "6. How long do conversations sit open, or snoozed?",
    "7. How big was the backlog each morning?",
)


def test_the_demo_ends_with_the_seven_answers(tmp_path):
    need(ROOT / ".venv-target-jsonl" / "bin" / "target-jsonl", ROOT / ".venv-dbt" / "bin" / "dbt")
    demo = tmp_path / "demo"
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "demo.sh")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "DEMO": str(demo)},
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert re.search(r"Done\. PASS=\d+ WARN=1 ERROR=0 SKIP=0", out), out[-3000:]  # the one warning: the agreement test
    positions = [out.index(question) for question in QUESTIONS]
    assert positions == sorted(positions)
    for question in QUESTIONS:  # each answer is a table with at least one row under its header
        header, rule, first = out[out.index(question) :].splitlines()[1:4]
        assert set(rule.replace(" ", "")) == {"-"} and first.strip() and len(header.split()) >= 3, question
    assert (demo / "kustomer.duckdb").stat().st_size > 0 and (demo / "output" / "conversations.jsonl").exists()
