"""How long `dbt build` of the package in dbt/ takes, and the peak memory of the dbt process, on
PostgreSQL and on DuckDB, at 1x, 10x, 100x and 1,000x the sandbox's conversations (and messages;
every other stream at its default size), with every stream selected, conversation_events included
(not selected by default: a request per changed conversation; the status history reads it).

    .venv/bin/python benchmarks/dbt_build.py [--scales 1,10,100,1000] [--engines duckdb,postgres] [--reps 2]

Per scale: the sandbox's org is synced once by tap-kustomer into a file of Singer messages, which is
loaded into PostgreSQL by meltanolabs-target-postgres and into a DuckDB file by scripts/load-duckdb.
Then `dbt build` (parse, every model, their data tests and unit tests) runs --reps times on each, with
4 threads on PostgreSQL and the DuckDB profile's 2 (this machine's cores). Seconds are wall time;
peak memory is the dbt process's peak RSS (DuckDB runs inside it; PostgreSQL's server is not
counted); the last column sums the run times of the status history's own models (HISTORY_MODELS;
they run beside others on the threads, so it is their cost, not wall time). Needs what `make test`
sets up: .venv-dbt, the targets and PostgreSQL on 127.0.0.1.
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
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from duck import LOAD_DUCKDB, query  # noqa: E402

from tap_kustomer.catalog import discover  # noqa: E402
from tap_kustomer.sandbox.server import SANDBOX_TOKEN, Sandbox, ServerOptions  # noqa: E402
from tap_kustomer.sandbox.store import DEFAULT_COUNTS, DataOptions  # noqa: E402

PG = {"host": "127.0.0.1", "port": 5432, "user": "tap_kustomer", "password": "tap_kustomer", "dbname": "tap_kustomer"}
MELTANO_POSTGRES = ROOT / ".venv-target-postgres-meltano" / "bin" / "target-postgres"
DBT = ROOT / ".venv-dbt" / "bin" / "dbt"
MEASURE = ROOT / "benchmarks" / "measure_child.py"
ALSO_SELECTED = ("conversation_events",)  # not selected by default; the status history models read it
HISTORY_MODELS = (  # the status history's own models: their run times are reported apart
    "stg_kustomer__conversation_events",
    "int_kustomer__conversation_changes",
    "int_kustomer__status_transitions",
    "int_kustomer__assignment_changes",
    "int_kustomer__history_coverage",
    "kustomer__conversation_status_history",
    "kustomer__backlog_daily",
)
NOW = datetime(2025, 11, 12, 15, 0, tzinfo=timezone.utc)


def psql(statement):
    env = {**os.environ, "PGPASSWORD": PG["password"]}
    argv = ["psql", "-h", PG["host"], "-U", PG["user"], "-d", PG["dbname"], "-XtAc", statement]
    return subprocess.run(argv, capture_output=True, text=True, env=env, check=True).stdout.strip()


def sync(scale, workdir):
    """The sandbox at `scale` times its conversations and messages, synced into a file of Singer messages."""
    counts = dict(DEFAULT_COUNTS, conversations=DEFAULT_COUNTS["conversations"] * scale)
    counts["messages"] = DEFAULT_COUNTS["messages"] * scale
    box = Sandbox(ServerOptions(data=DataOptions(counts=counts, now=NOW), page_cap=100_000)).start()
    try:
        config = {"api_token": SANDBOX_TOKEN, "start_date": "2015-01-01T00:00:00Z", "base_url": box.base_url}
        # no ceiling of the tap's own: conversation_events asks once per conversation
        config["max_requests_per_minute"] = 0
        (workdir / "config.json").write_text(json.dumps(config))
        catalog = discover(select_all=True)
        for entry in catalog["streams"]:
            if entry["stream"] in ALSO_SELECTED:
                entry["metadata"][0]["metadata"]["selected"] = True
        (workdir / "catalog.json").write_text(json.dumps(catalog))
        argv = [sys.executable, "-m", "tap_kustomer", "-c", str(workdir / "config.json")]
        with open(workdir / "messages.jsonl", "w") as out:
            subprocess.run(
                argv + ["--catalog", str(workdir / "catalog.json")],
                stdout=out,
                stderr=subprocess.DEVNULL,
                check=True,
                cwd=ROOT,
            )
    finally:
        box.stop()
    return workdir / "messages.jsonl"


class Postgres:
    name = "postgres"
    threads = 4

    def __init__(self, workdir):
        self.workdir, self.made = workdir, []

    def load(self, messages):
        self.source = self.schema()
        settings = {k: v for k, v in PG.items() if k != "dbname"}
        target = {**settings, "database": PG["dbname"], "default_target_schema": self.source}
        (self.workdir / "target.json").write_text(json.dumps(target))
        with open(messages) as stdin:
            argv = [str(MELTANO_POSTGRES), "--config", str(self.workdir / "target.json")]
            subprocess.run(argv, stdin=stdin, capture_output=True, check=True, cwd=self.workdir)
        return "meltanolabs"

    def count(self, table):
        return int(psql(f"select count(*) from {self.source}.{table}"))

    def schema(self):
        self.made.append(f"kustomer_bench_{uuid.uuid4().hex[:8]}")
        return self.made[-1]

    def profile(self, schema):
        return {"type": "postgres", **PG, "schema": schema, "threads": self.threads}

    def clean(self):
        for schema in self.made:
            psql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


class DuckDB:
    name = "duckdb"
    threads = 2

    def __init__(self, workdir):
        self.workdir, self.path, self.made = workdir, workdir / "bench.duckdb", []

    def load(self, messages):
        self.source = "kustomer"
        with open(messages) as stdin:
            argv = [str(LOAD_DUCKDB), str(self.path), self.source]
            subprocess.run(argv, stdin=stdin, capture_output=True, check=True)
        return "duckdb"

    def count(self, table):
        return query(self.path, f"select count(*) as n from {self.source}.{table}")[0]["n"]

    def schema(self):
        self.made.append(f"kustomer_bench_{uuid.uuid4().hex[:8]}")
        return self.made[-1]

    def profile(self, schema):
        return {"type": "duckdb", "path": str(self.path), "schema": schema, "threads": self.threads}

    def clean(self):
        self.path.unlink(missing_ok=True)


def dbt_build(engine, loader):
    """One `dbt build` into a new schema: (wall seconds, peak RSS in MB, seconds the status history's
    models ran, summed from run_results.json)."""
    schema = engine.schema()
    profile = {"kustomer": {"target": "bench", "outputs": {"bench": engine.profile(schema)}}}
    (engine.workdir / "profiles.yml").write_text(json.dumps(profile))
    argv = [str(DBT), "build", "--project-dir", str(ROOT / "dbt"), "--profiles-dir", str(engine.workdir)]
    argv += ["--target-path", str(engine.workdir / "target"), "--log-path", str(engine.workdir / "logs")]
    argv += ["--vars", json.dumps({"kustomer_schema": engine.source, "kustomer_loader": loader})]
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, str(MEASURE), str(engine.workdir / "dbt.out"), "--", *argv],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"dbt build failed on {engine.name}:\n{(engine.workdir / 'dbt.out').read_text()[-3000:]}")
    usage = json.loads(done.stderr.strip().splitlines()[-1])
    results = json.loads((engine.workdir / "target" / "run_results.json").read_text())["results"]
    history = sum(r["execution_time"] for r in results if r["unique_id"].split(".")[-1] in HISTORY_MODELS)
    return elapsed, usage["maxrss_kb"] / 1024, history


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10,100,1000")
    parser.add_argument("--engines", default="duckdb,postgres")
    parser.add_argument("--reps", type=int, default=2)
    args = parser.parse_args()
    engines = [{"duckdb": DuckDB, "postgres": Postgres}[name] for name in args.engines.split(",")]
    for path in (DBT, MELTANO_POSTGRES):
        if not path.exists():
            raise SystemExit(f"missing {path}: run `make test` first (scripts/pipelines-setup.sh sets it up)")
    print(f"dbt build of dbt/, best and median of {args.reps}, on {os.cpu_count()} cores")
    print(
        "| scale | engine | conversations | messages | loaded in s | dbt build s (best) | median s | peak RSS MB "
        "| status history models s |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for scale in (int(s) for s in args.scales.split(",")):
        with tempfile.TemporaryDirectory(prefix="dbt-bench-") as tmp:
            messages = sync(scale, Path(tmp))
            for kind in engines:
                workdir = Path(tmp) / kind.name
                workdir.mkdir()
                engine = kind(workdir)
                try:
                    started = time.perf_counter()
                    loader = engine.load(messages)
                    loaded = time.perf_counter() - started
                    runs = [dbt_build(engine, loader) for _ in range(args.reps)]
                    seconds = [s for s, _m, _h in runs]
                    print(
                        f"| {scale}x | {engine.name} | {engine.count('conversations')} | {engine.count('messages')} | "
                        f"{loaded:.0f} | {min(seconds):.1f} | {statistics.median(seconds):.1f} | "
                        f"{max(m for _s, m, _h in runs):.0f} | {min(h for _s, _m, h in runs):.1f} |",
                        flush=True,
                    )
                finally:
                    engine.clean()


if __name__ == "__main__":
    main()
