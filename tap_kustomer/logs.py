"""Logging: one format, the level the user asked for, and the token redacted, whatever singer-python does.

singer-python's `get_logger()` reloads its own logging.conf each time it is called: the root
logger's handlers are replaced and its level goes back to INFO. It is called when singer.messages
and singer.catalog are imported, and by every metrics Counter and Timer as it is made. So:
- singer is imported before the tap sets logging up, and the root logger is set up after it;
- the tap's logger carries the handler itself and does not propagate, so a later reload of the
  root logger cannot change the tap's format, level or redaction;
- singer.metrics asks `get_logger()` for the logger its Counters and Timers write to: from the
  moment this module is imported, it is given the tap's logger, so METRIC lines follow the tap's
  level and nothing is reloaded per request. The tap makes its metrics through the two helpers
  below, which is what guarantees that import.
"""

import logging
import sys

import singer.metrics  # imported before anything is set up here: the import reloads logging.conf

LOGGER = logging.getLogger("tap_kustomer")
METRICS = logging.getLogger("tap_kustomer.metrics")  # METRIC lines: the tap's level, unless set apart
FORMAT = "%(levelname)s %(message)s"  # singer-python's own format


class Redact(logging.Filter):
    """Last line of defence: the token never reaches stderr, whatever a message carries."""

    def __init__(self):
        super().__init__()
        self.secrets = []

    def filter(self, record):
        if self.secrets:
            text = record.getMessage()
            for secret in self.secrets:
                text = text.replace(secret, "<redacted>")
            record.msg, record.args = text, None
        return True


REDACT = Redact()


def setup_logging(level="INFO"):
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(REDACT)
    root = logging.getLogger()
    root.handlers[:] = [handler]  # singer's own messages (and other libraries'): problems only
    root.setLevel(logging.WARNING)
    LOGGER.handlers[:] = [handler]
    LOGGER.propagate = False
    LOGGER.setLevel(level)


def metrics_logger():
    """What singer.metrics gets from get_logger(): a child of the tap's logger (its handler, its
    level unless --test or --discover set one apart), with no reload of logging.conf."""
    return METRICS


singer.metrics.get_logger = metrics_logger


def http_request_timer(endpoint):
    """singer-python's request timer: one METRIC line per request, with its status code tag."""
    return singer.metrics.http_request_timer(endpoint)


def record_counter(stream):
    """singer-python's record counter: a METRIC line a minute while the stream runs, and at its end."""
    return singer.metrics.record_counter(endpoint=stream)
