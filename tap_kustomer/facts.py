"""What the tap relies on about Kustomer's API that Kustomer's docs leave UNCONFIRMED, by name.

Each fact has a name the logs, the end-of-run table and docs/streams.md ("Unconfirmed facts") share.
When an answer shows that an org's API differs, the tap either adapts (it still reads everything)
and says so once at WARNING, or it cannot read something, and the stream ends partial or failed
with a reason that names the fact. Nothing is left to a silence.
"""

import logging
import threading

LOGGER = logging.getLogger("tap_kustomer")
DOCS = "docs/streams.md#unconfirmed-facts"

FACTS = {
    "page-size": "a list serves the pageSize asked (Kustomer documents no maxima)",
    "list-links": "a list's answer carries links.next (null on its last page)",
    "list-paging": "a list applies page and pageSize",
    "search-total": "a search answer carries meta.total",
    "search-context": "standard search takes this stream's queryContext and filters on its <context>_updated_at "
    "(or _created_at)",
    "search-id": "search filters and sorts on <context>_id (ties longer than a page are read in id order)",
    "search-sort": "search sorts on <context>_updated_at (or _created_at)",
    "search-window": "the search index reaches back two years and the archive holds what is older",
    "archive-context": "the archive search takes this stream's queryContext",
    "record-type": "the records' JSON:API type is the one Kustomer's examples show",
    "record-attributes": "the attributes of this stream's records are those its schema names",
    "record-timestamps": "timestamps are RFC 3339 in UTC with milliseconds and Z",
    "attachment-id": "an attachment is listed with its id",
    "events-retention": "a conversation's events reach back to its creation (a kustomer.conversation.create event)",
    "events-changes": "a conversation's events carry its status changes in changes.attributes.status",
    "events-instant": "a conversation event carries its own instant in updatedAt (else publishedAt)",
    "audit-order": "the audit log answers newest first",
    "audit-filter": "the audit log's filter[start] and filter[end] compare createdAt",
    "audit-next": "the audit log's links.next carries the cursor only, not the window's filter",
    "work-sessions-active": "GET /v1/routing/work-sessions applies active=true",
    "list-deleted": "GET /v1/users applies deleted=false and GET /v1/klasses applies status=",
    "klass-metadata": "GET /v1/metadata/kobject.<klass> answers for every klass the org lists",
}


class Facts:
    """The facts one process met, by stream: `met` when the tap adapted, `lost` when something
    could not be read (the stream ends partial). Each is logged once per stream at WARNING."""

    def __init__(self):
        self.lock = threading.Lock()
        self.adapted = {}  # stream -> {fact: what happened}
        self.missed = {}  # stream -> {fact: what could not be read}

    def met(self, stream, fact, detail):
        """An answer the tap adapted to: everything is still read."""
        self._note(self.adapted, stream, fact, detail, "the tap adapted")

    def lost(self, stream, fact, detail):
        """An answer that keeps part of a stream out of reach: the stream ends partial."""
        self._note(self.missed, stream, fact, detail, "not read")

    def _note(self, book, stream, fact, detail, ending):
        if fact not in FACTS:
            raise KeyError(f"no such fact: {fact}")
        detail = detail[len(stream) + 2 :] if detail.startswith(f"{stream}: ") else detail
        with self.lock:
            first = fact not in book.setdefault(stream, {})
            if first:
                book[stream][fact] = detail
        if first:
            LOGGER.warning("%s: %s [%s; %s]", stream, detail, ending, unconfirmed(fact))

    def names(self, stream):
        """The facts a stream met, adapted or not, in the order they were met."""
        with self.lock:
            return list(self.adapted.get(stream, {})) + [
                f for f in self.missed.get(stream, {}) if f not in self.adapted.get(stream, {})
            ]

    def shortfall(self, stream):
        """Why a stream is partial (the facts that kept records out of reach), or ''."""
        with self.lock:
            missed = self.missed.get(stream, {})
            return "; ".join(f"{detail} (UNCONFIRMED fact {fact})" for fact, detail in missed.items())


def unconfirmed(fact):
    """The words that name a fact in an error message."""
    return f"UNCONFIRMED fact {fact}: {FACTS[fact]}; {DOCS}"
