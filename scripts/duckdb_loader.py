"""A Singer target for DuckDB: Singer messages on stdin, one table per stream in one schema of a
DuckDB file. Run through scripts/load-duckdb, which installs duckdb (the version dbt/requirements.txt
pins) into a virtualenv of its own.

    load-duckdb PATH SCHEMA [--batch-rows N]

- Each stream's SCHEMA message types its table: integer BIGINT, number DOUBLE, boolean BOOLEAN,
  a string with format date-time TIMESTAMP WITH TIME ZONE, any other string VARCHAR, objects, arrays and
  anything else JSON. A later SCHEMA adds the columns it names; a column whose type changes stops
  the load with a message (DuckDB cannot alter it in place without losing what it holds).
- RECORDs are written to a newline-delimited JSON file per stream and loaded with DuckDB's
  read_json, typed from the SCHEMA (no CSV, no sniffing: the first record of a batch is a record
  like the others). A stream with key properties is upserted: the latest record of a key replaces
  the row it had. Each row gets _sdc_batched_at (when its batch was loaded), _sdc_sequence
  (increasing in the order records arrived, across runs), _sdc_extracted_at and
  _sdc_table_version when the tap sent them.
- ACTIVATE_VERSION deletes the stream's rows of other versions (rows a full table no longer has).
- A STATE is written to stdout once every record before it is loaded, as Singer targets do.
Exits 0 once everything read is loaded.
"""

import argparse
import json
import os
import sys
import tempfile
import time

import duckdb

METADATA = {
    "_sdc_batched_at": "TIMESTAMP WITH TIME ZONE",
    "_sdc_sequence": "BIGINT",
    "_sdc_extracted_at": "TIMESTAMP WITH TIME ZONE",
    "_sdc_table_version": "BIGINT",
}


class LoadError(Exception):
    pass


def quote(name):
    return '"' + name.replace('"', '""') + '"'


def literal(text):
    return "'" + text.replace("'", "''") + "'"


def column_type(schema):
    """The DuckDB type of a JSON Schema property."""
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else list(types)
    kinds = [t for t in types if t != "null"]
    if "anyOf" in schema or len(kinds) != 1:
        return "JSON"
    kind = kinds[0]
    if kind == "string":
        return "TIMESTAMP WITH TIME ZONE" if schema.get("format") == "date-time" else "VARCHAR"
    return {"integer": "BIGINT", "number": "DOUBLE", "boolean": "BOOLEAN"}.get(kind, "JSON")


class Stream:
    def __init__(self, loader, name):
        self.loader, self.name = loader, name
        self.columns = {}  # name -> DuckDB type, the table's columns
        self.keys = []
        self.buffer = None
        self.pending = 0

    @property
    def table(self):
        return f"{self.loader.qualified_schema}.{quote(self.name)}"

    def apply_schema(self, message):
        wanted = {name: column_type(prop) for name, prop in message["schema"].get("properties", {}).items()}
        wanted.update(METADATA)
        self.flush()
        existing = self.loader.table_columns(self.name)
        if not existing:
            columns = ", ".join(f"{quote(name)} {kind}" for name, kind in wanted.items())
            self.loader.db.execute(f"CREATE TABLE {self.table} ({columns})")
            existing = dict(wanted)
        for name, kind in wanted.items():
            if name not in existing:
                self.loader.db.execute(f"ALTER TABLE {self.table} ADD COLUMN {quote(name)} {kind}")
                existing[name] = kind
            elif existing[name] != kind:
                raise LoadError(
                    f"{self.name}.{name} was {existing[name]} and the new SCHEMA makes it {kind}: "
                    f"drop or rename {self.loader.schema}.{self.name} and load again"
                )
        self.columns = existing
        self.keys = list(message.get("key_properties") or [])
        missing = [key for key in self.keys if key not in self.columns]
        if missing:
            raise LoadError(f"{self.name}: key properties {missing} are not in its SCHEMA")

    def add(self, message):
        if self.buffer is None:
            self.buffer = tempfile.NamedTemporaryFile("w", suffix=".jsonl", dir=self.loader.workdir, delete=False)
        row = dict(message["record"])
        row["_sdc_sequence"] = self.loader.next_sequence()
        if message.get("time_extracted"):
            row["_sdc_extracted_at"] = message["time_extracted"]
        if message.get("version") is not None:
            row["_sdc_table_version"] = message["version"]
        self.buffer.write(json.dumps(row, separators=(",", ":")) + "\n")
        self.pending += 1

    def flush(self):
        if not self.pending:
            return
        path, self.buffer = self.buffer.name, self.buffer.close()
        types = {name: kind for name, kind in self.columns.items() if name != "_sdc_batched_at"}
        spec = "{" + ", ".join(f"{literal(name)}: {literal(kind)}" for name, kind in types.items()) + "}"
        read = f"read_json({literal(path)}, format = 'newline_delimited', columns = {spec})"
        db = self.loader.db
        db.execute("BEGIN TRANSACTION")
        try:
            db.execute(f"CREATE OR REPLACE TEMP TABLE kustomer_batch AS SELECT *, now() AS _sdc_batched_at FROM {read}")
            if self.keys:
                keys = ", ".join(quote(key) for key in self.keys)
                match = " AND ".join(f"loaded.{quote(key)} = batch.{quote(key)}" for key in self.keys)
                db.execute(
                    f"DELETE FROM {self.table} AS loaded USING (SELECT DISTINCT {keys} FROM kustomer_batch) AS batch "
                    f"WHERE {match}"
                )
                latest = f"QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY _sdc_sequence DESC) = 1"
            else:
                latest = ""
            db.execute(f"INSERT INTO {self.table} BY NAME SELECT * FROM kustomer_batch {latest}")
            db.execute("DROP TABLE kustomer_batch")
            db.execute("COMMIT")
        except Exception:
            db.execute("ROLLBACK")
            raise
        finally:
            os.unlink(path)
        self.loader.loaded[self.name] = self.loader.loaded.get(self.name, 0) + self.pending
        self.loader.loads += 1
        self.pending = 0

    def activate(self, version):
        self.flush()
        self.loader.db.execute(f"DELETE FROM {self.table} WHERE _sdc_table_version IS DISTINCT FROM ?", [version])


class Loader:
    def __init__(self, path, schema, batch_rows, out):
        self.db = duckdb.connect(path)
        self.schema, self.batch_rows, self.out = schema, batch_rows, out
        (catalog,) = self.db.execute("SELECT current_database()").fetchone()
        self.qualified_schema = f"{quote(catalog)}.{quote(schema)}"  # a file kustomer.duckdb is catalog kustomer
        self.db.execute(f"CREATE SCHEMA IF NOT EXISTS {self.qualified_schema}")
        self.workdir = tempfile.mkdtemp(prefix="load-duckdb-")
        self.streams = {}
        self.state = None
        self.loaded = {}
        self.loads = 0
        self.sequence = time.time_ns()

    def next_sequence(self):
        self.sequence += 1
        return self.sequence

    def table_columns(self, name):
        rows = self.db.execute(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_catalog = current_database() AND table_schema = ? AND table_name = ? ORDER BY ordinal_position",
            [self.schema, name],
        ).fetchall()
        return dict(rows)

    def stream(self, message):
        name = message["stream"]
        if name not in self.streams:
            if message["type"] != "SCHEMA":
                raise LoadError(f"a {message['type']} for stream {name} came before its SCHEMA")
            self.streams[name] = Stream(self, name)
        return self.streams[name]

    def handle(self, message):
        kind = message.get("type")
        if kind == "SCHEMA":
            self.stream(message).apply_schema(message)
        elif kind == "RECORD":
            self.stream(message).add(message)
            if sum(stream.pending for stream in self.streams.values()) >= self.batch_rows:
                self.flush()
        elif kind == "STATE":
            self.state = message["value"]
            if not any(stream.pending for stream in self.streams.values()):
                self.emit_state()
        elif kind == "ACTIVATE_VERSION":
            self.stream(message).activate(message["version"])

    def flush(self):
        for stream in self.streams.values():
            stream.flush()
        self.emit_state()

    def emit_state(self):
        if self.state is not None:
            self.out.write(json.dumps(self.state) + "\n")
            self.out.flush()
            self.state = None

    def close(self):
        self.flush()
        self.db.close()
        os.rmdir(self.workdir)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Load Singer messages from stdin into a DuckDB file.")
    parser.add_argument("path", help="the DuckDB file (created if absent)")
    parser.add_argument("schema", help="the schema the streams' tables go in")
    parser.add_argument("--batch-rows", type=int, default=100_000, help="records held before a load (default 100000)")
    args = parser.parse_args(argv)
    loader = Loader(args.path, args.schema, max(1, args.batch_rows), sys.stdout)
    try:
        for number, line in enumerate(sys.stdin, 1):
            if not line.strip():
                continue
            try:
                message = json.loads(line)
            except ValueError:
                raise LoadError(f"line {number} is not JSON: {line[:200]!r}") from None
            loader.handle(message)
        loader.close()
    except (LoadError, duckdb.Error) as error:
        print(f"CRITICAL load-duckdb: {error}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{name} {count}" for name, count in sorted(loader.loaded.items()))
    total = sum(loader.loaded.values())
    print(
        f"load-duckdb: {total} records in {loader.loads} loads into {args.path} schema {args.schema}: {counts}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
