"""How long `dbt build` of the package in dbt/ takes on the sandbox's org: at its default size and at
10x, loaded through tap-kustomer into PostgreSQL by one of the two targets.

    .venv/bin/python benchmarks/dbt_build.py [--scales 1,10] [--target meltanolabs|pipelinewise] [--reps 2]

Needs what `make test` sets up: .venv-dbt, the target's virtualenv and PostgreSQL on 127.0.0.1.
Prints one line per scale: records loaded, load time, and the wall time of each `dbt build`
(parse, 50 models, their data tests and unit tests), best and median.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tap_kustomer.catalog import discover  # noqa: E402
from tap_kustomer.sandbox.server import SANDBOX_TOKEN, Sandbox, ServerOptions  # noqa: E402
from tap_kustomer.sandbox.store import DEFAULT_COUNTS, DataOptions  # noqa: E402

PG = {"host": "127.0.0.1", "port": 5432, "user": "tap_kustomer", "password": "tap_kustomer", "dbname": "tap_kustomer"}
TARGETS = {
    "pipelinewise": (ROOT / ".venv-target-postgres" / "bin" / "target-postgres", {**PG, "batch_size_rows": 5000}),
    "meltanolabs": (
        ROOT / ".venv-target-postgres-meltano" / "bin" / "target-postgres",
        {**{k: v for k, v in PG.items() if k != "dbname"}, "database": PG["dbname"]},
    ),
}
DBT = ROOT / ".venv-dbt" / "bin" / "dbt"
NOW = datetime(2025, 11, 12, 15, 0, tzinfo=timezone.utc)


def psql(query):
    env = {**os.environ, "PGPASSWORD": PG["password"]}
    argv = ["psql", "-h", PG["host"], "-U", PG["user"], "-d", PG["dbname"], "-XtAc", query]
    return subprocess.run(argv, capture_output=True, text=True, env=env, check=True).stdout.strip()


def load(scale, target, workdir):
    """The sandbox at `scale` times its default counts, loaded into a new schema; (schema, seconds)."""
    counts = {name: count * scale for name, count in DEFAULT_COUNTS.items()}
    box = Sandbox(ServerOptions(data=DataOptions(counts=counts, now=NOW), page_cap=100_000)).start()
    schema = f"kustomer_bench_{uuid.uuid4().hex[:8]}"
    try:
        config = {"api_token": SANDBOX_TOKEN, "start_date": "2015-01-01T00:00:00Z", "base_url": box.base_url}
        (workdir / "config.json").write_text(json.dumps(config))
        (workdir / "catalog.json").write_text(json.dumps(discover(select_all=True)))
        executable, settings = TARGETS[target]
        (workdir / "target.json").write_text(json.dumps({**settings, "default_target_schema": schema}))
        tap_argv = [sys.executable, "-m", "tap_kustomer", "-c", str(workdir / "config.json")]
        tap_argv += ["--catalog", str(workdir / "catalog.json")]
        started = time.perf_counter()
        tap = subprocess.Popen(tap_argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
        done = subprocess.run(
            [str(executable), "--config", str(workdir / "target.json")],
            stdin=tap.stdout,
            capture_output=True,
            text=True,
            cwd=workdir,
        )
        tap.stdout.close()
        if tap.wait() != 0 or done.returncode != 0:
            raise SystemExit(f"loading failed:\n{done.stderr[-3000:]}")
        return schema, time.perf_counter() - started
    finally:
        box.stop()


def dbt_build(source, loader, workdir):
    schema = f"kustomer_bench_dbt_{uuid.uuid4().hex[:8]}"
    output = {"type": "postgres", **PG, "schema": schema, "threads": 4}
    profile = {"kustomer": {"target": "bench", "outputs": {"bench": output}}}
    (workdir / "profiles.yml").write_text(json.dumps(profile))
    argv = [str(DBT), "build", "--project-dir", str(ROOT / "dbt"), "--profiles-dir", str(workdir)]
    argv += ["--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")]
    argv += ["--vars", json.dumps({"kustomer_schema": source, "kustomer_loader": loader})]
    started = time.perf_counter()
    done = subprocess.run(
        argv, capture_output=True, text=True, env={**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"dbt build failed:\n{done.stdout[-3000:]}")
    return schema, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--target", choices=sorted(TARGETS), default="meltanolabs")
    parser.add_argument("--reps", type=int, default=2)
    args = parser.parse_args()
    for path in (DBT, TARGETS[args.target][0]):
        if not path.exists():
            raise SystemExit(f"missing {path}: run `make test` first (scripts/pipelines-setup.sh sets it up)")
    print(f"dbt build of dbt/ over the sandbox loaded by {args.target}-target-postgres ({os.cpu_count()} cores)")
    for scale in (int(s) for s in args.scales.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            workdir = Path(tmp)
            source, loaded = load(scale, args.target, workdir)
            made = [source]
            try:
                conversations = psql(f"select count(*) from {source}.conversations")
                messages = psql(f"select count(*) from {source}.messages")
                times = []
                for _ in range(args.reps):
                    schema, elapsed = dbt_build(source, args.target, workdir)
                    made.append(schema)
                    times.append(elapsed)
                print(
                    f"{scale:>3}x: {conversations} conversations, {messages} messages (loaded in {loaded:.0f} s); "
                    f"dbt build {min(times):.1f} s best, {statistics.median(times):.1f} s median of {len(times)}"
                )
            finally:
                for schema in made:
                    psql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


if __name__ == "__main__":
    main()
