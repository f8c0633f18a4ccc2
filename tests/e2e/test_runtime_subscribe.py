"""wx.requestSubscribeMessage in the browser, end to end: the demo user accepts a template in the
apis example's sheet, the app's back end sends a message over HTTP with its token, Chats lists it
under Service notifications as unread (with a badge on the Chats tab), and tapping it opens the
page with scene 1014 and marks it read."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import expect
from sqlalchemy import select

from miniapp.apps.models import App
from miniapp.clock import utc_now
from miniapp.demo import DEMO_APP_SECRET
from miniapp.subscribe.templates import do_add_template
from tests.e2e.conftest import NewContext, RuntimePlatform, chrome, current_page
from tests.e2e.test_runtime_apis import sign_in
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
