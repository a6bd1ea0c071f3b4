"""--about (what the tap is and which settings it takes) and --test (can this config read the org?)."""

import json

from tap_kustomer.config import SETTINGS, VERSION
from tap_kustomer.errors import ForbiddenError, KustomerError, NotFoundError
from tap_kustomer.streams import STREAMS

CAPABILITIES = ["catalog", "discover", "state", "about", "test"]
KINDS = {"api_token": "password", "start_date": "date_iso8601", "region": "options", "max_retries": "integer"}
REQUIRED = ("api_token", "start_date")


def _kind(name, default):
    if name in KINDS:
        return KINDS[name]
    if isinstance(default, bool):
        return "boolean"
    if isinstance(default, (int, float)):
        return "integer"
    return "string"


def about():
    settings = []
    for name, (default, description) in SETTINGS.items():
        item = {
            "name": name,
            "kind": _kind(name, default),
            "description": description,
            "required": name in REQUIRED,
            "sensitive": name == "api_token",
        }
        if default is not None:
            item["default"] = default
        if name == "region":
            item["options"] = [{"label": r.upper(), "value": r} for r in ("us", "eu", "in")]
        settings.append(item)
    return {
        "name": "tap-kustomer",
        "version": VERSION,
        "description": "Singer tap for the Kustomer CRM API",
        "capabilities": CAPABILITIES,
        "streams": sorted(STREAMS),
        "settings": settings,
    }


def about_text(fmt):
    info = about()
    if fmt == "json":
        return json.dumps(info, indent=2)
    lines = [
        f"# {info['name']} {info['version']}",
        "",
        info["description"],
        "",
        f"Capabilities: {', '.join(info['capabilities'])}",
        "",
        f"Streams: {', '.join(info['streams'])}",
        "",
        "| setting | kind | required | default | description |",
        "|---|---|---|---|---|",
    ]
    for s in info["settings"]:
        default = json.dumps(s["default"]) if "default" in s else ""
        lines.append(
            f"| `{s['name']}` | {s['kind']} | {'yes' if s['required'] else 'no'} | {default} | {s['description']} |"
        )
    return "\n".join(lines)


def probe(stream, client, config):
    """Read a little of the stream (its parent first, for a child): None if the key may and the
    answer fits the query, else the reason; a 404 (the org has no such data) is not a failure."""
    try:
        if stream.parent:
            STREAMS[stream.parent].probe(client, config)
        stream.probe(client, config)
    except NotFoundError as exc:
        return f"n/a: this org has no such data (the sync skips it): {exc}"
    except ForbiddenError as exc:
        skip = " (skip_forbidden_streams is true: the sync skips it)" if config.skip_forbidden_streams else ""
        return f"NO{skip}: {exc}"
    except KustomerError as exc:
        return f"NO: {exc}"
    return None


def connection_test(client, config, write):
    """Check the token, the region and each stream's read role; True if the sync would succeed."""
    try:
        client.get("/v1/users/current")
    except KustomerError as exc:
        write(f"token and region: FAILED: {exc}")
        return False
    write(f"token and region: ok ({config.base_url})")
    write("")
    write("| stream | readable |")
    write("|---|---|")
    ok = True
    for name in sorted(STREAMS):
        problem = probe(STREAMS[name], client, config)
        ok = ok and (problem is None or problem.startswith("n/a") or "skip_forbidden_streams is true" in problem)
        write(f"| {name} | {'yes' if problem is None else problem} |")
    return ok
