"""What reaches stderr at each log level, with singer-python's logging.conf reloads in the way."""

import re
import subprocess
import sys
import textwrap

import pytest
from conftest import ROOT, make_sandbox, selected_catalog

SECRET = "tok-SECRET-logging-5d1e"
LINE = re.compile(r"(DEBUG|INFO|WARNING|ERROR|CRITICAL) \S")


@pytest.fixture(scope="module")
def box():
    sandbox = make_sandbox(token=SECRET)
    yield sandbox
    sandbox.stop()


def sync_stderr(box, tap, level, flag=False, **extra):
    config = {"api_token": SECRET, "start_date": "2015-01-01T00:00:00Z", "base_url": box.base_url, **extra}
    args = ["--log-level", level] if flag else []
    if not flag:
        config["log_level"] = level
    run = tap(config, selected_catalog({"tags", "customers"}), args=args)
    assert run.records("tags") and run.records("customers")
    assert SECRET not in run.stderr + run.stdout
    lines = run.stderr.splitlines()
    assert all(LINE.match(line) for line in lines), [x for x in lines if not LINE.match(x)][:3]
    return lines


@pytest.mark.parametrize("flag", [False, True], ids=["log_level", "--log-level"])
def test_warning_keeps_only_problems(box, tap, flag):
    lines = sync_stderr(box, tap, "WARNING", flag, colour="blue")
    assert lines == ["WARNING config has unknown keys, ignored: colour"]  # METRIC lines are INFO: left out


def test_info_has_progress_and_singer_metrics_but_no_request_lines(box, tap):
    lines = sync_stderr(box, tap, "INFO")
    text = "\n".join(lines)
    assert "INFO tags: page 1" in text and "INFO sync finished" in text
    assert re.search(r'^INFO METRIC: \{"type": "timer", "metric": "http_request_duration"', text, re.M)
    assert re.search(
        r'^INFO METRIC: \{"type": "counter", "metric": "record_count", "value": \d+, "tags": '
        r'\{"endpoint": "customers"\}\}',
        text,
        re.M,
    )
    assert not [x for x in lines if x.startswith("DEBUG")]
    assert "Skipping stream" not in text  # singer-python's own INFO lines stay out, as before


def test_debug_adds_each_request_and_still_hides_the_token(box, tap):
    lines = sync_stderr(box, tap, "DEBUG")
    text = "\n".join(lines)
    assert re.search(r"^DEBUG POST http://127\.0\.0\.1:\d+/v1/customers/search params=", text, re.M)
    assert re.search(r"^DEBUG GET http://127\.0\.0\.1:\d+/v1/tags params=", text, re.M)
    assert "INFO METRIC:" in text and "INFO customers: page 1" in text


def test_a_reload_of_singers_logging_conf_changes_nothing():
    """singer.get_logger() reloads logging.conf (root handlers replaced, root level INFO): after
    it, the tap's lines keep their level, format and redaction, and METRIC lines their level."""
    script = textwrap.dedent(
        f"""
        import logging, singer
        from tap_kustomer.logs import LOGGER, REDACT, setup_logging, record_counter, http_request_timer
        setup_logging("WARNING")
        REDACT.secrets = [{SECRET!r}]
        singer.get_logger()  # what singer-python does on import and in every Counter and Timer
        LOGGER.info("hidden info")
        with record_counter("tags") as counter:
            counter.increment(3)
        with http_request_timer("/v1/tags"):
            pass
        singer.get_logger()
        LOGGER.warning("token %s in a message", {SECRET!r})
        LOGGER.setLevel("DEBUG")
        singer.get_logger()
        LOGGER.debug("shown debug")
        with record_counter("users"):
            pass
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0] == "WARNING token <redacted> in a message"
    assert lines[1] == "DEBUG shown debug"
    assert lines[2].startswith('INFO METRIC: {"type": "counter", "metric": "record_count", "value": 0')
    assert len(lines) == 3 and SECRET not in done.stderr
