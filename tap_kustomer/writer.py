"""Singer messages out: one JSON object per line on stdout, each written whole."""

import sys
import threading

import singer

from tap_kustomer import jsonutil
from tap_kustomer.errors import Stopped
from tap_kustomer.timeutil import UTC


class Writer:
    """Singer messages on stdout, one JSON object per line, written as bytes, each message whole.

    SCHEMA, STATE and ACTIVATE_VERSION lines are singer-python's own (singer.messages). RECORD
    lines, a few hundred per page, take the fast path: the same message, encoded with orjson
    straight to bytes and written a page at a time (README, "Built on singer-python, backoff and
    pendulum"; a test checks each line means what singer.format_message would write)."""

    def __init__(self, out=None, fast=True):
        self.out = out or sys.stdout
        self._binary = getattr(self.out, "buffer", None)  # a StringIO (tests) has none
        self._lock = threading.Lock()  # a message is written whole, whichever thread writes it
        self._dumps = jsonutil.dumps if fast else jsonutil.stdlib_dumps
        self.closed = False  # once the run has stopped, nothing more is written

    def schema(self, stream, schema, key_properties, bookmark_properties):
        self._message(singer.SchemaMessage(stream, schema, list(key_properties), list(bookmark_properties)))

    def records(self, stream, records, extracted, version=None):
        """RECORD lines for a page of records, extracted at the aware datetime `extracted` (and of a
        table's `version`, for streams whose every run is the whole table)."""
        dumps = self._dumps
        head = b'{"type":"RECORD","stream":' + dumps(stream) + b',"record":'
        tail = b',"time_extracted":' + dumps(singer.utils.strftime(extracted.astimezone(UTC))) + b"}\n"
        if version is not None:
            tail = b',"version":' + dumps(version) + tail
        parts = []
        add = parts.extend
        for record in records:
            add((head, dumps(record), tail))
        self._emit(b"".join(parts))

    def version(self, stream, version):
        self._message(singer.ActivateVersionMessage(stream, version))

    def state(self, value):
        self._message(singer.StateMessage(value), flush=True)

    def close(self):
        """Write nothing more (the run has stopped): a thread still at work cannot add a line."""
        with self._lock:
            self.closed = True

    def _message(self, message, flush=False):
        self._emit(singer.format_message(message).encode("utf-8") + b"\n", flush)

    def _emit(self, data, flush=False):
        with self._lock:
            if self.closed:
                raise Stopped()
            if self._binary is not None:
                self._binary.write(data)
            else:
                self.out.write(data.decode("utf-8"))
            if flush:  # a STATE reaches the target at once, after everything it covers
                (self._binary or self.out).flush()
