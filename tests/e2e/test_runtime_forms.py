"""Form controls in the browser runtime, on examples/components: textarea, checkbox(-group),
radio(-group), switch, slider, label, form and progress.

Each page prints the `detail` its handlers received as JSON into `.result` readouts; the tests act
as a user inside the page's view frame (clicks, typing, keyboard, mouse drags) and compare those
details with WeChat's documented shapes, and check what the user sees.
"""

from __future__ import annotations

import re

from playwright.sync_api import FrameLocator, Locator, expect

from tests.e2e.conftest import NewContext, RuntimePlatform, open_example_page
from tests.e2e.gestures import box_of, css, expect_json, readout

RED = "rgb(250, 81, 81)"
BLUE = "rgb(16, 174, 255)"


def checked(locator: Locator, on: bool) -> None:
    expect(locator).to_have_attribute("aria-checked", "true" if on else "false")


# --- checkbox -------------------------------------------------------------------------------


def test_checkbox_group_change_colour_disabled_code_and_model(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "checkbox")
    group = frame.locator("#group-detail")
    count = frame.locator("#change-count")
    checked(frame.locator("#cb-apple"), True)
    checked(frame.locator("#cb-pear"), False)
    expect(frame.locator("#cb-apple")).to_have_attribute("role", "checkbox")

    # A tap on a checkbox toggles it; the group reports every checked value in document order.
    frame.locator("#cb-pear").click()
    expect_json(group, {"value": ["apple", "pear"]})
    checked(frame.locator("#cb-pear"), True)
    expect(frame.locator("#cb-pear .wx-checkbox-input")).to_have_class(
        re.compile(r"\bwx-checkbox-input-checked\b")
    )
    # A tap on the wrapping label's text toggles its checkbox.
    plum = frame.locator("wx-label", has=frame.locator("#cb-plum"))
    label_box = box_of(plum)
    page.mouse.click(
        label_box["x"] + label_box["width"] - 4, label_box["y"] + label_box["height"] / 2
    )
    expect_json(group, {"value": ["apple", "pear", "plum"]})
    frame.locator("#cb-apple").click()
    expect_json(group, {"value": ["pear", "plum"]})
    expect(count).to_have_text("3")

    # The tick is drawn in `color` (the default is WeChat's green).
    frame.locator("#cb-red").click()
    expect_json(group, {"value": ["pear", "plum", "cherry"]})
    red_box = frame.locator("#cb-red .wx-checkbox-input")
    expect(red_box).to_have_css("color", RED)
    assert css(red_box, "border-right-color", "::before") == RED
    pear_box = frame.locator("#cb-pear .wx-checkbox-input")
    assert css(pear_box, "border-right-color", "::before") != RED
    assert css(frame.locator("#cb-apple .wx-checkbox-input"), "content", "::before") == "none"

    # disabled: a tap changes nothing (the next real change is counted once).
    frame.locator("#cb-disabled").click(force=True)
    checked(frame.locator("#cb-disabled"), False)
    # Keyboard: Space on a focused checkbox toggles it.
    frame.locator("#cb-apple").focus()
    frame.locator("#cb-apple").press("Space")
    expect_json(group, {"value": ["apple", "pear", "plum", "cherry"]})
    expect(count).to_have_text("5")

    # checked set by code: no change event, the boxes follow the data.
    frame.locator("#toggle-code").click()
    checked(frame.locator("#cb-code-a"), True)
    checked(frame.locator("#cb-code-b"), True)
    expect(frame.locator("#code-detail")).to_have_text("")
    frame.locator("#cb-code-a").click()
    expect_json(frame.locator("#code-detail"), {"value": ["b"]})

    # model:checked writes the state back; app WXSS restyles WeChat's inner class.
    model = frame.locator("#cb-model")
    expect(model.locator(".wx-checkbox-input")).to_have_css("border-radius", "50%")
    expect(frame.locator("#model-checked")).to_have_text("false")
    model.click()
    expect(frame.locator("#model-checked")).to_have_text("true")
    model.click()
    expect(frame.locator("#model-checked")).to_have_text("false")


# --- radio ----------------------------------------------------------------------------------


def test_radio_group_selects_one_colour_disabled_and_code(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, "components", "radio")
    result = frame.locator("#radio-detail")
    checked(frame.locator("#radio-M"), True)
    expect(frame.locator("#radio-M .wx-radio-input")).to_have_css("border-radius", "50%")

    frame.locator("#radio-L").click()
    expect_json(result, {"value": "L"})
    checked(frame.locator("#radio-L"), True)
    checked(frame.locator("#radio-M"), False)
    # Tapping the checked radio again changes nothing.
    frame.locator("#radio-L").click()
    frame.locator("#radio-disabled").click(force=True)
    checked(frame.locator("#radio-disabled"), False)
    # The label's text selects its radio; `color` fills the checked circle.
    frame.locator("wx-label", has_text="XL (red)").click()
    expect_json(result, {"value": "XL"})
    expect(frame.locator("#change-count")).to_have_text("2")
    expect(frame.locator("#radio-red .wx-radio-input")).to_have_css("background-color", RED)
    checked(frame.locator("#radio-L"), False)
    # Keyboard.
    frame.locator("#radio-S").focus()
    frame.locator("#radio-S").press("Enter")
    expect_json(result, {"value": "S"})
    expect(frame.locator("#change-count")).to_have_text("3")

    # checked set by code moves the selection within the group.
    checked(frame.locator("#radio-code-a"), True)
    frame.locator("#pick-b").click()
    checked(frame.locator("#radio-code-b"), True)
    checked(frame.locator("#radio-code-a"), False)


# --- switch ---------------------------------------------------------------------------------


def test_switch_change_colour_checkbox_type_disabled_and_model(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, "components", "switch")
    result = frame.locator("#switch-detail")
    first = frame.locator("#switch-a")
    checked(first, True)
    expect(first).to_have_attribute("role", "switch")

    first.click()
    expect(result).to_have_text('a {"value":false}')
    checked(first, False)
    colour = frame.locator("#switch-color")
    expect(colour.locator(".wx-switch-input")).not_to_have_css("background-color", RED)
    colour.click()
    expect(result).to_have_text('color {"value":true}')
    expect(colour.locator(".wx-switch-input")).to_have_css("background-color", RED)

    # disabled: nothing happens.
    frame.locator("#switch-disabled").click(force=True)
    checked(frame.locator("#switch-disabled"), False)

    # type="checkbox" draws a checkbox in `color`.
    box = frame.locator("#switch-checkbox")
    expect(box.locator(".wx-checkbox-input")).to_have_count(1)
    expect(box.locator(".wx-switch-input")).to_have_count(0)
    box.click()
    expect(result).to_have_text('checkbox {"value":true}')
    expect(frame.locator("#change-count")).to_have_text("3")
    expect(box.locator(".wx-checkbox-input")).to_have_css("color", BLUE)
    checked(box, True)

    # model:checked, and checked set by code.
    model = frame.locator("#switch-model")
    model.click()
    expect(frame.locator("#model-checked")).to_have_text("true")
    model.press("Space")
    expect(frame.locator("#model-checked")).to_have_text("false")
    checked(model, False)
    frame.locator("#set-on").click()
    expect(frame.locator("#model-checked")).to_have_text("true")
    checked(model, True)


# --- slider ---------------------------------------------------------------------------------


def rail_point(slider: Locator, fraction: float) -> tuple[float, float]:
    rail = box_of(slider.locator(".wx-slider-handle-wrapper"))
    return rail["x"] + rail["width"] * fraction, rail["y"] + rail["height"] / 2


def test_slider_drag_changing_then_change_tap_and_keyboard(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "slider")
    slider = frame.locator("#slider-step")
    shown = slider.locator(".wx-slider-value")
    expect(shown).to_have_text("40")
    thumb = box_of(slider.locator(".wx-slider-thumb"))
    start_x = thumb["x"] + thumb["width"] / 2
    start_y = thumb["y"] + thumb["height"] / 2
    assert abs(start_x - rail_point(slider, 0.4)[0]) < 2

    # A mouse drag from the thumb to 75 %: changing with stepped values, then one change.
    end_x, _ = rail_point(slider, 0.75)
    page.mouse.move(start_x, start_y)
    page.mouse.down()
    for i in range(1, 13):
        page.mouse.move(start_x + (end_x - start_x) * i / 12, start_y)
    expect(shown).to_have_text("75")
    expect(frame.locator("#change-detail")).to_have_text("")
    page.mouse.up()
    expect_json(frame.locator("#change-detail"), {"value": 75})
    expect(frame.locator("#change-count")).to_have_text("1")
    changing = [int(v) for v in frame.locator("#changing-values").inner_text().split(",")]
    assert len(changing) >= 3
    assert all(v % 5 == 0 for v in changing)
    assert changing == sorted(set(changing))
    assert changing[-1] == 75

    # A tap on the track moves there and fires change (not changing).
    page.mouse.click(*rail_point(slider, 0.2))
    expect_json(frame.locator("#change-detail"), {"value": 20})
    expect(frame.locator("#change-count")).to_have_text("2")
    expect(shown).to_have_text("20")
    assert frame.locator("#changing-values").inner_text().split(",")[-1] == "75"
    track = box_of(slider.locator(".wx-slider-track"))
    rail = box_of(slider.locator(".wx-slider-handle-wrapper"))
    assert abs(track["width"] - rail["width"] * 0.2) < 1.5

    # Keyboard: one step per arrow.
    slider.focus()
    slider.press("ArrowRight")
    expect_json(frame.locator("#change-detail"), {"value": 25})
    expect(slider).to_have_attribute("aria-valuenow", "25")

    # disabled: no change.
    page.mouse.click(*rail_point(frame.locator("#slider-disabled"), 0.9))
    expect(frame.locator("#slider-disabled")).to_have_attribute("aria-valuenow", "30")
    expect(frame.locator("#change-count")).to_have_text("3")


def test_a_drag_released_outside_the_page_ends_when_the_pointer_comes_back(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "slider")
    slider = frame.locator("#slider-step")
    thumb = box_of(slider.locator(".wx-slider-thumb"))
    x, y = thumb["x"] + thumb["width"] / 2, thumb["y"] + thumb["height"] / 2
    end_x, _ = rail_point(slider, 0.6)
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 9):
        page.mouse.move(x + (end_x - x) * i / 8, y)
    expect(slider.locator(".wx-slider-value")).to_have_text("60")
    # Out of the page's frame (onto the host's navigation bar), released there: the frame never
    # sees the release. Back over the page with no button held, the drag is over.
    page.mouse.move(end_x, 5)
    page.mouse.up()
    page.mouse.move(end_x, y + 40)
    expect_json(frame.locator("#change-detail"), {"value": 60})
    expect(frame.locator("#change-count")).to_have_text("1")


def test_slider_range_colours_block_size_and_model(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "slider")
    styled = frame.locator("#slider-styled")
    expect(styled.locator(".wx-slider-value")).to_have_text("80")
    thumb = styled.locator(".wx-slider-thumb")
    expect(thumb).to_have_css("width", "12px")
    expect(thumb).to_have_css("background-color", "rgb(25, 161, 95)")
    expect(styled.locator(".wx-slider-track")).to_have_css("background-color", "rgb(76, 140, 245)")
    expect(styled.locator(".wx-slider-handle-wrapper")).to_have_css(
        "background-color", "rgb(221, 79, 67)"
    )
    # 80 of 50..200 is 20 % along.
    rail = box_of(styled.locator(".wx-slider-handle-wrapper"))
    box = box_of(thumb)
    assert abs(box["x"] + box["width"] / 2 - (rail["x"] + rail["width"] * 0.2)) < 2
    page.mouse.click(*rail_point(styled, 0.5))
    value = readout(frame.locator("#styled-detail"))
    assert isinstance(value, dict) and set(value) == {"value"}
    assert isinstance(value["value"], int) and abs(value["value"] - 125) <= 1
    # Dragged past the end of the track (staying inside the page): max.
    box = box_of(thumb)
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    end_x = rail["x"] + rail["width"] + 12
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(x + (end_x - x) * i / 10, y + 3)
    page.mouse.up()
    expect_json(frame.locator("#styled-detail"), {"value": 200})
    expect(styled.locator(".wx-slider-value")).to_have_text("200")

    # Legacy selected-color / color.
    legacy = frame.locator("#slider-legacy")
    expect(legacy.locator(".wx-slider-track")).to_have_css("background-color", RED)
    expect(legacy.locator(".wx-slider-handle-wrapper")).to_have_css(
        "background-color", "rgb(204, 204, 204)"
    )
    expect(legacy.locator(".wx-slider-value")).to_be_hidden()

    # model:value writes the new value back.
    model = frame.locator("#slider-model")
    expect(frame.locator("#model-value")).to_have_text("20")
    page.mouse.click(*rail_point(model, 0.5))
    expect(frame.locator("#model-value")).to_have_text("50")


# --- label ----------------------------------------------------------------------------------


def test_label_for_and_wrapping(runtime_platform: RuntimePlatform, new_context: NewContext) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, "components", "label")
    frame.locator("#label-checkbox").click()
    expect_json(frame.locator("#checkbox-detail"), {"value": ["news"]})
    checked(frame.locator("#target-checkbox"), True)
    frame.locator("#label-checkbox").click()
    expect_json(frame.locator("#checkbox-detail"), {"value": []})

    frame.locator("#label-radio").click()
    expect_json(frame.locator("#radio-detail"), {"value": "yes"})
    frame.locator("#label-switch").click()
    expect_json(frame.locator("#switch-detail"), {"value": True})
    checked(frame.locator("#target-switch"), True)

    frame.locator("#label-input").click()
    expect(frame.locator("#target-input input")).to_be_focused()
    expect(frame.locator("#input-state")).to_have_text("focused")

    # Without `for`: the first control inside; a tap on a control inside acts on that one.
    frame.locator("#label-wrap .hint").click()
    expect_json(frame.locator("#wrap-detail"), {"value": ["first"]})
    frame.locator("#wrap-second").click()
    expect_json(frame.locator("#wrap-detail"), {"value": ["first", "second"]})
    frame.locator("#label-wrap .hint").click()
    expect_json(frame.locator("#wrap-detail"), {"value": ["second"]})

    # A label for a submit button submits its form.
    frame.locator("#label-button").click()
    expect_json(frame.locator("#submit-detail"), {"who": "label"})


# --- form -----------------------------------------------------------------------------------

INITIAL = {
    "fruits": ["apple"],
    "size": "M",
    "notify": True,
    "agree": False,
    "volume": 40,
    "note": "",
    "nick": "Ann",
}


def submitted(frame: FrameLocator) -> dict[str, object]:
    """The submitted values of this issue's controls (the pickers belong to picker.js)."""
    value = readout(frame.locator("#submit-value"))
    assert isinstance(value, dict)
    return {k: v for k, v in value.items() if k in INITIAL}


def test_form_submits_every_control_by_name_and_resets_them(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "form")
    frame.locator("#form-submit").click()
    assert submitted(frame) == INITIAL
    expect(frame.locator("#submit-form-id")).to_have_text(re.compile(r"^[0-9a-f]{32}$"))
    first_id = frame.locator("#submit-form-id").inner_text()

    # Change every control as a user would.
    frame.locator("#fruit-pear").click()
    expect(frame.locator("#checkbox-value")).to_have_text('["apple","pear"]')
    frame.locator("#size-L").click()
    expect(frame.locator("#radio-value")).to_have_text("L")
    frame.locator("#switch-a").click()
    expect(frame.locator("#switch-value")).to_have_text("false")
    frame.locator("#switch-checkbox").click()
    rail = box_of(frame.locator("#slider .wx-slider-handle-wrapper"))
    page.mouse.click(rail["x"] + rail["width"] * 0.8, rail["y"] + rail["height"] / 2)
    expect(frame.locator("#slider-value")).to_have_text("80")
    frame.locator("#textarea textarea").press_sequentially("memo")
    expect(frame.locator("#textarea-value")).to_have_text("memo")
    frame.locator("#form-input input").fill("Bob")

    frame.locator("#form-submit").click()
    expect(frame.locator("#submit-value")).to_contain_text('"nick":"Bob"')
    assert submitted(frame) == {
        "fruits": ["apple", "pear"],
        "size": "L",
        "notify": False,
        "agree": True,
        "volume": 80,
        "note": "memo",
        "nick": "Bob",
    }
    expect(frame.locator("#submit-form-id")).not_to_have_text(first_id)

    # Reset: every control back to the value of its attributes, then bindreset.
    frame.locator("#form-reset").click()
    expect(frame.locator("#submit-value")).to_have_text("reset")
    checked(frame.locator("#fruit-pear"), False)
    checked(frame.locator("#fruit-apple"), True)
    checked(frame.locator("#size-M"), True)
    checked(frame.locator("#size-L"), False)
    checked(frame.locator("#switch-a"), True)
    checked(frame.locator("#switch-checkbox"), False)
    expect(frame.locator("#slider .wx-slider-value")).to_have_text("40")
    expect(frame.locator("#textarea textarea")).to_have_value("")
    expect(frame.locator("#form-input input")).to_have_value("Ann")
    frame.locator("#form-submit").click()
    expect(frame.locator("#submit-value")).not_to_have_text("reset")
    assert submitted(frame) == INITIAL


# --- progress -------------------------------------------------------------------------------


def test_progress_info_styles_and_clamping(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, "components", "progress")
    info = frame.locator("#progress-info")
    expect(info.locator(".wx-progress-info")).to_have_text("20%")
    bar = box_of(info.locator(".wx-progress-bar"))
    inner = box_of(info.locator(".wx-progress-inner-bar"))
    assert abs(inner["width"] - bar["width"] * 0.2) < 1
    assert abs(bar["height"] - 6) < 0.5
    expect(info.locator(".wx-progress-inner-bar")).to_have_css("background-color", "rgb(9, 187, 7)")

    styled = frame.locator("#progress-styled")
    expect(styled.locator(".wx-progress-info")).to_have_text("45.5%")
    expect(styled.locator(".wx-progress-bar")).to_have_css("height", "12px")
    expect(styled.locator(".wx-progress-bar")).to_have_css("border-radius", "6px")
    expect(styled.locator(".wx-progress-bar")).to_have_css("background-color", "rgb(253, 226, 226)")
    expect(styled.locator(".wx-progress-inner-bar")).to_have_css("background-color", BLUE)
    expect(styled.locator(".wx-progress-info")).to_have_css("font-size", "12px")

    over = frame.locator("#progress-over")
    expect(over.locator(".wx-progress-info")).to_have_text("100%")
    expect(over.locator(".wx-progress-inner-bar")).to_have_css("background-color", RED)
    bar = box_of(over.locator(".wx-progress-bar"))
    inner = box_of(over.locator(".wx-progress-inner-bar"))
    assert abs(inner["width"] - bar["width"]) < 1
    expect(frame.locator("#progress-under .wx-progress-info")).to_have_text("0%")


RECORD_TEXTS = """el => {
  el.__seen = [];
  new MutationObserver(() => el.__seen.push(el.textContent)).observe(
    el, {childList: true, characterData: true, subtree: true});
}"""


def test_progress_active_counts_up_then_activeend(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, "components", "progress")
    # backwards (the default): from 0 up to the new percent, then activeend {curPercent}.
    active = frame.locator("#progress-active .wx-progress-info")
    active.evaluate(RECORD_TEXTS)
    frame.locator("#run-active").click()
    expect_json(frame.locator("#active-detail"), {"curPercent": 60})
    expect(active).to_have_text("60%")
    seen = [int(t.rstrip("%")) for t in active.evaluate("el => el.__seen")]
    assert len(set(seen)) >= 3
    assert seen == sorted(seen) and seen[-1] == 60

    # forwards: from where it stopped (30) to 60.
    forwards = frame.locator("#progress-forwards .wx-progress-info")
    expect_json(frame.locator("#forwards-detail"), {"curPercent": 30})
    expect(forwards).to_have_text("30%")
    forwards.evaluate(RECORD_TEXTS)
    frame.locator("#run-forwards").click()
    expect_json(frame.locator("#forwards-detail"), {"curPercent": 60})
    seen = [int(t.rstrip("%")) for t in forwards.evaluate("el => el.__seen")]
    assert len(set(seen)) >= 3
    assert min(seen) >= 30 and seen[-1] == 60


# --- textarea -------------------------------------------------------------------------------


def test_textarea_events_and_linechange(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, "components", "textarea")
    host = frame.locator("#textarea-events")
    field = host.locator("textarea")
    placeholder = host.locator(".wx-input-placeholder")
    expect(placeholder).to_have_text("type here")
    expect(placeholder).to_have_css("color", RED)

    field.click()
    expect_json(frame.locator("#focus-detail"), {"value": "", "height": 0})
    field.press_sequentially("ab")
    expect_json(frame.locator("#input-detail"), {"value": "ab", "cursor": 2, "keyCode": 66})
    expect(frame.locator("#line-detail")).to_have_text("")
    # Enter (confirm-type "return", the default) starts a new line: linechange.
    field.press("Enter")
    line = readout(frame.locator("#line-detail"))
    assert isinstance(line, dict) and set(line) == {"height", "heightRpx", "lineCount"}
    assert line["lineCount"] == 2
    width = frame.locator("body").evaluate("() => window.innerWidth")
    assert line["height"] > 0
    assert abs(line["heightRpx"] - line["height"] * 750 / width) < 0.01
    field.press_sequentially("c")
    expect_json(frame.locator("#input-detail"), {"value": "ab\nc", "cursor": 4, "keyCode": 67})
    expect(placeholder).to_be_hidden()
    frame.locator(".section-title").first.click()
    expect_json(frame.locator("#blur-detail"), {"value": "ab\nc", "cursor": 4})
    # Back to one line.
    field.fill("x")
    expect(frame.locator("#line-detail")).to_contain_text('"lineCount":1')


def test_textarea_auto_height_maxlength_confirm_and_model(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, "components", "textarea")
    # auto-height: one line tall whatever style.height says, growing with each line.
    auto = frame.locator("#textarea-auto")
    field = auto.locator("textarea")
    one = box_of(field)["height"]
    assert 10 < one < 40
    borders = box_of(auto)["height"] - one
    assert 0 <= borders < 4
    field.press_sequentially("one")
    for word in ("two", "three"):
        field.press("Enter")
        field.press_sequentially(word)
    expect(field).to_have_value("one\ntwo\nthree")
    three = box_of(field)["height"]
    assert abs(three - 3 * one) < 2
    assert abs(box_of(auto)["height"] - (three + borders)) < 0.5

    # maxlength 10: typing and values set by code are cut.
    limited = frame.locator("#textarea-max textarea")
    expect(limited).to_have_value("hello")
    limited.press("End")
    limited.press_sequentially("123456789")
    expect(limited).to_have_value("hello12345")
    expect(frame.locator("#max-value")).to_have_text("hello12345")
    frame.locator("#set-text").click()
    expect(limited).to_have_value("set by cod")
    expect(frame.locator("#textarea-disabled textarea")).to_be_disabled()
    long_text = "x" * 200
    frame.locator("#textarea-unlimited textarea").fill(long_text)
    expect(frame.locator("#textarea-unlimited textarea")).to_have_value(long_text)
    # The default maxlength is 140.
    frame.locator("#textarea-events textarea").fill("y" * 200)
    expect(frame.locator("#textarea-events textarea")).to_have_value("y" * 140)

    # confirm-type="send": Enter confirms (no new line) and leaves the field.
    send = frame.locator("#textarea-send textarea")
    send.press_sequentially("hi")
    send.press("Enter")
    expect_json(frame.locator("#confirm-detail"), {"value": "hi"})
    expect(frame.locator("#confirm-count")).to_have_text("1")
    expect(send).to_have_value("hi")
    expect(send).not_to_be_focused()
    # The default ("return"): Enter is a new line, no confirm.
    plain = frame.locator("#textarea-return textarea")
    plain.press_sequentially("a")
    plain.press("Enter")
    plain.press_sequentially("b")
    expect(plain).to_have_value("a\nb")
    expect(frame.locator("#confirm-count")).to_have_text("1")

    # model:value.
    model = frame.locator("#textarea-model textarea")
    expect(model).to_have_value("two-way")
    model.fill("changed")
    expect(frame.locator("#model-value")).to_have_text("changed")
