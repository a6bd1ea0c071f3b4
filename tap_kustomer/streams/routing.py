"""Routing (queues, statuses, team settings, work sessions) and SLA policies with their versions.

None of the routing endpoints is in Kustomer's OpenAPI description, and `GET /v1/slas` is
documented nowhere (other connectors use it; the description has only `GET /v1/slas/{id}`): their
paging parameters, `type` values and fields are UNCONFIRMED (../shared/kustomer-api-streams.md).
The tap reads them as the other page-number listings, so a listing that ignores `page` stops the
stream by name, and a page size the API clamps changes nothing.
"""

from tap_kustomer.errors import AnswerError
from tap_kustomer.streams.base import Page, page_data, with_attribute
from tap_kustomer.streams.listing import ChildStream, ListStream
from tap_kustomer.streams.search import SEARCH_PATH, SearchOrList


class Queues(ListStream):
    """GET /v1/routing/queues; one system queue, DEFAULT_QUEUE."""

    name, path, page_size = "queues", "/v1/routing/queues", 100
    attributes_unconfirmed = True


class RoutingStatuses(ListStream):
    """GET /v1/routing/statuses: the org's user statuses (statusType available, busy, unavailable, offline)."""

    name, path, page_size = "routing_statuses", "/v1/routing/statuses", 100
    attributes_unconfirmed = True


class TeamRoutingSettings(ListStream):
    """GET /v1/routing/settings: one record per team that saved routing settings, its id the team's."""

    name, path, page_size = "team_routing_settings", "/v1/routing/settings", 100
    attributes_unconfirmed = True


class WorkSessions(SearchOrList):
    """Every agent's work sessions, via search context `work_session` on `work_session_updated_at`
    (UNCONFIRMED: no work_session_* attribute is documented), then the sessions still active,
    from GET /v1/routing/work-sessions?user=false&active=true (documented): an active session's
    times grow without a word to search, so they come every run until they end.

    When the org refuses the search context (400), the full listing of every session
    (GET /v1/routing/work-sessions?user=false, filtered here) is the fallback; when it ignores
    active=true, the whole listing is read for its active sessions."""

    name, context = "work_sessions", "work_session"
    path, page_size = "/v1/routing/work-sessions", 100
    params = {"user": "false"}  # every agent's sessions, not only the API key's own  # noqa: RUF012
    attributes_unconfirmed = True

    @staticmethod
    def still_changing(resource):
        return (resource.get("attributes") or {}).get("active") is True

    def pages(self, run, start, params=None):
        written = set()
        for page in SearchOrList.pages(self, run, start, params):
            written.update(r["id"] for r in page.records)
            yield page
        if (self.name, SEARCH_PATH) not in run.answered:
            return  # the search refused the context: the whole listing was read instead
        query = {"page": 1, "pageSize": self.page_size, **self.params, "active": "true"}
        noticed = False
        for payload in run.client.pages(self.path, query, self.name):
            listed = page_data(payload, f"the {self.name} list")
            ended = [r["id"] for r in listed if not self.still_changing(r)]
            if ended and not noticed:
                noticed = True
                run.client.facts.met(
                    self.name,
                    "work-sessions-active",
                    f"{self.path}?active=true answered {len(ended)} sessions that are not active ({ended[0]}...): "
                    f"the API did not apply the filter; the whole listing is read for its active sessions",
                )
            yield Page([r for r in listed if self.still_changing(r) and r["id"] not in written])


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
