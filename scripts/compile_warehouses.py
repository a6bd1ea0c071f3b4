"""Compile every model of the dbt package in dbt/ for Snowflake and BigQuery without a network: run
through scripts/compile-warehouses OUT, which installs dbt-snowflake and dbt-bigquery first.

The profiles carry dummy credentials; `dbt compile --no-populate-cache --no-introspect` asks the
warehouse nothing, and staging takes the loaded tables' columns from var kustomer_loaded_columns,
built here from the tap's catalog (catalog.json) the way each loader names and types them:

    snowflake  meltanolabs-target-snowflake 0.20: a column per field (VARIANT for objects and arrays,
               TIMESTAMP_NTZ for date-times), plus the SDK's _sdc_* columns
    bigquery   z3-target-bigquery 0.7, default: each record in one JSON column `data` (the fields are
               read from it; the list only says which tables exist), plus _sdc_* columns

Leaves OUT/<warehouse>/<model>.sql, one file per model.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DBT = Path(sys.executable).parent / "dbt"
METADATA = {"_sdc_extracted_at", "_sdc_received_at", "_sdc_batched_at", "_sdc_deleted_at"}

PROFILES = {
    "snowflake": {
        "type": "snowflake",
        "account": "offline-compile",
        "user": "nobody",
        "password": "not-a-password",
        "role": "nobody",
        "database": "analytics",
        "warehouse": "nowhere",
        "schema": "kustomer_dbt",
        "threads": 1,
    },
    "bigquery": {
        "type": "bigquery",
        "method": "oauth-secrets",
        "token": "not-a-token",
        "project": "offline-compile",
        "dataset": "kustomer_dbt",
        "threads": 1,
    },
}


def snowflake_type(prop):
    types = prop.get("type", [])
    kinds = [t for t in ([types] if isinstance(types, str) else types) if t != "null"]
    if "anyOf" in prop or len(kinds) != 1 or kinds[0] in ("object", "array"):
        return "variant"
    if kinds[0] == "string":
        return "timestamp_ntz" if prop.get("format") == "date-time" else "varchar"
    return {"integer": "number", "number": "float", "boolean": "boolean"}[kinds[0]]


def loaded_columns(warehouse):
    """{stream: {column: type}} as the warehouse's loader would create the tables."""
    catalog = json.loads((ROOT / "catalog.json").read_text())
    tables = {}
    for entry in catalog["streams"]:
        if warehouse == "snowflake":
            columns = {name: snowflake_type(prop) for name, prop in entry["schema"]["properties"].items()}
            columns.update({name: "timestamp_ntz" for name in METADATA}, _sdc_sequence="number")
        else:
            columns = {"data": "json", **{name: "timestamp" for name in METADATA}, "_sdc_sequence": "int64"}
        tables[entry["stream"]] = columns
    return tables


def compile_for(warehouse, out, workdir):
    profile = {"kustomer": {"target": warehouse, "outputs": {warehouse: PROFILES[warehouse]}}}
    (workdir / "profiles.yml").write_text(json.dumps(profile))
    variables = {
        "kustomer_schema": "kustomer",
        "kustomer_loader": warehouse,
        "kustomer_loaded_columns": loaded_columns(warehouse),
    }
    target = workdir / f"target-{warehouse}"
    argv = [str(DBT), "compile", "--no-populate-cache", "--no-introspect", "--select", "resource_type:model"]
    argv += ["--project-dir", str(ROOT / "dbt"), "--profiles-dir", str(workdir), "--target-path", str(target)]
    argv += ["--log-path", str(workdir / "logs"), "--vars", json.dumps(variables)]
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=workdir)
    if done.returncode != 0:
        raise SystemExit(f"compile-warehouses: dbt compile for {warehouse} failed:\n{done.stdout[-5000:]}")
    destination = out / warehouse
    shutil.rmtree(destination, ignore_errors=True)
    destination.mkdir(parents=True)
    manifest = json.loads((target / "manifest.json").read_text())
    models = [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]
    for model in models:
        (destination / f"{model['name']}.sql").write_text(model["compiled_code"])
    return len(models)


def main():
    out = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory(prefix="compile-warehouses-") as tmp:
        for warehouse in PROFILES:
            count = compile_for(warehouse, out, Path(tmp))
            print(f"compile-warehouses: {count} models compiled for {warehouse} into {out / warehouse}")


if __name__ == "__main__":
    main()
