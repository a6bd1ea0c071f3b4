"""Benchmark: tap-kustomer against tap-kustomer 1.1.0 (PyPI) and a floor client, on the same sandbox data.

    .venv/bin/python benchmarks/bench.py                      # 25k customers + 25k conversations, 3 reps
    .venv/bin/python benchmarks/bench.py --records 50000 --reps 5
    .venv/bin/python benchmarks/bench.py --memory 30000,300000 --skip-compare   # peak RSS at two sizes

Each client runs as its own process against the local sandbox (started here, records generated the
way real orgs fill them); its CPU time and peak RSS come from wait4(), its records from its stdout,
its requests from the sandbox's counters. The peer is installed into .venv-peer on first use and
pointed at the sandbox by benchmarks/peer_shim/sitecustomize.py. The peer crashes on relationships
whose data is null, so the sandbox renders those as links only here. CPU includes interpreter start.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tap_kustomer.sandbox.server import SANDBOX_TOKEN, Sandbox, ServerOptions  # noqa: E402
from tap_kustomer.sandbox.store import DataOptions  # noqa: E402

PEER_VENV = ROOT / ".venv-peer"
PEER_VERSION = "1.1.0"
STREAMS = {"customers": "customer", "conversations": "conversation"}


def ensure_peer():
    tap = PEER_VENV / "bin" / "tap-kustomer"
    if not tap.exists():
        print(f"installing tap-kustomer=={PEER_VERSION} into {PEER_VENV} ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run(
            [str(PEER_VENV / "bin" / "pip"), "install", "--quiet", f"tap-kustomer=={PEER_VERSION}"], check=True
        )
    return tap


def measure(argv, env, workdir, label):
    """Run one client to completion: wall and CPU seconds, peak RSS, records written."""
    out_path, err_path = workdir / f"{label}.out", workdir / f"{label}.err"
    started = time.perf_counter()
    with open(err_path, "w") as err:
        code = subprocess.call(
            [sys.executable, str(ROOT / "benchmarks" / "measure_child.py"), str(out_path), "--", *argv],
            stderr=err,
            env=env,
        )
    wall = time.perf_counter() - started
    lines = err_path.read_text().splitlines()
    if code != 0 or not lines:
        raise SystemExit(f"{label} failed:\n{chr(10).join(lines[-30:])}")
    usage = json.loads(lines[-1])
    records = 0
    with open(out_path) as out:
        for line in out:
            if line.startswith('{"type":"RECORD"') or line.startswith('{"type": "RECORD"'):
                records += 1
    return {"wall": wall, "cpu": usage["user"] + usage["sys"], "rss_mb": usage["maxrss_kb"] / 1024, "records": records}


def write_json(path, value):
    path.write_text(json.dumps(value))
    return str(path)


class Clients:
    """The argv and environment of each contender, set up once per sandbox."""

    def __init__(self, box, workdir, start, streams, peer=True):
        self.box, self.workdir = box, workdir
        ours_config = write_json(
            workdir / "ours_config.json",
            {"api_token": SANDBOX_TOKEN, "start_date": start, "base_url": box.base_url, "page_size": 500},
        )
        catalog = json.loads(
            subprocess.run(
                [sys.executable, "-m", "tap_kustomer", "-c", ours_config, "--discover"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
        )
        for entry in catalog["streams"]:
            entry["metadata"][0]["metadata"]["selected"] = entry["stream"] in streams
        ours_catalog = write_json(workdir / "ours_catalog.json", catalog)
        self.argv = {
            "tap-kustomer": [sys.executable, "-m", "tap_kustomer", "-c", ours_config, "--catalog", ours_catalog],
            "floor": [
                sys.executable,
                str(ROOT / "benchmarks" / "floor_client.py"),
                box.base_url,
                SANDBOX_TOKEN,
                start,
                "500",
            ]
            + [f"{s}={STREAMS[s]}" for s in streams],
        }
        self.env = {name: dict(os.environ) for name in ("tap-kustomer", "floor")}
        if peer:
            tap = ensure_peer()
            peer_config = write_json(
                workdir / "peer_config.json",
                {"api_token": SANDBOX_TOKEN, "start_date": start, "user_agent": "bench", "page_size_limit": "500"},
            )
            env = {**os.environ, "PYTHONPATH": str(ROOT / "benchmarks" / "peer_shim"), "PEER_BASE_URL": box.base_url}
            peer_catalog = json.loads(
                subprocess.run(
                    [str(tap), "-c", peer_config, "--discover"], env=env, capture_output=True, text=True, check=True
                ).stdout
            )
            for entry in peer_catalog["streams"]:
                if entry["tap_stream_id"] in streams:
                    for item in entry["metadata"]:
                        if item["breadcrumb"] == []:
                            item["metadata"]["selected"] = True
            self.argv["tap-kustomer 1.1.0"] = [
                str(tap),
                "-c",
                peer_config,
                "--catalog",
                write_json(workdir / "peer_catalog.json", peer_catalog),
            ]
            self.env["tap-kustomer 1.1.0"] = env

    def run(self, name, rep):
        before = dict(self.box.api.requests)
        result = measure(self.argv[name], self.env[name], self.workdir, f"{name.replace(' ', '_')}_{rep}")
        result["requests"] = {
            k: v - before.get(k, 0) for k, v in self.box.api.requests.items() if v != before.get(k, 0)
        }
        return result


def sandbox_for(counts, links_only):
    data = DataOptions(counts={**counts, "users": 20}, archive_fraction=0.0, links_only_null_data=links_only, seed=7)
    started = time.perf_counter()
    box = Sandbox(ServerOptions(data=data, page_cap=100_000)).start()
    print(f"sandbox: {counts} generated in {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return box


def compare(args, start):
    streams = list(STREAMS)
    box = sandbox_for({s: args.records // len(streams) for s in streams}, links_only=True)
    results = {}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            clients = Clients(box, Path(tmp), start, streams, peer=not args.skip_peer)
            for rep in range(args.reps):
                for name in clients.argv:
                    results.setdefault(name, []).append(clients.run(name, rep))
                    r = results[name][-1]
                    print(
                        f"  rep {rep + 1} {name}: {r['records']} records, {r['cpu']:.2f}s CPU, "
                        f"{r['wall']:.2f}s wall, {r['rss_mb']:.0f} MB",
                        file=sys.stderr,
                    )
    finally:
        box.stop()
    table = []
    for name, runs in results.items():
        med = {k: statistics.median(r[k] for r in runs) for k in ("wall", "cpu", "rss_mb", "records")}
        med["us_per_record"] = statistics.median(r["cpu"] / r["records"] * 1e6 for r in runs)
        med["records_per_s"] = statistics.median(r["records"] / r["wall"] for r in runs)
        med["requests"] = runs[-1]["requests"]
        table.append((name, med))
    print(f"\n{args.records} records ({', '.join(streams)}), {args.reps} repetitions, medians:\n")
    print("| client | records | wall s | CPU s | records/s | CPU µs/record | peak RSS MB | requests |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name, m in table:
        reqs = ", ".join(f"{k} {v}" for k, v in sorted(m["requests"].items()))
        print(
            f"| {name} | {m['records']:.0f} | {m['wall']:.2f} | {m['cpu']:.2f} | {m['records_per_s']:.0f} | "
            f"{m['us_per_record']:.0f} | {m['rss_mb']:.0f} | {reqs} |"
        )
    per = dict((name, m["us_per_record"]) for name, m in table)
    ours = per["tap-kustomer"]
    print()
    if "tap-kustomer 1.1.0" in per:
        print(
            f"CPU per record, tap-kustomer / tap-kustomer 1.1.0: {ours / per['tap-kustomer 1.1.0']:.3f} "
            f"({per['tap-kustomer 1.1.0'] / ours:.1f}x less)"
        )
    print(f"CPU per record, tap-kustomer / floor client: {ours / per['floor']:.2f}")


def memory(args, start):
    print(
        "\n| customers | records written (N) | peak RSS MB | wall s | CPU µs/record | search requests | ceil(N/500) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.memory:
        box = sandbox_for({"customers": size}, links_only=False)
        try:
            with tempfile.TemporaryDirectory() as tmp:
                clients = Clients(box, Path(tmp), start, ["customers"], peer=False)
                r = clients.run("tap-kustomer", 0)
        finally:
            box.stop()
        search = r["requests"].get("POST /v1/customers/search", 0)
        print(
            f"| {size} | {r['records']} | {r['rss_mb']:.1f} | {r['wall']:.1f} | {r['cpu'] / r['records'] * 1e6:.0f} | "
            f"{search} | {-(-r['records'] // 500)} |",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=50_000, help="records in all, split over the streams")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--skip-peer", action="store_true", help="leave tap-kustomer 1.1.0 out")
    parser.add_argument("--skip-compare", action="store_true", help="only the --memory runs")
    parser.add_argument(
        "--memory",
        type=lambda v: [int(x) for x in v.split(",")],
        default=[],
        help="customer counts for peak-RSS runs of tap-kustomer alone, e.g. 30000,300000",
    )
    args = parser.parse_args()
    # inside the two-year search window (where both taps read the same records) and past the archive margin
    start = (datetime.now(timezone.utc) - timedelta(days=728)).strftime("%Y-%m-%dT%H:%M:%SZ")
    if not args.skip_compare:
        compare(args, start)
    if args.memory:
        memory(args, start)


if __name__ == "__main__":
    main()
