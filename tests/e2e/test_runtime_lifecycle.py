"""App and Page lifecycle in the browser runtime, on examples/lifecycle (WeChat's order).

The example appends every lifecycle call to a log it shows on each page (`#log`), so these tests
read what a user would see.
"""

from __future__ import annotations

from playwright.sync_api import FrameLocator, Page, expect

from tests.e2e.conftest import NewContext, RuntimePlatform, chrome, current_page


def log_lines(frame: FrameLocator) -> list[str]:
    return [line.strip() for line in frame.locator("#log .log-line").all_inner_texts()]


def wait_log(frame: FrameLocator, line: str) -> list[str]:
    expect(frame.locator("#log .log-line", has_text=line).first).to_be_visible()
    return log_lines(frame)


def test_launch_runs_app_then_page_hooks_in_wechat_order(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, "lifecycle", query="utm=mail")
    lines = wait_log(frame, "index.onReady")
    order = [
        next(i for i, line in enumerate(lines) if line.startswith(prefix))
        for prefix in ("App.onLaunch", "App.onShow", "index.onLoad", "index.onShow", "index.onReady")
    ]
    assert order == sorted(order), lines
    assert "App.onLaunch path=pages/index/index" in lines[order[0]]
    assert "utm" in lines[order[0]] and "scene=1001" in lines[order[0]]
    expect(frame.locator("#route")).to_have_text("pages/index/index")
    expect(frame.locator("#stack-length")).to_have_text("1")


def test_navigate_to_with_query_then_back(runtime_platform: RuntimePlatform, new_context: NewContext) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, "lifecycle")
    wait_log(frame, "index.onReady")
    frame.locator("#go-second").click()
    second = current_page(page)
    lines = wait_log(second, "second.onReady")
    hide = lines.index(next(line for line in lines if line.startswith("index.onHide")))
    load = lines.index(next(line for line in lines if line.startswith("second.onLoad")))
    assert hide < load, lines
    assert "42" in lines[load] and "alpha" in lines[load]
    expect(second.locator("#stack-length")).to_have_text("2")
    # The navigation bar shows the back button on the second page; it goes back.
    chrome(page, ".mpc-back").click()
    first = current_page(page)
    lines = wait_log(first, "second.onUnload")
    unload = max(i for i, line in enumerate(lines) if line.startswith("second.onUnload"))
    shown = max(i for i, line in enumerate(lines) if line.startswith("index.onShow"))
    assert unload < shown, lines
    expect(first.locator("#route")).to_have_text("pages/index/index")


def test_error_in_a_handler_reaches_app_on_error(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    new_context.expect_console_error("lifecycle-test-")
    page = new_context().new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    frame = runtime_platform.open(page, "lifecycle")
    wait_log(frame, "index.onReady")
    frame.locator("#go-error").click()
    error_page = current_page(page)
    wait_log(error_page, "error.onShow")
    error_page.locator("#throw").click()
    lines = wait_log(error_page, "App.onError")
    assert any("lifecycle-test-error" in line for line in lines if line.startswith("App.onError"))
    expect(error_page.locator("#throw-taps")).to_have_text("1")
    error_page.locator("#reject").click()
    wait_log(error_page, "App.onUnhandledRejection lifecycle-test-rejection")
    # The host page's console names the file and line of each.
    assert any("pages/error/error.js:28 lifecycle-test-error" in text for text in errors), errors
    assert any("pages/error/error.js:33 lifecycle-test-rejection" in text for text in errors), errors


def test_missing_entry_page_calls_on_page_not_found(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, "lifecycle", path="pages/nowhere/nowhere", query="a=1")
    lines = wait_log(frame, "App.onPageNotFound")
    assert any("path=pages/nowhere/nowhere" in line and "isEntryPage=true" in line for line in lines)
    expect(frame.locator("#query")).to_contain_text("notfound")
