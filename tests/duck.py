"""Reading a DuckDB file from the tests: the test environment has no duckdb, so each query runs in
the loader's own virtualenv (scripts/load-duckdb installs it) and comes back as JSON, written by
DuckDB itself with the session in UTC: numbers exact, instants as UTC text, JSON columns nested.
benchmarks/dbt_build.py uses it too."""

import json
import subprocess
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # importable from benchmarks/ too

LOAD_DUCKDB = ROOT / "scripts" / "load-duckdb"
PYTHON = ROOT / ".venv-load-duckdb" / "bin" / "python"


def load(tap_argv, path, schema, workdir, *extra):
    """tap | load-duckdb PATH SCHEMA: (the STATE values it wrote, its stderr); both must exit 0."""
    with open(workdir / "tap.log", "w+b") as log:
        tap = subprocess.Popen(tap_argv, stdout=subprocess.PIPE, stderr=log)
        done = subprocess.run(
            [str(LOAD_DUCKDB), str(path), schema, *extra], stdin=tap.stdout, capture_output=True, text=True
        )
        tap.stdout.close()
        assert tap.wait() == 0, log.read().decode()[-3000:]
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line) for line in done.stdout.splitlines()], done.stderr


_QUERY = """
import sys
import duckdb
db = duckdb.connect(sys.argv[1], read_only=True)
db.execute("SET TimeZone = 'UTC'")
for (row,) in db.execute(f"select cast(to_json(q) as varchar) from ({sys.argv[2]}) as q").fetchall():
    print(row)
"""


def query(path, sql):
    """The rows of a query on the DuckDB file at path, as dicts (numbers as Decimal or int)."""
    done = subprocess.run([str(PYTHON), "-c", _QUERY, str(path), sql], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return [json.loads(line, parse_float=Decimal) for line in done.stdout.splitlines()]


_EXECUTE = """
import json, sys
import duckdb
db = duckdb.connect(sys.argv[1])
for statement in json.loads(sys.argv[2]):
    db.execute(statement)
db.close()
"""


def execute(path, statements):
    """Run statements, in order, on the DuckDB file at path."""
    done = subprocess.run(
        [str(PYTHON), "-c", _EXECUTE, str(path), json.dumps(statements)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-3000:]
