"""Instants: parsing what users and the API write, and the formats the tap writes back."""

import re
from datetime import datetime, timezone

UTC = timezone.utc

_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}"
    r"(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?)?"
)
# Already RFC 3339 in UTC, as the API writes its own timestamps: passed through untouched.
# Field ranges are checked; a day past its month's end (30 February) is not caught by this fast check.
UTC_Z = re.compile(
    r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:(?:[0-5]\d|60)(?:\.\d{1,9})?Z"
)


def parse_instant(text):
    """An aware UTC datetime from an RFC 3339 string (a bare date is midnight UTC); ValueError otherwise."""
    if not isinstance(text, str) or not _ISO.fullmatch(text):
        raise ValueError(f"not an RFC 3339 date-time: {text!r}")
    text = text.upper().replace(" ", "T")
    if "." in text:  # fromisoformat keeps at most 6 fractional digits but rejects none; trim 7+
        head, _, tail = text.partition(".")
        digits = re.match(r"\d+", tail).group()
        text = f"{head}.{digits[:6]}{tail[len(digits) :]}"
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def format_instant(value):
    """The one canonical format for bookmarks and queries: UTC, milliseconds (floored), Z."""
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


_CANONICAL = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


def canonical(text):
    """text in the canonical bookmark format, so instants compare correctly as strings."""
    if _CANONICAL.fullmatch(text):
        return text
    return format_instant(parse_instant(text))


def conform_datetime(text):
    """An RFC 3339 UTC string for a record value; ValueError if text is no date-time."""
    if UTC_Z.fullmatch(text):
        return text
    value = parse_instant(text)
    if value.microsecond % 1000:
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return format_instant(value)


def now_utc():
    return datetime.now(UTC)
