"""GET /sns/jscode2session and POST /wxa/checksession over HTTP: WeChat's bodies and errcodes
(HTTP 200 on business errors), and wechatpy's `wxa.code_to_session` against a live server."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from wechatpy.exceptions import WeChatClientException

from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.identity.ids import session_signature
from miniapp.openapi.quotas import Window
from miniapp.openapi.rate_limits import Count
from miniapp.settings import Settings
from tests.conftest import LiveServer
from tests.identity.helpers import TestApp, issue, make_app, make_organisation, new_user
from tests.openapi.wechatpy_client import wechat_client

CODE2SESSION = "/sns/jscode2session"


def fresh_code(database: Database, settings: Settings, app: TestApp, user_id: int) -> str:
    # With the real clock: these codes are redeemed over HTTP right away.
    return issue(database, settings, app, user_id, now=utc_now())


def code2session(client: Any, **params: str) -> dict[str, Any]:
    answer = client.get(CODE2SESSION, params={"grant_type": "authorization_code", **params})
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


def access_token(client: Any, app: TestApp) -> str:
    params = {"grant_type": "client_credential", "appid": app.appid, "secret": app.secret}
    token: str = client.get("/cgi-bin/token", params=params).json()["access_token"]
    return token


def test_code2session_answers_openid_session_key_and_unionid(
    client: Any, database: Database, settings: Settings
) -> None:
    ana = new_user(database, "ana@example.com")
    app = make_app(
        database,
        settings,
        "Tea",
        organisation_id=make_organisation(database, "Acme", created_by_id=ana),
    )
    code = fresh_code(database, settings, app, ana)
    body = code2session(client, appid=app.appid, secret=app.secret, js_code=code, access_token="x")
    assert set(body) == {"openid", "session_key", "unionid"}
    assert len(body["openid"]) == 28
    assert len(body["session_key"]) == 24


def test_no_unionid_for_an_app_without_organisation(
    client: Any, database: Database, settings: Settings
) -> None:
    app = make_app(database, settings, "Tea")
    code = fresh_code(database, settings, app, new_user(database, "ana@example.com"))
    body = code2session(client, appid=app.appid, secret=app.secret, js_code=code)
    assert set(body) == {"openid", "session_key"}


@pytest.mark.parametrize(
    ("params", "errcode"),
    [
        ({"secret": "SECRET", "js_code": "CODE"}, 41002),
        ({"appid": "APP", "js_code": "CODE"}, 41004),
        ({"appid": "wx0000000000000000", "secret": "SECRET", "js_code": "CODE"}, 40013),
        ({"appid": "APP", "secret": "wrong", "js_code": "CODE"}, 40125),
        ({"appid": "APP", "secret": "SECRET", "js_code": "not-a-code"}, 40029),
        ({"appid": "APP", "secret": "SECRET"}, 40029),
        ({"appid": "OTHER", "secret": "SECRET", "js_code": "CODE"}, 40029),
    ],
)
def test_code2session_refusals_carry_wechat_errcodes(
    client: Any, database: Database, settings: Settings, params: dict[str, str], errcode: int
) -> None:
    app = make_app(database, settings, "Tea")
    other = make_app(database, settings, "Cake")
    code = fresh_code(database, settings, app, new_user(database, "ana@example.com"))
    names = {"APP": app.appid, "OTHER": other.appid, "SECRET": app.secret, "CODE": code}
    body = code2session(client, **{k: names.get(v, v) for k, v in params.items()})
    assert body["errcode"] == errcode
    assert " rid: " in body["errmsg"]


def test_a_used_code_is_40163_and_a_busy_user_45011(
    client: Any, database: Database, settings: Settings
) -> None:
    app = make_app(database, settings, "Tea")
    ana = new_user(database, "ana@example.com")
    creds = {"appid": app.appid, "secret": app.secret}
    code = fresh_code(database, settings, app, ana)
    assert "openid" in code2session(client, js_code=code, **creds)
    assert code2session(client, js_code=code, **creds)["errcode"] == 40163
    # The user's minute is spent (this one and the next, should the clock turn meanwhile).
    now = utc_now()
    spent = Count(name=f"code2session:{ana}", window=Window.MINUTE, limit=100)
    for minute in (now, now + timedelta(minutes=1)):
        while (
            client.app.state.rate_limiter.take(app_id=app.id, counts=(spent,), now=minute) is None
        ):
            pass
    busy = fresh_code(database, settings, app, ana)
    assert code2session(client, js_code=busy, **creds)["errcode"] == 45011


def test_checksession_ok_87009_and_40003(
    client: Any, database: Database, settings: Settings
) -> None:
    tea = make_app(database, settings, "Tea")
    cake = make_app(database, settings, "Cake")
    ana = new_user(database, "ana@example.com")
    tea_session = code2session(
        client, appid=tea.appid, secret=tea.secret, js_code=fresh_code(database, settings, tea, ana)
    )
    cake_session = code2session(
        client,
        appid=cake.appid,
        secret=cake.secret,
        js_code=fresh_code(database, settings, cake, ana),
    )
    token = access_token(client, tea)

    def check(openid: str, signature: str, sig_method: str = "hmac_sha256") -> dict[str, Any]:
        answer = client.post(
            "/wxa/checksession",
            params={
                "access_token": token,
                "openid": openid,
                "signature": signature,
                "sig_method": sig_method,
            },
        )
        assert answer.status_code == 200
        body: dict[str, Any] = answer.json()
        return body

    good = session_signature(tea_session["session_key"])
    assert check(tea_session["openid"], good) == {"errcode": 0, "errmsg": "ok"}
    assert check(tea_session["openid"], "0" * 64)["errcode"] == 87009
    assert check(tea_session["openid"], good, sig_method="md5")["errcode"] == 87009
    assert check("o" + "x" * 27, good)["errcode"] == 40003
    # App A's token with app B's openid: not a user of A.
    cake_good = session_signature(cake_session["session_key"])
    assert check(cake_session["openid"], cake_good)["errcode"] == 40003
    missing = client.post("/wxa/checksession", params={"openid": tea_session["openid"]})
    assert missing.json()["errcode"] == 41001


def test_wechatpy_code_to_session_against_a_live_server(live_server: LiveServer) -> None:
    database, settings = live_server.database, live_server.settings
    app = make_app(database, settings, "Tea")
    code = fresh_code(database, settings, app, new_user(database, "ana@example.com"))
    client = wechat_client(live_server.url, appid=app.appid, secret=app.secret)
    answer = client.wxa.code_to_session(code)
    assert len(answer["openid"]) == 28
    assert len(answer["session_key"]) == 24
    with pytest.raises(WeChatClientException) as refused:
        client.wxa.code_to_session(code)
    assert refused.value.errcode == 40163
