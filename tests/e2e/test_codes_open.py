"""Mini-program codes end to end: a back end makes a B code through the open API, a phone's
camera app reads it (zxing-cpp here) and opens its URL in the browser; the host starts the app
at the code's page with scene 1047, and the page reads the back end's scene with
decodeURIComponent(options.scene). The console's code card shows a code of a chosen page and
offers it as a download.

The runtime platform releases every example; the navigation example's info page shows
wx.getLaunchOptionsSync(). Its back end's AppSecret is set in the database, as an admin's reset
in the console would.
"""

from __future__ import annotations

import io

import httpx
import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from miniapp.demo import DEMO_ADMIN
from tests.e2e.conftest import NewContext, RuntimePlatform, back_end_token, current_page
from tests.e2e.gestures import readout

SCENE = "id=42&from=qr"


def read_code(png: bytes) -> str:
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)).convert("RGB"))
    assert len(found) == 1
    return found[0].text


def test_a_b_code_opened_by_a_camera_app_starts_the_page_with_scene_1047_and_the_scene(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    appid = runtime_platform.appids["navigation"]
    token = back_end_token(runtime_platform, "navigation")
    answer = httpx.post(
        f"{runtime_platform.url}/wxa/getwxacodeunlimit",
        params={"access_token": token},
        json={"scene": SCENE, "page": "pages/info/info", "width": 430},
    )
    assert answer.headers["content-type"] == "image/png"
    url = read_code(answer.content)
    assert url == f"{runtime_platform.url}/mp/{appid}?k=b&p=pages/info/info&s=id=42%26from=qr"

    page = new_context().new_page()
    page.goto(url)

    launch = readout(current_page(page).locator("#launch-options"))
    assert launch["scene"] == 1047
    assert launch["path"] == "pages/info/info"
    # As WeChat hands it over: URI-encoded, for the page to decodeURIComponent.
    assert launch["query"] == {"scene": "id%3D42%26from%3Dqr"}
    assert page.evaluate("(s) => decodeURIComponent(s)", launch["query"]["scene"]) == SCENE
    assert page.url.startswith(f"{runtime_platform.url}/#app/{appid}?")

    # The server's redirect is the route the host's own scanner computes for that URL.
    redirect = httpx.get(url, follow_redirects=False).headers["location"]
    computed = page.evaluate(
        """async (url) => {
          const codes = await import("/static/shared/code-urls.js");
          return codes.hostHash(codes.codeRoute(codes.parseCodeUrl(url), "camera"));
        }""",
        url,
    )
    assert redirect == "/" + computed


def test_a_c_code_opens_its_page_with_its_query_and_scene_1011(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    token = back_end_token(runtime_platform, "navigation")
    answer = httpx.post(
        f"{runtime_platform.url}/cgi-bin/wxaapp/createwxaqrcode",
        params={"access_token": token},
        json={"path": "pages/info/info?from=poster&n=2"},
    )
    page = new_context().new_page()
    page.goto(read_code(answer.content))

    launch = readout(current_page(page).locator("#launch-options"))
    assert (launch["scene"], launch["path"]) == (1011, "pages/info/info")
    assert launch["query"] == {"from": "poster", "n": "2"}


def console_app_page(page: Page, platform: RuntimePlatform, appid: str) -> None:
    page.goto(f"{platform.url}/console")
    form = page.get_by_role("form", name="Sign in to the console")
    form.get_by_label("Email or mobile number").fill(DEMO_ADMIN.login)
    form.get_by_label("Password").fill(DEMO_ADMIN.password)
    form.get_by_role("button", name="Sign in").click()
    expect(form).to_be_hidden()
    page.goto(f"{platform.url}/console#/apps/{appid}")


def test_the_console_card_shows_a_code_of_the_chosen_page_and_downloads_it(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    appid = runtime_platform.appids["navigation"]
    page = new_context(viewport={"width": 1200, "height": 1000}).new_page()
    console_app_page(page, runtime_platform, appid)

    card = page.get_by_role("region", name="Mini-program code")
    expect(card.get_by_role("combobox", name="Page")).to_contain_text("pages/info/info")
    card.get_by_role("combobox", name="Page").select_option("pages/info/info")
    card.get_by_role("combobox", name="Kind of code").select_option("b")
    card.get_by_role("textbox", name="Scene").fill(SCENE)
    card.get_by_role("button", name="Show code").click()

    image = card.get_by_role("img", name=f"Code of pages/info/info with scene {SCENE}")
    expect(image).to_be_visible()
    expected = f"{runtime_platform.url}/mp/{appid}?k=b&p=pages/info/info&s=id=42%26from=qr"
    assert read_code(image.screenshot()) == expected

    with page.expect_download() as started:
        card.get_by_role("link", name="Download PNG").click()
    download = started.value
    assert download.suggested_filename == f"{appid}-pages-info-info.png"
    path = download.path()
    assert read_code(path.read_bytes()) == expected

    # A scene WeChat would refuse is explained next to the form, and nothing is drawn.
    card.get_by_role("textbox", name="Scene").fill("no spaces allowed")
    card.get_by_role("button", name="Show code").click()
    expect(card.get_by_role("alert")).to_contain_text("Scene")
    expect(image).to_be_hidden()

    # Without a trial version there is nothing to make a trial code for: the card says so.
    card.get_by_role("combobox", name="Version").select_option("trial")
    expect(card.get_by_text("There is no trial version")).to_be_visible()
    expect(card.get_by_role("combobox", name="Page")).to_be_hidden()
    card.get_by_role("combobox", name="Version").select_option("release")
    expect(card.get_by_role("combobox", name="Page")).to_be_visible()
