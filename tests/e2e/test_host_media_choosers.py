"""The choosers as a user meets them (docs/consent.md): wx.chooseImage / wx.chooseMedia from the
album (the browser's file chooser) or the camera (scope.camera asked once, a photo only when the
user taps the shutter), wx.chooseLocation behind scope.userLocation, wx.saveImageToPhotosAlbum
behind scope.writePhotosAlbum (a download), and Me → Privacy listing what the app took.

The apis example's choosers page makes the calls. The camera is Chromium's fake capture device
(a browser launched for this module with the fake-device flags; it is the only one used here).
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from PIL import Image
from playwright.sync_api import (
    Browser,
    Download,
    FilePayload,
    FrameLocator,
    Locator,
    Page,
    expect,
)

from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.conftest import NewContext, RuntimePlatform, chrome, current_page

APP = "apis"
PAGE = "pages/choosers/choosers"
CAMERA_REASON = "Takes the photo of your receipt"
ALBUM_REASON = "Saves your receipt to your photos"
LOCATION_REASON = "Shows the cafés near you"


@pytest.fixture(scope="module")
def camera_browser(browser: Browser) -> Iterator[Browser]:
    """A Chromium with a fake camera, allowed without a prompt (the same Playwright as the
    session's browser: one process may run only one)."""
    launched = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
        ],
    )
    yield launched
    launched.close()


@pytest.fixture
def contexts(camera_browser: Browser) -> Iterator[NewContext]:
    maker = NewContext(camera_browser)
    yield maker
    for context in maker.contexts:
        context.close()
    assert not maker.problems, "\n".join(maker.problems)


def png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


RED = png(40, 30, (220, 30, 30))
BLUE = png(24, 64, (30, 30, 220))
GREEN = png(10, 10, (30, 200, 30))


def payload(name: str, data: bytes) -> FilePayload:
    return FilePayload(name=name, mimeType="image/png", buffer=data)


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


def open_choosers(
    platform: RuntimePlatform, contexts: NewContext, login: str, **options: object
) -> tuple[Page, FrameLocator]:
    context = contexts(**options)
    page = context.new_page()
    sign_up(page, platform, login)
    frame = platform.open(page, APP, path=PAGE)
    expect(frame.locator("#can-i-use")).not_to_be_empty()
    return page, frame


def answer_consent(page: Page, *, scope_text: str, reason: str, allow: bool) -> None:
    dialog = page.locator(".mpc-dialog")
    expect(dialog).to_contain_text(scope_text)
    expect(dialog).to_contain_text(reason)
    dialog.locator(".mpc-dialog-confirm" if allow else ".mpc-dialog-cancel").click()
    expect(dialog).to_have_count(0)


def camera(page: Page) -> Locator:
    return page.get_by_role("dialog", name="Camera", exact=True)


def shows_image(frame: FrameLocator, index: int, width: int, height: int) -> None:
    image = frame.locator(f"#chosen-{index} img")
    expect(image).to_have_js_property("naturalWidth", width)
    expect(image).to_have_js_property("naturalHeight", height)


def set_camera(page: Page, *, on: bool) -> None:
    """Turns scope.camera on or off on the settings page (the capsule menu's Settings)."""
    chrome(page, ".mpc-capsule-menu").click()
    page.locator(".mpc-menu-item", has_text="Settings").click()
    switch = page.locator(".mpc-settings-switch[data-id='scope.camera']")
    switch.set_checked(on)
    expect(switch).to_be_enabled()
    page.locator(".mpc-settings-back").click()


def test_album_picks_become_temp_files_saved_back_with_consent_and_shown_on_privacy(
    runtime_platform: RuntimePlatform, contexts: NewContext
) -> None:
    page, frame = open_choosers(runtime_platform, contexts, "album@example.com")
    assert frame.locator("#can-i-use").text_content() == (
        '{"chooseImage":true,"chooseMedia":true,"chooseLocation":true,'
        '"saveImageToPhotosAlbum":true}'
    )

    # The tap opens the browser's chooser for images, several at once; only `count` (2) are kept.
    with page.expect_file_chooser() as chosen:
        frame.locator("#choose-album").click()
    chooser = chosen.value
    assert chooser.is_multiple()
    assert chooser.element.get_attribute("accept") == "image/*"
    chooser.set_files([payload("red.png", RED), payload("blue.png", BLUE), payload("g.png", GREEN)])
    expect(frame.locator("#image-result")).to_have_text("1 chooseImage:ok 2")
    # Each temp file's size as chooseImage gave it, and as wx.getFileInfo measures it.
    expect(frame.locator("#sizes")).to_have_text(f"{len(RED)}={len(RED)} {len(BLUE)}={len(BLUE)}")
    shows_image(frame, 0, 40, 30)
    shows_image(frame, 1, 24, 64)

    # chooseMedia: the file's kind and size.
    with page.expect_file_chooser() as chosen:
        frame.locator("#choose-media").click()
    chosen.value.set_files([payload("green.png", GREEN)])
    expect(frame.locator("#media-result")).to_have_text(
        f"1 chooseMedia:ok image image 10x10 {len(GREEN)}"
    )
    shows_image(frame, 0, 10, 10)

    # Saving the image asks scope.writePhotosAlbum once with the app's reason; the browser
    # downloads the very bytes.
    with page.expect_download() as downloaded:
        frame.locator("#save-image").click()
        answer_consent(page, scope_text="Save to your photo album", reason=ALBUM_REASON, allow=True)
    expect(frame.locator("#save-result")).to_have_text("1 saveImageToPhotosAlbum:ok")
    download = downloaded.value
    assert download.suggested_filename.endswith(".png")
    with open(download.path(), "rb") as saved:
        assert saved.read() == GREEN
    with page.expect_download():
        frame.locator("#save-image").click()
    expect(frame.locator("#save-result")).to_have_text("2 saveImageToPhotosAlbum:ok")
    expect(page.locator(".mpc-dialog")).to_have_count(0)

    # Me → Privacy: the album picks and the saves.
    page.goto(f"{runtime_platform.url}/#me/privacy")
    card = page.locator(f".privacy-app[data-appid='{runtime_platform.appids[APP]}']")
    accesses = card.locator(".privacy-access")
    expect(accesses).to_have_count(4)
    expect(accesses.nth(0)).to_contain_text("Save to your photo album")
    expect(accesses.nth(2)).to_contain_text("Picked from your album")
    expect(accesses.nth(3)).to_contain_text("Picked from your album")


def test_saving_is_refused_when_denied_and_not_asked_again(
    runtime_platform: RuntimePlatform, contexts: NewContext
) -> None:
    page, frame = open_choosers(runtime_platform, contexts, "nosave@example.com")
    # Nothing chosen yet: there is no file to save.
    frame.locator("#save-image").click()
    expect(frame.locator("#save-result")).to_have_text(
        "1 saveImageToPhotosAlbum:fail file not found"
    )

    with page.expect_file_chooser() as chosen:
        frame.locator("#choose-album").click()
    chosen.value.set_files([payload("red.png", RED)])
    expect(frame.locator("#image-result")).to_have_text("1 chooseImage:ok 1")
    downloads: list[Download] = []

    def downloaded(download: Download) -> None:  # Playwright wraps only Python functions
        downloads.append(download)

    page.on("download", downloaded)
    frame.locator("#save-image").click()
    answer_consent(page, scope_text="Save to your photo album", reason=ALBUM_REASON, allow=False)
    expect(frame.locator("#save-result")).to_have_text("2 saveImageToPhotosAlbum:fail auth deny")
    frame.locator("#save-image").click()
    expect(frame.locator("#save-result")).to_have_text("3 saveImageToPhotosAlbum:fail auth deny")
    expect(page.locator(".mpc-dialog")).to_have_count(0)
    assert downloads == []


def test_the_camera_asks_once_takes_a_photo_on_the_shutter_and_follows_the_settings(
    runtime_platform: RuntimePlatform, contexts: NewContext
) -> None:
    page, frame = open_choosers(runtime_platform, contexts, "camera@example.com")
    result = frame.locator("#image-result")

    # Denied: the camera never opens, and the answer is remembered.
    frame.locator("#choose-camera").click()
    answer_consent(page, scope_text="Use your camera", reason=CAMERA_REASON, allow=False)
    expect(result).to_have_text("1 chooseImage:fail auth deny")
    frame.locator("#choose-camera").click()
    expect(result).to_have_text("2 chooseImage:fail auth deny")
    expect(page.locator(".mpc-dialog")).to_have_count(0)
    expect(page.locator(".mpc-camera")).to_have_count(0)
    assert page.evaluate("document.querySelectorAll('video').length") == 0

    # Turned on in the settings: the camera sheet; the photo is taken by the user's tap only.
    set_camera(page, on=True)
    frame.locator("#choose-camera").click()
    sheet = camera(page)
    expect(sheet).to_be_visible()
    expect(page.locator(".mpc-dialog")).to_have_count(0)
    shutter = sheet.get_by_role("button", name="Take the photo")
    expect(shutter).to_be_enabled()
    expect(result).to_have_text("2 chooseImage:fail auth deny")  # no answer while it is up
    shutter.click()
    expect(result).to_have_text("3 chooseImage:ok 1")
    expect(page.locator(".mpc-camera")).to_have_count(0)
    size = frame.locator("#sizes").text_content() or ""
    given, measured = size.split("=")
    assert given == measured and int(given) > 0
    image = frame.locator("#chosen-0 img")
    expect(image).not_to_have_js_property("naturalWidth", 0)
    # The camera is let go with the sheet.
    assert page.evaluate("document.querySelectorAll('video').length") == 0

    # Both sources: WeChat's sheet; the camera is not asked again; Cancel is `fail cancel`.
    frame.locator("#choose-either").click()
    page.locator(".mpc-sheet-item", has_text="Take photo").click()
    expect(page.locator(".mpc-dialog")).to_have_count(0)
    camera(page).get_by_role("button", name="Cancel").click()
    expect(result).to_have_text("4 chooseImage:fail cancel")
    assert page.evaluate("document.querySelectorAll('video').length") == 0

    # Revoked in the settings: refused again, without asking.
    set_camera(page, on=False)
    frame.locator("#choose-camera").click()
    expect(result).to_have_text("5 chooseImage:fail auth deny")
    expect(page.locator(".mpc-camera")).to_have_count(0)

    page.goto(f"{runtime_platform.url}/#me/privacy")
    card = page.locator(f".privacy-app[data-appid='{runtime_platform.appids[APP]}']")
    expect(card.locator(".privacy-access")).to_have_count(2)
    expect(card.locator(".privacy-access").first).to_contain_text("Use your camera")


def test_an_app_in_the_background_cannot_open_the_camera(
    runtime_platform: RuntimePlatform, contexts: NewContext
) -> None:
    # Granted the camera, an app left in the background (kept for a hot start) could otherwise
    # put the camera up over Discover or over the app the user went on to.
    page = contexts().new_page()
    sign_up(page, runtime_platform, "hidden@example.com")
    page.goto(f"{runtime_platform.url}/#discover")
    expect(page.locator("#app-list .app-entry").first).to_be_visible()
    frame = runtime_platform.open(page, APP, path=PAGE)
    frame.locator("#choose-camera").click()
    answer_consent(page, scope_text="Use your camera", reason=CAMERA_REASON, allow=True)
    camera(page).get_by_role("button", name="Cancel").click()
    expect(frame.locator("#image-result")).to_have_text("1 chooseImage:fail cancel")

    # Open when the user goes elsewhere (the browser's back to Discover): the sheet closes and
    # the camera stops.
    frame.locator("#choose-camera").click()
    expect(camera(page).get_by_role("button", name="Take the photo")).to_be_enabled()
    page.go_back()
    expect(page).to_have_url(f"{runtime_platform.url}/#discover")
    expect(page.locator(".mpc-camera")).to_have_count(0)
    assert page.evaluate("document.querySelectorAll('video').length") == 0
    entry = page.locator(f"#app-list .app-entry[data-appid='{runtime_platform.appids[APP]}']")
    entry.click()  # a hot start onto the page it was left on
    frame = current_page(page)
    expect(frame.locator("#image-result")).to_have_text("2 chooseImage:fail app in background")

    frame.locator("#camera-hidden").click()
    expect(frame.locator("#hidden-result")).to_have_text("armed")
    chrome(page, ".mpc-capsule-close").click()
    expect(page).to_have_url(f"{runtime_platform.url}/#discover")
    expect(page.locator(".mpc-camera")).to_have_count(0)
    assert page.evaluate("document.querySelectorAll('video').length") == 0
    entry.click()
    expect(current_page(page).locator("#hidden-result")).to_have_text(
        "chooseImage:fail app in background"
    )
    expect(page.locator(".mpc-camera")).to_have_count(0)


def test_choose_location_asks_for_location_and_gives_the_place_the_user_picks(
    runtime_platform: RuntimePlatform, contexts: NewContext
) -> None:
    page, frame = open_choosers(
        runtime_platform,
        contexts,
        "place@example.com",
        permissions=["geolocation"],
        geolocation={"latitude": 31.2304, "longitude": 121.4737},
    )
    result = frame.locator("#location-result")
    frame.locator("#choose-location").click()
    answer_consent(page, scope_text="Use your location", reason=LOCATION_REASON, allow=True)
    sheet = page.get_by_role("dialog", name="Choose location", exact=True)
    # The app's starting point is filled in; Cancel is `fail cancel`.
    expect(sheet.get_by_label("Latitude")).to_have_value("39.9042")
    expect(sheet.get_by_label("Longitude")).to_have_value("116.4074")
    sheet.get_by_role("button", name="Cancel").click()
    expect(result).to_have_text("1 chooseLocation:fail cancel")

    # Not asked again; the user's current position, named by them.
    frame.locator("#choose-location").click()
    expect(sheet).to_be_visible()
    expect(page.locator(".mpc-dialog")).to_have_count(0)
    sheet.get_by_label("Latitude").fill("91")
    sheet.get_by_role("button", name="Done").click()
    expect(sheet.get_by_role("alert")).to_contain_text("latitude from -90 to 90")
    sheet.get_by_role("button", name="Use my current position").click()
    expect(sheet.get_by_label("Latitude")).to_have_value("31.2304")
    expect(sheet.get_by_label("Name")).to_have_value("Current position")
    sheet.get_by_label("Address").fill("People's Square")
    sheet.get_by_role("button", name="Done").click()
    expect(result).to_have_text(
        "2 chooseLocation:ok Current position | People's Square | 31.2304,121.4737"
    )
    expect(sheet).to_have_count(0)

    page.goto(f"{runtime_platform.url}/#me/privacy")
    card = page.locator(f".privacy-app[data-appid='{runtime_platform.appids[APP]}']")
    expect(card.locator(".privacy-access")).to_have_count(1)
    expect(card.locator(".privacy-access")).to_contain_text("Use your location")


def test_choose_location_denied_is_remembered(
    runtime_platform: RuntimePlatform, contexts: NewContext
) -> None:
    page, frame = open_choosers(runtime_platform, contexts, "noplace@example.com")
    result = frame.locator("#location-result")
    frame.locator("#choose-location").click()
    answer_consent(page, scope_text="Use your location", reason=LOCATION_REASON, allow=False)
    expect(result).to_have_text("1 chooseLocation:fail auth deny")
    frame.locator("#choose-location").click()
    expect(result).to_have_text("2 chooseLocation:fail auth deny")
    expect(page.locator(".mpc-dialog")).to_have_count(0)
    expect(page.get_by_role("dialog", name="Choose location", exact=True)).to_have_count(0)
