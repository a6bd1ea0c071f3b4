"""An outage in the middle of a sync, in real time: every request fails with 503 for S seconds.

    .venv/bin/python benchmarks/outage.py                     # a 120 s outage, the default budget
    .venv/bin/python benchmarks/outage.py --outage 120 --budget 60   # longer than the budget: stop, resume

The sandbox serves 3,000 customers in pages of 100 and goes down after 8 requests. The tap runs
as a user runs it (default settings but max_retry_seconds); the script reports its exit code, its
time, the retries it logged, and whether every customer in scope reached stdout, resuming from the
last STATE once the outage is over when the first run stopped.
"""

import argparse
import json
import sys
import time

from common import run_tap

from tap_kustomer.sandbox.server import Sandbox, ServerOptions
from tap_kustomer.sandbox.store import DataOptions


def records(done):
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    ids = {m["record"]["id"] for m in lines if m["type"] == "RECORD"}
    states = [m["value"] for m in lines if m["type"] == "STATE"]
    return ids, states[-1] if states else None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--outage", type=float, default=120.0, help="seconds every request fails")
    parser.add_argument("--budget", type=float, default=600.0, help="max_retry_seconds for the tap")
    parser.add_argument("--after", type=int, default=8, help="requests served before the outage")
    args = parser.parse_args()
    data = DataOptions(counts={"customers": 3000, "users": 5}, archive_fraction=0, seed=5)
    box = Sandbox(ServerOptions(data=data, outage_after=args.after, outage_seconds=args.outage)).start()
    try:
        scope = {r["id"] for r in box.store.resources["customers"]}
        began = time.monotonic()
        done = run_tap(box, {"customers"}, page_size=100, max_retry_seconds=args.budget)
        elapsed = time.monotonic() - began
        ids, state = records(done)
        retries = done.stderr.count("failed (HTTP 503")
        critical = [line for line in done.stderr.splitlines() if line.startswith("CRITICAL")]
        print(f"outage {args.outage:g}s after {args.after} requests, max_retry_seconds {args.budget:g}:")
        print(
            f"  run 1: exit {done.returncode} in {elapsed:.0f}s, {retries} retries logged, {len(ids)} of {len(scope)} customers"
        )
        for line in critical:
            print(f"  {line[:300]}")
        if done.returncode != 0:
            box.api.options.outage_after = 0  # the outage is over
            again = run_tap(box, {"customers"}, page_size=100, max_retry_seconds=args.budget, state=state)
            more, _ = records(again)
            print(f"  run 2 (resumed from the last STATE): exit {again.returncode}, {len(more)} customers")
            ids |= more
        print(f"  every customer in scope reached stdout: {ids == scope} ({len(scope - ids)} missing)")
    finally:
        box.stop()
    sys.exit(0 if ids == scope else 1)


if __name__ == "__main__":
    main()
