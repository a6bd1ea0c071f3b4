"""Routing (queues, statuses, team settings, work sessions) and SLA policies with their versions.

None of the routing endpoints is in Kustomer's OpenAPI description, and `GET /v1/slas` is
documented nowhere (other connectors use it; the description has only `GET /v1/slas/{id}`): their
paging parameters, `type` values and fields are UNCONFIRMED (../shared/kustomer-api-streams.md).
The tap reads them as the other page-number listings, so a listing that ignores `page` stops the
stream by name, and a page size the API clamps changes nothing.
"""

from tap_kustomer.errors import AnswerError
from tap_kustomer.streams.base import with_attribute
from tap_kustomer.streams.listing import ChildStream, ListStream


class Queues(ListStream):
    """GET /v1/routing/queues; one system queue, DEFAULT_QUEUE."""

    name, path, page_size = "queues", "/v1/routing/queues", 100


class RoutingStatuses(ListStream):
    """GET /v1/routing/statuses: the org's user statuses (statusType available, busy, unavailable, offline)."""

    name, path, page_size = "routing_statuses", "/v1/routing/statuses", 100


class TeamRoutingSettings(ListStream):
    """GET /v1/routing/settings: one record per team that saved routing settings, its id the team's."""

    name, path, page_size = "team_routing_settings", "/v1/routing/settings", 100


class WorkSessions(ListStream):
    """GET /v1/routing/work-sessions?user=false: every agent's sessions, not only the API key's own.
    An active session changes until it ends, so active ones are written every run."""

    name, path, page_size = "work_sessions", "/v1/routing/work-sessions", 100
    params = {"user": "false"}  # noqa: RUF012 - read only

    @staticmethod
    def still_changing(resource):
        return (resource.get("attributes") or {}).get("active") is True


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
