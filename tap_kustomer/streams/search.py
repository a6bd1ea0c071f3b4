"""Search streams: POST /v1/customers/search, walked by key past the 100-page cap, through ties,
across the two-year window, every answer checked against its query."""

import operator

from tap_kustomer.errors import AnswerError, BadRequestError, Refused
from tap_kustomer.facts import unconfirmed
from tap_kustomer.streams.base import LOGGER, Page, Stream, has_next, page_data
from tap_kustomer.streams.listing import ListStream
from tap_kustomer.streams.windows import ID_SPACE, MAX_WRITTEN, WindowWalk, hex_id
from tap_kustomer.timeutil import format_instant, now_utc

SEARCH_PATH = "/v1/customers/search"
ARCHIVE_SEARCH_PATH = "/v1/customers/archive/search"
# search operator -> (how a record's updatedAt must compare with the cursor, the words for one that does not)
FILTERS = {
    "gte": (operator.ge, "older than", ">="),
    "gt": (operator.gt, "not newer than", ">"),
    "equals": (operator.eq, "not at", "="),
}
PROBE_DAYS = 30  # --test reads records of the last month: a filter not applied shows as older ones
PROBE_SIZE = 20
PAGE_CAP = 100  # pages one search query serves


def _once(fn):
    """A generator function that runs fn's generator the first time only (fn may be None)."""
    done = []

    def run():
        if fn is not None and not done:
            done.append(True)
            yield from fn()

    return run


class SortIgnored(AnswerError):
    """A search page out of the order asked: the context does not sort (the unsorted walk reads it)."""


class Asked:
    """What a search query asked of its records, for checking its answer: a description, the words
    for a record it should not hold, the test each must pass, and the order they must come in."""

    def __init__(self, text, words, admits, order=None):
        self.text, self.words, self.admits, self.order = text, words, admits, order


class SearchStream(Stream):
    """Read through POST /v1/customers/search, sorted by <context>_updated_at ascending (or by the
    search attribute of another replication key: conversation times have only created_at).

    Pages are walked by key, not by page number: every request asks for page 1 of
    `updated_at >= cursor` and drops the records already written at the cursor instant. So the
    100-page cap is never reached, and a record updated mid-run (it moves to the end of the sort
    order) cannot shift an unread record past a page boundary. A block of records sharing one
    updatedAt that fills a whole page is read by id within that instant (see `_tie`).
    """

    context = None
    field_prefix = None  # the prefix of its search attributes, when it is not the context's own
    search_key = None  # the search attribute's suffix, when it is not the replication key
    counts_total = True  # the answer's meta.total counts this stream's records (for progress)

    def criteria_field(self, suffix):
        return f"{self.field_prefix or self.context}_{suffix}"

    @property
    def stamp_field(self):
        """The search attribute the walk filters and sorts on: <context>_updated_at for most."""
        return self.criteria_field(self.search_key or self.replication_key)

    def query(self, criteria, sort, include_deleted=True):
        """The search body; sent again with every page (it is not in links.next)."""
        return {
            "queryContext": self.context,
            "and": criteria,
            "sort": sort,
            "includeDeleted": include_deleted,
            "timeZone": "UTC",
        }

    def post_query(self, run, path, criteria, sort, page=1):
        try:
            payload = run.client.post(
                path,
                self.query(criteria, sort, run.config.include_deleted),
                params={"page": page, "pageSize": run.config.page_size},
            )
        except BadRequestError as exc:
            raise self._refused((self.name, path) not in run.answered, path, criteria, sort, exc) from None
        run.answered.add((self.name, path))
        if self.counts_total:
            run.note_total(self.name, payload)
        return payload, page_data(payload, f"a {self.name} search")

    def _refused(self, first, path, criteria, sort, exc):
        """A 400 named by the fact it contradicts, or as it came: a query on <context>_id (search-id),
        or this stream's `first` question on this path (archive-context, search-context)."""
        id_field = self.criteria_field("id")
        where = "archive search" if path == ARCHIVE_SEARCH_PATH else "search"
        if any(id_field in item for item in criteria + sort):
            fact, what = "search-id", f"a query on {id_field}"
        elif first:
            fact = "archive-context" if path == ARCHIVE_SEARCH_PATH else "search-context"
            what = f"queryContext {self.context!r} filtered on {self.stamp_field}"
        else:
            return exc
        said = exc.api_text or "no reason given"
        message = f"{self.name}: the {where} answered HTTP {exc.status} to {what} ({said})"
        return Refused(message, exc.status, exc.api_text, fact)

    def asked(self, op, instant, after_id=None):
        """What a query from the cursor asks of its records: `op` the cursor instant (gte, gt, or
        equals inside a tie, with ids past after_id), sorted by stamp (by id inside a tie)."""
        field, id_field = self.stamp_field, self.criteria_field("id")
        kept, words, symbol = FILTERS[op]
        text = f"{field} {symbol} {instant}" + (f" and {id_field} > {after_id}" if after_id else "")
        order = f"{id_field} ascending" if op == "equals" else f"{field} ascending"
        return Asked(text, words, lambda stamp, rid: kept(stamp, instant) and not (after_id and rid <= after_id), order)

    def window_asked(self, lo, hi, id_lo=None, id_hi=None):
        """What a window of the unsorted walk asks: stamps in [lo, hi), ids in [id_lo, id_hi), any order."""
        field, id_field = self.stamp_field, self.criteria_field("id")
        low = hex_id(id_lo) if id_lo is not None else None
        high = hex_id(id_hi) if id_hi is not None and id_hi < ID_SPACE else None
        text = f"{lo} <= {field} < {hi}" + (f" and {low} <= {id_field}" if low else "") + (f" < {high}" if high else "")
        return Asked(
            text,
            "outside",
            lambda stamp, rid: lo <= stamp < hi and (low is None or rid >= low) and (high is None or rid < high),
        )

    def check_answer(self, path, data, asked):
        """(stamp, resource) for each record of a search page, once the page is found to answer the
        query sent: every record within what was asked, in the order asked, no id twice. Otherwise
        an AnswerError (SortIgnored for the order alone): reading on could loop, or skip records
        without a word."""
        where = "archive search" if path == ARCHIVE_SEARCH_PATH else "search"
        out, ids, last = [], set(), None
        by_id = asked.order is not None and asked.order.endswith("_id ascending")
        for resource in data:
            stamp, rid = self.stamp(resource), resource["id"]
            if stamp is None:
                raise AnswerError(f"{self.name}: a {where} result ({rid}) has no readable {self.stamp_attribute}")
            if not asked.admits(stamp, rid):
                raise AnswerError(
                    f"{self.name}: the {where} answered records {asked.words} {asked.text}: the API did not apply "
                    f"the filter"
                )
            if rid in ids:
                raise AnswerError(f"{self.name}: the {where} answered record {rid} twice on one page ({asked.text})")
            ids.add(rid)
            position = rid if by_id else stamp
            if asked.order and last is not None and position < last:
                raise SortIgnored(
                    f"{self.name}: the {where} answered records out of {asked.order} order ({asked.text}): "
                    f"the API did not apply the sort"
                )
            last = position
            out.append((stamp, resource))
        return out

    def probe(self, client, config):
        """A page of the last month's records, checked as the sync checks every page; returned."""
        field = self.stamp_field
        since = max(config.start_date, format_instant(now_utc().subtract(days=PROBE_DAYS)))
        criteria, sort = [{field: {"gte": since}}], [{field: "asc"}]
        try:
            payload = client.post(SEARCH_PATH, self.query(criteria, sort), params={"page": 1, "pageSize": PROBE_SIZE})
        except BadRequestError as exc:
            raise self.unreadable(self._refused(True, SEARCH_PATH, criteria, sort, exc)) from None
        data = page_data(payload, f"a {self.name} search")
        try:
            return self.check_answer(SEARCH_PATH, data, self.asked("gte", since))
        except SortIgnored:  # the sync reads such a context by windows: only the filter matters
            return self.check_answer(SEARCH_PATH, data, self.window_asked(since, "\uffff"))

    def pages(self, run, start, params=None):
        key = self.replication_key
        cursor = Cursor(key, start[key], set(start.get("written", ())), after_id=start.get("after_id"))
        try:
            yield from self._read(run, cursor)
        except Refused as exc:
            if exc.fact != "search-context":
                raise
            yield from self.when_refused(run, start, params, exc)

    def when_refused(self, run, start, params, exc):
        """The search does not take this stream's context: the stream fails, naming the fact (a
        stream with another way to read everything overrides this)."""
        raise self.unreadable(exc) from None

    def unreadable(self, exc):
        """The error of a stream whose search context is refused, as the sync and --test report it."""
        if getattr(exc, "fact", None) != "search-context":
            return exc
        return Refused(
            f"{exc}: {self.name} cannot be read in this org; deselect it, and please report this "
            f"({unconfirmed('search-context')})",
            exc.status,
            exc.api_text,
            exc.fact,
        )

    def _read(self, run, cursor):
        if cursor.instant >= run.archive_boundary:
            yield from self._walk(run, SEARCH_PATH, cursor)
            return
        # Older than the search window: the archive first. Records keep ageing out of the search
        # window while the archive is read, so once the first search page is in hand (and before
        # it is written), the archive is read again from where it stopped: whatever crossed the
        # boundary in between is there now, and is written before the newer search page.
        before, wrote = cursor.copy(), False
        try:
            for page in self._walk(run, ARCHIVE_SEARCH_PATH, cursor):
                wrote = wrote or bool(page.records)
                yield page
        except Refused as exc:
            if exc.fact != "archive-context":
                raise

            # the archive does not take this context: search still reaches the last two years, from
            # wherever the cursor stands; once it answers, what only the archive holds is reported
            # (the stream is partial; a stream the search refuses too reads its listing, or fails)
            missed = (
                f"{exc}: records last updated before the search index's two years (about {run.search_edge}), "
                f"if it holds any, were not read"
            )

            def report():
                run.client.facts.lost(self.name, "archive-context", missed)
                return ()

            yield from self._walk(run, SEARCH_PATH, cursor, report)
            return
        if wrote:
            cursor.strict = False  # search may hold more records at the archive's last instant
        else:  # the bookmark was search's (the tap's margin asks the archive first): search resumes it as it was
            cursor.reset(before.instant, before.seen, before.strict, before.after_id)
        archived = cursor.copy()
        yield from self._walk(run, SEARCH_PATH, cursor, lambda: self._walk(run, ARCHIVE_SEARCH_PATH, archived))

    def _walk(self, run, path, cursor, before_first_page=None):
        """Everything at or after cursor on one search path: sorted by stamp as asked, or, once a
        page shows the context does not sort, by windows that each fit a page (windows.py).
        `before_first_page` runs once, when the first answer is in hand and before it is written."""
        first = _once(before_first_page)
        if (self.name, path) not in run.unsorted:
            start = cursor.copy()
            try:
                yield from self._sorted_walk(run, path, cursor, first)
                return
            except SortIgnored as exc:
                run.client.facts.met(
                    self.name,
                    "search-sort",
                    f"{str(exc).split(': ', 1)[1]}; it is read by windows of {self.stamp_field} that fit a page each "
                    f"instead (1.5 to 2 requests a page)",
                )
                run.unsorted.add((self.name, path))
                cursor.reset(start.instant, start.seen, start.strict, start.after_id)
        archive = path == ARCHIVE_SEARCH_PATH
        walk = WindowWalk(self, run, path, cursor, run.window_end, run.archive_ceiling if archive else None)
        yield from walk.pages(first)

    def _sorted_walk(self, run, path, cursor, first):
        """Yield (resources, checkpoint) for everything at or after cursor, advancing cursor.

        No request is sent twice: each one that check_answer lets through either brings records
        not yet written (the cursor moves), or starts a tie walk (which moves by id), or ends the
        walk. So a stream makes at most about one request per page of its records."""
        field = self.stamp_field
        sort = [{field: "asc"}]
        while True:
            if cursor.after_id is not None:
                yield from self._tie(run, path, cursor)
            op = "gt" if cursor.strict else "gte"
            payload, data = self.post_query(run, path, [{field: {op: cursor.instant}}], sort)
            answered = self.check_answer(path, data, self.asked(op, cursor.instant))
            yield from first()
            fresh = [(stamp, r) for stamp, r in answered if stamp != cursor.instant or r["id"] not in cursor.seen]
            if not fresh:
                if data and has_next(payload):  # a whole page of one instant, all written already
                    LOGGER.warning(
                        "%s: more than a page of records share one instant (%s); reading them in id order "
                        "(%s equals, %s gt)",
                        self.name,
                        cursor.instant,
                        field,
                        self.criteria_field("id"),
                    )
                    cursor.after_id = ""
                    continue
                return
            cursor.advance(fresh)
            yield Page([r for _, r in fresh], cursor.checkpoint())
            if not has_next(payload):
                return

    def _tie(self, run, path, cursor):
        """The records updated at exactly cursor.instant with id > cursor.after_id, in id order (by
        page numbers, where the search takes no query on ids).

        Ends with cursor past the instant (strict): every record at it has been written."""
        field, id_field = self.stamp_field, self.criteria_field("id")
        while (self.name, path) not in run.without_ids:
            criteria = [{field: {"equals": cursor.instant}}]
            if cursor.after_id:
                criteria.append({id_field: {"gt": cursor.after_id}})
            try:
                payload, data = self.post_query(run, path, criteria, [{id_field: "asc"}])
            except Refused as exc:
                if exc.fact != "search-id":
                    raise
                self.ids_refused(run, path, exc)
                break
            answered = self.check_answer(path, data, self.asked("equals", cursor.instant, cursor.after_id))
            fresh = [r for _, r in answered if r["id"] not in cursor.seen]
            if answered:
                cursor.after_id = answered[-1][1]["id"]
            if fresh:
                yield Page(fresh, cursor.checkpoint())
            if not answered or not has_next(payload):
                cursor.after_id, cursor.seen, cursor.strict = None, set(), True
                return
        cursor.after_id = None
        criteria = [{field: {"equals": cursor.instant}}]
        for fresh in self.by_pages(run, path, criteria, self.asked("equals", cursor.instant), cursor.seen):
            yield Page(fresh, cursor.checkpoint())
        cursor.seen, cursor.strict = set(), True

    def ids_refused(self, run, path, exc):
        """Note that the search takes no query on <context>_id on this path: instants holding more
        than a page are read by page numbers from now on."""
        run.without_ids.add((self.name, path))
        run.client.facts.met(
            self.name,
            "search-id",
            f"{exc}: more than a page of records share one instant, and they are read by page numbers within "
            f"that instant instead (again when a record left it meanwhile)",
        )

    def by_pages(self, run, path, criteria, asked, seen):
        """The records matching `criteria` (one instant: no query on ids) by page numbers, a page at
        a time, those not in `seen` (which grows). A record that leaves the instant meanwhile (it was
        updated) can shift another past a page boundary: when meta.total fell during a pass (or, with
        no meta.total, until a pass finds nothing new) the pages are read again. The search serves
        PAGE_CAP pages to a query: an instant holding more stops the stream, naming the fact."""
        sort = [{self.stamp_field: "asc"}]
        passes = 0
        while True:
            passes, totals, found = passes + 1, [], 0
            for page in range(1, PAGE_CAP + 1):
                payload, data = self.post_query(run, path, criteria, sort, page=page)
                answered = self.check_answer(path, data, asked)
                meta = payload.get("meta")
                totals.append(meta.get("total") if isinstance(meta, dict) else None)
                fresh = [r for _, r in answered if r["id"] not in seen]
                seen.update(r["id"] for r in fresh)
                found += len(fresh)
                yield fresh
                if not answered or not has_next(payload):
                    break
            else:
                raise AnswerError(
                    f"{self.name}: more than {PAGE_CAP} pages of records share one instant ({asked.text}), the "
                    f"search serves {PAGE_CAP} pages a query and takes no {self.criteria_field('id')} to walk them "
                    f"by: the rest cannot be read ({unconfirmed('search-id')})"
                )
            counted = all(isinstance(t, int) for t in totals)
            if (counted and totals[-1] >= totals[0]) or (passes > 1 and not found):
                return


class Cursor:
    """Where a search walk stands: everything before `instant` is written, and at `instant` the
    ids in `seen`; `strict` once all of `instant` is written; `after_id` while walking a tie by id.

    Its checkpoint (the bookmark, under `key`) carries the ids written at the instant (`written`),
    so a resumed run re-sends none of them: only the page that was in flight comes again."""

    MAX_WRITTEN = MAX_WRITTEN  # beyond this (only inside huge ties) the ids are left out: resuming re-sends them

    def __init__(self, key, instant, seen=None, strict=False, after_id=None):
        self.key, self.instant, self.seen, self.strict, self.after_id = key, instant, seen or set(), strict, after_id
        self.handed_over = set()  # ids the unsorted archive walk wrote past its ceiling: search skips them

    def copy(self):
        twin = Cursor(self.key, self.instant, set(self.seen), self.strict, self.after_id)
        twin.handed_over = self.handed_over  # one set for the walks that follow each other
        return twin

    def reset(self, instant, seen=(), strict=False, after_id=None):
        """Stand at `instant` again (a walk that starts over, or hands on to the next one)."""
        self.instant, self.seen, self.strict, self.after_id = instant, set(seen), strict, after_id

    def advance(self, fresh):
        """Note a page of (stamp, resource) written."""
        last = max(stamp for stamp, _ in fresh)
        if last != self.instant:
            self.instant, self.seen, self.strict = last, set(), False
        self.seen.update(r["id"] for stamp, r in fresh if stamp == last)

    def checkpoint(self):
        mark = {self.key: self.instant}
        if self.after_id:
            mark["after_id"] = self.after_id
        written = sorted(i for i in self.seen if not self.after_id or i > self.after_id)
        if written and len(written) <= self.MAX_WRITTEN:
            mark["written"] = written
        return mark


class SearchFanOut(SearchStream):
    """Records read for each record of a search walk, such as each changed conversation's
    attachments (a request per conversation), with a bookmark of their own on the walk's stamp.
    The walk is the one above, on the parent's context, with all its checks; `children` gives
    the records to write for one parent."""

    search_key = "updated_at"
    counts_total = False  # meta.total counts parents, not these records

    def children(self, run, parent):
        raise NotImplementedError

    def pages(self, run, start, params=None):
        for page in super().pages(run, start, params):
            yield Page([child for parent in page.records for child in self.children(run, parent)], page.checkpoint)


class SearchOrList(SearchStream, ListStream):
    """A search stream with a listing of every record (`path`) to fall back on when the search does
    not take its context: then the whole listing, every run, filtered by the tap like the others."""

    def when_refused(self, run, start, params, exc):
        run.client.facts.met(
            self.name,
            "search-context",
            f"{exc}: every record is read from {self.path} instead (a request per {self.page_size} records, every run)",
        )
        return ListStream.pages(self, run, start, params)

    def probe(self, client, config):
        try:
            SearchStream.probe(self, client, config)
        except BadRequestError:
            ListStream.probe(self, client, config)
