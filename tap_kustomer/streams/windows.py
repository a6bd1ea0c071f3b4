"""The search walk that needs no sort: windows of time small enough that each one's matches fit
in one page.

Kustomer documents sorting for customer attributes only ("Sorting based on other standard Object
attributes is unavailable"). The tap sorts every context by its `<context>_updated_at` (other
connectors do too, against real orgs), and every answer is checked against the sort it asked for.
When a context answers unsorted, its walk continues here: it asks for the records with
`updated_at >= lo` and `< hi`, without a sort, and reads a window only when its page holds every
match (`meta.total`, or no `links.next`, says so). A window with more is narrowed; a window that
fits is written whole, and the bookmark moves to its end. A window
of one millisecond that holds more than a page is read the same way by ranges of ids. Widths are
guessed from how many records the last window held or matched (about 80% of a page, if records are
spread evenly): 1.45 requests a page of records at 50,000 records, measured (docs/performance.md). So nothing
is lost, ties of any size are read, the 100-page cap is never met (only page 1 is ever asked), and
a kill costs at most the window in flight.
"""

import pendulum

from tap_kustomer.errors import Refused
from tap_kustomer.streams.base import LOGGER, Page, has_next
from tap_kustomer.timeutil import format_instant, parse_instant

ID_SPACE = 1 << 96  # ids are 24 hex digits
MS = 1
MAX_WRITTEN = 1000  # ids a bookmark carries inside one instant (as the sorted walk's Cursor)


def to_ms(instant):
    return int(parse_instant(instant).timestamp() * 1000)


def from_ms(ms):
    return format_instant(pendulum.from_timestamp(ms / 1000))


def hex_id(number):
    return f"{number:024x}"


class WindowWalk:
    """One stream's unsorted walk of one search path, from a cursor to `end` (epoch ms); its
    checkpoints never pass `ceiling` (an instant: the archive's share of time, when reading it)."""

    def __init__(self, stream, run, path, cursor, end, ceiling=None):
        self.stream, self.run, self.path, self.cursor = stream, run, path, cursor
        self.end, self.ceiling = end, ceiling
        self.field, self.id_field = stream.stamp_field, stream.criteria_field("id")
        self.page = run.config.page_size  # records a page holds (the API may clamp it: a full page tells)

    def pages(self, before_first_page=None):
        cursor, start = self.cursor, to_ms(self.cursor.instant)
        self.began = (cursor.instant, set(cursor.seen), cursor.strict, cursor.after_id)
        at_start = cursor.instant  # records there may be written already: `seen`, or ids up to after_id
        first = start + MS if cursor.strict else start
        written = set() if cursor.strict else set(cursor.seen)
        after = None if cursor.strict else cursor.after_id
        lo, width = first, max(MS, self.end - first)
        while lo < self.end:
            hi = min(lo + width, self.end)
            payload, answered = self._ask(lo, hi)
            if before_first_page:
                yield from before_first_page()
                before_first_page = None
            matches = self._matches(payload, answered)
            if matches is not None and hi - lo > MS:  # more than a page: a narrower window
                width = self._resize(hi - lo, matches, shrink=True)
                continue
            if matches is not None:
                yield from self._instant(lo, written if lo == start else set(), after if lo == start else None)
            else:
                fresh = [
                    r
                    for stamp, r in answered
                    if stamp != at_start or not (r["id"] in written or (after and r["id"] <= after))
                ]
                yield Page(self._hand_over(answered, fresh), self._mark(hi))
                width = self._resize(hi - lo, len(answered))
            lo = hi
        self._settle(self.end)

    def _instant(self, at, written, after):
        """Every record at one millisecond, by ranges of ids that each fit a page (by page numbers
        where the search takes no query on ids)."""
        instant = from_ms(at)
        LOGGER.warning(
            "%s: more than a page of records share one instant (%s), and the search does not sort: reading "
            "them by ranges of %s",
            self.stream.name,
            instant,
            self.id_field,
        )
        if (self.stream.name, self.path) not in self.run.without_ids:
            try:
                yield from self._id_ranges(at, instant, written, after)
                return
            except Refused as exc:
                if exc.fact != "search-id":
                    raise
                self.stream.ids_refused(self.run, self.path, exc)
        seen, key = set(written), self.stream.replication_key
        criteria = [{self.field: {"gte": instant}}, {self.field: {"lt": from_ms(at + MS)}}]
        asked = self.stream.window_asked(instant, from_ms(at + MS))
        inside = self.ceiling is None or instant <= self.ceiling
        for fresh in self.stream.by_pages(self.run, self.path, criteria, asked, seen):
            fresh = [r for r in fresh if not (after and r["id"] <= after)]
            mark = {key: instant, "written": sorted(seen)} if inside and len(seen) <= MAX_WRITTEN else None
            yield Page(fresh, mark)
        yield Page([], self._mark(at + MS))

    def _id_ranges(self, at, instant, written, after):
        lo = int(after, 16) + 1 if after else 0
        width = ID_SPACE - lo
        while lo < ID_SPACE:
            hi = min(lo + width, ID_SPACE)
            payload, answered = self._ask(at, at + MS, lo, hi)
            matches = self._matches(payload, answered)
            if matches is not None and hi - lo > 1:
                width = self._resize(hi - lo, matches, shrink=True)
                continue
            fresh = [r for _, r in answered if r["id"] not in written]
            inside = hi < ID_SPACE and (self.ceiling is None or instant <= self.ceiling)
            mark = {self.stream.replication_key: instant, "after_id": hex_id(hi - 1)} if inside else None
            yield Page(fresh, mark or self._mark(at + MS if hi >= ID_SPACE else at))
            lo, width = hi, self._resize(hi - lo, len(answered))

    def _hand_over(self, answered, fresh):
        """The archive and search overlap by the tap's margin around the two-year edge (its own
        clock's, not the API's): what the archive walk writes past its ceiling is noted, and the
        walks that follow from the ceiling (search, and the archive read again) skip it."""
        handed = self.cursor.handed_over
        out = [r for r in fresh if r["id"] not in handed] if handed else fresh
        if self.ceiling is not None:
            handed.update(r["id"] for stamp, r in answered if stamp > self.ceiling)
        return out

    def _resize(self, width, count, shrink=False):
        """The next window's width from this one's and how many records it held (or matched): as wide
        as should hold about 80% of a page, if the records are spread evenly; at most four times as
        wide, and narrower than this one after an overflow."""
        target = self.page * 0.8
        if count <= 0:
            return width * 4
        guess = int(width * target / count)
        if shrink:
            return max(1, min(guess, width // 2 if guess >= width else guess))
        return max(1, min(guess, width * 4))

    def _ask(self, lo, hi, id_lo=None, id_hi=None):
        """Page 1 of the records in [lo, hi) (and ids in [id_lo, id_hi)), unsorted, checked."""
        criteria = [{self.field: {"gte": from_ms(lo)}}, {self.field: {"lt": from_ms(hi)}}]
        if id_lo is not None:
            criteria.append({self.id_field: {"gte": hex_id(id_lo)}})
            if id_hi < ID_SPACE:
                criteria.append({self.id_field: {"lt": hex_id(id_hi)}})
        payload, data = self.stream.post_query(self.run, self.path, criteria, [])
        asked = self.stream.window_asked(from_ms(lo), from_ms(hi), id_lo, id_hi)
        return payload, self.stream.check_answer(self.path, data, asked)

    def _matches(self, payload, answered):
        """None when the page holds every match of its query; else how many there are (or, where
        meta.total is missing or capped below the page, at least one more: its links.next says so)."""
        meta = payload.get("meta")
        total = meta.get("total") if isinstance(meta, dict) else None
        counted = isinstance(total, int) and total > len(answered)
        if not (counted or has_next(payload)):  # neither meta.total (it may be capped) nor links.next says more
            return None
        if answered:
            self.page = len(answered)  # a full page: what the API serves at a time (it may clamp)
        return total if counted else len(answered) * 2

    def _mark(self, hi):
        """The bookmark once everything before `hi` (epoch ms) is written, within the ceiling."""
        instant = from_ms(hi)
        if self.ceiling is not None and instant > self.ceiling:
            instant = self.ceiling
        return {self.stream.replication_key: instant}

    def _settle(self, end):
        """Leave the cursor where this walk's promise ends, for the walk that follows (never before
        where it began: a bookmark past the archive's ceiling stays as it was)."""
        mark = self._mark(end)[self.stream.replication_key]
        if mark > self.began[0]:
            self.cursor.reset(mark)
        else:
            self.cursor.reset(*self.began)
