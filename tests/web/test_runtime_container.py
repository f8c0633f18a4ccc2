"""The host container's frame (web/runtime/container/chrome.js) and app storage (storage.js).

Real Chromium. One server for the file: the app's own static mounts plus a bare page under the
host pages' Content-Security-Policy, so the modules are served and run as in the host. Every test
opens its own page, English unless it says otherwise, with the app storage database emptied; a
page error or console error fails the test. Time-dependent behaviour (toast durations) runs on
Playwright's clock, never on sleeps.
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.responses import Response
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from miniapp.web.pages import PAGE_CSP, mount_static

BLANK_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>container</title>
<link rel="stylesheet" href="/static/shared/base.css"></head><body></body></html>"""

# Imports the modules and puts a 375×667 "phone screen" on the page.
SETUP = """async () => {
  const { AppChrome } = await import("/static/runtime/container/chrome.js");
  const storage = await import("/static/runtime/container/storage.js");
  const root = document.createElement("div");
  root.id = "phone";
  Object.assign(root.style, { position: "relative", width: "375px", height: "667px" });
  document.body.append(root);
  window.T = { AppChrome, storage, root, calls: [] };
}"""

MAKE_CHROME = """async (options) => {
  const calls = T.calls;
  T.chrome = new T.AppChrome(T.root, {
    appName: "Demo Shop",
    onBack: () => calls.push(["back"]),
    onClose: () => calls.push(["close"]),
    onMenu: () => calls.push(["menu"]),
    onHome: () => calls.push(["home"]),
    onTabTap: (index) => calls.push(["tab", index]),
    ...options,
  });
  await T.chrome.ready;
}"""

# Starts a dialog and keeps its outcome, resolved or rejected, in T.outcome.
START = """(call) => {
  T.outcome = undefined;
  const [method, ...args] = call;
  T.chrome[method](...args).then(
    (value) => { T.outcome = { ok: true, value: value === undefined ? null : value }; },
    (error) => { T.outcome = { ok: false, message: error.message }; },
  );
}"""

ICON = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E#"
TAB_BAR = {
    "color": "#7a7e83",
    "selectedColor": "#ff0000",
    "backgroundColor": "#ffffff",
    "borderStyle": "black",
    "list": [
        {
            "pagePath": f"pages/{name}/index",
            "text": text,
            "iconUrl": ICON + name,
            "selectedIconUrl": ICON + name + "-on",
        }
        for name, text in (("home", "Home"), ("cart", "Cart"), ("me", "Me"))
    ],
}

MB = 1024 * 1024


class _SignallingServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()


@pytest.fixture(scope="module")
def server_url() -> Iterator[str]:
    app = FastAPI()

    @app.get("/")
    def blank() -> Response:
        return Response(
            BLANK_PAGE, media_type="text/html", headers={"Content-Security-Policy": PAGE_CSP}
        )

    mount_static(app)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = _SignallingServer(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    if not server.ready.wait(timeout=15):
        raise RuntimeError("test server did not start")
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


OpenPage = Callable[..., Page]


class _Browsing:
    """Contexts for the file: one shared English context (pages in it are cheap and share the
    HTTP cache); another language or Playwright's clock (which is per context) gets its own.
    Every page error or console error is recorded in `problems`."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.problems: list[str] = []
        self.shared: BrowserContext | None = None

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text}")

    def new_context(self, locale: str) -> BrowserContext:
        context = self.browser.new_context(locale=locale, viewport={"width": 420, "height": 800})
        context.on("console", self.on_console)
        context.on("weberror", lambda error: self.problems.append(f"page error: {error.error}"))
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        return context


@pytest.fixture(scope="module")
def _browsing(browser: Browser) -> Iterator[_Browsing]:
    browsing = _Browsing(browser)
    yield browsing
    if browsing.shared:
        browsing.shared.close()


@pytest.fixture
def open_page(_browsing: _Browsing, server_url: str) -> Iterator[OpenPage]:
    """Open the bare page with the modules imported and no app storage left from other tests.

    locale: the browser's language; clock=True: on Playwright's clock, paused (time moves only
    when the test runs it). Fails the test on a page error or console error.
    """
    pages: list[Page] = []
    own_contexts: list[BrowserContext] = []
    seen = len(_browsing.problems)

    def open_(locale: str = "en-US", clock: bool = False) -> Page:
        if locale == "en-US" and not clock:
            if _browsing.shared is None:
                _browsing.shared = _browsing.new_context(locale)
            context = _browsing.shared
        else:
            context = _browsing.new_context(locale)
            own_contexts.append(context)
        page = context.new_page()
        pages.append(page)
        if clock:
            page.clock.install()
        page.goto(server_url)
        if clock:
            page.clock.pause_at(page.evaluate("Date.now()") + 1000)
        page.evaluate(SETUP)
        page.evaluate(
            """() => new Promise((resolve, reject) => {
              const request = indexedDB.deleteDatabase(T.storage.DATABASE_NAME);
              request.onsuccess = resolve;
              request.onerror = () => reject(request.error);
            })"""
        )
        return page

    yield open_
    for page in pages:
        page.close()
    for context in own_contexts:
        context.close()
    problems = _browsing.problems[seen:]
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(open_page: OpenPage) -> Page:
    opened = open_page()
    opened.evaluate(MAKE_CHROME, {})
    return opened


def calls(page: Page) -> list[list[Any]]:
    result: list[list[Any]] = page.evaluate("T.calls.splice(0)")
    return result


def start(page: Page, method: str, *args: Any) -> None:
    page.evaluate(START, [method, *args])


def outcome(page: Page) -> dict[str, Any]:
    page.wait_for_function("T.outcome !== undefined")
    result: dict[str, Any] = page.evaluate("T.outcome")
    return result


def box(page: Page, selector: str) -> dict[str, float]:
    """The element's box relative to the phone screen."""
    result: dict[str, float] = page.evaluate(
        """(selector) => {
          const outer = T.root.getBoundingClientRect();
          const r = document.querySelector(selector).getBoundingClientRect();
          return { x: r.left - outer.left, y: r.top - outer.top, width: r.width, height: r.height };
        }""",
        selector,
    )
    return result


# --- navigation bar and capsule ----------------------------------------------------------------


def test_navigation_bar_shows_the_title_colours_and_back_button(page: Page) -> None:
    page.evaluate(
        """() => T.chrome.setNavigationBar({
          title: "<b>Cart</b>", frontColor: "#000000", backgroundColor: "#ff0000" })"""
    )
    title = page.get_by_role("heading", level=1)
    expect(title).to_have_text("<b>Cart</b>")  # text, never markup
    nav = page.locator(".mpc-nav")
    expect(nav).to_have_css("background-color", "rgb(255, 0, 0)")
    expect(title).to_have_css("color", "rgb(0, 0, 0)")
    assert box(page, ".mpc-nav")["height"] == 44
    assert box(page, ".mpc-pages")["y"] == 44

    back = page.get_by_role("button", name="Back", exact=True)
    expect(back).to_be_hidden()
    page.evaluate("() => T.chrome.setNavigationBar({ showBack: true })")
    back.click()
    assert calls(page) == [["back"]]
    expect(title).to_have_text("<b>Cart</b>")  # fields left out are kept

    page.evaluate("() => T.chrome.setNavigationBar({ frontColor: '#ffffff', showHome: true })")
    expect(title).to_have_css("color", "rgb(255, 255, 255)")
    page.get_by_role("button", name="Back to home page").click()
    assert calls(page) == [["home"]]

    spinner = page.get_by_role("img", name="Loading…")
    expect(spinner).to_be_hidden()
    page.evaluate("() => T.chrome.setNavigationBar({ loading: true })")
    expect(spinner).to_be_visible()
    page.evaluate("() => T.chrome.setNavigationBar({ loading: false, showBack: false })")
    expect(spinner).to_be_hidden()
    expect(back).to_be_hidden()


def test_capsule_stays_with_custom_navigation_style(page: Page) -> None:
    more = page.get_by_role("button", name="More")
    close = page.get_by_role("button", name="Close mini program")
    expect(page.get_by_role("group", name="Mini program menu")).to_be_visible()
    rect = page.evaluate("T.chrome.menuButtonRect()")
    assert rect == {"width": 87, "height": 32, "top": 6, "left": 281, "right": 368, "bottom": 38}
    # Default bar: white text on black, so the capsule is the dark kind.
    expect(page.locator(".mpc-capsule")).to_have_css("background-color", "rgba(0, 0, 0, 0.15)")

    page.evaluate(
        "() => T.chrome.setNavigationBar({ title: 'Hidden', custom: true, frontColor: '#000000' })"
    )
    expect(page.locator(".mpc-nav")).to_be_hidden()
    expect(page.get_by_role("heading", name="Hidden")).to_be_hidden()
    expect(more).to_be_visible()
    expect(close).to_be_visible()
    expect(page.locator(".mpc-capsule")).to_have_css("background-color", "rgba(255, 255, 255, 0.6)")
    assert box(page, ".mpc-pages")["y"] == 0  # the page starts at the top of the screen
    assert page.evaluate("T.chrome.menuButtonRect()") == rect
    more.click()
    close.click()
    assert calls(page) == [["menu"], ["close"]]

    page.evaluate("() => T.chrome.setNavigationBar({ custom: false })")
    expect(page.get_by_role("heading", name="Hidden")).to_be_visible()


def test_status_bar_height_moves_the_bar_and_capsule(open_page: OpenPage) -> None:
    page = open_page()
    page.evaluate(MAKE_CHROME, {"statusBarHeight": 20})
    assert box(page, ".mpc-nav")["height"] == 64
    assert box(page, ".mpc-pages")["y"] == 64
    assert page.evaluate("T.chrome.menuButtonRect().top") == 26


def test_page_frames_fill_the_page_area(page: Page) -> None:
    page.evaluate(
        """() => {
          const frame = document.createElement("iframe");
          frame.id = "page-1";
          T.chrome.pagesEl.append(frame);
        }"""
    )
    assert box(page, "#page-1") == {"x": 0, "y": 44, "width": 375, "height": 667 - 44}


# --- tab bar -----------------------------------------------------------------------------------


def tab(page: Page, name: str) -> Any:
    """The tab whose text is name (its accessible name may go on with a badge: "Cart 3")."""
    return page.get_by_role("navigation", name="Tab bar").get_by_role(
        "button", name=re.compile(rf"^{re.escape(name)}( |$)")
    )


def test_tab_bar_items_selection_and_taps(page: Page) -> None:
    page.evaluate("(config) => T.chrome.setTabBar(config, 0)", TAB_BAR)
    bar = page.get_by_role("navigation", name="Tab bar")
    expect(bar).to_be_visible()
    expect(bar.get_by_role("button")).to_have_text(["Home", "Cart", "Me"])
    assert box(page, ".mpc-tabbar")["height"] == 50
    assert box(page, ".mpc-tabbar")["y"] == 667 - 50
    expect(tab(page, "Home")).to_have_attribute("aria-current", "page")
    expect(tab(page, "Home")).to_have_css("color", "rgb(255, 0, 0)")
    expect(tab(page, "Cart")).to_have_css("color", "rgb(122, 126, 131)")
    expect(tab(page, "Home").locator("img")).to_have_attribute("src", ICON + "home-on")
    expect(tab(page, "Cart").locator("img")).to_have_attribute("src", ICON + "cart")

    tab(page, "Cart").click()
    assert calls(page) == [["tab", 1]]
    expect(tab(page, "Home")).to_have_attribute("aria-current", "page")  # the caller switches
    tab(page, "Me").focus()
    page.keyboard.press("Enter")
    assert calls(page) == [["tab", 2]]

    assert page.evaluate("T.chrome.selectTab(1)") is True
    expect(tab(page, "Cart")).to_have_attribute("aria-current", "page")
    expect(tab(page, "Home")).not_to_have_attribute("aria-current", "page")
    expect(tab(page, "Cart").locator("img")).to_have_attribute("src", ICON + "cart-on")
    assert page.evaluate("T.chrome.selectTab(7)") is False


def test_tab_bar_badges_red_dots_items_and_style(page: Page) -> None:
    page.evaluate("(config) => T.chrome.setTabBar(config, 0)", TAB_BAR)
    badge = tab(page, "Cart").locator(".mpc-badge")
    page.evaluate("() => T.chrome.setTabBarBadge(1, '3')")
    expect(badge).to_have_text("3")
    expect(tab(page, "Cart")).to_have_accessible_name("Cart 3")
    expect(badge).to_have_css("background-color", "rgb(250, 81, 81)")
    page.evaluate("() => T.chrome.setTabBarBadge(1, '12345')")
    expect(badge).to_have_text("...")  # more than 4 characters
    page.evaluate("() => T.chrome.removeTabBarBadge(1)")
    expect(badge).to_have_count(0)

    dot = tab(page, "Me").locator(".mpc-dot")
    page.evaluate("() => T.chrome.showTabBarRedDot(2)")
    expect(dot).to_be_visible()
    expect(tab(page, "Me")).to_have_accessible_name("Me New")  # screen readers hear it too
    page.evaluate("() => T.chrome.hideTabBarRedDot(2)")
    expect(dot).to_have_count(0)
    assert page.evaluate("T.chrome.setTabBarBadge(5, '1')") is False

    page.evaluate(
        "(icon) => T.chrome.setTabBarItem(0, { text: 'Start', selectedIconUrl: icon })",
        ICON + "start",
    )
    expect(tab(page, "Start").locator("img")).to_have_attribute("src", ICON + "start")
    page.evaluate(
        """() => T.chrome.setTabBarStyle({
          color: '#00ff00', selectedColor: '#0000ff', backgroundColor: '#111111',
          borderStyle: 'white' })"""
    )
    expect(page.locator(".mpc-tabbar")).to_have_css("background-color", "rgb(17, 17, 17)")
    expect(page.locator(".mpc-tabbar")).to_have_css("border-top-color", "rgba(255, 255, 255, 0.33)")
    expect(tab(page, "Start")).to_have_css("color", "rgb(0, 0, 255)")
    expect(tab(page, "Cart")).to_have_css("color", "rgb(0, 255, 0)")


def test_tab_bar_hides_and_shows(page: Page) -> None:
    page.evaluate("(config) => T.chrome.setTabBar(config, 0)", TAB_BAR)
    page.evaluate("() => T.chrome.setTabBarBadge(1, '9')")
    bar = page.get_by_role("navigation", name="Tab bar")
    assert page.evaluate("T.chrome.tabBarVisible") is True
    page.evaluate("() => T.chrome.hideTabBar()")
    expect(bar).to_be_hidden()
    assert page.evaluate("T.chrome.tabBarVisible") is False
    assert box(page, ".mpc-pages")["height"] == 667 - 44  # the page takes the room
    page.evaluate("() => T.chrome.showTabBar({ animation: true })")
    expect(bar).to_be_visible()
    assert page.evaluate("T.chrome.tabBarVisible") is True

    # A page that is not a tab page: no bar, but the items keep their badges.
    page.evaluate("() => T.chrome.selectTab(-1)")
    expect(bar).to_be_hidden()
    assert page.evaluate("T.chrome.tabBarVisible") is False
    page.evaluate("() => T.chrome.selectTab(0)")
    expect(tab(page, "Cart").locator(".mpc-badge")).to_have_text("9")

    page.evaluate("() => T.chrome.setTabBar(null)")
    expect(bar).to_be_hidden()
    assert page.evaluate("T.chrome.tabBarVisible") is False


def test_top_tab_bar_shows_text_only_under_the_navigation_bar(page: Page) -> None:
    page.evaluate("(config) => T.chrome.setTabBar({ ...config, position: 'top' }, 1)", TAB_BAR)
    expect(tab(page, "Cart")).to_have_attribute("aria-current", "page")
    expect(page.locator(".mpc-tabbar img")).to_have_count(0)
    assert box(page, ".mpc-tabbar")["y"] == 44
    assert box(page, ".mpc-pages")["y"] == 44 + box(page, ".mpc-tabbar")["height"]
    expect(tab(page, "Cart").locator(".mpc-tab-label")).to_have_css(
        "border-bottom-color", "rgb(255, 0, 0)"
    )


# --- toast and loading -------------------------------------------------------------------------


def test_toast_shows_and_goes_after_its_duration(open_page: OpenPage) -> None:
    page = open_page(clock=True)
    page.evaluate(MAKE_CHROME, {})
    toast = page.locator(".mpc-toast")
    page.evaluate("() => T.chrome.showToast({ title: 'Saved' })")
    expect(toast).to_be_visible()
    expect(toast).to_have_text("Saved")
    expect(toast.locator("svg")).to_be_visible()  # the success tick
    expect(page.get_by_role("status")).to_have_text("Saved")
    page.clock.run_for(1499)
    expect(toast).to_be_visible()
    page.clock.run_for(2)
    expect(toast).to_be_hidden()
    expect(page.get_by_role("status")).to_have_text("")

    page.evaluate(
        "() => T.chrome.showToast({ title: 'A note on two lines', icon: 'none', duration: 3000 })"
    )
    expect(toast).to_have_attribute("data-icon", "none")
    expect(toast.locator("svg")).to_have_count(0)
    page.clock.run_for(2000)
    expect(toast).to_be_visible()
    page.clock.run_for(1001)
    expect(toast).to_be_hidden()

    # A new toast replaces the old one and its timer.
    page.evaluate("() => T.chrome.showToast({ title: 'First', duration: 1000 })")
    page.clock.run_for(800)
    page.evaluate("() => T.chrome.showToast({ title: 'Second', icon: 'error', duration: 1000 })")
    page.clock.run_for(500)
    expect(toast).to_have_text("Second")
    page.clock.run_for(501)
    expect(toast).to_be_hidden()


def test_loading_replaces_the_toast_and_stays(open_page: OpenPage) -> None:
    page = open_page(clock=True)
    page.evaluate(MAKE_CHROME, {})
    toast = page.locator(".mpc-toast")
    page.evaluate("() => T.chrome.showToast({ title: 'Saved' })")
    page.evaluate("() => T.chrome.showLoading({ title: 'Loading' })")
    expect(toast).to_have_text("Loading")
    expect(toast.locator(".mpc-spinner")).to_be_visible()
    page.clock.run_for(5000)  # the toast's timer went with it
    expect(toast).to_be_visible()
    page.evaluate("() => T.chrome.hideToast({ noConflict: true })")  # not a toast: stays
    expect(toast).to_be_visible()
    page.evaluate("() => T.chrome.hideLoading()")
    expect(toast).to_be_hidden()

    page.evaluate("() => T.chrome.showLoading({ title: 'Wait' })")
    page.evaluate("() => T.chrome.hideToast()")  # toast and loading mix by default, as in WeChat
    expect(toast).to_be_hidden()


def test_a_mask_stops_taps_on_the_page_but_not_on_the_capsule(page: Page) -> None:
    page.evaluate("(config) => T.chrome.setTabBar(config, 0)", TAB_BAR)
    page.evaluate("() => T.chrome.showLoading({ title: 'Paying', mask: true })")
    cart = tab(page, "Cart").bounding_box()
    assert cart
    page.mouse.click(cart["x"] + cart["width"] / 2, cart["y"] + 10)
    page.get_by_role("button", name="Close mini program").click()
    assert calls(page) == [["close"]]
    page.evaluate("() => T.chrome.hideLoading()")
    tab(page, "Cart").click()
    assert calls(page) == [["tab", 1]]


# --- modal -------------------------------------------------------------------------------------


def test_modal_confirm_and_cancel(page: Page) -> None:
    more = page.get_by_role("button", name="More")
    more.focus()
    start(page, "showModal", {"title": "Delete?", "content": "<i>Gone</i> for good"})
    dialog = page.get_by_role("dialog", name="Delete?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("<i>Gone</i> for good")
    expect(dialog.get_by_role("button")).to_have_text(["Cancel", "OK"])
    ok = dialog.get_by_role("button", name="OK")
    expect(ok).to_be_focused()
    expect(ok).to_have_css("color", "rgb(87, 107, 149)")  # WeChat's #576B95
    assert page.evaluate("T.chrome.capsuleEl.inert") is True  # the rest of the frame is blocked
    ok.click()
    assert outcome(page) == {"ok": True, "value": {"confirm": True, "cancel": False}}
    expect(dialog).to_have_count(0)
    expect(more).to_be_focused()  # focus goes back where it was
    assert page.evaluate("T.chrome.capsuleEl.inert") is False

    start(
        page,
        "showModal",
        {"content": "Sure?", "cancelText": "No", "cancelColor": "#00ff00", "confirmText": "Yes"},
    )
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("button", name="No")).to_have_css("color", "rgb(0, 255, 0)")
    dialog.get_by_role("button", name="No").click()
    assert outcome(page) == {"ok": True, "value": {"confirm": False, "cancel": True}}

    start(page, "showModal", {"title": "Notice", "showCancel": False})
    dialog = page.get_by_role("dialog", name="Notice")
    expect(dialog.get_by_role("button")).to_have_text(["OK"])
    page.mouse.click(200, 100)  # the mask: a modal stays (as in WeChat), focus stays inside
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="OK")).to_be_focused()
    page.keyboard.press("Escape")
    assert outcome(page) == {"ok": True, "value": {"confirm": False, "cancel": True}}
    expect(dialog).to_have_count(0)


def test_editable_modal_returns_the_text_and_keeps_focus_inside(page: Page) -> None:
    start(
        page,
        "showModal",
        {"title": "Rename", "editable": True, "placeholderText": "New name", "content": "Tom"},
    )
    dialog = page.get_by_role("dialog", name="Rename")
    field = dialog.get_by_role("textbox")
    expect(field).to_be_focused()
    expect(field).to_have_value("Tom")
    expect(field).to_have_attribute("placeholder", "New name")
    field.fill("Jerry")
    for _ in range(4):  # Tab cycles through input, Cancel, OK and never leaves the dialog
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('[role=dialog]') !== null")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.closest('[role=dialog]') !== null")
    dialog.get_by_role("button", name="OK").click()
    assert outcome(page) == {
        "ok": True,
        "value": {"confirm": True, "cancel": False, "content": "Jerry"},
    }

    start(page, "showModal", {"title": "Rename", "editable": True})
    page.get_by_role("dialog").get_by_role("textbox").fill("Draft")
    page.keyboard.press("Escape")
    assert outcome(page) == {
        "ok": True,
        "value": {"confirm": False, "cancel": True, "content": "Draft"},
    }


def test_modals_wait_their_turn(page: Page) -> None:
    page.evaluate(
        """() => {
          T.answers = [];
          for (const title of ["First", "Second"]) {
            T.chrome.showModal({ title }).then((r) => T.answers.push([title, r.confirm]));
          }
        }"""
    )
    expect(page.get_by_role("dialog")).to_have_count(1)
    page.get_by_role("dialog", name="First").get_by_role("button", name="OK").click()
    page.get_by_role("dialog", name="Second").get_by_role("button", name="Cancel").click()
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert page.evaluate("T.answers") == [["First", True], ["Second", False]]


# --- action sheet and menu ---------------------------------------------------------------------


def test_action_sheet_tap_and_cancel(page: Page) -> None:
    sheet_args = {
        "itemList": ["Camera", "Album"],
        "alertText": "Choose a photo",
        "itemColor": "#ff0000",
    }
    start(page, "showActionSheet", sheet_args)
    sheet = page.get_by_role("dialog", name="Choose a photo")
    expect(sheet.get_by_role("button")).to_have_text(["Camera", "Album", "Cancel"])
    expect(sheet.get_by_role("button", name="Album")).to_have_css("color", "rgb(255, 0, 0)")
    expect(sheet.get_by_role("button", name="Camera")).to_be_focused()
    sheet.get_by_role("button", name="Album").click()
    assert outcome(page) == {"ok": True, "value": {"tapIndex": 1}}

    cancelled = {"ok": False, "message": "showActionSheet:fail cancel"}
    start(page, "showActionSheet", sheet_args)
    page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    assert outcome(page) == cancelled

    start(page, "showActionSheet", {"itemList": ["Only"]})
    expect(page.get_by_role("dialog", name="Options")).to_be_visible()
    page.mouse.click(200, 100)  # the mask above the sheet
    assert outcome(page) == cancelled

    start(page, "showActionSheet", {"itemList": ["Only"]})
    page.keyboard.press("Escape")
    assert outcome(page) == cancelled

    start(page, "showActionSheet", {"itemList": [str(n) for n in range(7)]})
    assert outcome(page)["ok"] is False
    expect(page.get_by_role("dialog")).to_have_count(0)


def test_capsule_menu(page: Page) -> None:
    items = [
        {"id": "favourite", "label": "Add to favourites"},
        {"id": "settings", "label": "Settings"},
        {"id": "relaunch", "label": "Re-enter mini program"},
    ]
    start(page, "showMenu", items)
    menu = page.get_by_role("dialog", name="Demo Shop")
    expect(menu.get_by_role("button")).to_have_text(
        ["Add to favourites", "Settings", "Re-enter mini program", "Cancel"]
    )
    menu.get_by_role("button", name="Settings").click()
    assert outcome(page) == {"ok": True, "value": "settings"}

    start(page, "showMenu", items)
    page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    assert outcome(page) == {"ok": True, "value": None}


def test_fixed_texts_follow_the_page_language(open_page: OpenPage) -> None:
    page = open_page(locale="zh-CN")
    page.evaluate(MAKE_CHROME, {})
    expect(page.get_by_role("button", name="更多")).to_be_visible()
    expect(page.get_by_role("button", name="关闭小程序")).to_be_visible()
    start(page, "showModal", {"title": "提示"})
    expect(page.get_by_role("dialog").get_by_role("button")).to_have_text(["取消", "确定"])
    page.get_by_role("button", name="确定").click()
    assert outcome(page)["value"]["confirm"] is True

    page.evaluate(
        """async () => {
          const { setLanguage } = await import("/static/shared/i18n.js");
          setLanguage("en");
        }"""
    )
    expect(page.get_by_role("button", name="More")).to_be_visible()


def test_destroy_removes_the_frame_and_settles_dialogs(page: Page) -> None:
    page.evaluate(
        """() => {
          T.answers = [];
          T.chrome.showModal({ title: "Open" }).then((r) => T.answers.push(r));
          T.chrome.showActionSheet({ itemList: ["a"] }).catch((e) => T.answers.push(e.message));
          T.chrome.showMenu([{ id: "x", label: "X" }]).then((r) => T.answers.push(r));
          T.chrome.showLoading({ title: "Busy" });
          T.chrome.destroy();
        }"""
    )
    page.wait_for_function("T.answers.length === 3")
    assert page.evaluate("T.answers") == [
        {"confirm": False, "cancel": True},
        "showActionSheet:fail cancel",
        None,
    ]
    assert page.evaluate("T.root.childElementCount") == 0


# --- storage -----------------------------------------------------------------------------------

OPEN = "({ userKey, appid }) => T.storage.openAppStorage({ userKey, appid })"


def storage_call(page: Page, who: tuple[str, str], method: str, *args: Any) -> Any:
    """Run one AppStorage method; a rejection comes back as {"error": message}.

    The answer crosses as JSON text: Playwright's own transfer would drop a "__proto__" key.
    """
    answer = page.evaluate(
        """async ([userKey, appid, method, args]) => {
          const store = await T.storage.openAppStorage({ userKey, appid });
          try {
            const value = await store[method](...args);
            return JSON.stringify(value === undefined ? null : value);
          } catch (error) {
            return JSON.stringify({ error: error.message });
          }
        }""",
        [who[0], who[1], method, list(args)],
    )
    return json.loads(answer)


ALICE_SHOP = ("alice", "wx0000000000000001")
BOB_SHOP = ("bob", "wx0000000000000001")
ALICE_NEWS = ("alice", "wx0000000000000002")


def test_storage_survives_a_reload(open_page: OpenPage) -> None:
    page = open_page()
    values = {
        "token": {"type": "String", "data": "abc"},
        "cart": {"type": "Object", "data": {"items": [1, 2, {"sku": "x"}], "total": 9.5}},
        "when": {"type": "Date", "data": "2024-01-02T03:04:05.000Z"},
        "键": {"type": "String", "data": "值😀"},
        "__proto__": {"type": "Number", "data": 1},
    }
    for key, value in values.items():
        assert storage_call(page, ALICE_SHOP, "set", key, value) is None
    page.reload()
    page.evaluate(SETUP)
    assert storage_call(page, ALICE_SHOP, "snapshot") == values
    assert storage_call(page, ALICE_SHOP, "get", "cart") == values["cart"]
    assert storage_call(page, ALICE_SHOP, "get", "missing") is None


def test_storage_is_kept_apart_by_user_and_by_app(open_page: OpenPage) -> None:
    page = open_page()
    for who in (ALICE_SHOP, BOB_SHOP, ALICE_NEWS):
        storage_call(page, who, "set", "name", f"{who[0]}@{who[1]}")
    storage_call(page, ALICE_SHOP, "set", "only-alice-shop", 1)
    assert storage_call(page, ALICE_SHOP, "snapshot") == {
        "name": "alice@wx0000000000000001",
        "only-alice-shop": 1,
    }
    assert storage_call(page, BOB_SHOP, "snapshot") == {"name": "bob@wx0000000000000001"}
    assert storage_call(page, ALICE_NEWS, "snapshot") == {"name": "alice@wx0000000000000002"}
    # An app id that starts like another one is still another app.
    assert storage_call(page, ("alice", "wx000000000000000"), "snapshot") == {}

    storage_call(page, ALICE_SHOP, "clear")
    assert storage_call(page, ALICE_SHOP, "snapshot") == {}
    assert storage_call(page, BOB_SHOP, "snapshot") == {"name": "bob@wx0000000000000001"}
    assert storage_call(page, ALICE_NEWS, "info")["keys"] == ["name"]
    storage_call(page, BOB_SHOP, "remove", "name")
    assert storage_call(page, BOB_SHOP, "snapshot") == {}
    assert storage_call(page, ALICE_NEWS, "snapshot") == {"name": "alice@wx0000000000000002"}


def test_storage_writes_keep_their_order(open_page: OpenPage) -> None:
    page = open_page()
    result = page.evaluate(
        """async () => {
          const store = await T.storage.openAppStorage({ userKey: "u", appid: "app" });
          const other = await T.storage.openAppStorage({ userKey: "u", appid: "app" });
          const done = [
            store.set("k", 1),
            other.set("k", 2),
            store.remove("k"),
            store.set("big", "x".repeat(1024 * 1024)).catch((e) => e.message),
            other.set("k", 3),
            store.set("n", 1),
          ];
          const snapshot = store.snapshot();  // queued after the writes above
          return { outcomes: await Promise.all(done), snapshot: await snapshot };
        }"""
    )
    assert result == {
        "outcomes": [
            None,
            None,
            None,
            "setStorage:fail exceed storage item max length",
            None,
            None,
        ],
        "snapshot": {"k": 3, "n": 1},
    }


def test_storage_item_limit_is_one_megabyte_of_key_and_json(open_page: OpenPage) -> None:
    page = open_page()
    # key "k" (1 byte) + the JSON string's quotes (2 bytes) + the text
    assert storage_call(page, ALICE_SHOP, "set", "k", "a" * (MB - 3)) is None
    assert storage_call(page, ALICE_SHOP, "set", "k", "a" * (MB - 2)) == {
        "error": "setStorage:fail exceed storage item max length"
    }
    # UTF-8 counts: "中" is 3 bytes.
    chinese = (MB - 3) // 3
    assert storage_call(page, ALICE_SHOP, "set", "c", "中" * chinese) is None
    assert storage_call(page, ALICE_SHOP, "set", "c", "中" * (chinese + 1)) == {
        "error": "setStorage:fail exceed storage item max length"
    }
    # The failed write changed nothing.
    assert storage_call(page, ALICE_SHOP, "get", "c") == "中" * chinese


def test_storage_total_limit_and_info(open_page: OpenPage) -> None:
    page = open_page()
    assert storage_call(page, ALICE_SHOP, "info") == {
        "keys": [],
        "currentSize": 0,
        "limitSize": 10240,
    }
    storage_call(page, ALICE_SHOP, "set", "a", "v")  # 1 + 3 bytes
    assert storage_call(page, ALICE_SHOP, "info") == {
        "keys": ["a"],
        "currentSize": 1,
        "limitSize": 10240,
    }
    page.evaluate(
        """async () => {
          const [userKey, appid] = ["alice", "wx0000000000000001"];
          const store = await T.storage.openAppStorage({ userKey, appid });
          await store.remove("a");
          // Ten keys of exactly 1 MB each (2-byte key, quotes, text): exactly the 10 MB limit.
          for (let i = 0; i < 10; i += 1) await store.set(`k${i}`, "x".repeat(1024 * 1024 - 4));
        }"""
    )
    info = storage_call(page, ALICE_SHOP, "info")
    assert info["currentSize"] == 10240
    assert info["keys"] == [f"k{i}" for i in range(10)]
    full = {"error": "setStorage:fail exceed storage max size"}
    assert storage_call(page, ALICE_SHOP, "set", "more", 1) == full
    # Replacing a key frees its old size first.
    assert storage_call(page, ALICE_SHOP, "set", "k0", "small") is None
    assert storage_call(page, ALICE_SHOP, "set", "more", 1) is None
    assert storage_call(page, ALICE_SHOP, "info")["keys"] == [f"k{i}" for i in range(10)] + ["more"]
    # Another user's quota is their own.
    assert storage_call(page, BOB_SHOP, "set", "more", 1) is None


def test_check_storage_write_is_the_same_rule_for_the_logic_layer(open_page: OpenPage) -> None:
    page = open_page()
    result = page.evaluate(
        """() => {
          const { checkStorageWrite, entrySize, ITEM_TOO_LONG, STORAGE_FULL } = T.storage;
          const full = new Map([["a", 5 * 1024 * 1024], ["b", 5 * 1024 * 1024 - 10]]);
          return {
            sizes: [entrySize("k", "v"), entrySize("键", "😀"), entrySize("k", undefined),
                    entrySize("k", { a: [1, null] })],
            fits: checkStorageWrite(full, "c", "1234567"),
            over: checkStorageWrite(full, "c", "12345678"),
            replaces: checkStorageWrite({ a: 5 * 1024 * 1024, b: 1 }, "a", "x"),
            tooLong: checkStorageWrite({}, "k", "a".repeat(1024 * 1024)),
            reasons: [ITEM_TOO_LONG, STORAGE_FULL],
          };
        }"""
    )
    assert result["sizes"] == [
        4,
        9,
        1,
        1 + len(json.dumps({"a": [1, None]}, separators=(",", ":"))),
    ]
    assert result["fits"] == {"size": 10, "error": None}
    assert result["over"] == {"size": 11, "error": "exceed storage max size"}
    assert result["replaces"] == {"size": 4, "error": None}
    assert result["tooLong"]["error"] == "exceed storage item max length"
    assert result["reasons"] == ["exceed storage item max length", "exceed storage max size"]
