"""Page-number listings (GET path?page=N&pageSize=M, following links.next), and the child streams
their records feed (a request per parent record, or records derived from it)."""

from tap_kustomer.streams.base import LOGGER, Page, Stream, deleted, page_data


class Since:
    """A listing filtered by the tap, which the API cannot do: the records updated at or after the
    start, the newest instant seen (the next bookmark), and a word on records with no instant.
    A stream without a replication key (a full table) keeps every record and has no bookmark."""

    def __init__(self, stream, start, include_deleted):
        self.stream, self.start, self.include_deleted = stream, start, include_deleted
        self.newest, self.undated = None, 0

    def keep(self, resources):
        if self.stream.replication_key is None:
            return [r for r in resources if self.include_deleted or not deleted(r)]
        kept = []
        for resource in resources:
            stamp = self.stream.stamp(resource)
            if stamp is None:
                self.undated += 1  # kept rather than lost
            elif self.newest is None or stamp > self.newest:
                self.newest = stamp
            wanted = stamp is None or stamp >= self.start or self.stream.still_changing(resource)
            if wanted and (self.include_deleted or not deleted(resource)):
                kept.append(resource)
        return kept

    def checkpoint(self):
        if self.undated:
            LOGGER.warning(
                "%s: %d records had no readable %s; they were written, and will be again every run",
                self.stream.name,
                self.undated,
                self.stream.stamp_attribute,
            )
        return {self.stream.replication_key: self.newest} if self.newest else None


class ListStream(Stream):
    """Read a page-number list, following links.next until it is null.

    These endpoints cannot filter by updatedAt, so every page is read and records older than the
    bookmark are skipped here. The bookmark moves only after the last page. `variants` are extra
    query parameters, one full listing each (a record in two of them is written once);
    `deleted_variants` are listed only when include_deleted is on."""

    path = None
    page_size = 100
    params = {}  # query parameters sent with every page  # noqa: RUF012 - read only
    variants = ({},)
    deleted_variants = ()

    def pages(self, run, start, params=None):
        since = Since(self, start.get(self.replication_key), run.config.include_deleted)
        variants = self.variants + (self.deleted_variants if run.config.include_deleted else ())
        seen = set()
        for extra in variants:
            query = {"page": 1, "pageSize": self.page_size, **self.params, **(params or {}), **extra}
            for payload in run.client.pages(self.path, query, self.name):
                listed = [r for r in page_data(payload, f"the {self.name} list") if r["id"] not in seen]
                seen.update(r["id"] for r in listed)
                yield Page(since.keep(listed), None, listed, payload)
        yield Page([], since.checkpoint())

    def probe(self, client, config):
        """Two pages of one record each, checked as the sync checks every page (a list that ignores
        `page` shows on the second)."""
        query = {"page": 1, "pageSize": 1, **self.params, **self.variants[0]}
        for number, payload in enumerate(client.pages(self.path, query, self.name), 1):
            page_data(payload, f"the {self.name} list")
            if number == 2:
                break


class ChildStream(Stream):
    """Records that come from the records of another stream's listing (`parent`), one parent at a
    time: `children(run, parent, payload)` gives them, from a request of its own or from what the
    parent's answer holds. The parent is read once for all its children, and read without being
    written when only a child is selected."""

    parent_params = {}  # added to the parent's requests when this child is synced  # noqa: RUF012

    def children(self, run, parent, payload):
        raise NotImplementedError

    def probe(self, client, config):
        """What the child needs beyond its parent's probe (which --test runs first): nothing, mostly."""
