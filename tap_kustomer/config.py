"""Configuration: validation of the user's config file, before any network call."""

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from tap_kustomer.errors import ConfigError
from tap_kustomer.timeutil import format_instant, parse_instant

VERSION = "0.1.0"

REGION_HOSTS = {
    "us": "https://api.kustomerapp.com",
    "eu": "https://api.prod2.kustomerapp.com",
    "in": "https://api.prod4.kustomerapp.com",
}
MAX_SEARCH_PAGE_SIZE = 500

# key -> (default, description); the single list behind validation, warnings and docs.
SETTINGS = {
    "api_token": (None, "Kustomer API key (Settings > Security > API Keys), with read roles for each stream."),
    "start_date": (None, "Earliest updated_at to replicate, RFC 3339 (a bare date means midnight UTC)."),
    "base_url": (None, "Full API origin, e.g. http://127.0.0.1:8765 for the sandbox. https unless loopback."),
    "subdomain": (None, "Your Kustomer subdomain; uses https://<subdomain>.api.kustomerapp.com."),
    "region": ("us", "us, eu or in, used when neither base_url nor subdomain is set."),
    "user_agent": (f"tap-kustomer/{VERSION}", "User-Agent header sent with every request."),
    "request_timeout": (60, "Seconds to wait for each HTTP response."),
    "page_size": (MAX_SEARCH_PAGE_SIZE, "Records per search page (1-500)."),
    "max_retry_seconds": (
        600,
        "Seconds one request may keep retrying faults (5xx, timeouts, resets, bodies that are not JSON) "
        "before the run stops; waits grow 1, 2, 4, ... up to 60 s.",
    ),
    "max_retries": (
        None,
        "Optional extra cap on the retries of one request's faults; unset, the time budget alone decides.",
    ),
    "max_requests_per_minute": (
        200,
        "Ceiling on this tap's requests in any 60 seconds, so the org's agents keep "
        "their share of the org-wide budget (300 to 2,000 a minute by plan); 0 = none.",
    ),
    "max_concurrent_streams": (
        3,
        "Streams synced at once; search latency leaves one stream short of the search budget.",
    ),
    "max_rate_limit_wait": (900, "Seconds one request may spend waiting out HTTP 429s before the run stops."),
    "skip_forbidden_streams": (
        False,
        "Skip (and report) a stream the API key has no read role for, instead of stopping the run.",
    ),
    "log_level": ("INFO", "DEBUG, INFO, WARNING or ERROR; DEBUG logs each request (never the token)."),
    "include_deleted": (True, "Also sync soft-deleted records and deactivated users (deleted: true)."),
    "search_lag_seconds": (
        300,
        "Bookmarks never pass the sync start minus this many seconds, so "
        "records the search index has not caught up with are read next run.",
    ),
}

_SUBDOMAIN = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", re.IGNORECASE)


@dataclass(frozen=True)
class Config:
    api_token: str
    start_date: str
    base_url: str
    base_url_source: str  # the setting the address came from: base_url, subdomain or region
    user_agent: str
    request_timeout: float
    page_size: int
    max_retries: object  # int, or None: no cap by count
    max_retry_seconds: float
    search_lag_seconds: int
    include_deleted: bool
    max_rate_limit_wait: float
    max_requests_per_minute: int
    max_concurrent_streams: int
    skip_forbidden_streams: bool
    log_level: str

    def __repr__(self):  # never show the token, even in a debugger or a traceback
        return f"Config(base_url={self.base_url!r}, start_date={self.start_date!r})"


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _base_url(raw):
    """(the API origin, the setting it comes from)."""
    if raw.get("base_url"):
        value = raw["base_url"]
        if not isinstance(value, str):
            raise ConfigError("config 'base_url' must be a string like https://myorg.api.kustomerapp.com")
        parts = urlsplit(value.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(
                f"config 'base_url' {value!r} is not a URL: use an origin like https://myorg.api.kustomerapp.com"
            )
        if parts.path or parts.query:
            raise ConfigError(f"config 'base_url' {value!r} has a path: give only the origin, without /v1")
        if parts.scheme != "https" and not is_loopback(parts.hostname):
            raise ConfigError(f"config 'base_url' {value!r} uses http: https is required except on 127.0.0.1/localhost")
        return f"{parts.scheme}://{parts.netloc}", "base_url"
    if raw.get("subdomain"):
        value = raw["subdomain"]
        if not isinstance(value, str) or not _SUBDOMAIN.match(value):
            raise ConfigError(
                f"config 'subdomain' {value!r} is not a subdomain: use the part before .kustomerapp.com, e.g. 'acme'"
            )
        return f"https://{value}.api.kustomerapp.com", "subdomain"
    region = raw.get("region") or "us"
    if region not in REGION_HOSTS:
        raise ConfigError(f"config 'region' {region!r} is unknown: use one of {', '.join(REGION_HOSTS)}")
    return REGION_HOSTS[region], "region"


def _number(raw, key, kind, low, high):
    value = raw.get(key, SETTINGS[key][0])
    if isinstance(value, str):
        try:
            value = kind(value)
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and value != int(value)):
        raise ConfigError(f"config '{key}' must be a number between {low} and {high}, got {value!r}")
    if not low <= value <= high:
        raise ConfigError(f"config '{key}' must be between {low} and {high}, got {value!r}")
    return kind(value)


def _boolean(raw, key):
    value = raw.get(key, SETTINGS[key][0])
    if isinstance(value, str) and value.lower() in ("true", "false"):
        value = value.lower() == "true"
    if not isinstance(value, bool):
        raise ConfigError(f"config '{key}' must be true or false, got {value!r}")
    return value


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _log_level(raw):
    value = raw.get("log_level") or SETTINGS["log_level"][0]
    if not isinstance(value, str) or value.upper() not in LOG_LEVELS:
        raise ConfigError(f"config 'log_level' {value!r} is unknown: use one of {', '.join(LOG_LEVELS)}")
    return value.upper()


def load_config(raw, now, warn):
    """Validate a parsed config file and return a Config; raise ConfigError naming the bad key."""
    if not isinstance(raw, dict):
        raise ConfigError("the config file must hold a JSON object like sample_config.json")
    token = raw.get("api_token")
    if not isinstance(token, str) or not token.strip():
        raise ConfigError("config 'api_token' is missing or empty: create an API key in Kustomer and put it there")
    start = raw.get("start_date")
    if not isinstance(start, str) or not start.strip():
        raise ConfigError("config 'start_date' is missing: give an RFC 3339 date such as 2024-01-01T00:00:00Z")
    try:
        start_instant = parse_instant(start)
    except ValueError:
        raise ConfigError(
            f"config 'start_date' {start!r} is not an RFC 3339 date: use e.g. 2024-01-01T00:00:00Z"
        ) from None
    if start_instant > now:
        raise ConfigError(f"config 'start_date' {start!r} is in the future: use a date in the past")
    unknown = sorted(set(raw) - set(SETTINGS))
    if unknown:
        warn("config has unknown keys, ignored: %s", ", ".join(unknown))
    agent = raw.get("user_agent") or SETTINGS["user_agent"][0]
    if not isinstance(agent, str):
        raise ConfigError("config 'user_agent' must be a string")
    base_url, source = _base_url(raw)
    return Config(
        api_token=token.strip(),
        start_date=format_instant(start_instant),
        base_url=base_url,
        base_url_source=source,
        user_agent=agent,
        request_timeout=_number(raw, "request_timeout", float, 0.1, 3600),
        page_size=_number(raw, "page_size", int, 1, MAX_SEARCH_PAGE_SIZE),
        max_retries=None if raw.get("max_retries") is None else _number(raw, "max_retries", int, 0, 10_000),
        max_retry_seconds=_number(raw, "max_retry_seconds", float, 0, 86400),
        search_lag_seconds=_number(raw, "search_lag_seconds", int, 0, 86400),
        include_deleted=_boolean(raw, "include_deleted"),
        max_rate_limit_wait=_number(raw, "max_rate_limit_wait", float, 0, 86400),
        max_requests_per_minute=_number(raw, "max_requests_per_minute", int, 0, 100_000),
        max_concurrent_streams=_number(raw, "max_concurrent_streams", int, 1, 9),
        skip_forbidden_streams=_boolean(raw, "skip_forbidden_streams"),
        log_level=_log_level(raw),
    )
