#!/usr/bin/env bash
# The demo: start the local Kustomer sandbox, discover, sync every stream into target-jsonl and show
# what arrived; then load the same records into DuckDB (.demo/kustomer.duckdb), build the dbt package
# there and print the answers it gives. Run through `make demo`, which installs the virtualenvs first
# (scripts/load-duckdb installs its own on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO=${DEMO:-.demo}  # where everything goes (the tests point it elsewhere)
rm -rf "$DEMO" && mkdir -p "$DEMO/output"
HERE=$(cd "$DEMO" && pwd)

.venv/bin/python -m tap_kustomer.sandbox --port 0 --config-out "$DEMO/config.json" 2>"$DEMO/sandbox.log" &
SANDBOX_PID=$!
trap 'kill "$SANDBOX_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$DEMO/config.json" ] && break; sleep 0.1; done
[ -s "$DEMO/config.json" ] || { echo "the sandbox did not start:"; cat "$DEMO/sandbox.log"; exit 1; }
cat "$DEMO/sandbox.log"

echo "== discover (custom attributes typed from the sandbox org's metadata)"
.venv/bin/tap-kustomer --config "$DEMO/config.json" --discover > "$DEMO/catalog.json" 2> "$DEMO/discover.log"
.venv/bin/python - "$DEMO/catalog.json" <<'PY'
import json, sys
path = sys.argv[1]
catalog = json.load(open(path))
for entry in catalog["streams"]:  # select every stream, as a user would in the catalog or Meltano
    entry["metadata"][0]["metadata"]["selected"] = True
json.dump(catalog, open(path, "w"), indent=2)
custom = {s["stream"]: len(s["schema"]["properties"]["custom"].get("properties", {})) for s in catalog["streams"] if "custom" in s["schema"]["properties"]}
print(f"catalog: {len(catalog['streams'])} streams selected in {path}; typed custom attributes: {custom}")
PY

echo "== sync | target-jsonl"
echo "{\"destination_path\": \"$DEMO/output\", \"do_timestamp_file\": false}" > "$DEMO/target_config.json"
.venv/bin/tap-kustomer --config "$DEMO/config.json" --catalog "$DEMO/catalog.json" 2> "$DEMO/tap.log" \
  | tee "$DEMO/messages.jsonl" \
  | .venv-target-jsonl/bin/target-jsonl --config "$DEMO/target_config.json" > "$DEMO/state.json"
grep -E "^(WARNING|CRITICAL)" "$DEMO/tap.log" || true
sed -n '/sync finished/,$p' "$DEMO/tap.log" | grep -v METRIC  # the table that ends every run

echo "== records per stream in $DEMO/output"
for file in "$DEMO"/output/*.jsonl; do
  printf '  %-22s %6d\n' "$(basename "$file" .jsonl)" "$(wc -l < "$file")"
done
echo "last state (feed it back with --state): $(tail -n 1 "$DEMO/state.json")"

echo
echo "== the same records into DuckDB ($DEMO/kustomer.duckdb, schema kustomer)"
bash scripts/load-duckdb "$DEMO/kustomer.duckdb" kustomer < "$DEMO/messages.jsonl" > /dev/null 2> "$DEMO/load.log" \
  || { cat "$DEMO/load.log"; exit 1; }
tail -n 1 "$DEMO/load.log" | sed -E 's/ schema ([a-z_]+): .*/ schema \1/'

echo "== dbt build of the package in dbt/ on DuckDB (schema kustomer_dbt)"
cat > "$DEMO/profiles.yml" <<YML
kustomer:
  target: demo
  outputs:
    demo: {type: duckdb, path: "$HERE/kustomer.duckdb", schema: kustomer_dbt, threads: 2}
YML
export DBT_SEND_ANONYMOUS_USAGE_STATS=false
dbt() {
  .venv-dbt/bin/dbt "$@" --project-dir dbt --profiles-dir "$DEMO" --target-path "$HERE/dbt-target" \
    --log-path "$HERE/dbt-logs" --vars '{kustomer_schema: kustomer, kustomer_loader: duckdb}' > "$DEMO/dbt.log" 2>&1 \
    || { tail -n 40 "$DEMO/dbt.log"; exit 1; }
}
dbt build
grep -E "Finished running|Done\." "$DEMO/dbt.log" | sed -E 's/^.{0,20}[0-9]{2}:[0-9]{2}:[0-9]{2} +/  /'
dbt compile --select "resource_type:analysis"
.venv-dbt/bin/python scripts/print_answers.py "$DEMO/kustomer.duckdb" "$DEMO/dbt-target/compiled/kustomer/analyses"
echo
echo "The marts are in $DEMO/kustomer.duckdb, schema kustomer_dbt (docs/dbt.md says what each holds)."
