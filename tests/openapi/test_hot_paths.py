"""The open API's hot paths (jscode2session, subscribe/send) skip the router but not the app's
outer middlewares, keep WeChat's envelope for every error, and stay in the API reference."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.openapi.quotas import Window
from miniapp.openapi.rate_limits import RedisRateLimiter
from miniapp.settings import Settings
from tests.identity.helpers import issue, make_app, new_user

CODE2SESSION = "/sns/jscode2session"
SEND = "/cgi-bin/message/subscribe/send"


def test_hot_paths_pass_the_outer_middlewares(
    client: Any, database: Database, settings: Settings
) -> None:
    app = make_app(database, settings, "Tea")
    code = issue(database, settings, app, new_user(database, "ana@example.com"), now=utc_now())
    params = {"appid": app.appid, "secret": app.secret, "js_code": code}
    # A Host this server does not answer for (DNS rebinding) is refused before the path runs.
    refused = client.get(CODE2SESSION, params=params, headers={"Host": "evil.example"})
    assert refused.status_code == 400
    answer = client.get(CODE2SESSION, params=params)
    assert "openid" in answer.json()  # the code was still unused
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "same-origin"
    # The body limit applies before the send reads its body (47001, as WeChat answers it).
    too_big = client.post(
        SEND,
        params={"access_token": "x"},
        content=b"{" + b" " * settings.max_api_body_bytes + b"}",
        headers={"Content-Type": "application/json"},
    )
    assert too_big.json()["errcode"] == 47001
    assert "body over" in too_big.json()["errmsg"]


def test_other_methods_reach_the_router(client: Any) -> None:
    # The router's 405, in the open API's envelope.
    for answer in (client.get(SEND), client.post(CODE2SESSION)):
        assert answer.json()["errcode"] == -1
        assert answer.json()["errmsg"].startswith("system error: http 405 rid: ")


def test_an_unexpected_error_is_answered_minus_1(
    app: FastAPI, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr("miniapp.identity.open_routes.do_redeem_login_code", broken)
    test_app = make_app(database, settings, "Tea")
    with TestClient(app, raise_server_exceptions=False) as client:
        answer = client.get(
            CODE2SESSION,
            params={"appid": test_app.appid, "secret": test_app.secret, "js_code": "c"},
        )
    assert answer.status_code == 200
    assert answer.json()["errcode"] == -1
    assert answer.json()["errmsg"].startswith("system error rid: ")


def test_with_redis_counters_the_work_runs_off_the_event_loop(
    app: FastAPI,
    client: Any,
    database: Database,
    settings: Settings,
    redis_limiter: RedisRateLimiter,
) -> None:
    app.state.rate_limiter = redis_limiter
    test_app = make_app(database, settings, "Tea")
    ana = new_user(database, "ana@example.com")
    code = issue(database, settings, test_app, ana, now=utc_now())
    params = {"appid": test_app.appid, "secret": test_app.secret, "js_code": code}
    assert "openid" in client.get(CODE2SESSION, params=params).json()
    assert client.get(CODE2SESSION, params=params).json()["errcode"] == 40163
    assert (
        redis_limiter.used(
            app_id=test_app.id, name=f"path:{CODE2SESSION}", window=Window.MINUTE, now=utc_now()
        )
        == 2
    )


def test_the_api_reference_describes_the_hot_paths(client: Any) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    code2session = paths[CODE2SESSION]["get"]
    assert {p["name"] for p in code2session["parameters"]} >= {"appid", "secret", "js_code"}
    send = paths[SEND]["post"]
    assert [p["name"] for p in send["parameters"]] == ["access_token"]
    schema = send["requestBody"]["content"]["application/json"]["schema"]
    assert {"touser", "template_id", "data", "page"} <= set(schema["properties"])
