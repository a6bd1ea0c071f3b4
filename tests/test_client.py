"""The HTTP client against a scripted transport: the error table, retries, rate-limit waits."""

import json

import pytest
import requests

from tap_kustomer import errors
from tap_kustomer.client import KustomerClient, reset_delay
from tap_kustomer.config import load_config
from tap_kustomer.timeutil import now_utc

TOKEN = "tok-SECRET-1234567890"


def response(status, body=None, headers=None, raw=None):
    out = requests.Response()
    out.status_code = status
    out._content = raw if raw is not None else json.dumps(body if body is not None else {"data": []}).encode()
    out.headers.update(headers or {})
    return out


class ScriptedSession(requests.Session):
    """Answers each request with the next scripted response (or raises a scripted exception)."""

    def __init__(self, script):
        super().__init__()
        self.script = list(script)
        self.calls = []

    def request(self, method, url, **kwargs):
        self.calls.append((method, url, kwargs))
        item = self.script.pop(0)
        if isinstance(item, Exception):
            raise item
        return item


@pytest.fixture
def client(fake_time):
    """make(script, **config) -> (client, session, sleeps): a client on a scripted transport and fake time."""

    def make(script, **config):
        return _client(fake_time, script, **config)

    return make


def _client(fake, script, **config):
    raw = {
        "api_token": TOKEN,
        "start_date": "2024-01-01",
        "base_url": "https://acme.api.kustomerapp.com",
        "max_retries": 3,
        **config,
    }
    session = ScriptedSession(script)
    made = KustomerClient(
        load_config(raw, now_utc(), lambda *a: None), session=session, sleep=fake.sleep, clock=fake.clock
    )
    return made, session, fake.sleeps


JSONAPI_401 = {
    "errors": [{"status": 401, "code": "auth_invalid", "title": "Unauthorized", "detail": "Invalid auth token"}]
}
PLAIN_403 = {"errors": [{"code": "forbidden", "message": "Missing role to read customer", "meta": {}}]}
WRONG_POD = {
    "errors": [
        {
            "code": "invalid_token",
            "message": "Auth token associated with pod prod2 but request is being handled by prod1",
        }
    ]
}


@pytest.mark.parametrize(
    "status, body, kind, words, tries",
    [
        (401, JSONAPI_401, errors.AuthError, ["token was rejected", "Invalid auth token"], 1),
        (403, PLAIN_403, errors.ForbiddenError, ["lacks a read role", "Missing role to read customer"], 1),
        (
            404,
            {"errors": [{"status": 404, "title": "Not Found"}]},
            errors.NotFoundError,
            ["no such resource", "Not Found"],
            1,
        ),
        (
            400,
            {"errors": [{"status": "400", "detail": "bad sort"}]},
            errors.BadRequestError,
            ["malformed", "bad sort"],
            1,
        ),
        (401, WRONG_POD, errors.AuthError, ["set region to 'eu'", "pod prod2"], 1),
        (500, {"errors": [{"message": "boom"}]}, errors.ServerError, ["server error", "boom"], 4),
        (503, None, errors.ServerError, ["HTTP 503"], 4),
    ],
)
def test_error_table(status, body, kind, words, tries, client):
    raw = b"<html><body>Service Unavailable</body></html>" if body is None else None
    made, session, sleeps = client([response(status, body, raw=raw) for _ in range(tries)])
    with pytest.raises(kind) as caught:
        made.get("/v1/customers")
    for word in words:
        assert word in str(caught.value)
    assert len(session.calls) == tries
    assert len(sleeps) == tries - 1
    assert TOKEN not in str(caught.value)


def test_transient_failures_are_retried_then_succeed(client):
    made, session, sleeps = client(
        [
            requests.ConnectionError("reset by peer"),
            requests.Timeout("slow"),
            response(502, raw=b"<html>Bad Gateway</html>"),
            response(200, raw=b""),  # an empty 200 is a fault, not an answer
            response(200, {"data": [{"id": "a"}]}),
        ],
        max_retries=5,
    )
    assert made.get("/v1/tags") == {"data": [{"id": "a"}]}
    assert len(session.calls) == 5
    assert len(sleeps) == 4 and all(0 < s <= 60 for s in sleeps)
    assert sleeps[1] > sleeps[0] * 1.2  # exponential


def test_429_waits_for_the_servers_reset(client):
    made, _, sleeps = client(
        [
            response(429, {"errors": []}, {"x-ratelimit-reset": "1700000030"}),
            response(429, {"errors": []}, {"Retry-After": "7"}),
            response(200, {"data": []}),
        ]
    )
    made.get("/v1/tags")
    assert 30 <= sleeps[0] < 31 and 7 <= sleeps[1] < 8


def test_a_429_storm_is_waited_out_up_to_max_rate_limit_wait_then_stops(client):
    storm = [response(429, {"errors": [{"status": 429, "title": "Too Many Requests"}]}, {"Retry-After": "30"})]
    made, session, sleeps = client(storm * 4 + [response(200)], max_rate_limit_wait=100, max_retries=0)
    with pytest.raises(errors.RateLimitError) as caught:
        made.get("/v1/tags")
    assert len(session.calls) == 4 and len(sleeps) == 3 and sum(sleeps) <= 100
    assert "max_rate_limit_wait" in str(caught.value) and "Too Many Requests" in str(caught.value)
    made, session, sleeps = client(storm * 4 + [response(200, {"data": [1]})], max_rate_limit_wait=200, max_retries=0)
    assert made.get("/v1/tags") == {"data": [1]}  # 429s do not spend the fault retries


def test_paces_itself_when_the_window_is_used_up(client):
    made, _, sleeps = client(
        [
            response(200, {"data": []}, {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000012"}),
            response(200, {"data": []}),
        ]
    )
    made.get("/v1/tags")
    assert sleeps == []
    made.get("/v1/tags")
    assert sleeps == [12.25]  # until the reset the server named, and a little margin


def test_reset_delay_reads_epoch_and_delta():
    assert reset_delay({"x-ratelimit-reset": "1700000005"}, 1_700_000_000.0) == 5
    assert reset_delay({"x-ratelimit-reset": "9"}, 1_700_000_000.0) == 9
    assert reset_delay({}, 0) is None


def test_one_session_auth_header_timeout_and_no_redirects(client):
    made, session, _ = client([response(200), response(200)], request_timeout=12)
    made.post("/v1/customers/search", {"queryContext": "customer"}, params={"page": 1})
    made.get("/v1/tags?page=2&pageSize=100")
    assert session.headers["Authorization"] == f"Bearer {TOKEN}"
    assert session.headers["User-Agent"].startswith("tap-kustomer/")
    for _method, url, kwargs in session.calls:
        assert url.startswith("https://acme.api.kustomerapp.com/v1/")
        assert kwargs["timeout"] == 12 and kwargs["allow_redirects"] is False
    assert made.request_counts == {"POST /v1/customers/search": 1, "GET /v1/tags": 1}


def test_refuses_a_next_link_to_another_host(client):
    made, session, _ = client([])
    with pytest.raises(errors.KustomerError, match="another host"):
        made.get("https://evil.example.com/v1/tags?page=2")
    assert session.calls == []


def refused():
    return requests.ConnectionError(
        "HTTPSConnectionPool(host='acme.api.kustomerapp.com', port=443): Max retries exceeded with url: "
        "/v1/users/current (Caused by NewConnectionError('Failed to establish a new connection: "
        "[Errno 111] Connection refused'))"
    )


def no_such_host():
    return requests.ConnectionError(
        "HTTPSConnectionPool(host='acmee.api.kustomerapp.com', port=443): Max retries exceeded with url: "
        "/v1/users/current (Caused by NameResolutionError(\"Failed to resolve 'acmee.api.kustomerapp.com' "
        '([Errno -2] Name or service not known)"))'
    )


@pytest.mark.parametrize(
    "config, fault, words",
    [
        ({"subdomain": "acmee", "base_url": ""}, no_such_host, ["(from config 'subdomain')", "does not resolve"]),
        ({"region": "eu", "base_url": ""}, refused, ["(from config 'region')", "connection was refused"]),
        ({}, lambda: requests.exceptions.SSLError("[SSL: WRONG_VERSION_NUMBER]"), ["'base_url'", "TLS handshake"]),
    ],
)
def test_an_address_that_cannot_be_reached_fails_the_first_request_at_once(client, config, fault, words):
    made, session, sleeps = client([fault()], max_retry_seconds=600, max_retries=None, **config)
    with pytest.raises(errors.ConfigError) as caught:
        made.get("/v1/users/current")
    assert len(session.calls) == 1 and sleeps == []  # not retried
    assert all(w in str(caught.value) for w in words) and made.base_url in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_once_the_api_has_answered_the_same_errors_are_faults_and_retried(client):
    made, session, sleeps = client([response(200), refused(), no_such_host(), response(200, {"data": []})])
    made.get("/v1/users/current")
    assert made.get("/v1/tags") == {"data": []}
    assert len(session.calls) == 4 and len(sleeps) == 2


def test_requests_are_counted_for_the_stream_they_are_made_for(client):
    made, _, _ = client([response(200), response(200), response(200)])
    made.get("/v1/users/current")
    with made.on_behalf_of("tags"):
        made.get("/v1/tags")
        with made.on_behalf_of("business_holidays"):
            made.get("/v1/schedules/5f9c1a2b3c4d5e6f70819a2b")
    assert made.stream_requests == {"tags": 1, "business_holidays": 1}
