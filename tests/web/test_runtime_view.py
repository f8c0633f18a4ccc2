"""The view frame (web/runtime/view/) in a real browser, driven as the host drives it.

Each test opens a blank page of the server's origin under the host pages' CSP (standing in for
the host), adds a sandboxed `<iframe src="/runtime/view.html">`, hands it a
MessageChannel port after its `loaded` message and then speaks the contract of docs/runtime.md:
`init`, `ops` batches, `pullDownRefresh`, `scrollTo`. Everything the frame posts back is kept in
`window.__view.messages` of the host page, and the tests wait on those messages (never on time).
Input is real: Playwright's mouse and keyboard act on the frame as a person would.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from playwright.sync_api import BrowserContext, Frame, Locator, Page, expect

from miniapp.web.pages import PAGE_CSP

NewContext = Callable[..., BrowserContext]

# The host side of the tests: an empty page of our origin (answered by the browser context, so the
# host app's own scripts stay out of these tests).
HOST_PATH = "/view-test-host"
HOST_PAGE = "<!doctype html><html><head><title>host</title></head><body></body></html>"

FRAME_WIDTH = 375
FRAME_HEIGHT = 600

# Runs in the host page: makes the frame, connects it on `loaded`, records what it posts.
HARNESS = """([src, width, height]) => {
  const frame = document.createElement("iframe");
  frame.id = "view";
  frame.setAttribute("sandbox", "allow-scripts");
  frame.style.cssText =
    `position:fixed;left:0;top:0;width:${width}px;height:${height}px;border:0;z-index:2147483647`;
  const channel = new MessageChannel();
  const view = { messages: [], loaded: 0, port: channel.port1, frame };
  channel.port1.onmessage = (event) => view.messages.push(event.data);
  window.addEventListener("message", (event) => {
    if (event.source !== frame.contentWindow || !event.data || event.data.t !== "loaded") return;
    view.loaded += 1;
    if (view.loaded === 1) {
      frame.contentWindow.postMessage({ t: "connect", v: 1 }, "*", [channel.port2]);
    }
  });
  view.send = (message) => view.port.postMessage(message);
  // Does `message` contain `want` (objects compared key by key, anything else as JSON)?
  view.matches = function matches(message, want) {
    if (want === null || typeof want !== "object" || Array.isArray(want)) {
      return JSON.stringify(message) === JSON.stringify(want);
    }
    if (message === null || typeof message !== "object") return false;
    return Object.keys(want).every((key) => matches(message[key], want[key]));
  };
  view.find = (since, want) => {
    for (let i = since; i < view.messages.length; i++) {
      if (view.matches(view.messages[i], want)) return { index: i, message: view.messages[i] };
    }
    return null;
  };
  window.__view = view;
  frame.src = src;
  document.body.appendChild(frame);
}"""


class View:
    """One view frame in the host page, and the conversation with it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.seq = itertools.count(1)
        self.mark = 0
        handle = page.locator("#view").element_handle()
        assert handle is not None
        frame = handle.content_frame()
        assert frame is not None
        self.frame: Frame = frame
        self.body = page.frame_locator("#view")

    # --- talking to the frame ---

    def send(self, message: dict[str, Any]) -> None:
        self.page.evaluate("(m) => window.__view.send(m)", message)

    def ops(self, *ops: list[Any]) -> int:
        """Sends one batch and waits until the frame says it applied it."""
        seq = next(self.seq)
        self.send({"t": "ops", "seq": seq, "ops": list(ops)})
        self.wait({"t": "applied", "seq": seq})
        return seq

    def messages(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self.page.evaluate("() => window.__view.messages")
        return result

    def since_mark(self) -> list[dict[str, Any]]:
        return self.messages()[self.mark :]

    def set_mark(self) -> None:
        """Later waits and `since_mark` look only at messages posted after this point."""
        self.mark = len(self.messages())

    def wait(self, want: dict[str, Any], timeout: float = 10_000) -> dict[str, Any]:
        """The first message since the mark that contains `want`, waiting for it if need be."""
        found = self.page.wait_for_function(
            "([since, want]) => window.__view.find(since, want)",
            arg=[self.mark, want],
            timeout=timeout,
        ).json_value()
        message: dict[str, Any] = found["message"]
        return message

    def event(self, node: int, type_: str, **want: Any) -> dict[str, Any]:
        return self.wait({"t": "event", "id": node, "type": type_, **want})

    def events(self, type_: str | None = None) -> list[dict[str, Any]]:
        return [
            m
            for m in self.since_mark()
            if m.get("t") == "event" and (type_ is None or m.get("type") == type_)
        ]

    def sync(self) -> None:
        """Waits until the frame handled everything sent so far (an empty batch's `applied`)."""
        self.ops()

    # --- looking at the frame ---

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.frame.evaluate(expression, arg)

    def node(self, node_id: int) -> str:
        """A selector for the element of node `node_id` (the tests give elements `n<id>`)."""
        return f"#n{node_id}"

    def loc(self, selector: str) -> Locator:
        return self.body.locator(selector)


def open_view(
    new_context: NewContext,
    url: str,
    *,
    config: dict[str, Any] | None = None,
    css: list[str] | None = None,
    has_touch: bool = False,
) -> View:
    """A blank host page at the server's origin, under the host pages' CSP, with a view frame
    served by the real server (its own document and CSP), initialised and connected."""
    page = new_context(viewport={"width": 420, "height": 700}, has_touch=has_touch).new_page()
    page.route(
        url + HOST_PATH,
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": PAGE_CSP},
            body=HOST_PAGE,
        ),
    )
    page.goto(url + HOST_PATH)
    page.evaluate(HARNESS, ["/runtime/view.html", FRAME_WIDTH, FRAME_HEIGHT])
    page.wait_for_function("() => window.__view.loaded > 0")
    view = View(page)
    view.send({"t": "init", "css": css or [], "config": config or {}, "system": {}})
    view.sync()
    return view


def el(node_id: int, tag: str, parent: int = 0, **attrs: Any) -> list[list[Any]]:
    """Ops that create element `node_id`, give it the DOM id `n<id>` and attributes, and insert
    it at the end of `parent`."""
    ops: list[list[Any]] = [["el", node_id, tag], ["set", node_id, "id", f"n{node_id}"]]
    ops += [["set", node_id, name.replace("_", "-"), value] for name, value in attrs.items()]
    ops.append(["ins", parent, node_id, None])
    return ops


def text(node_id: int, value: str, parent: int) -> list[list[Any]]:
    return [["tx", node_id, value], ["ins", parent, node_id, None]]


def center(locator: Locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


PNG_100x50 = (
    "data:image/svg+xml;utf8,"
    "<svg xmlns='http://www.w3.org/2000/svg' width='100' height='50'>"
    "<rect width='100' height='50' fill='teal'/></svg>"
)


# --- the bridge and the op applier ----------------------------------------------------------


def test_bridge_and_render_ops(live_server, new_context: NewContext) -> None:
    view = open_view(
        new_context,
        live_server.url,
        css=[".big { font-size: 30px; } wx-view.pad { padding-left: calc(75 * 100vw / 750); }"],
    )

    # The frame runs at an opaque origin and posted `loaded` before anything else.
    assert view.js("() => self.origin") == "null"
    assert view.messages()[0] == {"t": "applied", "seq": 1}

    # Malformed messages are dropped and reported; the frame goes on working.
    view.send({"t": "explode"})
    view.send({"t": "ops", "seq": "7", "ops": []})
    view.send({"t": "init", "config": {}})
    view.send({"t": "scrollTo", "scrollTop": "top"})
    view.sync()
    rejected = [m["message"] for m in view.messages() if m["t"] == "error"]
    assert rejected == [
        'bridge: rejected message "explode"',
        'bridge: rejected message "ops"',
        'bridge: rejected message "init"',
        'bridge: rejected message "scrollTo"',
    ]
    assert not any(m["t"] == "applied" and m.get("seq") == "7" for m in view.messages())

    # A second connect on the window is ignored: the first port stays the only channel.
    view.page.evaluate(
        """() => {
          const channel = new MessageChannel();
          window.__second = [];
          channel.port1.onmessage = (e) => window.__second.push(e.data);
          window.__view.frame.contentWindow.postMessage({t: "connect", v: 1}, "*", [channel.port2]);
          channel.port1.postMessage({t: "ops", seq: 99, ops: []});
        }"""
    )

    # Elements with class, style, id, hidden and text; an unknown tag keeps its attributes.
    view.ops(
        *el(1, "wx-view", **{"class": "big pad", "style": "color: rgb(255, 0, 0); height: 40px"}),
        *text(2, "hello", 1),
        *el(3, "wx-view", hidden=True),
        *text(4, "secret", 3),
        *el(5, "fancy-thing", title="tip", onclick="alert(1)", **{"data-x": "1"}),
        *el(6, "wx-text", decode=True, space="nbsp"),
        *text(7, "a&lt;b&gt;  c&amp;", 6),
        *el(8, "wx-view"),
        *el(9, "a", href="https://example.org/"),
        *text(19, "link", 9),
        *el(29, "wx-view", hover_class="x"),
    )
    first = view.loc("#n1")
    expect(first).to_have_text("hello")
    expect(first).to_have_class("big pad")
    expect(first).to_have_css("color", "rgb(255, 0, 0)")
    expect(first).to_have_css("font-size", "30px")
    expect(first).to_have_css("padding-left", f"{FRAME_WIDTH / 10:g}px")
    expect(view.loc("#n3")).to_be_hidden()
    thing = view.loc("#n5")
    expect(thing).to_have_attribute("title", "tip")
    expect(thing).to_have_attribute("data-x", "1")
    assert thing.get_attribute("onclick") is None
    expect(view.loc("#n6")).to_have_text("a<b>\u00a0\u00a0c&")
    # An HTML tag that would navigate the frame is inert; built-ins reflect their properties.
    assert view.js("() => document.getElementById('n9').localName") == "wx-unknown"
    expect(view.loc("#n9")).to_have_text("link")
    expect(view.loc("#n29")).to_have_attribute("hover-class", "x")

    # Text updates, `hidden` toggles, a style sheet added later applies.
    view.send({"t": "css", "css": ["#n8 { width: 33px; }"]})
    view.ops(["txt", 2, "hello again"], ["set", 3, "hidden", False], ["set", 6, "space", None])
    expect(first).to_have_text("hello again")
    expect(view.loc("#n3")).to_be_visible()
    expect(view.loc("#n8")).to_have_css("width", "33px")
    expect(view.loc("#n6")).to_have_text("a<b>  c&")

    # A keyed move keeps the node itself (its DOM state survives), and order follows `ins`.
    view.ops(
        *el(10, "wx-view"),
        *[op for i in (11, 12, 13) for op in el(i, "wx-view", parent=10)],
        *[op for i in (11, 12, 13) for op in text(100 + i, f"row{i}", i)],
    )
    view.js("() => { document.getElementById('n13').__mark = 'kept'; }")
    view.ops(["ins", 10, 13, 11])
    expect(view.loc("#n10 > wx-view")).to_have_text(["row13", "row11", "row12"])
    assert view.js("() => document.getElementById('n13').__mark") == "kept"

    # `rm` removes the subtree and forgets its ids: later ops on them are errors, not crashes.
    view.set_mark()
    view.ops(["rm", 11], ["txt", 111, "gone"], ["set", 12, "class", "still-here"])
    expect(view.loc("#n10 > wx-view")).to_have_text(["row13", "row12"])
    expect(view.loc("#n12")).to_have_class("still-here")
    errors = [m["message"] for m in view.since_mark() if m["t"] == "error"]
    assert len(errors) == 1
    assert "unknown node 111" in errors[0]

    # Several batches sent together are applied in one frame, in order, each answered.
    view.set_mark()
    view.page.evaluate(
        """() => {
          window.__view.send({t: "ops", seq: 50, ops: [["txt", 2, "one"]]});
          window.__view.send({t: "ops", seq: 51, ops: [["txt", 2, "two"]]});
        }"""
    )
    view.wait({"t": "applied", "seq": 51})
    applied = [m["seq"] for m in view.since_mark() if m["t"] == "applied"]
    assert applied == [50, 51]
    expect(first).to_have_text("two")

    # The second connect's port never got an answer.
    assert view.page.evaluate("() => window.__second") == []


def test_large_list_update_is_fast(live_server, new_context: NewContext) -> None:
    """A first render of 2,000 nodes, then setData of one row of 1,000: applying the ops plus the
    style and layout they cause (forced in the frame) fits well within a 16 ms frame."""
    view = open_view(new_context, live_server.url)
    view.js("() => { wxView.stats.measureLayout = true; }")
    rows: list[list[Any]] = [["el", 1, "wx-view"], ["ins", 0, 1, None]]
    for i in range(1000):
        row, label = 10 + 2 * i, 11 + 2 * i
        rows += [
            ["el", row, "wx-view"],
            ["set", row, "class", "row"],
            ["tx", label, f"row {i}"],
            ["ins", row, label, None],
            ["ins", 1, row, None],
        ]
    view.ops(*rows)
    expect(view.loc("wx-view.row")).to_have_count(1000)
    first_render = view.js("() => wxView.stats.lastLayoutMs")
    assert first_render < 300, first_render

    timings = []
    for round_ in range(5):
        view.ops(
            ["txt", 11 + 2 * 500, f"changed {round_}"],
            ["set", 10 + 2 * 500, "class", "row hot"],
        )
        timings.append(view.js("() => wxView.stats.lastLayoutMs"))
    expect(view.loc("wx-view.row.hot")).to_have_text("changed 4")
    assert sorted(timings)[2] < 16, timings


# --- events ---------------------------------------------------------------------------------


def test_tap_longpress_touch_and_hover(live_server, new_context: NewContext) -> None:
    view = open_view(new_context, live_server.url)
    view.ops(
        *el(1, "wx-view", style="padding: 20px", hover_class="pressed", hover_start_time=20),
        *el(2, "wx-view", parent=1, style="height: 40px"),
        *el(3, "wx-view", style="height: 40px"),
        *el(4, "wx-button", disabled=True),
        *text(5, "Disabled", 4),
        *el(6, "wx-button", open_type="share", type="primary"),
        *text(7, "Share", 6),
        *el(8, "wx-view", style="height: 40px"),
        *el(9, "wx-navigator", url="/pages/b/b"),
        *text(10, "Go", 9),
        ["ev", 1, ["tap", "longpress", "touchstart", "touchend"]],
        ["ev", 0, ["tap"]],
        # What the logic layer registers for an open-type button and a navigator.
        ["ev", 6, ["opentype"]],
        ["ev", 9, ["tap"]],
    )

    # A click on the inner view is a tap reported on that node (its ancestor registered it).
    view.set_mark()
    view.loc("#n2").click()
    tap = view.event(2, "tap")
    x, y = center(view.loc("#n2"))
    assert abs(tap["detail"]["x"] - x) < 2 and abs(tap["detail"]["y"] - y) < 2
    assert tap["touches"][0].keys() == {"identifier", "pageX", "pageY", "clientX", "clientY"}
    assert tap["changedTouches"] == tap["touches"]
    assert tap["offset"] == {"left": 20, "top": 20}
    assert isinstance(tap["timeStamp"], int)
    # The mouse makes touchstart/touchend too (registered on the ancestor).
    types = [m["type"] for m in view.events() if m["id"] == 2]
    assert types == ["touchstart", "touchend", "tap"]

    # Only registered types are reported: #3 has nothing but the page root registered `tap`.
    view.set_mark()
    view.loc("#n3").click()
    view.event(3, "tap")
    assert [m["type"] for m in view.events()] == ["tap"]

    # A long press reports longpress and suppresses the tap that would follow; the hover class
    # shows while pressed and goes after hover-stay-time.
    view.set_mark()
    outer = view.loc("#n1")
    view.page.mouse.move(*center(view.loc("#n2")))
    view.page.mouse.down()
    expect(outer).to_have_class("pressed")
    view.event(2, "longpress")
    view.page.mouse.up()
    view.event(2, "touchend")
    expect(outer).not_to_have_class("pressed")
    view.loc("#n3").click()
    view.event(3, "tap")
    assert [m["type"] for m in view.events() if m["id"] == 2] == [
        "touchstart",
        "longpress",
        "touchend",
    ]

    # Moving the pointer away while pressed cancels the tap.
    view.set_mark()
    view.page.mouse.move(*center(view.loc("#n2")))
    view.page.mouse.down()
    x, y = center(view.loc("#n2"))
    view.page.mouse.move(x + 40, y + 60, steps=4)
    view.page.mouse.up()
    view.loc("#n3").click()
    view.event(3, "tap")
    assert [m["id"] for m in view.events("tap")] == [3]

    # A disabled button reports no tap and shows no hover; an open-type button reports its tap
    # and `opentype` for the logic layer's hook; buttons get the default hover class.
    view.set_mark()
    view.loc("#n4").click(force=True)  # aria-disabled: Playwright would wait for it
    share = view.body.get_by_role("button", name="Share")
    view.page.mouse.move(*center(share))
    view.page.mouse.down()
    expect(share).to_have_class("button-hover")
    expect(view.loc("#n4")).not_to_have_class("button-hover")
    view.page.mouse.up()
    view.event(6, "tap")
    view.event(6, "opentype", detail={"openType": "share"})
    assert not [m for m in view.events() if m["id"] == 4]
    expect(share).to_have_css("background-color", "rgb(26, 173, 25)")
    expect(view.loc("#n4")).to_have_attribute("disabled", "")

    # A navigator's tap is reported on it (the logic layer navigates).
    view.set_mark()
    view.loc("#n9").click()
    view.event(9, "tap")

    # A class the logic layer sets while pressed keeps the hover class.
    view.page.mouse.move(*center(share))
    view.page.mouse.down()
    expect(share).to_have_class("button-hover")
    view.ops(["set", 6, "class", "mine"])
    expect(share).to_have_class("mine button-hover")
    view.page.mouse.up()
    expect(share).to_have_class("mine")

    # hover-class="none" disables it (by the time the long press fires, it would show).
    view.set_mark()
    view.ops(["set", 1, "hover-class", "none"])
    view.page.mouse.move(*center(view.loc("#n2")))
    view.page.mouse.down()
    view.event(2, "longpress")
    assert "pressed" not in (outer.get_attribute("class") or "")
    view.page.mouse.up()


def test_touch_screen(live_server, new_context: NewContext) -> None:
    view = open_view(new_context, live_server.url, has_touch=True)
    view.ops(
        *el(1, "wx-view", style="height: 100px"),
        *el(2, "wx-view", parent=1, style="height: 50px"),
        ["ev", 1, ["tap", "touchstart", "touchend"]],
    )
    view.loc("#n2").tap()
    view.event(2, "tap")
    start, end = view.events("touchstart")[0], view.events("touchend")[0]
    x, y = center(view.loc("#n2"))
    assert len(start["touches"]) == 1
    assert abs(start["touches"][0]["clientX"] - x) < 2
    assert abs(start["touches"][0]["pageY"] - y) < 2
    assert end["touches"] == []
    assert len(end["changedTouches"]) == 1
    assert [m["type"] for m in view.events()] == ["touchstart", "touchend", "tap"]


def test_input(live_server, new_context: NewContext) -> None:
    view = open_view(new_context, live_server.url)
    view.ops(
        *el(1, "wx-input", placeholder="Your name", maxlength=5, confirm_type="send"),
        *el(2, "wx-input", type="number", value="12"),
        ["ev", 1, ["input", "focus", "blur", "confirm"]],
        ["ev", 2, ["input"]],
    )
    field = view.loc("#n1 input")
    expect(view.loc("#n1 .wx-input-placeholder")).to_have_text("Your name")
    expect(field).to_have_attribute("enterkeyhint", "send")

    view.set_mark()
    field.click()
    view.event(1, "focus", detail={"value": "", "height": 0})
    view.page.keyboard.type("Adalovelace")
    expect(field).to_have_value("Adalo")
    expect(view.loc("#n1 .wx-input-placeholder")).to_be_hidden()
    last = view.event(1, "input", detail={"value": "Adalo"})
    assert last["detail"]["cursor"] == 5
    assert last["detail"]["keyCode"] == ord("O")
    assert [m["detail"]["value"] for m in view.events("input")] == [
        "A",
        "Ad",
        "Ada",
        "Adal",
        "Adalo",
    ]

    # The logic layer sets the value (bindinput returning a value): the caret stays put.
    view.page.keyboard.press("ArrowLeft")
    view.page.keyboard.press("ArrowLeft")
    view.ops(["set", 1, "value", "ADALO"])
    expect(field).to_have_value("ADALO")
    view.page.keyboard.type("!")
    expect(field).to_have_value("ADALO")  # maxlength 5
    view.ops(["set", 1, "maxlength", -1])
    view.page.keyboard.type("!")
    expect(field).to_have_value("ADA!LO")

    view.page.keyboard.press("Enter")
    view.event(1, "confirm", detail={"value": "ADA!LO"})
    view.event(1, "blur", detail={"value": "ADA!LO"})

    # A form-type button submits the named fields of its form.
    view.set_mark()
    view.ops(
        *el(5, "wx-form"),
        *el(6, "wx-input", parent=5, name="nick", value="Ada"),
        *el(7, "wx-button", parent=5, form_type="submit"),
        *text(8, "Send", 7),
        ["ev", 5, ["submit"]],
    )
    view.loc("#n7").click()
    view.event(5, "submit", detail={"value": {"nick": "Ada"}})

    # type=number keeps digits only; `focus` set by the logic layer focuses the field.
    view.set_mark()
    view.ops(["set", 2, "focus", True])
    number = view.loc("#n2 input")
    expect(number).to_be_focused()
    number.press("End")
    view.page.keyboard.type("3x4")
    expect(number).to_have_value("1234")
    view.event(2, "input", detail={"value": "1234"})
    assert not view.events("focus")  # #2 registered only input


def test_image_and_icon(live_server, new_context: NewContext) -> None:
    view = open_view(new_context, live_server.url)
    view.ops(
        *el(1, "wx-image", src=PNG_100x50, mode="widthFix", style="width: 200px"),
        *el(2, "wx-image", src="/static/runtime/view/missing.png"),
        *el(3, "wx-image", src=PNG_100x50, mode="aspectFit"),
        *el(4, "wx-image", src=PNG_100x50, mode="top left", lazy_load=True),
        ["ev", 1, ["load"]],
        ["ev", 2, ["error", "load"]],
    )
    view.event(1, "load", detail={"width": 100, "height": 50})
    error = view.event(2, "error")
    assert "/static/runtime/view/missing.png" in error["detail"]["errMsg"]
    expect(view.loc("#n1")).to_have_css("height", "100px")  # widthFix: 200 × 50/100
    expect(view.loc("#n2")).to_have_css("width", "320px")
    expect(view.loc("#n2")).to_have_css("height", "240px")
    expect(view.loc("#n3 img")).to_have_css("object-fit", "contain")
    expect(view.loc("#n4 img")).to_have_css("object-fit", "none")
    expect(view.loc("#n4 img")).to_have_css("object-position", "0% 0%")
    assert view.js("() => document.querySelector('#n4 img').loading") == "lazy"

    # heightFix follows the height; a new src loads again.
    view.set_mark()
    view.ops(["set", 1, "mode", "heightFix"], ["set", 1, "style", "height: 30px"])
    expect(view.loc("#n1")).to_have_css("width", "60px")
    view.ops(["set", 2, "src", PNG_100x50])
    view.event(2, "load", detail={"width": 100, "height": 50})

    # Icons: WeChat's default colours and size, or the given ones (px or rpx).
    view.ops(
        *el(5, "wx-icon", type="success"),
        *el(6, "wx-icon", type="search", size=40, color="rgb(1, 2, 3)"),
        *el(7, "wx-icon", type="cancel", size="75rpx"),
    )
    expect(view.loc("#n5 svg")).to_have_css("width", "23px")
    expect(view.loc("#n5 svg")).to_have_css("color", "rgb(9, 187, 7)")
    expect(view.loc("#n6 svg")).to_have_css("height", "40px")
    expect(view.loc("#n6 svg")).to_have_css("color", "rgb(1, 2, 3)")
    expect(view.loc("#n7 svg")).to_have_css("width", f"{FRAME_WIDTH / 10:g}px")
    view.ops(["set", 5, "type", "warn"])
    expect(view.loc("#n5 svg")).to_have_css("color", "rgb(247, 98, 96)")


# --- page, scroll-view and swiper -------------------------------------------------------------


def test_page_scroll_and_pull_down_refresh(live_server, new_context: NewContext) -> None:
    view = open_view(
        new_context,
        live_server.url,
        config={
            "enablePullDownRefresh": True,
            "backgroundColor": "#123456",
            "backgroundTextStyle": "light",
            "onReachBottomDistance": 100,
        },
    )
    view.ops(*el(1, "wx-view", style="height: 3000px"), ["ev", 1, ["tap"]])
    assert view.js("() => getComputedStyle(document.documentElement).backgroundColor") == (
        "rgb(18, 52, 86)"
    )

    # Pull down at the top: the three dots show, and the page asks for onPullDownRefresh.
    view.set_mark()
    x, y = center(view.loc("#n1"))
    y = 100
    view.page.mouse.move(x, y)
    view.page.mouse.down()
    view.page.mouse.move(x, y + 80, steps=4)
    view.page.mouse.move(x, y + 200, steps=4)
    view.page.mouse.up()
    view.wait({"t": "pageEvent", "name": "pullDownRefresh"})
    dots = view.loc(".wx-page-refresh")
    expect(dots).to_have_class("wx-page-refresh wx-light wx-refreshing")
    expect(dots).to_have_css("height", "50px")
    assert not view.events("tap")
    view.send({"t": "pullDownRefresh", "active": False})
    expect(dots).to_have_css("height", "0px")
    # wx.startPullDownRefresh from the host shows it and fires the page hook too.
    view.set_mark()
    view.send({"t": "pullDownRefresh", "active": True})
    view.wait({"t": "pageEvent", "name": "pullDownRefresh"})
    expect(dots).to_have_css("height", "50px")
    view.send({"t": "pullDownRefresh", "active": False})
    expect(dots).to_have_css("height", "0px")

    # Wheel scrolling reports pageScroll (at most once a frame) and reachBottom near the end.
    view.set_mark()
    view.page.mouse.move(200, 300)
    view.page.mouse.wheel(0, 1200)
    scrolled = view.wait({"t": "pageEvent", "name": "pageScroll"})
    assert scrolled["payload"]["scrollTop"] > 0
    view.send({"t": "scrollTo", "scrollTop": 2450, "duration": 0})
    view.wait({"t": "pageEvent", "name": "reachBottom"})
    view.wait({"t": "pageEvent", "name": "pageScroll", "payload": {"scrollTop": 2400}})
    # Smooth scrollTo back to the top.
    view.set_mark()
    view.send({"t": "scrollTo", "scrollTop": 0, "duration": 200})
    view.wait({"t": "pageEvent", "name": "pageScroll", "payload": {"scrollTop": 0}})
    tops = [m["payload"]["scrollTop"] for m in view.since_mark() if m.get("name") == "pageScroll"]
    assert len(tops) > 2 and tops == sorted(tops, reverse=True)
    reach = [m for m in view.since_mark() if m.get("name") == "reachBottom"]
    assert reach == []

    # A page with disableScroll does not scroll.
    view.send({"t": "init", "css": [], "config": {"disableScroll": True}})
    view.sync()
    expect(view.loc("body")).to_have_css("overflow", "hidden")
    view.page.mouse.wheel(0, 500)
    view.ops(["set", 1, "class", "after-wheel"])
    assert view.js("() => document.scrollingElement.scrollTop") == 0


def test_scroll_view(live_server, new_context: NewContext) -> None:
    view = open_view(new_context, live_server.url)
    items = [op for i in range(20) for op in el(10 + i, "wx-view", parent=1, style="height: 50px")]
    view.ops(
        *el(1, "wx-scroll-view", scroll_y=True, style="height: 200px", lower_threshold=60),
        *items,
        ["ev", 1, ["scroll", "scrolltolower", "scrolltoupper"]],
    )
    scroller = view.loc("#n1 .wx-scroll-view-scroller")
    expect(scroller).to_have_css("overflow-y", "auto")

    # Wheel to the end: scroll events with WeChat's detail, then scrolltolower once.
    view.set_mark()
    view.loc("#n1").hover()
    view.page.mouse.wheel(0, 2000)
    lower = view.event(1, "scrolltolower", detail={"direction": "bottom"})
    assert lower["id"] == 1
    scroll = view.events("scroll")[0]
    assert scroll["detail"].keys() == {
        "scrollLeft",
        "scrollTop",
        "scrollHeight",
        "scrollWidth",
        "deltaX",
        "deltaY",
    }
    assert scroll["detail"]["scrollHeight"] == 1000
    assert scroll["detail"]["deltaY"] < 0

    # scroll-into-view puts the element at the top; scroll-top scrolls to a position.
    view.set_mark()
    view.ops(["set", 1, "scroll-into-view", "n15"])
    view.event(1, "scroll", detail={"scrollTop": 250})
    view.ops(["set", 1, "scrollTop", 0])
    view.event(1, "scrolltoupper", detail={"direction": "top"})
    assert len(view.events("scrolltolower")) == 0

    # The refresher: a short pull aborts, a long one refreshes until refresher-triggered is false.
    view.ops(
        ["rm", 1],
        *el(2, "wx-scroll-view", scroll_y=True, refresher_enabled=True, style="height: 300px"),
        *el(3, "wx-view", parent=2, style="height: 600px"),
        ["ev", 2, ["refresherpulling", "refresherrefresh", "refresherrestore", "refresherabort"]],
    )
    view.set_mark()
    x, y = center(view.loc("#n2"))
    view.page.mouse.move(x, y - 100)
    view.page.mouse.down()
    view.page.mouse.move(x, y - 40, steps=3)
    view.page.mouse.up()
    view.event(2, "refresherabort")
    assert view.events("refresherpulling")
    assert not view.events("refresherrefresh")
    view.set_mark()
    view.page.mouse.move(x, y - 100)
    view.page.mouse.down()
    view.page.mouse.move(x, y + 100, steps=5)
    view.page.mouse.up()
    refreshed = view.event(2, "refresherrefresh")
    assert refreshed["detail"]["dy"] >= 45
    refresher = view.loc("#n2 .wx-scroll-view-refresher")
    expect(refresher).to_have_css("height", "45px")
    view.ops(["set", 2, "refresher-triggered", True])
    view.ops(["set", 2, "refresher-triggered", False])
    view.event(2, "refresherrestore")
    expect(refresher).to_have_css("height", "0px")


def test_swiper(live_server, new_context: NewContext) -> None:
    view = open_view(new_context, live_server.url)
    slides = [
        op
        for i in range(3)
        for op in (*el(10 + i, "wx-swiper-item", parent=1), *text(20 + i, f"slide {i}", 10 + i))
    ]
    view.ops(
        *el(1, "wx-swiper", indicator_dots=True, duration=100, style="height: 200px"),
        *slides,
        ["ev", 1, ["change", "animationfinish", "transition"]],
        ["ev", 10, ["tap"]],
    )
    dots = view.loc("#n1 .wx-swiper-dot")
    expect(dots).to_have_count(3)
    expect(dots.nth(0)).to_have_class("wx-swiper-dot wx-swiper-dot-active")

    # Drag to the left with the mouse: the next slide, reported as a touch change; no tap.
    view.set_mark()
    x, y = center(view.loc("#n1"))
    view.page.mouse.move(x + 100, y)
    view.page.mouse.down()
    view.page.mouse.move(x - 20, y, steps=6)
    view.page.mouse.move(x - 120, y, steps=6)
    view.page.mouse.up()
    view.event(1, "change", detail={"current": 1, "source": "touch"})
    view.event(1, "animationfinish", detail={"current": 1, "source": "touch"})
    transition = view.events("transition")[0]
    assert transition["detail"]["dx"] > 0 and transition["detail"]["dy"] == 0
    assert not view.events("tap")
    expect(dots.nth(1)).to_have_class("wx-swiper-dot wx-swiper-dot-active")
    box = view.loc("#n11").bounding_box()
    assert box is not None and abs(box["x"]) < 1

    # A click on a slide is still a tap.
    view.set_mark()
    view.ops(["ev", 11, ["tap"]])
    view.loc("#n11").click()
    view.event(11, "tap")

    # Items added later; the logic layer sets `current`; autoplay (circular) wraps around.
    view.set_mark()
    view.ops(
        *el(13, "wx-swiper-item", parent=1),
        *text(23, "slide 3", 13),
        ["set", 1, "current", 3],
    )
    view.event(1, "change", detail={"current": 3, "source": ""})
    expect(dots).to_have_count(4)
    view.set_mark()
    view.ops(
        ["set", 1, "circular", True], ["set", 1, "interval", 100], ["set", 1, "autoplay", True]
    )
    view.event(1, "change", detail={"current": 0, "source": "autoplay"})
    view.event(1, "change", detail={"current": 1, "source": "autoplay"})
    view.ops(["set", 1, "autoplay", False])
    expect(view.loc("#n1 .wx-swiper-dot-active")).to_have_count(1)

    # Removing items under the current one keeps the swiper consistent.
    view.ops(["rm", 12], ["rm", 13], ["set", 1, "current", 0])
    expect(dots).to_have_count(2)

    # Vertical, two items at a time with a next-margin: items stack down; a drag up moves one.
    vertical = [
        op
        for i in range(4)
        for op in (*el(40 + i, "wx-swiper-item", parent=30), *text(50 + i, f"v{i}", 40 + i))
    ]
    view.ops(
        ["rm", 1],
        *el(
            30,
            "wx-swiper",
            vertical=True,
            display_multiple_items=2,
            next_margin="40px",
            duration=50,
            style="height: 240px",
        ),
        *vertical,
        ["ev", 30, ["change"]],
    )
    top = view.loc("#n30").bounding_box()
    second = view.loc("#n41").bounding_box()
    assert top is not None and second is not None
    assert second["height"] == 100 and second["y"] - top["y"] == 100
    view.set_mark()
    x, y = center(view.loc("#n30"))
    view.page.mouse.move(x, y + 40)
    view.page.mouse.down()
    view.page.mouse.move(x, y - 30, steps=5)
    view.page.mouse.move(x, y - 60, steps=5)
    view.page.mouse.up()
    view.event(30, "change", detail={"current": 1, "source": "touch"})
    expect(view.loc("#n30 .wx-swiper-dots")).to_be_hidden()
