"""What each UNCONFIRMED fact answered the other way costs: every stream synced from the default
sandbox org, then from the same org with one contrary switch on (and with all of them), per run the
streams' outcomes, the records written and the requests made.

    .venv/bin/python benchmarks/contrary_requests.py [--switch NAME ...] [--page-size P]

The org is the sandbox's default one (the demo's); every stream of the catalog made without an org
is selected, attachments included. tests/test_contrary.py checks, switch by switch, that the records
are every record the org holds in scope (or that the stream says what it did not read): this prints
what that costs in requests, next to the default org's.
"""

import argparse
import sys
import time

from common import run_tap

from tap_kustomer.catalog import discover
from tap_kustomer.outcomes import read_table
from tap_kustomer.sandbox import contrary
from tap_kustomer.sandbox.server import Sandbox, ServerOptions


def sync(names, page_size):
    """(outcome counts, records, requests, facts met, seconds) of one full run against an org with
    the contrary switches `names` on."""
    box = Sandbox(contrary.apply(ServerOptions(), names)).start()
    try:
        streams = [entry["stream"] for entry in discover()["streams"]]
        began = time.monotonic()
        done = run_tap(box, streams, page_size=page_size, max_requests_per_minute=0, search_lag_seconds=0)
        seconds = time.monotonic() - began
    finally:
        box.stop()
    rows = {
        name: (status, records, requests, met)
        for name, (status, _, records, requests, met) in read_table(done.stderr).items()
    }
    outcomes = {}
    for outcome, *_ in rows.values():
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    facts = sorted({fact for *_, met in rows.values() for fact in met})
    records = sum(row[1] for row in rows.values())
    requests = sum(row[2] for row in rows.values())
    return outcomes, records, requests, facts, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--switch", action="append", help="only these switches (default: each one, then all)")
    parser.add_argument("--page-size", type=int, default=100)
    args = parser.parse_args()
    switches = args.switch or [*contrary.CONTRARY, "all"]
    base = sync([], args.page_size)
    print("| org | outcomes | records | requests | vs default | facts met | s |")
    print("|---|---|---:|---:|---:|---|---:|")
    for name, (outcomes, records, requests, facts, seconds) in [("default", base)] + [
        (name, sync([name], args.page_size)) for name in switches
    ]:
        said = ", ".join(f"{n} {o}" for o, n in sorted(outcomes.items()))
        extra = f"{requests - base[2]:+,}" if name != "default" else ""
        print(f"| {name} | {said} | {records:,} | {requests:,} | {extra} | {', '.join(facts)} | {seconds:.1f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
