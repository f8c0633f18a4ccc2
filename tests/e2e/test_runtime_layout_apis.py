"""Layout APIs in the browser runtime, on examples/apis: createSelectorQuery (rects, fields,
scoping to a component, `>>>`, selectViewport, a scroll-view's node), createIntersectionObserver,
createAnimation with the `animation` attribute and this.animate, and pageScrollTo.

The example pages print what the APIs' callbacks received as JSON (`.result` readouts); these
tests act as a user (taps, the mouse wheel) inside the page's view frame and compare the readouts
with what the browser laid out.
"""

from __future__ import annotations

import re

from playwright.sync_api import FrameLocator, Locator, Page, expect

from tests.e2e.conftest import NewContext, RuntimePlatform, open_example_page
from tests.e2e.gestures import readout

APP = "apis"

APP_FRAME = ".miniapp-app:not([hidden]) .miniapp-page-frame.is-current"
RECT_KEYS = ["id", "dataset", "left", "right", "top", "bottom", "width", "height"]


def rect_of(locator: Locator) -> dict[str, float]:
    rect: dict[str, float] = locator.evaluate(
        "el => { const r = el.getBoundingClientRect();"
        " return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,"
        " width: r.width, height: r.height}; }"
    )
    return rect


def wheel_over(page: Page, locator: Locator, dy: float, steps: int = 6) -> None:
    """Turns the mouse wheel over an element (in small notches, as a user does)."""
    box = locator.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 40))
    for _ in range(steps):
        page.mouse.wheel(0, dy / steps)


def wheel_at_frame(page: Page, dy: float) -> None:
    """Turns the mouse wheel once over the middle of the page's view frame."""
    box = page.locator(f"{APP_FRAME}").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, dy)


def page_scroll_top(frame: FrameLocator) -> float:
    top: float = frame.locator("html").evaluate("el => el.ownerDocument.scrollingElement.scrollTop")
    return top


# --- index ------------------------------------------------------------------------------------


def test_index_links_every_page_of_the_example(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, APP, "index")
    expect(frame.locator("#home-ready")).to_be_visible()
    pages = [
        "query", "intersection", "animation", "scroll", "clipboard", "phone", "network-status",
        "system", "theme", "preview", "background", "update", "tabbar", "files", "transfer",
        "socket",
    ]  # fmt: skip
    for name in pages:
        expect(frame.locator(f"#nav-{name}")).to_have_count(1)
    frame.locator("#nav-query").click()
    expect(frame.locator("#measure")).to_be_visible()


# --- createSelectorQuery ---------------------------------------------------------------------


def test_bounding_client_rect_matches_the_layout_and_both_callbacks_get_it(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, APP, "query")
    frame.locator("#measure").click()
    result = readout(frame.locator("#rect-result"))
    assert result["same"] is True
    rect = result["own"]
    assert list(rect) == RECT_KEYS
    assert rect["id"] == "box"
    assert rect["dataset"] == {"kind": "box", "itemIndex": 7}
    assert (rect["width"], rect["height"]) == (200, 100)
    laid_out = rect_of(frame.locator("#box"))
    for key in ["left", "right", "top", "bottom", "width", "height"]:
        assert abs(rect[key] - laid_out[key]) < 0.01, key


def test_select_all_in_document_order_and_what_matches_nothing(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, APP, "query")
    frame.locator("#select-all").click()
    result = readout(frame.locator("#all-result"))
    assert result == {
        "count": 3,
        "ids": ["item-1", "item-2", "item-3"],
        "ns": [1, 2, 3],
        "heights": [30, 40, 50],
        "none": [],
    }
    frame.locator("#select-missing").click()
    assert readout(frame.locator("#missing-result")) == {"missing": None, "length": 1}


def test_queries_are_scoped_to_their_page_or_component_and_cross_with_three_arrows(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, APP, "query")
    # The page's query: its own #same, nothing inside the component, the component's host.
    frame.locator("#page-scope").click()
    assert readout(frame.locator("#page-scope-result")) == {
        "sameWidth": 120,
        "inner": None,
        "probeId": "probe",
    }
    # The component's query: its own #same (with its dataset), never the page's nodes.
    frame.locator("#component-scope").click()
    assert readout(frame.locator("#probe-result")) == {
        "sameWidth": 50,
        "sameDataset": {"where": "component"},
        "pageClass": None,
        "pageBox": None,
    }
    # `>>>` reaches into the component; the page's #same comes first in document order.
    frame.locator("#deep").click()
    assert readout(frame.locator("#deep-result")) == {
        "inner": [{"id": "same", "width": 50, "dataset": {"where": "component"}}],
        "sameWidths": [120, 50],
    }


def test_fields_viewport_and_the_scroll_view_node(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, APP, "query")
    sv = frame.locator("#sv")
    scroller = frame.locator("#sv > .wx-scroll-view-scroller")
    frame.locator("#fields").click()
    fields = readout(frame.locator("#fields-result"))
    laid_out = rect_of(sv)
    expected_style = sv.evaluate(
        "el => { const cs = getComputedStyle(el);"
        " return {backgroundColor: cs.backgroundColor, overflow: cs.overflow,"
        " 'box-sizing': cs.boxSizing}; }"
    )
    assert fields["id"] == "sv"
    assert fields["dataset"] == {"role": "list"}
    assert fields["mark"] == {"part": "sv"}
    assert (fields["width"], fields["height"]) == (laid_out["width"], laid_out["height"])
    assert fields["scrollTop"] == 0 and fields["scrollLeft"] == 0
    assert fields["scrollHeight"] == scroller.evaluate("el => el.scrollHeight")
    assert fields["scrollY"] is True
    assert fields["backgroundColor"] == "rgb(250, 250, 250)"
    assert {k: fields[k] for k in expected_style} == expected_style
    assert "left" not in fields  # rect was not asked for

    # selectViewport: the page's scroll and the window.
    wheel_over(page, frame.locator("#box"), 240)
    frame.locator("#viewport").click()
    viewport = readout(frame.locator("#viewport-result"))
    scrolled = page_scroll_top(frame)
    assert scrolled > 0
    assert viewport["offset"]["id"] == "" and viewport["offset"]["dataset"] == {}
    assert viewport["offset"]["scrollTop"] == scrolled
    size = frame.locator("html").evaluate("() => [innerWidth, innerHeight]")
    # (The page grew when the readout was shown: the height is checked loosely.)
    assert viewport["offset"]["scrollHeight"] > size[1] + scrolled
    assert viewport["rect"] == {
        "id": "",
        "dataset": {},
        "left": 0,
        "right": size[0],
        "top": 0,
        "bottom": size[1],
        "width": size[0],
        "height": size[1],
    }

    # The scroll-view's node is its ScrollViewContext: scrollTo and scrollIntoView move it.
    frame.locator("#node").click()
    assert readout(frame.locator("#node-result")) == {"hasScrollTo": True, "scrollEnabled": True}
    expect(scroller).to_have_js_property("scrollTop", 150)
    row_top = frame.locator("#row-12").evaluate(
        "el => { const s = el.closest('.wx-scroll-view-scroller');"
        " return el.getBoundingClientRect().top - s.getBoundingClientRect().top + s.scrollTop; }"
    )
    frame.locator("#node-into").click()
    expect(scroller).to_have_js_property("scrollTop", round(row_top))


# --- createIntersectionObserver --------------------------------------------------------------


def test_intersection_observer_reports_entering_and_leaving(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, APP, "intersection")
    state = frame.locator("#io-state")
    # Out of view from the start, as the initial ratio (0) says: nothing is reported.
    expect(frame.locator("#io-count")).to_have_text("0")
    expect(state).to_have_text("not reported")

    # Scrolled into view: reported with a ratio above 0.
    for _ in range(12):
        wheel_at_frame(page, 300)
        if state.inner_text() == "visible":
            break
    expect(state).to_have_text("visible")
    entered = readout(frame.locator("#io-result"))
    assert set(entered) == {
        "id",
        "dataset",
        "time",
        "intersectionRatio",
        "intersectionRect",
        "boundingClientRect",
        "relativeRect",
    }
    assert entered["id"] == "target" and entered["dataset"] == {"name": "target"}
    assert 0 < entered["intersectionRatio"] <= 1
    size = frame.locator("html").evaluate("() => [innerWidth, innerHeight]")
    assert entered["relativeRect"] == {"left": 0, "right": size[0], "top": 0, "bottom": size[1]}
    box = entered["boundingClientRect"]
    assert set(box) == {"left", "right", "top", "bottom", "width", "height"}
    assert box["height"] == 100
    inter = entered["intersectionRect"]
    assert inter["top"] == max(box["top"], 0) and inter["bottom"] == min(box["bottom"], size[1])
    assert abs(entered["intersectionRatio"] - inter["height"] / box["height"]) < 0.01

    # Scrolled back out: reported with ratio 0.
    for _ in range(12):
        wheel_at_frame(page, -400)
        if page_scroll_top(frame) == 0:
            break
    expect(state).to_have_text("hidden")
    left = readout(frame.locator("#io-result"))
    assert left["intersectionRatio"] == 0
    assert int(frame.locator("#io-count").inner_text()) >= 2


def test_intersection_observer_relative_to_a_scroll_view(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, APP, "intersection")
    expect(frame.locator("#sv-count")).to_have_text("0")
    wheel_over(page, frame.locator("#io-sv"), 240, steps=4)
    expect(frame.locator("#sv-state")).to_have_text("visible")
    wheel_over(page, frame.locator("#io-sv"), -400, steps=4)
    expect(frame.locator("#sv-state")).to_have_text("hidden")
    expect(frame.locator("#sv-count")).to_have_text("2")


# --- createAnimation and the animation attribute ---------------------------------------------


def test_animation_attribute_plays_the_steps_and_fires_transitionend(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, APP, "animation")
    box = frame.locator("#anim-box")
    frame.locator("#play").click()
    step_one = [{"type": "translateX", "args": [100]}, {"type": "rotate", "args": [45]}]
    assert readout(frame.locator("#export-result")) == {
        "actions": [
            {
                "animates": step_one,
                "option": {
                    "transformOrigin": "50% 50% 0",
                    "transition": {"duration": 300, "timingFunction": "ease", "delay": 0},
                },
            },
            {
                # Transforms carry over to the next step, as WeChat's do.
                "animates": [*step_one, {"type": "style", "args": ["opacity", 0.5]}],
                "option": {
                    "transformOrigin": "50% 50% 0",
                    "transition": {"duration": 200, "timingFunction": "linear", "delay": 0},
                },
            },
        ]
    }
    # export() cleared what it handed out.
    assert readout(frame.locator("#export-again")) == {"actions": []}

    # One transitionend per step, bubbling to the parent's bindtransitionend.
    expect(frame.locator("#end-count")).to_have_text("2")
    expect(frame.locator("#stage-count")).to_have_text("2")
    assert readout(frame.locator("#end-result")) == {
        "type": "transitionend",
        "detail": {"elapsedTime": 0.2},
        "target": "anim-box",
    }
    expect(box).to_have_css("opacity", "0.5")
    expect(box).to_have_css(
        "transform",
        re.compile(r"matrix\(0\.7071\d*, 0\.7071\d*, -0\.7071\d*, 0\.7071\d*, 100, 0\)"),
    )
    expect(box).to_have_css("transition-timing-function", "linear")
    # The data never becomes a DOM attribute.
    assert box.evaluate("el => el.hasAttribute('animation')") is False

    frame.locator("#reset").click()
    expect(box).to_have_css("opacity", "1")
    expect(box).to_have_css("transform", "matrix(1, 0, 0, 1, 0, 0)")


def test_this_animate_plays_keyframes_and_clear_animation_undoes_them(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, APP, "animation")
    box = frame.locator("#kf-box")
    expect(box).to_have_css("opacity", "1")
    frame.locator("#keyframes").click()
    expect(frame.locator("#kf-result")).to_have_text("done")
    expect(box).to_have_css("opacity", "0.4")
    expect(box).to_have_css("transform", "matrix(1, 0, 0, 1, 60, 0)")
    expect(box).to_have_css("background-color", "rgb(250, 81, 81)")
    frame.locator("#clear").click()
    expect(frame.locator("#kf-result")).to_have_text("cleared")
    expect(box).to_have_css("opacity", "1")
    expect(box).to_have_css("transform", "none")


# --- pageScrollTo ------------------------------------------------------------------------------


def test_page_scroll_to_by_scroll_top_and_by_selector(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, APP, "scroll")
    html = frame.locator("html")
    frame.locator("#to-200").click()
    expect(frame.locator("#scroll-result")).to_have_text("pageScrollTo:ok")
    expect(html).to_have_js_property("scrollTop", 200)
    expect(frame.locator("#scroll-top")).to_have_text("200")

    section_top = frame.locator("#section-3").evaluate(
        "el => el.getBoundingClientRect().top + el.ownerDocument.scrollingElement.scrollTop"
    )
    frame.locator("#to-section").click()
    expect(frame.locator("#scroll-result")).to_have_text("pageScrollTo:ok")
    expect(html).to_have_js_property("scrollTop", round(section_top - 20))
    expect(frame.locator("#scroll-top")).to_have_text(str(round(section_top - 20)))
    # The section is where the selector put it: 20 px below the top of the page's viewport.
    assert abs(rect_of(frame.locator("#section-3"))["top"] - 20) < 1

    frame.locator("#to-nothing").click()
    expect(frame.locator("#scroll-result")).to_have_text(
        'pageScrollTo:fail "scrollTop" or "selector" needs to be defined'
    )
    frame.locator("#to-missing").click()
    expect(frame.locator("#scroll-result")).to_have_text(
        'pageScrollTo:fail node "#missing" not found'
    )
    expect(html).to_have_js_property("scrollTop", round(section_top - 20))
