"""App and Page lifecycle in the browser runtime, on examples/lifecycle (WeChat's order).

The example appends every lifecycle call to a log it shows on each page (`#log`), so these tests
read what a user would see.
"""

from __future__ import annotations

from playwright.sync_api import FrameLocator, expect

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
        for prefix in (
            "App.onLaunch",
            "App.onShow",
            "index.onLoad",
            "index.onShow",
            "index.onReady",
        )
    ]
    assert order == sorted(order), lines
    assert "App.onLaunch path=pages/index/index" in lines[order[0]]
    assert "utm" in lines[order[0]] and "scene=1001" in lines[order[0]]
    expect(frame.locator("#route")).to_have_text("pages/index/index")
    expect(frame.locator("#stack-length")).to_have_text("1")


def test_navigate_to_with_query_then_back(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
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
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
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
    assert any("pages/error/error.js:33 lifecycle-test-rejection" in text for text in errors), (
        errors
    )


def test_missing_entry_page_calls_on_page_not_found(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, "lifecycle", path="pages/nowhere/nowhere", query="a=1")
    lines = wait_log(frame, "App.onPageNotFound")
    assert any(
        "path=pages/nowhere/nowhere" in line and "isEntryPage=true" in line for line in lines
    )
    expect(frame.locator("#query")).to_contain_text("notfound")


def test_component_properties_types_defaults_and_observers(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, "lifecycle", path="pages/comps/comps")
    expect(frame.locator("#props-default-str")).to_contain_text("default-str")
    expect(frame.locator("#props-default-num")).to_contain_text("7 (number)")
    expect(frame.locator("#props-default-flag")).to_contain_text("false")
    expect(frame.locator("#props-default-obj")).to_contain_text('{"k":"default"}')
    expect(frame.locator("#props-default-arr")).to_contain_text("[1,2]")
    expect(frame.locator("#props-coerce-str")).to_contain_text('"123" (string)')
    expect(frame.locator("#props-coerce-num")).to_contain_text("5 (number)")
    expect(frame.locator("#props-coerce-flag")).to_contain_text("true (boolean)")
    frame.locator("#num-inc").click()
    expect(frame.locator("#props-set-num-observer")).to_contain_text("1->2")


def test_data_observers_fire_for_the_paths_they_watch(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, "lifecycle", path="pages/comps/comps")
    expect(frame.locator("#obs-ab-calls")).to_have_text("0")
    frame.locator("#obs-set-a").click()
    expect(frame.locator("#obs-ab-calls")).to_have_text("1")
    frame.locator("#obs-set-both").click()
    expect(frame.locator("#obs-ab-calls")).to_have_text("2")
    frame.locator("#obs-set-deep").click()
    expect(frame.locator("#obs-obj-calls")).to_have_text("1")
    frame.locator("#obs-set-list1").click()
    frame.locator("#obs-set-list0").click()
    expect(frame.locator("#obs-list0-calls")).to_have_text("1")


def test_component_lifetimes_behaviors_select_component_and_external_classes(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, "lifecycle", path="pages/comps/comps")
    lines = wait_log(frame, "life-item(A).ready")
    attached = next(i for i, line in enumerate(lines) if line.startswith("life-item(A).attached"))
    on_load = next(i for i, line in enumerate(lines) if line.startswith("comps.onLoad"))
    ready = next(i for i, line in enumerate(lines) if line.startswith("life-item(A).ready"))
    assert attached < on_load < ready, lines
    frame.locator("#life-remove").click()
    wait_log(frame, "detached")
    # Behaviors: data, methods and lifetimes mixed in, the behavior's lifetime first.
    expect(frame.locator("#beh-from-behavior")).to_have_text("behavior-data")
    expect(frame.locator("#beh-own")).to_have_text("component-data")
    expect(frame.locator("#beh-has")).to_have_text("true")
    frame.locator("#beh-call").click()
    expect(frame.locator("#beh-result")).to_have_text("hello tester from behavior / who=component")
    lines = log_lines(frame)
    assert lines.index(
        next(x for x in lines if x.startswith("greeter-behavior.attached"))
    ) < lines.index(next(x for x in lines if x.startswith("beh-demo.attached")))
    frame.locator("#select-call").click()
    expect(frame.locator("#select-result")).to_have_text(
        "returned=1 data.count=1 is=components/counter/counter"
    )
    expect(frame.locator("#counter-value")).to_have_text("1")
    frame.locator("#select-all").click()
    expect(frame.locator("#select-result")).to_contain_text("length=3")
    expect(frame.locator("#ext-red-inner")).to_have_css("color", "rgb(255, 0, 0)")
    assert (
        frame.locator("#ext-plain-inner").evaluate("e => getComputedStyle(e).color")
        != "rgb(255, 0, 0)"
    )


def test_relations_link_and_unlink(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, "lifecycle", path="pages/relations/relations")
    expect(frame.locator("#rel-count")).to_have_text("3")
    expect(frame.locator("#rel-labels")).to_have_text("1,2,3")
    expect(frame.locator("#rel-item-1")).to_contain_text("linked")
    frame.locator("#rel-add").click()
    expect(frame.locator("#rel-count")).to_have_text("4")
    frame.locator("#rel-remove").click()
    wait_log(frame, "custom-list.unlinked")
    expect(frame.locator("#rel-count")).to_have_text("3")


def test_slots_default_and_named(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, "lifecycle", path="pages/slots/slots")
    wrap = frame.locator("#slot-default-wrap")
    expect(wrap.locator("#slot-default-content")).to_be_visible()
    expect(wrap.locator("#slot-default-second")).to_be_visible()
    order = frame.locator("#slot-default-host").evaluate(
        "w => Array.from(w.querySelectorAll('[id]')).map(e => e.id)"
        ".filter(id => id.startsWith('slot-default-'))"
    )
    assert (
        order.index("slot-default-before")
        < order.index("slot-default-content")
        < order.index("slot-default-after")
    ), order
    header = frame.locator("#named-header-wrap")
    expect(header.locator("#slot-header")).to_be_visible()
    ids = header.evaluate("w => Array.from(w.querySelectorAll('[id]')).map(e => e.id)")
    assert ids.index("slot-header") < ids.index("slot-header-2"), ids
    expect(frame.locator("#named-body-wrap #slot-body")).to_be_visible()
    expect(frame.locator("#named-footer-wrap #slot-footer")).to_be_visible()
    frame.locator("#slot-toggle").click()
    expect(frame.locator("#slot-footer-extra")).to_be_visible()


def test_trigger_event_bubbles_composed_and_catch(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, "lifecycle", path="pages/events/events")
    cases = {
        "#direct-plain": ["page.onDirectPing"],
        "#direct-bubbles": ["page.onDirectPing", "page.onOuterPing"],
        "#inner-plain": ["ev-wrapper.onInnerPing"],
        "#inner-bubbles": ["ev-wrapper.onInnerPing", "ev-wrapper.onRootPing"],
        "#inner-composed": [
            "ev-wrapper.onInnerPing",
            "ev-wrapper.onRootPing",
            "page.onWrapperPing",
            "page.onOuterPing",
        ],
    }
    for button, expected in cases.items():
        frame.locator("#clear-log").click()
        expect(frame.locator("#log-count")).to_have_text("0")
        frame.locator(button).click()
        expect(frame.locator("#log .log-line", has_text=expected[-1]).first).to_be_visible()
        got = [line.split(" ")[0] for line in log_lines(frame)]
        assert got == expected, (button, got)


def test_event_dataset_mark_capture_catch_and_mut_bind(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, "lifecycle", path="pages/events/events")
    frame.locator("#ds-target").click()
    inner = frame.locator("#ds-inner-result")
    expect(inner).to_contain_text("userId")
    expect(inner).to_contain_text('"kind":"book"')
    expect(frame.locator("#ds-outer-result")).to_contain_text('"outer":"o"')
    for tap, read, expected in (
        (
            "#cap-a-inner",
            "#cap-a-result",
            "capture:outer > capture:middle > bubble:inner > bubble:middle > bubble:outer",
        ),
        ("#cap-b-inner", "#cap-b-result", "capture:outer > capture-catch:middle"),
        ("#cap-c-inner", "#cap-c-result", "bubble:inner > catch:middle"),
        ("#mut-inner", "#mut-result", "bubble:inner > mut:middle > bubble:top"),
    ):
        frame.locator(tap).click()
        expect(frame.locator(read)).to_have_text(expected)


def test_page_hooks_scroll_reach_bottom_pull_down_share_and_tab_tap(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, "lifecycle")
    wait_log(frame, "index.onReady")
    # Scrolling: onPageScroll with scrollTop, then onReachBottom at the end of the page.
    frame.locator("#page-bottom").scroll_into_view_if_needed()
    wait_log(frame, "index.onReachBottom")
    expect(frame.locator("#reach-bottom-count")).to_have_text("1")
    assert int(frame.locator("#scroll-top").inner_text()) > 0
    # Pull down from the top of the page (enablePullDownRefresh): onPullDownRefresh, then the
    # page's wx.stopPullDownRefresh succeeds.
    frame.locator("#query").evaluate("() => window.scrollTo(0, 0)")
    box = frame.locator("#route").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 5, box["y"] + 5)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(box["x"] + 5, box["y"] + 5 + step * 20)
    page.mouse.up()
    expect(frame.locator("#pull-count")).to_have_text("1")
    wait_log(frame, "stopPullDownRefresh:ok")
    # The share button runs onShareAppMessage with from=button; its result is shown.
    frame.locator("#share-button").click()
    expect(frame.locator("#share-result")).to_contain_text('"from":"button"')
    wait_log(frame, "index.onShareAppMessage from=button")
    # The host shows the card that would be shared (title and path from the hook).
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Lifecycle demo")
    expect(dialog).to_contain_text("/pages/index/index?from=share")
    dialog.get_by_role("button", name="OK").click()
    # Tapping the current tab runs onTabItemTap.
    chrome(page, ".mpc-tabbar [aria-current]").click()
    wait_log(frame, "index.onTabItemTap index=0 pagePath=pages/index/index")


def test_page_lifetimes_of_components_follow_their_page(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, "lifecycle", path="pages/comps/comps")
    wait_log(frame, "life-item(A).ready")
    frame.locator("#clear-log").click()
    chrome(page, ".mpc-tabbar button").first.click()
    home = current_page(page)
    wait_log(home, "life-item(A).pageHide")
    chrome(page, ".mpc-tabbar button").nth(1).click()
    again = current_page(page)
    lines = wait_log(again, "life-item(A).pageShow")
    # The tab page stayed alive: no second onLoad.
    assert not [line for line in lines if line.startswith("comps.onLoad")], lines
