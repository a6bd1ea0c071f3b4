"""Pacing: use the API's rate budgets fully without tripping over them, and leave the org its share.

Kustomer counts requests in fixed windows and reports each window in the headers of every answer
(`x-ratelimit-limit`, `x-ratelimit-remaining`, `x-ratelimit-reset`). Search has its own budget per
API key on top of the org-wide one. The pacer keeps what the last answer of each bucket said,
counts the requests still in flight, and holds a new request back only when the window has no
room left for it; then it waits for the reset the server named. On top of that, the tap's own
ceiling (`max_requests_per_minute`, over any 60 seconds) keeps the org's agents their share.
Threads share one pacer.
"""

import logging
import threading
from collections import deque

from tap_kustomer.errors import Stopped

LOGGER = logging.getLogger("tap_kustomer")
RESET_MARGIN = 0.25  # seconds after a named reset before the next request: clocks differ a little
CEILING_SPAN = 61.0  # max_requests_per_minute is kept over this span: a second's margin for transit


class Window:
    __slots__ = ("limit", "remaining", "reset")

    def __init__(self, limit, remaining, reset):
        self.limit, self.remaining, self.reset = limit, remaining, reset


def read_window(headers, now):
    """The window an answer's headers describe, or None; reset as absolute epoch seconds."""
    try:
        remaining = int(float(headers["x-ratelimit-remaining"]))
        reset = float(headers["x-ratelimit-reset"])
        limit = int(float(headers.get("x-ratelimit-limit") or remaining))
    except (KeyError, TypeError, ValueError):
        return None
    if reset < 1e9:  # a delay in seconds rather than an instant
        reset += now
    return Window(limit, remaining, reset)


class Pacer:
    def __init__(self, clock, sleep, max_per_minute=None, stop_event=None):
        self.clock, self.sleep, self.stop_event = clock, sleep, stop_event
        self.max_per_minute = max_per_minute
        self._lock = threading.Lock()
        self._windows = {}
        self._in_flight = {}
        self._sent = deque()  # when each request of the last 60 s was sent
        self.waited = 0.0

    def acquire(self, bucket):
        """Block until a request in bucket may be sent, and count it as sent."""
        announced = False
        while True:
            if self.stop_event is not None and self.stop_event.is_set():
                raise Stopped()
            with self._lock:
                delay, reason = self._delay(bucket, self.clock())
                if delay <= 0:
                    self._in_flight[bucket] = self._in_flight.get(bucket, 0) + 1
                    self._sent.append(self.clock())
                    return
            if not announced:  # a wait of a second or more is news; the steady spacing after it is not
                LOGGER.log(logging.INFO if delay >= 1 else logging.DEBUG, "pacing: %s; waiting %.1fs", reason, delay)
                announced = True
            self.waited += delay
            self.sleep(delay)

    def release(self, bucket, headers):
        """A request in bucket has been answered (or failed): note the window its headers describe."""
        with self._lock:
            self._in_flight[bucket] = max(0, self._in_flight.get(bucket, 0) - 1)
            window = read_window(headers, self.clock()) if headers is not None else None
            if window is None:
                return
            known = self._windows.get(bucket)
            if known is not None and abs(known.reset - window.reset) < 1 and known.remaining < window.remaining:
                return  # an answer that overtook a later one: the lower count is the truth
            self._windows[bucket] = window

    def _delay(self, bucket, now):
        delay, reason = 0.0, ""
        if self.max_per_minute:
            while self._sent and self._sent[0] <= now - CEILING_SPAN:
                self._sent.popleft()
            if len(self._sent) >= self.max_per_minute:
                delay = self._sent[0] + CEILING_SPAN - now
                reason = f"max_requests_per_minute ({self.max_per_minute}) reached"
        window = self._windows.get(bucket)
        if window is not None:
            if now >= window.reset:
                del self._windows[bucket]  # a new window: its answers will tell its budget
            elif window.remaining - self._in_flight.get(bucket, 0) <= 0:
                wait = window.reset - now + RESET_MARGIN
                if wait > delay:
                    delay = wait
                    reason = f"the {bucket} rate budget ({window.limit} per window) is used up until its reset"
        return delay, reason
