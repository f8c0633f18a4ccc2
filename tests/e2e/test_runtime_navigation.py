"""Routing, the tab bar, the navigation bar, subpackages and hot start in the browser runtime, on
examples/navigation (every result is on the example's screen or in the chrome around it).

Each test opens the app in a fresh browser context and reads what a user sees: the example's
readouts (`#home-stack`, `#stack-result`, …) and the chrome's navigation bar, capsule and tab bar.
"""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import FrameLocator, Page, Request, expect

from tests.e2e.conftest import NewContext, RuntimePlatform, chrome, current_page

APP = "navigation"
RED = "rgb(230, 67, 64)"  # #e64340: Home's bar and the tab bar's selectedColor
GREY = "rgb(153, 153, 153)"  # #999999: the tab bar's color
WHITE = "rgb(255, 255, 255)"
BLACK = "rgb(0, 0, 0)"
TAB_TAP_APIS = '{"index":1,"pagePath":"pages/apis/apis","text":"APIs"}'


def open_home(runtime_platform: RuntimePlatform, page: Page, **where: str) -> FrameLocator:
    frame = runtime_platform.open(page, APP, **where)
    if not where.get("path"):
        expect(frame.locator("#home-shows")).to_have_text("1")
    return frame


def launch_info(runtime_platform: RuntimePlatform, page: Page) -> dict[str, Any]:
    appid = runtime_platform.appids[APP]
    answer = page.request.get(f"{runtime_platform.url}/api/runtime/apps/{appid}/launch")
    assert answer.ok, answer.status
    return answer.json()


def tabs(page: Page) -> Any:
    return chrome(page, ".mpc-tabbar .mpc-tab")


def expect_bar(page: Page, *, title: str, background: str, front: str) -> None:
    expect(chrome(page, ".mpc-title")).to_have_text(title)
    nav = chrome(page, ".mpc-nav")
    expect(nav).to_have_css("background-color", background)
    expect(nav).to_have_css("color", front)


# --- tab bar -----------------------------------------------------------------------------------


def test_tab_bar_follows_app_json(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    open_home(runtime_platform, page)
    manifest = launch_info(runtime_platform, page)["manifest"]
    asset = {
        path: f"{runtime_platform.url}/bundles/{file}" for path, file in manifest["assets"].items()
    }
    bar = chrome(page, ".mpc-tabbar")
    expect(bar).to_be_visible()
    expect(bar).to_have_css("background-color", "rgb(250, 250, 250)")
    expect(bar).to_have_attribute("data-border", "white")
    expect(tabs(page)).to_have_text(["Home", "APIs", "Mine"])
    expect(tabs(page).nth(0)).to_have_attribute("aria-current", "page")
    expect(tabs(page).nth(0)).to_have_css("color", RED)
    expect(tabs(page).nth(1)).not_to_have_attribute("aria-current", "page")
    expect(tabs(page).nth(1)).to_have_css("color", GREY)
    expect(tabs(page).nth(0).locator("img")).to_have_attribute(
        "src", asset["images/tab-home-active.png"]
    )
    expect(tabs(page).nth(1).locator("img")).to_have_attribute("src", asset["images/tab-apis.png"])
    expect(tabs(page).nth(2).locator("img")).to_have_attribute("src", asset["images/tab-mine.png"])

    tabs(page).nth(1).click()
    expect(current_page(page).locator("#apis-shows")).to_have_text("1")
    expect(tabs(page).nth(1)).to_have_attribute("aria-current", "page")
    expect(tabs(page).nth(1)).to_have_css("color", RED)
    expect(tabs(page).nth(1).locator("img")).to_have_attribute(
        "src", asset["images/tab-apis-active.png"]
    )
    expect(tabs(page).nth(0)).to_have_css("color", GREY)
    expect(tabs(page).nth(0).locator("img")).to_have_attribute("src", asset["images/tab-home.png"])
    expect(chrome(page, ".mpc-back")).to_be_hidden()

    # A page that is not a tab page has no tab bar.
    current_page(page).locator("#go-storage").click()
    expect(current_page(page).locator("#storage-key")).to_be_visible()
    expect(chrome(page, ".mpc-tabbar")).to_be_hidden()


def test_switch_tab_keeps_tab_pages_alive(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = open_home(runtime_platform, page)
    tabs(page).nth(2).click()
    expect(frame.locator("#mine-shows")).to_have_text("1")
    expect(frame.locator("#mine-loads")).to_have_text("1")
    expect(frame.locator("#mine-stack")).to_have_text("1")
    tabs(page).nth(0).click()
    expect(frame.locator("#home-shows")).to_have_text("2")
    tabs(page).nth(2).click()
    expect(frame.locator("#mine-shows")).to_have_text("2")
    expect(frame.locator("#mine-hides")).to_have_text("1")
    expect(frame.locator("#mine-loads")).to_have_text("1")  # the same page instance
    # switchTab by code, from a tab page and from a page above one.
    frame.locator("#mine-home").click()
    expect(frame.locator("#home-shows")).to_have_text("3")
    expect(frame.locator("#home-query")).to_have_text("{}")  # not loaded again
    frame.locator("#go-stack").click()
    expect(frame.locator("#stack-length")).to_have_text("2")
    frame.locator("#switch-tab").click()
    expect(frame.locator("#mine-shows")).to_have_text("3")
    expect(frame.locator("#mine-loads")).to_have_text("1")
    expect(frame.locator("#mine-stack")).to_have_text("1")  # the stack page was closed
    expect(chrome(page, ".mpc-back")).to_be_hidden()
    expect(tabs(page).nth(2)).to_have_attribute("aria-current", "page")


def test_on_tab_item_tap(runtime_platform: RuntimePlatform, new_context: NewContext) -> None:
    page = new_context().new_page()
    frame = open_home(runtime_platform, page)
    # switchTab by code is not a tap on the tab item.
    frame.locator("#switch-apis").click()
    expect(frame.locator("#apis-shows")).to_have_text("1")
    expect(frame.locator("#apis-tab-tap")).to_have_text("")
    expect(tabs(page).nth(1)).to_have_attribute("aria-current", "page")
    # Tapping the current tab again: onTabItemTap, and no second onShow.
    tabs(page).nth(1).click()
    expect(frame.locator("#apis-tab-tap")).to_have_text(TAB_TAP_APIS)
    expect(frame.locator("#apis-shows")).to_have_text("1")
    expect(frame.locator("#apis-stack")).to_have_text("1")


def test_tab_bar_badge_red_dot_and_text_set_by_code(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = open_home(runtime_platform, page)
    result = frame.locator("#badge-result")
    mine, apis, home = tabs(page).nth(2), tabs(page).nth(1), tabs(page).nth(0)

    frame.locator("#set-badge").click()
    expect(result).to_have_text("setTabBarBadge setTabBarBadge:ok")
    expect(mine.locator(".mpc-badge")).to_have_text("3")
    expect(mine).to_contain_text("Mine")
    frame.locator("#remove-badge").click()
    expect(result).to_have_text("removeTabBarBadge removeTabBarBadge:ok")
    expect(mine.locator(".mpc-badge")).to_have_count(0)

    frame.locator("#show-red-dot").click()
    expect(result).to_have_text("showTabBarRedDot showTabBarRedDot:ok")
    expect(apis.locator(".mpc-dot")).to_be_visible()
    frame.locator("#hide-red-dot").click()
    expect(result).to_have_text("hideTabBarRedDot hideTabBarRedDot:ok")
    expect(apis.locator(".mpc-dot")).to_have_count(0)

    frame.locator("#rename-tab").click()
    expect(result).to_have_text("setTabBarItem setTabBarItem:ok")
    expect(home.locator(".mpc-tab-label")).to_have_text("Start")

    # The badge stays on the bar across pages, and the Mine page removes it.
    frame.locator("#set-badge").click()
    expect(mine.locator(".mpc-badge")).to_have_text("3")
    mine.click()
    frame.locator("#mine-clear-badge").click()
    expect(frame.locator("#mine-badge-result")).to_have_text("removeTabBarBadge:ok")
    expect(mine.locator(".mpc-badge")).to_have_count(0)
    expect(home.locator(".mpc-tab-label")).to_have_text("Start")


# --- navigation bar ----------------------------------------------------------------------------


def test_navigation_bar_per_page_title_and_colours(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = open_home(runtime_platform, page)
    back = chrome(page, ".mpc-back")
    expect_bar(page, title="Home", background=RED, front=WHITE)
    expect(back).to_be_hidden()
    tabs(page).nth(1).click()
    expect_bar(page, title="APIs", background="rgb(16, 174, 255)", front=WHITE)
    tabs(page).nth(2).click()
    expect_bar(page, title="Mine", background=WHITE, front=BLACK)
    tabs(page).nth(0).click()
    expect_bar(page, title="Home", background=RED, front=WHITE)

    frame.locator("#go-stack").click()
    expect(frame.locator("#stack-length")).to_have_text("2")
    expect_bar(page, title="Page stack", background="rgb(87, 107, 149)", front=WHITE)
    expect(back).to_be_visible()
    back.click()
    expect(frame.locator("#home-shows")).to_have_text("3")
    expect_bar(page, title="Home", background=RED, front=WHITE)
    expect(back).to_be_hidden()

    frame.locator("#go-title").click()
    expect_bar(page, title="Bar APIs", background="rgb(255, 195, 0)", front=BLACK)
    expect(back).to_be_visible()


def test_navigation_bar_apis(runtime_platform: RuntimePlatform, new_context: NewContext) -> None:
    page = new_context().new_page()
    frame = open_home(runtime_platform, page)
    frame.locator("#go-title").click()
    expect_bar(page, title="Bar APIs", background="rgb(255, 195, 0)", front=BLACK)

    frame.locator("#set-title").click()
    expect(frame.locator("#title-result")).to_have_text("setNavigationBarTitle:ok")
    expect(chrome(page, ".mpc-title")).to_have_text("Title set by code")

    frame.locator("#set-color").click()
    expect(frame.locator("#color-result")).to_have_text(
        "white on #1aad19: setNavigationBarColor:ok"
    )
    expect(chrome(page, ".mpc-nav")).to_have_css("background-color", "rgb(26, 173, 25)")
    expect(chrome(page, ".mpc-nav")).to_have_css("color", WHITE)
    expect(chrome(page, ".mpc-capsule")).to_have_attribute("data-front", "white")
    frame.locator("#set-color-black").click()
    expect(frame.locator("#color-result")).to_have_text(
        "black on #ffffff: setNavigationBarColor:ok"
    )
    expect(chrome(page, ".mpc-nav")).to_have_css("background-color", WHITE)
    expect(chrome(page, ".mpc-nav")).to_have_css("color", BLACK)
    expect(chrome(page, ".mpc-capsule")).to_have_attribute("data-front", "black")

    spinner = chrome(page, ".mpc-nav-spinner")
    expect(spinner).to_be_hidden()
    frame.locator("#show-bar-loading").click()
    expect(frame.locator("#bar-loading-result")).to_have_text("showNavigationBarLoading:ok")
    expect(spinner).to_be_visible()
    frame.locator("#hide-bar-loading").click()
    expect(frame.locator("#bar-loading-result")).to_have_text("hideNavigationBarLoading:ok")
    expect(spinner).to_be_hidden()

    # What the page set stays with the page: back on Home the bar is Home's, forward again it is
    # the new page's own.
    chrome(page, ".mpc-back").click()
    expect_bar(page, title="Home", background=RED, front=WHITE)
    frame.locator("#go-title").click()
    expect_bar(page, title="Bar APIs", background="rgb(255, 195, 0)", front=BLACK)


def test_custom_navigation_style_hides_the_bar_but_keeps_the_capsule(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = open_home(runtime_platform, page)
    frame.locator("#go-custom-nav").click()
    expect(frame.locator("#custom-title")).to_have_text("Custom bar")
    expect(chrome(page, ".mpc-nav")).to_be_hidden()
    expect(chrome(page, ".mpc-capsule-menu")).to_be_visible()
    expect(chrome(page, ".mpc-capsule-close")).to_be_visible()
    expect(frame.locator("#menu-rect")).not_to_have_text("")
    rect = json.loads(frame.locator("#menu-rect").inner_text())
    capsule = chrome(page, ".mpc-capsule").bounding_box()
    screen = chrome(page, ".mpc").bounding_box()
    assert capsule is not None and screen is not None
    assert rect["width"] == round(capsule["width"]) and rect["height"] == round(capsule["height"])
    assert rect["top"] == round(capsule["y"] - screen["y"])
    assert rect["right"] == round(capsule["x"] + capsule["width"] - screen["x"])
    assert rect["bottom"] == rect["top"] + rect["height"]
    # statusBarHeight is the room the chrome leaves above its bar (none in a desktop browser);
    # the capsule sits in the middle of the 44px bar below it, so a page can draw its own bar
    # just as tall, around the capsule.
    status_bar = int(frame.locator("#status-bar-height").inner_text())
    assert status_bar == round(capsule["y"] - screen["y"]) - (44 - rect["height"]) // 2
    header = frame.locator("#custom-header").bounding_box()
    assert header is not None and header["y"] == screen["y"]
    assert header["height"] == status_bar + 44
    frame.locator("#custom-back").click()
    expect(frame.locator("#home-shows")).to_have_text("2")
    expect(chrome(page, ".mpc-nav")).to_be_visible()
    expect_bar(page, title="Home", background=RED, front=WHITE)


# --- routing -----------------------------------------------------------------------------------


def test_navigate_to_holds_ten_pages_then_back(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = open_home(runtime_platform, page)
    frame.locator("#go-stack").click()
    expect(frame.locator("#depth")).to_have_text("2")
    for depth in range(3, 11):
        frame.locator("#push").click()
        expect(frame.locator("#depth")).to_have_text(str(depth))
        expect(frame.locator("#stack-length")).to_have_text(str(depth))
    expect(frame.locator("#from")).to_have_text("push")
    expect(frame.locator("#stack-query")).to_have_text('{"depth":"10","from":"push"}')
    expect(frame.locator("#stack-routes")).to_have_text(
        " > ".join(["pages/home/home"] + ["pages/stack/stack"] * 9)
    )
    # The eleventh fails as in WeChat, and nothing changes.
    frame.locator("#push").click()
    expect(frame.locator("#stack-result")).to_have_text(
        "navigateTo: navigateTo:fail webview count limit exceed"
    )
    expect(frame.locator("#depth")).to_have_text("10")
    expect(page.locator(".miniapp-app:not([hidden]) .miniapp-page-frame")).to_have_count(
        11
    )  # 10 + spare

    frame.locator("#back-2").click()
    expect(frame.locator("#depth")).to_have_text("8")
    expect(frame.locator("#stack-length")).to_have_text("8")
    frame.locator("#back-1").click()
    expect(frame.locator("#depth")).to_have_text("7")
    expect(frame.locator("#stack-length")).to_have_text("7")
    # delta larger than the stack: back to the first page.
    frame.locator("#back-all").click()
    expect(frame.locator("#home-shows")).to_have_text("2")
    expect(frame.locator("#home-stack")).to_have_text("1")
    expect(frame.locator("#home-routes")).to_have_text("pages/home/home")
    expect(chrome(page, ".mpc-back")).to_be_hidden()
    expect(page.locator(".miniapp-app:not([hidden]) .miniapp-page-frame")).to_have_count(
        2
    )  # home + spare


def test_redirect_to_relaunch_and_tab_page_refusals(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = open_home(runtime_platform, page)
    frame.locator("#go-stack").click()
    expect(frame.locator("#depth")).to_have_text("2")
    frame.locator("#push").click()
    expect(frame.locator("#depth")).to_have_text("3")
    frame.locator("#redirect").click()
    expect(frame.locator("#from")).to_have_text("redirect")
    expect(frame.locator("#depth")).to_have_text("3")
    expect(frame.locator("#stack-length")).to_have_text("3")  # replaced, not pushed
    frame.locator("#back-1").click()
    expect(frame.locator("#depth")).to_have_text("2")
    expect(frame.locator("#stack-length")).to_have_text("2")

    frame.locator("#redirect-tab").click()
    expect(frame.locator("#stack-result")).to_have_text(
        "redirectTo: redirectTo:fail can not redirectTo a tabbar page"
    )
    expect(frame.locator("#stack-length")).to_have_text("2")

    frame.locator("#relaunch").click()
    expect(frame.locator("#from")).to_have_text("relaunch")
    expect(frame.locator("#depth")).to_have_text("1")
    expect(frame.locator("#stack-length")).to_have_text("1")
    expect(frame.locator("#stack-routes")).to_have_text("pages/stack/stack")
    expect(chrome(page, ".mpc-back")).to_be_hidden()
    expect(chrome(page, ".mpc-tabbar")).to_be_hidden()
    frame.locator("#back-1").click()
    expect(frame.locator("#stack-result")).to_have_text(
        "navigateBack: navigateBack:fail cannot navigate back at first page."
    )


def test_relaunch_with_query_and_refused_routes(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = open_home(runtime_platform, page)
    frame.locator("#go-tab-fail").click()
    expect(frame.locator("#route-result")).to_have_text(
        "navigateTo:fail can not navigateTo a tabbar page"
    )
    frame.locator("#switch-fail").click()
    expect(frame.locator("#route-result")).to_have_text(
        "switchTab:fail can not switch to no-tabBar page"
    )
    expect(frame.locator("#home-stack")).to_have_text("1")

    tabs(page).nth(2).click()
    expect(frame.locator("#mine-shows")).to_have_text("1")
    tabs(page).nth(0).click()
    frame.locator("#relaunch-query").click()
    expect(frame.locator("#home-query")).to_have_text('{"from":"relaunch","n":"1"}')
    expect(frame.locator("#home-shows")).to_have_text("1")  # a new page instance
    expect(frame.locator("#home-stack")).to_have_text("1")
    # reLaunch closed every page, the kept tab pages too.
    tabs(page).nth(2).click()
    expect(frame.locator("#mine-shows")).to_have_text("1")
    expect(frame.locator("#mine-loads")).to_have_text("1")


# --- subpackages -------------------------------------------------------------------------------


def test_preload_rule_loads_package_a_with_home(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    info = launch_info(runtime_platform, page)
    manifest = info["manifest"]
    package_a = manifest["packages"]["pkgA"]
    a_one = manifest["pages"]["packageA/pages/a-one/a-one"]
    package_b = manifest["packages"]["pkgB"]

    def bundle_file(name: str) -> Any:
        return lambda request: request.url == f"{runtime_platform.url}/bundles/{name}"

    requests: list[Request] = []
    page.on("request", lambda request: requests.append(request))  # noqa: PLW0108  Playwright refuses a bound builtin
    # No navigation into packageA happens: only home is opened.
    with (
        page.expect_request(bundle_file(package_a["logic"])),
        page.expect_request(bundle_file(a_one["view"])),
    ):
        open_home(runtime_platform, page)
    frame = current_page(page)
    expect(frame.locator("#home-stack")).to_have_text("1")
    urls = [request.url for request in requests]
    # Only packageA is preloaded; packageB waits until it is opened.
    assert f"{runtime_platform.url}/bundles/{package_b['logic']}" not in urls

    # Opening a-one now needs no more code from the server.
    count = len(requests)
    frame.locator("#go-pkg-a").click()
    expect(frame.locator("#a-one-greeting")).to_have_text("hello a-one from packageA")
    later = [request.url for request in requests[count:]]
    assert f"{runtime_platform.url}/bundles/{package_a['logic']}" not in later, later


def test_subpackage_pages(runtime_platform: RuntimePlatform, new_context: NewContext) -> None:
    page = new_context().new_page()
    frame = open_home(runtime_platform, page)
    frame.locator("#go-pkg-a").click()
    expect(frame.locator("#a-one-greeting")).to_have_text("hello a-one from packageA")
    expect(frame.locator("#a-one-route")).to_have_text("packageA/pages/a-one/a-one")
    expect(frame.locator("#a-one-query")).to_have_text('{"x":"1"}')
    expect(frame.locator("#a-one-app")).to_have_text("1")  # the main package's App
    expect(frame.locator("#a-one-stack")).to_have_text("2")
    expect_bar(page, title="Subpackage A", background="rgb(26, 173, 25)", front=WHITE)
    frame.locator("#a-one-next").click()
    expect(frame.locator("#a-two-greeting")).to_have_text("hello a-two from packageA")
    expect(frame.locator("#a-two-routes")).to_have_text(
        "pages/home/home > packageA/pages/a-one/a-one > packageA/pages/a-two/a-two"
    )
    frame.locator("#a-two-back-2").click()
    expect(frame.locator("#home-shows")).to_have_text("2")
    expect(frame.locator("#route-result")).to_have_text("navigateTo:ok")
    expect(frame.locator("#home-stack")).to_have_text("1")

    # The independent subpackage B.
    frame.locator("#go-pkg-b").click()
    expect(frame.locator("#b-one-route")).to_have_text("packageB/pages/b-one/b-one")
    expect(frame.locator("#b-one-query")).to_have_text('{"y":"2"}')
    expect(frame.locator("#b-one-app")).to_have_text("getApp() returned an instance")
    expect(frame.locator("#b-one-stack")).to_have_text("2")
    expect_bar(page, title="Independent B", background="rgb(51, 51, 51)", front=WHITE)
    frame.locator("#b-one-home").click()
    expect(frame.locator("#home-query")).to_have_text('{"from":"independent"}')
    expect(frame.locator("#home-stack")).to_have_text("1")


def test_independent_subpackage_as_the_entry_page(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = open_home(runtime_platform, page, path="packageB/pages/b-one/b-one", query="y=9")
    expect(frame.locator("#b-one-query")).to_have_text('{"y":"9"}')
    expect(frame.locator("#b-one-stack")).to_have_text("1")
    expect(frame.locator("#b-one-app")).to_have_text("getApp() returned an instance")
    expect(chrome(page, ".mpc-back")).to_be_hidden()
    frame.locator("#b-one-home").click()
    expect(frame.locator("#home-query")).to_have_text('{"from":"independent"}')
    expect(chrome(page, ".mpc-tabbar")).to_be_visible()


# --- hot start ---------------------------------------------------------------------------------


def close_and_reopen(runtime_platform: RuntimePlatform, page: Page, *, after: str) -> None:
    """Close with the capsule, let `after` (mm:ss) pass, reopen from the Discover list."""
    chrome(page, ".mpc-capsule-close").click()
    entry = page.locator(f"#app-list [data-appid='{runtime_platform.appids[APP]}']")
    expect(entry).to_be_visible()
    expect(page.locator(".miniapp-app:not([hidden])")).to_have_count(0)
    page.clock.fast_forward(after)
    entry.click()


def test_hot_start_within_five_minutes_then_cold_start(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    page.clock.install()
    frame = open_home(runtime_platform, page)
    frame.locator("#go-stack").click()
    expect(frame.locator("#depth")).to_have_text("2")
    frame.locator("#push").click()
    expect(frame.locator("#depth")).to_have_text("3")

    # Back within five minutes: the same page, with its state; App.onShow ran again.
    close_and_reopen(runtime_platform, page, after="04:59")
    expect(frame.locator("#depth")).to_have_text("3")
    expect(frame.locator("#stack-length")).to_have_text("3")
    expect(frame.locator("#from")).to_have_text("push")
    expect(chrome(page, ".mpc-title")).to_have_text("Page stack")
    expect(chrome(page, ".mpc-back")).to_be_visible()
    frame.locator("#back-all").click()
    expect(frame.locator("#home-shows")).to_have_text("2")
    frame.locator("#go-pkg-a").click()
    expect(frame.locator("#a-one-app")).to_have_text("2")  # globalData.shows: onShow twice, one App

    # After more than five minutes: a cold start, on the home page with fresh state.
    close_and_reopen(runtime_platform, page, after="05:01")
    expect(frame.locator("#home-shows")).to_have_text("1")
    expect(frame.locator("#home-stack")).to_have_text("1")
    expect(frame.locator("#home-query")).to_have_text("{}")
    expect(chrome(page, ".mpc-back")).to_be_hidden()
    frame.locator("#go-pkg-a").click()
    expect(frame.locator("#a-one-app")).to_have_text("1")  # a new App


def test_hot_start_with_a_path_relaunches_to_that_page(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, APP, path="pages/stack/stack", query="depth=1&from=link")
    expect(frame.locator("#from")).to_have_text("link")
    frame.locator("#push").click()
    expect(frame.locator("#stack-length")).to_have_text("2")
    chrome(page, ".mpc-capsule-close").click()
    expect(page.locator(".miniapp-app:not([hidden])")).to_have_count(0)

    # Opened again by a link naming a page (WeChat's "B" scenes): the stack is replaced by that
    # page, as wx.reLaunch would, in the same running app (its launch options are the first ones).
    frame = runtime_platform.open(page, APP, path="pages/info/info", query="x=1")
    expect(frame.locator("#enter-options")).to_have_text(
        '{"path":"pages/info/info","query":{"x":"1"},"referrerInfo":{},"scene":1001}'
    )
    expect(frame.locator("#launch-options")).to_have_text(
        '{"path":"pages/stack/stack","query":{"depth":"1","from":"link"},"referrerInfo":{},"scene":1001}'
    )
    expect(chrome(page, ".mpc-title")).to_have_text("System info")
    expect(chrome(page, ".mpc-back")).to_be_hidden()
    expect(page.locator(".miniapp-app:not([hidden]) .miniapp-page-frame")).to_have_count(
        2
    )  # + spare


def test_a_double_tap_cannot_pass_the_stack_limit(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = open_home(runtime_platform, page)
    frame.locator("#go-stack").click()
    for depth in range(3, 10):
        frame.locator("#push").click()
        expect(frame.locator("#depth")).to_have_text(str(depth))
    # Two navigateTo calls in one handler on page 9: navigations run one after another, so the
    # second sees the full stack and fails instead of opening an eleventh page.
    # The target is in a subpackage not loaded yet, so the first call waits for its code.
    frame.locator("#push-twice").click()
    expect(frame.locator("#b-one-stack")).to_have_text("10")
    frames = page.locator(".miniapp-app:not([hidden]) .miniapp-page-frame")
    expect(frames).to_have_count(11)  # 10 pages + the next page's spare frame
    chrome(page, ".mpc-back").click()
    expect(frame.locator("#depth")).to_have_text("9")
    expect(frame.locator("#stack-result")).to_have_text(
        "navigateTo: navigateTo:fail webview count limit exceed"
    )


def test_a_malformed_link_does_not_break_the_host(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    page.goto(f"{runtime_platform.url}/#app/%E0%A4%A")
    # No page error (the fixture checks), nothing opened, and the host still works.
    expect(page.locator("#miniapp-stage")).to_be_hidden()
    page.get_by_role("link", name="Discover").click()
    expect(page.locator(f"[data-appid='{runtime_platform.appids['navigation']}']")).to_be_visible()


def test_a_link_followed_while_the_host_still_loads_opens_the_app_once_for_the_known_user(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    # The host learns who the user is before it opens any app (an app's storage is per user).
    # A link followed while that answer was on its way opened the app at once, and when the
    # answer came the host relaunched the app while it was still starting: a page error.
    page = new_context().new_page()
    held: list[Any] = []
    # A bound method is not a handler Playwright accepts: it needs a function.
    page.route("**/api/accounts/me", lambda route: held.append(route))  # noqa: PLW0108
    with page.expect_request("**/api/accounts/me"):
        page.goto(f"{runtime_platform.url}/#discover")
    page.evaluate("() => 0")  # a round trip: the held request's route has reached us by now
    assert len(held) == 1
    appid = runtime_platform.appids["navigation"]
    page.evaluate(
        "(appid) => { window.location.hash = `#app/${appid}?path=pages/info/info`; }", appid
    )
    page.evaluate("() => 0")
    assert (
        page.locator(".miniapp-app:not([hidden])").count() == 0
    )  # nothing opens before the user is known
    held[0].continue_()
    expect(current_page(page).locator("#system-info")).not_to_be_empty()
    expect(page.locator(".miniapp-app:not([hidden])")).to_have_count(1)
