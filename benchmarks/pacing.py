"""Pacing at the limit: a multi-stream sync against a sandbox that enforces the search budget.

    .venv/bin/python benchmarks/pacing.py [--window 30] [--latency 0.5] [--requests 300]

Kustomer allows 100 search requests a minute per API key and a search page takes about a second.
To keep the run short, the window and the latency shrink by the same factor (default: 100 searches
per 30 s window, 0.5 s per search page). The sync reads five search streams at page size 100 so
that it needs about --requests searches. Reported: searches per second against the budget-bound
rate, 429s, the busiest 60 seconds against max_requests_per_minute, and the same with one stream
at a time for comparison.
"""

import argparse
import time

from common import run_tap

from tap_kustomer.sandbox.server import Sandbox, ServerOptions
from tap_kustomer.sandbox.store import DataOptions

STREAMS = ("conversations", "customers", "kobjects", "messages", "notes")


def run(args, concurrency, ceiling):
    per_stream = args.requests * 100 // len(STREAMS)
    data = DataOptions(counts={**{s: per_stream for s in STREAMS}, "users": 5}, archive_fraction=0.0, seed=3)
    options = ServerOptions(
        data=data, search_budget=100, org_budget=1000, window_seconds=args.window, search_latency=args.latency
    )
    box = Sandbox(options).start()
    try:
        started = time.time()
        done = run_tap(
            box,
            STREAMS,
            start_date="2025-01-01T00:00:00Z",
            page_size=100,
            max_concurrent_streams=concurrency,
            max_requests_per_minute=ceiling,
        )
        elapsed = time.time() - started
        if done.returncode:
            raise SystemExit(done.stderr[-3000:])
    finally:
        box.stop()
    log = box.api.log
    searches = [t for t, key, status in log if key.endswith("/search") and status == 200]
    rejected = sum(1 for _, _, status in log if status == 429)
    span = searches[-1] - searches[0]
    rate = (len(searches) - 1) / span if span else 0
    budget = 100 / args.window
    busiest = max(sum(1 for u, _, _ in log if t <= u < t + 60) for t, _, _ in log)
    return {
        "concurrency": concurrency,
        "searches": len(searches),
        "rate": rate,
        "share": rate / budget,
        "429s": rejected,
        "busiest_60s": busiest,
        "ceiling": ceiling,
        "elapsed": elapsed,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--window", type=float, default=30.0)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--ceiling", type=int, default=200, help="max_requests_per_minute for the run")
    args = parser.parse_args()
    print(
        f"search budget 100 per {args.window:g} s window ({100 / args.window:.2f}/s), {args.latency:g} s per search page\n"
    )
    print(
        "| streams at once | searches | searches/s | share of budget-bound rate | 429s | busiest 60 s | max_requests_per_minute | wall s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for concurrency in (3, 1):
        r = run(args, concurrency, args.ceiling)
        print(
            f"| {r['concurrency']} | {r['searches']} | {r['rate']:.2f} | {r['share']:.0%} | {r['429s']} | "
            f"{r['busiest_60s']} | {r['ceiling']} | {r['elapsed']:.0f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
