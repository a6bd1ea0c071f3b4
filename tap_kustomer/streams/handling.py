"""How conversations are handled: conversation times, work items and attachments.

Facts and their sources: ../shared/kustomer-api-streams.md, sections 15 to 18. What is UNCONFIRMED
and relied on here is named in facts.py and checked where it is met (docs/streams.md, "Unconfirmed
facts"): that standard search takes the contexts `conversation_time` and `work_item` (a 400 fails
the stream, naming the fact: no org-wide listing exists to fall back on), that it filters, sorts and
walks ties on `conversation_time_created_at` / `work_item_updated_at` and `<context>_id` (the walk
adapts to a sort ignored and to ids refused), that the archive takes them too (asked; a 400 leaves
the stream partial), the record types, the attributes (fields the schemas lack are reported with
their paths), whether the attachments list pages, and that each attachment carries an id (else the
end of its `links.self`; a record with neither fails the stream).
"""

from tap_kustomer.errors import AnswerError, NotFoundError
from tap_kustomer.streams.base import LOGGER, page_data, with_attribute
from tap_kustomer.streams.search import SearchFanOut, SearchStream

ATTACHMENT_PAGE = 100


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


class Attachments(SearchFanOut):
    """GET /v1/conversations/{id}/attachments for each conversation updated since the stream's own
    bookmark (the conversations' search walk, from there): one request per changed conversation.
    Attachments carry no timestamp; `conversation_updated_at` says which conversation update
    brought them, and is the bookmark."""

    name, context = "attachments", "conversation"
    replication_key = "conversation_updated_at"
    expected_type = "attachment"
    selected_by_default = False  # a request per changed conversation: chosen by hand

    def children(self, run, conversation):
        cid, found = conversation["id"], []
        query = {"page": 1, "pageSize": ATTACHMENT_PAGE}
        path = f"/v1/conversations/{cid}/attachments"
        try:
            for payload in run.client.pages(path, query, self.name, page_size=ATTACHMENT_PAGE):
                found.extend(page_data(payload, f"the attachments of conversation {cid}", ids=False))
        except NotFoundError:
            LOGGER.warning(
                "%s: conversation %s was found, then not: its attachments wait for its next update", self.name, cid
            )
            return []
        stamp = (conversation.get("attributes") or {}).get("updatedAt")
        return [self._keyed(run, a, cid, stamp) for a in found]

    def _keyed(self, run, attachment, cid, stamp):
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
                "attachments are listed without an id (as in Kustomer's own example): each takes the last segment "
                "of its links.self",
            )
        keyed = with_attribute(attachment, "conversationId", cid)
        return with_attribute(keyed, "conversationUpdatedAt", stamp)

    def probe(self, client, config):
        """A page of changed conversations, checked, then the attachments of the first."""
        answered = super().probe(client, config)
        if answered:
            cid = answered[0][1]["id"]
            payload = client.get(f"/v1/conversations/{cid}/attachments", params={"page": 1, "pageSize": 1})
            page_data(payload, f"the attachments of conversation {cid}", ids=False)


STREAMS = (ConversationTimes, WorkItems, Attachments)
