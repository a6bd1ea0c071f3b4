"""What became of each selected stream: how a failure is judged (that stream's, or the whole
run's), and the table that ends every run.

A failure costs what it touches. An answer a stream cannot use (one that does not fit its query,
an envelope of the wrong shape, a 400/404/409/422 on its own path, a record the tap cannot read)
or a fault that outlasts max_retry_seconds on its own requests ends that stream (and the children
its listing feeds); the others run to their end. What no other stream could get past ends the run
at once: the token rejected, the org's rate budget gone, the API itself not answering, stdout
closed, a signal. The README's "When things go wrong" says which is which, and why.
"""

import logging
import re
from dataclasses import dataclass

from tap_kustomer import errors
from tap_kustomer.facts import DOCS, FACTS

LOGGER = logging.getLogger("tap_kustomer")

COMPLETE, PARTIAL, FAILED, SKIPPED = "complete", "partial", "failed", "skipped"
STOPPED, NOT_STARTED = "stopped", "not started"  # what a run-wide stop leaves unfinished
SKIP, FAIL, STOP = "skip", "fail", "stop"  # verdicts
REASON_WIDTH = 64  # the table is read at a glance; the ERROR line above it has the whole reason


@dataclass
class Outcome:
    status: str
    reason: str = ""

    def __str__(self):
        return f"{self.status}: {self.reason}" if self.reason else self.status


def judge(exc, streams, client, config):
    """(verdict, the error to report) for an exception met while syncing `streams` (one family,
    or one child of it): SKIP by rule, FAIL those streams only, or STOP the run."""
    if isinstance(exc, errors.RateLimitError):
        return STOP, exc  # the org's whole budget is gone: every other stream would wait as long
    if isinstance(exc, errors.AuthError):
        # The token passed the run's first check, so a 401 on a stream's path is a missing role
        # (older Kustomer answers 401 for that) unless the token itself has stopped working.
        if isinstance(client.check_once(), errors.AuthError):
            return STOP, errors.AuthError(
                f"the API token was rejected mid-run ({exc}): check that the key still exists and is enabled",
                exc.status,
                exc.api_text,
            )
    if isinstance(exc, (errors.AuthError, errors.ForbiddenError)):
        return (SKIP if config.skip_forbidden_streams else FAIL), exc
    if any(isinstance(exc, stream.missing_errors) for stream in streams):
        return SKIP, exc  # an org without that feature: nothing to read
    if isinstance(exc, errors.TransientError):
        # A fault that outlasted max_retry_seconds: this stream's path, or the whole API? One more
        # try of the token check tells. An outage would fail every stream in turn, each after
        # max_retry_seconds: it stops the run instead.
        down = client.check_once()
        if isinstance(down, errors.TransientError):
            return STOP, errors.TransientError(
                f"the Kustomer API is not answering: {exc}; and the token check fails too ({down}). "
                f"The whole API is down, not one stream's path: run again later, with the last STATE",
                exc.status,
                exc.api_text,
            )
        return FAIL, exc
    if isinstance(exc, errors.KustomerError):
        return FAIL, exc
    if isinstance(exc, OSError):
        return STOP, exc  # stdout closed (the target died) and the like: nothing more can be written
    if isinstance(exc, Exception):
        LOGGER.error("%s: an unexpected error; please report this with the log", ", ".join(s.name for s in streams))
        LOGGER.error("the traceback", exc_info=exc)
        return FAIL, exc
    return STOP, exc


def short(reason):
    """A reason cut to the table's width, on one line."""
    text = " ".join(str(reason).split())
    return text if len(text) <= REASON_WIDTH else text[: REASON_WIDTH - 3] + "..."


def reason_of(exc):
    """The words of an error for a person: the tap's own message, or what a bug's exception says."""
    if isinstance(exc, errors.KustomerError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def summary_table(names, outcomes, counts, requests, extra_requests, facts=None):
    """The run's end as a table: each selected stream, its outcome, records, requests and the
    UNCONFIRMED facts its answers contradicted (the tap adapted, or the outcome says what is missing);
    then what each of those facts is."""
    rows = [("stream", "outcome", "records", "requests", "facts met")]
    met = {}
    for name in sorted(names):
        outcome = outcomes.get(name) or Outcome(NOT_STARTED)
        text = outcome.status if not outcome.reason else f"{outcome.status}: {short(outcome.reason)}"
        names_met = facts.names(name) if facts else []
        met.update(dict.fromkeys(names_met))
        rows.append((name, text, f"{counts.get(name, 0):,}", f"{requests.get(name, 0):,}", ", ".join(names_met)))
    if extra_requests:
        rows.append(("(token check)", "", "", f"{extra_requests:,}", ""))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = []
    for i, row in enumerate(rows):
        cells = (f"{row[0]:<{widths[0]}}", f"{row[1]:<{widths[1]}}", f"{row[2]:>{widths[2]}}", f"{row[3]:>{widths[3]}}")
        lines.append(("  ".join(cells) + "  " + row[4]).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    if met:
        lines.append(f"UNCONFIRMED facts this org's API answered otherwise ({DOCS}):")
        lines.extend(f"  {fact}: the tap assumed {FACTS[fact]}" for fact in met)
    return "\n".join(lines)


ROW = re.compile(
    r"^(?:INFO|ERROR) (\S+) +(complete|partial|failed|skipped|stopped|not started)(?:: (.*?))? +([\d,]+) +([\d,]+)"
    r"(?:  (\S.*))?$"
)


def read_table(log):
    """stream -> (outcome, reason, records, requests, facts met) from the table that ends a run, as
    a run's stderr holds it (for the tests and the benchmarks)."""
    rows = {}
    for line in log.splitlines():
        found = ROW.match(line)
        if found and found.group(1) != "stream":
            name, status, reason, records, requests, facts = found.groups()
            met = tuple(facts.split(", ")) if facts else ()
            rows[name] = (status, reason or "", int(records.replace(",", "")), int(requests.replace(",", "")), met)
    return rows


def headline(names, outcomes):
    """One line: how many streams came to each outcome."""
    tally = {}
    for name in names:
        status = (outcomes.get(name) or Outcome(NOT_STARTED)).status
        tally[status] = tally.get(status, 0) + 1
    order = (COMPLETE, PARTIAL, FAILED, SKIPPED, STOPPED, NOT_STARTED)
    return ", ".join(f"{tally[s]} {s}" for s in order if s in tally) or "no stream"
