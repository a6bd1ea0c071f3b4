"""The sandbox's search: POST /v1/customers/search and the archive beside it, with the operators,
sort, includeDeleted, the 100-page cap and the two-year window, as ../shared/kustomer-api.md says."""

import bisect
import time

from tap_kustomer.sandbox.errors import ApiError, jsonapi_error
from tap_kustomer.sandbox.store import CONTEXTS, stamp

SEARCH_PAGE_MAX = 500
MAX_CRITERIA = 20
OPERATORS = ("equals", "gt", "gte", "lt", "lte", "in", "contains", "not_set")


class SearchApi:
    """The search half of the sandbox's Api (which provides options, store and _forbid)."""

    def _search(self, path, query, body, archive):
        if self.options.search_latency:
            time.sleep(self.options.search_latency)
        if self.options.boundary_drift_per_search:
            self.store.shift_boundary(self.options.boundary_drift_per_search)
        if not isinstance(body, dict):
            raise ApiError(400, jsonapi_error(400, "invalid_body", "Bad Request", "search needs a JSON body"))
        context = body.get("queryContext")
        stream, klass = CONTEXTS.get(context), None
        if stream is None and isinstance(context, str) and context.startswith("kobject_"):
            stream, klass = "kobjects", context[len("kobject_") :]
            if klass not in {k["attributes"]["name"] for k in self.store.klasses}:
                stream = None  # a klass the org does not have (any more): an unknown context
        refused = self.options.archive_refuses_contexts if archive else self.options.search_refuses_contexts
        if stream is None or context in refused:
            raise ApiError(
                400, jsonapi_error(400, "invalid_context", "Bad Request", f"Unknown queryContext {context!r}")
            )
        self._forbid("kobject" if stream == "kobjects" else context)
        page, size = self._paging(query, self.options.search_page_max)
        if page > self.options.page_cap:
            raise ApiError(404, jsonapi_error(404, "not_found", "Not Found", f"page {page} is beyond the search limit"))
        prefix = "kobject" if stream == "kobjects" else context
        groups = {}
        for group in ("and", "or", "not"):
            items = body.get(group) or []
            if not isinstance(items, list) or len(items) > MAX_CRITERIA:
                raise ApiError(
                    400,
                    jsonapi_error(
                        400, "invalid_criteria", "Bad Request", f"'{group}' must be a list of at most {MAX_CRITERIA}"
                    ),
                )
            groups[group] = [self._criterion(prefix, c) for c in items]
        if self.options.search_refuses_ids:  # the contrary org: no criterion or sort on <context>_id
            named = [name for group in ("and", "or", "not", "sort") for c in body.get(group) or [] for name in c]
            if f"{prefix}_id" in named:
                raise ApiError(
                    400, jsonapi_error(400, "invalid_attribute", "Bad Request", f"Unknown attribute '{prefix}_id'")
                )
        stamp_attribute = self.store.stamp_attribute(stream)  # what the index is sorted on
        order = self._sort(prefix, body.get("sort") or [], stamp_attribute)
        if self.options.search_ignores_filter:
            groups = {"and": [], "or": [], "not": []}
        if self.options.search_ignores_sort:
            order = [(stamp_attribute, "desc")]
        with self.store.lock:  # a live org's updates wait: a page shows each record as the index sorted it
            rows = self.store.index(stream, klass)
            boundary = self.store.boundary()
            low, high = self._bounds(rows, groups["and"], boundary, archive, stamp_attribute)
            include_deleted = body.get("includeDeleted") is True
            fast = (
                include_deleted
                and not groups["or"]
                and not groups["not"]
                and all(c[0] == stamp_attribute for c in groups["and"])
                and order is None
            )
            if fast:
                total = high - low
                chunk = [row[2] for row in rows[low + (page - 1) * size : min(high, low + page * size)]]
            else:
                matches = [row[2] for row in rows[low:high] if self._matches(row[2], groups, include_deleted)]
                if order:
                    for attr, direction in reversed(order):
                        matches.sort(key=lambda r, a=attr: self._value(r, a) or "", reverse=direction == "desc")
                total = len(matches)
                chunk = matches[(page - 1) * size : page * size]
            if self.options.mutations_per_second:
                chunk = [{**r, "attributes": dict(r["attributes"])} for r in chunk]
        pages = -(-total // size)
        meta = {"pageSize": size, "page": page, "total": total, "totalPages": pages, "aggregations": {}}
        if self.options.search_total == "missing":
            del meta["total"], meta["totalPages"]
        elif self.options.search_total == "capped":
            meta["total"] = min(total, self.options.search_total_cap)
            meta["totalPages"] = -(-meta["total"] // size)
        return {
            "meta": meta,
            "data": chunk,
            "links": {
                "self": f"{path}?page={page}&pageSize={size}",
                "first": f"{path}?page=1&pageSize={size}",
                "prev": f"{path}?page={page - 1}&pageSize={size}" if page > 1 else None,
                "next": f"{path}?page={page + 1}&pageSize={size}" if page < pages else None,
                "last": f"{path}?page={max(1, pages)}&pageSize={size}",
            },
        }

    @staticmethod
    def _attribute(prefix, name):
        if not isinstance(name, str) or not name.startswith(prefix + "_"):
            raise ApiError(
                400, jsonapi_error(400, "invalid_attribute", "Bad Request", f"Unknown attribute {name!r} for {prefix}")
            )
        rest = name[len(prefix) + 1 :]
        if rest == "id":
            return "id"
        head, *tail = rest.split("_")
        return head + "".join(t.title() for t in tail)

    def _criterion(self, prefix, item):
        if not isinstance(item, dict) or len(item) != 1:
            raise ApiError(
                400,
                jsonapi_error(400, "invalid_criteria", "Bad Request", "a criterion is {attribute: {operator: value}}"),
            )
        ((name, test),) = item.items()
        if not isinstance(test, dict) or len(test) != 1 or next(iter(test)) not in OPERATORS:
            raise ApiError(
                400, jsonapi_error(400, "invalid_operator", "Bad Request", f"operators are {', '.join(OPERATORS)}")
            )
        ((op, value),) = test.items()
        attr = self._attribute(prefix, name)
        if attr.endswith("At") and isinstance(value, str):
            try:
                value = _normal_stamp(value)
            except ValueError:
                raise ApiError(
                    400, jsonapi_error(400, "invalid_value", "Bad Request", f"{value!r} is not a date")
                ) from None
        return attr, op, value

    def _sort(self, prefix, sort, stamp_attribute):
        if not isinstance(sort, list):
            raise ApiError(400, jsonapi_error(400, "invalid_sort", "Bad Request", "sort must be a list"))
        order = []
        for item in sort:
            if not isinstance(item, dict) or len(item) != 1:
                raise ApiError(
                    400, jsonapi_error(400, "invalid_sort", "Bad Request", "sort items are {attribute: asc|desc}")
                )
            ((name, direction),) = item.items()
            if direction not in ("asc", "desc"):
                raise ApiError(400, jsonapi_error(400, "invalid_sort", "Bad Request", "sort direction is asc or desc"))
            order.append((self._attribute(prefix, name), direction))
        if order == [(stamp_attribute, "asc")] or not order:
            return None  # the index's own order
        return order

    @staticmethod
    def _bounds(rows, criteria, boundary, archive, attribute):
        """The slice of the sorted index the criteria on its attribute and the two-year window allow."""
        low, high = ("", boundary) if archive else (boundary, "\uffff")
        low_incl, high_incl = True, False
        for attr, op, value in criteria:
            if attr != attribute or not isinstance(value, str):
                continue
            if op in ("gt", "gte", "equals") and (value > low or (value == low and op == "gt")):
                low, low_incl = value, op != "gt"
            if op in ("lt", "lte", "equals") and (value < high or (value == high and op == "lt")):
                high, high_incl = value, op != "lt"
        key = lambda row: row[0]  # noqa: E731
        start = (bisect.bisect_left if low_incl else bisect.bisect_right)(rows, low, key=key)
        end = (bisect.bisect_right if high_incl else bisect.bisect_left)(rows, high, key=key)
        return start, max(start, end)

    @staticmethod
    def _value(resource, attr):
        if attr == "id":
            return resource["id"]
        return resource["attributes"].get(attr)

    def _matches(self, resource, groups, include_deleted):
        if not include_deleted and resource["attributes"].get("deleted"):
            return False
        test = lambda c: _test(self._value(resource, c[0]), c[1], c[2])  # noqa: E731
        return (
            all(test(c) for c in groups["and"])
            and (not groups["or"] or any(test(c) for c in groups["or"]))
            and not any(test(c) for c in groups["not"])
        )


def _normal_stamp(text):
    from tap_kustomer.timeutil import parse_instant

    return stamp(parse_instant(text))


def _test(actual, op, expected):
    if op == "not_set":
        return (actual is None) == bool(expected)
    if actual is None:
        return False
    if op == "equals":
        return actual == expected
    if op == "in":
        return isinstance(expected, list) and actual in expected
    if op == "contains":
        return str(expected) in str(actual)
    try:
        return {"gt": actual > expected, "gte": actual >= expected, "lt": actual < expected, "lte": actual <= expected}[
            op
        ]
    except TypeError:
        return False
