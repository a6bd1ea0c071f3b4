"""The command's behaviour on bad input: one CRITICAL line, a non-zero exit, no traceback, no token."""

import json

import pytest
from conftest import sandbox_config, selected_catalog

SECRET = "tok-SECRET-abcdef123456"


def critical_lines(run):
    return [line for line in run.stderr.splitlines() if line.startswith("CRITICAL")]


@pytest.mark.parametrize(
    "config, catalog, state, words",
    [
        ({"start_date": "2024-01-01"}, None, None, "'api_token' is missing"),
        ({"api_token": SECRET, "start_date": "tomorrow"}, None, None, "'start_date' 'tomorrow' is not an RFC 3339"),
        (
            {"api_token": SECRET, "start_date": "2024-01-01", "base_url": "http://10.1.2.3"},
            None,
            None,
            "https is required",
        ),
        ({"api_token": SECRET, "start_date": "2024-01-01"}, None, None, "no catalog given"),
        (
            {"api_token": SECRET, "start_date": "2024-01-01"},
            {"streams": [{"stream": "bogus"}]},
            None,
            "unknown stream 'bogus'",
        ),
        (
            {"api_token": SECRET, "start_date": "2024-01-01"},
            "catalog",
            {"bookmarks": {"customers": {"updated_at": "soon"}}},
            "bookmark for 'customers' is not a date",
        ),
        (
            {"api_token": SECRET, "start_date": "2024-01-01"},
            "catalog",
            ["not", "an", "object"],
            "state file must hold a JSON object",
        ),
    ],
)
def test_bad_input(tap, config, catalog, state, words):
    if catalog == "catalog":
        catalog = selected_catalog({"tags"})
    run = tap(config, catalog, state, check=False)
    assert run.returncode == 1
    lines = critical_lines(run)
    assert len(lines) == 1 and words in lines[0], run.stderr
    assert "Traceback" not in run.stderr and SECRET not in run.stderr and run.stdout == ""


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
