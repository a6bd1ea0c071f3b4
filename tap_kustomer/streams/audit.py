"""The audit log: GET /v1/audit-logs, append-only, read window by window of createdAt.

Within a window the API pages by cursor (`links.next`, `count` up to 1,000) in an order nobody
documents (newest first, likely), so nothing is promised until a window is complete: then the
bookmark moves to the window's end, and a kill costs at most one window. Windows start at a day
and double while one request holds a whole window (up to a month), or halve when one takes more
than ten: the walk makes about one request per 1,000 entries, and few for empty stretches.

UNCONFIRMED (../shared/kustomer-api-streams.md): the format of filter[start] and filter[end], which
instant they compare, and whether their ends are included. The tap asks for each window from a
millisecond before its start to its end, accepts entries up to a minute outside it (in case the
API filters on publishedAt), writes each entry once (ids near a window's end are carried into the
next, and into the bookmark), and stops the stream with a CRITICAL line when an answer holds entries
further outside: the filter was not applied.
"""

import pendulum

from tap_kustomer.errors import AnswerError
from tap_kustomer.streams.base import LOGGER, Page, Stream, page_data
from tap_kustomer.timeutil import format_instant, parse_instant

COUNT = 1000
FIRST_WINDOW, WIDEST, NARROWEST = pendulum.duration(days=1), pendulum.duration(days=31), pendulum.duration(hours=1)
SLACK = pendulum.duration(minutes=1)
MAX_CARRIED = 1000  # ids near a window's end kept in the bookmark; beyond that, a resume may re-send them
RETENTION = pendulum.duration(days=366)  # Kustomer keeps entries 90 days (most updates) to 12 months


class AuditLogs(Stream):
    """GET /v1/audit-logs?count=1000&filter[start]=...&filter[end]=..., following links.next."""

    name, path = "audit_logs", "/v1/audit-logs"
    replication_key, stamp_attribute = "created_at", "createdAt"
    expected_type = "audit_log"

    def pages(self, run, start, params=None):
        first_run = run.state["bookmarks"].get(self.name) is None
        begin, end = parse_instant(start["created_at"]), parse_instant(run.signpost)
        horizon = run.now - RETENTION
        if begin < horizon:
            LOGGER.info(
                "%s: Kustomer keeps audit entries 90 days to 12 months: reading from %s rather than %s",
                self.name,
                format_instant(horizon),
                start["created_at"],
            )
            begin = horizon
        carried, span, oldest, low = set(start.get("written", ())), FIRST_WINDOW, None, begin
        while low < end:
            high = min(low + span, end)
            query = {
                "count": COUNT,
                "filter[start]": format_instant(low.subtract(microseconds=1000)),
                "filter[end]": format_instant(high),
            }
            lowest, highest = format_instant(low - SLACK), format_instant(high + SLACK)
            near_end = format_instant(high - SLACK)
            seen, late, requests = set(carried), set(), 0
            for payload in run.client.pages(self.path, query, self.name):
                requests += 1
                fresh = []
                for entry in page_data(payload, "the audit log"):
                    stamp = self.stamp(entry)
                    if stamp is None or not lowest <= stamp <= highest:
                        raise AnswerError(
                            f"{self.name}: the audit log answered an entry created at {stamp}, outside "
                            f"filter[start] {query['filter[start]']} and filter[end] {query['filter[end]']}: the "
                            f"API did not apply the date filter as the tap expects (UNCONFIRMED: its format, and "
                            f"the instant it compares)"
                        )
                    if entry["id"] in seen:
                        continue
                    seen.add(entry["id"])
                    fresh.append(entry)
                    if stamp >= near_end:
                        late.add(entry["id"])  # may come again in the next window: not written twice
                    if oldest is None or stamp < oldest:
                        oldest = stamp
                yield Page(fresh)
            carried = late
            mark = {"created_at": format_instant(high)}
            if late and len(late) <= MAX_CARRIED:
                mark["written"] = sorted(late)
            yield Page([], mark)
            low = high
            if requests <= 1:
                span = min(span * 2, WIDEST)
            elif requests > 10:
                span = max(span / 2, NARROWEST)
        if first_run and oldest is not None:
            LOGGER.info("%s: the log reached back to %s", self.name, oldest)

    def probe(self, client, config):
        page_data(client.get(self.path, params={"count": 1}), "the audit log")


STREAMS = (AuditLogs,)
