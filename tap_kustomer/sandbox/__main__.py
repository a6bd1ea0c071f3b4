"""python -m tap_kustomer.sandbox: run the local fake Kustomer API until stopped."""

import argparse
import json
import signal
import sys
import threading

from tap_kustomer.sandbox import contrary
from tap_kustomer.sandbox.data.oddities import ODD_SHAPES
from tap_kustomer.sandbox.server import BREAK_MODES, Sandbox, ServerOptions
from tap_kustomer.sandbox.store import DEFAULT_COUNTS, DataOptions


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tap_kustomer.sandbox", description=__doc__)
    parser.add_argument("--port", type=int, default=8765, help="port on 127.0.0.1 (0 picks a free one)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the generated data")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the default record counts")
    parser.add_argument("--count", action="append", default=[], metavar="STREAM=N", help="records for one stream")
    parser.add_argument("--page-cap", type=int, default=100, help="pages one search query serves")
    parser.add_argument("--window", type=float, default=60.0, help="rate-limit window in seconds")
    parser.add_argument("--org-budget", type=int, default=0, help="requests per window (0: unlimited)")
    parser.add_argument("--search-budget", type=int, default=0, help="search requests per window (0: unlimited)")
    parser.add_argument("--search-latency", type=float, default=0.0, help="seconds added to each search answer")
    parser.add_argument("--outage-after", type=int, default=0, metavar="N", help="after N requests, answer 503 ...")
    parser.add_argument("--outage-seconds", type=float, default=0.0, metavar="S", help="... to everything for S s")
    parser.add_argument("--search-ignores-filter", action="store_true", help="searches answer as if unfiltered")
    parser.add_argument("--search-ignores-sort", action="store_true", help="searches answer updatedAt descending")
    parser.add_argument("--list-ignores-page", action="store_true", help="lists always answer page 1")
    parser.add_argument("--list-page-max", type=int, default=0, metavar="N", help="lists clamp pageSize to N")
    parser.add_argument("--audit-oldest-first", action="store_true", help="the audit log answers oldest first")
    parser.add_argument("--audit-ignores-filter", action="store_true", help="the audit log ignores filter[*]")
    parser.add_argument("--audit-next-repeats", action="store_true", help="the audit log's links.next never moves")
    parser.add_argument(
        "--audit-next-keeps-filter", action="store_true", help="the audit log's links.next repeats filter[start/end]"
    )
    parser.add_argument("--missing", action="append", default=[], metavar="STREAM", help="answer 404 on its path")
    parser.add_argument(
        "--break",
        dest="broken",
        action="append",
        default=[],
        metavar="TARGET=MODE",
        help="break one path or search context (/v1/tags=500, search:work_session=nodata, archive:note=400; "
        "MODE@N answers the first N normally)",
    )
    parser.add_argument(
        "--archive-refuses",
        action="append",
        default=[],
        metavar="CONTEXT",
        help="a context the archive answers 400 for (default: none; --contrary archive-refuses refuses the "
        "contexts its docs leave out: note, conversation_time, work_item, work_session); repeat",
    )
    parser.add_argument(
        "--odd-shape",
        action="append",
        default=[],
        choices=sorted(ODD_SHAPES),
        help="serve a shape Kustomer's OpenAPI description does not document (docs/sandbox.md)",
    )
    parser.add_argument(
        "--contrary",
        action="append",
        default=[],
        choices=("all", *contrary.CONTRARY),
        metavar="FACT",
        help="answer one UNCONFIRMED fact the other way (repeat; 'all' for every one that fits with the others): "
        + ", ".join(contrary.CONTRARY),
    )
    parser.add_argument("--config-out", help="write a tap config for this sandbox to this path")
    args = parser.parse_args(argv)

    for item in args.broken:
        target, _, mode = item.partition("=")
        if not target or mode.partition("@")[0] not in BREAK_MODES or not (mode.partition("@")[2] or "0").isdigit():
            parser.error(f"--break wants TARGET=MODE[@N] with MODE one of {', '.join(BREAK_MODES)}")
    counts = {name: int(n * args.scale) for name, n in DEFAULT_COUNTS.items()}
    for item in args.count:
        name, _, value = item.partition("=")
        if name not in counts or not value.isdigit():
            parser.error(f"--count wants STREAM=N with STREAM one of {', '.join(counts)}")
        counts[name] = int(value)
    options = ServerOptions(
        page_cap=args.page_cap,
        window_seconds=args.window,
        org_budget=args.org_budget,
        search_budget=args.search_budget,
        search_latency=args.search_latency,
        outage_after=args.outage_after,
        outage_seconds=args.outage_seconds,
        search_ignores_filter=args.search_ignores_filter,
        search_ignores_sort=args.search_ignores_sort,
        list_ignores_page=args.list_ignores_page,
        list_page_max=args.list_page_max,
        audit_oldest_first=args.audit_oldest_first,
        audit_ignores_filter=args.audit_ignores_filter,
        audit_next_repeats=args.audit_next_repeats,
        audit_next_keeps_filter=args.audit_next_keeps_filter,
        missing=tuple(args.missing),
        broken=dict(item.partition("=")[::2] for item in args.broken),
        archive_refuses_contexts=tuple(c for c in args.archive_refuses if c),
        data=DataOptions(seed=args.seed, counts=counts, odd_shapes=tuple(args.odd_shape)),
    )
    options = contrary.apply(options, args.contrary)
    sandbox = Sandbox(options, port=args.port).start()
    if args.config_out:
        with open(args.config_out, "w", encoding="utf-8") as handle:
            json.dump(
                {
                    "api_token": options.token,
                    "start_date": "2020-01-01T00:00:00Z",
                    "base_url": sandbox.base_url,
                    "max_requests_per_minute": 0,  # no org here whose agents need a share of the budget
                },
                handle,
                indent=2,
            )
    print(
        f"sandbox listening on {sandbox.base_url} (token {options.token!r}); records: "
        + ", ".join(f"{k} {len(v)}" for k, v in sandbox.store.resources.items())
        + (f"; contrary: {', '.join(options.contrary)}" if options.contrary else ""),
        file=sys.stderr,
        flush=True,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    sandbox.stop()


if __name__ == "__main__":
    main()
