"""The runtime's sandbox, tested from the attacker's side in a real browser.

tests/e2e/attacker is a hostile mini program: its logic layer tries to read the host's cookies,
storage and DOM, reach the network directly, read another app's storage and forge bridge
messages. The view frame is also attacked directly (as if an injection ran there).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from playwright.sync_api import BrowserContext, Page, Request, expect

from tests.e2e.conftest import NewContext, RuntimePlatform, current_page

ATTACKER = Path(__file__).parent / "attacker"


def signed_in(context: BrowserContext, platform: RuntimePlatform) -> None:
    """A host user with a session cookie: what the attacker would like to steal."""
    token = context.request.get(f"{platform.url}/api/accounts/csrf").json()["csrf_token"]
    response = context.request.post(
        f"{platform.url}/api/accounts/signup",
        data={
            "login": f"victim-{id(context)}@example.com",
            "password": "Victim-Pass-2026",
            "display_name": "Victim",
        },
        headers={"X-CSRF-Token": token},
    )
    assert response.ok, response.text()
    assert any(cookie["name"].endswith("miniapp_session") for cookie in context.cookies())


def open_attacker(platform: RuntimePlatform, page: Page) -> None:
    appid = platform.register("attacker", ATTACKER)
    query = quote("target=" + quote(platform.url, safe=""), safe="")
    page.goto(f"{platform.url}/#app/{appid}?query={query}")


def results(page: Page) -> dict[str, str]:
    frame = current_page(page)
    expect(frame.locator("#done")).to_have_text("probed")
    out: dict[str, str] = {}
    for line in frame.locator(".result").all_inner_texts():
        name, _, value = line.partition("=")
        out[name] = value
    return out


def test_logic_layer_reaches_neither_the_host_nor_the_network(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    # The browser reports each refused connection as a CSP violation: expected here.
    new_context.expect_console_error("Content Security Policy")
    new_context.expect_console_error("Refused to")
    context = new_context()
    signed_in(context, runtime_platform)
    page = context.new_page()
    # Another app stores something first; the attacker must not see it.
    nav = runtime_platform.open(page, "navigation", path="pages/storage/storage")
    nav.locator("#set-sync").click()
    expect(nav.locator("#sync-result")).to_contain_text("greeting=hello")
    # Requests that reached a server (blocked ones end in "requestfailed" instead), made by
    # anything but the host page itself (frames, workers).
    requests: list[str] = []

    def record(request: Request) -> None:
        try:
            from_host = request.frame == page.main_frame
        except Exception:  # a worker's request has no frame
            from_host = False
        if not from_host:
            requests.append(request.url)

    page.on("requestfinished", record)
    open_attacker(runtime_platform, page)
    current_page(page).locator("#probe").click()
    got = results(page)
    assert got["document"] == "undefined"
    assert got["window"] == "undefined"
    assert got["parent"] == "undefined"
    assert got["origin"] == "null"
    for name in (
        "xhr",
        "importScripts",
        "websocket",
        "fetch",
        "fetchNoCors",
        "indexedDB",
        "caches",
    ):
        assert got[name].startswith("blocked"), (name, got[name])
    assert got["beacon"] in ("false", "absent") or got["beacon"].startswith("blocked"), got[
        "beacon"
    ]
    assert got["otherStorage"] == '""'
    assert not [url for url in requests if "/api/accounts/me" in url], requests


def test_data_renders_as_text_and_javascript_urls_do_nothing(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    new_context.expect_console_error("Content Security Policy")
    new_context.expect_console_error("Refused to")
    page = new_context().new_page()
    open_attacker(runtime_platform, page)
    frame = current_page(page)
    frame.locator("#probe").click()
    expect(frame.locator("#done")).to_have_text("probed")
    expect(frame.locator("#html")).to_contain_text("<script>alert(1)</script>")
    assert frame.locator("#html img, #html script").count() == 0
    frame.locator("#evil-nav").click()
    # Still on the probe page, and the host page did not navigate.
    expect(frame.locator("#done")).to_have_text("probed")
    assert page.url.startswith(runtime_platform.url)


def test_forged_bridge_messages_are_rejected(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    new_context.expect_console_error("Content Security Policy")
    page = new_context().new_page()
    warnings: list[str] = []
    page.on(
        "console",
        lambda message: warnings.append(message.text) if message.type == "warning" else None,
    )
    open_attacker(runtime_platform, page)
    frame = current_page(page)
    frame.locator("#forge").click()
    expect(frame.locator("#done")).to_have_text("forged")
    expect(page.locator("body")).to_be_attached()
    page.wait_for_function("() => true")
    rejected = [text for text in warnings if "bridge: rejected message" in text]
    assert len(rejected) >= 3, warnings
    # The app still works after the forgery: the bridge dropped only the bad messages.
    frame.locator("#probe").click()
    expect(frame.locator("#done")).to_have_text("probed")


def test_view_frame_is_sandboxed_even_if_compromised(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    new_context.expect_console_error("Content Security Policy")
    new_context.expect_console_error("Refused to")
    new_context.expect_console_error("Unsafe attempt to initiate navigation")
    context = new_context()
    signed_in(context, runtime_platform)
    page = context.new_page()
    frame = runtime_platform.open(page, "hello")
    expect(frame.locator("wx-button")).to_be_visible()
    probe = frame.locator("body").evaluate(
        """async () => {
          const attempt = (fn) => {
            try { return String(fn()); } catch (e) { return "blocked:" + e.name; }
          };
          const out = {
            origin: self.origin,
            cookie: attempt(() => document.cookie),
            localStorage: attempt(() => localStorage.length),
            parentDom: attempt(() => parent.document.title),
            topLocation: attempt(() => {
              top.location.href = "https://evil.example/";
              return "assigned";
            }),
          };
          try {
            await fetch("/api/accounts/me", { credentials: "include" });
            out.fetch = "allowed";
          } catch (e) {
            out.fetch = "blocked:" + e.name;
          }
          return out;
        }"""
    )
    assert probe["origin"] == "null"
    assert probe["cookie"].startswith("blocked")
    assert probe["localStorage"].startswith("blocked")
    assert probe["parentDom"].startswith("blocked")
    assert probe["fetch"].startswith("blocked")
    assert page.url.startswith(runtime_platform.url)
