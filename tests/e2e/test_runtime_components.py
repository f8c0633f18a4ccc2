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


def check_drawn(image: Locator, mode: str) -> None:
    from io import BytesIO

    from PIL import Image

    width, height, sx, sy, left, top = IMAGE_MODES[mode]
    shot = Image.open(BytesIO(image.screenshot())).convert("RGB")
    assert shot.size == (width + 2, height + 2), (mode, shot.size)  # 1px border
    wrong = []
    checked = 0
    # heightFix's box is wider than its grid cell: the next cell covers its right part.
    for bx in range(3, min(width, 170) - 2, 7):
        for by in range(3, height - 2, 7):
            want = wide_png_colour((bx - left) / sx, (by - top) / sy)
            near_edge = [
                wide_png_colour((bx + ex - left) / sx, (by + ey - top) / sy) for ex in (-3, 3) for ey in (-3, 3)
            ]
            if want is None or any(c != want for c in near_edge):
                continue
            got = shot.getpixel((bx + 1, by + 1))
            checked += 1
            if max(abs(a - b) for a, b in zip(got, want)) > 24:
                wrong.append(((bx, by), got, want))
    assert checked > 100, (mode, checked)
    assert not wrong, (mode, len(wrong), wrong[:5])


def test_image_modes_load_and_error(runtime_platform: RuntimePlatform, new_context: NewContext) -> None:
    page, frame = open_page(runtime_platform, new_context, "image")
    expect(frame.locator("#load-count")).to_have_text("14")
    for mode in IMAGE_MODES:
        key = mode.replace(" ", "-")
        # The load event's detail is the image's natural size.
        expect(frame.locator(f"#load-{key}")).to_have_text("200x100")
        check_drawn(frame.locator(f"#img-{key}"), mode)
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
