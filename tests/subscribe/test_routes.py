"""The subscription routes over HTTP: console roles, the host's sheet and notifications, the
open API's send (another app's token refused), and wechatpy's `send_subscribe_message` against a
live server."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from wechatpy.exceptions import WeChatClientException

from miniapp.accounts.models import User
from miniapp.apps.bundles import BundleStore
from miniapp.db.session import Database
from miniapp.settings import Settings
from tests.apps.version_helpers import account, make_team
from tests.conftest import LiveServer
from tests.discovery.entry_helpers import make_user
from tests.openapi.wechatpy_client import wechat_client
from tests.subscribe.helpers import (
    PAYMENT_DATA,
    Shop,
    accept,
    make_shop,
    openid_of,
    token_for,
)

SEND = "/cgi-bin/message/subscribe/send"


def user_id_of(database: Database, login: str) -> int:
    with database.read() as session:
        return session.scalars(select(User.id).where(User.email == login)).one()


def test_console_members_read_and_only_admins_change(make_client: Any, database: Database) -> None:
    team = make_team(make_client, database)
    base = f"/api/console/apps/{team['appid']}/subscribe"
    library = team["tester"].get(f"{base}/library")
    assert library.status_code == 200
    assert {row["tid"] for row in library.json()["templates"]} == {1001, 1002, 1003, 1004}
    body = {"tid": 1002, "kid_list": [3, 1], "scene_desc": "After you pay"}
    for role in ("developer", "operator", "analyst", "tester"):
        refused = team[role].post(f"{base}/templates", json=body)
        assert (refused.status_code, refused.json()["error"]["code"]) == (403, "role_required")
    added = team["admin"].post(f"{base}/templates", json=body)
    assert added.status_code == 201, added.text
    template = added.json()
    assert template["title"] == "Payment succeeded"
    assert [keyword["key"] for keyword in template["keywords"]] == ["time3", "amount1"]
    listed = team["developer"].get(f"{base}/templates").json()["templates"]
    assert [row["priTmplId"] for row in listed] == [template["priTmplId"]]
    unknown = team["admin"].post(f"{base}/templates", json={**body, "tid": 5})
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (
        422,
        "subscribe_template_unknown",
    )
    assert team["outsider"].get(f"{base}/templates").status_code == 404
    assert team["outsider"].get(f"{base}/library").status_code == 404
    path = f"{base}/templates/{template['priTmplId']}"
    assert team["developer"].delete(path).status_code == 403
    assert team["admin"].delete(path).status_code == 204
    assert team["admin"].delete(path).status_code == 404
    assert team["admin"].get(f"{base}/templates").json()["templates"] == []


def test_the_sheet_grants_credits_and_the_notification_reaches_chats(
    make_client: Any, client: Any, database: Database, settings: Settings, shop: Shop
) -> None:
    ana = account(make_client, "ana@example.com", "Ana")
    runtime = f"/api/runtime/apps/{shop.appid}/subscribe"
    assert (
        make_client().post(runtime, json={"decisions": {shop.template_id: "accept"}}).status_code
        == 401
    )
    sheet = ana.get(f"{runtime}/templates", params={"ids": shop.template_id})
    assert sheet.json() == {
        "templates": [{"priTmplId": shop.template_id, "title": "Payment succeeded", "type": 2}]
    }
    unknown = ana.get(f"{runtime}/templates", params={"ids": f"{shop.template_id},nope"})
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (
        404,
        "subscribe_template_unknown",
    )
    decided = ana.post(runtime, json={"decisions": {shop.template_id: "accept"}})
    assert decided.json() == {shop.template_id: "accept"}
    openid = openid_of(database, settings, shop, user_id_of(database, "ana@example.com"))
    token = token_for(client, shop)
    body = {
        "touser": openid,
        "template_id": shop.template_id,
        "data": PAYMENT_DATA,
        "page": "pages/cart/cart?id=7",
    }
    sent = client.post(SEND, params={"access_token": token}, json=body)
    assert sent.status_code == 200
    assert sent.json()["errcode"] == 0 and sent.json()["errmsg"] == "ok"
    again = client.post(SEND, params={"access_token": token}, json=body).json()
    assert again["errcode"] == 43101
    (notification,) = ana.get("/api/me/notifications").json()["notifications"]
    assert notification["id"] == sent.json()["msgid"]
    assert (notification["appid"], notification["app_name"]) == (shop.appid, "Tea")
    assert notification["page"] == "pages/cart/cart?id=7"
    assert notification["fields"][0] == {"name": "Amount", "value": "¥36.00"}
    assert make_client().get("/api/me/notifications").status_code == 401
    other = account(make_client, "bo@example.com", "Bo")
    assert other.get("/api/me/notifications").json() == {"notifications": [], "unread": 0}


def test_another_apps_token_cannot_send_for_this_app(
    client: Any,
    database: Database,
    settings: Settings,
    store: BundleStore,
    *,
    shop: Shop,
    tmp_path: Path,
) -> None:
    other = make_shop(database, settings, store, tmp_path, name="Cake")
    ana = make_user(database, "ana@example.com").id
    openid = openid_of(database, settings, shop, ana)
    accept(database, shop, ana)
    body = {"touser": openid, "template_id": shop.template_id, "data": PAYMENT_DATA}
    refused = client.post(SEND, params={"access_token": token_for(client, other)}, json=body)
    assert refused.json()["errcode"] == 40003
    assert client.post(SEND, json=body).json()["errcode"] == 41001
    bad_state = client.post(
        SEND,
        params={"access_token": token_for(client, shop)},
        json={**body, "miniprogram_state": "beta"},
    )
    assert bad_state.json()["errcode"] == 40097


def test_send_answers_the_tokens_errcodes_before_the_bodys(
    client: Any, database: Database, settings: Settings, *, shop: Shop
) -> None:
    def errcode(token: str | None, content: bytes) -> int:
        params = {} if token is None else {"access_token": token}
        answer = client.post(SEND, params=params, content=content)
        code: int = answer.json()["errcode"]
        return code

    token = token_for(client, shop)
    ana = make_user(database, "ana@example.com").id
    body = {"touser": openid_of(database, settings, shop, ana), "template_id": shop.template_id}
    for content in (b"not json", b'{"touser": 7}', json.dumps(body).encode()):
        assert errcode(None, content) == 41001
        assert errcode("short", content) == 40014
        assert errcode("t" * 43, content) == 40001
    assert errcode(token, b"not json") == 47001
    assert errcode(token, b'{"touser": 7}') == 40097
    assert errcode(token, json.dumps({**body, "touser": "o" * 28}).encode()) == 40003
    assert errcode(token, json.dumps({**body, "template_id": "x"}).encode()) == 40037
    assert errcode(token, json.dumps({**body, "data": {}}).encode()) == 47003


def test_wechatpy_sends_a_subscription_message_against_a_live_server(
    live_server: LiveServer, tmp_path: Path
) -> None:
    database, settings = live_server.database, live_server.settings
    store = BundleStore.for_settings(settings)
    shop = make_shop(database, settings, store, tmp_path)
    ana = make_user(database, "ana@example.com").id
    openid = openid_of(database, settings, shop, ana)
    accept(database, shop, ana)
    client = wechat_client(live_server.url, appid=shop.appid, secret=shop.secret)
    answer = client.wxa.send_subscribe_message(
        openid, shop.template_id, PAYMENT_DATA, page="pages/about/about"
    )
    assert answer["errcode"] == 0 and answer["msgid"] > 0
    with pytest.raises(WeChatClientException) as refused:
        client.wxa.send_subscribe_message(openid, shop.template_id, PAYMENT_DATA)
    assert refused.value.errcode == 43101
