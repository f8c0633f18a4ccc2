"""The runtime's breadth (transfers, sockets, web-view, rich-text, files, the page channel), tested
from the attacker's side in a real browser.

tests/e2e/attacker_breadth is a hostile mini program: it calls the host's internal APIs directly,
with arguments the framework would never send.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import FrameLocator, Page, expect

from tests.e2e.conftest import NewContext, RuntimePlatform, current_page

ATTACKER = Path(__file__).parent / "attacker_breadth"


def open_attacker(platform: RuntimePlatform, page: Page, query: str = "") -> FrameLocator:
    appid = platform.register("attacker-breadth", ATTACKER)
    link = f"{platform.url}/#app/{appid}"
    if query:
        link += "?query=" + quote(query, safe="")
    page.goto(link)
    return current_page(page)


def test_a_reused_socket_task_id_opens_no_second_socket(
    runtime_platform: RuntimePlatform, new_context: NewContext, echo_url: str
) -> None:
    # Each socketOpen with an id already open used to replace the map's entry: the count never
    # grew past one (so the 5-socket cap never applied) and the replaced sockets were never
    # closed when the mini program exited.
    page = new_context().new_page()
    opened: list[str] = []
    page.on("websocket", lambda ws: opened.append(ws.url))
    frame = open_attacker(runtime_platform, page, f"url={quote(echo_url, safe='')}")
    frame.locator("#reuse-socket").click()
    expect(frame.locator("#done")).to_have_text("reused")
    out = json.loads(frame.locator("#out").inner_text())
    assert out.count("open") == 1, out
    assert len([url for url in opened if "/socket?" in url]) == 1, opened
