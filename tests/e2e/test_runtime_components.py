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

from tests.e2e.conftest import NewContext, RuntimePlatform, chrome, current_page

GREEN = "rgb(26, 173, 25)"
YELLOW = "rgb(255, 195, 0)"


def open_page(runtime_platform: RuntimePlatform, new_context: NewContext, name: str) -> tuple[Page, FrameLocator]:
    page = new_context().new_page()
    frame = runtime_platform.open(page, "components", path=f"pages/{name}/{name}")
    return page, frame


def center(locator: Locator) -> tuple[float, float]:
    """The centre of an element inside the view frame, in the host page's coordinates."""
    expect(locator).to_be_visible()
    locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def size(locator: Locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return box["width"], box["height"]


def css(locator: Locator, prop: str) -> str:
    return locator.evaluate("(el, prop) => getComputedStyle(el).getPropertyValue(prop)", prop)


def drag(page: Page, start: tuple[float, float], dx: float, dy: float, steps: int = 12) -> None:
    """A mouse drag by (dx, dy) from `start`, in small moves as a finger would."""
    x, y = start
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, steps + 1):
        page.mouse.move(x + dx * i / steps, y + dy * i / steps)
    page.mouse.up()


def hook_result(locator: Locator) -> dict:
    expect(locator).not_to_be_empty()
    return json.loads(locator.inner_text())


# --- view -----------------------------------------------------------------------------------


def test_view_hover_class_and_hover_stop_propagation(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_page(runtime_platform, new_context, "view")
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
    expect(frame.locator("#inner-taps")).to_have_text("1")
    # The tap bubbles to the outer box's bindtap, but its hover class was never set.
    expect(frame.locator("#outer-taps")).to_have_text("1")
    expect(frame.locator("#last-tapped")).to_have_text("hover-inner")
    expect(outer).to_have_class("box")
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
    page, frame = open_page(runtime_platform, new_context, "text")
    # space: each space shown as the chosen space character; without it, runs of spaces collapse.
    cases = {"ensp": "\u2002", "emsp": "\u2003", "nbsp": "\u00a0"}
    for mode, space in cases.items():
        expect(frame.locator(f"#text-space-{mode}")).to_have_js_property(
            "textContent", f"a{space}b{space}{space}c"
        )
    none = frame.locator("#text-space-none")
    expect(none).to_have_js_property("textContent", "a b  c")
    assert none.evaluate("el => el.innerText") == "a b c"
    widths = {mode: size(frame.locator(f"#text-space-{mode}"))[0] for mode in ("none", "nbsp", "ensp", "emsp")}
    assert widths["none"] < widths["nbsp"] < widths["emsp"], widths
    assert widths["ensp"] < widths["emsp"], widths

    # decode: the entities WeChat decodes; without decode they show as written.
    expect(frame.locator("#text-decode")).to_have_js_property("textContent", "<b> & 'y' \u00a0z \u2002w")
    expect(frame.locator("#text-nodecode")).to_have_js_property(
        "textContent", "&lt;b&gt; &amp; &apos;y&apos; &nbsp;z &ensp;w"
    )

    # selectable / user-select: only those texts can be selected.
    for selector, value in (("#text-selectable", "text"), ("#text-user-select", "text"), ("#text-plain", "none")):
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
RED, GREEN_Q, BLUE, AMBER, BACKGROUND = (230, 60, 60), (60, 180, 90), (60, 100, 230), (240, 200, 40), (238, 238, 238)


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
    assert abs(box["width"] - width - 2) < 0.5 and abs(box["height"] - height - 2) < 0.5, (mode, box)
    x0, y0 = int(box["x"]), int(box["y"])
    clip = {"x": x0, "y": y0, "width": width + 4, "height": height + 4}
    shot = Image.open(BytesIO(page.screenshot(clip=clip))).convert("RGB")
    wrong = []
    checked = 0
    for bx in range(3, width - 2, 7):
        for by in range(3, height - 2, 7):
            want = wide_png_colour((bx - left) / sx, (by - top) / sy)
            near = [wide_png_colour((bx + ex - left) / sx, (by + ey - top) / sy) for ex in (-3, 3) for ey in (-3, 3)]
            if want is None or any(c != want for c in near):
                continue
            got = shot.getpixel((round(box["x"] + 1 + bx - x0), round(box["y"] + 1 + by - y0)))
            checked += 1
            if max(abs(a - b) for a, b in zip(got, want)) > 24:
                wrong.append(((bx, by), got, want))
    assert checked > 50, (mode, checked)
    assert not wrong, (mode, len(wrong), wrong[:5])


def test_image_modes_load_and_error(runtime_platform: RuntimePlatform, new_context: NewContext) -> None:
    page, frame = open_page(runtime_platform, new_context, "image")
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
    page, frame = open_page(runtime_platform, new_context, "image")
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


def test_button_taps_loading_and_disabled(runtime_platform: RuntimePlatform, new_context: NewContext) -> None:
    page, frame = open_page(runtime_platform, new_context, "button")
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
    page, frame = open_page(runtime_platform, new_context, "button")
    # Until the identity issue brings consent, every open-type that needs the user's data fails
    # with WeChat's "<openType>:fail …" errMsg in the event WeChat sends for it.
    cases = {
        "#open-phone": ("#phone-result", "getphonenumber", "getPhoneNumber:fail"),
        "#open-realtime-phone": ("#realtime-phone-result", "getrealtimephonenumber", "getRealtimePhoneNumber:fail"),
        "#open-contact": ("#contact-result", "contact", "contact:fail"),
        "#open-userinfo": ("#userinfo-result", "getuserinfo", "getUserInfo:fail"),
        "#open-avatar": ("#avatar-result", "chooseavatar", "chooseAvatar:fail"),
        "#open-launchapp": ("#launchapp-result", "error", "launchApp:fail"),
        "#open-privacy": ("#privacy-result", "agreeprivacyauthorization", "agreePrivacyAuthorization:fail"),
    }
    for button, (result, event_type, err) in cases.items():
        frame.locator(button).click()
        got = hook_result(frame.locator(result))
        assert got["type"] == event_type, (button, got)
        assert got["detail"]["errMsg"].startswith(err), (button, got)
    # openSetting opens the (empty) settings: nothing granted.
    frame.locator("#open-setting").click()
    got = hook_result(frame.locator("#setting-result"))
    assert got == {"type": "opensetting", "detail": {"authSetting": {}, "errMsg": "openSetting:ok"}}, got
    # No hook ran for a button without its bind*: the readouts of the others are unchanged.
    expect(frame.locator("#share-result")).to_be_empty()

    # share calls the page's onShareAppMessage with the button as target; the card it returned
    # is shown to share.
    frame.locator("#open-share").click()
    share = hook_result(frame.locator("#share-result"))
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
    page, frame = open_page(runtime_platform, new_context, "button")
    frame.locator("#form-name input").fill("Bob")
    frame.locator("#form-submit").click()
    expect(frame.locator("#form-result")).to_have_text('submit {"agree":true,"name":"Bob"}')
    frame.locator("#form-reset").click()
    expect(frame.locator("#form-result")).to_have_text("reset")


# --- input ----------------------------------------------------------------------------------


def test_input_events_types_and_maxlength(runtime_platform: RuntimePlatform, new_context: NewContext) -> None:
    page, frame = open_page(runtime_platform, new_context, "input")
    # A value returned by bindinput replaces the field's text.
    upper = frame.locator("#input-upper input")
    upper.press_sequentially("abc")
    expect(frame.locator("#upper-value")).to_have_text("ABC")
    expect(upper).to_have_value("ABC")
    upper.press_sequentially("d")
    expect(frame.locator("#upper-value")).to_have_text("ABCD")
    expect(upper).to_have_value("ABCD")

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


def test_input_focus_confirm_value_and_model(runtime_platform: RuntimePlatform, new_context: NewContext) -> None:
    page, frame = open_page(runtime_platform, new_context, "input")
    # focus="{{true}}" set by code focuses the field: bindfocus; leaving it: bindblur.
    focus = frame.locator("#input-focus input")
    frame.locator("#focus-button").click()
    expect(focus).to_be_focused()
    expect(frame.locator("#focus-state")).to_have_text('focus input-focus value=""')
    focus.press_sequentially("xy")
    frame.locator("#confirm-value").click()
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
    model.press_sequentially("!")
    expect(frame.locator("#model-value")).to_have_text("two-way!")
    model.fill("new text")
    expect(frame.locator("#model-value")).to_have_text("new text")
    expect(model).to_have_value("new text")
