"""How many search requests a full read of N records takes, against the floor ceil(N / page_size).

    .venv/bin/python benchmarks/search_requests.py [N ...]

Runs the tap-kustomer command against the local sandbox (customers only, the default tie blocks,
10% of records in the archive) and prints one row per N.
"""

import sys

from common import run_tap

from tap_kustomer.sandbox.server import Sandbox, ServerOptions
from tap_kustomer.sandbox.store import DataOptions


def measure(count, page_size=500):
    box = Sandbox(ServerOptions(data=DataOptions(counts={"customers": count, "users": 1}))).start()
    try:
        done = run_tap(box, ["customers"], page_size=page_size)
        if done.returncode:
            raise SystemExit(done.stderr[-3000:])
        emitted = sum(1 for line in done.stdout.splitlines() if line.startswith('{"type":"RECORD"'))
        search = box.api.requests.get("POST /v1/customers/search", 0)
        archive = box.api.requests.get("POST /v1/customers/archive/search", 0)
        return emitted, search, archive
    finally:
        box.stop()


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1_000, 10_000, 60_000]
    print(f"{'N':>8} {'emitted':>8} {'search':>7} {'archive':>8} {'total':>6} {'floor':>6} {'extra':>6}")
    for n in sizes:
        emitted, search, archive = measure(n)
        floor = -(-n // 500)
        total = search + archive
        print(f"{n:>8} {emitted:>8} {search:>7} {archive:>8} {total:>6} {floor:>6} {total - floor:>6}")


if __name__ == "__main__":
    main()
