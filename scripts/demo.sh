#!/usr/bin/env bash
# The demo: start the local Kustomer sandbox, discover, sync every stream into target-jsonl,
# then show what arrived. Run through `make demo`, which installs the virtualenvs first.
set -euo pipefail
cd "$(dirname "$0")/.."
DEMO=.demo
rm -rf "$DEMO" && mkdir -p "$DEMO/output"

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
  | .venv-target-jsonl/bin/target-jsonl --config "$DEMO/target_config.json" > "$DEMO/state.json"
grep -E "^(WARNING|CRITICAL)" "$DEMO/tap.log" || true
sed -n '/sync finished/,$p' "$DEMO/tap.log" | grep -v METRIC  # the table that ends every run

echo "== records per stream in $DEMO/output"
for file in "$DEMO"/output/*.jsonl; do
  printf '  %-22s %6d\n' "$(basename "$file" .jsonl)" "$(wc -l < "$file")"
done
echo "last state (feed it back with --state): $(tail -n 1 "$DEMO/state.json")"
