"""rich-text, movable-area / movable-view, page-meta with navigation-bar, web-view and a
WeUI-style page, in the browser runtime (examples/components).

The tests act as a user (drags, taps, wheel) inside the page's view frame and read what the user
sees: texts, computed styles, positions, the host's navigation bar, and the `detail` the page's
handlers printed into `.result` elements.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import APP, NewContext, RuntimePlatform, chrome, open_example_page
from tests.e2e.gestures import center, css, drag, readout

GREEN = "rgb(26, 173, 25)"


# --- rich-text --------------------------------------------------------------------------------


def test_rich_text_renders_a_string_and_an_array_of_nodes(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, "components", "rich-text")
    html = frame.locator("#rt-html")
    expect(html.locator("h3")).to_have_text("Title")
    expect(html.locator("h3")).to_have_css("color", GREEN)
    expect(html.locator("b")).to_have_text("bold")
    expect(html.locator("i")).to_have_text("italic")
    expect(html.locator("span")).to_have_css("color", "rgb(250, 81, 81)")
    expect(html.locator("li")).to_have_count(2)
    expect(html.locator("td")).to_have_attribute("colspan", "2")
    # The page's class applies inside; id is not supported (WeChat drops it).
    expect(html.locator(".rt-box")).to_have_css("border-left-style", "solid")
    expect(html.locator("p")).not_to_have_attribute("id", "dropped-id")
    # A link is shown as text: no href, so it navigates nowhere.
    link = html.locator("a")
    expect(link).to_have_text("link")
    assert link.evaluate("a => a.getAttributeNames()") == []
    image = html.locator("img")
    expect(image).to_have_attribute("width", "20")
    expect(image).to_have_attribute("alt", "pixel")
    assert image.evaluate("img => img.getAttributeNames().sort()") == [
        "alt",
        "height",
        "src",
        "width",
    ]

    nodes = frame.locator("#rt-nodes")
    # Text nodes decode entities; tag names are case-insensitive.
    expect(nodes.locator(".rt-box")).to_contain_text("node array & entities\u00a0<ok> ")
    expect(nodes.locator("strong")).to_have_text("strong text")
    expect(nodes.locator("ol")).to_have_attribute("start", "3")
    expect(nodes).to_have_css("user-select", "text")
    expect(html).to_have_css("user-select", "none")
    # space="emsp": each space is an em space.
    expect(frame.locator("#rt-space")).to_have_text("a\u2003\u2003b")

    # A tap inside bubbles from the rich-text itself.
    frame.locator("#rt-html b").click()
    expect(frame.locator("#rt-taps")).to_have_text("1")


def test_rich_text_sanitises_hostile_input(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    # A CSP refusal of an inline handler or script would be a console error: NewContext fails
    # the test on any, so "nothing ran" also means "nothing was even tried".
    page, frame = open_example_page(runtime_platform, new_context, "components", "rich-text")
    attack = frame.locator("#rt-attack-html")
    expect(attack).to_contain_text("safe text")
    expect(attack).to_contain_text("js link")
    nodes = frame.locator("#rt-attack-nodes")
    expect(nodes).to_contain_text("array div")
    for box in (attack, nodes):
        report = box.evaluate(
            """root => {
              const all = Array.from(root.querySelectorAll("*"));
              return {
                forbidden: root.querySelectorAll(
                  "script, iframe, svg, style, object, embed, form, input, math, unknown-tag"
                ).length,
                handlers: all.flatMap(el => el.getAttributeNames().filter(n => /^on/i.test(n))),
                hrefs: all.filter(el => el.hasAttribute("href")).length,
                ids: all.filter(el => el.id !== "").length,
                images: all.filter(el => el.localName === "img")
                  .map(img => img.getAttribute("src")),
              };
            }"""
        )
        assert report == {
            "forbidden": 0,
            "handlers": [],
            "hrefs": 0,
            "ids": 0,
            "images": report["images"],
        }
        # img src: none kept that is not a network or data:image address.
        for src in report["images"]:
            assert src is None or src.startswith(("http://", "https://", "data:image/"))
    expect(attack).not_to_contain_text("unknown subtree")
    expect(attack).not_to_contain_text("parent.hacked")
    # Style values that could load or run something are dropped whole.
    styled = attack.locator("div", has_text="bad style")
    assert styled.evaluate("el => el.getAttribute('style')") is None
    assert (
        attack.locator("div", has_text="expression").evaluate("el => el.getAttribute('style')")
        is None
    )
    # The <img src=x onerror=…> of the string kept no handler; its src "x" is not a network image.
    # An array text node is text, never markup.
    expect(nodes).to_contain_text("<img src=x onerror=parent.hacked=14>")
    # The class of an array node survives, its id and handlers do not.
    expect(nodes.locator("div.kept")).to_have_text("array div")
    # Nothing ran: neither the host page nor any frame got `hacked`.
    for f in page.frames:
        assert f.evaluate("() => window.hacked === undefined")


# --- movable-area / movable-view ------------------------------------------------------------


def test_movable_view_drags_in_each_direction_and_stays_in_its_area(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "movable")
    view = frame.locator("#mv-all")
    area = frame.locator("#area-all")
    drag(page, center(view), 100, 50)
    # The readout follows each move: wait for the last one (not the first non-empty text).
    expect(frame.locator("#all-last")).to_have_text('{"x":100,"y":50,"source":"touch"}')
    expect(frame.locator("#all-sources")).to_have_text("touch")
    expect(frame.locator("#hmoves")).to_have_text("1")
    area_box = area.bounding_box()
    box = view.bounding_box()
    assert area_box and box
    assert (round(box["x"] - area_box["x"]), round(box["y"] - area_box["y"])) == (100, 50)
    # Past the edge: kept inside (300 × 200 area, 60 × 60 view). (Drags stay inside the page's
    # frame: a release outside it does not reach the frame under automation.)
    drag(page, center(view), 200, 200)
    expect(frame.locator("#all-last")).to_have_text('{"x":240,"y":140,"source":"touch"}')
    # A vertical start reports vtouchmove.
    drag(page, center(view), 0, -40)
    expect(frame.locator("#all-last")).to_have_text('{"x":240,"y":100,"source":"touch"}')
    expect(frame.locator("#vmoves")).to_have_text("1")

    drag(page, center(frame.locator("#mv-h")), 80, 40)
    expect(frame.locator("#h-last")).to_have_text('{"x":80,"y":0,"source":"touch"}')
    drag(page, center(frame.locator("#mv-v")), 40, 50)
    expect(frame.locator("#v-last")).to_have_text('{"x":0,"y":50,"source":"touch"}')
    # direction none (the default) does not move; a later drag of another view shows the page
    # handled the first.
    none = frame.locator("#mv-none")
    before = none.bounding_box()
    drag(page, center(none), 60, 30)
    drag(page, center(frame.locator("#mv-h")), -30, 0)
    expect(frame.locator("#h-last")).to_have_text('{"x":50,"y":0,"source":"touch"}')
    expect(frame.locator("#none-last")).to_be_empty()
    assert none.bounding_box() == before


def test_movable_view_x_and_y_from_data(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, "components", "movable")
    frame.locator("#move-to").click()
    # Animated there, reported with source "" (a move made by setData).
    expect(frame.locator("#all-last")).to_have_text('{"x":120,"y":60,"source":""}')
    area_box = frame.locator("#area-all").bounding_box()
    box = frame.locator("#mv-all").bounding_box()
    assert area_box and box
    assert (round(box["x"] - area_box["x"]), round(box["y"] - area_box["y"])) == (120, 60)
    # Out of range: it stops at the edge; rpx is converted with the frame's width.
    width = frame.locator("body").evaluate("() => window.innerWidth")
    frame.locator("#move-far").click()
    expected_y = round(40 * width / 750, 2)
    expect(frame.locator("#all-last")).to_have_text(
        json.dumps({"x": 240, "y": expected_y, "source": ""}, separators=(",", ":"))
    )


def test_movable_view_out_of_bounds_springs_back_and_inertia_glides(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "movable")
    bounds = frame.locator("#mv-bounds")
    area = frame.locator("#area-bounds").bounding_box()
    assert area
    x, y = center(bounds)
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 13):
        page.mouse.move(x + 330 * i / 12, y)
    # Held past the edge: it followed the finger beyond the area.
    held = bounds.bounding_box()
    assert held and held["x"] + held["width"] > area["x"] + area["width"] + 20
    expect(frame.locator("#bounds-sources")).to_have_text("touch,touch-out-of-bounds")
    page.mouse.up()
    # Released: it springs back to the edge.
    expect(frame.locator("#bounds-sources")).to_have_text("touch,touch-out-of-bounds,out-of-bounds")
    expect(frame.locator("#bounds-last")).to_have_text('{"x":240,"y":0,"source":"out-of-bounds"}')
    back = bounds.bounding_box()
    assert back and round(back["x"] + back["width"]) == round(area["x"] + area["width"])

    # A fast release glides on (source "friction") past where the finger let go.
    glide = frame.locator("#mv-inertia")
    gx, gy = center(glide)
    page.mouse.move(gx, gy)
    page.mouse.down()
    for i in range(1, 4):
        page.mouse.move(gx + 20 * i, gy)
    page.mouse.up()
    expect(frame.locator("#inertia-sources")).to_have_text("touch,friction")
    released_at = 60
    # It glides on past where it was released (60 px), reporting source "friction".
    last = readout(frame.locator("#inertia-last"))
    assert last["source"] == "friction" and last["x"] > released_at


def test_movable_view_scales_with_ctrl_wheel(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "movable")
    view = frame.locator("#mv-scale")
    page.mouse.move(*center(view))
    page.keyboard.down("Control")
    page.mouse.wheel(0, -300)
    page.keyboard.up("Control")
    result = readout(frame.locator("#scale-last"))
    assert set(result) == {"x", "y", "scale"}
    assert 1 < result["scale"] <= 2


# --- page-meta and navigation-bar -------------------------------------------------------------


def test_page_meta_styles_scrolls_and_sets_the_navigation_bar(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "page-meta")
    root = frame.locator("wx-page")
    # page-style is the page root's style (WeChat's `page`), over app.wxss's background.
    expect(root).to_have_css("background-color", "rgb(240, 248, 255)")
    expect(frame.locator("html")).to_have_css("background-color", "rgb(255, 238, 221)")
    # root-font-size: 2rem = 40px.
    expect(frame.locator("#rem-box")).to_have_css("width", "40px")
    # navigation-bar: the host's bar for this page.
    expect(chrome(page, ".mpc-title")).to_have_text("page-meta title")
    expect(chrome(page, ".mpc-nav")).to_have_css("background-color", "rgb(247, 247, 247)")
    expect(chrome(page, ".mpc-nav-spinner")).to_be_hidden()

    frame.locator("#change-bar").click()
    expect(chrome(page, ".mpc-title")).to_have_text("New title")
    expect(chrome(page, ".mpc-nav")).to_have_css("background-color", GREEN)
    expect(chrome(page, ".mpc-nav")).to_have_css("color", "rgb(255, 255, 255)")
    expect(chrome(page, ".mpc-nav-spinner")).to_be_visible()

    frame.locator("#change-style").click()
    expect(root).to_have_css("background-color", "rgb(255, 250, 205)")
    expect(root).to_have_css("font-size", "20px")

    # scroll-top scrolls the page (over scroll-duration), then scrolldone; bindscroll reports.
    frame.locator("#scroll-down").click()
    expect(frame.locator("#scroll-done")).to_have_text("1")
    assert frame.locator("html").evaluate("() => document.scrollingElement.scrollTop") == 400
    expect(frame.locator("#scroll-last")).to_have_text('{"scrollTop":400}')
    width = frame.locator("body").evaluate("() => window.innerWidth")
    frame.locator("#scroll-rpx").click()
    expect(frame.locator("#scroll-done")).to_have_text("2")
    assert frame.locator("html").evaluate("() => document.scrollingElement.scrollTop") == width


# --- web-view ---------------------------------------------------------------------------------


SITE = """<!doctype html>
<html><head><meta charset="utf-8"><title>site</title>
<script src="{platform}/static/runtime/jssdk/jweixin.js"></script></head>
<body>
<h1 id="site-title">A web page</h1>
<button id="env">env</button> <span id="env-result"></span>
<button id="send">send</button> <span id="sent">0</span>
<button id="back">back</button>
<button id="nav">navigate</button> <span id="nav-result"></span>
<script>
  var sent = 0;
  document.getElementById("env").onclick = function () {{
    wx.miniProgram.getEnv(function (res) {{
      document.getElementById("env-result").textContent = JSON.stringify(res);
    }});
  }};
  document.getElementById("send").onclick = function () {{
    wx.miniProgram.postMessage({{ data: {{ n: sent + 1 }}, success: function () {{
      sent += 1;
      document.getElementById("sent").textContent = String(sent);
    }} }});
  }};
  document.getElementById("back").onclick = function () {{
    wx.miniProgram.navigateBack({{ delta: 1 }});
  }};
  document.getElementById("nav").onclick = function () {{
    wx.miniProgram.navigateTo({{ url: "/pages/no-such-page/x", fail: function (res) {{
      document.getElementById("nav-result").textContent = res.errMsg;
    }} }});
  }};
</script>
</body></html>
"""


@pytest.fixture(scope="module")
def web_site(runtime_platform: RuntimePlatform) -> Iterator[str]:
    """A web site on loopback at another port than the platform's (so another origin)."""
    body = SITE.format(platform=runtime_platform.url).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/page.html"
    finally:
        server.shutdown()
        server.server_close()


def test_web_view_loads_talks_through_jweixin_and_delivers_messages_on_back(
    runtime_platform: RuntimePlatform, new_context: NewContext, web_site: str
) -> None:
    page, frame = open_example_page(
        runtime_platform, new_context, "components", "more", query=f"src={quote(web_site, safe='')}"
    )
    frame.locator("#nav-web-view").click()
    expect(chrome(page, ".mpc-title")).to_have_text("web-view")
    overlay = chrome(page, ".miniapp-webview")
    expect(overlay).to_be_visible()
    site = page.frame_locator(f"{APP} .miniapp-webview-frame")
    expect(site.locator("#site-title")).to_have_text("A web page")
    # It covers the whole page: what the user touches there is the web page.
    box = overlay.bounding_box()
    assert box
    assert (
        page.evaluate(
            "([x, y]) => document.elementFromPoint(x, y).className",
            [box["x"] + box["width"] / 2, box["y"] + 10],
        )
        == "miniapp-webview-frame"
    )
    # The site runs at its own origin, sandboxed.
    frame_el = chrome(page, ".miniapp-webview-frame")
    expect(frame_el).to_have_attribute("sandbox", "allow-scripts allow-same-origin allow-forms")

    site.locator("#env").click()
    expect(site.locator("#env-result")).to_have_text('{"miniprogram":true}')
    site.locator("#nav").click()
    expect(site.locator("#nav-result")).to_have_text(
        'navigateTo:fail page "pages/no-such-page/x" is not found'
    )
    site.locator("#send").click()
    expect(site.locator("#sent")).to_have_text("1")
    site.locator("#send").click()
    expect(site.locator("#sent")).to_have_text("2")
    # Messages are delivered when the page goes back: every one posted so far, in order.
    site.locator("#back").click()
    expect(chrome(page, ".mpc-title")).to_have_text("More components")
    expect(chrome(page, ".miniapp-webview")).to_have_count(0)
    seen = readout(frame.locator("#webview-result"))
    assert seen == {"load": {"src": web_site}, "message": {"data": [{"n": 1}, {"n": 2}]}}


def test_web_view_refuses_an_address_it_may_not_open(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    src = "ftp://example.com/file"
    page, frame = open_example_page(
        runtime_platform, new_context, "components", "more", query=f"src={quote(src, safe='')}"
    )
    frame.locator("#nav-web-view").click()
    notice = chrome(page, ".miniapp-webview-refused")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Cannot open this page")
    expect(notice).to_contain_text(src)
    expect(chrome(page, ".miniapp-webview-frame")).to_have_count(0)
    chrome(page, ".mpc-back").click()
    assert readout(frame.locator("#webview-result")) == {"error": {"src": src}}

    # Outside the simulator (urlCheck on), the address must be https on a registered web-view
    # domain and never this server: the host's check, called as the container calls it.
    checks = page.evaluate(
        """async () => {
          const { webviewRefusal } = await import("/static/runtime/container/webview.js");
          const registered = { domains: ["www.example.com", "pay.example.com:8443"],
                               urlCheck: true, hostOrigin: location.origin };
          const dev = { domains: [], urlCheck: false, hostOrigin: location.origin };
          return {
            listed: webviewRefusal("https://www.example.com/a?b=1", registered),
            listedPort: webviewRefusal("https://pay.example.com:8443/", registered),
            otherPort: webviewRefusal("https://www.example.com:8443/", registered),
            unregistered: webviewRefusal("https://evil.example.net/", registered),
            subdomain: webviewRefusal("https://a.www.example.com/", registered),
            http: webviewRefusal("http://www.example.com/", registered),
            credentials: webviewRefusal("https://u:p@www.example.com/", registered),
            javascript: webviewRefusal("javascript:alert(1)", registered),
            loopback: webviewRefusal("https://localhost/", registered),
            ipAddress: webviewRefusal("https://10.0.0.1/", registered),
            sameHost: webviewRefusal("https://" + location.hostname + ":8443/", registered),
            hostItself: webviewRefusal(location.origin + "/", dev),
            devHttp: webviewRefusal("http://127.0.0.1:9/", dev),
            devData: webviewRefusal("data:text/html,hi", dev),
          };
        }"""
    )
    assert checks == {
        "listed": None,
        "listedPort": None,
        "otherPort": "url not in domain list",
        "unregistered": "url not in domain list",
        "subdomain": "url not in domain list",
        "http": "scheme not allowed",
        "credentials": "credentials in url",
        "javascript": "scheme not allowed",
        "loopback": "address not allowed",
        "ipAddress": "address not allowed",
        "sameHost": "host origin",
        "hostItself": "host origin",
        "devHttp": None,
        "devData": "scheme not allowed",
    }


# --- a WeUI-style page --------------------------------------------------------------------------


def test_weui_style_page_renders_as_in_wechat(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "weui")
    width = frame.locator("body").evaluate("() => window.innerWidth")
    # page-meta: the page's style and window background; its navigation-bar sets the host's bar.
    expect(frame.locator("wx-page")).to_have_css("color", "rgba(0, 0, 0, 0.9)")
    expect(frame.locator("wx-page")).to_have_css("background-color", "rgb(237, 237, 237)")
    expect(frame.locator("html")).to_have_css("background-color", "rgb(237, 237, 237)")
    expect(chrome(page, ".mpc-title")).to_have_text("WeUI")
    expect(chrome(page, ".mpc-nav")).to_have_css("background-color", "rgb(237, 237, 237)")
    # Unknown tags are plain elements with their children, styled by class.
    cells = frame.locator("weui-cell")
    expect(cells).to_have_count(3)
    expect(frame.locator("#cells")).to_have_css("background-color", "rgb(255, 255, 255)")
    # rpx through a CSS variable: 112rpx high.
    height = cells.first.evaluate("el => el.getBoundingClientRect().height")
    assert abs(height - 112 * width / 750) < 0.5
    # :nth-child, ::before (hidden on the first), ::after content.
    expect(frame.locator("#cell-bluetooth")).to_have_css("background-color", "rgb(250, 250, 250)")
    expect(frame.locator("#cell-wifi")).to_have_css("background-color", "rgba(0, 0, 0, 0)")
    assert css(frame.locator("#cell-wifi"), "display", "::before") == "none"
    assert css(frame.locator("#cell-bluetooth"), "content", "::before") == '" "'
    assert (
        css(frame.locator("#cell-bluetooth"), "background-color", "::before")
        == "rgba(0, 0, 0, 0.1)"
    )
    assert css(frame.locator("#cell-about .weui-cell__ft"), "content", "::after") == '"›"'
    # Flex row: the value sits at the right end.
    cell = frame.locator("#cell-wifi").bounding_box()
    value = frame.locator("#cell-wifi weui-cell-ft").bounding_box()
    assert cell and value
    assert abs((value["x"] + value["width"]) - (cell["x"] + cell["width"] - 32 * width / 750)) < 1
    # env(safe-area-inset-bottom) is 0 in a browser: 16px + 0.
    expect(frame.locator("#weui-page")).to_have_css("padding-bottom", "16px")
    button = frame.locator("#van-button")
    expect(button).to_have_css("background-color", "rgb(7, 193, 96)")
    expect(button).to_have_css("display", "flex")
    button.click()
    expect(button).to_have_text("Primary (1)")
