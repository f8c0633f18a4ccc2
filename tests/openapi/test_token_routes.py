"""GET /cgi-bin/token and POST /cgi-bin/stable_token over HTTP: WeChat's bodies and errcodes
(HTTP 200 on business errors), and wechatpy, the merchants' SDK, fetching a token from us."""

from __future__ import annotations

from typing import Any

import pytest
from wechatpy.exceptions import WeChatClientException

from miniapp.db.session import Database
from miniapp.settings import Settings
from tests.conftest import LiveServer
from tests.openapi.helpers import BackEnd, add_app_with_secret
from tests.openapi.wechatpy_client import wechat_client


@pytest.fixture
def back_end(database: Database, settings: Settings) -> BackEnd:
    return add_app_with_secret(database, settings, name="Tea")


def get_token(client: Any, **params: str) -> dict[str, Any]:
    answer = client.get("/cgi-bin/token", params=params)
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


def test_get_token_answers_a_token_for_the_right_secret(client: Any, back_end: BackEnd) -> None:
    body = get_token(
        client, grant_type="client_credential", appid=back_end.appid, secret=back_end.secret
    )
    assert set(body) == {"access_token", "expires_in"}
    assert body["expires_in"] == 7200
    assert len(body["access_token"]) <= 512


@pytest.mark.parametrize(
    ("params", "errcode"),
    [
        ({"grant_type": "password", "appid": "APP", "secret": "S"}, 40002),
        ({"grant_type": "client_credential", "secret": "S"}, 41002),
        ({"grant_type": "client_credential", "appid": "APP"}, 41004),
        ({"grant_type": "client_credential", "appid": "wx0000000000000000", "secret": "S"}, 40013),
        ({"grant_type": "client_credential", "appid": "APP", "secret": "wrong"}, 40125),
    ],
)
def test_get_token_refusals_carry_wechat_errcodes(
    client: Any, back_end: BackEnd, params: dict[str, str], errcode: int
) -> None:
    params = {k: (back_end.appid if v == "APP" else v) for k, v in params.items()}
    body = get_token(client, **params)
    assert body["errcode"] == errcode
    assert " rid: " in body["errmsg"]


def test_stable_token_repeats_and_force_refresh_replaces(client: Any, back_end: BackEnd) -> None:
    request = {
        "grant_type": "client_credential",
        "appid": back_end.appid,
        "secret": back_end.secret,
    }
    first = client.post("/cgi-bin/stable_token", json=request).json()
    again = client.post("/cgi-bin/stable_token", json=request).json()
    assert first["access_token"] == again["access_token"]
    assert 7190 <= again["expires_in"] <= 7200


@pytest.mark.parametrize(
    ("raw", "errcode"),
    [
        (b"not json", 47001),
        (b"[1, 2]", 47001),
        (b'{"grant_type": "client_credential", "appid": 5, "secret": "x"}', 40097),
        (b'{"grant_type": "client_credential", "appid": "a", "force_refresh": "yes"}', 40097),
        # What the JSON parser refuses with other errors than JSONDecodeError: nesting deeper
        # than the recursion limit, an integer of more than 4300 digits. Still 47001, not -1.
        (b"[" * 50_000, 47001),
        (b'{"force_refresh": ' + b"1" * 5000 + b"}", 47001),
    ],
)
def test_a_malformed_stable_token_body_gets_an_errcode(
    client: Any, raw: bytes, errcode: int
) -> None:
    answer = client.post(
        "/cgi-bin/stable_token", content=raw, headers={"content-type": "application/json"}
    )
    assert answer.status_code == 200
    assert answer.json()["errcode"] == errcode


def test_an_unknown_open_api_path_answers_in_the_envelope(client: Any) -> None:
    answer = client.get("/cgi-bin/no_such_api")
    assert answer.status_code == 200
    assert answer.json()["errcode"] == -1


def test_wechatpy_fetches_and_caches_a_token_from_us(
    live_server: LiveServer, database: Database
) -> None:
    back_end = add_app_with_secret(database, live_server.settings, name="Tea")
    wechat = wechat_client(live_server.url, appid=back_end.appid, secret=back_end.secret)
    token = wechat.access_token
    assert token and wechat.access_token == token  # cached by the SDK, as against WeChat

    wrong = wechat_client(live_server.url, appid=back_end.appid, secret="wrong-secret")
    with pytest.raises(WeChatClientException) as refused:
        wrong.fetch_access_token()
    assert refused.value.errcode == 40125
