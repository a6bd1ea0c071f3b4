"""Singer METRIC lines on stderr, written through the tap's logger (singer-python's helpers reset log levels)."""

import json
import logging

LOGGER = logging.getLogger("tap_kustomer")


def _emit(kind, metric, value, tags):
    if LOGGER.isEnabledFor(logging.INFO):
        LOGGER.info("METRIC: %s", json.dumps({"type": kind, "metric": metric, "value": value, "tags": tags}))


def emit_timer(metric, seconds, tags):
    _emit("timer", metric, round(seconds, 6), tags)


def emit_counter(metric, value, tags):
    _emit("counter", metric, value, tags)
