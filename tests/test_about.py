"""--about, --version and --test."""

import json

from conftest import make_sandbox, sandbox_config

from tap_kustomer.config import SETTINGS, VERSION
from tap_kustomer.streams import STREAMS


def test_about_json_lists_capabilities_and_every_setting(tap):
    run = tap({}, args=["--about", "--format", "json", "-c", "/nonexistent"])
    info = json.loads(run.stdout)
    assert info["name"] == "tap-kustomer" and info["version"] == VERSION
    assert set(info["capabilities"]) >= {"catalog", "discover", "state", "about", "test"}
    settings = {s["name"]: s for s in info["settings"]}
    assert set(settings) == set(SETTINGS)
    assert settings["api_token"]["sensitive"] and settings["api_token"]["required"]
    assert settings["page_size"]["default"] == 500 and settings["page_size"]["kind"] == "integer"


def test_about_markdown_and_version(tap):
    run = tap({}, args=["--about"])
    assert run.stdout.startswith(f"# tap-kustomer {VERSION}") and "| `max_requests_per_minute` |" in run.stdout
    assert tap({}, args=["--version"]).stdout.strip() == f"tap-kustomer {VERSION}"


def test_connection_test_reports_each_stream(tap):
    box = make_sandbox(forbidden=("message",))
    try:
        run = tap(sandbox_config(box), args=["--test"], check=False)
        assert run.returncode == 1
        rows = {
            line.split("|")[1].strip(): line.split("|")[2].strip()
            for line in run.stdout.splitlines()
            if line.startswith("| ") and not line.startswith("| stream")
        }
        assert set(rows) == set(STREAMS)
        assert rows["messages"].startswith("NO: HTTP 403") and "Missing role" in rows["messages"]
        assert all(rows[name] == "yes" for name in STREAMS if name != "messages")
        assert run.stdout.startswith("token and region: ok")
        assert sum(1 for line in run.stderr.splitlines() if line.startswith("CRITICAL")) == 1
    finally:
        box.stop()


def test_connection_test_passes_and_fails_on_the_token(sandbox, tap):
    assert tap(sandbox_config(sandbox), args=["--test"]).returncode == 0
    bad = tap({**sandbox_config(sandbox), "api_token": "nope-not-it"}, args=["--test"], check=False)
    assert (
        bad.returncode == 1
        and "token and region: FAILED: HTTP 401" in bad.stdout
        and "nope-not-it" not in bad.stdout + bad.stderr
    )


def test_the_meltano_plugin_definition_has_every_setting_and_capability():
    from conftest import ROOT

    text = (ROOT / "meltano" / "meltano.yml").read_text()
    extractor = text[text.index("- name: tap-kustomer") : text.index("loaders:")]
    for name in SETTINGS:
        assert f"- name: {name}\n" in extractor, name
    for capability in ("catalog", "discover", "state", "about", "test"):
        assert f"    - {capability}\n" in extractor
    assert "name: api_token\n      kind: password" in extractor and "sensitive: true" in extractor
    guide = (ROOT / "docs" / "pipelines.md").read_text()  # the block a Meltano user copies
    for name in SETTINGS:
        assert f"- name: {name}\n" in guide, name
