"""The phone-number button and open data in the browser (docs/identity.md): a signed-in user with
a number taps `open-type="getPhoneNumber"`, the host's sheet shows the app and the masked number;
Deny fails, Allow gives the page a code its back end exchanges for the number (and, after
wx.login, the number encrypted under the session key); wx.getUserProfile's signature verifies
with the session key jscode2session gives, as the getUserInfo button's anonymous profile's does;
Me → Privacy lists the grant. The demo user (no
number) and a signed-out visitor get WeChat's failures."""

from __future__ import annotations

import secrets

import httpx
from playwright.sync_api import expect
from wechatpy.crypto import WeChatWxaCrypto
from wechatpy.utils import check_wxa_signature

from tests.e2e.conftest import (
    NewContext,
    RuntimePlatform,
    back_end_token,
    chrome,
    current_page,
)
from tests.e2e.test_runtime_apis import sign_in
from tests.e2e.test_runtime_consent import sign_up
from tests.e2e.test_runtime_login import code2session

APP = "apis"
PAGE = "pages/login/login"


def exchange(platform: RuntimePlatform, code: str) -> dict[str, object]:
    answer = httpx.post(
        f"{platform.url}/wxa/business/getuserphonenumber",
        params={"access_token": back_end_token(platform, APP)},
        json={"code": code},
    )
    assert answer.status_code == 200
    body: dict[str, object] = answer.json()
    return body


def test_allow_gives_a_code_the_back_end_exchanges_and_deny_fails(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    pure = "139" + "".join(secrets.choice("0123456789") for _ in range(8))
    page = new_context().new_page()
    page.goto(runtime_platform.url)
    sign_up(page, runtime_platform, pure)
    frame = runtime_platform.open(page, APP, path=PAGE)
    sheet = page.locator(".mpc-sheet")

    frame.locator("#phone-number").click()
    expect(sheet.locator(".mpc-sheet-title")).to_contain_text("asks for your phone number")
    expect(sheet.locator(".mpc-phone-number")).to_have_text(f"{pure[:3]}****{pure[-4:]}")
    sheet.locator(".mpc-sheet-cancel").click()
    expect(frame.locator("#phone-result")).to_have_text("getPhoneNumber:fail user deny")

    frame.locator("#phone-number").click()
    sheet.locator(".mpc-phone-allow").click()
    expect(frame.locator("#phone-result")).to_have_text("getPhoneNumber:ok")
    code = frame.locator("#phone-code").inner_text()
    assert len(code) == 32
    expect(frame.locator("#phone-encrypted")).to_have_text("")  # no wx.login yet
    body = exchange(runtime_platform, code)
    assert body["errcode"] == 0
    assert body["phone_info"] == {
        "phoneNumber": pure,
        "purePhoneNumber": pure,
        "countryCode": "86",
        "watermark": body["phone_info"]["watermark"],  # type: ignore[index]
    }
    assert exchange(runtime_platform, code)["errcode"] == 40029  # once only

    # After wx.login the event also carries the number under the session key.
    frame.locator("#login").click()
    expect(frame.locator("#login-result")).to_have_text("login:ok")
    appid = runtime_platform.appids[APP]
    session = code2session(runtime_platform, appid, frame.locator("#login-code").inner_text())
    frame.locator("#phone-number").click()
    sheet.locator(".mpc-phone-allow").click()
    expect(frame.locator("#phone-result")).to_have_text("getPhoneNumber:ok")
    expect(frame.locator("#phone-encrypted")).not_to_have_text("")
    encrypted, iv = frame.locator("#phone-encrypted").inner_text().split(" ")
    plain = WeChatWxaCrypto(session["session_key"], iv, appid).decrypt_message(encrypted)
    assert plain["purePhoneNumber"] == pure and plain["watermark"]["appid"] == appid

    # The realtime button's event carries the code only.
    frame.locator("#realtime-phone-number").click()
    sheet.locator(".mpc-phone-allow").click()
    expect(frame.locator("#phone-result")).to_have_text("getRealtimePhoneNumber:ok")
    expect(frame.locator("#phone-encrypted")).to_have_text("")
    realtime = exchange(runtime_platform, frame.locator("#phone-code").inner_text())
    assert realtime["phone_info"]["purePhoneNumber"] == pure  # type: ignore[index]

    # wx.getUserProfile: rawData signed with the same session key.
    frame.locator("#user-profile").click()
    page.locator(".mpc-dialog .mpc-dialog-confirm").click()
    expect(frame.locator("#profile-result")).to_have_text("getUserProfile:ok")
    raw = frame.locator("#profile-raw").inner_text()
    assert '"nickName":"Cleo"' in raw
    check_wxa_signature(
        session["session_key"], raw, frame.locator("#profile-signature").inner_text()
    )

    # The getUserInfo button: WeChat's anonymous profile, no dialog, signed the same way.
    frame.locator("#user-info").click()
    expect(frame.locator("#info-result")).to_have_text("getUserInfo:ok")
    raw = frame.locator("#info-raw").inner_text()
    assert '"nickName":"微信用户"' in raw and '"language":"zh_CN"' in raw
    check_wxa_signature(session["session_key"], raw, frame.locator("#info-signature").inner_text())

    # Me → Privacy lists the phone number grants.
    page.goto(f"{runtime_platform.url}/#me/privacy")
    card = page.locator(f".privacy-app[data-appid='{appid}']")
    expect(card.locator(".privacy-access", has_text="Your phone number")).to_have_count(3)


def test_no_number_and_signed_out_fail_as_wechat(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    page.goto(runtime_platform.url)
    sign_in(page, "demo@example.com", "Try-Miniapp-2026")  # the demo user signed up by email
    frame = runtime_platform.open(page, APP, path=PAGE)
    frame.locator("#phone-number").click()
    dialog = page.locator(".mpc-dialog")
    expect(dialog).to_contain_text("only an account signed up with a phone number can share one")
    dialog.locator(".mpc-dialog-confirm").click()
    expect(frame.locator("#phone-result")).to_have_text("getPhoneNumber:fail no phone number")

    visitor = new_context().new_page()
    frame = runtime_platform.open(visitor, APP, path=PAGE)
    frame.locator("#phone-number").click()
    expect(frame.locator("#phone-result")).to_have_text("getPhoneNumber:fail not signed in")


def test_an_app_in_the_background_cannot_ask_for_the_number_or_the_profile(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    # The logic layer may call the host whenever it likes: left in the background (kept for a
    # hot start), an app could otherwise queue its phone sheet, or the profile dialog, while the
    # user taps in Discover or in another app; it would then greet them when they come back.
    pure = "137" + "".join(secrets.choice("0123456789") for _ in range(8))
    page = new_context().new_page()
    page.goto(runtime_platform.url)
    sign_up(page, runtime_platform, pure)
    frame = runtime_platform.open(page, APP, path=PAGE)
    expect(frame.locator("#phone-number")).to_be_visible()
    # The app's logic layer: the worker whose page stack holds the login page.
    probe = "() => typeof getCurrentPages === 'function' && getCurrentPages().length > 0"
    (logic,) = [worker for worker in page.workers if worker.evaluate(probe)]
    chrome(page, ".mpc-capsule-close").click()
    expect(page).to_have_url(f"{runtime_platform.url}/#discover")
    # A tap in Discover (its own tab): the host's window is activated, as by any tap.
    page.locator('.tab[data-tab="discover"]').click()
    call = "([api, args]) => self.MiniappWx.callHost(api, args).then(() => 'ok', (e) => e.errMsg)"
    assert (
        logic.evaluate(call, ["phoneNumber", {"realtime": False}])
        == "getPhoneNumber:fail app in background"
    )
    assert (
        logic.evaluate(call, ["getUserProfile", {"desc": "Shows your name"}])
        == "getUserProfile:fail app in background"
    )
    page.locator(f"#app-list .app-entry[data-appid='{runtime_platform.appids[APP]}']").click()
    expect(current_page(page).locator("#phone-number")).to_be_visible()
    expect(page.locator(".mpc-sheet")).to_have_count(0)
    expect(page.locator(".mpc-dialog")).to_have_count(0)
