"""The nine streams: one small declaration each, and one paging algorithm per kind of endpoint.

A stream's `pages(run, start)` yields `(resources, checkpoint)`: the resources to write, and the
updated_at up to which everything has then been written (None when nothing can be promised yet).
"""

import logging

from tap_kustomer.errors import KustomerError
from tap_kustomer.timeutil import canonical

LOGGER = logging.getLogger("tap_kustomer")

SEARCH_PATH = "/v1/customers/search"
ARCHIVE_SEARCH_PATH = "/v1/customers/archive/search"


def _page_data(payload, what):
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


def _has_next(payload):
    links = payload.get("links")
    return isinstance(links, dict) and bool(links.get("next"))


class Stream:
    name = None
    key_properties = ("id",)
    replication_key = "updated_at"

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

    def query(self, criteria, sort):
        return {"queryContext": self.context, "and": criteria, "sort": sort, "includeDeleted": True, "timeZone": "UTC"}

    def _post(self, run, path, criteria, sort):
        payload = run.client.post(
            path, self.query(criteria, sort), params={"page": 1, "pageSize": run.config.page_size}
        )
        run.note_total(self.name, payload)
        return payload, _page_data(payload, f"a {self.name} search")

    def pages(self, run, start):
        field = self.criteria_field("updated_at")
        sort = [{field: "asc"}]
        cursor, seen, strict = start, set(), False
        paths = (ARCHIVE_SEARCH_PATH, SEARCH_PATH) if start < run.archive_boundary else (SEARCH_PATH,)
        for path in paths:
            while True:
                op = "gt" if strict else "gte"
                payload, data = self._post(run, path, [{field: {op: cursor}}], sort)
                fresh = []
                for resource in data:
                    stamp = _updated_at(resource)
                    if stamp is None:
                        raise KustomerError(f"a {self.name} search result {resource['id']} has no readable updatedAt")
                    if stamp == cursor and resource["id"] in seen:
                        continue
                    fresh.append((stamp, resource))
                if not fresh:
                    if data and _has_next(payload):  # a whole page of one instant, all written already
                        yield from self._tie(run, path, cursor, seen)
                        seen, strict = set(), True
                        continue
                    break
                last = max(stamp for stamp, _ in fresh)
                if last != cursor:
                    cursor, seen, strict = last, set(), False
                seen.update(r["id"] for stamp, r in fresh if stamp == cursor)
                yield [r for _, r in fresh], cursor
                if not _has_next(payload):
                    break

    def _tie(self, run, path, instant, seen):
        """Every record updated at exactly `instant`, walked by id (equals + id > last id, sorted by id)."""
        field, id_field = self.criteria_field("updated_at"), self.criteria_field("id")
        LOGGER.warning(
            "%s: more than a page of records share updatedAt %s; reading them in id order", self.name, instant
        )
        last_id = None
        while True:
            criteria = [{field: {"equals": instant}}]
            if last_id:
                criteria.append({id_field: {"gt": last_id}})
            payload, data = self._post(run, path, criteria, [{id_field: "asc"}])
            fresh = [r for r in data if r["id"] not in seen]
            if fresh:
                yield fresh, instant
            if not data or not _has_next(payload):
                return
            if data[-1]["id"] == last_id:
                raise KustomerError(f"the {self.name} search did not honour the id order within {instant}")
            last_id = data[-1]["id"]


class ListStream(Stream):
    """Read a page-number list (GET path?page=N&pageSize=M), following links.next until null.

    These endpoints cannot filter by updatedAt, so every page is read and records older than the
    bookmark are skipped here. The bookmark moves only after the last page.
    """

    path = None
    page_size = 100
    variants = ({},)  # extra query parameters; one full listing per entry

    def pages(self, run, start):
        newest = None
        for extra in self.variants:
            target, params = self.path, {"page": 1, "pageSize": self.page_size, **extra}
            while target:
                payload = run.client.get(target, params=params)
                keep = []
                for resource in _page_data(payload, f"the {self.name} list"):
                    stamp = _updated_at(resource)
                    if stamp is None or stamp >= start:  # no date: keep it rather than lose it
                        keep.append(resource)
                    if stamp and (newest is None or stamp > newest):
                        newest = stamp
                yield keep, None
                links = payload.get("links") or {}
                target, params = links.get("next"), None
        yield [], newest


class Conversations(SearchStream):
    """Conversations, via search context `conversation`."""

    name, context = "conversations", "conversation"


class Customers(SearchStream):
    """Customers, via search context `customer`."""

    name, context = "customers", "customer"


class KObjects(SearchStream):
    """Custom objects of every klass, via search context `kobject`; `klass_name` from `kobject.<name>`."""

    name, context = "kobjects", "kobject"

    @staticmethod
    def derive(record, resource, wants):
        rtype = resource.get("type") or ""
        if wants("klass_name") and rtype.startswith("kobject."):
            record["klass_name"] = rtype[len("kobject.") :]


class Messages(SearchStream):
    """Messages, via search context `message`."""

    name, context = "messages", "message"


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
    variants = ({"deleted": "false"}, {"deleted": "true"})


STREAMS = {
    cls.name: cls() for cls in (Conversations, Customers, KObjects, Messages, Notes, Shortcuts, Tags, Teams, Users)
}
