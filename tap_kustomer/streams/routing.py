"""Routing (queues, statuses, team settings, work sessions) and SLA policies with their versions.

None of the routing endpoints is in Kustomer's OpenAPI description, and `GET /v1/slas` is
documented nowhere (other connectors use it; the description has only `GET /v1/slas/{id}`): their
paging parameters, `type` values and fields are UNCONFIRMED (../shared/kustomer-api-streams.md).
The tap reads them as the other page-number listings, so a listing that ignores `page` stops the
stream by name, and a page size the API clamps changes nothing.
"""

from tap_kustomer.errors import AnswerError, BadRequestError
from tap_kustomer.streams.base import LOGGER, Page, page_data, with_attribute
from tap_kustomer.streams.listing import ChildStream, ListStream
from tap_kustomer.streams.search import SearchStream


class Queues(ListStream):
    """GET /v1/routing/queues; one system queue, DEFAULT_QUEUE."""

    name, path, page_size = "queues", "/v1/routing/queues", 100


class RoutingStatuses(ListStream):
    """GET /v1/routing/statuses: the org's user statuses (statusType available, busy, unavailable, offline)."""

    name, path, page_size = "routing_statuses", "/v1/routing/statuses", 100


class TeamRoutingSettings(ListStream):
    """GET /v1/routing/settings: one record per team that saved routing settings, its id the team's."""

    name, path, page_size = "team_routing_settings", "/v1/routing/settings", 100


class WorkSessions(SearchStream, ListStream):
    """Every agent's work sessions, via search context `work_session` on `work_session_updated_at`
    (UNCONFIRMED: no work_session_* attribute is documented), then the sessions still active,
    from GET /v1/routing/work-sessions?user=false&active=true (documented): an active session's
    times grow without a word to search, so they come every run until they end.

    When the org refuses the search context (400), the full listing of every session
    (GET /v1/routing/work-sessions?user=false, filtered here) is the fallback, with a WARNING."""

    name, context = "work_sessions", "work_session"
    path, page_size = "/v1/routing/work-sessions", 100
    archived = False
    params = {"user": "false"}  # every agent's sessions, not only the API key's own  # noqa: RUF012

    @staticmethod
    def still_changing(resource):
        return (resource.get("attributes") or {}).get("active") is True

    def pages(self, run, start, params=None):
        written = set()
        try:
            for page in SearchStream.pages(self, run, start, params):
                written.update(r["id"] for r in page.records)
                yield page
        except BadRequestError as exc:
            LOGGER.warning(
                "%s: the search refused context %r (HTTP %s: %s): reading every session from %s instead, as "
                "before; this costs a request per %d sessions the org ever had, every run",
                self.name,
                self.context,
                exc.status,
                exc.api_text or "no reason given",
                self.path,
                self.page_size,
            )
            yield from ListStream.pages(self, run, start, params)
            return
        query = {"page": 1, "pageSize": self.page_size, **self.params, "active": "true"}
        for payload in run.client.pages(self.path, query, self.name):
            listed = page_data(payload, f"the {self.name} list")
            ended = [r["id"] for r in listed if not self.still_changing(r)]
            if ended:
                LOGGER.warning(
                    "%s: %s?active=true answered %d sessions that are not active (%s...): the API did not apply "
                    "the filter; the rest of the listing is left to the search, which has every change",
                    self.name,
                    self.path,
                    len(ended),
                    ended[0],
                )
                yield Page([r for r in listed if self.still_changing(r) and r["id"] not in written])
                return
            yield Page([r for r in listed if r["id"] not in written])

    def probe(self, client, config):
        try:
            SearchStream.probe(self, client, config)
        except BadRequestError:
            ListStream.probe(self, client, config)


class Slas(ListStream):
    """GET /v1/slas (with versions=all when sla_versions is synced too). An SLA, as GET /v1/slas/{id}
    documents it, has `currentVersion` and `createdAt` but no `updatedAt` (a change makes a new
    version): nothing tells which SLAs changed, so the whole table comes every run (there are few),
    and ACTIVATE_VERSION lets targets drop SLAs that are gone."""

    name, path, page_size = "slas", "/v1/slas", 100
    replication_key = None


class SlaVersions(ChildStream):
    """Each SLA's versions: the `included` records of GET /v1/slas?versions=all, with `sla_id`.
    Versions are never edited, so they replicate on created_at."""

    name, parent = "sla_versions", "slas"
    replication_key, stamp_attribute = "created_at", "createdAt"
    parent_params = {"versions": "all"}  # noqa: RUF012 - read only

    def children(self, run, sla, payload):
        included = payload.get("included", [])
        if not isinstance(included, list) or not all(isinstance(v, dict) and "id" in v for v in included):
            raise AnswerError(
                f"{self.name}: GET /v1/slas?versions=all answered an `included` that is not a list of records: "
                f"the tap cannot read SLA versions from it"
            )
        listed = ((sla.get("relationships") or {}).get("versions") or {}).get("data") or []
        ids = {v.get("id") for v in listed if isinstance(v, dict)}
        return [with_attribute(v, "slaId", sla["id"]) for v in included if _sla_of(v) == sla["id"] or v["id"] in ids]


def _sla_of(version):
    data = ((version.get("relationships") or {}).get("sla") or {}).get("data")
    return data.get("id") if isinstance(data, dict) else None


STREAMS = (Queues, RoutingStatuses, TeamRoutingSettings, WorkSessions, Slas, SlaVersions)
