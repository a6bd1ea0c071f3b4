#!/usr/bin/env bash
# What the pipeline tests need, installed by the project itself (CI starts on a bare machine):
# PostgreSQL on 127.0.0.1 with a role and database for the tests, each Singer target in its own
# virtualenv (their singer-python pins clash), and dbt for the package in dbt/ (with DuckDB; the
# Snowflake and BigQuery adapters in a virtualenv of their own). Idempotent; run by
# `make test` (and with --demo, target-jsonl and dbt only, by `make demo`).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

venv() {  # venv DIR PACKAGE...
  local dir=$1; shift
  if [ ! -f "$dir/.installed" ]; then
    rm -rf "$dir"
    "$PYTHON" -m venv "$dir"
    if ! "$dir/bin/pip" install --quiet "$@" > "$dir.log" 2>&1; then
      cat "$dir.log" >&2
      echo "pipelines-setup: installing $* into $dir failed" >&2
      exit 1
    fi
    touch "$dir/.installed"
  fi
}

venv .venv-target-jsonl target-jsonl==0.1.4
# dbt for the package in dbt/ (with dbt-duckdb: the demo; tests/test_dbt.py), reinstalled when
# dbt/requirements.txt changes
cmp -s dbt/requirements.txt .venv-dbt/.requirements 2>/dev/null || rm -f .venv-dbt/.installed
venv .venv-dbt -r dbt/requirements.txt
cp dbt/requirements.txt .venv-dbt/.requirements
[ "${1:-}" = "--demo" ] && exit 0  # what `make demo` needs
venv .venv-target-postgres pipelinewise-target-postgres==2.1.2
venv .venv-target-postgres-meltano meltanolabs-target-postgres==0.8.1
venv .venv-singer-tools singer-tools==0.4.1
venv .venv-meltano "meltano>=3,<5"
# the DuckDB loader and the Snowflake / BigQuery compile install themselves on first use; done
# here so the tests find them
bash scripts/load-duckdb --help > /dev/null
bash scripts/compile-warehouses --install

if [ "$(id -u)" != 0 ] && ! pg_isready -q -h 127.0.0.1 2>/dev/null; then
  echo "pipelines-setup: not root and no PostgreSQL on 127.0.0.1: the Postgres pipeline test will be skipped" >&2
  exit 0
fi
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >/dev/null
fi
if ! pg_isready -q -h 127.0.0.1; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
  pg_lsclusters -h | grep -q "^$version main" || pg_createcluster "$version" main >/dev/null
  pg_ctlcluster "$version" main start
  for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 && break; sleep 0.2; done
fi
as_postgres() { su postgres -c "psql -q -tAc \"$1\""; }
[ "$(as_postgres "SELECT 1 FROM pg_roles WHERE rolname = 'tap_kustomer'")" = 1 ] \
  || as_postgres "CREATE ROLE tap_kustomer LOGIN PASSWORD 'tap_kustomer'"
[ "$(as_postgres "SELECT 1 FROM pg_database WHERE datname = 'tap_kustomer'")" = 1 ] \
  || as_postgres "CREATE DATABASE tap_kustomer OWNER tap_kustomer"
echo "pipelines-setup: PostgreSQL ready on 127.0.0.1:5432 (database tap_kustomer)" >&2
