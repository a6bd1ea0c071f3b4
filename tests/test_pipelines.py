"""Real Singer pipelines: tap-kustomer into target-jsonl and into PostgreSQL, and singer-check-tap.

The targets live in their own virtualenvs and PostgreSQL runs on 127.0.0.1, all set up by
scripts/pipelines-setup.sh (which `make test` runs first). Without them, outside CI, these skip.
"""

import json
import os
import shutil
import subprocess
import uuid

import pytest
from conftest import (
    BOOKMARKED,
    ROOT,
    TAP,
    in_scope,
    make_sandbox,
    record_keys,
    sandbox_config,
    selected_catalog,
    write_json,
)

from tap_kustomer.streams import STREAMS

JSONL = ROOT / ".venv-target-jsonl" / "bin" / "target-jsonl"
POSTGRES = ROOT / ".venv-target-postgres" / "bin" / "target-postgres"  # pipelinewise-target-postgres 2.1.2
MELTANO_POSTGRES = ROOT / ".venv-target-postgres-meltano" / "bin" / "target-postgres"  # meltanolabs 0.8.1
CHECK = ROOT / ".venv-singer-tools" / "bin" / "singer-check-tap"
PG = {"host": "127.0.0.1", "port": 5432, "user": "tap_kustomer", "password": "tap_kustomer", "dbname": "tap_kustomer"}


def need(*paths):
    missing = [str(p) for p in paths if not os.path.exists(p)]
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"missing in CI: {missing}; scripts/pipelines-setup.sh should have installed them")
        pytest.skip(f"run `make test` (it sets up {missing})")


def postgres_ready():
    ok = shutil.which("pg_isready") and subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0
    if not ok:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not running on 127.0.0.1; scripts/pipelines-setup.sh should have started it")
        pytest.skip("PostgreSQL is not running on 127.0.0.1 (make test starts it as root)")


def sql(query):
    done = subprocess.run(
        ["psql", "-h", PG["host"], "-U", PG["user"], "-d", PG["dbname"], "-tAc", query],
        capture_output=True,
        text=True,
        env={**os.environ, "PGPASSWORD": PG["password"]},
        check=True,
    )
    return [line.split("|") for line in done.stdout.splitlines() if line]


def discovered_catalog(config, tmp_path):
    done = subprocess.run(
        [*TAP, "-c", write_json(tmp_path / "d_config.json", config), "--discover"],
        capture_output=True,
        text=True,
        check=True,
    )
    catalog = json.loads(done.stdout)
    for entry in catalog["streams"]:
        entry["metadata"][0]["metadata"]["selected"] = True
    return catalog


def tap_command(box, tmp_path, state=None):
    """The tap-kustomer command for the sandbox, with every stream of the discovered catalog selected
    (and a state to start from, if given)."""
    config = sandbox_config(box)
    catalog = discovered_catalog(config, tmp_path)
    argv = [*TAP, "-c", write_json(tmp_path / "config.json", config)]
    argv += ["--catalog", write_json(tmp_path / "catalog.json", catalog)]
    return argv + (["--state", write_json(tmp_path / "state.json", state)] if state else [])


def pipe(tap_argv, target_argv, cwd):
    with open(os.path.join(cwd, "tap.log"), "w+b") as log:  # a file, not a pipe nobody reads meanwhile
        tap = subprocess.Popen(tap_argv, stdout=subprocess.PIPE, stderr=log)
        target = subprocess.run(target_argv, stdin=tap.stdout, capture_output=True, text=True, cwd=cwd, timeout=300)
        tap.stdout.close()
        code = tap.wait()
        log.seek(0)
        assert code == 0, log.read().decode()[-3000:]
    assert target.returncode == 0, target.stderr[-3000:]
    return target


@pytest.fixture(scope="module")
def box():
    sandbox = make_sandbox()
    yield sandbox
    sandbox.stop()


def test_target_jsonl(box, tmp_path):
    need(JSONL)
    tap = tap_command(box, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    target_config = write_json(tmp_path / "target.json", {"destination_path": str(out), "do_timestamp_file": False})
    result = pipe(tap, [str(JSONL), "--config", target_config], tmp_path)
    for name in STREAMS:
        rows = [json.loads(line) for line in (out / f"{name}.jsonl").read_text().splitlines()]
        assert record_keys(name, rows) == in_scope(box, name), name
    for klass in ("order", "device", "subscription"):  # the per-klass streams, selected here too
        rows = [json.loads(line) for line in (out / f"kobjects_{klass}.jsonl").read_text().splitlines()]
        assert {r["id"] for r in rows} == {
            r["id"] for r in box.store.resources["kobjects"] if r["type"] == f"kobject.{klass}"
        }
    state = json.loads(result.stdout.splitlines()[-1])
    per_klass = {name for name in state["bookmarks"] if name.startswith("kobjects_")}
    assert set(state["bookmarks"]) - per_klass == BOOKMARKED and state["currently_syncing"] is None


def test_singer_check_tap_accepts_the_output(box, tmp_path):
    need(CHECK)
    tap = tap_command(box, tmp_path)
    result = pipe(tap, [str(CHECK)], tmp_path)
    assert "The output is valid." in result.stdout
    for name in STREAMS:
        assert f"| {name} " in result.stdout


# target -> (its executable, its connection settings, the column type of an array of objects)
POSTGRES_TARGETS = {
    "pipelinewise-target-postgres": (POSTGRES, {**PG, "batch_size_rows": 5000}, "jsonb"),
    "meltanolabs-target-postgres": (
        MELTANO_POSTGRES,
        {**{k: v for k, v in PG.items() if k != "dbname"}, "database": PG["dbname"]},
        "ARRAY",  # of jsonb
    ),
}


@pytest.mark.parametrize("target", sorted(POSTGRES_TARGETS))
def test_target_postgres_full_then_incremental(box, tmp_path, target):
    executable, settings, array_type = POSTGRES_TARGETS[target]
    need(executable)
    postgres_ready()
    schema = f"kustomer_{uuid.uuid4().hex[:8]}"
    tap = tap_command(box, tmp_path)
    target_config = write_json(tmp_path / "target.json", {**settings, "default_target_schema": schema})
    try:
        first = pipe(tap, [str(executable), "--config", target_config], tmp_path)
        for name, stream in STREAMS.items():
            keys = ", ".join(stream.key_properties)
            ((count, distinct),) = sql(f"SELECT count(*), count(DISTINCT ({keys})) FROM {schema}.{name}")
            assert int(count) == int(distinct) == len(in_scope(box, name)), name
        types = dict(
            sql(
                f"SELECT column_name, data_type FROM information_schema.columns "
                f"WHERE table_schema = '{schema}' AND table_name = 'customers'"
            )
        )
        assert types["updated_at"].startswith("timestamp")
        assert types["conversation_counts"] == "jsonb" and types["custom"] == "jsonb"  # nested objects: JSON
        assert types["emails"] == array_type
        sample = box.store.resources["customers"][3]
        ((emails, counts),) = sql(
            f"SELECT to_jsonb(emails)::text, conversation_counts::text FROM {schema}.customers "
            f"WHERE id = '{sample['id']}'"
        )
        assert json.loads(emails) == sample["attributes"]["emails"]
        assert json.loads(counts) == sample["attributes"]["conversationCounts"]

        state = json.loads(first.stdout.splitlines()[-1])
        touched = [r["id"] for r in box.store.resources["customers"][10:15]]
        for rid in touched:
            box.store.touch("customers", rid)
        tap_again = tap + ["--state", write_json(tmp_path / "state.json", state)]
        pipe(tap_again, [str(executable), "--config", target_config], tmp_path)
        ((count, distinct),) = sql(f"SELECT count(*), count(DISTINCT id) FROM {schema}.customers")
        assert int(count) == int(distinct) == len(in_scope(box, "customers"))  # upserted, not duplicated
        newest = {
            row[0]: row[1]
            for row in sql(
                f'SELECT id, to_char(updated_at, \'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"\') FROM {schema}.customers '
                f"WHERE id IN ({', '.join(repr(t) for t in touched)})"
            )
        }
        assert newest == {rid: box.store.get("customers", rid)["attributes"]["updatedAt"] for rid in touched}
    finally:
        sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def test_a_membership_that_ended_leaves_meltanolabs_target_postgres(tmp_path):
    """team_members is a full table with ACTIVATE_VERSION: a target that supports it drops the rows
    of memberships that ended (hard_delete), or marks them (_sdc_deleted_at) by default."""
    need(MELTANO_POSTGRES)
    postgres_ready()
    box = make_sandbox()
    schema = f"kustomer_{uuid.uuid4().hex[:8]}"
    settings = POSTGRES_TARGETS["meltanolabs-target-postgres"][1]
    target_config = write_json(
        tmp_path / "target.json", {**settings, "default_target_schema": schema, "hard_delete": True}
    )
    config = write_json(tmp_path / "config.json", sandbox_config(box))
    catalog = write_json(tmp_path / "catalog.json", selected_catalog({"teams", "team_members"}))
    tap = [*TAP, "-c", config, "--catalog", catalog]
    try:
        pipe(tap, [str(MELTANO_POSTGRES), "--config", target_config], tmp_path)
        team = next(t for t in box.store.resources["teams"] if len(t["attributes"]["members"]) > 1)
        gone = team["attributes"]["members"].pop()
        pipe(tap, [str(MELTANO_POSTGRES), "--config", target_config], tmp_path)
        rows = {tuple(row) for row in sql(f"SELECT team_id, user_id FROM {schema}.team_members")}
        assert rows == in_scope(box, "team_members") and (team["id"], gone) not in rows
    finally:
        sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        box.stop()


def test_per_klass_streams_are_tables_of_their_own_with_their_own_column_types(box, tmp_path):
    """With custom flattened into columns, each klass's table types its attributes as that klass
    defines them; kobjects, one table for every klass, has to widen (number or text: text)."""
    need(MELTANO_POSTGRES)
    postgres_ready()
    schema = f"kustomer_{uuid.uuid4().hex[:8]}"
    config = sandbox_config(box)
    catalog = discovered_catalog(config, tmp_path)
    for entry in catalog["streams"]:
        entry["metadata"][0]["metadata"]["selected"] = entry["stream"] in (
            "kobjects",
            "kobjects_order",
            "kobjects_device",
        )
    tap = [
        *TAP,
        "-c",
        write_json(tmp_path / "config.json", config),
        "--catalog",
        write_json(tmp_path / "c.json", catalog),
    ]
    settings = {
        **POSTGRES_TARGETS["meltanolabs-target-postgres"][1],
        "flattening_enabled": True,
        "flattening_max_depth": 1,
    }
    target_config = write_json(tmp_path / "target.json", {**settings, "default_target_schema": schema})
    try:
        pipe(tap, [str(MELTANO_POSTGRES), "--config", target_config], tmp_path)
        types = {
            (table, column): kind
            for table, column, kind in sql(
                f"SELECT table_name, column_name, data_type FROM information_schema.columns "
                f"WHERE table_schema = '{schema}' AND column_name LIKE 'custom__%'"
            )
        }
        assert types[("kobjects_order", "custom__legacy_code_num")] == "numeric"
        assert types[("kobjects_device", "custom__legacy_code_num")] == "text"
        assert types[("kobjects", "custom__legacy_code_num")] == "text"  # widened for every klass
        assert not any(table == "kobjects_order" and "firmware" in column for table, column in types)  # device's own
        for klass in ("order", "device"):
            ((count,),) = sql(f"SELECT count(*) FROM {schema}.kobjects_{klass}")
            kind = f"kobject.{klass}"
            assert int(count) == sum(1 for r in box.store.resources["kobjects"] if r["type"] == kind), klass
    finally:
        sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def test_the_cron_wrapper_keeps_the_state_and_exits_with_the_taps_code(tmp_path):
    """examples/sync.sh: a failed stream makes the run exit 3 (cron mails), the state the target
    confirmed is kept, and the next run resumes every stream."""
    need(JSONL)
    box = make_sandbox(broken={"/v1/routing/queues": "500"})
    out = tmp_path / "out"
    out.mkdir()
    write_json(tmp_path / "config.json", sandbox_config(box, max_retry_seconds=1))
    write_json(tmp_path / "catalog.json", selected_catalog({"queues", "tags", "users"}))
    write_json(tmp_path / "target_config.json", {"destination_path": str(out), "do_timestamp_file": False})
    env = {**os.environ, "KUSTOMER_DIR": str(tmp_path), "TARGET": str(JSONL), "TAP": " ".join(TAP)}

    def cron():
        return subprocess.run(["bash", str(ROOT / "examples" / "sync.sh")], env=env, capture_output=True, timeout=120)

    try:
        assert cron().returncode == 3
        state = json.loads((tmp_path / "state.json").read_text())
        assert set(state["bookmarks"]) == {"tags", "users"}
        assert "CRITICAL queues: HTTP 500" in (tmp_path / "tap.log").read_text()
        box.api.options.broken = {}
        assert cron().returncode == 0
        assert set(json.loads((tmp_path / "state.json").read_text())["bookmarks"]) == {"tags", "users", "queues"}
        rows = [json.loads(line) for line in (out / "queues.jsonl").read_text().splitlines()]
        assert record_keys("queues", rows) == in_scope(box, "queues")
    finally:
        box.stop()
