"""The streams: one small declaration each, grouped by what they cover (core.py, org.py, routing.py,
handling.py, metadata.py), one paging algorithm per kind of endpoint (search.py, listing.py,
audit.py's windows), the registry."""

from tap_kustomer.streams import audit, core, handling, metadata, org, routing
from tap_kustomer.streams.base import Page, Stream, page_data
from tap_kustomer.streams.klasses import KlassObjects, stream_names
from tap_kustomer.streams.listing import ChildStream, ListStream, Since
from tap_kustomer.streams.search import ARCHIVE_SEARCH_PATH, SEARCH_PATH, SearchStream

STREAMS = {
    cls.name: cls()
    for cls in core.STREAMS + org.STREAMS + routing.STREAMS + handling.STREAMS + metadata.STREAMS + audit.STREAMS
}
KLASS_STREAMS = {}  # the per-klass streams of the catalogs read in this process, by name


def get_stream(name):
    """The stream of that name: a declared one, or a per-klass one a catalog named."""
    return STREAMS.get(name) or KLASS_STREAMS[name]


def klass_stream(name, klass):
    """The per-klass stream `name` reading `klass` (made once, then found by get_stream)."""
    found = KLASS_STREAMS.get(name)
    if found is None or found.klass != klass:
        found = KLASS_STREAMS[name] = KlassObjects(name, klass)
    return found


__all__ = [
    "KLASS_STREAMS",
    "KlassObjects",
    "get_stream",
    "klass_stream",
    "stream_names",
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
