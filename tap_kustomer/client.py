"""HTTP access to the Kustomer API: one session, one retry policy (backoff's), errors as a table."""

import logging
import random
import re
import threading
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

import backoff
import requests

from tap_kustomer import errors, jsonutil
from tap_kustomer.facts import Facts, unconfirmed
from tap_kustomer.logs import http_request_timer
from tap_kustomer.pacing import Pacer

LOGGER = logging.getLogger("tap_kustomer")

# pod named in the API's wrong-region message -> the region setting that reaches it
POD_REGIONS = {"prod1": "us", "prod2": "eu", "prod4": "in"}
_WRONG_POD = re.compile(r"associated with pod (prod\d+)")
_ID_IN_PATH = re.compile(r"/[0-9a-f]{24}(?=/|$)")  # /v1/schedules/5f9c... counts and is timed as /v1/schedules/{id}

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
MAX_BACKOFF = 60.0  # seconds: the longest wait between two tries of a fault
TOKEN_CHECK = "/v1/users/current"  # answers for any valid key: the run's first request
# the setting an address came from -> what to check when it cannot be reached
ADDRESS_ADVICE = {
    "subdomain": "check 'subdomain' (the part before .api.kustomerapp.com, e.g. 'acme')",
    "region": "check 'region' (us, eu or in), and that this machine can reach the internet",
    "base_url": "check 'base_url'",
}
# words of the resolver's errors, on any platform, when urllib3 does not name them
_NO_SUCH_HOST = ("Name or service not known", "nodename nor servname", "getaddrinfo failed", "Failed to resolve")


def _identity(record):
    """What tells two listed records apart: the id, or (a record listed without one) its own link."""
    links = record.get("links")
    return record.get("id") or (links.get("self") if isinstance(links, dict) else None)


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def unreachable_reason(exc):
    """Why a requests exception means the host cannot be reached at all (no DNS name, a refused
    connection, a failed TLS handshake), or None for the faults a retry may get past."""
    if isinstance(exc, requests.exceptions.SSLError):
        return "the TLS handshake failed"
    if not isinstance(exc, requests.ConnectionError) or isinstance(exc, requests.Timeout):
        return None
    text = str(exc)
    if any(words in text for words in _NO_SUCH_HOST) or "name resolution" in text:
        return "its host name does not resolve"
    if "Connection refused" in text or "[Errno 111]" in text or "[Errno 61]" in text:
        return "the connection was refused"
    return None


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


def _proportional_jitter(value):
    """Each wait within 20% of the exponential schedule: spread out, yet predictable."""
    return value * random.uniform(0.8, 1.2)


def _reset_jitter(value):
    """A 429's wait ends a moment after the reset, so many clients do not all come back at once."""
    return value + random.uniform(0, 0.5)


def _note_give_up(details):
    """backoff's on_giveup: the tries made and the seconds spent, for the message the run stops with."""
    details["exception"].gave_up = (details["tries"], details["elapsed"])


class KustomerClient:
    def __init__(self, config, session=None, sleep=None, clock=time.time):
        self.base_url = config.base_url
        self.timeout = config.request_timeout
        self.max_retries = config.max_retries
        self.max_retry_seconds = config.max_retry_seconds
        self.max_rate_limit_wait = config.max_rate_limit_wait
        self.stop_event = threading.Event()  # set when the run stops: waits end early
        self.sleep = sleep or self.stop_event.wait  # the pacer's waits (backoff sleeps its own)
        self.clock = clock
        self.request_counts = {}  # "METHOD /path" -> requests
        self.stream_requests = {}  # stream -> requests made on its behalf
        self._count_lock = threading.Lock()
        self._local = threading.local()  # the stream the current thread requests for
        self.base_url_source = getattr(config, "base_url_source", "base_url")
        self.reached = False  # set once any answer came back: from then on, connection errors are faults
        self.pacer = Pacer(clock, self.sleep, config.max_requests_per_minute, self.stop_event)
        self.facts = Facts()  # the UNCONFIRMED facts this process's answers contradicted, by stream
        self._host = urlsplit(self.base_url).netloc
        self.session = session or requests.Session()
        self.session.headers.update(
            {
                "Authorization": f"Bearer {config.api_token}",
                "User-Agent": config.user_agent,
                "Accept": "application/json",
            }
        )
        self._send = self._retrying(self._once)

    def get(self, path, params=None):
        return self.request("GET", path, params=params)

    @contextmanager
    def on_behalf_of(self, stream):
        """Count the requests this thread makes meanwhile as `stream`'s."""
        previous = getattr(self._local, "stream", None)
        self._local.stream = stream
        try:
            yield
        finally:
            self._local.stream = previous

    def check_once(self):
        """The token check, tried once (no retry, no wait): None if the API accepted it, else the
        KustomerError it met. Tells a stream's own trouble from the whole API's."""
        try:
            self._once("GET", self._url(TOKEN_CHECK), TOKEN_CHECK, None, None)
        except errors.KustomerError as exc:
            return exc
        return None

    def post(self, path, body, params=None):
        return self.request("POST", path, params=params, body=body)

    def pages(self, path, params=None, what=None, page_size=None):
        """Each page of a page-number list, following its relative links.next until it is null.

        What a list may do that Kustomer does not document is met by name (facts.py), never taken
        for the end of the list:
        - a page shorter than the pageSize asked, with a next link: the API clamps pageSize
          (page-size); the links are followed;
        - no links.next at all (list-links): the next page number is asked, until a page brings no
          record;
        - a page that brings only records of earlier pages: the API did not apply `page`. When it
          does not apply pageSize either (asked for one record, it answers more), its first page
          was the whole list (list-paging); otherwise the list cannot be read past its first page,
          and an AnswerError naming `what` stops the walk rather than read it again for ever.
        A next link already followed stops the walk the same way."""
        what, first = what or path, dict(params or {})
        asked = page_size or _number(first.get("pageSize"))
        target, query, followed, seen, number, first_ids, short = path, first, set(), set(), 0, None, False
        while target:
            payload = self.get(target, params=query)
            number += 1
            data = payload.get("data")
            records = data if isinstance(data, list) else []
            ids = {_identity(item) for item in records if isinstance(item, dict)} - {None}
            if ids and ids <= seen:
                if asked and ids == first_ids and self._unpaged(path, first, len(records) > asked):
                    self.facts.met(
                        self.current_stream(what),
                        "list-paging",
                        f"{path} answered the same {len(records)} records for page {number} as for page 1, and more "
                        f"than one when asked for one: it is not paged, and its first page held the whole list",
                    )
                    return
                raise errors.AnswerError(
                    f"{what}: page {number} of {path} answered only records of earlier pages: the API's paging did "
                    f"not move on (the page parameter, or the cursor in links.next, was not applied); stopping "
                    f"rather than reading the same page again ({unconfirmed('list-paging')})"
                )
            first_ids = ids if first_ids is None else first_ids
            seen |= ids
            if short and records:
                self.facts.met(
                    self.current_stream(what),
                    "page-size",
                    f"{path} answered fewer records than pageSize={asked} on a page that was not its last: it "
                    f"clamps pageSize; every page is read",
                )
            yield payload
            links = payload.get("links")
            short = bool(asked) and len(records) < asked
            if isinstance(links, dict) and "next" in links:
                target, query = links["next"], None
                if target in followed:
                    raise errors.AnswerError(
                        f"{what}: the list's next link {target} was already followed: the API's paging goes round "
                        f"in a circle; stopping rather than reading it again"
                    )
                followed.add(target)
            elif asked and records:
                self.facts.met(
                    self.current_stream(what),
                    "list-links",
                    f"{path} answered without links.next: the next page number is asked until a page brings no record",
                )
                target, query = path, {**first, "page": int(first.get("page", 1)) + number}
            else:
                target = None

    def _unpaged(self, path, first, known=False):
        """Whether a list that repeats its first page ignores pageSize too (then that page held
        everything): asked for one record, it answers more. `known`: its first page already held
        more than asked."""
        if known:
            return True
        data = self.get(path, params={**first, "page": 1, "pageSize": 1}).get("data")
        return isinstance(data, list) and len(data) > 1

    def current_stream(self, default=None):
        """The stream this thread requests for (on_behalf_of), else `default`."""
        return getattr(self._local, "stream", None) or default

    def request(self, method, path, params=None, body=None):
        """The decoded JSON body of a 2xx answer; retries what is worth retrying, raises the rest."""
        url = self._url(path)
        try:
            return self._send(method, url, _ID_IN_PATH.sub("/{id}", urlsplit(url).path), params, body)
        except errors.UnreachableError as exc:
            if self.reached:
                raise self._gave_up(exc) from None
            raise errors.ConfigError(
                f"cannot reach the Kustomer API at {self.base_url} (from config '{self.base_url_source}'): "
                f"{exc.why}: {ADDRESS_ADVICE.get(self.base_url_source, 'check the address')}"
            ) from None
        except errors.TransientError as exc:
            raise self._gave_up(exc) from None
        except errors.RateLimitError as exc:
            raise errors.RateLimitError(
                f"{exc} Still limited after waiting {getattr(exc, 'waited', 0):.0f}s (max_rate_limit_wait is "
                f"{self.max_rate_limit_wait:g}s): the org's rate budget is used up by others; "
                f"run later or raise max_rate_limit_wait.",
                exc.status,
                exc.api_text,
            ) from None

    def _gave_up(self, exc):
        """A fault that outlasted the retry budget, with the tries and the time it took."""
        tries, spent = getattr(exc, "gave_up", (1, 0.0))
        cap = (
            f"max_retries is {self.max_retries}"
            if self.max_retries is not None and tries > self.max_retries
            else f"max_retry_seconds is {self.max_retry_seconds:g}"
        )
        kind = errors.TransportError if isinstance(exc, errors.UnreachableError) else type(exc)
        return kind(
            f"{exc} (gave up after {tries - 1} retries in {spent:.0f}s; {cap}: if this persists, check "
            f"Kustomer's status page, or raise max_retry_seconds)",
            exc.status,
            exc.api_text,
        )

    def _retrying(self, send):
        """The one retry policy, in backoff's terms, around one attempt.

        Faults (5xx, timeouts, resets, bodies that are not JSON) are retried with waits of 1, 2, 4,
        ... up to 60 seconds, until max_retry_seconds have passed since the first try (and, if it is
        set, at most max_retries times). 429s are waited out as the server's reset headers say,
        until max_rate_limit_wait seconds have been spent waiting for this request. Anything else is
        not retried."""
        faults = backoff.on_exception(
            backoff.expo,
            errors.TransientError,
            max_value=MAX_BACKOFF,
            jitter=_proportional_jitter,
            max_tries=lambda: None if self.max_retries is None else self.max_retries + 1,
            max_time=lambda: self.max_retry_seconds,
            giveup=lambda exc: isinstance(exc, errors.UnreachableError) and not self.reached,
            on_backoff=self._log_retry,
            on_giveup=_note_give_up,
            logger=None,
        )
        limits = backoff.on_exception(
            self._rate_limit_waits, errors.RateLimitError, jitter=_reset_jitter, on_backoff=self._log_retry, logger=None
        )
        return limits(faults(send))

    def _rate_limit_waits(self):
        """backoff's wait generator for 429s: the wait the server named (or an exponential one when
        it named none), while this request's waits stay within max_rate_limit_wait."""
        waited, attempt = 0.0, 0
        exc = yield
        while True:
            delay = exc.reset_after if exc.reset_after is not None else min(MAX_BACKOFF, 2.0**attempt)
            delay = min(delay, MAX_RATE_LIMIT_WAIT)
            if waited + delay > self.max_rate_limit_wait:
                exc.waited = waited
                return  # backoff gives up and raises exc
            waited, attempt = waited + delay, attempt + 1
            exc = yield delay

    def _log_retry(self, details):
        method, _url, endpoint = details["args"][:3]
        exc = details["exception"]
        if isinstance(exc, errors.RateLimitError):
            LOGGER.warning(
                "%s %s rate limited (HTTP 429); waiting %.1fs for the window to reset",
                method,
                endpoint,
                details["wait"],
            )
        else:
            of = f" of {self.max_retries}" if self.max_retries is not None else ""
            LOGGER.warning(
                "%s %s failed (%s); retry %d%s in %.1fs (%.0fs of max_retry_seconds %g spent)",
                method,
                endpoint,
                exc,
                details["tries"],
                of,
                details["wait"],
                details["elapsed"],
                self.max_retry_seconds,
            )

    def _url(self, path):
        if path.startswith("/"):
            return self.base_url + path
        parts = urlsplit(path)
        if parts.netloc != self._host:  # a next link must never carry the token to another host
            raise errors.KustomerError(f"the API pointed to another host ({parts.netloc}); refusing to follow it")
        return path

    def _once(self, method, url, endpoint, params, body):
        """One attempt: paced, counted, timed; the body of a 2xx answer or the error it amounts to."""
        if self.stop_event.is_set():
            raise errors.Stopped()
        LOGGER.debug("%s %s params=%s body=%s", method, url, params, body)
        bucket = "search" if endpoint.endswith("/search") else "org"
        self.pacer.acquire(bucket)
        headers = None
        with self._count_lock:
            key = f"{method} {endpoint}"
            self.request_counts[key] = self.request_counts.get(key, 0) + 1
            stream = getattr(self._local, "stream", None)
            if stream is not None:
                self.stream_requests[stream] = self.stream_requests.get(stream, 0) + 1
        with http_request_timer(endpoint) as timer:
            try:
                response = self.session.request(
                    method, url, params=params, json=body, timeout=self.timeout, allow_redirects=False
                )
                headers = response.headers
            except requests.Timeout:
                raise errors.TransportError(f"no answer within {self.timeout:g}s") from None
            except requests.RequestException as exc:
                why = unreachable_reason(exc)
                if why:
                    raise errors.UnreachableError(f"cannot connect to {self._host}: {why}", why) from None
                raise errors.TransportError(f"connection failed: {type(exc).__name__}") from None
            finally:
                self.pacer.release(bucket, headers)
            status = timer.tags["http_status_code"] = response.status_code
        self.reached = True
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
            if status == 429:
                exc.reset_after = reset_delay(headers, self.clock())
            return exc
        if status >= 500:
            return errors.ServerError(f"HTTP {status}: Kustomer had a server error.{said}", status, text)
        return errors.KustomerError(f"HTTP {status}: unexpected answer from the API.{said}", status, text)
