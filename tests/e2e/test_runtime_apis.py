"""The common wx APIs in the browser runtime, on examples/navigation: toast, modal, loading and
action sheet (drawn by the host's chrome), storage (kept in the host's IndexedDB per user and per
app), wx.request (through the host's proxy to a real server on loopback) and system and launch
information. Every result is read from the example's readouts or from the chrome.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from miniapp.apps.registry import do_register_app, do_release_bundle, find_app
from tests.e2e.conftest import NewContext, RuntimePlatform, chrome, current_page

APP = "navigation"


def open_page(
    runtime_platform: RuntimePlatform, page: Page, name: str, query: str = ""
) -> FrameLocator:
    return runtime_platform.open(page, APP, path=f"pages/{name}/{name}", query=query)


def app_entry(page: Page, appid: str) -> Any:
    return page.locator(f"#app-list [data-appid='{appid}']")


# --- toast, modal, loading, action sheet -------------------------------------------------------


def test_toast_icons_duration_and_hide(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    page.clock.install()
    frame = open_page(runtime_platform, page, "feedback")
    layer = chrome(page, ".mpc-toast-layer")
    toast = chrome(page, ".mpc-toast")
    text = chrome(page, ".mpc-toast-text")
    frame.locator("#toast-success").click()
    expect(frame.locator("#toast-result")).to_have_text('success {"errMsg":"showToast:ok"}')
    expect(layer).to_be_hidden()

    # Time stands still from here (in the host and the page frames, whose rendering waits too):
    # a toast goes only when the test moves the clock on.
    page.clock.pause_at(page.evaluate("Date.now()") + 1000)
    frame.locator("#toast-success").click()
    expect(layer).to_be_visible()
    expect(toast).to_have_attribute("data-icon", "success")
    expect(text).to_have_text("Saved")
    expect(chrome(page, ".mpc-toast-icon")).to_be_visible()
    expect(layer).not_to_have_class("mpc-toast-layer mpc-toast-mask")
    page.clock.run_for(1400)  # its duration is 1500 ms
    expect(layer).to_be_visible()
    page.clock.run_for(200)
    expect(layer).to_be_hidden()

    frame.locator("#toast-error").click()
    expect(toast).to_have_attribute("data-icon", "error")
    expect(text).to_have_text("Failed")
    page.clock.run_for(1400)
    expect(layer).to_be_visible()
    page.clock.run_for(200)  # the default duration, 1500 ms
    expect(layer).to_be_hidden()

    # A loading toast with a mask: the page under it takes no taps until it goes.
    frame.locator("#toast-loading").click()
    expect(toast).to_have_attribute("data-icon", "loading")
    expect(text).to_have_text("Working")
    expect(layer).to_have_class("mpc-toast-layer mpc-toast-mask")
    page.clock.run_for(900)
    expect(layer).to_be_visible()
    page.clock.run_for(200)
    expect(layer).to_be_hidden()

    frame.locator("#toast-none").click()
    expect(toast).to_have_attribute("data-icon", "none")
    expect(text).to_have_text("A longer message without an icon")
    expect(chrome(page, ".mpc-toast-icon-box")).to_be_hidden()
    page.clock.run_for(1600)
    expect(layer).to_be_visible()  # this one lasts 2000 ms; hideToast ends it sooner
    frame.locator("#toast-hide").click()
    expect(layer).to_be_hidden()
    page.clock.resume()
    expect(frame.locator("#toast-result")).to_have_text("hideToast hideToast:ok")


def test_modal_confirm_cancel_editable_and_promise(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = open_page(runtime_platform, page, "feedback")
    result = frame.locator("#modal-result")
    dialog = chrome(page, ".mpc-dialog")

    frame.locator("#modal").click()
    expect(dialog.locator(".mpc-dialog-title")).to_have_text("Delete?")
    expect(dialog.locator(".mpc-dialog-content")).to_have_text("This cannot be undone")
    expect(dialog.locator(".mpc-dialog-cancel")).to_have_text("Keep")
    expect(dialog.locator(".mpc-dialog-confirm")).to_have_text("Delete")
    expect(dialog.locator(".mpc-dialog-confirm")).to_have_css("color", "rgb(230, 67, 64)")
    dialog.locator(".mpc-dialog-confirm").click()
    expect(result).to_have_text('success {"cancel":false,"confirm":true,"errMsg":"showModal:ok"}')
    expect(dialog).to_have_count(0)

    frame.locator("#modal").click()
    dialog.locator(".mpc-dialog-cancel").click()
    expect(result).to_have_text('success {"cancel":true,"confirm":false,"errMsg":"showModal:ok"}')

    frame.locator("#modal-no-cancel").click()
    expect(dialog.locator(".mpc-dialog-title")).to_have_text("Notice")
    expect(dialog.locator(".mpc-dialog-cancel")).to_have_count(0)
    expect(dialog.locator(".mpc-dialog-confirm")).to_have_text("OK")
    dialog.locator(".mpc-dialog-confirm").click()
    expect(result).to_have_text('success {"cancel":false,"confirm":true,"errMsg":"showModal:ok"}')

    frame.locator("#modal-editable").click()
    field = dialog.locator(".mpc-dialog-input")
    expect(field).to_have_attribute("placeholder", "type a name")
    field.fill("Ada Lovelace")
    dialog.locator(".mpc-dialog-confirm").click()
    expect(result).to_have_text(
        'success {"cancel":false,"confirm":true,"content":"Ada Lovelace","errMsg":"showModal:ok"}'
    )

    frame.locator("#modal-promise").click()
    expect(dialog.locator(".mpc-dialog-title")).to_have_text("Promise form")
    dialog.locator(".mpc-dialog-confirm").click()
    expect(result).to_have_text('promise {"cancel":false,"confirm":true,"errMsg":"showModal:ok"}')
    frame.locator("#modal-promise").click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(result).to_have_text('promise {"cancel":true,"confirm":false,"errMsg":"showModal:ok"}')


def test_loading_and_action_sheet(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = open_page(runtime_platform, page, "feedback")
    layer = chrome(page, ".mpc-toast-layer")
    loading = frame.locator("#loading-result")

    # Shown by code, hidden by code a second later (no mask: the page stays usable).
    frame.locator("#loading-1s").click()
    expect(loading).to_have_text("shown")
    expect(chrome(page, ".mpc-toast")).to_have_attribute("data-icon", "loading")
    expect(chrome(page, ".mpc-toast-text")).to_have_text("One second")
    expect(layer).not_to_have_class("mpc-toast-layer mpc-toast-mask")
    expect(loading).to_have_text("hidden after 1000 ms")
    expect(layer).to_be_hidden()

    frame.locator("#loading-show").click()
    expect(loading).to_have_text('success {"errMsg":"showLoading:ok"}')
    expect(chrome(page, ".mpc-toast-text")).to_have_text("Loading")
    expect(layer).to_have_class("mpc-toast-layer mpc-toast-mask")
    # It stays until hideLoading. The mask keeps taps off the page, so the tap reaches the
    # button as an event sent to it (as code calling hideLoading would).
    frame.locator("#loading-hide").dispatch_event("click")
    expect(loading).to_have_text('success {"errMsg":"hideLoading:ok"}')
    expect(layer).to_be_hidden()

    action = frame.locator("#action-result")
    sheet = chrome(page, ".mpc-sheet")
    frame.locator("#action-sheet").click()
    expect(sheet.locator(".mpc-sheet-title")).to_have_text("Choose a source")
    expect(sheet.locator(".mpc-sheet-menu .mpc-sheet-item")).to_have_text(
        ["Camera", "Album", "File"]
    )
    sheet.locator(".mpc-sheet-item", has_text="Album").click()
    expect(action).to_have_text('success {"errMsg":"showActionSheet:ok","tapIndex":1}')
    expect(sheet).to_have_count(0)

    frame.locator("#action-sheet").click()
    sheet.locator(".mpc-sheet-cancel").click()
    expect(action).to_have_text('fail {"errMsg":"showActionSheet:fail cancel"}')
    frame.locator("#action-sheet").click()
    sheet.locator(".mpc-sheet-item", has_text="File").click()
    expect(action).to_have_text('success {"errMsg":"showActionSheet:ok","tapIndex":2}')


# --- storage -----------------------------------------------------------------------------------


def fill(frame: FrameLocator, selector: str, value: str) -> None:
    frame.locator(f"{selector} input").fill(value)


def test_storage_sync_async_and_promise_forms(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = open_page(runtime_platform, page, "storage")
    sync, asynchronous, promise = (
        frame.locator(f"#{kind}-result") for kind in ("sync", "async", "promise")
    )
    info = frame.locator("#info-result")

    frame.locator("#set-sync").click()
    expect(sync).to_have_text("setStorageSync greeting=hello")
    frame.locator("#get-sync").click()
    expect(sync).to_have_text('getStorageSync greeting -> "hello"')
    frame.locator("#info-sync").click()
    expect(info).to_have_text('sync {"currentSize":1,"keys":["greeting"],"limitSize":10240}')
    frame.locator("#remove-sync").click()
    expect(sync).to_have_text("removeStorageSync greeting")
    frame.locator("#get-sync").click()
    expect(sync).to_have_text('getStorageSync greeting -> ""')

    fill(frame, "#storage-key", "colour")
    fill(frame, "#storage-value", "teal")
    frame.locator("#set-async").click()
    expect(asynchronous).to_have_text("setStorage setStorage:ok")
    frame.locator("#get-async").click()
    expect(asynchronous).to_have_text('getStorage "teal" getStorage:ok')
    frame.locator("#get-sync").click()  # one store, whichever form wrote it
    expect(sync).to_have_text('getStorageSync colour -> "teal"')
    frame.locator("#info-async").click()
    expect(info).to_have_text('async {"currentSize":1,"keys":["colour"],"limitSize":10240}')
    frame.locator("#remove-async").click()
    expect(asynchronous).to_have_text("removeStorage removeStorage:ok")
    frame.locator("#get-async").click()
    expect(asynchronous).to_have_text("getStorage getStorage:fail data not found")

    fill(frame, "#storage-value", "pink")
    frame.locator("#set-promise").click()
    expect(promise).to_have_text("setStorage promise setStorage:ok")
    frame.locator("#get-promise").click()
    expect(promise).to_have_text('getStorage promise "pink"')
    fill(frame, "#storage-key", "other")
    frame.locator("#set-sync").click()
    frame.locator("#info-sync").click()
    expect(info).to_have_text('sync {"currentSize":1,"keys":["colour","other"],"limitSize":10240}')

    frame.locator("#clear-async").click()
    expect(asynchronous).to_have_text("clearStorage clearStorage:ok")
    frame.locator("#get-promise").click()
    expect(promise).to_have_text("getStorage promise getStorage:fail data not found")
    frame.locator("#info-sync").click()
    expect(info).to_have_text('sync {"currentSize":0,"keys":[],"limitSize":10240}')
    frame.locator("#set-sync").click()
    frame.locator("#clear-sync").click()
    expect(sync).to_have_text("clearStorageSync")
    frame.locator("#info-async").click()
    expect(info).to_have_text('async {"currentSize":0,"keys":[],"limitSize":10240}')


def test_storage_values_keep_their_type_and_a_missing_key_fails(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = open_page(runtime_platform, page, "storage")
    frame.locator("#store-typed").click()
    expect(frame.locator("#typed-result")).to_have_text(
        '{"a":1,"list":[1,2]} object, 42 number, true boolean'
    )
    frame.locator("#read-missing").click()
    expect(frame.locator("#missing-result")).to_have_text(
        'sync="" async getStorage:fail data not found'
    )
    # After a cold relaunch the values come back from the host's store with their types.
    page.reload()
    frame = current_page(page)
    expect(frame.locator("#storage-key")).to_be_visible()
    fill(frame, "#storage-key", "typed-number")
    frame.locator("#get-sync").click()
    expect(frame.locator("#sync-result")).to_have_text("getStorageSync typed-number -> 42")
    fill(frame, "#storage-key", "typed-object")
    frame.locator("#get-async").click()
    expect(frame.locator("#async-result")).to_have_text(
        'getStorage {"a":1,"list":[1,2]} getStorage:ok'
    )
    fill(frame, "#storage-key", "typed-boolean")
    frame.locator("#get-promise").click()
    expect(frame.locator("#promise-result")).to_have_text("getStorage promise true")


def get_greeting(frame: FrameLocator) -> Any:
    frame.locator("#get-sync").click()
    return frame.locator("#sync-result")


def storage_from_home(page: Page) -> FrameLocator:
    """From the home page: APIs tab, then the Storage link."""
    frame = current_page(page)
    expect(frame.locator("#home-shows")).to_have_text("1")
    chrome(page, ".mpc-tabbar .mpc-tab").nth(1).click()
    frame.locator("#go-storage").click()
    expect(frame.locator("#storage-key")).to_be_visible()
    return frame


def test_storage_survives_closing_and_a_cold_relaunch(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = open_page(runtime_platform, page, "storage")
    fill(frame, "#storage-value", "kept across launches")
    frame.locator("#set-sync").click()
    expect(frame.locator("#sync-result")).to_have_text(
        "setStorageSync greeting=kept across launches"
    )

    # Closed with the capsule and opened again from Discover (a hot start).
    chrome(page, ".mpc-capsule-close").click()
    app_entry(page, runtime_platform.appids[APP]).click()
    expect(get_greeting(frame)).to_have_text('getStorageSync greeting -> "kept across launches"')

    # The host page reloaded: a cold start reads the value back from the host's store.
    chrome(page, ".mpc-capsule-close").click()
    expect(app_entry(page, runtime_platform.appids[APP])).to_be_visible()
    page.reload()
    app_entry(page, runtime_platform.appids[APP]).click()
    frame = storage_from_home(page)
    expect(get_greeting(frame)).to_have_text('getStorageSync greeting -> "kept across launches"')


@pytest.fixture(scope="module")
def navigation_copy(runtime_platform: RuntimePlatform) -> str:
    """The navigation example released a second time, under another appid: the same code, so
    whatever it shows of storage is what that appid was given."""
    with runtime_platform.database.transaction() as session:
        original = find_app(session, appid=runtime_platform.appids[APP])
        assert original is not None and original.released_bundle is not None
        copy = do_register_app(session, name="navigation copy", organisation=original.organisation)
        do_release_bundle(session, app=copy, bundle_id=original.released_bundle)
        return copy.appid


def sign_in(page: Page, login: str, password: str) -> None:
    page.locator(".tabbar .tab[data-tab='me']").click()
    page.locator("#signin-login").fill(login)
    page.locator("#signin-password").fill(password)
    page.locator("#signin-form button[type='submit']").click()
    expect(page.locator("#me-signed-in")).to_be_visible()
    page.locator(".tabbar .tab[data-tab='discover']").click()


def test_storage_is_kept_apart_per_app_and_per_user(
    runtime_platform: RuntimePlatform, new_context: NewContext, navigation_copy: str
) -> None:
    page = new_context().new_page()
    appid = runtime_platform.appids[APP]
    frame = open_page(runtime_platform, page, "storage")
    fill(frame, "#storage-value", "anonymous value")
    frame.locator("#set-sync").click()
    expect(frame.locator("#sync-result")).to_have_text("setStorageSync greeting=anonymous value")
    chrome(page, ".mpc-capsule-close").click()

    # Another app (the same code under another appid) does not see it.
    app_entry(page, navigation_copy).click()
    frame = storage_from_home(page)
    expect(get_greeting(frame)).to_have_text('getStorageSync greeting -> ""')
    fill(frame, "#storage-value", "copy value")
    frame.locator("#set-sync").click()
    expect(frame.locator("#sync-result")).to_have_text("setStorageSync greeting=copy value")
    chrome(page, ".mpc-capsule-close").click()

    # A signed-in user has storage of their own: the app starts again for them.
    sign_in(page, "demo@example.com", "Try-Miniapp-2026")
    app_entry(page, appid).click()
    frame = storage_from_home(page)
    expect(get_greeting(frame)).to_have_text('getStorageSync greeting -> ""')
    fill(frame, "#storage-value", "demo value")
    frame.locator("#set-sync").click()
    expect(frame.locator("#sync-result")).to_have_text("setStorageSync greeting=demo value")
    chrome(page, ".mpc-capsule-close").click()

    # Signed out again, the app starts cold for the anonymous user and reads their value: not
    # the signed-in user's, nor the one the other app stored last.
    page.locator(".tabbar .tab[data-tab='me']").click()
    page.locator("#sign-out-button").click()
    expect(page.locator("#me-signed-out")).to_be_visible()
    page.locator(".tabbar .tab[data-tab='discover']").click()
    app_entry(page, appid).click()
    frame = storage_from_home(page)
    expect(get_greeting(frame)).to_have_text('getStorageSync greeting -> "anonymous value"')


# --- wx.request --------------------------------------------------------------------------------


@dataclass
class Upstream:
    """A tiny HTTP server on loopback; /slow answers once the test sets `release`."""

    port: int
    release: threading.Event = field(default_factory=threading.Event)
    seen: list[tuple[str, str]] = field(default_factory=list)


def _handler(upstream: Upstream) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _reply(self, body: bytes, content_type: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            upstream.seen.append((self.command, self.path))
            if self.path.startswith("/slow"):
                upstream.release.wait(timeout=30)
                self._reply(b"late", "text/plain")
                return
            echoed = {
                "body": body.decode(),
                "contentType": self.headers.get("Content-Type") or "",
                "method": self.command,
                "path": self.path,
            }
            self._reply(
                json.dumps(echoed, separators=(",", ":")).encode(),
                "application/json; charset=utf-8",
            )

        do_GET = do_POST = _handle

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the proxy giving up on /slow is expected


@pytest.fixture(scope="module")
def upstream() -> Iterator[Upstream]:
    """The server. Only development mode (the platform's dev_mode, as in the simulator) lets the
    proxy reach loopback and plain http, and it checks no domain list."""
    server = _QuietServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    state = Upstream(port=server.server_address[1])
    server.RequestHandlerClass = _handler(state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()


def request_page(runtime_platform: RuntimePlatform, page: Page, url: str) -> FrameLocator:
    frame = open_page(runtime_platform, page, "request")
    expect(frame.locator("#request-state")).to_have_text("idle")
    fill(frame, "#url-input", url)
    return frame


def test_request_get_post_and_text(
    runtime_platform: RuntimePlatform, new_context: NewContext, upstream: Upstream
) -> None:
    page = new_context().new_page()
    frame = request_page(runtime_platform, page, f"http://127.0.0.1:{upstream.port}/echo")
    state, data = frame.locator("#request-state"), frame.locator("#response-data")

    frame.locator("#send-get").click()
    expect(state).to_have_text("success")
    expect(frame.locator("#request-method")).to_have_text("GET")
    expect(frame.locator("#status-code")).to_have_text("200")
    expect(frame.locator("#content-type")).to_have_text("application/json; charset=utf-8")
    expect(frame.locator("#response-type")).to_have_text("object")  # dataType json: parsed
    # WeChat's default header, content-type application/json, goes with every request.
    expect(data).to_have_text(
        '{"body":"","contentType":"application/json","method":"GET","path":"/echo?q=mini&page=1"}'
    )
    expect(frame.locator("#request-count")).to_have_text("1")

    frame.locator("#send-post").click()
    expect(frame.locator("#request-count")).to_have_text("2")
    expect(state).to_have_text("success")
    expect(frame.locator("#request-method")).to_have_text("POST")
    expect(data).to_have_text(
        '{"body":"{\\"hello\\":\\"world\\",\\"n\\":1}","contentType":"application/json",'
        '"method":"POST","path":"/echo"}'
    )

    frame.locator("#send-text").click()
    expect(frame.locator("#request-count")).to_have_text("3")
    expect(frame.locator("#response-type")).to_have_text("string")  # dataType text: as sent
    expect(data).to_have_text(
        '{"body":"","contentType":"application/json","method":"GET","path":"/echo"}'
    )
    assert upstream.seen[-3:] == [
        ("GET", "/echo?q=mini&page=1"),
        ("POST", "/echo"),
        ("GET", "/echo"),
    ]


def test_request_timeout_abort_and_refused_urls(
    runtime_platform: RuntimePlatform, new_context: NewContext, upstream: Upstream
) -> None:
    page = new_context().new_page()
    base = f"http://127.0.0.1:{upstream.port}"
    seen_before = len(upstream.seen)
    frame = request_page(runtime_platform, page, f"{base}/slow")
    state, error = frame.locator("#request-state"), frame.locator("#request-error")

    frame.locator("#send-timeout").click()
    expect(state).to_have_text("pending")
    expect(state).to_have_text("fail")
    expect(error).to_have_text("request:fail timeout")
    upstream.release.set()

    fill(frame, "#url-input", f"{base}/echo")
    frame.locator("#send-abort").click()
    expect(frame.locator("#request-count")).to_have_text("2")
    expect(state).to_have_text("fail")
    expect(error).to_have_text("request:fail abort")
    expect(frame.locator("#response-data")).to_have_text("")

    # Refused before any connection: not http(s), or with credentials in the URL.
    fill(frame, "#url-input", f"ftp://127.0.0.1:{upstream.port}/echo")
    frame.locator("#send-get").click()
    expect(frame.locator("#request-count")).to_have_text("3")
    expect(error).to_have_text("request:fail invalid url")
    fill(frame, "#url-input", f"http://user:secret@127.0.0.1:{upstream.port}/echo")
    frame.locator("#send-get").click()
    expect(frame.locator("#request-count")).to_have_text("4")
    expect(error).to_have_text("request:fail invalid url")
    expect(state).to_have_text("fail")
    # Only the timed-out and the aborted request reached the server.
    assert [path for _method, path in upstream.seen[seen_before:]] == ["/slow", "/echo"]


# --- system and launch information -------------------------------------------------------------


def test_system_window_and_launch_information(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = open_page(runtime_platform, page, "info", query="a=1&b=two")
    expect(frame.locator("#system-info")).not_to_have_text("")
    system = json.loads(frame.locator("#system-info").inner_text())
    window = json.loads(frame.locator("#window-info").inner_text())
    pages = chrome(page, ".mpc-pages").bounding_box()
    screen = chrome(page, ".mpc").bounding_box()
    capsule = chrome(page, ".mpc-capsule").bounding_box()
    assert pages is not None and screen is not None and capsule is not None
    assert system["pixelRatio"] == page.evaluate("devicePixelRatio")
    assert system["windowWidth"] == round(pages["width"])
    assert system["windowHeight"] == round(pages["height"])  # under the navigation bar
    assert system["screenWidth"] == round(screen["width"]) == 420
    assert system["screenHeight"] == round(screen["height"])
    assert system["platform"] == "web" and system["SDKVersion"] == "3.4.0"
    # The status bar is what the chrome leaves above its bar: the capsule sits 6px under it.
    assert system["statusBarHeight"] == round(capsule["y"] - screen["y"]) - 6
    for name in (
        "windowWidth",
        "windowHeight",
        "screenWidth",
        "screenHeight",
        "pixelRatio",
        "statusBarHeight",
    ):
        assert window[name] == system[name], name
    safe = window["safeArea"]
    assert safe["top"] == system["statusBarHeight"]
    assert (safe["left"], safe["right"], safe["width"]) == (
        0,
        system["screenWidth"],
        system["screenWidth"],
    )
    assert (
        safe["bottom"] == system["screenHeight"] and safe["height"] == safe["bottom"] - safe["top"]
    )

    launch = '{"path":"pages/info/info","query":{"a":"1","b":"two"},"referrerInfo":{},"scene":1001}'
    expect(frame.locator("#launch-options")).to_have_text(launch)
    expect(frame.locator("#enter-options")).to_have_text(launch)


def test_performance_can_i_use_and_next_tick(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = open_page(runtime_platform, page, "info")
    expect(frame.locator("#performance")).to_contain_text("navigation/appLaunch")
    frame.locator("#read-performance").click()
    expect(frame.locator("#performance")).to_have_text(
        '{"count":2,"entries":["navigation/appLaunch","render/firstRender"]}'
    )

    names = [
        "request",
        "getSystemInfoSync.return.windowWidth",
        "showToast.object.icon",
        "button.open-type.share",
        "getWindowInfo",
        "nextTick",
    ]
    for index, name in enumerate(names):
        expect(frame.locator(f"#can-i-use-{index}")).to_have_text(f"{name}: true")
    expect(frame.locator("#can-i-use-6")).to_have_text("thisApiDoesNotExist: false")

    frame.locator("#next-tick").click()
    expect(frame.locator("#tick-order")).to_have_text(
        "sync-start > sync-end > nextTick(count=1) > setTimeout0"
    )
    expect(frame.locator("#tick-count")).to_have_text("1")
    frame.locator("#next-tick").click()
    expect(frame.locator("#tick-count")).to_have_text("2")
    expect(frame.locator("#tick-order")).to_have_text(
        "sync-start > sync-end > nextTick(count=2) > setTimeout0"
    )


def test_storage_quotas_answer_with_wechats_errors(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    appid = runtime_platform.register("quota", Path(__file__).parent / "quota")
    page = new_context().new_page()
    page.goto(f"{runtime_platform.url}/#app/{appid}")
    frame = current_page(page)
    frame.locator("#fill").click()
    too_long = "fail exceed storage item max length"
    expect(frame.locator("#async")).to_have_text(f"setStorage:{too_long}")
    expect(frame.locator("#sync")).to_have_text(f"setStorageSync:{too_long}")
    # Ten values of just under 1 MB fit in 10 MB; the eleventh does not.
    expect(frame.locator("#total")).to_have_text(
        "10 stored, then setStorageSync:fail exceed storage max size 10MB"
    )
    expect(frame.locator("#info")).to_have_text("10 keys, limit 10240 KB")
