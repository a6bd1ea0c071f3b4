"""Singer messages: the fast encoder and the standard-library fallback write the same lines."""

import io
import json
import math

import pytest

from tap_kustomer import jsonutil
from tap_kustomer.sync import Writer

RECORDS = [
    {"id": "a" * 24, "name": "Zoë 東京 🎉", "n": 3, "x": 2.5, "ok": True, "none": None, "nested": {"l": [1, "two"]}},
    {"id": "b" * 24, "big": 2**70, "lone": "\ud800", "quote": 'say "hi"\n'},
]


@pytest.mark.parametrize("fast", [True, False])
def test_records_state_and_schema_lines(fast):
    out = io.StringIO()
    writer = Writer(out, fast=fast)
    writer.schema("customers", {"type": "object"}, ("id",), ("updated_at",))
    writer.records("customers", RECORDS, "2024-01-01T00:00:00.000Z")
    writer.state({"bookmarks": {"customers": {"updated_at": "2024-01-01T00:00:00.000Z"}}})
    lines = out.getvalue().splitlines()
    messages = [json.loads(line) for line in lines]
    assert [m["type"] for m in messages] == ["SCHEMA", "RECORD", "RECORD", "STATE"]
    assert messages[1] == {
        "type": "RECORD",
        "stream": "customers",
        "time_extracted": "2024-01-01T00:00:00.000Z",
        "record": RECORDS[0],
    }
    assert messages[2]["record"]["big"] == 2**70 and messages[2]["record"]["lone"] == "\ud800"
    assert "Zoë 東京 🎉" in lines[1]  # UTF-8, not escaped
    assert ", " not in lines[0] and ": " not in lines[0] and ": " not in lines[3]  # compact


def test_fast_and_fallback_agree_byte_for_byte_on_ordinary_records():
    record = RECORDS[0]
    assert jsonutil.dumps(record) == jsonutil.stdlib_dumps(record)


def test_writes_bytes_to_a_binary_stdout():
    class Stdout(io.StringIO):
        buffer = io.BytesIO()

    stdout = Stdout()
    Writer(stdout).records("tags", [{"id": "x"}], "2024-01-01T00:00:00.000Z")
    assert stdout.buffer.getvalue().startswith(b'{"type":"RECORD","stream":"tags"') and stdout.getvalue() == ""


@pytest.mark.parametrize("text", [b'{"a": [1, 2.5, "\\u00e9"]}', b'{"lone": "\\ud800"}', '{"é": 1}'.encode()])
def test_loads_takes_what_the_standard_library_takes(text):
    assert jsonutil.loads(text) == json.loads(text)


def test_loads_falls_back_for_nan():
    assert math.isnan(jsonutil.loads(b'{"n": NaN}')["n"])


def test_loads_rejects_what_is_no_json():
    for text in (b"", b"<html>", b'{"a": '):
        with pytest.raises(ValueError):
            jsonutil.loads(text)
