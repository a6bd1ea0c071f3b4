"""Where the tap keeps its own fast path beside singer-python and pendulum, and what each saves.

    .venv/bin/python benchmarks/toolkit.py            # 5,000 sandbox customers, best of 5

Each line times one job done both ways on the same records, in this process, and prints CPU
microseconds per record (or per value):
- record: singer-python's Transformer against the tap's compiled conformer (RecordMaker);
- line: singer.format_message(RecordMessage) written and flushed per record (what singer.write_record
  does) against the tap's Writer (orjson, a page per write), and against the Writer on the standard
  library's json (what the tap does without orjson);
- timestamp: pendulum.parse plus the canonical format against the UTC_Z pass-through, for a
  timestamp already in the API's form.
"""

import argparse
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pendulum  # noqa: E402
import singer  # noqa: E402

from tap_kustomer.catalog import load_schema  # noqa: E402
from tap_kustomer.sandbox.store import DataOptions, Store  # noqa: E402
from tap_kustomer.timeutil import UTC, UTC_Z, format_instant  # noqa: E402
from tap_kustomer.transform import RecordMaker, snake_deep  # noqa: E402
from tap_kustomer.writer import Writer  # noqa: E402


def best(fn, reps):
    times = []
    for _ in range(reps):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return min(times)


def flat(resource):
    """What singer's Transformer is given in taps that use it: the resource flattened, keys in snake_case."""
    record = {"id": resource["id"], "type": resource["type"], **snake_deep(resource["attributes"])}
    for name, rel in (resource.get("relationships") or {}).items():
        if isinstance(rel, dict) and isinstance(rel.get("data"), dict):
            record[snake_deep({name: 0}).popitem()[0]] = {"type": rel["data"]["type"], "id": rel["data"]["id"]}
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    store = Store(DataOptions(counts={"customers": args.records, "users": 20}, archive_fraction=0, seed=7))
    resources = store.resources["customers"]
    schema = load_schema("customers")
    schema["properties"]["custom"] = {"type": ["null", "object"], "additionalProperties": True}
    n = len(resources)
    rows = []

    make = RecordMaker(schema)
    records = [make(r) for r in resources]
    flats = [flat(r) for r in resources]
    transformer = singer.Transformer()
    ours = best(lambda: [make(r) for r in resources], args.reps)
    theirs = best(lambda: [transformer.transform(r, schema) for r in flats], args.reps)
    rows.append(("record", "singer.Transformer", theirs / n, "RecordMaker", ours / n))

    extracted = pendulum.now(UTC)
    sink = open(os.devnull, "w")  # noqa: SIM115

    def singer_lines():
        for record in records:
            sink.write(singer.format_message(singer.RecordMessage("customers", record, time_extracted=extracted)))
            sink.write("\n")
            sink.flush()

    def writer_lines(fast):
        out = io.StringIO()
        writer = Writer(out, fast=fast)
        for at in range(0, n, 500):
            writer.records("customers", records[at : at + 500], extracted)

    theirs = best(singer_lines, args.reps)
    rows.append(
        (
            "line",
            "singer.format_message + flush",
            theirs / n,
            "Writer (orjson)",
            best(lambda: writer_lines(True), args.reps) / n,
        )
    )
    rows.append(
        (
            "line",
            "singer.format_message + flush",
            theirs / n,
            "Writer (json)",
            best(lambda: writer_lines(False), args.reps) / n,
        )
    )

    rng = random.Random(1)
    stamps = [r["attributes"]["updatedAt"] for r in rng.sample(resources, min(n, 2000))]
    theirs = best(lambda: [format_instant(pendulum.parse(s)) for s in stamps], args.reps)
    ours = best(lambda: [s for s in stamps if UTC_Z.fullmatch(s)], args.reps)
    rows.append(
        ("timestamp", "pendulum.parse + format", theirs / len(stamps), "UTC_Z pass-through", ours / len(stamps))
    )

    print(f"{n} sandbox customers (every field filled), CPU per record or value, best of {args.reps}:\n")
    print("| job | singer-python / pendulum | µs | the tap's path | µs | saved |")
    print("|---|---|---:|---|---:|---:|")
    for job, their_name, their, our_name, our in rows:
        print(f"| {job} | {their_name} | {their * 1e6:.1f} | {our_name} | {our * 1e6:.1f} | {their / our:.1f}x |")


if __name__ == "__main__":
    main()
