"""Scanning, as a user does it (docs/entry-points.md "Scanning"): Discover → Scan reads a code
with the camera or from a chosen picture, and wx.scanCode does the same inside a mini program;
a long press on an image in wx.previewImage recognises the code in it.

The codes are drawn here with segno from the URL format of the contract
(`<origin>/mp/<appid>?k=<a|b|c>&p=<page>&q=<query>&s=<scene>`). The camera is Chromium's fake
capture device playing a Y4M video of one code (a second browser, launched for this module with
the fake-device flags); pictures are PNG files given to the scanner's file input. The session's
own browser has no camera, so its scanner says why and offers the picture choice only.
The browser's reading of the code URLs (web/shared/code-urls.js) is checked against the server's
(discovery/code_urls.py): the same code gives the same host route.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from urllib.parse import quote, urlencode

import pytest
import segno
from playwright.sync_api import Browser, FilePayload, Locator, Page, expect

from miniapp.discovery.code_urls import CodeUrl, host_route
from miniapp.discovery.code_urls import code_url as server_code_url
from tests.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.conftest import NewContext, RuntimePlatform, chrome, current_page
from tests.e2e.gestures import readout

# A B code's scene may hold `=` and `&` (WeChat's own example: "a=1&b=2"); the page gets it
# URI-encoded in `query.scene`.
CAMERA_SCENE = "id=42&from=poster"
VIDEO_WIDTH = 480
VIDEO_HEIGHT = 360


def code_url(
    platform: RuntimePlatform,
    example: str,
    *,
    kind: str,
    page: str = "",
    query: str = "",
    scene: str = "",
) -> str:
    """The URL a code of ours holds, in the contract's format."""
    params = {"k": kind}
    if page:
        params["p"] = page
    if kind == "b":
        params["s"] = scene
    elif query:
        params["q"] = query
    return f"{platform.url}/mp/{platform.appids[example]}?{urlencode(params, quote_via=quote)}"


def png(text: str) -> bytes:
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="png", scale=6, border=4)
    return out.getvalue()


def y4m(text: str, *, frames: int = 3) -> bytes:
    """A short Y4M video (4:2:0) of the code of `text`, black on white, centred."""
    qr = segno.make(text, error="m", micro=False)
    size = qr.symbol_size(scale=1, border=4)[0]
    scale = min(VIDEO_WIDTH, VIDEO_HEIGHT) // size
    rows = [
        bytes(16 if dark else 235 for dark in row) for row in qr.matrix_iter(scale=scale, border=4)
    ]
    top = (VIDEO_HEIGHT - len(rows)) // 2
    left = (VIDEO_WIDTH - len(rows[0])) // 2
    luma = bytearray(b"\xeb" * (VIDEO_WIDTH * VIDEO_HEIGHT))
    for y, row in enumerate(rows):
        start = (top + y) * VIDEO_WIDTH + left
        luma[start : start + len(row)] = row
    chroma = b"\x80" * ((VIDEO_WIDTH // 2) * (VIDEO_HEIGHT // 2))
    header = f"YUV4MPEG2 W{VIDEO_WIDTH} H{VIDEO_HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode()
    return header + (b"FRAME\n" + bytes(luma) + chroma + chroma) * frames


@pytest.fixture(scope="module")
def camera_browser(
    browser: Browser, runtime_platform: RuntimePlatform, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Browser]:
    """A Chromium whose camera shows a B code for the apis example's scan page (the same
    Playwright as the session's browser: one process may run only one)."""
    video = tmp_path_factory.mktemp("camera") / "code.y4m"
    url = code_url(runtime_platform, "apis", kind="b", page="pages/scan/scan", scene=CAMERA_SCENE)
    video.write_bytes(y4m(url))
    launched = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    yield launched
    launched.close()


@pytest.fixture
def camera_context(camera_browser: Browser) -> Iterator[NewContext]:
    maker = NewContext(camera_browser)
    yield maker
    for context in maker.contexts:
        context.close()
    assert not maker.problems, "\n".join(maker.problems)


def open_discover(platform: RuntimePlatform, contexts: NewContext) -> Page:
    page = contexts().new_page()
    page.goto(f"{platform.url}/#discover")
    expect(page.locator("#app-list .app-entry").first).to_be_visible()
    return page


def scanner(page: Page) -> Locator:
    return page.get_by_role("dialog", name="Scan")


def give_picture(page: Page, image: bytes) -> None:
    """Chooses the PNG `image` in the open scanner (as "Choose a picture" does)."""
    dialog = scanner(page)
    expect(dialog.get_by_role("button", name="Choose a picture")).to_be_visible()
    picture = FilePayload(name="picture.png", mimeType="image/png", buffer=image)
    dialog.locator("input[type=file]").set_input_files(files=[picture])


def choose_picture(page: Page, text: str) -> None:
    """Gives the open scanner a picture of the code of `text`."""
    give_picture(page, png(text))


def open_scan_page(
    platform: RuntimePlatform, contexts: NewContext, *, query: str = ""
) -> tuple[Page, Locator]:
    page = contexts().new_page()
    frame = platform.open(page, "apis", path="pages/scan/scan", query=query)
    expect(frame.locator("#enter")).not_to_be_empty()
    return page, frame.locator("body")


def launch_options(page: Page) -> dict[str, object]:
    """wx.getLaunchOptionsSync() as the navigation example's info page shows it."""
    options = readout(current_page(page).locator("#launch-options"))
    assert isinstance(options, dict)
    return options


# --- Discover → Scan ----------------------------------------------------------------------------


def test_the_camera_reads_a_b_code_and_opens_its_page_with_scene_1047_and_the_scene_encoded(
    runtime_platform: RuntimePlatform, camera_context: NewContext
) -> None:
    appid = runtime_platform.appids["apis"]
    page = open_discover(runtime_platform, camera_context)

    # The code is read as soon as the camera shows it.
    page.get_by_role("button", name="Scan").click()

    frame = current_page(page)
    expect(frame.locator("#scene")).to_have_text(CAMERA_SCENE)
    assert readout(frame.locator("#enter")) == {
        "scene": 1047,
        "path": "pages/scan/scan",
        "query": {"scene": quote(CAMERA_SCENE, safe="")},
    }
    expect(scanner(page)).to_have_count(0)
    assert page.url.startswith(f"{runtime_platform.url}/#app/{appid}?path=pages%2Fscan%2Fscan")
    assert "scene=1047" in page.url
    # The camera is let go once the code is read.
    assert page.evaluate("document.querySelectorAll('video').length") == 0

    # Closing the app returns to Discover.
    chrome(page, ".mpc-capsule-close").click()
    expect(page).to_have_url(f"{runtime_platform.url}/#discover")


def test_a_picture_of_a_c_code_opens_its_page_with_scene_1013_when_there_is_no_camera(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = open_discover(runtime_platform, new_context)

    page.get_by_role("button", name="Scan").click()
    dialog = scanner(page)
    expect(dialog).to_be_visible()
    # The session's browser has no camera: the scanner says so, and pictures still work.
    expect(dialog.get_by_role("status")).to_contain_text("choose a picture")
    expect(dialog.get_by_role("button", name="Choose a picture")).to_be_focused()

    choose_picture(
        page,
        code_url(runtime_platform, "navigation", kind="c", page="pages/info/info", query="a=1&b=x"),
    )

    options = launch_options(page)
    assert options["scene"] == 1013
    assert options["path"] == "pages/info/info"
    assert options["query"] == {"a": "1", "b": "x"}
    expect(dialog).to_have_count(0)


def test_a_link_elsewhere_is_shown_with_open_and_text_is_shown_as_text(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = open_discover(runtime_platform, new_context)
    result = page.locator("#scan-result")
    open_link = page.get_by_role("link", name="Open")

    page.get_by_role("button", name="Scan").click()
    choose_picture(page, "https://example.com/menu?table=7")

    expect(result).to_be_visible()
    expect(page.locator("#scan-result-text")).to_have_text("https://example.com/menu?table=7")
    expect(open_link).to_have_attribute("href", "https://example.com/menu?table=7")
    expect(open_link).to_have_attribute("rel", "noopener noreferrer")
    expect(open_link).to_have_attribute("target", "_blank")
    # Nothing was opened for the user.
    assert page.url == f"{runtime_platform.url}/#discover"
    assert len(page.context.pages) == 1

    # Our code's URL on another origin is just a link too.
    page.get_by_role("button", name="Scan").click()
    foreign = f"http://localhost:9/mp/{runtime_platform.appids['navigation']}?k=a"
    choose_picture(page, foreign)
    expect(open_link).to_have_attribute("href", foreign)
    assert page.url == f"{runtime_platform.url}/#discover"

    page.get_by_role("button", name="Scan").click()
    choose_picture(page, "Table 7 · 桌号七")
    expect(page.locator("#scan-result-text")).to_have_text("Table 7 · 桌号七")
    expect(open_link).to_be_hidden()

    page.get_by_role("button", name="Close").click()
    expect(result).to_be_hidden()
    expect(page.get_by_role("button", name="Scan")).to_be_focused()


def test_a_picture_without_a_code_says_so_and_cancel_closes_the_scanner(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = open_discover(runtime_platform, new_context)
    scan_button = page.get_by_role("button", name="Scan")
    scan_button.click()
    dialog = scanner(page)
    blank = io.BytesIO()
    segno.make("x").save(blank, kind="png", scale=1, border=0, dark="white")
    give_picture(page, blank.getvalue())
    expect(dialog.get_by_role("status")).to_have_text("No code was found in this picture.")

    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    expect(scan_button).to_be_focused()
    expect(page.locator("#scan-result")).to_be_hidden()
    assert page.url == f"{runtime_platform.url}/#discover"


# --- wx.scanCode ----------------------------------------------------------------------------------


def test_scan_code_from_the_camera_gives_the_path_of_the_apps_own_code(
    runtime_platform: RuntimePlatform, camera_context: NewContext
) -> None:
    page, body = open_scan_page(runtime_platform, camera_context)

    body.locator("#scan").click()

    url = code_url(runtime_platform, "apis", kind="b", page="pages/scan/scan", scene=CAMERA_SCENE)
    assert readout(body.locator("#scan-result")) == {
        "errMsg": "scanCode:ok",
        "result": url,
        "scanType": "QR_CODE",
        "charSet": "utf-8",
        "rawData": base64.b64encode(url.encode()).decode(),
        "path": f"pages/scan/scan?scene={quote(CAMERA_SCENE, safe='')}",
    }
    expect(scanner(page)).to_have_count(0)


def test_scan_code_gives_no_path_for_another_apps_code_and_fails_cancel_when_closed(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, body = open_scan_page(runtime_platform, new_context)
    result = body.locator("#scan-result")
    # Only QR codes are read.
    assert readout(body.locator("#can-i-use")) == {
        "scanCode": True,
        "scanCode.object.onlyFromCamera": True,
        "scanCode.object.scanType.qrCode": True,
        "scanCode.object.scanType.barCode": False,
    }

    body.locator("#scan").click()
    url = code_url(runtime_platform, "navigation", kind="a", page="pages/info/info", query="id=3")
    choose_picture(page, url)
    assert readout(result) == {
        "errMsg": "scanCode:ok",
        "result": url,
        "scanType": "QR_CODE",
        "charSet": "utf-8",
        "rawData": base64.b64encode(url.encode()).decode(),
    }

    # This app's A code for its home page: the path names the home page. (Each tap clears the
    # last answer first: waiting for that keeps the next read from seeing the last one.)
    body.locator("#scan").click()
    expect(result).to_be_empty()
    choose_picture(page, code_url(runtime_platform, "apis", kind="a", query="from=poster"))
    assert readout(result)["path"] == "pages/index/index?from=poster"

    # Escape, then Cancel: the call fails with "cancel".
    body.locator("#scan").click()
    expect(result).to_be_empty()
    expect(scanner(page)).to_be_visible()
    page.keyboard.press("Escape")
    expect(scanner(page)).to_have_count(0)
    assert readout(result) == {"errMsg": "scanCode:fail cancel"}

    # onlyFromCamera without a camera: the scanner says why, with no picture choice.
    body.locator("#scan-camera").click()
    dialog = scanner(page)
    expect(dialog.get_by_role("status")).not_to_have_text("Opening the camera…")
    expect(dialog.get_by_role("button", name="Choose a picture")).to_be_hidden()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    expect(result).to_be_empty()
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_have_count(0)
    expect(result).to_have_text('{"errMsg":"scanCode:fail cancel"}')


def test_an_app_in_the_background_cannot_open_the_scanner(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    # Left in the background (kept for a hot start), an app could otherwise open the scanner over
    # Discover or over the app the user went on to, and be handed what the user scans there.
    page, body = open_scan_page(runtime_platform, new_context)
    result = body.locator("#scan-result")
    body.locator("#scan-hidden").click()
    expect(result).to_have_text("armed")  # the page calls wx.scanCode from its onHide

    chrome(page, ".mpc-capsule-close").click()
    expect(page).to_have_url(f"{runtime_platform.url}/#discover")
    entry = page.locator(f"#app-list .app-entry[data-appid='{runtime_platform.appids['apis']}']")
    expect(entry).to_be_visible()
    entry.click()

    # A hot start onto the page it was left on: its call failed, and no scanner ever opened.
    expect(current_page(page).locator("#scan-result")).to_have_text(
        '{"errMsg":"scanCode:fail app in background"}'
    )
    expect(scanner(page)).to_have_count(0)


# --- long press in wx.previewImage ----------------------------------------------------------------


def test_a_long_press_on_a_code_in_preview_image_opens_its_mini_program_with_scene_1048(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    url = code_url(runtime_platform, "navigation", kind="b", page="pages/info/info", scene="t=9")
    image = "data:image/png;base64," + base64.b64encode(png(url)).decode()
    page, body = open_scan_page(runtime_platform, new_context, query=f"img={quote(image, safe='')}")

    body.locator("#code-image").click()
    viewer = chrome(page, ".mpc-preview")
    expect(viewer).to_be_visible()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0",
        arg=viewer.locator(".mpc-preview-image").element_handle(),
    )

    # Held still: the sheet offers to recognise the code; lifting the finger does not close.
    box = viewer.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    recognise = chrome(page, ".mpc-sheet-item").filter(has_text="Recognise code")
    expect(recognise).to_be_visible()
    page.mouse.up()
    expect(viewer).to_be_visible()
    recognise.click()

    options = launch_options(page)
    assert options["scene"] == 1048
    assert options["path"] == "pages/info/info"
    assert options["query"] == {"scene": "t%3D9"}  # URI-encoded, as WeChat hands a scene over
    assert f"#app/{runtime_platform.appids['navigation']}?" in page.url


def test_recognising_an_image_without_a_code_says_so(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    frame = runtime_platform.open(page, "apis", path="pages/preview/preview")
    frame.locator("#thumb-0").click()
    viewer = chrome(page, ".mpc-preview")
    expect(viewer).to_be_visible()

    viewer.click(button="right")
    chrome(page, ".mpc-sheet-item").filter(has_text="Recognise code").click()
    expect(chrome(page, ".mpc-dialog")).to_contain_text("No code was found in this image.")
    chrome(page, ".mpc-dialog").get_by_role("button").click()
    expect(chrome(page, ".mpc-dialog")).to_have_count(0)
    # The viewer stays, and Escape is its own again.
    expect(viewer).to_be_visible()
    page.keyboard.press("Escape")
    expect(viewer).to_have_count(0)


# --- the code URLs, as the browser reads them -----------------------------------------------------


def test_code_urls_are_parsed_only_on_our_origin_and_map_to_host_routes(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = open_discover(runtime_platform, new_context)
    origin = runtime_platform.url
    found = page.evaluate(
        """async (origin) => {
            const m = await import("/static/shared/code-urls.js");
            const parse = (text) => m.parseCodeUrl(text, origin);
            const b = parse(`${origin}/mp/wxAPP_1-x?k=b&p=pages%2Fa%2Fa&s=a%3D1%26b%3D%2F&v=trial`);
            const c = parse(`${origin}/mp/wxAPP?k=c&q=x%3D1%26y%3D%25E4`);
            return {
                b,
                c,
                bRoute: m.codeRoute(b, "album"),
                extra: parse(`${origin}/mp/wxAPP?k=a&utm=x`),
                cScenes: ["camera", "album", "longpress"].map((how) => m.codeScene(c, how)),
                bScenes: ["camera", "album", "longpress"].map((how) => m.codeScene(b, how)),
                hash: m.hostHash(m.codeRoute(b, "camera")),
                path: m.codePath(c, "pages/index/index"),
                rejected: [
                    "https://elsewhere.example/mp/wxAPP?k=a",
                    `${origin}/mp/wxAPP?k=d`,
                    `${origin}/mp/wxAPP?k=a&v=beta`,
                    `${origin}/mp/wx%41PP?k=a`,
                    `${origin}/mp/wxAPP/x?k=a`,
                    `${origin}/other/wxAPP?k=a`,
                    `${origin}/mp/wxAPP?k=b&p=pages%2Fa%2Fa`,
                    `${origin}/mp/wxAPP?k=b&s=1&q=x%3D1`,
                    `${origin}/mp/wxAPP?k=a&s=1`,
                    `${origin}/mp/wxAPP?k=a&p=pages%2Fa%2Fa%3Fx%3D1`,
                    `${origin}/mp/wxAPP?k=a&k=c`,
                    "not a url",
                ].map(parse),
            };
        }""",
        origin,
    )
    assert found["b"] == {
        "appid": "wxAPP_1-x",
        "kind": "b",
        "page": "pages/a/a",
        "query": {"scene": "a%3D1%26b%3D%2F"},
        "scene": "a=1&b=/",
        "build": "trial",
        "url": f"{origin}/mp/wxAPP_1-x?k=b&p=pages%2Fa%2Fa&s=a%3D1%26b%3D%2F&v=trial",
    }
    # A and C: `q` is the page's query, its values as written (WeChat does not decode them).
    assert found["c"]["query"] == {"x": "1", "y": "%E4"}
    assert found["c"]["page"] == "" and found["c"]["scene"] == "" and found["c"]["build"] is None
    assert found["bRoute"]["scene"] == 1049
    assert found["cScenes"] == [1011, 1013, 1012]
    assert found["bScenes"] == [1047, 1049, 1048]
    assert found["hash"] == (
        "#app/wxAPP_1-x?path=pages%2Fa%2Fa&query=scene%3Da%253D1%2526b%253D%252F"
        "&scene=1047&build=trial"
    )
    assert found["path"] == "pages/index/index?x=1&y=%E4"
    assert found["rejected"] == [None] * 12
    # Parameters a scanner app may add are ignored.
    assert found["extra"]["appid"] == "wxAPP" and found["extra"]["query"] == {}


@pytest.mark.parametrize(
    "code",
    [
        CodeUrl(
            appid="wx0123456789abcdef", kind="b", page="pages/shop/shop", scene="id=42&from=qr"
        ),
        CodeUrl(appid="wxAPP", kind="b", scene="a+b~c'd(e)*!/:;@$,?#"),
        CodeUrl(appid="wxAPP", kind="a", page="pages/a/a", query="x=1&y=two words", build="trial"),
        CodeUrl(appid="wxAPP", kind="c", query="q=%E4%B8%AD"),
        CodeUrl(appid="wxAPP", kind="c", build="develop"),
    ],
)
def test_the_browser_reads_the_servers_code_urls_into_the_servers_host_routes(
    runtime_platform: RuntimePlatform, new_context: NewContext, code: CodeUrl
) -> None:
    page = open_discover(runtime_platform, new_context)
    url = server_code_url(code, public_url=runtime_platform.url)
    read = page.evaluate(
        """async (url) => {
            const m = await import("/static/shared/code-urls.js");
            const code = m.parseCodeUrl(url);
            return { code, hash: m.hostHash(m.codeRoute(code, "camera")) };
        }""",
        url,
    )
    assert (read["code"]["kind"], read["code"]["page"], read["code"]["build"]) == (
        code.kind,
        code.page,
        code.build,
    )
    assert read["code"]["scene"] == code.scene
    assert "/" + read["hash"] == host_route(code)


def test_the_decoder_loads_only_when_a_scanner_opens(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page = new_context().new_page()
    loaded: list[str] = []
    page.on("request", lambda request: loaded.append(request.url))
    runtime_platform.open(page, "apis", path="pages/scan/scan")
    expect(current_page(page).locator("#enter")).not_to_be_empty()
    assert not [url for url in loaded if "/vendor/jsqr/" in url or "scanner" in url]

    # The decoder loads beside the dialog's opening, so its request may follow the dialog.
    with page.expect_request(lambda request: request.url.endswith("/vendor/jsqr/jsQR.js")):
        current_page(page).locator("#scan").click()
    expect(scanner(page)).to_be_visible()
    page.keyboard.press("Escape")
