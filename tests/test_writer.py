"""Singer messages: singer-python writes SCHEMA and STATE; the fast RECORD path means the same as its own."""

import io
import json
import math
from datetime import datetime, timezone

import pytest
import singer

from tap_kustomer import jsonutil
from tap_kustomer.errors import Stopped
from tap_kustomer.writer import Writer

EXTRACTED = datetime(2024, 1, 1, 12, 30, 5, 123456, tzinfo=timezone.utc)
TRICKY = [
    {"id": "a" * 24, "name": "Zoë 東京 🎉", "rtl": "مرحبا", "zwj": "👩‍👩‍👧", "n": 3, "ok": True, "none": None},
    {"id": "b" * 24, "lone": "\ud800", "pair_halves": "a\udc00b", "nul": "x\x00y", "quote": 'say "hi"\n\t\\'},
    {"id": "c" * 24, "big": 2**70, "negative_big": -(2**64) - 1, "max64": 2**63 - 1, "min64": -(2**63)},
    {"id": "d" * 24, "floats": [0.1, 1e300, -0.0, 5e-324, 1.7976931348623157e308, 2.5, -3.25e-10, 12.0]},
    {"id": "e" * 24, "nested": {"a": None, "b": [None, {"c": None, "d": []}], "e": {}}, "empty": ""},
]


def singer_line(stream, record):
    return singer.format_message(singer.RecordMessage(stream, record, time_extracted=EXTRACTED))


@pytest.mark.parametrize("fast", [True, False])
def test_record_lines_mean_what_singer_python_writes(fast):
    out = io.StringIO()
    Writer(out, fast=fast).records("customers", TRICKY, EXTRACTED)
    lines = out.getvalue().splitlines()
    assert len(lines) == len(TRICKY)
    for line, record in zip(lines, TRICKY, strict=True):
        ours, theirs = json.loads(line), json.loads(singer_line("customers", record))
        assert ours == theirs
        assert ours["record"] == record
        # as text too: -0.0 stays -0.0, 12.0 stays a float, big integers stay exact
        assert json.dumps(ours, sort_keys=True) == json.dumps(theirs, sort_keys=True)


def test_schema_state_and_version_lines_are_singer_pythons_own():
    out = io.StringIO()
    writer = Writer(out)
    schema = {"type": "object", "properties": {"name": {"type": ["null", "string"], "description": "Zoë"}}}
    writer.schema("customers", schema, ("id",), ("updated_at",))
    writer.state({"bookmarks": {"customers": {"updated_at": "2024-01-01T00:00:00.000Z"}}})
    writer.version("team_members", 1700000000000)
    lines = out.getvalue().splitlines()
    assert lines == [
        singer.format_message(singer.SchemaMessage("customers", schema, ["id"], ["updated_at"])),
        singer.format_message(
            singer.StateMessage({"bookmarks": {"customers": {"updated_at": "2024-01-01T00:00:00.000Z"}}})
        ),
        singer.format_message(singer.ActivateVersionMessage("team_members", 1700000000000)),
    ]


def test_records_are_compact_utf8_bytes_on_a_binary_stdout():
    class Stdout(io.StringIO):
        buffer = io.BytesIO()

    stdout = Stdout()
    Writer(stdout).records("tags", [TRICKY[0]], EXTRACTED)
    data = stdout.buffer.getvalue()
    assert data.startswith(b'{"type":"RECORD","stream":"tags","record":{') and stdout.getvalue() == ""
    assert "Zoë 東京 🎉".encode() in data and b", " not in data  # UTF-8, not escaped; compact
    assert json.loads(data)["time_extracted"] == "2024-01-01T12:30:05.123456Z"


def test_a_closed_writer_writes_nothing_more():
    out = io.StringIO()
    writer = Writer(out)
    writer.close()
    with pytest.raises(Stopped):
        writer.records("tags", [{"id": "x"}], EXTRACTED)
    with pytest.raises(Stopped):
        writer.state({})
    assert out.getvalue() == ""


def test_fast_and_fallback_agree_byte_for_byte_on_ordinary_records():
    record = TRICKY[0]
    assert jsonutil.dumps(record) == jsonutil.stdlib_dumps(record)


@pytest.mark.parametrize("text", [b'{"a": [1, 2.5, "\\u00e9"]}', b'{"lone": "\\ud800"}', '{"é": 1}'.encode()])
def test_loads_takes_what_the_standard_library_takes(text):
    assert jsonutil.loads(text) == json.loads(text)


def test_loads_falls_back_for_nan():
    assert math.isnan(jsonutil.loads(b'{"n": NaN}')["n"])


def test_loads_rejects_what_is_no_json():
    for text in (b"", b"<html>", b'{"a": '):
        with pytest.raises(ValueError):
            jsonutil.loads(text)
