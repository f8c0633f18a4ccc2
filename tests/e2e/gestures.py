"""Pointer and locator helpers shared by the runtime's browser tests.

Coordinates are the host page's (a view frame's elements are measured from the top window), so
they can be handed to `page.mouse` as they are.
"""

from __future__ import annotations

import json
from typing import Any

from playwright.sync_api import FloatRect, Locator, Page, expect


def box_of(locator: Locator, *, scroll: bool = True) -> FloatRect:
    """An element's box once it is visible, scrolled into view first unless `scroll` is False.

    Pass `scroll=False` where scrolling would move what the test measures (a row of a picker
    column, a marker inside a map): the box is then taken where the element stands.
    """
    expect(locator).to_be_visible()
    if scroll:
        locator.scroll_into_view_if_needed()
    box = locator.bounding_box()
    assert box is not None
    return box


def center(locator: Locator, *, scroll: bool = True) -> tuple[float, float]:
    """The centre of an element inside the view frame, in the host page's coordinates."""
    box = box_of(locator, scroll=scroll)
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def size(locator: Locator) -> tuple[float, float]:
    """An element's width and height as it stands (no wait, no scrolling)."""
    box = locator.bounding_box()
    assert box is not None
    return box["width"], box["height"]


def css(locator: Locator, prop: str, pseudo: str | None = None) -> str:
    """A computed style property of an element (or of its `::before`/`::after` pseudo)."""
    return str(
        locator.evaluate(
            "(el, [prop, pseudo]) => getComputedStyle(el, pseudo).getPropertyValue(prop)",
            [prop, pseudo],
        )
    )


def drag(page: Page, start: tuple[float, float], dx: float, dy: float, steps: int = 12) -> None:
    """A mouse drag by (dx, dy) from `start`, in small moves as a finger would."""
    x, y = start
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, steps + 1):
        page.mouse.move(x + dx * i / steps, y + dy * i / steps)
    page.mouse.up()


def readout(locator: Locator) -> Any:
    """The JSON an example page wrote into an element, once it wrote something."""
    expect(locator).not_to_be_empty()
    return json.loads(locator.inner_text())


def expect_json(locator: Locator, value: object) -> None:
    """The element shows `value` as the page's JSON.stringify wrote it."""
    expect(locator).to_have_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
