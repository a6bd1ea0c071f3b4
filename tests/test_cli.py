"""The command's behaviour on bad input: one CRITICAL line, a non-zero exit, no traceback, no token."""

import json

import pytest
from conftest import sandbox_config, selected_catalog

SECRET = "tok-SECRET-abcdef123456"


def critical_lines(run):
    return [line for line in run.stderr.splitlines() if line.startswith("CRITICAL")]


GOOD_STATE = {"bookmarks": {"tags": {"updated_at": "2024-01-01T00:00:00.000Z"}}}
NOT_JSON = "{this is: not json"


def _with_field(catalog, field):
    tags = next(entry for entry in catalog["streams"] if entry["stream"] == "tags")
    tags["metadata"].append({"breadcrumb": ["properties", field], "metadata": {"selected": True}})
    return catalog


# (name, config changes (None deletes a key), catalog, state, words in the one CRITICAL line)
BAD_INPUT = [
    ("token missing", {"api_token": None}, None, None, "'api_token' is missing"),
    ("token empty", {"api_token": ""}, None, None, "'api_token' is missing or empty"),
    ("start missing", {"start_date": None}, None, None, "'start_date' is missing"),
    ("start malformed", {"start_date": "01/02/2024"}, None, None, "'start_date' '01/02/2024' is not an RFC 3339"),
    ("start in the future", {"start_date": "2999-01-01"}, None, None, "is in the future"),
    ("http to a remote host", {"base_url": "http://10.1.2.3"}, None, None, "https is required"),
    ("base_url with a path", {"base_url": "https://acme.api.kustomerapp.com/v1"}, None, None, "has a path"),
    ("unknown region", {"base_url": None, "region": "mars"}, None, None, "'region' 'mars' is unknown"),
    ("bad subdomain", {"base_url": None, "subdomain": "a/b"}, None, None, "'subdomain' 'a/b' is not a subdomain"),
    ("page_size zero", {"page_size": 0}, None, None, "'page_size' must be between 1 and 500"),
    (
        "include_deleted not a boolean",
        {"include_deleted": "maybe"},
        None,
        None,
        "'include_deleted' must be true or false",
    ),
    ("unknown log level", {"log_level": "LOUD"}, None, None, "'log_level' 'LOUD' is unknown"),
    ("config not JSON", NOT_JSON, None, None, "config file"),
    ("config not an object", [1, 2], None, None, "must hold a JSON object"),
    ("no catalog", {}, None, None, "no catalog given"),
    ("catalog not JSON", {}, NOT_JSON, None, "catalog file"),
    ("catalog not an object", {}, [], None, "'streams' list"),
    ("catalog unknown stream", {}, {"streams": [{"stream": "bogus"}]}, None, "unknown stream 'bogus'"),
    ("catalog field not in schema", {}, "field", None, "fields missing from its schema: nope"),
    ("state not JSON", {}, "tags", NOT_JSON, "state file"),
    ("state not an object", {}, "tags", ["not", "an", "object"], "state file must hold a JSON object"),
    (
        "bookmark not a date",
        {},
        "tags",
        {"bookmarks": {"tags": {"updated_at": "soon"}}},
        "bookmark for 'tags' is not a date",
    ),
    ("bookmarks not an object", {}, "tags", {"bookmarks": ["tags"]}, "'bookmarks' must be an object"),
    (
        "after_id not an id",
        {},
        "tags",
        {"bookmarks": {"tags": {"updated_at": "2024-01-01", "after_id": 7}}},
        "after_id",
    ),
    ("token rejected", {"api_token": "tok-SECRET-wrong"}, "tags", GOOD_STATE, "HTTP 401: the API token was rejected"),
    ("wrong region", {"api_token": "tok-SECRET-eu-key"}, "tags", None, "belongs to another region: set region to 'eu'"),
]


@pytest.mark.parametrize(
    "config, catalog, state, words", [case[1:] for case in BAD_INPUT], ids=[c[0] for c in BAD_INPUT]
)
def test_bad_input(sandbox, tap, tmp_path, config, catalog, state, words):
    if isinstance(config, dict):
        merged = {**sandbox_config(sandbox), **config}
        config = {k: v for k, v in merged.items() if v is not None}
    if catalog == "tags":
        catalog = selected_catalog({"tags"})
    elif catalog == "field":
        catalog = _with_field(selected_catalog({"tags"}), "nope")
    args = []
    for name, value in (("--catalog", catalog), ("--state", state)):
        if isinstance(value, str):  # a file that is not JSON
            path = tmp_path / f"raw{name}.json"
            path.write_text(value)
            args += [name, str(path)]
    run = tap(
        {} if isinstance(config, str) else config,
        None if isinstance(catalog, str) else catalog,
        None if isinstance(state, str) else state,
        args=args + (["-c", str(_raw(tmp_path, config))] if isinstance(config, str) else []),
        check=False,
    )
    assert run.returncode == 1
    lines = critical_lines(run)
    assert len(lines) == 1 and words in lines[0], run.stderr
    assert "Traceback" not in run.stderr and run.stdout == ""
    token = config.get("api_token") if isinstance(config, dict) else None
    if token:
        assert token not in run.stderr


def _raw(tmp_path, text):
    path = tmp_path / "raw_config.json"
    path.write_text(text)
    return path


def test_config_that_is_not_json(tap, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{api_token: x")
    run = tap({"api_token": "x", "start_date": "2024-01-01"}, args=["--discover", "-c", str(path)], check=False)
    assert run.returncode == 1 and "is not valid JSON" in critical_lines(run)[0]


def test_rejected_token_stops_with_the_apis_words_and_no_token(sandbox, tap):
    config = {**sandbox_config(sandbox), "api_token": SECRET}
    run = tap(config, selected_catalog({"customers"}), check=False)
    assert run.returncode == 1
    lines = critical_lines(run)
    assert len(lines) == 1 and "HTTP 401" in lines[0] and "Invalid auth token" in lines[0]
    assert SECRET not in run.stderr + run.stdout


def test_legacy_flat_state_and_properties_flag(sandbox, tap, tmp_path):
    mark = max(r["attributes"]["updatedAt"] for r in sandbox.store.resources["tags"])
    catalog = tmp_path / "properties.json"
    catalog.write_text(json.dumps(selected_catalog({"tags"})))
    run = tap(sandbox_config(sandbox), state={"bookmarks": {"tags": mark}}, args=["-p", str(catalog)])
    assert [r["updated_at"] for r in run.records("tags")] == [mark]
    assert run.last_state["bookmarks"]["tags"] == {"updated_at": mark}
