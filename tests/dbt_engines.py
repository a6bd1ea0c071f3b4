"""Running the dbt package in dbt/ on each engine the tests build it on: the sandbox loaded by a
Singer target, `dbt build` over it, its tables read back. One class per engine, the same methods:

    load(tap_argv, workdir, schema)   tap | target into `schema`
    profile(schema)                   the dbt profile output for models built into `schema`
    rows(query)                       a query's rows as dicts (numbers exact, instants as ISO text)
    copy_tables(source, dest, names)  the same tables in another schema
    drop(*schemas)                    clean up

dbt lives in .venv-dbt (scripts/pipelines-setup.sh); PostgreSQL on 127.0.0.1.
"""

import json
import os
import subprocess
from decimal import Decimal

from conftest import ROOT, write_json
from duck import execute, load, query
from test_pipelines import PG, POSTGRES_TARGETS, pipe, sql

DBT = ROOT / ".venv-dbt" / "bin" / "dbt"
PROJECT = ROOT / "dbt"


class Postgres:
    def __init__(self, target):
        self.target = target
        self.executable, self.settings, _array_type = POSTGRES_TARGETS[target]
        self.needs = (self.executable, DBT)

    def load(self, tap_argv, workdir, schema):
        target_config = write_json(workdir / "target.json", {**self.settings, "default_target_schema": schema})
        pipe(tap_argv, [str(self.executable), "--config", target_config], workdir)

    def profile(self, schema):
        return {"type": "postgres", **PG, "schema": schema, "threads": 4}

    def rows(self, query_text):
        done = subprocess.run(
            [*("psql", "-h", PG["host"], "-U", PG["user"], "-d", PG["dbname"], "-XtA", "-c")]
            + [f"select coalesce(json_agg(q), '[]') from ({query_text}) as q"],
            capture_output=True,
            text=True,
            env={**os.environ, "PGPASSWORD": PG["password"]},
            check=True,
        )
        return json.loads(done.stdout, parse_float=Decimal)

    def copy_tables(self, source, dest, names):
        sql(f"CREATE SCHEMA {dest}")
        for name in names:
            sql(f"CREATE TABLE {dest}.{name} AS SELECT * FROM {source}.{name}")

    def drop(self, *schemas):
        for schema in schemas:
            sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


class DuckDB:
    """One DuckDB file per engine instance, loaded by scripts/load-duckdb."""

    target = "load-duckdb"
    needs = (DBT,)

    def __init__(self, path):
        self.path = path

    def load(self, tap_argv, workdir, schema):
        load(tap_argv, self.path, schema, workdir)

    def profile(self, schema):
        return {"type": "duckdb", "path": str(self.path), "schema": schema, "threads": 4}

    def rows(self, query_text):
        return query(self.path, query_text)

    def copy_tables(self, source, dest, names):
        statements = [f"CREATE SCHEMA {dest}"]
        statements += [f"CREATE TABLE {dest}.{name} AS SELECT * FROM {source}.{name}" for name in names]
        execute(self.path, statements)

    def drop(self, *schemas):
        pass  # the file goes with the test's temporary directory


def dbt(command, workdir, engine, source_schema, loader, schema, zone="UTC", extra=()):
    """`dbt <command>` of the package over source_schema into schema, with the host's (and
    PostgreSQL's session) time zone `zone`; dbt's run_results (or its sources.json for freshness)."""
    workdir.mkdir(parents=True, exist_ok=True)
    profile = {"kustomer": {"target": "test", "outputs": {"test": engine.profile(schema)}}}
    (workdir / "profiles.yml").write_text(json.dumps(profile))  # JSON is YAML
    variables = {"kustomer_schema": source_schema, "kustomer_loader": loader}
    argv = [str(DBT), *command.split(), "--project-dir", str(PROJECT), "--profiles-dir", str(workdir)]
    argv += ["--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")]
    argv += ["--vars", json.dumps(variables), *extra]
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "TZ": zone, "PGTZ": zone}
    done = subprocess.run(argv, capture_output=True, text=True, timeout=600, env=env, cwd=workdir)
    assert done.returncode == 0, done.stdout[-5000:] + done.stderr[-2000:]
    artifact = "sources.json" if command.startswith("source freshness") else "run_results.json"
    return json.loads((workdir / "target" / artifact).read_text())["results"]
