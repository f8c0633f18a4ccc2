"""Discover's "Recently used" and "My mini programs" rows, as a user meets them: an app opened
from the Discover list comes first in Recently used; re-entering it from there within five
minutes is a hot start with scene 1089 (App.onShow, no second App.onLaunch); the capsule's ···
menu adds it to My mini programs, which opens it with scene 1104; the × buttons take entries
off; signing out hides the rows. The launches the host reports carry those scenes and hot flags.

The lifecycle example logs App.onLaunch / App.onShow with their scene (`#log`). Each report is
awaited through its HTTP answer, so the database is read only once every launch is recorded.
"""

from __future__ import annotations

from playwright.sync_api import BrowserContext, FrameLocator, Locator, Page, expect
from sqlalchemy import select

from miniapp.accounts.models import User
from miniapp.apps.models import App
from miniapp.discovery.models import AppLaunch
from tests.e2e.conftest import NewContext, RuntimePlatform, chrome, current_page
from tests.e2e.test_host_builds import sign_up

LAUNCHES = "/api/discovery/launches"
PASSWORD = "Tester-Pass-2026"  # test_host_builds.sign_up's


def discover(platform: RuntimePlatform, context: BrowserContext) -> Page:
    page = context.new_page()
    page.goto(f"{platform.url}/#discover")
    expect(page.locator("#app-list .app-entry").first).to_be_visible()
    return page


def row(page: Page, name: str) -> Locator:
    return page.get_by_role("list", name=name)


def entries(page: Page, name: str) -> Locator:
    return row(page, name).locator(".my-app")


def recorded_launch(page: Page, action: object) -> None:
    """Runs `action` (a click that enters an app) and waits for the host's launch report."""
    with page.expect_response(
        lambda response: response.url.endswith(LAUNCHES) and response.request.method == "POST"
    ) as answer:
        action()  # type: ignore[operator]
    assert answer.value.status == 204


def log(frame: FrameLocator, text: str) -> Locator:
    return frame.locator("#log .log-line", has_text=text)


def close_app(page: Page) -> None:
    chrome(page, ".mpc-capsule-close").click()
    expect(page.locator(".miniapp-app:not([hidden])")).to_have_count(0)


def launches_of(platform: RuntimePlatform, login: str) -> list[tuple[str, int, bool]]:
    with platform.database.read() as session:
        rows = session.execute(
            select(App.name, AppLaunch.scene, AppLaunch.hot)
            .join(App, App.id == AppLaunch.app_id)
            .join(User, User.id == AppLaunch.user_id)
            .where(User.email == login)
            .order_by(AppLaunch.id)
        ).all()
    return [(r.name, r.scene, r.hot) for r in rows]


def test_recently_used_and_my_mini_programs_open_with_their_scenes_and_hot_start(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    login = "rita-my-apps@example.com"
    context = new_context()
    sign_up(context, runtime_platform, login)
    lifecycle = runtime_platform.appids["lifecycle"]
    navigation = runtime_platform.appids["navigation"]
    page = discover(runtime_platform, context)

    # Signed in, nothing used yet: no Recently used row; My mini programs says how to fill it.
    expect(page.get_by_role("heading", name="My mini programs")).to_be_visible()
    expect(page.get_by_text("choose “Add to My mini programs” to keep it here")).to_be_visible()
    expect(page.get_by_role("heading", name="Recently used")).to_be_hidden()

    # Opened from the Discover list (scene 1001), then closed: first in Recently used.
    recorded_launch(page, page.locator(f"#app-list [data-appid='{lifecycle}']").click)
    expect(log(current_page(page), "App.onLaunch").first).to_contain_text("scene=1001")
    close_app(page)
    expect(entries(page, "Recently used")).to_have_count(1)
    expect(entries(page, "Recently used").first).to_have_attribute("data-appid", lifecycle)

    # Another one: it goes first.
    recorded_launch(page, page.locator(f"#app-list [data-appid='{navigation}']").click)
    close_app(page)
    expect(entries(page, "Recently used")).to_have_count(2)
    expect(row(page, "Recently used").locator(".my-app-name")).to_have_text(
        ["navigation", "lifecycle"]
    )

    # Back into lifecycle from Recently used, within five minutes: a hot start with scene 1089.
    recents = row(page, "Recently used")
    recorded_launch(page, recents.get_by_role("button", name="lifecycle", exact=True).click)
    frame = current_page(page)
    expect(log(frame, "App.onShow").filter(has_text="scene=1089")).to_have_count(1)
    # The App launched from Discover goes on: no new onLaunch (a cold start's would say 1089).
    expect(log(frame, "App.onLaunch")).to_have_count(1)
    expect(log(frame, "App.onLaunch")).to_contain_text("scene=1001")

    # The capsule's ··· menu adds it to My mini programs.
    chrome(page, ".mpc-capsule-menu").click()
    with page.expect_response(lambda r: r.request.method == "PUT" and lifecycle in r.url):
        chrome(page, ".mpc-menu-item").filter(has_text="Add to My mini programs").click()
    expect(chrome(page, ".mpc-toast-text")).to_have_text("Added")
    close_app(page)
    expect(row(page, "Recently used").locator(".my-app-name")).to_have_text(
        ["lifecycle", "navigation"]
    )
    favourites = row(page, "My mini programs")
    expect(favourites.locator(".my-app")).to_have_count(1)
    expect(page.get_by_text("choose “Add to My mini programs” to keep it here")).to_be_hidden()

    # Opened from My mini programs: scene 1104 (still a hot start); the menu now offers removal.
    recorded_launch(page, favourites.get_by_role("button", name="lifecycle", exact=True).click)
    frame = current_page(page)
    expect(log(frame, "App.onShow").filter(has_text="scene=1104")).to_have_count(1)
    expect(log(frame, "App.onLaunch")).to_have_count(1)
    expect(log(frame, "App.onLaunch")).to_contain_text("scene=1001")
    chrome(page, ".mpc-capsule-menu").click()
    expect(chrome(page, ".mpc-menu-item")).to_have_text(
        ["Share", "Remove from My mini programs", "Settings", "Re-enter mini program"]
    )
    page.keyboard.press("Escape")
    close_app(page)

    # In a new tab nothing is running: from My mini programs it is a cold start with 1104.
    other = discover(runtime_platform, context)
    cold = row(other, "My mini programs").get_by_role("button", name="lifecycle", exact=True)
    recorded_launch(other, cold.click)
    expect(log(current_page(other), "App.onLaunch").first).to_contain_text("scene=1104")
    other.close()

    # The × buttons take entries off each list.
    page.get_by_role("button", name="Remove lifecycle from Recently used").click()
    expect(row(page, "Recently used").locator(".my-app-name")).to_have_text(["navigation"])
    # Focus moves to the entry that took its place, or to the list's heading when none is left.
    expect(page.get_by_role("button", name="Remove navigation from Recently used")).to_be_focused()
    page.get_by_role("button", name="Remove lifecycle from My mini programs").click()
    expect(row(page, "My mini programs").locator(".my-app")).to_have_count(0)
    expect(page.get_by_role("heading", name="My mini programs")).to_be_focused()
    expect(page.get_by_text("choose “Add to My mini programs” to keep it here")).to_be_visible()

    assert launches_of(runtime_platform, login) == [
        ("lifecycle", 1001, False),
        ("navigation", 1001, False),
        ("lifecycle", 1089, True),
        ("lifecycle", 1104, True),
        ("lifecycle", 1104, False),
    ]

    # Signing out hides the rows; signing in again shows this user's lists again.
    page.goto(f"{runtime_platform.url}/#me")
    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{runtime_platform.url}/#discover")
    expect(page.get_by_role("heading", name="Recently used")).to_be_hidden()
    expect(page.get_by_role("heading", name="My mini programs")).to_be_hidden()
    page.goto(f"{runtime_platform.url}/#me")
    form = page.get_by_role("form", name="Sign in to Miniapp")
    form.get_by_label("Email or mobile number").fill(login)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    page.goto(f"{runtime_platform.url}/#discover")
    expect(row(page, "Recently used").locator(".my-app-name")).to_have_text(["navigation"])


def test_signed_out_there_are_no_rows_and_the_menu_offers_no_favourite(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = discover(runtime_platform, new_context())
    lifecycle = runtime_platform.appids["lifecycle"]

    expect(page.get_by_role("heading", name="My mini programs")).to_be_hidden()
    recorded_launch(page, page.locator(f"#app-list [data-appid='{lifecycle}']").click)
    expect(log(current_page(page), "App.onLaunch").first).to_contain_text("scene=1001")

    chrome(page, ".mpc-capsule-menu").click()
    expect(chrome(page, ".mpc-menu-item")).to_have_text(
        ["Share", "Settings", "Re-enter mini program"]
    )
    page.keyboard.press("Escape")
    close_app(page)
    expect(page.get_by_role("heading", name="Recently used")).to_be_hidden()


def test_from_recently_used_after_five_minutes_it_is_a_cold_start_with_1089(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    """The page's clock is Playwright's: five minutes pass without waiting."""
    login = "remy-my-apps@example.com"
    context = new_context()
    sign_up(context, runtime_platform, login)
    lifecycle = runtime_platform.appids["lifecycle"]
    page = context.new_page()
    page.clock.install()
    page.goto(f"{runtime_platform.url}/#discover")
    recorded_launch(page, page.locator(f"#app-list [data-appid='{lifecycle}']").click)
    expect(log(current_page(page), "App.onLaunch").first).to_contain_text("scene=1001")
    close_app(page)
    entry = row(page, "Recently used").get_by_role("button", name="lifecycle", exact=True)
    expect(entry).to_be_visible()

    page.clock.fast_forward("05:01")
    recorded_launch(page, entry.click)

    frame = current_page(page)
    expect(log(frame, "App.onLaunch")).to_have_count(1)
    expect(log(frame, "App.onLaunch")).to_contain_text("scene=1089")
    expect(log(frame, "scene=1001")).to_have_count(0)  # a new App: the old log is gone
    assert launches_of(runtime_platform, login) == [
        ("lifecycle", 1001, False),
        ("lifecycle", 1089, False),
    ]
