"""The nine streams: one small declaration each, and one paging algorithm per kind of endpoint.

A stream's `pages(run, start)` yields `(resources, checkpoint)`: the resources to write, and the
bookmark ({"updated_at": ...}, plus `after_id` and `written` for search streams) up to which
everything has then been written, or None when nothing can be promised yet.
"""

import logging
import operator

from tap_kustomer.errors import AnswerError, KustomerError
from tap_kustomer.timeutil import canonical

LOGGER = logging.getLogger("tap_kustomer")

SEARCH_PATH = "/v1/customers/search"
ARCHIVE_SEARCH_PATH = "/v1/customers/archive/search"
# search operator -> (how a record's updatedAt must compare with the cursor, the words for one that does not)
FILTERS = {
    "gte": (operator.ge, "older than", ">="),
    "gt": (operator.gt, "not newer than", ">"),
    "equals": (operator.eq, "not at", "="),
}


def page_data(payload, what):
    data = payload.get("data")
    if not isinstance(data, list):
        raise KustomerError(f"the API answered {what} without a 'data' list; got keys {sorted(payload)[:5]}")
    for item in data:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise KustomerError(f"the API answered {what} with a record that has no id")
    return data


def _updated_at(resource):
    """The record's updatedAt in canonical form, or None if it has none we can read."""
    raw = (resource.get("attributes") or {}).get("updatedAt")
    try:
        return canonical(raw)
    except (TypeError, ValueError):
        return None


def _deleted(resource):
    attributes = resource.get("attributes") or {}
    return attributes.get("deleted") is True or bool(attributes.get("deletedAt"))


def _has_next(payload):
    links = payload.get("links")
    return isinstance(links, dict) and bool(links.get("next"))


class Stream:
    name = None
    key_properties = ("id",)
    replication_key = "updated_at"
    metadata_resource = None  # where GET /v1/metadata/... describes its custom attributes

    @staticmethod
    def derive(record, resource, wants):
        """Fields computed from the resource rather than copied from it; most streams have none."""


class SearchStream(Stream):
    """Read through POST /v1/customers/search, sorted by <context>_updated_at ascending.

    Pages are walked by key, not by page number: every request asks for page 1 of
    `updated_at >= cursor` and drops the records already written at the cursor instant. So the
    100-page cap is never reached, and a record updated mid-run (it moves to the end of the sort
    order) cannot shift an unread record past a page boundary. A block of records sharing one
    updatedAt that fills a whole page is read by id within that instant (see `_tie`).
    """

    context = None

    def criteria_field(self, suffix):
        return f"{self.context}_{suffix}"

    def query(self, criteria, sort, include_deleted=True):
        """The search body; sent again with every page (it is not in links.next)."""
        return {
            "queryContext": self.context,
            "and": criteria,
            "sort": sort,
            "includeDeleted": include_deleted,
            "timeZone": "UTC",
        }

    def _post(self, run, path, criteria, sort):
        payload = run.client.post(
            path,
            self.query(criteria, sort, run.config.include_deleted),
            params={"page": 1, "pageSize": run.config.page_size},
        )
        run.note_total(self.name, payload)
        return payload, page_data(payload, f"a {self.name} search")

    def check_answer(self, path, data, op, instant, after_id=None):
        """(updatedAt, resource) for each record of a search page, once the page is found to answer
        the query sent: every record at or after the cursor as asked, in the order asked (updatedAt
        ascending; id ascending inside a tie walk), no id twice. Otherwise an AnswerError: reading
        on could loop, or skip records without a word."""
        field, id_field = self.criteria_field("updated_at"), self.criteria_field("id")
        kept, words, symbol = FILTERS[op]
        query = f"{field} {symbol} {instant}" + (f" and {id_field} > {after_id}" if after_id else "")
        where = "archive search" if path == ARCHIVE_SEARCH_PATH else "search"
        out, ids, last = [], set(), None
        for resource in data:
            stamp, rid = _updated_at(resource), resource["id"]
            if stamp is None:
                raise AnswerError(f"{self.name}: a {where} result ({rid}) has no readable updatedAt")
            if not kept(stamp, instant) or (after_id and rid <= after_id):
                raise AnswerError(
                    f"{self.name}: the {where} answered records {words} {query}: the API did not apply the filter"
                )
            if rid in ids:
                raise AnswerError(f"{self.name}: the {where} answered record {rid} twice on one page ({query})")
            ids.add(rid)
            position = rid if op == "equals" else stamp
            if last is not None and position < last:
                order = f"{id_field} ascending" if op == "equals" else f"{field} ascending"
                raise AnswerError(
                    f"{self.name}: the {where} answered records out of {order} order ({query}): "
                    f"the API did not apply the sort"
                )
            last = position
            out.append((stamp, resource))
        return out

    def pages(self, run, start):
        cursor = Cursor(start["updated_at"], set(start.get("written", ())), after_id=start.get("after_id"))
        if cursor.instant >= run.archive_boundary:
            yield from self._walk(run, SEARCH_PATH, cursor)
            return
        # Older than the search window: the archive first. Records keep ageing out of the search
        # window while the archive is read, so once the first search page is in hand (and before
        # it is written), the archive is read again from where it stopped: whatever crossed the
        # boundary in between is there now, and is written before the newer search page.
        yield from self._walk(run, ARCHIVE_SEARCH_PATH, cursor)
        archived = cursor.copy()
        yield from self._walk(run, SEARCH_PATH, cursor, lambda: self._walk(run, ARCHIVE_SEARCH_PATH, archived))

    def _walk(self, run, path, cursor, before_first_page=None):
        """Yield (resources, checkpoint) for everything at or after cursor, advancing cursor.

        No request is sent twice: each one that check_answer lets through either brings records
        not yet written (the cursor moves), or starts a tie walk (which moves by id), or ends the
        walk. So a stream makes at most about one request per page of its records."""
        field = self.criteria_field("updated_at")
        sort = [{field: "asc"}]
        while True:
            if cursor.after_id is not None:
                yield from self._tie(run, path, cursor)
            op = "gt" if cursor.strict else "gte"
            payload, data = self._post(run, path, [{field: {op: cursor.instant}}], sort)
            answered = self.check_answer(path, data, op, cursor.instant)
            if before_first_page:
                yield from before_first_page()
                before_first_page = None
            fresh = [(stamp, r) for stamp, r in answered if stamp != cursor.instant or r["id"] not in cursor.seen]
            if not fresh:
                if data and _has_next(payload):  # a whole page of one instant, all written already
                    LOGGER.warning(
                        "%s: more than a page of records share updatedAt %s; reading them in id order "
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
            yield [r for _, r in fresh], cursor.checkpoint()
            if not _has_next(payload):
                return

    def _tie(self, run, path, cursor):
        """The records updated at exactly cursor.instant with id > cursor.after_id, in id order.

        Ends with cursor past the instant (strict): every record at it has been written."""
        field, id_field = self.criteria_field("updated_at"), self.criteria_field("id")
        while True:
            criteria = [{field: {"equals": cursor.instant}}]
            if cursor.after_id:
                criteria.append({id_field: {"gt": cursor.after_id}})
            payload, data = self._post(run, path, criteria, [{id_field: "asc"}])
            answered = self.check_answer(path, data, "equals", cursor.instant, cursor.after_id)
            fresh = [r for _, r in answered if r["id"] not in cursor.seen]
            if answered:
                cursor.after_id = answered[-1][1]["id"]
            if fresh:
                yield fresh, cursor.checkpoint()
            if not answered or not _has_next(payload):
                cursor.after_id, cursor.seen, cursor.strict = None, set(), True
                return


class Cursor:
    """Where a search walk stands: everything before `instant` is written, and at `instant` the
    ids in `seen`; `strict` once all of `instant` is written; `after_id` while walking a tie by id.

    Its checkpoint (the bookmark) carries the ids written at the instant (`written`), so a resumed
    run re-sends none of them: only the page that was in flight comes again."""

    MAX_WRITTEN = 1000  # beyond this (only inside huge ties) the ids are left out: resuming re-sends them

    def __init__(self, instant, seen=None, strict=False, after_id=None):
        self.instant, self.seen, self.strict, self.after_id = instant, seen or set(), strict, after_id

    def copy(self):
        return Cursor(self.instant, set(self.seen), self.strict, self.after_id)

    def advance(self, fresh):
        """Note a page of (stamp, resource) written."""
        last = max(stamp for stamp, _ in fresh)
        if last != self.instant:
            self.instant, self.seen, self.strict = last, set(), False
        self.seen.update(r["id"] for stamp, r in fresh if stamp == last)

    def checkpoint(self):
        mark = {"updated_at": self.instant}
        if self.after_id:
            mark["after_id"] = self.after_id
        written = sorted(i for i in self.seen if not self.after_id or i > self.after_id)
        if written and len(written) <= self.MAX_WRITTEN:
            mark["written"] = written
        return mark


class ListStream(Stream):
    """Read a page-number list (GET path?page=N&pageSize=M), following links.next until null.

    These endpoints cannot filter by updatedAt, so every page is read and records older than the
    bookmark are skipped here. The bookmark moves only after the last page.
    """

    path = None
    page_size = 100
    variants = ({},)  # extra query parameters; one full listing per entry

    def pages(self, run, start):
        start, include_deleted, newest = start["updated_at"], run.config.include_deleted, None
        for extra in self.variants if include_deleted else self.variants[:1]:
            for payload in run.client.pages(self.path, {"page": 1, "pageSize": self.page_size, **extra}, self.name):
                keep = []
                for resource in page_data(payload, f"the {self.name} list"):
                    stamp = _updated_at(resource)
                    if (stamp is None or stamp >= start) and (include_deleted or not _deleted(resource)):
                        keep.append(resource)  # (no date: kept rather than lost)
                    if stamp and (newest is None or stamp > newest):
                        newest = stamp
                yield keep, None
        yield [], {"updated_at": newest} if newest else None


class Conversations(SearchStream):
    """Conversations, via search context `conversation`."""

    name, context = "conversations", "conversation"
    metadata_resource = "conversation"


class Customers(SearchStream):
    """Customers, via search context `customer`."""

    name, context = "customers", "customer"
    metadata_resource = "customer"


class KObjects(SearchStream):
    """Custom objects of every klass, via search context `kobject`; `klass_name` from `kobject.<name>`."""

    name, context = "kobjects", "kobject"
    metadata_resource = "kobject"  # every klass: GET /v1/klasses, then /v1/metadata/kobject.<name>

    @staticmethod
    def derive(record, resource, wants):
        rtype = resource.get("type") or ""
        if wants("klass_name") and rtype.startswith("kobject."):
            record["klass_name"] = rtype[len("kobject.") :]


class Messages(SearchStream):
    """Messages, via search context `message`."""

    name, context = "messages", "message"
    metadata_resource = "message"


class Notes(SearchStream):
    """Notes, via search context `note`."""

    name, context = "notes", "note"


class Shortcuts(ListStream):
    """GET /v1/shortcuts."""

    name, path, page_size = "shortcuts", "/v1/shortcuts", 100


class Tags(ListStream):
    """GET /v1/tags."""

    name, path, page_size = "tags", "/v1/tags", 100


class Teams(ListStream):
    """GET /v1/teams."""

    name, path, page_size = "teams", "/v1/teams", 500


class Users(ListStream):
    """GET /v1/users, once for active users and once for deactivated ones."""

    name, path, page_size = "users", "/v1/users", 500
    variants = ({"deleted": "false"}, {"deleted": "true"})  # deactivated last: dropped by include_deleted false


STREAMS = {
    cls.name: cls() for cls in (Conversations, Customers, KObjects, Messages, Notes, Shortcuts, Tags, Teams, Users)
}
