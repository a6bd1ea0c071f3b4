"""What a search that does not sort costs: search requests for a full read of N records, with the
sandbox's sort honoured and with it ignored (the walk then reads windows that fit a page each).

    .venv/bin/python benchmarks/unsorted_requests.py [N ...]

Customers only, the default tie blocks, 10% of records in the archive; pages of 500 and of 100.
"""

import json
import sys

from common import run_tap

from tap_kustomer.sandbox.server import Sandbox, ServerOptions
from tap_kustomer.sandbox.store import DataOptions


def measure(count, page_size, unsorted):
    options = ServerOptions(search_ignores_sort=unsorted, data=DataOptions(counts={"customers": count, "users": 1}))
    box = Sandbox(options).start()
    try:
        done = run_tap(box, ["customers"], page_size=page_size, max_requests_per_minute=0)
        if done.returncode:
            raise SystemExit(done.stderr[-3000:])
        emitted = {json.loads(line)["record"]["id"] for line in done.stdout.splitlines() if '"RECORD"' in line[:20]}
        requests = sum(n for key, n in box.api.requests.items() if key.endswith("/search"))
        return emitted, requests
    finally:
        box.stop()


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 50_000]
    print("| N | page size | floor ceil(N/page) | requests, sorted | requests, unsorted | unsorted / floor |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        for page in (500, 100):
            emitted, ordered = measure(n, page, False)
            again, windows = measure(n, page, True)
            assert emitted == again, len(emitted ^ again)  # the same records, each at least once
            floor = -(-n // page)
            print(f"| {n:,} | {page} | {floor:,} | {ordered:,} | {windows:,} | {windows / floor:.2f} |")


if __name__ == "__main__":
    main()
