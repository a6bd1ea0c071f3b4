"""The audit log: GET /v1/audit-logs, append-only, read window by window of createdAt.

Kustomer documents the log's paging by cursor: entries newest first, `count` (up to 1,000) at a
time, links.next asking for the entries `before` the page's last one. Its example's next link
carries the count and the cursor only, not the filter[start] / filter[end] the first page was asked
with: followed, it runs on past the window's start into older entries. So within a window the walk
follows links.next until an entry passes the window's start (an older entry belongs to an earlier
window, written already or still to come: not an error, and not written here) or the links end. When
the API keeps the filter in its next links, every page stays inside the window, in any order.

Nothing is promised until a window is complete: then the bookmark moves to the window's end, and a
kill costs at most one window. Windows start at a day and double while one request holds a whole
window (up to a month, or a year while they come back empty), or halve when one takes more than
ten: the walk makes about one request per 1,000 entries, and few for empty stretches. The walk
starts at the bookmark (start_date at first) whatever its age: what Kustomer still keeps (90 days
to 12 months) is the API's to say, not the local clock's.

UNCONFIRMED (../shared/kustomer-api-streams.md): the format of filter[start] and filter[end], which
instant they compare, and whether their ends are included. The tap asks for each window from a
millisecond before its start to its end, accepts entries up to a minute outside it on a filtered page
(in case the API filters on publishedAt), writes each entry once (ids near a window's end are carried
into the next, and into the bookmark), and stops the stream with a CRITICAL line when an answer does
not fit: entries further outside a filtered page (the filter was not applied), or, following an
unfiltered next link, entries newer than the window's end or out of order (the cursor did not move
back in time, so the walk cannot tell where the window ends).
"""

from urllib.parse import parse_qs, urlsplit

import pendulum

from tap_kustomer.errors import AnswerError
from tap_kustomer.streams.base import LOGGER, Page, Stream, has_next, page_data
from tap_kustomer.timeutil import format_instant, parse_instant

COUNT = 1000
FIRST_WINDOW, WIDEST, NARROWEST = pendulum.duration(days=1), pendulum.duration(days=31), pendulum.duration(hours=1)
EMPTY_WIDEST = pendulum.duration(days=366)  # through a stretch with no entry (a start_date long ago)
SLACK = pendulum.duration(minutes=1)
MAX_CARRIED = 1000  # ids near a window's end kept in the bookmark; beyond that, a resume may re-send them
WINDOW_FILTER = ("filter[start]", "filter[end]")


class AuditLogs(Stream):
    """GET /v1/audit-logs?count=1000&filter[start]=...&filter[end]=..., following links.next."""

    name, path = "audit_logs", "/v1/audit-logs"
    replication_key, stamp_attribute = "created_at", "createdAt"
    expected_type = "audit_log"

    def pages(self, run, start, params=None):
        first_run = run.state["bookmarks"].get(self.name) is None
        begin, end = parse_instant(start["created_at"]), parse_instant(run.signpost)
        carried, span, oldest, low = set(start.get("written", ())), FIRST_WINDOW, None, begin
        while low < end:
            high = min(low + span, end)
            window = Window(self, low, high, carried, run.client.facts)
            for fresh in window.walk(run.client):
                yield Page(fresh)
            if window.oldest is not None and (oldest is None or window.oldest < oldest):
                oldest = window.oldest
            carried = window.late
            mark = {"created_at": format_instant(high)}
            if carried and len(carried) <= MAX_CARRIED:
                mark["written"] = sorted(carried)
            yield Page([], mark)
            low = high
            if window.requests <= 1:
                span = min(span * 2, WIDEST if window.oldest is not None else EMPTY_WIDEST)
            elif window.requests > 10:
                span = max(span / 2, NARROWEST)
        if first_run and oldest is not None:
            LOGGER.info("%s: the log reached back to %s", self.name, oldest)

    def probe(self, client, config):
        page_data(client.get(self.path, params={"count": 1}), "the audit log")


class Window:
    """One window of createdAt, [low, high): its requests, the entries it wrote, the ids it carries on.

    `seen` starts with the ids the previous window wrote near its end (`carried`), so none is
    written twice; `late` is what this window hands the next one."""

    def __init__(self, stream, low, high, carried, facts):
        self.stream, self.name, self.facts = stream, stream.name, facts
        self.low, self.high = format_instant(low), format_instant(high)
        self.lowest, self.highest = format_instant(low - SLACK), format_instant(high + SLACK)
        self.near_end = format_instant(high - SLACK)
        self.query = {"count": COUNT, "filter[start]": format_instant(low.subtract(microseconds=1000))}
        self.query["filter[end]"] = self.high
        self.seen, self.late = set(carried), set()
        self.requests, self.oldest = 0, None
        self.newest_first = None  # learnt from the first two entries created at different instants
        self.previous = None  # the createdAt of the last entry read

    def walk(self, client):
        """The entries not written yet, a page at a time, until the window is read whole."""
        filtered = True  # the first page is asked with the window's filter; next links may drop it
        for payload in client.pages(self.stream.path, self.query, self.name):
            self.requests += 1
            fresh, ended = self.take(page_data(payload, "the audit log"), filtered)
            yield fresh
            if ended:
                return
            filtered = keeps_filter(payload)
            if filtered and has_next(payload):
                self.facts.met(
                    self.name,
                    "audit-next",
                    "the audit log's links.next repeats the window's filter[start] and filter[end]: each page stays "
                    "inside its window, read in whatever order it comes",
                )

    def take(self, entries, filtered):
        """(the entries of one page to write, whether the window ended on this page)."""
        fresh = []
        for entry in entries:
            stamp = self.stream.stamp(entry)
            if stamp is None:
                raise AnswerError(f"{self.name}: the audit log answered an entry ({entry['id']}) with no createdAt")
            previous, self.previous = self.previous, stamp
            if self.newest_first is None and previous is not None and stamp != previous:
                self.newest_first = stamp < previous
                if not self.newest_first:
                    self.facts.met(
                        self.name,
                        "audit-order",
                        "the audit log answers oldest first: its next links are followed to the window's end",
                    )
            if filtered:
                if not self.query["filter[start]"] <= stamp <= self.high and self.lowest <= stamp <= self.highest:
                    self.facts.met(
                        self.name,
                        "audit-filter",
                        f"the audit log answered an entry created at {stamp} for the window {self.low} to {self.high}: "
                        f"its filter compares another instant (publishedAt?); entries up to a minute outside a window "
                        f"are taken, each written once",
                    )
                if not self.lowest <= stamp <= self.highest:
                    raise AnswerError(
                        f"{self.name}: the audit log answered an entry created at {stamp}, outside filter[start] "
                        f"{self.query['filter[start]']} and filter[end] {self.query['filter[end]']}: the API did not "
                        f"apply the date filter as the tap expects (UNCONFIRMED: its format, and the instant it "
                        f"compares)"
                    )
            elif self._past_the_window(stamp, previous):
                return fresh, True
            if entry["id"] in self.seen:
                continue
            self.seen.add(entry["id"])
            fresh.append(entry)
            if stamp >= self.near_end:
                self.late.add(entry["id"])  # may come again in the next window: not written twice
            if self.oldest is None or stamp < self.oldest:
                self.oldest = stamp
        return fresh, False

    def _past_the_window(self, stamp, previous):
        """On a page of a next link without the window's filter: whether this entry passed the end the
        walk moves towards (the window's start, newest first as documented; its end, oldest first).
        An entry on the wrong side of the window, or out of order, stops the stream."""
        backwards = self.newest_first is not False
        wrong_side = stamp > self.highest if backwards else stamp < self.lowest
        out_of_order = previous is not None and (stamp > previous if backwards else stamp < previous)
        if wrong_side or out_of_order:
            side = "newer than its end" if backwards else "older than its start"
            where = f"{side} (window {self.low} to {self.high})"
            raise AnswerError(
                f"{self.name}: following links.next, the audit log answered an entry created at {stamp}, "
                f"{where if wrong_side else 'after one created at ' + previous}: its cursor did not move "
                f"{'back' if backwards else 'forward'} in time, so the tap cannot tell where the window ends"
            )
        return stamp < self.low if backwards else stamp >= self.high


def keeps_filter(payload):
    """Whether the answer's next link asks for the window's filter again (Kustomer's example: it does not)."""
    links = payload.get("links")
    target = links.get("next") if isinstance(links, dict) else None
    if not isinstance(target, str):
        return True
    asked = parse_qs(urlsplit(target).query)
    return all(name in asked for name in WINDOW_FILTER)


STREAMS = (AuditLogs,)
