"""Consent in the browser (docs/consent.md): wx.authorize asks once with the app's stated reason
and remembers the answer, the settings page revokes and grants again, wx.getLocation uses the
browser's position after consent and Me → Privacy shows the access."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import NewContext, RuntimePlatform, chrome

APP = "apis"
REASON = "Shows the cafés near you"


def sign_up(page: Page, platform: RuntimePlatform, login: str) -> None:
    """A fresh user signed in through the API (the context keeps the cookies): nobody else's
    decisions are remembered for them."""
    page.request.get(f"{platform.url}/api/accounts/csrf")
    csrf = next(c["value"] for c in page.context.cookies() if c["name"].endswith("miniapp_csrf"))
    answer = page.request.post(
        f"{platform.url}/api/accounts/signup",
        data={"login": login, "password": "correct-horse-42", "display_name": "Cleo"},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status == 201, answer.text()


def test_consent_is_asked_once_revocable_and_location_shows_on_privacy(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    context = new_context()
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"latitude": 31.2304, "longitude": 121.4737})
    page = context.new_page()
    sign_up(page, runtime_platform, "cleo@example.com")
    frame = runtime_platform.open(page, APP, path="pages/consent/consent")
    dialog = page.locator(".mpc-dialog")

    # Asked with the app's reason; Allow is remembered.
    frame.locator("#authorize").click()
    expect(dialog).to_contain_text("Use your location")
    expect(dialog).to_contain_text(REASON)
    dialog.locator(".mpc-dialog-confirm").click()
    expect(frame.locator("#authorize-result")).to_have_text("1 authorize:ok")
    frame.locator("#get-setting").click()
    expect(frame.locator("#setting-result")).to_have_text('{"scope.userLocation":true}')
    frame.locator("#authorize").click()
    expect(frame.locator("#authorize-result")).to_have_text("2 authorize:ok")
    expect(dialog).to_have_count(0)

    # Revoked on the settings page: denied without asking.
    frame.locator("#open-setting").click()
    switch = page.locator(".mpc-settings-switch[data-id='scope.userLocation']")
    expect(switch).to_be_checked()
    switch.click()
    expect(switch).not_to_be_checked()
    expect(switch).to_be_enabled()
    page.locator(".mpc-settings-back").click()
    expect(frame.locator("#open-setting-result")).to_have_text('{"scope.userLocation":false}')
    frame.locator("#authorize").click()
    expect(frame.locator("#authorize-result")).to_have_text("3 authorize:fail auth deny")
    frame.locator("#get-location").click()
    expect(frame.locator("#location-result")).to_have_text("getLocation:fail auth deny")
    expect(dialog).to_have_count(0)

    # Turned back on from the capsule menu's Settings: getLocation answers the position.
    chrome(page, ".mpc-capsule-menu").click()
    page.locator(".mpc-menu-item", has_text="Settings").click()
    switch.click()
    expect(switch).to_be_checked()
    expect(switch).to_be_enabled()
    page.locator(".mpc-settings-back").click()
    frame.locator("#get-location").click()
    expect(frame.locator("#location-result")).to_have_text("getLocation:ok 31.2304,121.4737")

    # getUserProfile asks every time, with the app's words.
    frame.locator("#get-user-profile").click()
    expect(dialog).to_contain_text("Shows your name on your orders")
    dialog.locator(".mpc-dialog-confirm").click()
    expect(frame.locator("#profile-result")).to_have_text("getUserProfile:ok Cleo")

    # Me → Privacy lists the accesses, most recent first.
    page.goto(f"{runtime_platform.url}/#me/privacy")
    card = page.locator(f".privacy-app[data-appid='{runtime_platform.appids[APP]}']")
    expect(card.locator(".privacy-access")).to_have_count(2)
    expect(card.locator(".privacy-access").first).to_contain_text("Your profile")
    expect(card.locator(".privacy-access").last).to_contain_text("Use your location")


def test_signed_out_nothing_is_remembered(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, APP, path="pages/consent/consent")
    dialog = page.locator(".mpc-dialog")
    frame.locator("#authorize").click()
    dialog.locator(".mpc-dialog-confirm").click()
    expect(frame.locator("#authorize-result")).to_have_text("1 authorize:ok")
    frame.locator("#get-setting").click()
    expect(frame.locator("#setting-result")).to_have_text("{}")
    # Asked again: the answer was not kept.
    frame.locator("#authorize").click()
    dialog.locator(".mpc-dialog-cancel").click()
    expect(frame.locator("#authorize-result")).to_have_text("2 authorize:fail auth deny")


def test_an_app_in_the_background_cannot_read_the_location(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    # Granted the location, an app left in the background (kept for a hot start) could
    # otherwise follow the user from its logic layer while they use Discover or other apps.
    context = new_context()
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"latitude": 31.2304, "longitude": 121.4737})
    page = context.new_page()
    sign_up(page, runtime_platform, "wanderer@example.com")
    frame = runtime_platform.open(page, APP, path="pages/consent/consent")
    frame.locator("#authorize").click()
    page.locator(".mpc-dialog .mpc-dialog-confirm").click()
    expect(frame.locator("#authorize-result")).to_have_text("1 authorize:ok")
    # The app's logic layer: the worker whose page stack holds the consent page.
    probe = "() => typeof getCurrentPages === 'function' && getCurrentPages().length > 0"
    (logic,) = [worker for worker in page.workers if worker.evaluate(probe)]
    call = (
        "([api, args]) => self.MiniappWx.callHost(api, args)"
        ".then((r) => r.latitude, (e) => e.errMsg)"
    )
    assert logic.evaluate(call, ["getLocation", {"type": "wgs84"}]) == 31.2304  # on screen

    chrome(page, ".mpc-capsule-close").click()
    expect(page).to_have_url(f"{runtime_platform.url}/#discover")
    assert (
        logic.evaluate(call, ["getLocation", {"type": "wgs84"}])
        == "getLocation:fail app in background"
    )
