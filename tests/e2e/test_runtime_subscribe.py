"""wx.requestSubscribeMessage in the browser, end to end: the demo user accepts a template in the
apis example's sheet, the app's back end sends a message over HTTP with its token, Chats lists it
under Service notifications as unread (with a badge on the Chats tab), and tapping it opens the
page with scene 1014 and marks it read. "Always keep this choice": a later tap is answered
without the sheet (one more send each), and the settings page changes, switches off and forgets
it."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect
from sqlalchemy import select

from miniapp.apps.models import App
from miniapp.clock import utc_now
from miniapp.demo import DEMO_APP_SECRET
from miniapp.subscribe.models import SubscribePreference, SubscribeSwitch
from miniapp.subscribe.templates import do_add_template
from tests.e2e.conftest import NewContext, RuntimePlatform, chrome, current_page
from tests.e2e.test_runtime_apis import sign_in
from tests.e2e.test_runtime_consent import sign_up
from tests.e2e.test_runtime_login import code2session, csrf_token

APP = "apis"


def test_accept_then_the_back_end_sends_and_chats_opens_the_page_with_scene_1014(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    appid = runtime_platform.appids[APP]
    with runtime_platform.database.transaction() as session:
        app_id = session.scalars(select(App.id).where(App.appid == appid)).one()
        template = do_add_template(
            session, app_id=app_id, tid=1002, kid_list=[1, 2], scene_desc="Paid", now=utc_now()
        ).pri_tmpl_id
    page = new_context().new_page()
    page.goto(runtime_platform.url)
    sign_in(page, "demo@example.com", "Try-Miniapp-2026")
    frame = runtime_platform.open(
        page, APP, path="pages/subscribe/subscribe", query=f"tmplId={template}"
    )
    frame.locator("#subscribe").click()
    sheet = chrome(page, ".mpc-sheet")
    expect(sheet).to_contain_text("Payment succeeded")
    sheet.locator(".mpc-subscribe-allow").click()
    expect(frame.locator("#subscribe-result")).to_have_text("requestSubscribeMessage:ok accept")

    # The back end: the user's openid (their wx.login, traded), a token, one send.
    login = page.request.post(
        f"{runtime_platform.url}/api/runtime/apps/{appid}/login",
        data={},
        headers={"X-CSRF-Token": csrf_token(page)},
    )
    openid = code2session(runtime_platform, appid, login.json()["code"])["openid"]
    token = httpx.get(
        f"{runtime_platform.url}/cgi-bin/token",
        params={"grant_type": "client_credential", "appid": appid, "secret": DEMO_APP_SECRET},
    ).json()["access_token"]
    body = {
        "touser": openid,
        "template_id": template,
        "page": f"pages/subscribe/subscribe?tmplId={template}&order=A42",
        "data": {"amount1": {"value": "¥36.00"}, "thing2": {"value": "Corner Café"}},
    }
    send = f"{runtime_platform.url}/cgi-bin/message/subscribe/send"
    sent = httpx.post(send, params={"access_token": token}, json=body).json()
    assert sent["errcode"] == 0, sent
    assert httpx.post(send, params={"access_token": token}, json=body).json()["errcode"] == 43101

    page.goto(f"{runtime_platform.url}/#chats")
    notification = page.locator("#notification-list .notification").first
    expect(notification).to_contain_text("Payment succeeded")
    expect(notification).to_contain_text("¥36.00")
    expect(notification).to_have_class(re.compile(r"\bunread\b"))
    expect(page.locator("#notifications-unread")).to_have_text("1 unread")
    expect(page.locator("#chats-badge")).to_have_text("1")
    with page.expect_response(lambda response: response.url.endswith("/read")) as marked:
        notification.click()
    assert marked.value.json() == {"unread": 0}
    opened = current_page(page)
    expect(opened.locator("#subscribe-scene")).to_have_text("1014")
    expect(opened.locator("#subscribe-order")).to_have_text("A42")

    # Back in Chats (a fresh load from the server): read, no count, no badge.
    page.goto(f"{runtime_platform.url}/#chats")
    page.reload()
    read = page.locator("#notification-list .notification").first
    expect(read).to_contain_text("Payment succeeded")
    expect(read).not_to_have_class(re.compile(r"\bunread\b"))
    expect(page.locator("#chats-badge")).to_be_hidden()
    expect(page.locator("#notifications-read-all")).to_be_hidden()


def _subscriptions_held(platform: RuntimePlatform) -> str:
    """What the server holds of main switches and kept choices (for a failure's message)."""
    with platform.database.read() as session:
        switches = session.execute(select(SubscribeSwitch.user_id, SubscribeSwitch.main_switch))
        kept = session.execute(select(SubscribePreference.user_id, SubscribePreference.decision))
        return f"main switches: {switches.all()}; kept choices: {kept.all()}"


def sends_allowed(platform: RuntimePlatform, page: Page, appid: str, template: str) -> int:
    """How many messages the app's back end can send the page's user now (sending them all)."""
    login = page.request.post(
        f"{platform.url}/api/runtime/apps/{appid}/login",
        data={},
        headers={"X-CSRF-Token": csrf_token(page)},
    )
    openid = code2session(platform, appid, login.json()["code"])["openid"]
    token = httpx.get(
        f"{platform.url}/cgi-bin/token",
        params={"grant_type": "client_credential", "appid": appid, "secret": DEMO_APP_SECRET},
    ).json()["access_token"]
    body = {"touser": openid, "template_id": template, "data": {"amount1": {"value": "¥1.00"}}}
    sent = 0
    while True:
        answer = httpx.post(
            f"{platform.url}/cgi-bin/message/subscribe/send",
            params={"access_token": token},
            json=body,
        ).json()
        if answer["errcode"] == 43101:
            return sent
        assert answer["errcode"] == 0, answer
        sent += 1


def test_a_kept_choice_answers_without_the_sheet_and_the_settings_page_changes_it(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    appid = runtime_platform.appids[APP]
    with runtime_platform.database.transaction() as session:
        app_id = session.scalars(select(App.id).where(App.appid == appid)).one()
        template = do_add_template(
            session, app_id=app_id, tid=1002, kid_list=[1], scene_desc="Refunds", now=utc_now()
        ).pri_tmpl_id
    page = new_context().new_page()
    sign_up(page, runtime_platform, "dora@example.com")
    frame = runtime_platform.open(
        page, APP, path="pages/subscribe/subscribe", query=f"tmplId={template}"
    )
    result = frame.locator("#subscribe-result")
    sheet = chrome(page, ".mpc-sheet")

    # Accepted with "always keep this choice".
    frame.locator("#subscribe").click()
    sheet.locator(".mpc-subscribe-keep input").check()
    sheet.locator(".mpc-subscribe-allow").click()
    expect(result).to_have_text("requestSubscribeMessage:ok accept")
    expect(sheet).to_have_count(0)

    # The next tap: answered at once, no sheet, one more send.
    with page.expect_response(
        lambda response: response.url.split("?")[0].endswith("/kept")
    ) as kept:
        frame.locator("#subscribe").click()
    assert kept.value.json() == {"decisions": {template: "accept"}}
    expect(sheet).to_have_count(0)
    assert sends_allowed(runtime_platform, page, appid, template) == 2
    # wx.getSetting({withSubscriptions: true}) tells the app the kept choice.
    setting = frame.locator("#subscriptions-setting-result")
    frame.locator("#subscriptions-setting").click()
    expect(setting).to_have_text(f'{{"mainSwitch":true,"itemSettings":{{"{template}":"accept"}}}}')

    # The settings page lists it: turned to reject, the next tap answers reject without asking.
    chrome(page, ".mpc-capsule-menu").click()
    page.locator(".mpc-menu-item", has_text="Settings").click()
    settings = page.locator(".mpc-settings")
    expect(settings).to_contain_text("Subscription messages")
    choice = settings.locator(f".mpc-settings-switch[data-id='{template}']")
    expect(choice).to_be_checked()
    choice.click()
    expect(choice).not_to_be_checked()
    expect(choice).to_be_enabled()
    # The main switch off: every request fails with WeChat's 20004.
    main = settings.locator(".mpc-settings-switch[data-id='mainSwitch']")
    main.click()
    expect(main).not_to_be_checked()
    expect(main).to_be_enabled()
    page.locator(".mpc-settings-back").click()
    frame.locator("#subscribe").click()
    expect(result).to_have_text(
        "requestSubscribeMessage:fail The main switch is switched off 20004"
    )
    frame.locator("#subscriptions-setting").click()
    expect(setting).to_have_text(f'{{"mainSwitch":false,"itemSettings":{{"{template}":"reject"}}}}')
    chrome(page, ".mpc-capsule-menu").click()
    page.locator(".mpc-menu-item", has_text="Settings").click()
    # Reopened, the page shows the switch off; turned on, the server saves it (a CI run once saw
    # the switch stay off here: these two checks tell a stale page from a failed save).
    expect(main).not_to_be_checked()
    with page.expect_response(
        lambda response: (
            response.request.method == "PUT" and response.url.endswith("/subscriptions")
        )
    ) as saved:
        main.click()
    assert saved.value.ok, (saved.value.status, saved.value.text())
    expect(main).to_be_checked()
    expect(main).to_be_enabled()
    page.locator(".mpc-settings-back").click()
    # A CI run once saw this tap change nothing for 15 s (twice, never here): what the page
    # asked the server after it, and what the server holds, name the cause if it comes again.
    asked: list[str] = []
    page.on("response", lambda answer: asked.append(f"{answer.request.method} {answer.url}"))
    frame.locator("#subscribe").click()
    try:
        expect(result).to_have_text("requestSubscribeMessage:ok reject")
    except AssertionError as error:
        raise AssertionError(
            f"{error}\n{_subscriptions_held(runtime_platform)}; the sheet is up: "
            f"{sheet.count() > 0}; the page asked: {asked}"
        ) from error
    expect(sheet).to_have_count(0)
    assert sends_allowed(runtime_platform, page, appid, template) == 0

    # Forgotten: the next tap asks again.
    chrome(page, ".mpc-capsule-menu").click()
    page.locator(".mpc-menu-item", has_text="Settings").click()
    settings.get_by_role("button", name="Forget the choice for Payment succeeded").click()
    expect(choice).to_have_count(0)
    page.locator(".mpc-settings-back").click()
    frame.locator("#subscribe").click()
    expect(sheet).to_contain_text("Payment succeeded")
    sheet.locator(".mpc-sheet-cancel").click()
    expect(result).to_have_text("requestSubscribeMessage:ok reject")
