from tests.e2e.conftest import NewContext, RuntimePlatform, current_page
from playwright.sync_api import expect

def test_dbg(runtime_platform: RuntimePlatform, new_context: NewContext) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, "components", path="pages/image/image")
    expect(frame.locator("#load-count")).to_have_text("14")
    img = frame.locator("#img-heightFix"); img.scroll_into_view_if_needed()
    print("bbox", img.bounding_box())
    print("frame bbox", page.locator(".miniapp-app:not([hidden]) .miniapp-page-frame.is-current").bounding_box())
    print(img.evaluate("el => [el.getBoundingClientRect().toJSON(), getComputedStyle(el).width, innerWidth, innerHeight, devicePixelRatio]"))
    page.screenshot(path="/tmp/dbg.png")
    img.screenshot(path="/tmp/dbg_el.png")
    print("bbox after", img.bounding_box())
