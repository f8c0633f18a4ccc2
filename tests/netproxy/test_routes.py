"""POST /api/runtime/apps/{appid}/request, the host page's proxy for wx.request, on both databases.

The upstream is a real server on loopback, which only development mode (`dev_mode`) may reach;
its made-up name is answered by `fake_dns` (DNS lies outside the platform).
"""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from miniapp.db.session import Database
from tests.conftest import CSRF_COOKIE, SESSION_COOKIE, ApiClient
from tests.netproxy.conftest import APPID, PNG_BYTES, FakeDNS, Upstream, register_app


@pytest.fixture
def shop(database: Database, fake_dns: FakeDNS, upstream: Upstream) -> str:
    """A launchable app whose one request domain is the loopback upstream; its base URL."""
    fake_dns.add("api.shop.test", ["127.0.0.1"])
    register_app(database, request_domains=[f"api.shop.test:{upstream.port}"])
    return f"http://api.shop.test:{upstream.port}"


def proxy(client: ApiClient, payload: dict[str, Any], appid: str = APPID) -> Any:
    return client.post(f"/api/runtime/apps/{appid}/request", json=payload)


def test_json_answer(dev_client: ApiClient, shop: str) -> None:
    answer = proxy(dev_client, {"url": f"{shop}/json"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["statusCode"] == 200
    assert body["dataEncoding"] == "text"
    assert json.loads(body["data"]) == {"ok": True, "name": "小程序"}
    assert body["header"]["Content-Type"] == "application/json; charset=utf-8"
    assert body["cookies"] == []


def test_request_method_headers_and_body_reach_the_server(
    dev_client: ApiClient, shop: str, upstream: Upstream
) -> None:
    answer = proxy(
        dev_client,
        {
            "url": f"{shop}/echo?page=2",
            "method": "POST",
            "header": {"content-type": "application/x-www-form-urlencoded", "X-Api-Key": "k1"},
            "data": "a=1&b=%E4%B8%AD",
        },
    )
    assert answer.status_code == 200 and answer.json()["statusCode"] == 200
    (seen,) = upstream.seen
    assert (seen.method, seen.path) == ("POST", "/echo?page=2")
    assert seen.body == b"a=1&b=%E4%B8%AD"
    assert seen.header("Content-Type") == "application/x-www-form-urlencoded"
    assert seen.header("X-Api-Key") == "k1"
    assert seen.header("Host") == f"api.shop.test:{upstream.port}"
    assert seen.header("Referer") == f"https://testserver/{APPID}/page-frame.html"


def test_binary_request_and_answer_travel_as_base64(
    dev_client: ApiClient, shop: str, upstream: Upstream
) -> None:
    raw = bytes(range(256))
    answer = proxy(
        dev_client,
        {
            "url": f"{shop}/binary",
            "method": "PUT",
            "data": base64.b64encode(raw).decode(),
            "dataEncoding": "base64",
        },
    ).json()
    assert upstream.seen[0].body == raw
    assert answer["dataEncoding"] == "base64"  # not UTF-8
    assert base64.b64decode(answer["data"]) == PNG_BYTES
    as_buffer = proxy(dev_client, {"url": f"{shop}/json", "responseType": "arraybuffer"}).json()
    assert as_buffer["dataEncoding"] == "base64"  # an ArrayBuffer was asked for
    assert json.loads(base64.b64decode(as_buffer["data"]))["ok"] is True


def test_error_statuses_and_cookies_are_a_success(dev_client: ApiClient, shop: str) -> None:
    failed = proxy(dev_client, {"url": f"{shop}/status?code=503"})
    assert failed.status_code == 200
    assert failed.json()["statusCode"] == 503 and failed.json()["data"] == "status body"
    cookies = proxy(dev_client, {"url": f"{shop}/cookies"}).json()
    assert cookies["cookies"] == ["a=1; Path=/; HttpOnly", "b=2; Path=/"]


def test_the_users_cookies_and_tokens_are_never_forwarded(
    dev_client: ApiClient, shop: str, upstream: Upstream
) -> None:
    dev_client.cookies.set(SESSION_COOKIE, "users-session-secret", domain="testserver.local")
    dev_client.cookies.set("tracking", "users-other-cookie", domain="testserver.local")
    # The browser does send them to the proxy route...
    outgoing = dev_client.build_request("POST", f"/api/runtime/apps/{APPID}/request")
    assert "users-session-secret" in outgoing.headers["cookie"]
    answer = proxy(
        dev_client,
        {"url": f"{shop}/echo", "header": {"Cookie": "app_cookie=from-the-mini-program"}},
    )
    # ...and the route does not pass them on: only the mini program's own header goes.
    assert answer.status_code == 200
    (seen,) = upstream.seen
    sent = json.dumps(seen.headers)
    csrf = dev_client.cookies.get(CSRF_COOKIE)
    assert csrf and csrf not in sent
    assert "users-session-secret" not in sent and "users-other-cookie" not in sent
    assert seen.header("Cookie") == "app_cookie=from-the-mini-program"
    assert seen.header("X-CSRF-Token") is None and seen.header("Origin") is None


def test_unregistered_domain_is_refused_with_wechats_err_msg(
    client: ApiClient, shop: str, upstream: Upstream
) -> None:
    # Production (`client`): the domain list is checked before anything is resolved.
    answer = proxy(client, {"url": f"https://other.test:{upstream.port}/echo"})
    assert answer.status_code == 403
    error = answer.json()["error"]
    assert error["code"] == "request_domain_refused"
    assert error["field"] == "url"
    assert error["params"]["errMsg"] == "request:fail url not in domain list"
    assert upstream.seen == []


def test_development_does_not_check_the_domain_list(
    dev_client: ApiClient, shop: str, upstream: Upstream, fake_dns: FakeDNS
) -> None:
    fake_dns.add("unregistered.test", ["127.0.0.1"])
    # The simulator's projects have no registration: any host is tried (this one is the loopback
    # upstream under a name the app never registered).
    answer = proxy(dev_client, {"url": f"http://unregistered.test:{upstream.port}/echo"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["statusCode"] == 200
    assert len(upstream.seen) == 1


def test_production_refuses_plain_http_and_private_addresses(
    client: ApiClient, shop: str, upstream: Upstream
) -> None:
    # `client` runs with the default settings: dev_mode off.
    plain = proxy(client, {"url": f"{shop}/echo"})
    assert plain.status_code == 422
    assert plain.json()["error"]["params"]["errMsg"] == "request:fail invalid url"
    tls_to_loopback = proxy(client, {"url": f"https://api.shop.test:{upstream.port}/echo"})
    assert tls_to_loopback.status_code == 403
    assert tls_to_loopback.json()["error"]["params"]["errMsg"] == "request:fail address not allowed"
    assert upstream.seen == []


def test_connect_is_refused(dev_client: ApiClient, shop: str, upstream: Upstream) -> None:
    answer = proxy(dev_client, {"url": f"{shop}/echo", "method": "CONNECT"})
    assert answer.status_code == 422
    assert answer.json()["error"]["params"]["errMsg"] == "request:fail method not supported"
    assert upstream.seen == []


def test_timeout(dev_client: ApiClient, shop: str, upstream: Upstream) -> None:
    # The server waits on an event the test sets only at teardown; the timeout leaves a loaded
    # machine time to deliver the request.
    answer = proxy(dev_client, {"url": f"{shop}/wait", "timeout": 2000})
    assert answer.status_code == 504
    assert answer.json()["error"]["params"]["errMsg"] == "request:fail timeout"
    assert upstream.started_waiting.is_set()


def test_unknown_and_unreleased_apps_are_not_found(
    dev_client: ApiClient, database: Database, shop: str, upstream: Upstream
) -> None:
    register_app(
        database,
        name="Unreleased shop",
        request_domains=[f"api.shop.test:{upstream.port}"],
        appid="wxfedcba9876543210",
        release=False,
    )
    for appid in ("wxfedcba9876543210", "wx9999999999999999", "not-an-appid"):
        answer = proxy(dev_client, {"url": f"{shop}/echo"}, appid=appid)
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "app_not_found"
    assert upstream.seen == []


def test_csrf_token_is_required(dev_client: ApiClient, shop: str, upstream: Upstream) -> None:
    answer = dev_client.post(
        f"/api/runtime/apps/{APPID}/request",
        json={"url": f"{shop}/echo"},
        headers={"X-CSRF-Token": "forged"},
    )
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "csrf_failed"
    assert upstream.seen == []


def test_bad_input_is_invalid_input(dev_client: ApiClient, shop: str) -> None:
    bad_base64 = proxy(dev_client, {"url": f"{shop}/echo", "data": "%%%", "dataEncoding": "base64"})
    assert bad_base64.status_code == 422
    assert bad_base64.json()["error"]["field"] == "data"
    not_a_string = proxy(dev_client, {"url": f"{shop}/echo", "header": {"X-Count": 3}})
    assert not_a_string.status_code == 422
    assert not_a_string.json()["error"]["code"] == "invalid_input"
