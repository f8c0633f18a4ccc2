"""Built-in components in the browser runtime, on examples/components (one page per component).

Each page of the example shows what its component's attributes and events did (`.result`
readouts), so these tests act as a user (clicks, presses, typing, wheel and drags inside the
page's view frame) and read what the user sees: texts, classes, computed styles and sizes.
"""

from __future__ import annotations

import json
import re
import time

from playwright.sync_api import FrameLocator, Locator, Page, expect

from tests.e2e.conftest import NewContext, RuntimePlatform, chrome, current_page, open_example_page
from tests.e2e.gestures import center, css, drag, readout, size

GREEN = "rgb(26, 173, 25)"
YELLOW = "rgb(255, 195, 0)"


# --- view -----------------------------------------------------------------------------------


def test_view_hover_class_and_hover_stop_propagation(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "view")
    box = frame.locator("#hover-box")
    expect(box).to_have_class("box")
    # Press and hold: the hover class comes after hover-start-time (50 ms) and stays while held.
    page.mouse.move(*center(box))
    page.mouse.down()
    expect(box).to_have_class("box box-hover")
    expect(box).to_have_css("background-color", GREEN)
    expect(box).to_have_css("color", "rgb(255, 255, 255)")
    page.mouse.up()
    expect(frame.locator("#hover-taps")).to_have_text("1")
    # ... and goes hover-stay-time (400 ms) after release.
    expect(box).to_have_class("box")
    expect(box).not_to_have_css("background-color", GREEN)

    # hover-class="none" adds nothing: pressed and released just before #hover-box, whose class
    # comes 50 ms after its press, while "none" would have kept one for 400 ms after release.
    none = frame.locator("#hover-none")
    page.mouse.move(*center(none))
    page.mouse.down()
    page.mouse.up()
    page.mouse.move(*center(box))
    page.mouse.down()
    expect(box).to_have_class("box box-hover")
    expect(none).to_have_class("box")
    page.mouse.up()
    expect(frame.locator("#hover-taps")).to_have_text("2")

    # hover-stay-time 2000: the class stays about two seconds after release.
    fast = frame.locator("#hover-fast")
    page.mouse.move(*center(fast))
    page.mouse.down()
    expect(fast).to_have_class("box box-hover")
    page.mouse.up()
    released = time.monotonic()
    expect(fast).to_have_class("box box-hover")
    expect(fast).to_have_class("box")
    assert time.monotonic() - released > 1.5

    # hover-stop-propagation: the inner box gets its hover class, the outer one does not.
    outer = frame.locator("#hover-outer")
    inner = frame.locator("#hover-inner")
    page.mouse.move(*center(inner))
    page.mouse.down()
    expect(inner).to_have_class("box inner box-hover")
    page.mouse.up()
    # (On release every pending hover class shows for its stay time: the outer box has none.)
    expect(outer).to_have_class("box")
    expect(inner).to_have_class("box inner box-hover")
    # The tap bubbles to the outer box's bindtap.
    expect(frame.locator("#inner-taps")).to_have_text("1")
    expect(frame.locator("#outer-taps")).to_have_text("1")
    expect(frame.locator("#last-tapped")).to_have_text("hover-inner")
    # Without hover-stop-propagation both the inner and the outer box show their hover class.
    inner_prop = frame.locator("#hover-inner-prop")
    page.mouse.move(*center(inner_prop))
    page.mouse.down()
    expect(inner_prop).to_have_class("box inner box-hover")
    expect(outer).to_have_class("box outer-hover")
    expect(outer).to_have_css("background-color", YELLOW)
    page.mouse.up()
    expect(frame.locator("#outer-taps")).to_have_text("2")
    expect(frame.locator("#inner-taps")).to_have_text("1")
    expect(outer).to_have_class("box")
    expect(inner_prop).to_have_class("box inner")


# --- text -----------------------------------------------------------------------------------


def test_text_space_decode_selectable_lines_and_tap(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, "components", "text")
    # space: each space shown as the chosen space character; without it, runs of spaces collapse.
    cases = {"ensp": "\u2002", "emsp": "\u2003", "nbsp": "\u00a0"}
    for mode, space in cases.items():
        expect(frame.locator(f"#text-space-{mode}")).to_have_js_property(
            "textContent", f"a{space}b{space}{space}c"
        )
    none = frame.locator("#text-space-none")
    expect(none).to_have_js_property("textContent", "a b  c")
    assert none.evaluate("el => el.innerText") == "a b c"
    widths = {
        mode: size(frame.locator(f"#text-space-{mode}"))[0]
        for mode in ("none", "nbsp", "ensp", "emsp")
    }
    assert widths["none"] < widths["nbsp"] < widths["emsp"], widths
    assert widths["ensp"] < widths["emsp"], widths

    # decode: the entities WeChat decodes; without decode they show as written.
    expect(frame.locator("#text-decode")).to_have_js_property(
        "textContent", "<b> & 'y' \u00a0z \u2002w"
    )
    expect(frame.locator("#text-nodecode")).to_have_js_property(
        "textContent", "&lt;b&gt; &amp; &apos;y&apos; &nbsp;z &ensp;w"
    )

    # selectable / user-select: only those texts can be selected.
    for selector, value in (
        ("#text-selectable", "text"),
        ("#text-user-select", "text"),
        ("#text-plain", "none"),
    ):
        assert css(frame.locator(selector), "user-select") == value, selector

    # "\n" in a text breaks the line.
    lines = frame.locator("#text-lines")
    expect(lines).to_have_js_property("innerText", "line one\nline two")
    assert size(lines)[1] > 1.6 * size(frame.locator("#text-plain"))[1]

    # Nested text keeps its own style.
    expect(frame.locator("#text-nested")).to_have_text("outer bold inner tail")
    bold = frame.locator("#text-nested .bold")
    expect(bold).to_have_css("font-weight", "700")
    expect(bold).to_have_css("color", "rgb(250, 81, 81)")

    # bindtap on a text.
    frame.locator("#text-count").click()
    frame.locator("#text-count").click()
    expect(frame.locator("#text-count")).to_have_text("tapped 2 times (text bindtap)")


# --- image ----------------------------------------------------------------------------------

# wide.png (200x100): four coloured quadrants, a white disc in the middle and white text at the
# top left. Shown in a 150x150 box (.frame) with a #eee background.
RED, GREEN_Q, BLUE, AMBER, BACKGROUND = (
    (230, 60, 60),
    (60, 180, 90),
    (60, 100, 230),
    (240, 200, 40),
    (238, 238, 238),
)


def wide_png_colour(x: float, y: float) -> tuple[int, int, int] | None:
    """The colour of wide.png at (x, y), the box background outside it, None where unsure."""
    if not (0 <= x < 200 and 0 <= y < 100):
        return BACKGROUND
    if min(abs(x - 100), abs(y - 50), x, y, 200 - x, 100 - y) < 6 or (x < 120 and y < 26):
        return None  # an edge, the text
    if (x - 100) ** 2 + (y - 50) ** 2 < 20**2:
        return None  # the disc
    return (RED if x < 100 else GREEN_Q) if y < 50 else (BLUE if x < 100 else AMBER)


# mode → the content box (width, height) and where wide.png is drawn in it: scale x, scale y,
# left, top (WeChat: scaleToFill stretches, aspectFit contains, aspectFill covers, widthFix and
# heightFix keep the ratio and resize the box, the others keep the natural size and align it).
IMAGE_MODES = {
    "scaleToFill": (150, 150, 0.75, 1.5, 0, 0),
    "aspectFit": (150, 150, 0.75, 0.75, 0, 37.5),
    "aspectFill": (150, 150, 1.5, 1.5, -75, 0),
    "widthFix": (150, 75, 0.75, 0.75, 0, 0),
    "heightFix": (300, 150, 1.5, 1.5, 0, 0),
    "top": (150, 150, 1, 1, -25, 0),
    "bottom": (150, 150, 1, 1, -25, 50),
    "center": (150, 150, 1, 1, -25, 25),
    "left": (150, 150, 1, 1, 0, 25),
    "right": (150, 150, 1, 1, -50, 25),
    "top left": (150, 150, 1, 1, 0, 0),
    "top right": (150, 150, 1, 1, -50, 0),
    "bottom left": (150, 150, 1, 1, 0, 50),
    "bottom right": (150, 150, 1, 1, -50, 50),
}


def check_drawn(page: Page, image: Locator, mode: str) -> None:
    """Samples the pixels a user sees in the image's box against where `mode` draws wide.png."""
    from io import BytesIO

    from PIL import Image

    width, height, sx, sy, left, top = IMAGE_MODES[mode]
    image.scroll_into_view_if_needed()
    box = image.bounding_box()
    assert box is not None
    # The box, border (1px) included.
    assert abs(box["width"] - width - 2) < 0.5 and abs(box["height"] - height - 2) < 0.5, (
        mode,
        box,
    )
    x0, y0 = int(box["x"]), int(box["y"])
    clip = {"x": x0, "y": y0, "width": width + 4, "height": height + 4}
    shot = Image.open(BytesIO(page.screenshot(clip=clip))).convert("RGB")
    wrong = []
    checked = 0
    for bx in range(3, width - 2, 7):
        for by in range(3, height - 2, 7):
            want = wide_png_colour((bx - left) / sx, (by - top) / sy)
            near = [
                wide_png_colour((bx + ex - left) / sx, (by + ey - top) / sy)
                for ex in (-3, 3)
                for ey in (-3, 3)
            ]
            if want is None or any(c != want for c in near):
                continue
            got = shot.getpixel((round(box["x"] + 1 + bx - x0), round(box["y"] + 1 + by - y0)))
            checked += 1
            if max(abs(a - b) for a, b in zip(got, want, strict=True)) > 24:
                wrong.append(((bx, by), got, want))
    assert checked > 50, (mode, checked)
    assert not wrong, (mode, len(wrong), wrong[:5])


def test_image_modes_load_and_error(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "image")
    expect(frame.locator("#load-count")).to_have_text("14")
    for mode in IMAGE_MODES:
        key = mode.replace(" ", "-")
        # The load event's detail is the image's natural size.
        expect(frame.locator(f"#load-{key}")).to_have_text("200x100")
        check_drawn(page, frame.locator(f"#img-{key}"), mode)
    # Without a mode or a size: scaleToFill in WeChat's default 320x240 box.
    expect(frame.locator("#img-default")).to_have_css("width", "320px")
    expect(frame.locator("#img-default")).to_have_css("height", "240px")
    # heightFix on tall.png (100x200) in a 100px high box: 50px wide.
    expect(frame.locator("#load-tall")).to_have_text("100x200")
    expect(frame.locator("#img-tall")).to_have_css("width", "50px")
    expect(frame.locator("#img-tall")).to_have_css("height", "100px")
    # A broken src: binderror with an errMsg naming it, never bindload.
    expect(frame.locator("#error-broken")).to_contain_text("/images/does-not-exist.png")


def test_image_lazy_load_waits_until_scrolled_near(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, "components", "image")
    # Everything else on the page has loaded; the lazy images, 1600px further down, have not.
    expect(frame.locator("#load-count")).to_have_text("14")
    expect(frame.locator("#load-tall")).to_have_text("100x200")
    expect(frame.locator("#error-broken")).not_to_be_empty()
    expect(frame.locator("#lazy-count")).to_have_text("0")
    for n in range(1, 7):
        expect(frame.locator(f"#lazy-state-{n}")).to_have_text("waiting")
    frame.locator("#lazy-3").scroll_into_view_if_needed()
    for n in range(1, 7):
        expect(frame.locator(f"#lazy-state-{n}")).to_have_text("loaded")
    expect(frame.locator("#lazy-count")).to_have_text("6")


# --- button ---------------------------------------------------------------------------------


def test_button_taps_loading_and_disabled(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "button")
    for key in ("primary", "default", "warn", "mini", "plain", "hover"):
        frame.locator(f"#btn-{key}").click()
        expect(frame.locator(f"#taps-{key}")).to_have_text("1")
        expect(frame.locator("#last-tap")).to_have_text(key)
    # type and plain as WeChat draws them (style v2).
    expect(frame.locator("#btn-primary")).to_have_css("background-color", "rgb(7, 193, 96)")
    expect(frame.locator("#btn-warn")).to_have_css("color", "rgb(250, 81, 81)")
    expect(frame.locator("#btn-plain")).to_have_css("background-color", "rgba(0, 0, 0, 0)")
    assert size(frame.locator("#btn-mini"))[0] < size(frame.locator("#btn-primary"))[0]
    # The button's hover-class while pressed.
    hover = frame.locator("#btn-hover")
    page.mouse.move(*center(hover))
    page.mouse.down()
    expect(hover).to_have_class(re.compile(r"\bbtn-hover\b"))
    expect(hover).to_have_css("background-color", YELLOW)
    page.mouse.up()
    expect(frame.locator("#taps-hover")).to_have_text("2")

    # loading: a spinner before the label; a loading button still taps.
    loading = frame.locator("#btn-loading")
    expect(loading).to_have_text("loading=true")
    expect(loading.locator(".wx-button-loading")).to_be_visible()
    loading.click()
    expect(frame.locator("#taps-loading")).to_have_text("1")
    frame.locator("#toggle-loading").click()
    expect(loading).to_have_text("loading=false")
    expect(loading.locator(".wx-button-loading")).to_have_count(0)

    # disabled: drawn greyed and never tapped (the next tap shows the disabled one was dropped).
    disabled = frame.locator("#btn-disabled")
    expect(disabled).to_have_text("disabled=true")
    expect(disabled).to_have_css("color", "rgba(0, 0, 0, 0.2)")
    disabled.click(force=True)
    frame.locator("#btn-default").click()
    expect(frame.locator("#taps-default")).to_have_text("2")
    expect(frame.locator("#last-tap")).to_have_text("default")
    expect(frame.locator("#taps-disabled")).to_have_text("0")
    # A pressed disabled button gets no hover class.
    page.mouse.move(*center(disabled))
    page.mouse.down()
    frame.locator("#btn-primary").hover()
    page.mouse.up()
    expect(disabled).not_to_have_class(re.compile("button-hover"))
    frame.locator("#toggle-disabled").click()
    expect(disabled).to_have_text("disabled=false")
    expect(disabled).not_to_have_css("color", "rgba(0, 0, 0, 0.2)")
    disabled.click()
    expect(frame.locator("#taps-disabled")).to_have_text("1")
    expect(frame.locator("#last-tap")).to_have_text("disabled")


def test_button_open_types(runtime_platform: RuntimePlatform, new_context: NewContext) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "button")
    # Until the identity issue brings consent, every open-type that needs the user's data fails
    # with WeChat's "<openType>:fail …" errMsg in the event WeChat sends for it.
    cases = {
        "#open-phone": ("#phone-result", "getphonenumber", "getPhoneNumber:fail"),
        "#open-realtime-phone": (
            "#realtime-phone-result",
            "getrealtimephonenumber",
            "getRealtimePhoneNumber:fail",
        ),
        "#open-contact": ("#contact-result", "contact", "contact:fail"),
        "#open-userinfo": ("#userinfo-result", "getuserinfo", "getUserInfo:fail"),
        "#open-avatar": ("#avatar-result", "chooseavatar", "chooseAvatar:fail"),
        "#open-launchapp": ("#launchapp-result", "error", "launchApp:fail"),
        "#open-privacy": (
            "#privacy-result",
            "agreeprivacyauthorization",
            "agreePrivacyAuthorization:fail",
        ),
    }
    for button, (result, event_type, err) in cases.items():
        frame.locator(button).click()
        got = readout(frame.locator(result))
        assert got["type"] == event_type, (button, got)
        assert got["detail"]["errMsg"].startswith(err), (button, got)
    # openSetting opens the settings page (empty: signed out, nothing is remembered); going back
    # answers what is granted.
    frame.locator("#open-setting").click()
    page.locator(".mpc-settings-back").click()
    got = readout(frame.locator("#setting-result"))
    assert got == {
        "type": "opensetting",
        "detail": {"authSetting": {}, "errMsg": "openSetting:ok"},
    }, got
    # No hook ran for a button without its bind*: the readouts of the others are unchanged.
    expect(frame.locator("#share-result")).to_be_empty()

    # share calls the page's onShareAppMessage with the button as target; the card it returned
    # is shown to share.
    frame.locator("#open-share").click()
    share = readout(frame.locator("#share-result"))
    assert share == {
        "from": "button",
        "returned": {"path": "/pages/button/button?from=share", "title": "Built-in components"},
        "target": "open-share",
    }, share
    dialog = chrome(page, ".mpc-dialog")
    expect(dialog).to_contain_text("Built-in components")
    expect(dialog).to_contain_text("/pages/button/button?from=share")
    dialog.locator(".mpc-dialog-confirm").click()
    expect(dialog).to_have_count(0)


def test_button_form_type_submits_and_resets_the_form(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, "components", "button")
    frame.locator("#form-name input").fill("Bob")
    frame.locator("#form-submit").click()
    # The form's other control is a <switch>: form controls other than input come with the form
    # issue, so only the input's value is checked here.
    expect(frame.locator("#form-result")).to_contain_text('"name":"Bob"')
    assert (
        json.loads(frame.locator("#form-result").inner_text().removeprefix("submit "))["name"]
        == "Bob"
    )
    frame.locator("#form-reset").click()
    expect(frame.locator("#form-result")).to_have_text("reset")


# --- input ----------------------------------------------------------------------------------


def test_input_events_types_and_maxlength(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, "components", "input")
    # A value returned by bindinput replaces the field's text.
    # (One key at a time, as the returned text comes back from the logic layer asynchronously.)
    upper = frame.locator("#input-upper input")
    typed = ""
    for key in "abc":
        upper.press(key)
        typed += key.upper()
        expect(upper).to_have_value(typed)
        expect(frame.locator("#upper-value")).to_have_text(typed)
    expect(frame.locator("#upper-keycode")).to_have_text(str(ord("C")))

    # Each type keeps what its keyboard could type.
    for key, typed, shown in (
        ("text", "Hi there", "Hi there"),
        ("number", "12a3.4", "1234"),
        ("idcard", "11x0y9X", "11x09X"),
        ("digit", "3.14pi", "3.14"),
        ("nickname", "Ann", "Ann"),
        ("password", "secret", "secret"),
    ):
        field = frame.locator(f"#input-{key} input")
        field.press_sequentially(typed)
        expect(field).to_have_value(shown)
        expect(frame.locator(f"#value-{key}")).to_have_text(shown)
    # password and type="safe-password" are masked.
    expect(frame.locator("#input-password input")).to_have_attribute("type", "password")
    expect(frame.locator("#input-safe-password input")).to_have_attribute("type", "password")
    expect(frame.locator("#input-text input")).to_have_attribute("type", "text")

    # maxlength 5, the placeholder's style, a disabled input.
    placeholder = frame.locator("#input-maxlength .wx-input-placeholder")
    expect(placeholder).to_have_text("at most 5 characters")
    expect(placeholder).to_have_css("color", "rgb(250, 81, 81)")
    field = frame.locator("#input-maxlength input")
    field.press_sequentially("abcdefgh")
    expect(field).to_have_value("abcde")
    expect(frame.locator("#maxlength-value")).to_have_text("abcde")
    expect(placeholder).to_be_hidden()
    expect(frame.locator("#input-disabled input")).to_have_value("disabled input")
    expect(frame.locator("#input-disabled input")).to_be_disabled()


def test_input_focus_confirm_value_and_model(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, "components", "input")
    # focus="{{true}}" set by code focuses the field: bindfocus; leaving it: bindblur.
    focus = frame.locator("#input-focus input")
    frame.locator("#focus-button").click()
    expect(focus).to_be_focused()
    expect(frame.locator("#focus-state")).to_have_text('focus input-focus value=""')
    focus.press_sequentially("xy")
    frame.locator(".section-title", has_text="bindblur").click()
    expect(frame.locator("#focus-state")).to_have_text('blur input-focus value="xy"')
    expect(focus).not_to_be_focused()
    # ... and again (the page set focusOn back to false on blur).
    frame.locator("#focus-button").click()
    expect(focus).to_be_focused()
    expect(frame.locator("#focus-state")).to_have_text('focus input-focus value="xy"')

    # Enter confirms (and, without confirm-hold, leaves the field).
    confirm = frame.locator("#input-confirm input")
    confirm.press_sequentially("hello")
    confirm.press("Enter")
    expect(frame.locator("#confirm-value")).to_have_text("hello")
    expect(frame.locator("#confirm-count")).to_have_text("1")
    expect(confirm).not_to_be_focused()

    # value set by code.
    controlled = frame.locator("#input-controlled input")
    expect(controlled).to_have_value("initial")
    frame.locator("#set-value").click()
    expect(controlled).to_have_value("set by code")

    # model:value: the field shows the data, and typing writes it back.
    model = frame.locator("#input-model input")
    expect(model).to_have_value("two-way")
    expect(frame.locator("#model-value")).to_have_text("two-way")
    model.press("End")
    model.press("!")
    expect(frame.locator("#model-value")).to_have_text("two-way!")
    model.fill("new text")
    expect(frame.locator("#model-value")).to_have_text("new text")
    expect(model).to_have_value("new text")


# --- navigator ------------------------------------------------------------------------------

NAV = "pages/navigator/navigator"
TARGET = "pages/nav-target/nav-target"


def tap_closing(page: Page, locator: Locator) -> None:
    """A tap on a link that closes its own page (its frame goes away): a mouse click on its box
    (Playwright's click() may wait on the detached frame)."""
    page.mouse.click(*center(locator))


def expect_target(
    frame: FrameLocator, origin: str, query: dict[str, str], routes: list[str]
) -> None:
    expect(frame.locator("#target-from")).to_have_text(origin)
    expect(frame.locator("#target-stack")).to_have_text(str(len(routes)))
    expect(frame.locator("#target-routes")).to_have_text(" > ".join(routes))
    assert json.loads(frame.locator("#target-query").inner_text()) == query


def expect_navigator(frame: FrameLocator, routes: list[str], shows: int) -> None:
    expect(frame.locator("#stack-length")).to_have_text(str(len(routes)))
    expect(frame.locator("#stack-routes")).to_have_text(" > ".join(routes))
    expect(frame.locator("#show-count")).to_have_text(str(shows))


def test_navigator_navigate_and_back_with_delta(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "navigator")
    expect_navigator(frame, [NAV], 1)
    expect(chrome(page, ".mpc-title")).to_have_text("navigator")
    # navigate (the default) with a query.
    frame.locator("#nav-navigate").click()
    target = current_page(page)
    expect_target(target, "navigate", {"from": "navigate", "n": "1"}, [NAV, TARGET])
    expect(chrome(page, ".mpc-title")).to_have_text("navigator target")
    expect(chrome(page, ".mpc-back")).to_be_visible()
    # Deeper, then navigateBack delta=2 returns to the navigator page (shown again).
    target.locator("#target-deeper").click()
    deeper = current_page(page)
    expect_target(deeper, "deeper", {"from": "deeper", "depth": "2"}, [NAV, TARGET, TARGET])
    expect(deeper.locator("#target-deeper")).to_contain_text("depth 3")
    tap_closing(page, deeper.locator("#target-back-2"))
    frame = current_page(page)
    expect_navigator(frame, [NAV], 2)
    expect(chrome(page, ".mpc-title")).to_have_text("navigator")
    # A relative url, then navigateBack delta=1.
    frame.locator("#nav-relative").click()
    target = current_page(page)
    expect_target(target, "relative", {"from": "relative"}, [NAV, TARGET])
    tap_closing(page, target.locator("#target-back-1"))
    expect_navigator(current_page(page), [NAV], 3)
    # A custom hover-class while pressed.
    link = current_page(page).locator("#nav-custom-hover")
    page.mouse.move(*center(link))
    page.mouse.down()
    expect(link).to_have_class("link nav-hover")
    expect(link).to_have_css("background-color", YELLOW)
    page.mouse.up()
    target = current_page(page)
    expect_target(target, "hover", {"from": "hover"}, [NAV, TARGET])


def test_navigator_redirect_relaunch_switch_tab_and_back_from_a_page(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    home = runtime_platform.open(page, "components")
    expect(home.locator("#home-ready")).to_be_visible()
    home.locator("#nav-navigator").click()
    frame = current_page(page)
    expect_navigator(frame, ["pages/index/index", NAV], 1)
    # navigateBack delta=1 from the navigator page: home again.
    tap_closing(page, frame.locator("#nav-back"))
    home = current_page(page)
    expect(home.locator("#home-ready")).to_be_visible()
    expect(chrome(page, ".mpc-back")).to_be_hidden()
    home.locator("#nav-navigator").click()
    frame = current_page(page)
    expect_navigator(frame, ["pages/index/index", NAV], 1)
    # redirect replaces the navigator page.
    tap_closing(page, frame.locator("#nav-redirect"))
    target = current_page(page)
    expect_target(target, "redirect", {"from": "redirect"}, ["pages/index/index", TARGET])
    # switchTab (home) closes every page that is not a tab.
    tap_closing(page, target.locator("#target-home"))
    home = current_page(page)
    expect(home.locator("#home-ready")).to_be_visible()
    expect(chrome(page, ".mpc-back")).to_be_hidden()
    home.locator("#nav-navigator").click()
    frame = current_page(page)
    expect_navigator(frame, ["pages/index/index", NAV], 1)
    # reLaunch: the target alone in the stack.
    tap_closing(page, frame.locator("#nav-relaunch"))
    target = current_page(page)
    expect_target(target, "relaunch", {"from": "relaunch"}, [TARGET])
    expect(chrome(page, ".mpc-tabbar")).to_be_hidden()
    # switchTab to the Icons tab: the tab bar shows it selected.
    page2, frame2 = open_example_page(runtime_platform, new_context, "components", "navigator")
    tap_closing(page2, frame2.locator("#nav-switchtab"))
    icons = current_page(page2)
    expect(icons.locator("#icon-success")).to_be_visible()
    expect(chrome(page2, ".mpc-title")).to_have_text("icon")
    expect(chrome(page2, ".mpc-tab[aria-current=page]")).to_have_text("Icons")
    expect(chrome(page2, ".mpc-tab[aria-current=page]")).to_have_css("color", GREEN)
    expect(chrome(page2, ".mpc-back")).to_be_hidden()


# --- scroll-view ----------------------------------------------------------------------------


def wheel_over(page: Page, locator: Locator, dx: float, dy: float) -> None:
    page.mouse.move(*center(locator))
    page.mouse.wheel(dx, dy)


def scroller_of(locator: Locator) -> Locator:
    return locator.locator(".wx-scroll-view-scroller")


def scroll_down_by_hand(page: Page, frame: FrameLocator, sv: Locator) -> None:
    """Wheels the list down 200px at a time, as a hand does, until it fires scrolltolower."""
    lower = frame.locator("#sv-lower-count")
    shown_top = frame.locator("#sv-scroll-top")
    fired = lower.inner_text()
    for _ in range(40):
        if lower.inner_text() != fired:
            return
        if scroller_of(sv).evaluate("el => el.scrollHeight - el.clientHeight - el.scrollTop < 1"):
            expect(lower).not_to_have_text(fired)
            return
        top = shown_top.inner_text()
        wheel_over(page, sv, 0, 200)
        expect(shown_top).not_to_have_text(top)
    raise AssertionError("the list never reached its end")


def test_scroll_view_load_more_into_view_and_scroll_top(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "scroll-view")
    sv = frame.locator("#sv-list")
    expect(frame.locator("#sv-count")).to_have_text("20")
    expect(sv).to_have_css("height", "300px")
    # Scrolling to the end loads 10 more each time, up to 60; then "no more items".
    for count in (30, 40, 50, 60):
        scroll_down_by_hand(page, frame, sv)
        expect(frame.locator("#sv-count")).to_have_text(str(count))
        expect(frame.locator(f"#item-{count - 1}")).to_be_attached()
    scroll_down_by_hand(page, frame, sv)
    expect(frame.locator("#sv-no-more")).to_be_visible()
    expect(frame.locator("#sv-lower-count")).to_have_text("5")
    expect(frame.locator("#sv-count")).to_have_text("60")
    # Back to the top: scrolltoupper.
    expect(frame.locator("#sv-upper-count")).to_have_text("0")
    wheel_over(page, sv, 0, -100_000)
    expect(frame.locator("#sv-scroll-top")).to_have_text("0")
    expect(frame.locator("#sv-upper-count")).to_have_text("1")

    # scroll-into-view puts the item at the top of the list.
    def item_top(n: int) -> float:
        item = frame.locator(f"#item-{n}").bounding_box()
        view = scroller_of(sv).bounding_box()
        assert item is not None and view is not None
        return item["y"] - view["y"]

    frame.locator("#into-item-15").click()
    expect(frame.locator("#sv-into-view")).to_have_text("item-15")
    expect(frame.locator("#sv-scroll-top")).to_have_text(re.compile(r"^7[5-9]\d$"))
    assert abs(item_top(15)) < 1
    frame.locator("#into-item-3").click()
    expect(frame.locator("#sv-into-view")).to_have_text("item-3")
    expect(frame.locator("#sv-scroll-top")).to_have_text(re.compile(r"^15\d$"))
    assert abs(item_top(3)) < 1
    # scroll-top.
    frame.locator("#top-200").click()
    expect(frame.locator("#sv-top-data")).to_have_text("200")
    expect(frame.locator("#sv-scroll-top")).to_have_text("200")
    assert abs(item_top(0) + 200) < 1
    frame.locator("#top-0").click()
    expect(frame.locator("#sv-top-data")).to_have_text("0")
    expect(frame.locator("#sv-scroll-top")).to_have_text("0")
    assert abs(item_top(0)) < 1

    # scroll-x: scroll-left set by data, and the user's horizontal scroll reported.
    xs = frame.locator("#sv-x")
    frame.locator("#left-300").click()
    expect(frame.locator("#sv-x-left")).to_have_text("300")
    assert abs(scroller_of(xs).evaluate("el => el.scrollLeft") - 300) < 1
    frame.locator("#left-0").click()
    expect(frame.locator("#sv-x-left")).to_have_text("0")
    wheel_over(page, xs, 120, 0)
    expect(frame.locator("#sv-x-left")).not_to_have_text("0")
    # The vertical list did not move.
    expect(frame.locator("#sv-scroll-top")).to_have_text("0")


def test_scroll_view_refresher(runtime_platform: RuntimePlatform, new_context: NewContext) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "scroll-view")
    sv = frame.locator("#sv-refresh")
    refresher = sv.locator(".wx-scroll-view-refresher")
    expect(frame.locator("#refresh-first")).to_have_text("Item 100")
    x, y = center(sv)
    # Pulled down past the threshold (45px, at half the finger's distance) and released: the
    # refresher shows its dots while the page refreshes, then closes when it sets
    # refresher-triggered back to false.
    drag(page, (x, y - 80), 0, 150)
    expect(frame.locator("#refresh-count")).to_have_text("1")
    expect(frame.locator("#refresh-state")).to_have_text("done")
    expect(frame.locator("#refresh-first")).to_have_text("Item 99 (refreshed)")
    expect(frame.locator("#refresh-triggered")).to_have_text("false")
    expect(frame.locator("#refresh-restore")).to_have_text("1")
    expect(refresher).to_have_css("height", "0px")
    # A short pull does not refresh.
    drag(page, (x, y - 80), 0, 40)
    expect(refresher).to_have_css("height", "0px")
    # refresher-triggered set to true by code opens the refresher.
    frame.locator("#refresh-trigger").click()
    expect(frame.locator("#refresh-triggered")).to_have_text("true")
    expect(refresher).to_have_css("height", "45px")
    expect(refresher).to_have_class(re.compile(r"\bwx-refreshing\b"))
    expect(refresher).to_have_css("background-color", "rgb(240, 240, 240)")
    expect(frame.locator("#refresh-count")).to_have_text("1")


# --- swiper ---------------------------------------------------------------------------------


def shown_slide(swiper: Locator, items: Locator) -> int:
    """The index of the item that fills the swiper's box."""
    box = swiper.bounding_box()
    assert box is not None
    for i in range(items.count()):
        item = items.nth(i).bounding_box()
        if item and abs(item["x"] - box["x"]) < 1 and abs(item["y"] - box["y"]) < 1:
            return i
    return -1


def test_swiper_current_drag_circular_dots_and_autoplay(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "swiper")
    swiper = frame.locator("#swiper-main")
    items = swiper.locator("wx-swiper-item")
    expect(items).to_have_count(3)
    expect(frame.locator("#swiper-current")).to_have_text("0")
    assert shown_slide(swiper, items) == 0
    # Indicator dots: three, the current one in indicator-active-color.
    dots = swiper.locator(".wx-swiper-dot")
    expect(dots).to_have_count(3)
    expect(dots.nth(0)).to_be_visible()
    expect(dots.nth(0)).to_have_css("background-color", "rgb(255, 255, 255)")
    expect(dots.nth(1)).to_have_css("background-color", "rgba(0, 0, 0, 0.3)")

    # current set by data.
    frame.locator("#swiper-go-2").click()
    expect(frame.locator("#swiper-current")).to_have_text("2")
    expect(frame.locator("#swiper-finish")).to_have_text("2")
    expect(dots.nth(2)).to_have_css("background-color", "rgb(255, 255, 255)")
    assert shown_slide(swiper, items) == 2
    changes = int(frame.locator("#swiper-changes").inner_text())

    # A drag to the left: the next slide, which after the last is the first (circular).
    x, y = center(swiper)
    drag(page, (x + 100, y), -200, 0)
    expect(frame.locator("#swiper-source")).to_have_text("touch")
    expect(frame.locator("#swiper-current")).to_have_text("0")
    expect(frame.locator("#swiper-changes")).to_have_text(str(changes + 1))
    expect(frame.locator("#swiper-finish")).to_have_text("0")
    assert shown_slide(swiper, items) == 0
    # ... and to the right: back past the first to the last.
    drag(page, (x - 100, y), 200, 0)
    expect(frame.locator("#swiper-current")).to_have_text("2")
    expect(frame.locator("#swiper-changes")).to_have_text(str(changes + 2))
    expect(frame.locator("#swiper-finish")).to_have_text("2")
    assert shown_slide(swiper, items) == 2

    # autoplay on: the slides advance by themselves (interval 1.5 s), source "autoplay".
    frame.locator("#swiper-autoplay-toggle").click()
    expect(frame.locator("#swiper-autoplay-state")).to_have_text("true")
    expect(frame.locator("#swiper-source")).to_have_text("autoplay")
    expect(frame.locator("#swiper-current")).to_have_text("0")
    frame.locator("#swiper-autoplay-toggle").click()
    expect(frame.locator("#swiper-autoplay-state")).to_have_text("false")

    # The vertical swiper plays every second by itself.
    auto = frame.locator("#swiper-auto")
    expect(frame.locator("#auto-changes")).to_have_text(re.compile(r"^([2-9]|\d\d+)$"))
    current = int(frame.locator("#auto-current").inner_text())
    auto_items = auto.locator("wx-swiper-item")
    expect(auto_items).to_have_count(3)
    expect(auto.locator(f"wx-swiper-item.auto-{current}")).to_be_visible()


# --- icon -----------------------------------------------------------------------------------

ICON_TYPES = [
    "success",
    "success_no_circle",
    "info",
    "warn",
    "waiting",
    "cancel",
    "download",
    "search",
    "clear",
]


def test_icon_types_sizes_and_colours(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "icon")
    # Every type draws its own glyph, 23px by default, in its default colour.
    drawings = {}
    for icon_type in ICON_TYPES:
        glyph = frame.locator(f"#icon-{icon_type} svg")
        expect(glyph).to_be_visible()
        assert size(glyph) == (23, 23), icon_type
        drawings[icon_type] = glyph.inner_html()
        assert drawings[icon_type].count("<") >= 1, icon_type
    assert len(set(drawings.values())) == len(ICON_TYPES)
    defaults = {
        "success": "rgb(9, 187, 7)",
        "info": "rgb(16, 174, 255)",
        "warn": "rgb(247, 98, 96)",
        "cancel": "rgb(244, 53, 48)",
    }
    for icon_type, colour in defaults.items():
        expect(frame.locator(f"#icon-{icon_type} svg")).to_have_css("color", colour)
    # size in px (a number) and in rpx.
    for px in (20, 30, 40, 50, 60, 70):
        assert size(frame.locator(f"#icon-size-{px} svg")) == (px, px)
    width = frame.locator("body").evaluate("() => innerWidth")
    rpx = size(frame.locator("#icon-size-rpx svg"))
    assert abs(rpx[0] - 60 * width / 750) < 0.5 and rpx[0] == rpx[1], (rpx, width)
    # color.
    colours = [
        "rgb(250, 81, 81)",
        YELLOW,
        GREEN,
        "rgb(16, 174, 255)",
        "rgb(87, 107, 149)",
        "rgb(0, 0, 0)",
    ]
    for i, colour in enumerate(colours):
        glyph = frame.locator(f"#icon-color-{i} svg")
        expect(glyph).to_have_css("color", colour)
        assert size(glyph) == (40, 40)

    # A tap on the tab of the page shown: onTabItemTap.
    tab = chrome(page, ".mpc-tab[aria-current=page]")
    expect(tab).to_have_text("Icons")
    tab.click()
    expect(frame.locator("#icon-tab-taps")).to_have_text("1")


# --- block ----------------------------------------------------------------------------------


def child_ids(locator: Locator) -> list[str]:
    return locator.evaluate("el => Array.from(el.children, (c) => c.id || c.localName)")


def test_block_renders_no_wrapper(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, "components", "block")
    # wx:if / wx:elif / wx:else on blocks: their children, straight in the box.
    box = frame.locator("#block-if-box")
    expect(frame.locator("#block-a2")).to_have_text("A2")
    assert child_ids(box) == ["block-a1", "block-a2"]
    frame.locator("#mode-b").click()
    expect(frame.locator("#block-mode")).to_have_text("b")
    expect(frame.locator("#block-b")).to_have_text("B")
    assert child_ids(box) == ["block-b"]
    frame.locator("#mode-c").click()
    expect(frame.locator("#block-else")).to_have_text("else branch")
    assert child_ids(box) == ["block-else"]
    frame.locator("#mode-a").click()
    expect(frame.locator("#block-a1")).to_have_text("A1")
    assert child_ids(box) == ["block-a1", "block-a2"]
    expect(frame.locator("wx-block")).to_have_count(0)

    # wx:for on a block: two nodes per item.
    pairs = frame.locator("#pairs")
    assert child_ids(pairs) == ["term-x", "def-x", "term-y", "def-y"]
    expect(frame.locator("#term-y")).to_have_text("1. y")
    expect(frame.locator("#def-y")).to_have_text("second")
    expect(frame.locator("#term-x")).to_have_css("font-weight", "600")
    frame.locator("#pair-add").click()
    expect(frame.locator("#pair-count")).to_have_text("3")
    expect(frame.locator("#def-k2")).to_have_text("value 2")
    assert child_ids(pairs) == ["term-x", "def-x", "term-y", "def-y", "term-k2", "def-k2"]
    frame.locator("#pair-remove").click()
    frame.locator("#pair-remove").click()
    expect(frame.locator("#pair-count")).to_have_text("1")
    assert child_ids(pairs) == ["term-x", "def-x"]

    # wx:if inside a block wx:for.
    assert child_ids(frame.locator("#evens")) == ["even-2", "even-4", "even-6"]
    expect(frame.locator("#evens")).to_have_text("246")

    # hidden keeps the node, not displayed.
    hidden = frame.locator("#hidden-view")
    expect(hidden).to_have_text("hidden=false")
    frame.locator("#toggle-hidden").click()
    expect(hidden).to_be_hidden()
    expect(hidden).to_be_attached()
    frame.locator("#toggle-hidden").click()
    expect(hidden).to_be_visible()
    expect(hidden).to_have_text("hidden=false")


# --- an unknown tag -------------------------------------------------------------------------


def test_unknown_tag_renders_children_and_events(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, "components", "unknown")
    root = frame.locator("#unknown-root")
    expect(root).to_be_visible()
    assert root.evaluate("el => el.localName") == "my-unknown-tag"
    expect(root).to_have_attribute("some-attr", "kept")
    # Its class and WXSS apply, and its children show inside it.
    expect(root).to_have_css("display", "block")
    expect(root).to_have_css("border-top-style", "dashed")
    expect(frame.locator("#unknown-root > #unknown-child")).to_have_text(
        "child view of my-unknown-tag"
    )
    expect(frame.locator("#unknown-root > #unknown-text")).to_have_text(
        "bound text inside an unknown tag"
    )
    child = frame.locator("#unknown-root > #unknown-nested > #unknown-nested-child")
    expect(child).to_have_text("nested child (tap: 0)")
    child.click()
    expect(frame.locator("#unknown-taps")).to_have_text("1")
    expect(child).to_have_text("nested child (tap: 1)")
