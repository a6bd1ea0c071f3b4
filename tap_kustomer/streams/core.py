"""The first nine streams: five search contexts and four listings."""

from tap_kustomer.streams.base import LOGGER
from tap_kustomer.streams.listing import ListStream
from tap_kustomer.streams.search import SearchStream


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
    # Kustomer's description types it reopenFromDoneCount and writes reopenDoneCount in its examples;
    # the column keeps the name it has always had
    aliases = {"reopenFromDoneCount": "reopenDoneCount"}  # noqa: RUF012 - read only

    @staticmethod
    def derive(record, resource, wants):
        rtype = resource.get("type") or ""
        if wants("klass_name") and rtype.startswith("kobject."):
            record["klass_name"] = rtype[len("kobject.") :]

    def notice(self, run, resources):
        """A klass the org added after discovery: its objects are here, but no stream of its own yet."""
        if not run.known_klasses:
            return  # a catalog made without an org (the repo's) names no klasses
        for resource in resources:
            klass = (resource.get("type") or "")[len("kobject.") :]
            if klass and klass not in run.known_klasses and klass not in run.noticed:
                run.noticed.add(klass)
                LOGGER.info(
                    "%s: objects of klass %r, which the catalog has no stream for (added after discovery?): "
                    "run --discover to get kobjects_<klass> for it",
                    self.name,
                    klass,
                )


class Messages(SearchStream):
    """Messages, via search context `message`."""

    name, context = "messages", "message"
    metadata_resource = "message"


class Notes(SearchStream):
    """Notes, via search context `note` (the archive's documentation does not name it: asked anyway)."""

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
    """GET /v1/users, once for active users and once for deactivated ones (deleted=true)."""

    name, path, page_size = "users", "/v1/users", 500
    variants, deleted_variants = ({"deleted": "false"},), ({"deleted": "true"},)


STREAMS = (Conversations, Customers, KObjects, Messages, Notes, Shortcuts, Tags, Teams, Users)
