"""wx.login and wx.checkSession in the browser: the demo user logs in to the apis example, its
back end trades the code for an openid over HTTP (the demo AppSecret), another app gets another
openid; signed out, wx.login fails "not signed in" and the host invites the user to sign in."""

from __future__ import annotations

from typing import Any

import httpx
from playwright.sync_api import Page, expect

from miniapp.demo import DEMO_APP_SECRET
from tests.e2e.conftest import NewContext, RuntimePlatform, chrome
from tests.e2e.test_runtime_apis import sign_in

APP = "apis"
OTHER_APP = "navigation"


def code2session(platform: RuntimePlatform, appid: str, code: str) -> dict[str, Any]:
    answer = httpx.get(
        f"{platform.url}/sns/jscode2session",
        params={
            "appid": appid,
            "secret": DEMO_APP_SECRET,
            "js_code": code,
            "grant_type": "authorization_code",
        },
    )
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


def csrf_token(page: Page) -> str:
    for cookie in page.context.cookies():
        if cookie["name"].endswith("miniapp_csrf"):
            return cookie["value"]
    raise AssertionError("no CSRF cookie")


def test_login_gives_a_code_the_back_end_trades_for_the_users_openid(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    page.goto(runtime_platform.url)
    sign_in(page, "demo@example.com", "Try-Miniapp-2026")
    frame = runtime_platform.open(page, APP, path="pages/login/login")
    frame.locator("#login").click()
    expect(frame.locator("#login-result")).to_have_text("login:ok")
    code = frame.locator("#login-code").inner_text()
    assert len(code) == 32
    frame.locator("#check-session").click()
    expect(frame.locator("#session-result")).to_have_text("checkSession:ok")

    appid = runtime_platform.appids[APP]
    session = code2session(runtime_platform, appid, code)
    assert len(session["openid"]) == 28
    assert len(session["session_key"]) == 24
    assert code2session(runtime_platform, appid, code)["errcode"] == 40163

    # The same user in another app: another openid (the host's route, as that app's wx.login).
    other = runtime_platform.appids[OTHER_APP]
    answer = page.request.post(
        f"{runtime_platform.url}/api/runtime/apps/{other}/login",
        data={},
        headers={"X-CSRF-Token": csrf_token(page)},
    )
    assert answer.status == 200, answer.text()
    other_session = code2session(runtime_platform, other, answer.json()["code"])
    assert other_session["openid"] not in ("", session["openid"])


def test_signed_out_login_fails_and_the_host_invites_sign_in(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, APP, path="pages/login/login")
    frame.locator("#login").click()
    expect(frame.locator("#login-result")).to_have_text("login:fail not signed in")
    expect(frame.locator("#login-code")).to_have_text("")
    expect(chrome(page, ".mpc-toast")).to_contain_text("Sign in")
    frame.locator("#check-session").click()
    expect(frame.locator("#session-result")).to_have_text("checkSession:fail not signed in")
