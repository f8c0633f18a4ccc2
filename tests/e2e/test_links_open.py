"""Links in the browser, end to end: a back end gets a token and makes a URL link or a URL scheme
over HTTP; a user opens it and the host starts the mini program at the link's page, whose onLoad
gets the link's query, with WeChat's scene (1194 / 1065). The launch button opens with 1167, on
the demo page and on a page of another origin; an expired link shows a page saying so.

The lifecycle example logs `App.onLaunch path=… query=… scene=…` and shows its page's onLoad
query in `#query`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, Route, expect
from sqlalchemy import update

from miniapp.clock import utc_now
from miniapp.discovery.models import AppLink
from tests.e2e.conftest import NewContext, RuntimePlatform, back_end_token, current_page


def make_link(platform: RuntimePlatform, api: str, body: dict[str, Any], field: str) -> str:
    token = back_end_token(platform, "lifecycle")
    answer = httpx.post(
        f"{platform.url}/wxa/{api}", params={"access_token": token}, json=body
    ).json()
    assert answer["errcode"] == 0, answer
    link: str = answer[field]
    assert link.startswith(platform.url + "/")
    return link


def expect_started(page: Page, *, path: str, query: dict[str, str], scene: int) -> None:
    frame = current_page(page)
    expect(frame.locator("#route")).to_have_text(path)
    shown = json.dumps(query, separators=(",", ":"), sort_keys=True)
    expect(frame.locator("#query")).to_have_text(shown)  # what the page's onLoad got
    launch = frame.locator("#log .log-line", has_text="App.onLaunch").first
    expect(launch).to_contain_text(f"path={path} query={shown} scene={scene}")


def test_a_url_link_opens_its_page_with_its_query_and_scene_1194(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    link = make_link(
        runtime_platform,
        "generate_urllink",
        {
            "path": "pages/second/second",
            "query": "id=42&name=alpha",
            "expire_type": 1,
            "expire_interval": 1,
        },
        "url_link",
    )
    page = new_context().new_page()
    page.goto(link)
    expect_started(
        page, path="pages/second/second", query={"id": "42", "name": "alpha"}, scene=1194
    )
    assert page.url.startswith(
        f"{runtime_platform.url}/#app/{runtime_platform.appids['lifecycle']}?"
    )


def test_a_url_scheme_opens_its_page_with_scene_1065(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    link = make_link(
        runtime_platform,
        "generatescheme",
        {"jump_wxa": {"path": "/pages/index/index", "query": "from=sms&code=a%2Fb"}},
        "openlink",
    )
    assert "/dl/business/?t=" in link
    page = new_context().new_page()
    page.goto(link)
    # The page gets the query as written, as WeChat hands it over: `a%2Fb` stays encoded.
    expect_started(
        page, path="pages/index/index", query={"code": "a%2Fb", "from": "sms"}, scene=1065
    )


def test_an_expired_link_shows_a_page_saying_so_with_a_way_to_the_host(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    link = make_link(
        runtime_platform, "generate_urllink", {"path": "pages/second/second"}, "url_link"
    )
    ticket = link.rsplit("/", 1)[1]
    with runtime_platform.database.transaction() as session:
        session.execute(
            update(AppLink)
            .where(AppLink.ticket == ticket)
            .values(expires_at=utc_now() - timedelta(seconds=1))
        )
    page = new_context().new_page()
    answer = page.goto(link)
    assert answer is not None and answer.status == 410
    expect(page.locator("#notice")).to_have_text(
        "This link has expired. Ask whoever sent it for a new one."
    )
    page.get_by_role("link", name="Open Miniapp").click()
    expect(page).to_have_url(f"{runtime_platform.url}/")

    chinese = new_context(locale="zh-CN").new_page()
    chinese.goto(link)
    expect(chinese.locator("#notice")).to_contain_text("此链接已过期")


def test_the_demo_pages_launch_button_opens_the_page_with_scene_1167(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    page.goto(f"{runtime_platform.url}/static/host/launch-demo.html")
    expect(page.get_by_role("button", name="Open mini program")).to_be_visible()  # default label
    page.get_by_role("button", name="Open its second page with id=42").click()
    expect_started(
        page, path="pages/second/second", query={"id": "42", "name": "alpha"}, scene=1167
    )


@pytest.fixture
def shop(runtime_platform: RuntimePlatform) -> Iterator[str]:
    """A brand's web page on another origin (another port on loopback: a public origin could not
    load from loopback, Chrome's private network rule) using the launch button; its URL."""
    appid = runtime_platform.appids["lifecycle"]
    html = f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<script type="module" src="{runtime_platform.url}/static/host/launch-button.js"></script>
</head><body>
<miniapp-launch id="plain" appid="{appid}"></miniapp-launch>
<miniapp-launch id="deal" appid="{appid}" path="/pages/second/second.html?id=7" query="from=shop">
  Today's deal
</miniapp-launch>
</body></html>""".encode()

    class ShopPage(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # http.server's naming
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), ShopPage)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/promo.html"
    finally:
        server.shutdown()
        server.server_close()


def test_the_launch_button_works_on_a_page_of_another_origin(
    runtime_platform: RuntimePlatform, new_context: NewContext, shop: str
) -> None:
    page = new_context().new_page()
    page.goto(shop)
    # The page is in Chinese: so is the default label.
    expect(page.get_by_role("button", name="打开小程序")).to_be_visible()
    page.get_by_role("button", name="Today's deal").click()
    expect_started(page, path="pages/second/second", query={"from": "shop", "id": "7"}, scene=1167)
    appid = runtime_platform.appids["lifecycle"]
    assert page.url.startswith(f"{runtime_platform.url}/#app/{appid}?")


def test_a_link_to_a_page_of_an_app_still_starting_opens_that_page_once_it_has_started(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    # A second link (a double tap, a link in a chat) to the app that the first one is opening:
    # WeChat relaunches the app at the link's page. The launch answer is held until the second
    # link has been followed, so the app is still starting then.
    appid = runtime_platform.appids["lifecycle"]
    page = new_context().new_page()
    held: list[Route] = []
    # A lambda: Playwright reads the handler's signature, which a builtin method has not.
    page.route("**/api/runtime/apps/*/launch*", lambda route: held.append(route))  # noqa: PLW0108
    with page.expect_request("**/api/runtime/apps/*/launch*"):
        page.goto(f"{runtime_platform.url}/#app/{appid}")
    followed = """(hash) => new Promise((resolve) => {
        window.addEventListener("hashchange", () => setTimeout(resolve, 0), { once: true });
        window.location.hash = hash;
    })"""
    page.evaluate(followed, f"#app/{appid}?path=pages/second/second&query=from%3Dchat")
    (launch,) = held
    launch.continue_()
    frame = current_page(page)
    expect(frame.locator("#route")).to_have_text("pages/second/second")
    expect(frame.locator("#query")).to_have_text('{"from":"chat"}')
