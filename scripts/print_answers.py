"""Print the answers of docs/dbt.md (the analyses in dbt/analyses/, compiled by dbt) as short
tables, run on a DuckDB file: the end of `make demo`.

    .venv-dbt/bin/python scripts/print_answers.py DUCKDB_FILE COMPILED_ANALYSES_DIR
"""

import sys
import unicodedata
from decimal import Decimal
from pathlib import Path

import duckdb

ANSWERS = (
    "first_response_by_day",
    "resolution_time",
    "sla_breaches",
    "csat",
    "agent_load",
    "time_in_status",
    "backlog",
)


def cell(value):
    return "" if value is None else str(value)


def width(text):
    """Columns a text takes in a terminal: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def table(names, rows):
    texts = [[cell(v) for v in row] for row in rows]
    widths = [max([width(name)] + [width(row[i]) for row in texts]) for i, name in enumerate(names)]
    numeric = [all(isinstance(row[i], (int, float)) or row[i] is None for row in rows) for i in range(len(names))]

    def pad(value, size, right):
        space = " " * (size - width(value))
        return space + value if right else value + space

    def line(values):
        return "  ".join(pad(v, w, n) for v, w, n in zip(values, widths, numeric, strict=True)).rstrip()

    return "\n".join(["  " + line(names), "  " + line(["-" * w for w in widths])] + ["  " + line(r) for r in texts])


def main():
    db = duckdb.connect(sys.argv[1], read_only=True)
    db.execute("SET TimeZone = 'UTC'")
    for name in ANSWERS:
        sql = (Path(sys.argv[2]) / f"kustomer__{name}.sql").read_text()
        question = sql.splitlines()[0].lstrip("- ")
        cursor = db.execute(sql)
        names = [d[0] for d in cursor.description]
        rows = [tuple(float(v) if isinstance(v, Decimal) else v for v in row) for row in cursor.fetchall()]
        print(f"\n{question}\n{table(names, rows)}")


if __name__ == "__main__":
    main()
