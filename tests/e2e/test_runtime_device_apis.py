"""Device, host UI and system wx APIs in the browser runtime, on examples/apis.

Each page of the example prints what its APIs answered (`.result` readouts, as JSON), so these
tests act as a user (taps inside the page's view frame, the host's sheets and viewer, the browser
going offline, the system switching to dark mode) and check what the user sees in the chrome and
what the app's callbacks received, against WeChat's documented shapes and errMsg texts.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import NewContext, RuntimePlatform, chrome, current_page, open_example_page
from tests.e2e.gestures import readout

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "apis"
NETWORK_TYPES = {"wifi", "2g", "3g", "4g", "5g", "unknown", "none"}


# --- clipboard ----------------------------------------------------------------------------------


def test_clipboard_round_trip_shows_the_toast(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "apis", "clipboard")
    frame.locator("#copy").click()
    expect(frame.locator("#set-result")).to_have_text('{"errMsg":"setClipboardData:ok"}')
    # WeChat's toast after a copy: "内容已复制" ("Content copied" in English).
    toast = chrome(page, ".mpc-toast-layer")
    expect(toast).to_be_visible()
    expect(chrome(page, ".mpc-toast-text")).to_have_text("Content copied")
    expect(toast).to_be_hidden()
    frame.locator("#paste").click()
    assert readout(frame.locator("#get-result")) == {
        "errMsg": "getClipboardData:ok",
        "data": "Hello 小程序",
    }

    # What the user typed is what comes back.
    frame.locator("#text input").fill("copied by the user")
    frame.locator("#copy").click()
    expect(chrome(page, ".mpc-toast-text")).to_have_text("Content copied")
    frame.locator("#paste").click()
    expect(frame.locator("#get-result")).to_contain_text("copied by the user")

    frame.locator("#copy-number").click()
    assert readout(frame.locator("#bad-result")) == {
        "errMsg": "setClipboardData:fail parameter error: parameter.data should be String "
        "instead of Number;"
    }


# --- phone --------------------------------------------------------------------------------------


def test_make_phone_call_sheet_shows_the_number_and_cancel_fails(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "apis", "phone")
    frame.locator("#call").click()
    sheet = chrome(page, ".mpc-sheet")
    expect(sheet).to_be_visible()
    expect(sheet.locator(".mpc-sheet-title")).to_have_text("+86 138-0013-8000")
    call = sheet.locator("a.mpc-phone-call")
    expect(call).to_have_text("Call +86 138-0013-8000")
    expect(call).to_have_attribute("href", "tel:+8613800138000")
    sheet.locator(".mpc-sheet-cancel").click()
    expect(sheet).to_be_hidden()
    assert readout(frame.locator("#call-result")) == {"errMsg": "makePhoneCall:fail cancel"}

    # A number that is not one opens nothing.
    frame.locator("#call-bad").click()
    assert readout(frame.locator("#bad-result")) == {
        "errMsg": "makePhoneCall:fail invalid phone number"
    }
    expect(sheet).to_have_count(0)

    # Escape cancels too; the Call action succeeds (the tel: link goes to the phone's dialer;
    # a desktop browser without a handler may say so in the console). Last: what a headless
    # browser does after an external protocol link is not part of the test.
    new_context.expect_console_error("tel:")
    frame.locator("#call").click()
    expect(sheet).to_be_visible()
    page.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
    expect(frame.locator("#call-result")).to_have_text('{"errMsg":"makePhoneCall:fail cancel"}')
    frame.locator("#call").click()
    sheet.locator("a.mpc-phone-call").click()
    expect(sheet).to_be_hidden()
    expect(frame.locator("#call-result")).to_have_text('{"errMsg":"makePhoneCall:ok"}')


# --- network ------------------------------------------------------------------------------------


def test_network_status_follows_the_browser_going_offline(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "apis", "network-status")
    frame.locator("#get-type").click()
    online = readout(frame.locator("#type"))
    assert isinstance(online, dict)
    assert online["errMsg"] == "getNetworkType:ok"
    assert online["networkType"] in NETWORK_TYPES - {"none"}
    assert isinstance(online["signalStrength"], int)
    assert online["hasSystemProxy"] is False

    page.context.set_offline(True)
    expect(frame.locator("#count")).to_have_text("1")
    assert readout(frame.locator("#last")) == {"isConnected": False, "networkType": "none"}
    frame.locator("#get-type").click()
    expect(frame.locator("#type")).to_contain_text('"networkType":"none"')

    page.context.set_offline(False)
    expect(frame.locator("#count")).to_have_text("2")
    back = readout(frame.locator("#last"))
    assert isinstance(back, dict)
    assert back["isConnected"] is True
    assert back["networkType"] in NETWORK_TYPES - {"none"}


# --- previewImage -------------------------------------------------------------------------------


def test_preview_image_opens_at_current_pages_and_closes(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "apis", "preview")
    frame.locator("#thumb-1").click()
    viewer = chrome(page, ".mpc-preview")
    expect(viewer).to_be_visible()
    image = viewer.locator(".mpc-preview-image")
    counter = viewer.locator(".mpc-preview-counter")
    expect(counter).to_have_text("2 / 3")
    # The second image (green.png, 100×200) is the one shown: `current` picked it.
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 100 && img.naturalHeight === 200",
        arg=image.element_handle(),
    )
    assert readout(frame.locator("#result")) == {"errMsg": "previewImage:ok"}

    viewer.locator(".mpc-preview-next").click()
    expect(counter).to_have_text("3 / 3")
    expect(viewer.locator(".mpc-preview-next")).to_be_hidden()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 150", arg=image.element_handle()
    )
    page.keyboard.press("ArrowLeft")
    expect(counter).to_have_text("2 / 3")

    # A swipe to the right goes back one more.
    box = viewer.bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x - 60, y)
    page.mouse.down()
    for step in range(1, 9):
        page.mouse.move(x - 60 + step * 15, y)
    page.mouse.up()
    expect(counter).to_have_text("1 / 3")
    expect(viewer.locator(".mpc-preview-previous")).to_be_hidden()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 200 && img.naturalHeight === 100",
        arg=image.element_handle(),
    )

    # A tap closes it.
    page.mouse.click(x, y)
    expect(viewer).to_have_count(0)

    frame.locator("#preview-bad").click()
    assert readout(frame.locator("#bad-result")) == {
        "errMsg": "previewImage:fail parameter error: parameter.urls should be Array instead of "
        "String;"
    }
    expect(viewer).to_have_count(0)


# --- tab bar ------------------------------------------------------------------------------------


def test_tab_bar_apis_change_the_bar(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "apis", "tabbar")
    bar = chrome(page, ".mpc-tabbar")
    expect(bar).to_be_visible()
    tabs = bar.locator(".mpc-tab")
    expect(tabs).to_have_count(2)
    ok = frame.locator("#result")

    frame.locator("#badge").click()
    expect(ok).to_have_text('{"errMsg":"setTabBarBadge:ok"}')
    expect(tabs.nth(0).locator(".mpc-badge")).to_have_text("3")
    frame.locator("#long-badge").click()
    expect(tabs.nth(0).locator(".mpc-badge")).to_have_text("...")  # more than 4 characters
    frame.locator("#remove-badge").click()
    expect(ok).to_have_text('{"errMsg":"removeTabBarBadge:ok"}')
    expect(tabs.nth(0).locator(".mpc-badge")).to_have_count(0)

    frame.locator("#dot").click()
    expect(ok).to_have_text('{"errMsg":"showTabBarRedDot:ok"}')
    expect(tabs.nth(1).locator(".mpc-dot")).to_be_visible()
    frame.locator("#hide-dot").click()
    expect(ok).to_have_text('{"errMsg":"hideTabBarRedDot:ok"}')
    expect(tabs.nth(1).locator(".mpc-dot")).to_have_count(0)

    frame.locator("#item").click()
    expect(ok).to_have_text('{"errMsg":"setTabBarItem:ok"}')
    expect(tabs.nth(0).locator(".mpc-tab-label")).to_have_text("Home")

    frame.locator("#style").click()
    expect(ok).to_have_text('{"errMsg":"setTabBarStyle:ok"}')
    expect(bar).to_have_css("background-color", "rgb(255, 255, 0)")
    expect(bar).to_have_attribute("data-border", "white")
    expect(tabs.nth(0)).to_have_css("color", "rgb(255, 0, 0)")
    expect(tabs.nth(1)).to_have_css("color", "rgb(0, 0, 255)")  # the selected tab

    frame.locator("#hide").click()
    expect(ok).to_have_text('{"errMsg":"hideTabBar:ok"}')
    expect(bar).to_be_hidden()
    frame.locator("#show").click()
    expect(ok).to_have_text('{"errMsg":"showTabBar:ok"}')
    expect(bar).to_be_visible()

    frame.locator("#bad-index").click()
    expect(ok).to_have_text('{"errMsg":"setTabBarBadge:fail tabbar item not found"}')
    frame.locator("#no-text").click()
    expect(ok).to_have_text(
        '{"errMsg":"setTabBarBadge:fail parameter error: parameter.text should be String '
        'instead of Undefined;"}'
    )


# --- window background and navigation bar loading ----------------------------------------------


def test_background_color_text_style_and_navigation_bar_loading(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "apis", "background")
    html = frame.locator("html")
    expect(html).to_have_css("background-color", "rgb(238, 238, 238)")  # the page's json

    frame.locator("#set-colors").click()
    expect(frame.locator("#color-result")).to_have_text('{"errMsg":"setBackgroundColor:ok"}')
    # Below the page: backgroundColorBottom; the pull-down area: backgroundColorTop.
    expect(html).to_have_css("background-color", "rgb(0, 0, 255)")
    frame.locator("#refresh").click()
    area = frame.locator(".wx-page-refresh")
    expect(area).to_have_css("background-color", "rgb(0, 255, 0)")
    expect(area).not_to_have_class(re.compile(r"wx-light"))
    frame.locator("#light-text").click()
    expect(frame.locator("#text-result")).to_have_text('{"errMsg":"setBackgroundTextStyle:ok"}')
    expect(area).to_have_class(re.compile(r"wx-light"))
    frame.locator("#stop-refresh").click()

    frame.locator("#bad-color").click()
    assert readout(frame.locator("#bad-color-result")) == {
        "errMsg": 'setBackgroundColor:fail invalid backgroundColor "url(javascript:alert(1))"'
    }
    expect(html).to_have_css("background-color", "rgb(0, 0, 255)")
    frame.locator("#bad-text").click()
    assert readout(frame.locator("#bad-text-result")) == {
        "errMsg": 'setBackgroundTextStyle:fail invalid textStyle "purple"'
    }

    spinner = chrome(page, ".mpc-nav-spinner")
    expect(spinner).to_be_hidden()
    frame.locator("#show-loading").click()
    expect(frame.locator("#loading-result")).to_have_text(
        '{"errMsg":"showNavigationBarLoading:ok"}'
    )
    expect(spinner).to_be_visible()
    frame.locator("#hide-loading").click()
    expect(frame.locator("#loading-result")).to_have_text(
        '{"errMsg":"hideNavigationBarLoading:ok"}'
    )
    expect(spinner).to_be_hidden()

    # Tab bar APIs answer only on a tab page.
    frame.locator("#tab-badge").click()
    expect(frame.locator("#tab-result")).to_have_text(
        '{"errMsg":"setTabBarBadge:fail not TabBar page"}'
    )


# --- dark mode ----------------------------------------------------------------------------------


def test_dark_mode_resolves_theme_json_and_follows_the_system(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(
        runtime_platform, new_context, "apis", "theme", color_scheme="light"
    )
    nav = chrome(page, ".mpc-nav")
    # app.json's "@navBackground" / "@navText" from theme.json's light set.
    expect(nav).to_have_css("background-color", "rgb(247, 247, 247)")
    expect(nav).to_have_css("color", "rgb(0, 0, 0)")
    expect(frame.locator("#theme")).to_have_text("light")
    expect(frame.locator("#launch-theme")).to_have_text("light")
    box = frame.locator("#themed-box")
    expect(box).to_have_css("background-color", "rgb(255, 255, 255)")
    expect(frame.locator("html")).to_have_css("background-color", "rgb(247, 247, 247)")

    page.emulate_media(color_scheme="dark")
    expect(frame.locator("#changes")).to_have_text('{"theme":"dark"}')
    expect(frame.locator("#theme")).to_have_text("dark")
    expect(frame.locator("#app-changes")).to_have_text("dark")
    expect(nav).to_have_css("background-color", "rgb(25, 25, 25)")
    expect(nav).to_have_css("color", "rgb(255, 255, 255)")
    # The page's WXSS @media (prefers-color-scheme: dark) applies in its view frame, and the
    # window background comes from the dark set.
    expect(box).to_have_css("background-color", "rgb(0, 0, 0)")
    expect(frame.locator("html")).to_have_css("background-color", "rgb(17, 17, 17)")

    page.emulate_media(color_scheme="light")
    expect(frame.locator("#changes")).to_have_text('{"theme":"dark"}{"theme":"light"}')
    expect(frame.locator("#app-changes")).to_have_text("dark,light")
    expect(nav).to_have_css("background-color", "rgb(247, 247, 247)")
    expect(box).to_have_css("background-color", "rgb(255, 255, 255)")


def test_dark_mode_at_launch_styles_the_tab_bar(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(
        runtime_platform, new_context, "apis", "tabbar", color_scheme="dark"
    )
    expect(frame.locator("#result")).to_be_attached()
    bar = chrome(page, ".mpc-tabbar")
    expect(bar).to_have_css("background-color", "rgb(25, 25, 25)")
    expect(bar.locator(".mpc-tab").nth(0)).to_have_css("color", "rgb(160, 160, 160)")
    expect(bar.locator(".mpc-tab").nth(1)).to_have_css("color", "rgb(7, 193, 96)")
    expect(chrome(page, ".mpc-nav")).to_have_css("background-color", "rgb(25, 25, 25)")
    # Back to light: the theme's colours replace the bar's; a badge set meanwhile stays.
    frame.locator("#badge").click()
    page.emulate_media(color_scheme="light")
    expect(bar).to_have_css("background-color", "rgb(255, 255, 255)")
    expect(bar.locator(".mpc-tab").nth(0)).to_have_css("color", "rgb(122, 126, 131)")
    expect(bar.locator(".mpc-badge")).to_have_text("3")


# --- system information, canIUse, unsupported APIs ---------------------------------------------


def test_system_info_fields_can_i_use_and_unsupported_apis(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(
        runtime_platform, new_context, "apis", "system", color_scheme="light"
    )
    info = readout(frame.locator("#sync"))
    assert isinstance(info, dict)
    for key in ("brand", "model", "system", "platform", "language", "version", "SDKVersion"):
        assert isinstance(info[key], str) and info[key], key
    assert info["language"] == "en"
    assert re.fullmatch(r"\d+\.\d+\.\d+", info["SDKVersion"])
    assert info["theme"] == "light"  # app.json has darkmode: true
    assert info["pixelRatio"] > 0
    assert info["fontSizeSetting"] > 0
    assert 0 < info["windowWidth"] <= info["screenWidth"]
    assert 0 < info["windowHeight"] <= info["screenHeight"]
    assert info["statusBarHeight"] >= 0
    safe = info["safeArea"]
    assert 0 <= safe["left"] < safe["right"] <= info["screenWidth"]
    assert 0 <= safe["top"] < safe["bottom"] <= info["screenHeight"]
    assert safe["width"] == safe["right"] - safe["left"]
    assert safe["height"] == safe["bottom"] - safe["top"]
    assert safe["top"] >= info["statusBarHeight"]
    assert info["deviceOrientation"] == "portrait"
    assert info["cameraAuthorized"] is False

    async_info = readout(frame.locator("#async"))
    assert isinstance(async_info, dict)
    assert async_info["errMsg"] == "getSystemInfo:ok"
    assert async_info["screenWidth"] == info["screenWidth"]

    window = readout(frame.locator("#window"))
    assert isinstance(window, dict)
    assert set(window) == {
        "pixelRatio",
        "screenWidth",
        "screenHeight",
        "windowWidth",
        "windowHeight",
        "statusBarHeight",
        "safeArea",
        "screenTop",
    }
    device = readout(frame.locator("#device"))
    assert isinstance(device, dict)
    assert {"brand", "model", "system", "platform", "benchmarkLevel"} <= set(device)
    app_base = readout(frame.locator("#app-base"))
    assert isinstance(app_base, dict)
    assert {"SDKVersion", "language", "version", "theme", "fontSizeSetting"} <= set(app_base)
    assert "windowWidth" not in app_base
    setting = readout(frame.locator("#setting"))
    assert setting == {
        "bluetoothEnabled": False,
        "locationEnabled": False,
        "wifiEnabled": True,
        "deviceOrientation": "portrait",
    }
    authorize = readout(frame.locator("#authorize"))
    assert isinstance(authorize, dict)
    assert authorize["cameraAuthorized"] == "not determined"

    account = readout(frame.locator("#account"))
    assert account == {
        "miniProgram": {
            "appId": runtime_platform.appids["apis"],
            "envVersion": "release",
            "version": "1.0.0",  # the demo releases every example as version 1.0.0
        },
        "plugin": {},
    }
    menu = readout(frame.locator("#menu"))
    assert isinstance(menu, dict)
    assert menu["top"] >= info["statusBarHeight"]
    assert 0 < menu["left"] < menu["right"] <= info["screenWidth"]

    assert readout(frame.locator("#can-i-use")) == {
        "getSystemInfo": True,
        "getSystemInfo.success.theme": True,
        "getSystemInfoSync.return.safeArea.left": True,
        "getSystemInfo.success.noSuchField": False,
        "setClipboardData.object.data": True,
        "setBackgroundTextStyle.object.textStyle.light": True,
        "setBackgroundTextStyle.object.textStyle.purple": False,
        "onThemeChange.callback.theme": True,
        "getNetworkType.success.networkType": True,
        "getUpdateManager": True,
        "previewImage": True,
        "scanCode": True,
        "noSuchApi": False,
        "button.open-type.share": True,
    }

    frame.locator("#unsupported").click()
    assert readout(frame.locator("#unsupported-result")) == {
        "errMsg": "requestPayment:fail not supported"
    }
    frame.locator("#vibrate").click()
    assert readout(frame.locator("#vibrate-result")) == [
        {"errMsg": "vibrateShort:ok"},
        {"errMsg": "vibrateLong:ok"},
        {"errMsg": 'vibrateShort:fail invalid type "strong"'},
    ]
    frame.locator("#keep-on").click()
    assert readout(frame.locator("#keep-result")) == {"errMsg": "setKeepScreenOn:ok"}


# --- getUpdateManager ---------------------------------------------------------------------------


def test_update_manager_finds_a_new_release_and_applies_it(
    runtime_platform: RuntimePlatform, new_context: NewContext, tmp_path: Path
) -> None:
    from miniapp.apps.bundles import do_store_bundle
    from miniapp.apps.registry import do_release_bundle, find_app
    from miniapp.compiler.build import compile_project

    # Its own app (a copy of the example opening on the update page), so the new release
    # changes nothing for the other tests.
    folder = tmp_path / "apis"
    shutil.copytree(EXAMPLE, folder)
    app_json = json.loads((folder / "app.json").read_text())
    app_json["entryPagePath"] = "pages/update/update"
    (folder / "app.json").write_text(json.dumps(app_json))
    appid = runtime_platform.register(f"apis-update-{tmp_path.name}", folder)

    context = new_context()
    page = context.new_page()
    page.goto(f"{runtime_platform.url}/#app/{appid}")
    frame = current_page(page)
    expect(frame.locator("#version")).to_have_text("1")
    expect(frame.locator("#check")).to_have_text('{"hasUpdate":false}')
    expect(frame.locator("#ready")).to_be_empty()

    # A new version is released; the next launch starts from the cached launch information
    # (the old version) and the update check finds the new one.
    update_js = folder / "pages" / "update" / "update.js"
    update_js.write_text(
        update_js.read_text().replace("const VERSION = '1';", "const VERSION = '2';")
    )
    compiled = compile_project(folder)
    assert compiled.bundle is not None
    bundle_id = do_store_bundle(runtime_platform.store, compiled.bundle)
    with runtime_platform.database.transaction() as session:
        app = find_app(session, appid=appid)
        assert app is not None
        do_release_bundle(session, app=app, bundle_id=bundle_id)

    page.close()
    page = context.new_page()
    page.goto(f"{runtime_platform.url}/#app/{appid}")
    frame = current_page(page)
    expect(frame.locator("#version")).to_have_text("1")
    expect(frame.locator("#check")).to_have_text('{"hasUpdate":true}')
    expect(frame.locator("#ready")).to_have_text("ready")
    expect(frame.locator("#failed")).to_be_empty()

    # The tap restarts the app: its frames go away while Playwright would still be waiting
    # after the click.
    frame.locator("#apply").click(no_wait_after=True)
    frame = current_page(page)
    expect(frame.locator("#version")).to_have_text("2")
    expect(frame.locator("#check")).to_have_text('{"hasUpdate":false}')
