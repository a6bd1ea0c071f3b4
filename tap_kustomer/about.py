"""--about (what the tap is and which settings it takes) and --test (can this config read the org?)."""

import json

from tap_kustomer.config import SETTINGS, VERSION
from tap_kustomer.errors import KustomerError
from tap_kustomer.outcomes import FAIL, SKIP, judge, reason_of
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


TEST_RETRY_SECONDS = 30  # --test is read at a terminal: a path that keeps failing is reported after this


def probe(stream, client, config):
    """Read a little of the stream (its parent first, for a child) and judge what went wrong as the
    sync would: None if it would be read, else (verdict, reason)."""
    try:
        if stream.parent:
            STREAMS[stream.parent].probe(client, config)
        stream.probe(client, config)
    except Exception as exc:  # noqa: BLE001 - judged as the sync judges it
        verdict, error = judge(exc, [stream], client, config)
        return verdict, reason_of(error)
    return None


def connection_test(client, config, write):
    """Check the token and the region, then read a little of each stream as the sync would; write
    the table as one block. True if the sync would complete."""
    try:
        client.get("/v1/users/current")
    except KustomerError as exc:
        write(f"token and region: FAILED: {exc}")
        return False
    lines = [f"token and region: ok ({config.base_url})", "", "| stream | readable |", "|---|---|"]
    ok, stop = True, None
    for name in sorted(STREAMS):
        found = None if stop else probe(STREAMS[name], client, config)
        if stop:
            answer = "not checked: the sync would have stopped already"
        elif found is None:
            answer = "yes"
        else:
            verdict, reason = found
            if verdict == SKIP:
                forbidden = "HTTP 401" in reason or "HTTP 403" in reason
                answer = (
                    f"NO (skip_forbidden_streams is true: the sync skips it): {reason}"
                    if forbidden
                    else f"n/a: this org has no such data (the sync skips it): {reason}"
                )
            elif verdict == FAIL:
                ok, answer = False, f"NO: {reason}"
            else:
                ok, stop, answer = False, reason, f"NO, and the sync would stop every stream: {reason}"
        lines.append(f"| {name} | {answer} |")
    write("\n".join(lines))
    return ok
