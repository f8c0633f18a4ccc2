"""Open data (identity/open_data.py): WeChat's documented signature vector, encryption that
wechatpy's WeChatWxaCrypto decrypts (and rejects for another appid), and a user's open data
under the session key jscode2session hands the back end; over HTTP, the host's route."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest
from wechatpy.crypto import WeChatWxaCrypto
from wechatpy.exceptions import InvalidAppIdException
from wechatpy.utils import check_wxa_signature

from miniapp.accounts.principal import Principal
from miniapp.apps.registry import find_app
from miniapp.db.session import Database
from miniapp.identity.logins import find_current_session
from miniapp.identity.open_data import (
    access_user_open_data,
    compact_json,
    encrypt_open_data,
    open_data_signature,
    user_info_for,
)
from miniapp.settings import Settings
from tests.discovery.entry_helpers import make_user
from tests.identity.helpers import (
    T0,
    TestApp,
    issue,
    make_app,
    make_organisation,
)
from tests.identity.test_open_routes import code2session

# WeChat's "服务端获取开放数据" page: this rawData signed with this session key.
DOC_SESSION_KEY = "HyVFkGl5F5OQWJZZaNzBBg=="
DOC_RAW_DATA = (
    '{"nickName":"Band","gender":1,"language":"zh_CN","city":"Guangzhou","province":"Guangdong",'
    '"country":"CN","avatarUrl":"http://wx.qlogo.cn/mmopen/vi_32/1vZvI39NWFQ9XM4LtQpFrQJ1xlgZxx3w7'
    'bQxKARol6503Iuswjjn6nIGBiaycAjAtpujxyzYsrztuuICqIM5ibXQ/0"}'
)
DOC_SIGNATURE = "75e81ceda165f4ffa64f4068af58c64b8f54b88c"
APPID = "wx4f4bc4dec97d474b"

ClientFactory = Callable[[], Any]


def test_the_signature_matches_the_documented_vector() -> None:
    assert open_data_signature(DOC_RAW_DATA, DOC_SESSION_KEY) == DOC_SIGNATURE
    check_wxa_signature(DOC_SESSION_KEY, DOC_RAW_DATA, DOC_SIGNATURE)  # raises when it differs


def test_wechatpy_decrypts_what_we_encrypt_and_checks_the_appid() -> None:
    encrypted = encrypt_open_data(
        {"openId": "oABC", "nickName": "Band 乐队"},
        session_key=DOC_SESSION_KEY,
        appid=APPID,
        now=T0,
    )
    assert len(base64.b64decode(encrypted.iv)) == 16
    plain = WeChatWxaCrypto(DOC_SESSION_KEY, encrypted.iv, APPID).decrypt_message(
        encrypted.encrypted_data
    )
    assert plain == {
        "openId": "oABC",
        "nickName": "Band 乐队",
        "watermark": {"timestamp": int(T0.timestamp()), "appid": APPID},
    }
    with pytest.raises(InvalidAppIdException):
        WeChatWxaCrypto(DOC_SESSION_KEY, encrypted.iv, "wx0000000000000000").decrypt_message(
            encrypted.encrypted_data
        )


def test_each_encryption_takes_a_new_iv() -> None:
    first = encrypt_open_data({}, session_key=DOC_SESSION_KEY, appid=APPID, now=T0)
    second = encrypt_open_data({}, session_key=DOC_SESSION_KEY, appid=APPID, now=T0)
    assert first.iv != second.iv
    assert first.encrypted_data != second.encrypted_data


def test_user_info_has_wechats_fields_and_languages() -> None:
    assert user_info_for(nick_name="Ana", language="zh_CN") == {
        "nickName": "Ana",
        "gender": 0,
        "language": "zh_CN",
        "city": "",
        "province": "",
        "country": "",
        "avatarUrl": "",
    }
    assert user_info_for(nick_name="Ana", language="fr")["language"] == "en"


def logged_in(database: Database, settings: Settings, app: TestApp, user_id: int) -> Any:
    """The session a wx.login starts (what jscode2session tells the back end)."""
    issue(database, settings, app, user_id, now=T0)
    with database.read() as session:
        found = find_current_session(
            session, app_id=app.id, user_id=user_id, server_key=settings.server_key
        )
    assert found is not None
    return found


def _open_data(database: Database, settings: Settings, user: Principal, app: TestApp) -> Any:
    with database.read() as session:
        found = find_app(session, appid=app.appid)
        assert found is not None
        return access_user_open_data(
            session,
            user=user,
            app=found,
            language="en",
            anonymous=False,
            server_key=settings.server_key,
            now=T0,
        )


def test_open_data_is_unsigned_before_login_and_under_the_back_ends_session_key_after(
    database: Database, settings: Settings
) -> None:
    ana = make_user(database, "ana@example.com")
    organisation = make_organisation(database, "Acme", created_by_id=ana.id)
    app = make_app(database, settings, "Tea", organisation_id=organisation)
    before = _open_data(database, settings, ana, app)
    assert before.signature is None and before.encrypted is None
    assert json.loads(before.raw_data) == before.user_info
    assert before.user_info["nickName"] == "Ana"

    found = logged_in(database, settings, app, ana.id)
    after = _open_data(database, settings, ana, app)
    check_wxa_signature(found.session_key, after.raw_data, after.signature)
    plain = WeChatWxaCrypto(found.session_key, after.encrypted.iv, app.appid).decrypt_message(
        after.encrypted.encrypted_data
    )
    assert plain["openId"] == found.openid
    assert plain["unionId"].startswith("u") and len(plain["unionId"]) == 28
    assert plain["nickName"] == "Ana"
    assert plain["watermark"]["appid"] == app.appid

    # A new wx.login rotates the key: the old one no longer verifies the new data.
    issue(database, settings, app, ana.id, now=T0)
    rotated = _open_data(database, settings, ana, app)
    assert rotated.signature != open_data_signature(rotated.raw_data, found.session_key)


def test_no_union_id_for_an_app_without_organisation(
    database: Database, settings: Settings
) -> None:
    ana = make_user(database, "ana@example.com")
    app = make_app(database, settings, "Tea")
    found = logged_in(database, settings, app, ana.id)
    data = _open_data(database, settings, ana, app)
    plain = WeChatWxaCrypto(found.session_key, data.encrypted.iv, app.appid).decrypt_message(
        data.encrypted.encrypted_data
    )
    assert "unionId" not in plain


def test_compact_json_keeps_text_and_drops_spaces() -> None:
    assert compact_json({"a": "茶", "b": 1}) == '{"a":"茶","b":1}'


# ---- over HTTP: POST /api/runtime/apps/{appid}/open-data -----------------------------------


def _signed_in(make_client: ClientFactory, login: str) -> Any:
    browser = make_client()
    answer = browser.post(
        "/api/accounts/signup",
        json={"login": login, "password": "correct-horse-42", "display_name": "Ana"},
    )
    assert answer.status_code == 201, answer.text
    return browser


def test_the_host_route_signs_after_login_and_not_before(
    make_client: ClientFactory, client: Any, database: Database, settings: Settings
) -> None:
    app = make_app(database, settings, "Tea")
    browser = _signed_in(make_client, "ana@example.com")
    path = f"/api/runtime/apps/{app.appid}/open-data"
    before = browser.post(path, json={"lang": "zh_CN"})
    assert before.status_code == 200, before.text
    assert set(before.json()) == {"userInfo", "rawData"}
    assert json.loads(before.json()["rawData"])["language"] == "zh_CN"

    code = browser.post(f"/api/runtime/apps/{app.appid}/login", json={}).json()["code"]
    found = code2session(client, appid=app.appid, secret=app.secret, js_code=code)
    after = browser.post(path, json={}).json()
    assert set(after) == {"userInfo", "rawData", "signature", "encryptedData", "iv"}
    assert json.loads(after["rawData"]) == after["userInfo"]
    check_wxa_signature(found["session_key"], after["rawData"], after["signature"])
    plain = WeChatWxaCrypto(found["session_key"], after["iv"], app.appid).decrypt_message(
        after["encryptedData"]
    )
    assert plain["openId"] == found["openid"]

    # getUserInfo's anonymous profile: WeChat's anonymous name, the openId all the same.
    anonymous = browser.post(path, json={"anonymous": True}).json()
    assert anonymous["userInfo"]["nickName"] == "微信用户"
    check_wxa_signature(found["session_key"], anonymous["rawData"], anonymous["signature"])
    plain = WeChatWxaCrypto(found["session_key"], anonymous["iv"], app.appid).decrypt_message(
        anonymous["encryptedData"]
    )
    assert plain["openId"] == found["openid"] and plain["nickName"] == "微信用户"

    # Signed out: 401; an app nobody released: 404; without the CSRF header: refused.
    assert client.post(path, json={}).status_code == 401
    hidden = make_app(database, settings, "Hidden", released=False)
    unknown = browser.post(f"/api/runtime/apps/{hidden.appid}/open-data", json={})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "app_not_found"
    assert browser.post(path, json={}, headers={"X-CSRF-Token": "forged"}).status_code == 403
