"""The phone-number button's codes (identity/phones.py): issued only for an account with a
number, recorded on Me → Privacy, redeemed once within 5 minutes by the app's back end through
POST /wxa/business/getuserphonenumber (40029, 40003, 45011), with the legacy encrypted number
under the current session key; and wechatpy against a live server."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update
from wechatpy.crypto import WeChatWxaCrypto

from miniapp.accounts.models import User
from miniapp.accounts.principal import Principal
from miniapp.apps.registry import find_app
from miniapp.clock import utc_now
from miniapp.consent.consents import list_privacy
from miniapp.consent.models import AppAccessEvent
from miniapp.db.session import Database
from miniapp.errors import UserError
from miniapp.identity.logins import CurrentSession, find_current_session
from miniapp.identity.models import PhoneCode
from miniapp.identity.phones import (
    PhoneGrant,
    do_delete_expired_phone_codes,
    do_issue_phone_code,
    do_redeem_phone_code,
    split_phone,
)
from miniapp.openapi.envelope import OpenApiError
from miniapp.openapi.rate_limits import MemoryRateLimiter, RateLimiter
from miniapp.settings import Settings
from tests.conftest import LiveServer
from tests.discovery.entry_helpers import make_user
from tests.identity.helpers import T0, TestApp, at, issue, make_app
from tests.identity.test_open_routes import access_token
from tests.openapi.wechatpy_client import wechat_client

PHONE_PATH = "/wxa/business/getuserphonenumber"
ClientFactory = Callable[[], Any]


def phone_user(database: Database, login: str = "13800138000") -> Principal:
    """A user signed up with a mainland number (stored as "+8613800138000")."""
    return make_user(database, login)


def logged_in(
    database: Database, settings: Settings, app: TestApp, user_id: int, now: Any = T0
) -> CurrentSession:
    """The session a wx.login starts (what jscode2session tells the back end)."""
    issue(database, settings, app, user_id, now=now)
    with database.read() as session:
        found = find_current_session(
            session, app_id=app.id, user_id=user_id, server_key=settings.server_key
        )
    assert found is not None
    return found


def grant(
    database: Database,
    settings: Settings,
    user: Principal,
    app: TestApp,
    *,
    legacy: bool = True,
    now: Any = T0,
) -> PhoneGrant:
    with database.transaction() as session:
        found = find_app(session, appid=app.appid)
        assert found is not None
        return do_issue_phone_code(
            session, user=user, app=found, legacy=legacy, server_key=settings.server_key, now=now
        )


def exchange(
    database: Database,
    settings: Settings,
    app: TestApp,
    code: str,
    *,
    openid: str | None = None,
    now: Any = T0,
    limiter: RateLimiter | None = None,
) -> dict[str, Any] | int:
    """The phone_info, or the errcode of the refusal (minute counts in `limiter`, else fresh)."""
    try:
        with database.transaction() as session:
            return do_redeem_phone_code(
                session,
                app_id=app.id,
                appid=app.appid,
                code=code,
                openid=openid,
                server_key=settings.server_key,
                limiter=limiter or MemoryRateLimiter(),
                now=now,
            )
    except OpenApiError as error:
        return error.errcode


@pytest.mark.parametrize(
    ("phone", "number", "pure", "country"),
    [
        ("+8613800138000", "13800138000", "13800138000", "86"),
        ("+14155552671", "+14155552671", "4155552671", "1"),
        ("+447911123456", "+447911123456", "7911123456", "44"),
        ("+85291234567", "+85291234567", "91234567", "852"),
    ],
)
def test_split_phone_reads_the_country_code(
    phone: str, number: str, pure: str, country: str
) -> None:
    parts = split_phone(phone)
    assert (parts.phone_number, parts.pure_phone_number, parts.country_code) == (
        number,
        pure,
        country,
    )


def test_a_code_gives_the_number_once_and_the_grant_is_on_privacy(
    database: Database, settings: Settings
) -> None:
    ana = phone_user(database)
    app = make_app(database, settings, "Tea")
    given = grant(database, settings, ana, app)
    assert len(given.code) == 32
    assert given.encrypted is None  # no wx.login yet: no session key to encrypt with
    info = exchange(database, settings, app, given.code, now=at(60))
    assert info == {
        "phoneNumber": "13800138000",
        "purePhoneNumber": "13800138000",
        "countryCode": "86",
        "watermark": {"timestamp": int(at(60).timestamp()), "appid": app.appid},
    }
    assert exchange(database, settings, app, given.code, now=at(61)) == 40029  # used
    with database.read() as session:
        privacy = list_privacy(session, user=ana)
        # Only a hash of the code is kept.
        assert session.scalar(select(func.count()).where(PhoneCode.code_hash == given.code)) == 0
    assert [(p.appid, [a.what for a in p.accesses]) for p in privacy] == [
        (app.appid, ["phoneNumber"])
    ]


def test_expired_unknown_and_other_apps_codes_are_40029(
    database: Database, settings: Settings
) -> None:
    ana = phone_user(database)
    tea, cafe = make_app(database, settings, "Tea"), make_app(database, settings, "Cafe")
    given = grant(database, settings, ana, tea)
    assert exchange(database, settings, tea, given.code, now=at(300)) == 40029  # 5 minutes on
    fresh = grant(database, settings, ana, tea)
    assert exchange(database, settings, cafe, fresh.code) == 40029
    assert exchange(database, settings, tea, "not-a-code") == 40029
    assert exchange(database, settings, tea, "") == 40029
    # The refusals did not spend it.
    assert isinstance(exchange(database, settings, tea, fresh.code, now=at(299)), dict)


def test_another_users_openid_is_40003_and_leaves_the_code_usable(
    database: Database, settings: Settings
) -> None:
    ana, bo = phone_user(database), phone_user(database, "13900139000")
    app = make_app(database, settings, "Tea")
    bo_session = logged_in(database, settings, app, bo.id)
    ana_session = logged_in(database, settings, app, ana.id)
    given = grant(database, settings, ana, app)
    assert exchange(database, settings, app, given.code, openid=bo_session.openid) == 40003
    info = exchange(database, settings, app, given.code, openid=ana_session.openid)
    assert isinstance(info, dict) and info["purePhoneNumber"] == "13800138000"


def test_over_100_a_minute_for_the_user_is_45011(database: Database, settings: Settings) -> None:
    ana = phone_user(database)
    app = make_app(database, settings, "Tea")
    limiter = MemoryRateLimiter()
    for _ in range(100):
        given = grant(database, settings, ana, app)
        assert isinstance(exchange(database, settings, app, given.code, limiter=limiter), dict)
    given = grant(database, settings, ana, app)
    assert exchange(database, settings, app, given.code, now=at(59), limiter=limiter) == 45011
    # The next minute the code (still fresh) works.
    assert isinstance(
        exchange(database, settings, app, given.code, now=at(60), limiter=limiter), dict
    )


def test_an_account_without_a_number_gets_no_code_and_nothing_is_written(
    database: Database, settings: Settings
) -> None:
    ana = make_user(database, "ana@example.com")
    app = make_app(database, settings, "Tea")
    with pytest.raises(UserError) as refused:
        grant(database, settings, ana, app)
    assert refused.value.code == "phone_number_missing"
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(PhoneCode)) == 0
        assert session.scalar(select(func.count()).select_from(AppAccessEvent)) == 0


def test_the_legacy_number_is_encrypted_under_the_current_session_key(
    database: Database, settings: Settings
) -> None:
    ana = make_user(database, "+14155552671")
    app = make_app(database, settings, "Tea")
    found = logged_in(database, settings, app, ana.id)
    given = grant(database, settings, ana, app)
    assert given.encrypted is not None
    plain = WeChatWxaCrypto(found.session_key, given.encrypted.iv, app.appid).decrypt_message(
        given.encrypted.encrypted_data
    )
    assert plain == {
        "phoneNumber": "+14155552671",
        "purePhoneNumber": "4155552671",
        "countryCode": "1",
        "watermark": {"timestamp": int(T0.timestamp()), "appid": app.appid},
    }
    # The realtime button's event carries the code only.
    assert grant(database, settings, ana, app, legacy=False).encrypted is None


def test_expired_codes_are_deleted_a_day_later(database: Database, settings: Settings) -> None:
    ana = phone_user(database)
    app = make_app(database, settings, "Tea")
    grant(database, settings, ana, app)
    with database.transaction() as session:
        do_delete_expired_phone_codes(session, now=T0 + timedelta(days=1))
        assert session.scalar(select(func.count()).select_from(PhoneCode)) == 1
        do_delete_expired_phone_codes(session, now=T0 + timedelta(days=1, minutes=6))
        assert session.scalar(select(func.count()).select_from(PhoneCode)) == 0


# ---- over HTTP -----------------------------------------------------------------------------


def _signed_in(make_client: ClientFactory, login: str) -> Any:
    browser = make_client()
    answer = browser.post(
        "/api/accounts/signup",
        json={"login": login, "password": "correct-horse-42", "display_name": "Ana"},
    )
    assert answer.status_code == 201, answer.text
    return browser


def _phone(client: Any, token: str, body: Any) -> dict[str, Any]:
    answer = client.post(PHONE_PATH, params={"access_token": token}, json=body)
    assert answer.status_code == 200
    result: dict[str, Any] = answer.json()
    return result


def test_the_host_gets_a_code_the_back_end_exchanges_over_http(
    make_client: ClientFactory, client: Any, database: Database, settings: Settings
) -> None:
    app = make_app(database, settings, "Tea")
    other = make_app(database, settings, "Cafe")
    browser = _signed_in(make_client, "138 0013 8000")
    path = f"/api/runtime/apps/{app.appid}/phone-number"
    answer = browser.post(path, json={})
    assert answer.status_code == 200, answer.text
    assert set(answer.json()) == {"code", "encryptedData", "iv"}
    assert answer.json()["encryptedData"] is None  # no wx.login yet
    code = answer.json()["code"]

    token = access_token(client, app)
    # Another app's token does not open this app's code.
    assert _phone(client, access_token(client, other), {"code": code})["errcode"] == 40029
    body = _phone(client, token, {"code": code})
    assert body["errcode"] == 0 and body["errmsg"] == "ok"
    assert body["phone_info"]["phoneNumber"] == "13800138000"
    assert body["phone_info"]["countryCode"] == "86"
    assert body["phone_info"]["watermark"]["appid"] == app.appid
    assert _phone(client, token, {"code": code})["errcode"] == 40029  # used

    # Bad bodies and tokens: WeChat's errcodes, HTTP 200.
    assert _phone(client, token, {"code": 5})["errcode"] == 40097
    assert (
        client.post(PHONE_PATH, params={"access_token": token}, content=b"[]").json()["errcode"]
        == 47001
    )
    assert _phone(client, "nope", {"code": code})["errcode"] == 40014
    assert client.post(PHONE_PATH, json={"code": code}).json()["errcode"] == 41001

    # The host route: signed in, CSRF, an app the caller may open, an account with a number.
    assert client.post(path, json={}).status_code == 401
    forged = browser.post(path, json={}, headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 403
    hidden = make_app(database, settings, "Hidden", released=False)
    assert (
        browser.post(f"/api/runtime/apps/{hidden.appid}/phone-number", json={}).status_code == 404
    )
    mailer = _signed_in(make_client, "ana@example.com")
    missing = mailer.post(path, json={})
    assert missing.status_code == 409
    assert missing.json()["error"]["code"] == "phone_number_missing"


def test_wechatpy_exchanges_a_phone_code_against_a_live_server(live_server: LiveServer) -> None:
    database, settings = live_server.database, live_server.settings
    app = make_app(database, settings, "Tea")
    ana = phone_user(database)
    client = wechat_client(live_server.url, appid=app.appid, secret=app.secret)
    found = client.wxa.code_to_session(issue(database, settings, app, ana.id, now=utc_now()))
    given = grant(database, settings, ana, app, now=utc_now())
    answer = client.post(
        live_server.url + PHONE_PATH, data={"code": given.code, "openid": found["openid"]}
    )
    assert answer["phone_info"]["purePhoneNumber"] == "13800138000"
    assert answer["phone_info"]["countryCode"] == "86"
    assert given.encrypted is not None
    plain = WeChatWxaCrypto(found["session_key"], given.encrypted.iv, app.appid).decrypt_message(
        given.encrypted.encrypted_data
    )
    assert plain["phoneNumber"] == "13800138000"


def test_a_removed_number_is_never_answered_empty(database: Database, settings: Settings) -> None:
    # Accounts cannot drop their number today; should one be gone, the code answers 40029.
    ana = make_user(database, "ana@example.com")
    app = make_app(database, settings, "Tea")
    with database.transaction() as session:
        session.execute(update(User).where(User.id == ana.id).values(phone="+8613800138000"))
    given = grant(database, settings, ana, app)
    with database.transaction() as session:
        session.execute(update(User).where(User.id == ana.id).values(phone=None))
    assert exchange(database, settings, app, given.code) == 40029
