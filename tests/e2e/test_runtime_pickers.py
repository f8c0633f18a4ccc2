"""picker (its five modes) and picker-view in the browser runtime, on examples/components.

The tests act as a user inside the page's view frame: a tap on the picker's content opens
WeChat's bottom sheet, the mouse wheel, drags and taps move its columns, Cancel / OK / the mask
close it; the example pages print each event's `detail` as JSON into `.result` readouts, which the
tests compare with WeChat's documented shapes.
"""

from __future__ import annotations

import json

from playwright.sync_api import FrameLocator, Locator, Page, expect

from tests.e2e.conftest import NewContext, RuntimePlatform, open_example_page
from tests.e2e.gestures import center, drag, expect_json, readout

ROW = 34  # WeChat's row height in the picker's sheet


def near_top(locator: Locator) -> tuple[float, float]:
    """A point just inside the top of an element (a drag down from there stays on the screen)."""
    x, _ = center(locator, scroll=False)
    box = locator.bounding_box()
    assert box is not None
    return x, box["y"] + 6


def near_bottom(locator: Locator) -> tuple[float, float]:
    """A point just inside the bottom of an element (a drag up from there stays on the screen)."""
    x, _ = center(locator, scroll=False)
    box = locator.bounding_box()
    assert box is not None
    return x, box["y"] + box["height"] - 6


def wheel(page: Page, column: Locator, rows: float, row: float = ROW) -> None:
    """Turns the mouse wheel over `column` by `rows` rows (negative: back)."""
    column.hover()  # waits until the sheet stopped sliding in
    page.mouse.wheel(0, rows * row)


def result(locator: Locator) -> dict[str, object]:
    value = readout(locator)
    assert isinstance(value, dict)
    return value


class Sheet:
    """The picker's bottom sheet in a view frame."""

    def __init__(self, frame: FrameLocator) -> None:
        self.root = frame.locator(".wx-picker-overlay")
        self.columns = self.root.locator(".wx-picker-sheet-column")
        self.title = self.root.locator(".wx-picker-title")

    def open(self, picker: Locator) -> None:
        """Taps the picker's content and waits until its sheet has slid in."""
        picker.click()
        self.root.locator(".wx-picker-header").hover()  # hover waits until it stands still

    def column(self, i: int) -> Locator:
        return self.columns.nth(i)

    def chosen(self, i: int) -> Locator:
        """The row at rest under the indicator of column `i`."""
        return self.column(i).locator(".wx-picker-item[aria-selected=true]")

    def rows(self, i: int) -> Locator:
        return self.column(i).locator(".wx-picker-item")

    def confirm(self) -> None:
        self.root.locator(".wx-picker-confirm").click()
        expect(self.root).to_have_count(0)

    def cancel(self) -> None:
        self.root.locator(".wx-picker-cancel").click()
        expect(self.root).to_have_count(0)


# --- selector -------------------------------------------------------------------------------


def test_selector_wheel_confirm_cancel_mask_and_row_tap(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "picker")
    sheet = Sheet(frame)
    text = frame.locator("#selector-text")
    change = frame.locator("#selector-result")
    expect(text).to_have_text("Shanghai")
    expect(sheet.root).to_have_count(0)

    # A tap on the content opens the sheet: header-text, the range-key labels, value's row chosen.
    sheet.open(frame.locator("#selector"))
    expect(sheet.root).to_be_visible()
    expect(sheet.title).to_have_text("Choose a city")
    expect(sheet.columns).to_have_count(1)
    expect(sheet.rows(0)).to_have_text(["Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Chengdu"])
    expect(sheet.chosen(0)).to_have_text("Shanghai")
    # The chosen row sits in the indicator, in the middle of the column.
    indicator = sheet.column(0).locator(".wx-picker-indicator")
    assert abs(center(sheet.chosen(0), scroll=False)[1] - center(indicator, scroll=False)[1]) < 2

    # Two notches of the wheel: two rows on; nothing is reported until OK.
    wheel(page, sheet.column(0), 2)
    expect(sheet.chosen(0)).to_have_text("Shenzhen")
    assert abs(center(sheet.chosen(0), scroll=False)[1] - center(indicator, scroll=False)[1]) < 2
    expect(change).to_be_empty()
    sheet.confirm()
    expect_json(change, {"value": "3"})  # WeChat gives the index as a string
    expect(text).to_have_text("Shenzhen")

    # Cancel: bindcancel with an empty detail, no change, and the value stays.
    sheet.open(frame.locator("#selector"))
    expect(sheet.chosen(0)).to_have_text("Shenzhen")
    wheel(page, sheet.column(0), -1)
    expect(sheet.chosen(0)).to_have_text("Guangzhou")
    sheet.cancel()
    expect(frame.locator("#selector-cancel")).to_have_text("1 {}")
    expect_json(change, {"value": "3"})
    expect(text).to_have_text("Shenzhen")

    # A tap on the mask cancels too; the sheet opens again on the held value.
    sheet.open(frame.locator("#selector"))
    expect(sheet.chosen(0)).to_have_text("Shenzhen")
    page.mouse.click(*center(frame.locator(".wx-picker-overlay-mask"), scroll=False))
    expect(sheet.root).to_have_count(0)
    expect(frame.locator("#selector-cancel")).to_have_text("2 {}")

    # A tap on a row above the indicator brings it there.
    sheet.open(frame.locator("#selector"))
    expect(sheet.chosen(0)).to_have_text("Shenzhen")
    sheet.rows(0).filter(has_text="Beijing").click()
    expect(sheet.chosen(0)).to_have_text("Beijing")
    sheet.confirm()
    expect_json(change, {"value": "0"})
    expect(text).to_have_text("Beijing")


def test_selector_drags_snap_to_rows(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "picker")
    sheet = Sheet(frame)
    change = frame.locator("#selector-result")
    sheet.open(frame.locator("#selector"))
    column = sheet.column(0)
    column.hover()
    expect(sheet.chosen(0)).to_have_text("Shanghai")

    # Dragged up far past the last row: it springs back to the last one.
    drag(page, center(column, scroll=False), 0, -200)
    expect(sheet.chosen(0)).to_have_text("Chengdu")
    indicator = column.locator(".wx-picker-indicator")
    expect(column.locator(".wx-picker-content")).to_have_css(
        "transform", "matrix(1, 0, 0, 1, 0, -136)"
    )
    # Down past the first row: the first one.
    drag(page, near_top(column), 0, 220)
    expect(sheet.chosen(0)).to_have_text("Beijing")
    expect(column.locator(".wx-picker-content")).to_have_css(
        "transform", "matrix(1, 0, 0, 1, 0, 0)"
    )
    # A short drag up: it comes to rest on a row, which is what OK reports.
    drag(page, center(column, scroll=False), 0, -ROW * 1.2, steps=6)
    rested = sheet.chosen(0)
    expect(rested).to_have_count(1)
    assert abs(center(rested, scroll=False)[1] - center(indicator, scroll=False)[1]) < 2
    name = rested.inner_text()
    assert name != "Beijing"
    names = ["Beijing", "Shanghai", "Guangzhou", "Shenzhen", "Chengdu"]
    sheet.confirm()
    expect_json(change, {"value": str(names.index(name))})
    expect(frame.locator("#selector-text")).to_have_text(name)


def test_disabled_picker_does_not_open(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    _page, frame = open_example_page(runtime_platform, new_context, "components", "picker")
    sheet = Sheet(frame)
    frame.locator("#disabled").click()
    # Another picker opens fine afterwards, and it is the only sheet.
    sheet.open(frame.locator("#selector"))
    expect(sheet.root).to_have_count(1)
    expect(sheet.title).to_have_text("Choose a city")
    sheet.cancel()
    frame.locator("#disabled").click()
    expect(frame.locator("#selector-cancel")).to_have_text("1 {}")
    expect(sheet.root).to_have_count(0)
    expect(frame.locator("#disabled-result")).to_be_empty()


# --- multiSelector --------------------------------------------------------------------------


def test_multiselector_columnchange_updates_the_dependent_column(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "picker")
    sheet = Sheet(frame)
    sheet.open(frame.locator("#multi"))
    expect(sheet.columns).to_have_count(2)
    expect(sheet.rows(0)).to_have_text(["Fruit", "Vegetable", "Grain"])
    expect(sheet.rows(1)).to_have_text(["Apple", "Banana", "Cherry"])
    expect(sheet.chosen(0)).to_have_text("Fruit")
    expect(sheet.title).to_be_hidden()

    # Column 0 settles on a new row: columnchange; the page sets a new range for column 1 (and
    # value), and the open sheet follows.
    wheel(page, sheet.column(0), 1)
    expect_json(frame.locator("#multi-column"), {"column": 0, "value": 1})
    expect(sheet.rows(1)).to_have_text(["Carrot", "Pea", "Leek", "Onion"])
    expect(sheet.chosen(1)).to_have_text("Carrot")
    expect(sheet.chosen(0)).to_have_text("Vegetable")

    wheel(page, sheet.column(1), 2)
    expect(sheet.chosen(1)).to_have_text("Leek")
    expect_json(frame.locator("#multi-column"), {"column": 1, "value": 2})
    expect(frame.locator("#multi-result")).to_be_empty()
    sheet.confirm()
    expect_json(frame.locator("#multi-result"), {"value": [1, 2]})
    expect(frame.locator("#multi-text")).to_have_text("Vegetable / Leek")

    # Dragging column 0 to its end: Grain, and column 1 becomes Grain's.
    sheet.open(frame.locator("#multi"))
    expect(sheet.chosen(1)).to_have_text("Leek")
    sheet.column(0).hover()
    drag(page, center(sheet.column(0), scroll=False), 0, -150)
    expect(sheet.chosen(0)).to_have_text("Grain")
    expect_json(frame.locator("#multi-column"), {"column": 0, "value": 2})
    expect(sheet.rows(1)).to_have_text(["Rice", "Wheat"])
    sheet.confirm()
    expect_json(frame.locator("#multi-result"), {"value": [2, 0]})
    expect(frame.locator("#multi-text")).to_have_text("Grain / Rice")


# --- time and date --------------------------------------------------------------------------


def test_time_is_limited_by_start_and_end(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "picker")
    sheet = Sheet(frame)
    sheet.open(frame.locator("#time"))
    expect(sheet.columns).to_have_count(2)
    expect(sheet.chosen(0)).to_have_text("12")
    expect(sheet.chosen(1)).to_have_text("00")
    hours = sheet.rows(0)
    expect(hours).to_have_count(10)  # 09 … 18
    expect(hours.first).to_have_text("09")
    expect(hours.last).to_have_text("18")
    expect(sheet.rows(1)).to_have_count(60)

    # The last hour has minutes up to end's only.
    sheet.column(0).hover()
    drag(page, center(sheet.column(0), scroll=False), 0, -300)
    expect(sheet.chosen(0)).to_have_text("18")
    expect(sheet.rows(1)).to_have_count(31)
    expect(sheet.rows(1).last).to_have_text("30")
    wheel(page, sheet.column(1), 40)
    expect(sheet.chosen(1)).to_have_text("30")
    sheet.confirm()
    expect_json(frame.locator("#time-result"), {"value": "18:30"})
    expect(frame.locator("#time-text")).to_have_text("18:30")

    # Back to the first hour: minutes keep 30; the wheel moves them.
    sheet.open(frame.locator("#time"))
    expect(sheet.chosen(0)).to_have_text("18")
    wheel(page, sheet.column(0), -9)
    expect(sheet.chosen(0)).to_have_text("09")
    expect(sheet.rows(1)).to_have_count(60)
    expect(sheet.chosen(1)).to_have_text("30")
    wheel(page, sheet.column(1), 5)
    expect(sheet.chosen(1)).to_have_text("35")
    sheet.confirm()
    expect_json(frame.locator("#time-result"), {"value": "09:35"})


def test_date_days_follow_the_month_and_fields_month(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "picker")
    sheet = Sheet(frame)
    sheet.open(frame.locator("#date"))
    expect(sheet.columns).to_have_count(3)
    expect(sheet.rows(0)).to_have_text(["2024", "2025"])
    expect(sheet.chosen(0)).to_have_text("2024")
    expect(sheet.chosen(1)).to_have_text("02")
    expect(sheet.chosen(2)).to_have_text("10")
    expect(sheet.rows(2)).to_have_count(29)  # February 2024

    wheel(page, sheet.column(2), 19)
    expect(sheet.chosen(2)).to_have_text("29")
    # 2025: February has 28 days; the day becomes the 28th.
    wheel(page, sheet.column(0), 1)
    expect(sheet.chosen(0)).to_have_text("2025")
    expect(sheet.rows(2)).to_have_count(28)
    expect(sheet.chosen(2)).to_have_text("28")
    # end is 2025-06-30: months stop at June.
    expect(sheet.rows(1).last).to_have_text("06")
    sheet.confirm()
    expect_json(frame.locator("#date-result"), {"value": "2025-02-28"})
    expect(frame.locator("#date-text")).to_have_text("2025-02-28")

    # start is 2024-01-15: in January 2024 the days begin at the 15th.
    sheet.open(frame.locator("#date"))
    wheel(page, sheet.column(0), -1)
    expect(sheet.chosen(0)).to_have_text("2024")
    drag(page, near_top(sheet.column(1)), 0, 200)
    expect(sheet.chosen(1)).to_have_text("01")
    expect(sheet.rows(2).first).to_have_text("15")
    expect(sheet.chosen(2)).to_have_text("28")
    sheet.cancel()
    expect(frame.locator("#date-text")).to_have_text("2025-02-28")

    # fields="month": two columns and a "YYYY-MM" value.
    sheet.open(frame.locator("#month"))
    expect(sheet.columns).to_have_count(2)
    expect(sheet.chosen(0)).to_have_text("2024")
    expect(sheet.chosen(1)).to_have_text("05")
    expect(sheet.rows(0).first).to_have_text("2020")
    wheel(page, sheet.column(0), 2)
    expect(sheet.chosen(0)).to_have_text("2026")
    wheel(page, sheet.column(1), 3)
    expect(sheet.chosen(1)).to_have_text("08")
    sheet.confirm()
    expect_json(frame.locator("#month-result"), {"value": "2026-08"})
    expect(frame.locator("#month-text")).to_have_text("2026-08")


# --- region ---------------------------------------------------------------------------------


def test_region_returns_names_and_codes(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "picker")
    sheet = Sheet(frame)
    sheet.open(frame.locator("#region"))
    expect(sheet.columns).to_have_count(3)
    expect(sheet.chosen(0)).to_have_text("广东省")
    expect(sheet.chosen(1)).to_have_text("广州市")
    expect(sheet.chosen(2)).to_have_text("海珠区")
    expect(sheet.rows(0)).to_have_count(34)

    # Another city: its districts replace the column, from the first.
    wheel(page, sheet.column(1), 2)
    expect(sheet.chosen(1)).to_have_text("深圳市")
    expect(sheet.chosen(2)).to_have_text("罗湖区")
    wheel(page, sheet.column(2), 1)
    expect(sheet.chosen(2)).to_have_text("福田区")
    sheet.confirm()
    expect_json(
        frame.locator("#region-result"),
        {
            "value": ["广东省", "深圳市", "福田区"],
            "code": ["440000", "440300", "440304"],
        },
    )
    expect(frame.locator("#region-text")).to_have_text("广东省 深圳市 福田区")

    # A municipality: its city is itself.
    sheet.open(frame.locator("#region"))
    wheel(page, sheet.column(0), -40)
    expect(sheet.chosen(0)).to_have_text("北京市")
    expect(sheet.rows(1)).to_have_text(["北京市"])
    expect(sheet.chosen(2)).to_have_text("东城区")
    sheet.confirm()
    expect_json(
        frame.locator("#region-result"),
        {
            "value": ["北京市", "北京市", "东城区"],
            "code": ["110000", "110100", "110101"],
        },
    )


def test_region_custom_item_and_level(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "picker")
    sheet = Sheet(frame)
    sheet.open(frame.locator("#region-custom"))
    expect(sheet.columns).to_have_count(2)  # level="city"
    expect(sheet.chosen(0)).to_have_text("全部")
    expect(sheet.rows(1)).to_have_text(["全部"])
    sheet.confirm()
    expect_json(
        frame.locator("#region-custom-result"), {"value": ["全部", "全部"], "code": ["", ""]}
    )

    sheet.open(frame.locator("#region-custom"))
    wheel(page, sheet.column(0), 1)
    expect(sheet.chosen(0)).to_have_text("北京市")
    expect(sheet.rows(1)).to_have_text(["全部", "北京市"])
    wheel(page, sheet.column(1), 1)
    expect(sheet.chosen(1)).to_have_text("北京市")
    sheet.confirm()
    expect_json(
        frame.locator("#region-custom-result"),
        {"value": ["北京市", "北京市"], "code": ["110000", "110100"]},
    )


# --- picker-view ----------------------------------------------------------------------------


def test_picker_view_wheel_drag_value_and_events(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "picker-view")
    view = frame.locator("#pv")
    years = frame.locator("#pv-years")
    months = frame.locator("#pv-months")
    days = frame.locator("#pv-days")
    change = frame.locator("#pv-result")
    expect(frame.locator("#pv-text")).to_have_text("2024-5-1")

    # value [6, 4, 0]: each column's row sits under the indicator (50px, from indicator-style).
    indicator = years.locator(".wx-picker-indicator")
    expect(indicator).to_have_css("height", "50px")
    middle = center(view, scroll=False)[1]
    assert abs(center(indicator, scroll=False)[1] - middle) < 2
    assert abs(center(years.locator(".pv-row").nth(6), scroll=False)[1] - middle) < 2
    assert abs(center(months.locator(".pv-row").nth(4), scroll=False)[1] - middle) < 2
    assert abs(center(days.locator(".pv-row").nth(0), scroll=False)[1] - middle) < 2
    expect(years.locator(".pv-row").nth(6)).to_have_css("height", "50px")

    # The wheel: two rows of the years column; change when it settles, with every column's index.
    wheel(page, years, 2, row=50)
    expect_json(change, {"value": [8, 4, 0]})
    expect(frame.locator("#pv-picks")).to_have_text("start end")
    expect(frame.locator("#pv-text")).to_have_text("2026-5-1")

    # A drag up the years column past its end: the last year.
    drag(page, near_bottom(years), 0, -280)
    expect_json(change, {"value": [12, 4, 0]})
    expect(frame.locator("#pv-picks")).to_have_text("start end start end")
    assert abs(center(years.locator(".pv-row").nth(12), scroll=False)[1] - middle) < 2
    # The wheel far down the days column: the last day.
    wheel(page, days, 40, row=50)
    expect_json(change, {"value": [12, 4, 30]})
    assert abs(center(days.locator(".pv-row").nth(30), scroll=False)[1] - middle) < 2

    # A tap on the row under the chosen one in months.
    page.mouse.click(center(months, scroll=False)[0], middle + 50)
    expect_json(change, {"value": [12, 5, 30]})

    # The page sets value: the columns scroll there, without a change event.
    frame.locator("#pv-set").click()
    expect(frame.locator("#pv-text")).to_have_text("2021-7-15")
    expect(years.locator(".wx-picker-content")).to_have_css(
        "transform", "matrix(1, 0, 0, 1, 0, -150)"
    )
    assert abs(center(years.locator(".pv-row").nth(3), scroll=False)[1] - middle) < 2
    assert abs(center(days.locator(".pv-row").nth(14), scroll=False)[1] - middle) < 2
    wheel(page, months, -1, row=50)
    expect_json(change, {"value": [3, 5, 14]})


def test_picker_view_immediate_change_and_default_indicator(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "picker-view")
    view = frame.locator("#pv-immediate")
    view.scroll_into_view_if_needed()
    indicator = view.locator(".wx-picker-indicator")
    expect(indicator).to_have_css("height", "34px")
    rows = view.locator(".row-small")
    middle = center(view, scroll=False)[1]
    assert abs(center(rows.nth(2), scroll=False)[1] - middle) < 2
    # The mask covers the rows above and below the indicator.
    mask = view.locator(".wx-picker-mask")
    expect(mask).to_have_css("background-size", "100% 68px, 100% 68px")
    drag(page, near_bottom(view), 0, -160)
    # (reported as the finger leaves; the column then glides to rest on that row)
    expect_json(frame.locator("#pv-immediate-result"), {"value": [6]})
    content = view.locator(".wx-picker-content")
    expect(content).to_have_css("transform", "matrix(1, 0, 0, 1, 0, -204)")
    assert abs(center(rows.nth(6), scroll=False)[1] - middle) < 2


# --- pickers in a form ----------------------------------------------------------------------


def test_pickers_in_a_form_submit_their_values(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "form")
    sheet = Sheet(frame)
    submitted = frame.locator("#submit-value")

    # Untouched: the values the page gave (selector: the index).
    frame.locator("#form-submit").click()
    value = result(submitted)
    assert (value["city"], value["time"], value["date"]) == (0, "09:30", "2024-05-01")

    sheet.open(frame.locator("#picker-city"))
    wheel(page, sheet.column(0), 2)
    expect(sheet.chosen(0)).to_have_text("Shenzhen")
    sheet.confirm()
    expect(frame.locator("#picker-value")).to_have_text("2:Shenzhen")
    expect(frame.locator("#picker-city-text")).to_have_text("Shenzhen")

    # time: start 08:00, end 20:00.
    sheet.open(frame.locator("#picker-time"))
    expect(sheet.rows(0).first).to_have_text("08")
    expect(sheet.rows(0).last).to_have_text("20")
    wheel(page, sheet.column(0), 1)
    expect(sheet.chosen(0)).to_have_text("10")
    sheet.confirm()
    expect(frame.locator("#picker-time-text")).to_have_text("10:30")

    sheet.open(frame.locator("#picker-date"))
    wheel(page, sheet.column(2), 3)
    expect(sheet.chosen(2)).to_have_text("04")
    sheet.confirm()
    expect(frame.locator("#picker-date-text")).to_have_text("2024-05-04")

    frame.locator("#form-submit").click()
    expect(submitted).not_to_have_text(json.dumps(value, separators=(",", ":")))
    value = result(submitted)
    assert (value["city"], value["time"], value["date"]) == (2, "10:30", "2024-05-04")
