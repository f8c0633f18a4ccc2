"""`/wxaapi/newtmpl/*` over HTTP on both databases: every call with WeChat's shapes and
errcodes, one set of rules with the console, a template added by a back end usable at once by
the subscribe sheet and subscribe/send, another app's token refused; and wechatpy 1.8.18's raw
calls (it has no newtmpl wrappers) against a live server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from wechatpy.exceptions import WeChatClientException

from miniapp.accounts.models import User
from miniapp.apps.bundles import BundleStore
from miniapp.apps.models import App
from miniapp.apps.profile import app_secret_hash
from miniapp.db.session import Database
from miniapp.settings import Settings
from miniapp.subscribe.templates import MAX_TEMPLATES, do_add_template
from tests.apps.version_helpers import account, make_team
from tests.conftest import LiveServer
from tests.discovery.entry_helpers import make_user
from tests.openapi.wechatpy_client import WECHAT_API, wechat_client
from tests.subscribe.helpers import (
    PAYMENT_DATA,
    T0,
    Shop,
    make_shop,
    openid_of,
    token_for,
)

API = "/wxaapi/newtmpl"


class BackEnd:
    """The shop's back end calling the template API with its token."""

    def __init__(self, client: Any, token: str) -> None:
        self.client = client
        self.token = token

    def get(self, call: str, **params: Any) -> dict[str, Any]:
        answer = self.client.get(f"{API}/{call}", params={"access_token": self.token, **params})
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    def post(self, call: str, body: Any = None, **options: Any) -> dict[str, Any]:
        if body is not None:
            options["json"] = body
        answer = self.client.post(f"{API}/{call}", params={"access_token": self.token}, **options)
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found


@pytest.fixture
def back_end(client: Any, shop: Shop) -> BackEnd:
    return BackEnd(client, token_for(client, shop))


def errcode(answer: dict[str, Any]) -> int:
    code: int = answer["errcode"]
    return code


def test_the_library_by_category_title_and_keyword(back_end: BackEnd, client: Any) -> None:
    categories = back_end.get("getcategory")
    assert categories["errcode"] == 0 and categories["errmsg"] == "ok"
    assert categories["data"] == [
        {"id": 101, "name": "Shopping"},
        {"id": 102, "name": "Food and drink"},
        {"id": 103, "name": "Public services"},
    ]
    titles = back_end.get("getpubtemplatetitles", ids="101,103", start=0, limit=30)
    assert titles["count"] == 3
    assert titles["data"] == [
        {"tid": 1001, "title": "Order shipped", "type": 2, "categoryId": "101"},
        {"tid": 1002, "title": "Payment succeeded", "type": 2, "categoryId": "101"},
        {"tid": 1004, "title": "Appointment status", "type": 3, "categoryId": "103"},
    ]
    page = back_end.get("getpubtemplatetitles", ids="101,103", start=1, limit=1)
    assert (page["count"], [row["tid"] for row in page["data"]]) == (3, [1002])
    assert back_end.get("getpubtemplatetitles", ids="102", start=5, limit=1)["data"] == []
    keywords = back_end.get("getpubtemplatekeywords", tid=1002)
    assert keywords["count"] == 4
    assert keywords["data"][0] == {
        "kid": 1,
        "name": "Amount",
        "example": "¥36.00",
        "rule": "amount",
    }
    # WeChat's errcodes for each bad parameter.
    assert errcode(back_end.get("getpubtemplatetitles", start=0, limit=1)) == 200018
    for ids in ("x", '"101"', "101,", "999", "101;102"):
        assert errcode(back_end.get("getpubtemplatetitles", ids=ids, start=0, limit=1)) == 200019
    for start in (None, "-1", "a"):
        query = {"ids": "101", "limit": 1} | ({} if start is None else {"start": start})
        assert errcode(back_end.get("getpubtemplatetitles", **query)) == 200016
    for limit in (None, "0", "31", "1.5"):
        query = {"ids": "101", "start": 0} | ({} if limit is None else {"limit": limit})
        assert errcode(back_end.get("getpubtemplatetitles", **query)) == 200017
    for tid in (None, "5", "abc", "-1002"):
        query = {} if tid is None else {"tid": tid}
        assert errcode(back_end.get("getpubtemplatekeywords", **query)) == 200014
    # Without a token, or with a wrong one: the token's errcodes.
    assert client.get(f"{API}/getcategory").json()["errcode"] == 41001
    wrong = client.get(f"{API}/gettemplate", params={"access_token": "nope"}).json()
    assert wrong["errcode"] in (40001, 40014)


def test_add_list_and_delete_with_wechats_errcodes(back_end: BackEnd, shop: Shop) -> None:
    added = back_end.post(
        "addtemplate", {"tid": "1001", "kidList": [3, 1], "sceneDesc": "When it ships"}
    )
    assert added["errcode"] == 0 and len(added["priTmplId"]) == 43
    listed = {row["priTmplId"]: row for row in back_end.get("gettemplate")["data"]}
    assert set(listed) == {added["priTmplId"], shop.template_id}
    assert listed[added["priTmplId"]] == {
        "priTmplId": added["priTmplId"],
        "title": "Order shipped",
        "content": "Shipped at:{{time3.DATA}}\nOrder number:{{character_string1.DATA}}\n",
        "example": "Shipped at:2030-12-01 15:01\nOrder number:SO20301201-0042\n",
        "type": 2,
    }
    # A form body, as WeChat's current documentation recommends, in both spellings of a list.
    form = back_end.post(
        "addtemplate", data={"tid": "1004", "kidList": ["2", "1"], "sceneDesc": "Progress"}
    )
    assert form["errcode"] == 0
    indexed = back_end.post(
        "addtemplate",
        content=b"tid=1003&kidList%5B0%5D=2&kidList%5B1%5D=1",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert indexed["errcode"] == 0
    by_id = {row["priTmplId"]: row for row in back_end.get("gettemplate")["data"]}
    assert by_id[form["priTmplId"]]["type"] == 3
    assert by_id[indexed["priTmplId"]]["content"].startswith("Date:{{date2.DATA}}\n")
    bad = {"tid": 1002, "kidList": [1, 2], "sceneDesc": "Paid"}
    assert errcode(back_end.post("addtemplate", {**bad, "tid": 5})) == 200014
    assert errcode(back_end.post("addtemplate", {"kidList": [1], "sceneDesc": "x"})) == 200014
    for kids in ([], [1, 1], [9], [1, 2, 3, 4, 1, 2]):
        assert errcode(back_end.post("addtemplate", {**bad, "kidList": kids})) == 200020
    assert errcode(back_end.post("addtemplate", {**bad, "sceneDesc": "x" * 33})) == 200021
    assert errcode(back_end.post("addtemplate", {**bad, "kidList": "1,2"})) == 40097
    assert errcode(back_end.post("addtemplate", content=b"not json")) == 47001
    assert len(back_end.get("gettemplate")["data"]) == 4  # none of the refused ones was added
    # deltemplate: an unknown id is 40037; the app's own goes, with nothing left behind.
    assert errcode(back_end.post("deltemplate", {"priTmplId": "nope"})) == 40037
    assert errcode(back_end.post("deltemplate", {})) == 40037
    assert back_end.post("deltemplate", {"priTmplId": added["priTmplId"]})["errcode"] == 0
    assert errcode(back_end.post("deltemplate", {"priTmplId": added["priTmplId"]})) == 40037
    remaining = [row["priTmplId"] for row in back_end.get("gettemplate")["data"]]
    assert added["priTmplId"] not in remaining and len(remaining) == 3


def test_the_template_cap_is_the_consoles_and_200012(
    back_end: BackEnd, database: Database, shop: Shop
) -> None:
    with database.transaction() as session:
        for _ in range(MAX_TEMPLATES - 2):  # the shop has one already
            do_add_template(
                session, app_id=shop.app_id, tid=1002, kid_list=[1], scene_desc="x", now=T0
            )
    body = {"tid": 1002, "kidList": [1, 2], "sceneDesc": "Paid"}
    assert back_end.post("addtemplate", body)["errcode"] == 0
    full = back_end.post("addtemplate", body)
    assert full["errcode"] == 200012 and "50" in full["errmsg"]
    assert len(back_end.get("gettemplate")["data"]) == MAX_TEMPLATES


def test_a_template_added_by_the_back_end_is_usable_at_once(
    back_end: BackEnd,
    make_client: Any,
    database: Database,
    settings: Settings,
    shop: Shop,
) -> None:
    added = back_end.post(
        "addtemplate", {"tid": 1002, "kidList": [1, 2, 3], "sceneDesc": "After you pay"}
    )
    template_id = added["priTmplId"]
    ana = account(make_client, "ana@example.com", "Ana")
    runtime = f"/api/runtime/apps/{shop.appid}/subscribe"
    sheet = ana.get(f"{runtime}/templates", params={"ids": template_id}).json()
    assert sheet == {
        "templates": [{"priTmplId": template_id, "title": "Payment succeeded", "type": 2}]
    }
    assert ana.post(runtime, json={"decisions": {template_id: "accept"}}).status_code == 200
    with database.read() as session:
        ana_id = session.scalars(select(User.id).where(User.email == "ana@example.com")).one()
    openid = openid_of(database, settings, shop, ana_id)
    body = {"touser": openid, "template_id": template_id, "data": PAYMENT_DATA}
    sent = back_end.client.post(
        "/cgi-bin/message/subscribe/send", params={"access_token": back_end.token}, json=body
    ).json()
    assert sent["errcode"] == 0
    (notification,) = ana.get("/api/me/notifications").json()["notifications"]
    assert (notification["id"], notification["title"]) == (sent["msgid"], "Payment succeeded")


def test_templates_added_by_the_back_end_show_in_the_console(
    client: Any, make_client: Any, database: Database, settings: Settings
) -> None:
    team = make_team(make_client, database)
    with database.transaction() as session:
        app = session.scalars(select(App).where(App.appid == team["appid"])).one()
        app.secret_hash = app_secret_hash(settings.server_key, "s" * 32)
        app_id = app.id
    cafe = BackEnd(
        client,
        token_for(
            client, Shop(appid=team["appid"], app_id=app_id, secret="s" * 32, template_id="")
        ),
    )
    added = cafe.post("addtemplate", {"tid": 1003, "kidList": [1, 2]})
    assert added["errcode"] == 0
    console = f"/api/console/apps/{team['appid']}/subscribe/templates"
    (shown,) = team["developer"].get(console).json()["templates"]
    assert shown["priTmplId"] == added["priTmplId"]
    # No sceneDesc (optional at WeChat): the title stands in for it.
    assert (shown["title"], shown["scene_desc"]) == ("Booking reminder", "Booking reminder")
    assert [k["key"] for k in shown["keywords"]] == ["thing1", "date2"]
    # Deleted in the console, it is gone for the back end too.
    assert team["admin"].delete(f"{console}/{added['priTmplId']}").status_code == 204
    assert cafe.get("gettemplate")["data"] == []


def test_another_apps_token_sees_and_deletes_only_its_own(
    client: Any,
    back_end: BackEnd,
    *,
    database: Database,
    settings: Settings,
    store: BundleStore,
    shop: Shop,
    tmp_path: Path,
) -> None:
    other = make_shop(database, settings, store, tmp_path, name="Cake")
    cake = BackEnd(client, token_for(client, other))
    assert [row["priTmplId"] for row in cake.get("gettemplate")["data"]] == [other.template_id]
    assert errcode(cake.post("deltemplate", {"priTmplId": shop.template_id})) == 40037
    assert [row["priTmplId"] for row in back_end.get("gettemplate")["data"]] == [shop.template_id]


def test_wechatpy_manages_templates_against_a_live_server(
    live_server: LiveServer, tmp_path: Path
) -> None:
    database, settings = live_server.database, live_server.settings
    shop = make_shop(database, settings, BundleStore.for_settings(settings), tmp_path)
    ana = make_user(database, "ana@example.com").id
    openid_of(database, settings, shop, ana)
    client = wechat_client(live_server.url, appid=shop.appid, secret=shop.secret)
    # wechatpy 1.8.18 wraps none of newtmpl: a merchant calls WeChat's URLs through the client,
    # which adds the token; only the base URL differs from talking to WeChat.
    newtmpl = WECHAT_API + "wxaapi/newtmpl/"
    categories = client.get(newtmpl + "getcategory")
    assert [row["id"] for row in categories["data"]] == [101, 102, 103]
    titles = client.get(
        newtmpl + "getpubtemplatetitles", params={"ids": "101", "start": 0, "limit": 5}
    )
    assert [row["tid"] for row in titles["data"]] == [1001, 1002]
    keywords = client.get(newtmpl + "getpubtemplatekeywords", params={"tid": "1002"})
    assert [row["kid"] for row in keywords["data"]] == [1, 2, 3, 4]
    added = client.post(
        newtmpl + "addtemplate", data={"tid": "1002", "kidList": [1, 3], "sceneDesc": "Paid"}
    )
    listed = client.get(newtmpl + "gettemplate")["data"]
    assert added["priTmplId"] in [row["priTmplId"] for row in listed]
    with pytest.raises(WeChatClientException) as refused:
        client.post(newtmpl + "addtemplate", data={"tid": "7", "kidList": [1], "sceneDesc": "x"})
    assert refused.value.errcode == 200014
    assert (
        client.post(newtmpl + "deltemplate", data={"priTmplId": added["priTmplId"]})["errcode"] == 0
    )
    with pytest.raises(WeChatClientException) as gone:
        client.post(newtmpl + "deltemplate", data={"priTmplId": added["priTmplId"]})
    assert gone.value.errcode == 40037
