"""Check what scripts/compile-warehouses compiled: every model parses in its warehouse's dialect
(sqlglot), uses no construct only PostgreSQL or DuckDB have, and calls no function sqlglot does not
know unless it is on the warehouse's documented list below. Run with the python of
.venv-dbt-warehouses (it has sqlglot):

    .venv-dbt-warehouses/bin/python scripts/check_compiled.py OUT

Prints one line per problem and exits 1 if there is any. sqlglot accepts calls to functions it does
not know, so the forbidden constructs and the list of known functions are what make this a check.
"""

import re
import sys
from pathlib import Path

import sqlglot
from sqlglot import exp

# PostgreSQL or DuckDB syntax or functions neither warehouse has
FORBIDDEN = {
    "jsonb": r"\bjsonb\w*",
    "->, ->> or #> (JSON operators)": r"->|#>",
    "filter (where ...)": r"\bfilter\s*\(\s*where\b",
    "generate_series": r"\bgenerate_series\b",
    "trim_scale": r"\btrim_scale\b",
    "range types": r"\b(?:tstz|ts|date|int4|int8|num)(?:multi)?range\b|\brange_agg\b|\bmultirange\b",
    "distinct on": r"\bdistinct\s+on\b",
    "with ordinality": r"\bwith\s+ordinality\b",
    "at time zone": r"\bat\s+time\s+zone\b",
    "timestamptz": r"\btimestamptz\b",
    "DuckDB's JSON functions": r"\bjson_(?:each|extract|extract_string|transform)\s*\(",
    "epoch_ms": r"\bepoch_ms\b",
    "quantile_cont": r"\bquantile_cont\b",
    "bool_or / bool_and": r"\bbool_(?:or|and)\b",
}
FORBIDDEN_IN = {
    "snowflake": {"unnest": r"\bunnest\s*\(", "extract(epoch ...)": r"\bextract\s*\(\s*epoch\b"},
    "bigquery": {
        ":: casts": r"::",
        "lateral": r"\blateral\b",
        "within group": r"\bwithin\s+group\b",
        "'...' interval literals": r"\binterval\s+'",
        "extract(epoch ...)": r"\bextract\s*\(\s*epoch\b",
    },
}
# functions sqlglot parses as unknown (Anonymous) that the warehouse documents
DOCUMENTED = {
    "snowflake": {"is_object", "is_array", "to_timestamp_tz", "strip_null_value", "array_generate_range"},
    "bigquery": set(),
}
STRINGS = re.compile(r"'(?:[^']|'')*'")
COMMENTS = re.compile(r"--[^\n]*|/\*.*?\*/", re.S)


def problems(dialect, path):
    sql = path.read_text()
    try:
        trees = sqlglot.parse(sql, read=dialect)
    except sqlglot.errors.SqlglotError as error:
        yield f"does not parse as {dialect}: {str(error).splitlines()[0]}"
        return
    code = STRINGS.sub("''", COMMENTS.sub(" ", sql)).lower()
    for name, pattern in {**FORBIDDEN, **FORBIDDEN_IN[dialect]}.items():
        if re.search(pattern, code):
            yield f"uses {name}"
    unknown = {node.name.lower() for tree in trees if tree for node in tree.find_all(exp.Anonymous)}
    for name in sorted(unknown - DOCUMENTED[dialect]):
        yield f"calls {name}(), which sqlglot does not know as {dialect} and is not on the documented list"


def main():
    out = Path(sys.argv[1])
    found, checked = 0, 0
    for dialect in ("snowflake", "bigquery"):
        for path in sorted((out / dialect).glob("*.sql")):
            checked += 1
            for problem in problems(dialect, path):
                found += 1
                print(f"{dialect}/{path.name}: {problem}")
    print(f"check_compiled: {checked} compiled models checked, {found} problems")
    return 1 if found or not checked else 0


if __name__ == "__main__":
    sys.exit(main())
