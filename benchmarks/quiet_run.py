"""Requests of a full run, then of a quiet second run (nothing changed since), per stream.

    .venv/bin/python benchmarks/quiet_run.py [--size N] [--page-size P]

The sandbox holds N records of every stream it can (default 5,000: at 100 records a page, a full
listing costs 50 pages; search reads P = 100 a page here for the same reason), users and teams
fewer (every other record names them), and every stream is synced from a catalog discovered from
the sandbox, the per-klass streams and attachments included. Requests come from the tap's own
end-of-run table (the requests made for each stream). A stream whose cost grows with change has a
quiet run of a few requests whatever N is; a full listing (the API cannot filter it) costs its
pages every run.
"""

import argparse
import json
import logging
import sys
import time

from common import run_tap

from tap_kustomer.catalog import discover
from tap_kustomer.client import KustomerClient
from tap_kustomer.config import load_config
from tap_kustomer.outcomes import read_table
from tap_kustomer.sandbox.server import SANDBOX_TOKEN, Sandbox, ServerOptions
from tap_kustomer.sandbox.store import DEFAULT_COUNTS, DataOptions
from tap_kustomer.streams import STREAMS, ChildStream, ListStream, SearchStream
from tap_kustomer.timeutil import now_utc

SMALLER = {"users": 500, "teams": 60}  # every record names them; 500 users are a big org's agents


def kind(name):
    stream = STREAMS.get(name)
    if stream is None or isinstance(stream, SearchStream):  # per-klass streams search too
        return "incremental (search)"
    if not stream.replication_key:
        return "full table"
    if isinstance(stream, ListStream):
        return "full listing"
    if isinstance(stream, ChildStream):
        return f"from {stream.parent}'s listing"
    return "incremental (windows)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    logging.getLogger("tap_kustomer").setLevel(logging.WARNING)  # discovery's request lines: not here
    counts = {name: SMALLER.get(name, args.size) for name in DEFAULT_COUNTS}
    began = time.monotonic()
    box = Sandbox(ServerOptions(data=DataOptions(counts=counts, seed=3))).start()
    print(f"sandbox: {args.size:,} records a stream, made in {time.monotonic() - began:.0f}s", file=sys.stderr)
    try:
        raw = {"api_token": SANDBOX_TOKEN, "start_date": "2015-01-01T00:00:00Z", "base_url": box.base_url}
        catalog = discover(KustomerClient(load_config(raw, now_utc(), lambda *a: None)))
        names = [entry["stream"] for entry in catalog["streams"]]
        settings = {"page_size": args.page_size, "search_lag_seconds": 0, "max_requests_per_minute": 0}
        runs = []
        state = None
        for _ in range(2):
            done = run_tap(box, names, state, catalog, **settings)
            if done.returncode:
                raise SystemExit(done.stderr[-3000:])
            states = [x for x in done.stdout.splitlines() if x.startswith('{"type": "STATE"')]
            state = json.loads(states[-1])["value"]
            runs.append({name: row[2:4] for name, row in read_table(done.stderr).items()})
        full, quiet = runs
        print("| stream | records | requests, full run | requests, quiet second run | replication |")
        print("|---|---:|---:|---:|---|")
        for name in sorted(full):
            print(f"| {name} | {full[name][0]:,} | {full[name][1]:,} | {quiet[name][1]:,} | {kind(name)} |")
        incremental = [n for n in full if kind(n).startswith("incremental")]
        print(
            f"\nall {len(full)} streams: {sum(r[1] for r in full.values()):,} requests, then "
            f"{sum(r[1] for r in quiet.values()):,}; the {len(incremental)} incremental ones: "
            f"{sum(full[n][1] for n in incremental):,}, then {sum(quiet[n][1] for n in incremental):,}"
        )
    finally:
        box.stop()


if __name__ == "__main__":
    main()
