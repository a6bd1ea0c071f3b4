"""The streams: one small declaration each, grouped by what they cover (core.py, org.py, routing.py),
one paging algorithm per kind of endpoint (search.py, listing.py, audit.py's windows), the registry."""

from tap_kustomer.streams import audit, core, org, routing
from tap_kustomer.streams.base import Page, Stream, page_data
from tap_kustomer.streams.listing import ChildStream, ListStream, Since
from tap_kustomer.streams.search import ARCHIVE_SEARCH_PATH, SEARCH_PATH, SearchStream

STREAMS = {cls.name: cls() for cls in core.STREAMS + org.STREAMS + routing.STREAMS + audit.STREAMS}

__all__ = [
    "ARCHIVE_SEARCH_PATH",
    "SEARCH_PATH",
    "STREAMS",
    "ChildStream",
    "ListStream",
    "Page",
    "SearchStream",
    "Since",
    "Stream",
    "page_data",
]
