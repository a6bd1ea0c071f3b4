"""Companies and the org's dimensions, the tables a data team joins conversations and customers to.

Facts behind each declaration, and which are UNCONFIRMED: ../shared/kustomer-api-streams.md and
the README's stream table. What the tap relies on and cannot confirm is checked where it is met:
a record `type` other than the one Kustomer's examples show is reported once per stream, a search
answer that does not fit its query stops the stream, a listing that repeats a page stops it too.
"""

from tap_kustomer.errors import AnswerError, NotFoundError
from tap_kustomer.streams.base import LOGGER, with_attribute
from tap_kustomer.streams.listing import ChildStream, ListStream
from tap_kustomer.streams.search import SearchOrList

KLASS_STATUSES = ("enabled", "disabled", "existing_only")  # GET /v1/klasses lists only `enabled` by default


class Companies(SearchOrList):
    """Companies, via search context `company`, sorted by `company_updated_at` (both UNCONFIRMED in
    Kustomer's docs for the standard search, which other connectors use); where the search refuses
    the context, every company from GET /v1/companies, filtered by the tap."""

    name, context = "companies", "company"
    path, page_size = "/v1/companies", 100
    metadata_resource = "company"
    expected_type = "company"
    aliases = {"extenalId": "externalId"}  # noqa: RUF012 - GET /v1/companies's spelling, in schema and example


class Brands(ListStream):
    """GET /v1/brands."""

    name, path, page_size = "brands", "/v1/brands", 100
    expected_type = "brand"


class BusinessSchedules(ListStream):
    """GET /v1/schedules; a deleted schedule comes back with deleted: true."""

    name, path, page_size = "business_schedules", "/v1/schedules", 100
    expected_type = "schedule"


class BusinessHolidays(ChildStream):
    """Each schedule's holidays: the `included` records of GET /v1/schedules/{id}?include=holidays,
    one request per schedule, with `schedule_id`."""

    name, parent = "business_holidays", "business_schedules"
    expected_type = "holiday"

    def children(self, run, schedule, payload):
        try:
            answer = run.client.get(f"/v1/schedules/{schedule['id']}", params={"include": "holidays"})
        except NotFoundError:
            LOGGER.warning(
                "%s: schedule %s was listed, then not found: its holidays wait for the next run",
                self.name,
                schedule["id"],
            )
            return []
        included = answer.get("included", [])
        if not isinstance(included, list) or not all(isinstance(r, dict) and "id" in r for r in included):
            raise AnswerError(
                f"{self.name}: GET /v1/schedules/{schedule['id']}?include=holidays answered an `included` that is "
                f"not a list of records: the tap cannot read holidays from it"
            )
        return [with_attribute(r, "scheduleId", schedule["id"]) for r in included]

    def probe(self, client, config):
        first = client.get("/v1/schedules", params={"page": 1, "pageSize": 1}).get("data") or []
        if first and isinstance(first[0], dict) and first[0].get("id"):
            client.get(f"/v1/schedules/{first[0]['id']}", params={"include": "holidays"})


class SatisfactionSurveys(ListStream):
    """GET /v1/satisfaction: the org's satisfaction survey forms."""

    name, path, page_size = "satisfaction_surveys", "/v1/satisfaction", 100
    expected_type = "satisfaction"
    aliases = {"modified": "modifiedAt"}  # noqa: RUF012 - the list example's spelling; its schema says modifiedAt


class Klasses(ListStream):
    """GET /v1/klasses, once per status: the default lists enabled klasses only."""

    name, path, page_size = "klasses", "/v1/klasses", 100
    variants = tuple({"status": status} for status in KLASS_STATUSES)
    expected_type = "klass"
    aliases = {"displayname": "displayName"}  # noqa: RUF012 - the list example's spelling on one klass


class TeamMembers(ChildStream):
    """Who is in which team: a record per user id in each team's `members` (no request of its own).
    The whole table comes every run; ACTIVATE_VERSION tells targets to drop memberships that ended."""

    name, parent = "team_members", "teams"
    key_properties = ("team_id", "user_id")
    replication_key = None

    def children(self, run, team, payload):
        members = (team.get("attributes") or {}).get("members") or []
        users = [m for m in members if isinstance(m, str)] if isinstance(members, list) else []
        if len(users) != (len(members) if isinstance(members, list) else 1):
            LOGGER.warning("%s: team %s has members that are not user ids; they are left out", self.name, team["id"])
        return [{"attributes": {"teamId": team["id"], "userId": user}} for user in dict.fromkeys(users)]


class RoleGroups(ListStream):
    """GET /v1/role-groups: system and custom role groups."""

    name, path, page_size = "role_groups", "/v1/role-groups", 100


class Snoozes(ListStream):
    """GET /v1/snoozes: the org's snooze options ("2 Hours", "Tomorrow"), not snoozed conversations.
    UNCONFIRMED: whether it pages ("fetches all" and "paginated" both said), the record type, and
    where an option keeps its kind and value (Fivetran's columns suggest a `time` object)."""

    name, path, page_size = "snoozes", "/v1/snoozes", 100
    expected_type, attributes_unconfirmed = "snooze", True


class Cards(ListStream):
    """GET /v1/cards: the cards installed in the org, each with the contexts it shows in (customer,
    conversation, company, kobject.<klass>). UNCONFIRMED: paging, the record type, and that
    `contexts` is a list of strings (an item of another kind is left out and reported)."""

    name, path, page_size = "cards", "/v1/cards", 100
    expected_type, attributes_unconfirmed = "card", True


STREAMS = (
    Companies,
    Brands,
    BusinessSchedules,
    BusinessHolidays,
    SatisfactionSurveys,
    Klasses,
    TeamMembers,
    RoleGroups,
    Snoozes,
    Cards,
)
