"""The simulator page (/dev, web/dev/) on the real Chromium, against a live server in development
mode whose watcher rebuilds the sample project as the test edits it.

Each test gets a fresh browser context. A page error fails the test, and so does a console error
the test did not expect: the simulator writes compile and runtime errors to the browser's console
on purpose, so the tests that cause them say which they expect, and check them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, ConsoleMessage, FrameLocator, Page, expect

from tests.devtools.conftest import DevServer, edit

expect.set_options(timeout=15_000)

CURRENT_PAGE = "#screen .miniapp-page-frame.is-current"


@dataclass
class Simulator:
    page: Page
    server: DevServer
    console_errors: list[str] = field(default_factory=list)
    expected_errors: list[str] = field(default_factory=list)

    @property
    def app(self) -> FrameLocator:
        """The mini program's current page (a sandboxed view frame inside the phone)."""
        return self.page.frame_locator(CURRENT_PAGE)

    def tab(self, name: str) -> None:
        self.page.get_by_role("tab", name=name).click()

    def console_entries(self) -> list[str]:
        return [" ".join(text.split()) for text in self.page.locator(".dev-log").all_inner_texts()]


@pytest.fixture
def simulator(browser: Browser, dev_server: DevServer) -> Iterator[Simulator]:
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page_errors: list[str] = []
    page = context.new_page()
    sim = Simulator(page=page, server=dev_server)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            sim.console_errors.append(message.text)

    context.on("console", on_console)
    context.on("weberror", lambda error: page_errors.append(str(error.error)))
    try:
        yield sim
    finally:
        context.close()
    assert page_errors == []
    unexpected = [
        text
        for text in sim.console_errors
        if not any(expected in text for expected in sim.expected_errors)
    ]
    assert unexpected == []


def open_simulator(sim: Simulator, query: str = "") -> None:
    sim.page.goto(f"{sim.server.url}/dev{query}")
    expect(sim.page.locator("#build-status")).to_have_attribute("data-state", "ok")


def test_the_app_runs_in_the_phone_and_follows_every_save(simulator: Simulator) -> None:
    sim = simulator
    open_simulator(sim)
    expect(sim.app.locator("#greeting")).to_have_text("Hello from the simulator")
    # As in WeChat's devtools, the app knows it runs a development build.
    expect(sim.app.locator("#env-version")).to_have_text("develop")
    expect(sim.page.locator("#build-status")).to_contain_text("Build 1 · ok")
    screen = sim.page.locator("#screen").bounding_box()
    assert screen is not None and (screen["width"], screen["height"]) == (375, 667)
    frame = sim.page.locator(CURRENT_PAGE).bounding_box()
    assert frame is not None
    assert screen["x"] <= frame["x"] and frame["x"] + frame["width"] <= screen["x"] + 375
    assert screen["y"] <= frame["y"] and frame["y"] + frame["height"] <= screen["y"] + 667
    expect(sim.page).to_have_title("Dev Sample · Simulator")

    index = sim.server.source("pages/index/index.wxml")
    edit(index, "Hello from the simulator", "Saved a moment ago")
    expect(sim.app.locator("#greeting")).to_have_text("Saved a moment ago")
    expect(sim.page.locator("#build-status")).to_contain_text("Build 2 · ok")
    expect(sim.page.locator(".dev-log").filter(has_text="Build 2 compiled")).to_have_count(1)
    assert sim.console_errors == []


def test_compile_errors_show_in_the_console_while_the_last_good_app_runs(
    simulator: Simulator,
) -> None:
    sim = simulator
    sim.expected_errors = ["pages/index/index.js:9:", "pages/index/index.wxml:4:27"]
    open_simulator(sim)
    expect(sim.app.locator("#greeting")).to_have_text("Hello from the simulator")
    script = sim.server.source("pages/index/index.js")
    edit(script, "this.setData({ count: this.data.count + 1", "this.setData({ count: ;")
    status = sim.page.locator("#build-status")
    expect(status).to_have_attribute("data-state", "failed")
    expect(status).to_contain_text("Build 2 · 1 error(s)")
    failure = sim.page.locator(".dev-log[data-source=compile][data-level=error]")
    expect(failure.filter(has_text="pages/index/index.js:9:")).to_contain_text("JS_SYNTAX")
    expect(failure.filter(has_text="Build 2 failed")).to_contain_text("last good build")
    # The last good build keeps running.
    expect(sim.app.locator("#greeting")).to_have_text("Hello from the simulator")
    sim.app.locator("#add").click()
    expect(sim.app.locator("#count")).to_have_text("Count: 1")

    wxml = sim.server.source("pages/index/index.wxml")
    edit(wxml, "Count: {{count}}", "Count: {{count")
    expect(failure.filter(has_text="pages/index/index.wxml:4:27")).to_contain_text(
        "WXML_UNTERMINATED_BINDING"
    )
    expect(status).to_contain_text("Build 3 · 2 error(s)")

    edit(wxml, "Count: {{count", "Count: {{count}}")
    edit(script, "this.setData({ count: ;", "this.setData({ count: this.data.count + 1")
    expect(status).to_have_attribute("data-state", "ok")
    expect(sim.app.locator("#count")).to_have_text("Count: 0")  # relaunched
    # Each diagnostic also went to the browser's console, file and line first.
    assert any(text.startswith("pages/index/index.js:9:") for text in sim.console_errors)
    assert any(
        "pages/index/index.wxml:4:27 WXML_UNTERMINATED_BINDING" in t for t in sim.console_errors
    )


def test_a_runtime_error_in_a_tap_handler_names_the_file_and_line(simulator: Simulator) -> None:
    sim = simulator
    sim.expected_errors = ["boom from a tap"]
    open_simulator(sim)
    sim.tab("AppData")  # away from the Console: its tab counts the new error
    sim.app.locator("#boom").click()
    expect(sim.page.locator("#console-unread")).to_have_text("1")
    sim.tab("Console")
    expect(sim.page.locator("#console-unread")).to_be_hidden()
    error = sim.page.locator(".dev-log[data-source=logic][data-level=error]")
    expect(error).to_have_count(1)
    expect(error.locator(".dev-log-where")).to_have_text("pages/index/index.js:13")
    expect(error.locator(".dev-log-message")).to_have_text("boom from a tap")
    expect(error.locator("details")).to_contain_text("Stack")
    # The app's console output is there too.
    expect(sim.page.locator(".dev-log[data-level=log]")).to_contain_text(["index page loaded"])
    assert sim.console_errors == ["[logic] pages/index/index.js:13 boom from a tap"]


def test_appdata_shows_the_page_and_component_data_after_a_tap(simulator: Simulator) -> None:
    sim = simulator
    open_simulator(sim)
    sim.tab("AppData")
    page_data = sim.page.locator("#appdata-page")
    expect(page_data).to_contain_text('"count": 0')
    expect(sim.page.locator("#appdata-route")).to_have_text("Page pages/index/index")
    sim.app.locator("#add").click()
    sim.app.locator("#add").click()
    expect(page_data).to_contain_text('"count": 2')
    expect(page_data).to_contain_text('"label": "tapped"')
    component = sim.page.locator(".dev-component")
    expect(component.locator("summary")).to_have_text("components/badge/badge#visits")
    expect(component).to_contain_text('"visits": 1')
    expect(sim.page.locator("#appdata-components-title")).to_have_text("Components (1)")


def test_storage_shows_what_the_app_stored_and_clears_it(simulator: Simulator) -> None:
    sim = simulator
    open_simulator(sim)
    sim.tab("Storage")
    rows = sim.page.locator("#storage-rows tr")
    expect(rows).to_have_text(['lastPage "index"', 'launchedBy "simulator"'], use_inner_text=True)
    sim.app.locator("#add").click()
    expect(rows.filter(has_text="count")).to_have_text("count 1", use_inner_text=True)
    expect(sim.page.locator("#storage-summary")).to_contain_text("3 key(s)")
    sim.page.get_by_role("button", name="Clear storage").click()
    # Cleared, and the app started again from empty storage: only what it stores at launch.
    expect(rows).to_have_text(['lastPage "index"', 'launchedBy "simulator"'], use_inner_text=True)
    expect(sim.page.locator(".dev-log").filter(has_text="Storage cleared")).to_have_count(1)
    expect(sim.app.locator("#count")).to_have_text("Count: 0")


def test_a_direct_url_opens_that_page_with_its_query_and_edits_keep_it(
    simulator: Simulator,
) -> None:
    sim = simulator
    open_simulator(sim, "?path=pages/detail/detail&query=id%3D42%26kind%3Dbook")
    expect(sim.app.locator("#detail")).to_have_text("Detail 42 of book")
    expect(sim.page.locator("#path-input")).to_have_value("pages/detail/detail")
    expect(sim.page.locator("#query-input")).to_have_value("id=42&kind=book")
    sim.tab("AppData")
    expect(sim.page.locator("#appdata-route")).to_have_text(
        "Page pages/detail/detail?id=42&kind=book"
    )
    # A save relaunches the app at the page the developer is on, with its query.
    edit(sim.server.source("pages/detail/detail.wxml"), "Detail {{id}}", "Item {{id}}")
    expect(sim.app.locator("#detail")).to_have_text("Item 42 of book")

    # Open: another page and query, from the toolbar (the URL follows, for a browser reload).
    sim.page.locator("#query-input").fill("id=7")
    sim.page.get_by_role("button", name="Open").click()
    expect(sim.app.locator("#detail")).to_have_text("Item 7 of none")
    assert sim.page.url.endswith("/dev?path=pages%2Fdetail%2Fdetail&query=id%3D7")
    sim.page.locator("#path-input").fill("")
    sim.page.locator("#query-input").fill("")
    sim.page.get_by_role("button", name="Open").click()
    expect(sim.app.locator("#greeting")).to_have_text("Hello from the simulator")
    sim.page.get_by_role("button", name="Reload").click()
    expect(sim.page.locator(".dev-log[data-level=log]")).to_have_count(2)  # loaded twice
    sim.page.locator("#path-input").fill("pages/missing/missing")
    sim.page.get_by_role("button", name="Open").click()
    expect(sim.page.locator(".dev-log[data-level=warn]")).to_contain_text(
        ["pages/missing/missing is not a page of this mini program"]
    )
