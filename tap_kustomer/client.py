"""HTTP access to the Kustomer API: one session, one retry policy, errors as a table."""

import logging
import random
import re
import threading
import time
from urllib.parse import urlsplit

import requests

from tap_kustomer import errors, jsonutil
from tap_kustomer.metrics import emit_timer
from tap_kustomer.pacing import Pacer

LOGGER = logging.getLogger("tap_kustomer")

# pod named in the API's wrong-region message -> the region setting that reaches it
POD_REGIONS = {"prod1": "us", "prod2": "eu", "prod4": "in"}
_WRONG_POD = re.compile(r"associated with pod (prod\d+)")

# status -> (exception class, what the user should do)
ERROR_TABLE = {
    400: (errors.BadRequestError, "the API rejected the request as malformed; please report this with the log"),
    401: (
        errors.AuthError,
        "the API token was rejected: check api_token, and that region/subdomain/base_url is your org's",
    ),
    403: (
        errors.ForbiddenError,
        "the API key lacks a read role for this data: add the role to the key in Kustomer "
        "(Settings > Security > API Keys) or deselect the stream",
    ),
    404: (errors.NotFoundError, "the API has no such resource: check region/subdomain/base_url"),
    413: (errors.BadRequestError, "the request body was too large for the API; please report this with the log"),
    429: (errors.RateLimitError, "the API's rate limit is used up"),
}
MAX_RATE_LIMIT_WAIT = 3600  # seconds; a reset further away than this is not believed


def api_error_text(body):
    """The API's own words from either error body shape, or ''."""
    if not isinstance(body, dict) or not isinstance(body.get("errors"), list):
        return ""
    parts = []
    for item in body["errors"]:
        if isinstance(item, dict):
            text = item.get("detail") or item.get("message") or item.get("title") or item.get("code")
            if text:
                parts.append(str(text))
    return "; ".join(parts)


def reset_delay(headers, now):
    """Seconds until the rate-limit window reopens, from Retry-After or x-ratelimit-reset, else None."""
    for name in ("Retry-After", "x-ratelimit-reset"):
        raw = headers.get(name)
        if raw is None:
            continue
        try:
            value = float(raw)
        except ValueError:
            continue
        if name == "x-ratelimit-reset" and value > 1e9:  # absolute epoch seconds
            value -= now
        return max(0.0, value)
    return None


class KustomerClient:
    def __init__(self, config, session=None, sleep=None, clock=time.time):
        self.base_url = config.base_url
        self.timeout = config.request_timeout
        self.max_retries = config.max_retries
        self.max_rate_limit_wait = config.max_rate_limit_wait
        self.stop_event = threading.Event()  # set when the run stops: waits end early
        self.sleep = sleep or self._interruptible_sleep
        self.clock = clock
        self.request_counts = {}
        self._count_lock = threading.Lock()
        self.pacer = Pacer(clock, self.sleep, config.max_requests_per_minute, self.stop_event)
        self._host = urlsplit(self.base_url).netloc
        self.session = session or requests.Session()
        self.session.headers.update(
            {
                "Authorization": f"Bearer {config.api_token}",
                "User-Agent": config.user_agent,
                "Accept": "application/json",
            }
        )

    def get(self, path, params=None):
        return self.request("GET", path, params=params)

    def post(self, path, body, params=None):
        return self.request("POST", path, params=params, body=body)

    def pages(self, path, params=None):
        """Each page of a page-number list, following the relative links.next until it is null."""
        target = path
        while target:
            payload = self.get(target, params=params)
            yield payload
            links = payload.get("links")
            target, params = (links.get("next") if isinstance(links, dict) else None), None

    def request(self, method, path, params=None, body=None):
        """The decoded JSON body of a 2xx answer; retries what is worth retrying, raises the rest.

        Faults (5xx, timeouts, resets, bodies that are not JSON) are retried up to max_retries times
        with exponential backoff; 429s are waited out as the server's reset headers say, until
        max_rate_limit_wait seconds have been spent waiting for this request."""
        url = self._url(path)
        endpoint = urlsplit(url).path
        faults = limited = 0
        waited = 0.0
        while True:
            if self.stop_event.is_set():
                raise errors.Stopped()
            try:
                return self._once(method, url, endpoint, params, body)
            except errors.RateLimitError as exc:
                limited += 1
                delay = self._retry_delay(exc, limited)
                if waited + delay > self.max_rate_limit_wait:
                    raise errors.RateLimitError(
                        f"{exc} Still limited after waiting {waited:.0f}s (max_rate_limit_wait is "
                        f"{self.max_rate_limit_wait:g}s): the org's rate budget is used up by others; "
                        f"run later or raise max_rate_limit_wait.",
                        exc.status,
                        exc.api_text,
                    ) from None
                waited += delay
                LOGGER.warning(
                    "%s %s rate limited (HTTP 429); waiting %.1fs for the window to reset", method, endpoint, delay
                )
                self.sleep(delay)
            except errors.RetryableError as exc:
                faults += 1
                if faults > self.max_retries:
                    raise type(exc)(
                        f"{exc} (gave up after {self.max_retries} retries; if this persists, check "
                        f"Kustomer's status page or raise max_retries)",
                        exc.status,
                        exc.api_text,
                    ) from None
                delay = self._retry_delay(exc, faults)
                LOGGER.warning(
                    "%s %s failed (%s); retry %d of %d in %.1fs", method, endpoint, exc, faults, self.max_retries, delay
                )
                self.sleep(delay)

    def _url(self, path):
        if path.startswith("/"):
            return self.base_url + path
        parts = urlsplit(path)
        if parts.netloc != self._host:  # a next link must never carry the token to another host
            raise errors.KustomerError(f"the API pointed to another host ({parts.netloc}); refusing to follow it")
        return path

    def _once(self, method, url, endpoint, params, body):
        LOGGER.debug("%s %s params=%s body=%s", method, url, params, body)
        key = f"{method} {endpoint}"
        bucket = "search" if endpoint.endswith("/search") else "org"
        self.pacer.acquire(bucket)
        headers = None
        try:
            with self._count_lock:
                self.request_counts[key] = self.request_counts.get(key, 0) + 1
            started = time.monotonic()
            try:
                response = self.session.request(
                    method, url, params=params, json=body, timeout=self.timeout, allow_redirects=False
                )
            except requests.Timeout:
                raise errors.TransportError(f"no answer within {self.timeout:g}s") from None
            except requests.RequestException as exc:
                raise errors.TransportError(f"connection failed: {type(exc).__name__}") from None
            headers = response.headers
        finally:
            self.pacer.release(bucket, headers)
        status = response.status_code
        emit_timer(
            "http_request_duration", time.monotonic() - started, {"endpoint": endpoint, "http_status_code": status}
        )
        try:
            payload = jsonutil.loads(response.content)
        except ValueError:
            payload = None
        if 200 <= status < 300:
            if not isinstance(payload, dict):
                start = response.text[:40].strip().replace("\n", " ")
                raise errors.TransportError(
                    f"HTTP {status} with a body that is not a JSON object ({start!r}...): if this persists, "
                    f"check that base_url, subdomain or region point at the Kustomer API"
                )
            return payload
        raise self._error(status, payload, response.headers)

    def _error(self, status, payload, headers):
        text = api_error_text(payload)
        said = f" The API said: {text}" if text else ""
        pod = _WRONG_POD.search(text)
        if pod and pod.group(1) in POD_REGIONS:
            return errors.AuthError(
                f"HTTP {status}: the API token belongs to another region: set region to "
                f"'{POD_REGIONS[pod.group(1)]}' (or set subdomain).{said}",
                status,
                text,
            )
        if status in ERROR_TABLE:
            kind, advice = ERROR_TABLE[status]
            exc = kind(f"HTTP {status}: {advice}.{said}", status, text)
            exc.reset_after = reset_delay(headers, self.clock())
            return exc
        if status >= 500:
            return errors.ServerError(f"HTTP {status}: Kustomer had a server error.{said}", status, text)
        return errors.KustomerError(f"HTTP {status}: unexpected answer from the API.{said}", status, text)

    def _interruptible_sleep(self, seconds):
        self.stop_event.wait(seconds)

    @staticmethod
    def _retry_delay(exc, attempt):
        waited = getattr(exc, "reset_after", None)
        if waited is not None:
            return min(waited, MAX_RATE_LIMIT_WAIT) + random.uniform(0, 0.5)
        return min(60.0, 2 ** (attempt - 1)) * random.uniform(0.8, 1.2)
