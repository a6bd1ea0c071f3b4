"""The first nine streams: five search contexts and four listings."""

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
    """GET /v1/users, once for active users and once for deactivated ones (deleted=true)."""

    name, path, page_size = "users", "/v1/users", 500
    variants, deleted_variants = ({"deleted": "false"},), ({"deleted": "true"},)


STREAMS = (Conversations, Customers, KObjects, Messages, Notes, Shortcuts, Tags, Teams, Users)
