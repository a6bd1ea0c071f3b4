"""How conversations are handled: conversation times, work items, attachments and events.

Facts and their sources: ../shared/kustomer-api-streams.md, sections 15 to 18. What is UNCONFIRMED
and relied on here is named in facts.py and checked where it is met (docs/streams.md, "Unconfirmed
facts"): that standard search takes the contexts `conversation_time` and `work_item` (a 400 fails
the stream, naming the fact: no org-wide listing exists to fall back on), that it filters, sorts and
walks ties on `conversation_time_created_at` / `work_item_updated_at` and `<context>_id` (the walk
adapts to a sort ignored and to ids refused), that the archive takes them too (asked; a 400 leaves
the stream partial), the record types, the attributes (fields the schemas lack are reported with
their paths), whether the attachments list pages, and that each attachment carries an id (else the
end of its `links.self`; a record with neither fails the stream). For conversation events (section
13): the record type (`customer_event`, as Kustomer's example shows), whether the list pages and how
far back it reaches (a conversation whose events hold no create event is named: events-retention),
and that each event carries its own instant (events-instant). Their order and page size maximum
are not relied on: every page of a changed conversation's events is read.
"""

from tap_kustomer.errors import AnswerError, NotFoundError
from tap_kustomer.streams.base import LOGGER, page_data, with_attribute
from tap_kustomer.streams.search import SearchFanOut, SearchStream


class ConversationTimes(SearchStream):
    """Conversation times, via search context `conversation_time`, on `conversation_time_created_at`.
    Kustomer creates them and never edits them: they replicate on created_at."""

    name, context = "conversation_times", "conversation_time"
    replication_key, stamp_attribute = "created_at", "createdAt"
    expected_type, attributes_unconfirmed = "conversation_time", True


class WorkItems(SearchStream):
    """Routing's work items (a conversation waiting for, offered to, or handled by an agent), via
    search context `work_item`, on `work_item_updated_at`."""

    name, context = "work_items", "work_item"
    expected_type, attributes_unconfirmed = "work_item", True


class PerConversation(SearchFanOut):
    """A list read for each conversation updated since the stream's own bookmark (the
    conversations' search walk, from there): `GET /v1/conversations/{id}/<child>`, a request per
    changed conversation plus its further pages (client.pages, with every list fact it checks).
    Each record gets `conversation_id` and `conversation_updated_at` (the conversation update that
    brought it, and the bookmark)."""

    context = "conversation"
    replication_key = "conversation_updated_at"
    selected_by_default = False  # a request per changed conversation: chosen by hand
    child, child_page, child_ids = None, 100, True

    def children(self, run, conversation):
        cid, found = conversation["id"], []
        path = f"/v1/conversations/{cid}/{self.child}"
        query = {"page": 1, "pageSize": self.child_page}
        try:
            for payload in run.client.pages(path, query, self.name, page_size=self.child_page):
                found.extend(page_data(payload, f"the {self.child} of conversation {cid}", ids=self.child_ids))
        except NotFoundError:
            if self._exists(run, cid):  # the list itself is missing: this org lacks it (the stream is skipped)
                raise
            LOGGER.warning(
                "%s: conversation %s was found, then not: its %s wait for its next update", self.name, cid, self.child
            )
            return []
        stamp = (conversation.get("attributes") or {}).get("updatedAt")
        self.check(run, conversation, found)
        return [self.keyed(run, r, cid, stamp) for r in found]

    @staticmethod
    def _exists(run, cid):
        """Whether GET /v1/conversations/{id} answers: asked only when the conversation's list was 404."""
        try:
            run.client.get(f"/v1/conversations/{cid}")
        except NotFoundError:
            return False
        return True

    def check(self, run, conversation, found):
        """A look at one conversation's whole list before it is written."""

    def keyed(self, run, resource, cid, stamp):
        keyed = with_attribute(resource, "conversationId", cid)
        return with_attribute(keyed, "conversationUpdatedAt", stamp)

    def probe(self, client, config):
        """A page of changed conversations, checked, then the first one's list."""
        answered = super().probe(client, config)
        if answered:
            cid = answered[0][1]["id"]
            payload = client.get(f"/v1/conversations/{cid}/{self.child}", params={"page": 1, "pageSize": 1})
            page_data(payload, f"the {self.child} of conversation {cid}", ids=self.child_ids)


class Attachments(PerConversation):
    """GET /v1/conversations/{id}/attachments for each changed conversation. Attachments carry no
    timestamp: `conversation_updated_at` is the bookmark."""

    name, child, child_ids = "attachments", "attachments", False
    expected_type = "attachment"

    def keyed(self, run, attachment, cid, stamp):
        """The attachment with its id (the end of links.self where the list leaves it out, as
        Kustomer's own example does) and the conversation it came with."""
        rid = attachment.get("id")
        if not isinstance(rid, str) or not rid:
            link = (attachment.get("links") or {}).get("self")
            rid = link.rstrip("/").rsplit("/", 1)[-1] if isinstance(link, str) and link.strip("/") else None
            if not rid:
                raise AnswerError(
                    f"{self.name}: an attachment of conversation {cid} has neither an id nor a links.self to take "
                    f"one from: the tap cannot key it"
                )
            attachment = {**attachment, "id": rid}
            run.client.facts.met(
                self.name,
                "attachment-id",
                "attachments are listed without an id (as in Kustomer's own list example): each takes the last "
                "segment of its links.self",
            )
        return super().keyed(run, attachment, cid, stamp)


class ConversationEvents(PerConversation):
    """GET /v1/conversations/{id}/events for each changed conversation: every change of it, with
    `changes.attributes.<field>.{op, before, after}` (status, assignedUsers, ...) as it comes. An
    event's `createdAt` is its conversation's (Kustomer's example); its own instant is `updatedAt`,
    else `publishedAt`. Nothing is bookmarked on either: `conversation_updated_at` is. Its
    attribute `type` (the object's kind) lands in `event_type`, beside the record type."""

    name, child = "conversation_events", "events"
    expected_type, attributes_unconfirmed = "customer_event", True  # the type of Kustomer's own example
    aliases = {"type": "eventType"}  # noqa: RUF012 - read only

    def check(self, run, conversation, events):
        created = (conversation.get("attributes") or {}).get("createdAt")
        names = {(e.get("attributes") or {}).get("name") for e in events}
        if events and "kustomer.conversation.create" not in names:
            run.client.facts.met(
                self.name,
                "events-retention",
                f"the events of conversation {conversation['id']} (created {created}) hold no "
                f"kustomer.conversation.create: Kustomer no longer keeps its earliest events; its history starts "
                f"at the first event kept",
            )
        self._status_missing(run, conversation, events, names)
        for event in events:
            a = event.get("attributes") or {}
            if not a.get("updatedAt") and not a.get("publishedAt"):
                run.client.facts.met(
                    self.name,
                    "events-instant",
                    f"event {event['id']} of conversation {conversation['id']} has neither updatedAt nor "
                    f"publishedAt: it is written, and the dbt package cannot place it in time",
                )
                break

    def _status_missing(self, run, conversation, events, names):
        """A conversation whose figures say its status changed, with events from its creation on and
        not one status change among them: the events do not record status (Kustomer's example shows
        only other changes)."""
        a = conversation.get("attributes") or {}
        moved = a.get("status") not in (None, "open") or any(a.get(k) for k in ("doneCount", "snoozeCount"))
        if not moved or "kustomer.conversation.create" not in names:
            return
        if not any(
            "status" in (((e.get("attributes") or {}).get("changes") or {}).get("attributes") or {}) for e in events
        ):
            run.client.facts.met(
                self.name,
                "events-changes",
                f"conversation {conversation['id']} is {a.get('status')} (done {a.get('doneCount') or 0} times, snoozed "
                f"{a.get('snoozeCount') or 0}), yet none of its {len(events)} events carries a status change: they are "
                f"written as they come, and the dbt package takes its history from the audit log only where no "
                f"event was loaded",
            )


STREAMS = (ConversationTimes, WorkItems, Attachments, ConversationEvents)
