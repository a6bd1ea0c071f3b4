"""Command line: flags as singer-python's parse_args has them, logging, and clean failure."""

import argparse
import dataclasses
import gc
import json
import logging
import os
import signal
import sys

from tap_kustomer.config import LOG_LEVELS, VERSION, load_config
from tap_kustomer.errors import InputError, Interrupted, TapError
from tap_kustomer.logs import LOGGER, METRICS, REDACT, setup_logging
from tap_kustomer.timeutil import now_utc


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="tap-kustomer", description="Singer tap for the Kustomer API")
    parser.add_argument("-c", "--config", help="config file (see sample_config.json)")
    parser.add_argument("-s", "--state", help="state file: the last STATE value of an earlier run")
    parser.add_argument("-p", "--properties", help="catalog file (deprecated spelling of --catalog)")
    parser.add_argument("--catalog", help="catalog file with the streams and fields to sync selected")
    parser.add_argument("-d", "--discover", action="store_true", help="write the catalog to stdout")
    parser.add_argument("--about", action="store_true", help="what the tap is, its capabilities and settings")
    parser.add_argument("--format", choices=("json", "markdown"), default="markdown", help="--about output format")
    parser.add_argument("--test", action="store_true", help="check the token, region and each stream's read role")
    parser.add_argument("--log-level", type=str.upper, choices=LOG_LEVELS, help="overrides the config's log_level")
    parser.add_argument("--version", action="version", version=f"tap-kustomer {VERSION}")
    return parser.parse_args(argv)


def read_json(path, what):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        raise InputError(f"cannot read the {what} file {path}: {exc.strerror}") from None
    except ValueError as exc:
        raise InputError(f"the {what} file {path} is not valid JSON ({exc}): fix it") from None


def run(argv):
    from tap_kustomer.about import TEST_RETRY_SECONDS, about_text, connection_test
    from tap_kustomer.catalog import discover
    from tap_kustomer.client import KustomerClient
    from tap_kustomer.sync import read_state, sync
    from tap_kustomer.writer import Writer

    args = parse_args(argv)
    if args.about:
        print(about_text(args.format))
        return
    if not args.config:
        raise InputError("no config given: pass --config config.json (see sample_config.json)")
    raw = read_json(args.config, "config")
    if isinstance(raw, dict) and isinstance(raw.get("api_token"), str) and raw["api_token"].strip():
        REDACT.secrets = [raw["api_token"].strip()]
    config = load_config(raw, now_utc(), LOGGER.warning)
    LOGGER.setLevel(args.log_level or config.log_level)
    if (args.test or args.discover) and LOGGER.level > logging.DEBUG:
        METRICS.setLevel(logging.WARNING)  # a person reads these at a terminal: request timings only at DEBUG
    if args.test:
        config = dataclasses.replace(config, max_retry_seconds=min(config.max_retry_seconds, TEST_RETRY_SECONDS))
        if not connection_test(KustomerClient(config), config, print):
            raise TapError("the connection test failed: see the table above")
        return
    if args.discover:
        json.dump(discover(KustomerClient(config)), sys.stdout, indent=2)
        sys.stdout.write("\n")
        return
    catalog_path = args.catalog or args.properties
    if not catalog_path:
        raise InputError(
            "no catalog given: run with --discover > catalog.json, select streams, then pass --catalog catalog.json"
        )
    catalog = read_json(catalog_path, "catalog")
    state = read_state(read_json(args.state, "state") if args.state else None)
    sync(config, KustomerClient(config), catalog, state, Writer())


def _on_signal(number, frame):
    for sig in (signal.SIGTERM, signal.SIGINT):  # one is enough: finish stopping undisturbed
        signal.signal(sig, signal.SIG_IGN)
    raise Interrupted(signal.Signals(number).name)


def tune_gc():
    """Records are trees without cycles, freed by reference counting; the cyclic collector only has
    to look now and then. With the defaults it rescans every decoded page many times over (about a
    fifth of the CPU per record, measured in benchmarks/)."""
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)


def main(argv=None):
    tune_gc()
    setup_logging()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, _on_signal)
    try:
        run(sys.argv[1:] if argv is None else argv)
    except TapError as exc:
        LOGGER.critical("%s", exc)
        sys.exit(getattr(exc, "exit_code", 1))
    except Interrupted as exc:
        LOGGER.critical(
            "stopped by %s; the last STATE printed covers everything written: run again with it to resume",
            exc.signal_name,
        )
        sys.exit(128 + getattr(signal, exc.signal_name))
    except BrokenPipeError:
        # stdout is gone: point it at /dev/null so the interpreter's final flush stays quiet
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        LOGGER.critical("the target stopped reading (broken pipe on stdout): check the target's own error output")
        sys.exit(1)
    except Exception as exc:  # a bug: keep the traceback, but on stderr and without the token
        LOGGER.exception("unexpected error")
        LOGGER.critical(
            "tap-kustomer failed unexpectedly (%s: %s); please report this with the log above", type(exc).__name__, exc
        )
        sys.exit(1)
