"""Config validation: one clear message naming the key, before any network call."""

import json
from datetime import datetime, timezone

import pytest

from tap_kustomer.config import load_config
from tap_kustomer.errors import ConfigError

NOW = datetime(2026, 11, 28, tzinfo=timezone.utc)
GOOD = {"api_token": "t", "start_date": "2024-01-01T00:00:00Z"}


def load(**changes):
    raw = {**GOOD, **changes}
    for key, value in list(raw.items()):
        if value is None:
            del raw[key]
    warnings = []
    return load_config(raw, NOW, lambda msg, *args: warnings.append(msg % args)), warnings


@pytest.mark.parametrize(
    "changes, words",
    [
        ({"api_token": None}, "'api_token' is missing"),
        ({"api_token": "  "}, "'api_token' is missing"),
        ({"start_date": None}, "'start_date' is missing"),
        ({"start_date": "01/02/2024"}, "'start_date' '01/02/2024' is not an RFC 3339 date"),
        ({"start_date": "2030-01-01"}, "'start_date' '2030-01-01' is in the future"),
        ({"base_url": "http://api.example.com"}, "https is required"),
        ({"base_url": "https://acme.api.kustomerapp.com/v1"}, "has a path"),
        ({"base_url": "acme"}, "is not a URL"),
        ({"region": "mars"}, "'region' 'mars' is unknown"),
        ({"subdomain": "a b"}, "'subdomain' 'a b' is not a subdomain"),
        ({"page_size": 501}, "'page_size' must be between 1 and 500"),
        ({"page_size": "lots"}, "'page_size' must be a number"),
        ({"request_timeout": 0}, "'request_timeout' must be between"),
        ({"max_retry_seconds": -1}, "'max_retry_seconds' must be between 0 and 86400"),
        ({"max_retries": "often"}, "'max_retries' must be a number"),
    ],
)
def test_bad_config_names_the_key(changes, words):
    with pytest.raises(ConfigError) as caught:
        load(**changes)
    assert words in str(caught.value)


@pytest.mark.parametrize(
    "changes, base",
    [
        ({}, "https://api.kustomerapp.com"),
        ({"region": "eu"}, "https://api.prod2.kustomerapp.com"),
        ({"region": "in"}, "https://api.prod4.kustomerapp.com"),
        ({"subdomain": "acme", "region": "eu"}, "https://acme.api.kustomerapp.com"),
        ({"base_url": "http://127.0.0.1:8765/", "subdomain": "acme"}, "http://127.0.0.1:8765"),
        ({"base_url": "http://localhost:9"}, "http://localhost:9"),
        ({"base_url": "", "subdomain": "acme"}, "https://acme.api.kustomerapp.com"),
    ],
)
def test_where_the_api_lives_first_match_wins(changes, base):
    assert load(**changes)[0].base_url == base


def test_defaults_bare_date_and_unknown_keys():
    config, warnings = load(start_date="2024-01-01", colour="blue", page_size="200")
    assert config.start_date == "2024-01-01T00:00:00.000Z"
    assert config.page_size == 200 and config.request_timeout == 60
    assert config.max_retries is None and config.max_retry_seconds == 600
    assert config.user_agent.startswith("tap-kustomer/")
    assert warnings == ["config has unknown keys, ignored: colour"]
    secret, _ = load(api_token="tok-VERY-SECRET")
    assert "VERY-SECRET" not in repr(secret) and "VERY-SECRET" not in str(secret)


def test_the_docs_and_sample_config_show_every_setting():
    from pathlib import Path

    from tap_kustomer.config import SETTINGS

    root = Path(__file__).resolve().parent.parent
    readme = (root / "docs" / "configuration.md").read_text()
    sample = json.loads((root / "sample_config.json").read_text())
    for key in SETTINGS:
        assert f"| `{key}` |" in readme, key
        assert key in sample, key
