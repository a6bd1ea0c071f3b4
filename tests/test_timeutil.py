"""Instants through pendulum, and the fast pass-through that must never let an impossible date by."""

import pytest

from tap_kustomer.timeutil import UTC_Z, canonical, conform_datetime, format_instant, parse_instant


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-01-01", "2024-01-01T00:00:00.000Z"),
        ("2024-01-01T10:00:00Z", "2024-01-01T10:00:00.000Z"),
        ("2024-01-01t10:00:00z", "2024-01-01T10:00:00.000Z"),
        ("2024-01-01 10:00:00", "2024-01-01T10:00:00.000Z"),
        ("2016-11-06T13:54:29-05:00", "2016-11-06T18:54:29.000Z"),
        ("2016-11-06T13:54:29+0530", "2016-11-06T08:24:29.000Z"),
        ("2024-01-01T10:00:00.123456789Z", "2024-01-01T10:00:00.123Z"),
        ("2024-01-01T10:00:00.9999Z", "2024-01-01T10:00:00.999Z"),  # floored, never rounded up
        ("2024-02-29T12:00:00Z", "2024-02-29T12:00:00.000Z"),
    ],
)
def test_parse_and_format(text, expected):
    assert format_instant(parse_instant(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "2024",
        "2024-W01",
        "P1D",
        "01/02/2024",
        "2024-02-30",
        "2023-02-29T00:00:00Z",
        "2024-04-31T00:00:00Z",
        "2024-01-01T24:00:00Z",
        "2024-13-01",
        "soon",
        "",
        None,
        20240101,
    ],
)
def test_what_is_not_an_rfc_3339_instant_is_refused(text):
    with pytest.raises(ValueError):
        parse_instant(text)


def test_legacy_bookmarks_and_api_stamps_become_canonical():
    assert canonical("2019-12-26T18:35:41.583Z") == "2019-12-26T18:35:41.583Z"
    assert canonical("2019-12-26T18:35:41Z") == "2019-12-26T18:35:41.000Z"
    assert canonical("2019-12-26T13:35:41.583-05:00") == "2019-12-26T18:35:41.583Z"
    with pytest.raises(ValueError):
        canonical("2024-02-30T00:00:00.000Z")  # canonical in shape, impossible in fact


@pytest.mark.parametrize(
    "text, fast",
    [
        ("2024-11-18T09:02:44.930Z", True),
        ("2024-01-31T23:59:59Z", True),
        ("2024-04-30T00:00:00.5Z", True),
        ("2024-02-28T00:00:00.000Z", True),
        ("2024-02-29T00:00:00.000Z", False),  # left to pendulum, which knows leap years
        ("2024-02-30T00:00:00Z", False),
        ("2024-02-31T00:00:00Z", False),
        ("2024-04-31T00:00:00Z", False),
        ("2024-06-31T00:00:00Z", False),
        ("2024-09-31T00:00:00Z", False),
        ("2024-11-31T00:00:00Z", False),
        ("0000-01-01T00:00:00Z", False),
        ("2024-12-31T23:59:60Z", False),
        ("2024-12-31T24:00:00Z", False),
    ],
)
def test_the_fast_path_passes_only_real_days(text, fast):
    assert bool(UTC_Z.fullmatch(text)) is fast


def test_conform_datetime():
    assert conform_datetime("2024-11-18T09:02:44.930Z") == "2024-11-18T09:02:44.930Z"
    assert conform_datetime("2024-02-29T00:00:00Z") == "2024-02-29T00:00:00.000Z"
    assert conform_datetime("2016-11-06T13:54:29-05:00") == "2016-11-06T18:54:29.000Z"
    assert conform_datetime("2016-11-06T13:54:29.123456+01:00") == "2016-11-06T12:54:29.123456Z"
    for impossible in ("2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z", "2024-04-31T08:00:00.000Z"):
        with pytest.raises(ValueError):
            conform_datetime(impossible)
