"""Search in the host's Discover tab, as a user does it: type a mini program's exact name (any
case, full-width or half-width), press Enter, tap the card or one of its pages; the app starts
with WeChat's scene 1006 (search on Discover). A near miss says no app has that name and offers
"did you mean" names; clearing the box brings back the Discover list.

The runtime platform releases every example under its folder's name ("lifecycle", "navigation",
"showcase", …); the lifecycle example logs App.onLaunch with its scene, and the navigation
example's info page shows wx.getLaunchOptionsSync().
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import NewContext, RuntimePlatform, chrome, current_page
from tests.e2e.gestures import readout


def open_discover(platform: RuntimePlatform, new_context: NewContext) -> Page:
    page = new_context().new_page()
    page.goto(f"{platform.url}/#discover")
    expect(page.locator("#app-list .app-entry").first).to_be_visible()
    return page


def search(page: Page, text: str) -> None:
    box = page.get_by_role("searchbox", name="Search mini programs")
    box.fill(text)
    box.press("Enter")


def card(page: Page, appid: str) -> Locator:
    return page.locator(f"#search-list .search-card[data-appid='{appid}']")


def test_the_exact_name_in_full_width_capitals_finds_the_app_and_the_card_opens_it_with_scene_1006(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    appid = runtime_platform.appids["lifecycle"]
    page = open_discover(runtime_platform, new_context)

    search(page, "ＬＩＦＥＣＹＣＬＥ")

    found = card(page, appid)
    expect(found).to_be_visible()
    expect(found.locator(".search-card-name")).to_have_text("lifecycle")
    expect(page.locator("#search-list .search-card")).to_have_count(1)
    expect(page.locator("#discover-home")).to_be_hidden()
    expect(page.locator("#search-miss")).to_be_hidden()

    found.click()
    expect(page).to_have_url(f"{runtime_platform.url}/#app/{appid}?scene=1006")
    launch = current_page(page).locator("#log .log-line", has_text="App.onLaunch").first
    expect(launch).to_contain_text("path=pages/index/index")
    expect(launch).to_contain_text("scene=1006")

    # Closing the app returns to the results the user tapped from.
    chrome(page, ".mpc-capsule-close").click()
    expect(page).to_have_url(f"{runtime_platform.url}/#discover")
    expect(card(page, appid)).to_be_visible()


def test_a_page_under_a_result_opens_that_page_with_scene_1006(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    appid = runtime_platform.appids["navigation"]
    page = open_discover(runtime_platform, new_context)

    search(page, "Navigation")

    expect(card(page, appid)).to_be_visible()
    info = page.locator("#search-list .search-page", has_text="pages/info/info")
    expect(info.locator(".search-page-title")).to_have_text("System info")
    info.click()

    frame = current_page(page)
    launch = readout(frame.locator("#launch-options"))
    assert launch["scene"] == 1006
    assert launch["path"] == "pages/info/info"
    assert launch["query"] == {}


def test_pages_the_sitemap_disallows_are_not_listed(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = open_discover(runtime_platform, new_context)

    search(page, "showcase")

    expect(card(page, runtime_platform.appids["showcase"])).to_be_visible()
    paths = page.locator("#search-list .search-page-path")
    expect(paths.first).to_be_attached()
    listed = paths.all_text_contents()
    assert "pages/index/index" in listed
    assert "pages/list/list" in listed
    assert "pages/styles/styles" not in listed


def test_a_typo_finds_nothing_and_did_you_mean_searches_for_the_suggested_name(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    appid = runtime_platform.appids["lifecycle"]
    page = open_discover(runtime_platform, new_context)

    search(page, "lifecyle")

    expect(page.locator("#search-miss-text")).to_have_text("No mini program is called “lifecyle”")
    expect(page.locator("#search-list")).to_be_hidden()
    suggestions = page.get_by_role("list", name="Did you mean")
    expect(suggestions).to_be_visible()
    suggestion = suggestions.get_by_role("button", name="lifecycle", exact=True)

    suggestion.click()

    expect(page.get_by_role("searchbox", name="Search mini programs")).to_have_value("lifecycle")
    expect(card(page, appid)).to_be_visible()
    expect(page.locator("#search-miss")).to_be_hidden()


def test_a_name_like_no_other_says_so_without_suggestions_and_clearing_shows_the_list(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = open_discover(runtime_platform, new_context)

    search(page, "qqqzzzxxx")

    expect(page.locator("#search-miss-text")).to_have_text("No mini program is called “qqqzzzxxx”")
    expect(page.locator("#search-suggestions")).to_be_hidden()
    expect(page.locator("#discover-home")).to_be_hidden()

    page.get_by_role("searchbox", name="Search mini programs").fill("")

    expect(page.locator("#discover-home")).to_be_visible()
    expect(page.locator("#search-results")).to_be_hidden()
    expect(page.locator("#app-list .app-entry").first).to_be_visible()


def test_an_overlong_query_shows_the_servers_error_in_chinese_too(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context(locale="zh-CN").new_page()
    page.goto(f"{runtime_platform.url}/#discover")
    box = page.get_by_role("searchbox", name="搜索小程序")

    box.fill("x" * 65)
    box.press("Enter")

    error = page.locator("#search-results [data-form-error]")
    expect(error).to_have_text("请输入要搜索的小程序名称（最多 64 个字符）。")
    expect(page.locator("#search-list")).to_be_hidden()
    expect(page.locator("#search-miss")).to_be_hidden()


def test_the_top_search_on_chats_shows_results_in_discover_and_opens_with_scene_1005(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    appid = runtime_platform.appids["lifecycle"]
    page = new_context().new_page()
    page.goto(f"{runtime_platform.url}/#chats")
    top = page.get_by_role("searchbox", name="Search mini programs from Chats")
    top.fill("Lifecycle")
    top.press("Enter")

    expect(page).to_have_url(f"{runtime_platform.url}/#discover")
    expect(page.get_by_role("searchbox", name="Search mini programs", exact=True)).to_have_value(
        "Lifecycle"
    )
    card(page, appid).click()
    expect(page).to_have_url(f"{runtime_platform.url}/#app/{appid}?scene=1005")
    launch = current_page(page).locator("#log .log-line", has_text="App.onLaunch").first
    expect(launch).to_contain_text("scene=1005")

    # A search typed in Discover itself is Discover's again: 1006.
    chrome(page, ".mpc-capsule-close").click()
    search(page, "navigation")
    card(page, runtime_platform.appids["navigation"]).click()
    expect(page).to_have_url(
        f"{runtime_platform.url}/#app/{runtime_platform.appids['navigation']}?scene=1006"
    )
