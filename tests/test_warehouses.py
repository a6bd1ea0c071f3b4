"""The dbt package compiled for Snowflake and BigQuery, offline (scripts/compile-warehouses): one
file per model for each, every one parsing in its dialect and free of PostgreSQL- and DuckDB-only
constructs (scripts/check_compiled.py); and that check does fail on what it should.

Compiled only: nothing here runs on a warehouse (docs/dbt.md says which engines CI runs).
"""

import subprocess

import pytest
from conftest import ROOT
from test_pipelines import need

COMPILE = ROOT / "scripts" / "compile-warehouses"
PYTHON = ROOT / ".venv-dbt-warehouses" / "bin" / "python"
CHECK = ROOT / "scripts" / "check_compiled.py"
MODELS = {path.stem for path in (ROOT / "dbt" / "models").rglob("*.sql")}


def check(out):
    return subprocess.run([str(PYTHON), str(CHECK), str(out)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    need(PYTHON)
    out = tmp_path_factory.mktemp("warehouses")
    done = subprocess.run([str(COMPILE), str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


@pytest.mark.parametrize("warehouse", ["snowflake", "bigquery"])
def test_every_model_is_compiled_for_the_warehouse(compiled, warehouse):
    assert {path.stem for path in (compiled / warehouse).glob("*.sql")} == MODELS
    conversations = (compiled / warehouse / "stg_kustomer__conversations.sql").read_text()
    reads = {"snowflake": '"UPDATED_AT"', "bigquery": "json_value(`data`, '$.updated_at')"}[warehouse]
    assert reads in conversations  # the loader's layout: upper-case columns, or each record in `data`


def test_every_compiled_model_parses_in_its_dialect_without_postgres_or_duckdb_constructs(compiled):
    done = check(compiled)
    assert done.returncode == 0, done.stdout[-5000:]
    assert f"{2 * len(MODELS)} compiled models checked, 0 problems" in done.stdout


def test_the_check_finds_what_a_warehouse_lacks(tmp_path):
    need(PYTHON)
    for warehouse, sql in {
        "snowflake": "select payload ->> 'id', jsonb_typeof(payload) from events",
        "bigquery": "select percentile_cont(0.5) within group (order by x), y::int from t cross join lateral f(t.z)",
    }.items():
        (tmp_path / warehouse).mkdir()
        (tmp_path / warehouse / "model.sql").write_text(sql)
    (tmp_path / "bigquery" / "broken.sql").write_text("select from where")
    done = check(tmp_path)
    assert done.returncode == 1
    for line in (
        "snowflake/model.sql: uses ->, ->> or #> (JSON operators)",
        "snowflake/model.sql: calls jsonb_typeof(), which sqlglot does not know as snowflake",
        "bigquery/model.sql: uses within group",
        "bigquery/model.sql: uses :: casts",
        "bigquery/model.sql: uses lateral",
        "bigquery/broken.sql: does not parse as bigquery",
    ):
        assert line in done.stdout, done.stdout
