"""Media and drawing components in the browser runtime (examples/components): video, canvas
(type 2d through SelectorQuery's node, and the legacy canvas-id context), map, cover-view.

Each page prints what its component's events and APIs gave (`.result` readouts); the tests act
as a user inside the page's view frame and check what the user sees and the events' `detail`.
"""

from __future__ import annotations

import base64
import re
import struct
import zlib

from playwright.sync_api import Locator, expect

from tests.e2e.conftest import NewContext, RuntimePlatform, open_example_page
from tests.e2e.gestures import box_of, center, readout


def png_pixels(data_url: str) -> tuple[int, int, bytes]:
    """Decodes a PNG data URL (8-bit RGBA or RGB, no interlace) into (width, height, RGBA rows)."""
    assert data_url.startswith("data:image/png;base64,"), data_url[:40]
    raw = base64.b64decode(data_url.split(",", 1)[1])
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    pos = 8
    idat = b""
    width = height = 0
    channels = 4
    while pos < len(raw):
        (length,) = struct.unpack(">I", raw[pos : pos + 4])
        kind = raw[pos + 4 : pos + 8]
        body = raw[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", raw[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(kind + body) == crc, kind
        if kind == b"IHDR":
            width, height, depth, color_type = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color_type in (2, 6)
            channels = 4 if color_type == 6 else 3
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    data = zlib.decompress(idat)
    stride = width * channels
    rows = []
    prev = bytearray(stride)
    for y in range(height):
        f = data[y * (stride + 1)]
        line = bytearray(data[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 0xFF
            elif f == 2:
                line[i] = (line[i] + b) & 0xFF
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    if channels == 3:
        rows = [b"".join(row[i : i + 3] + b"\xff" for i in range(0, len(row), 3)) for row in rows]
    return width, height, b"".join(rows)


def pixel(image: tuple[int, int, bytes], x: int, y: int) -> tuple[int, int, int, int]:
    width, _, data = image
    i = (y * width + x) * 4
    return data[i], data[i + 1], data[i + 2], data[i + 3]


# --- video ----------------------------------------------------------------------------------


def test_video_poster_play_timeupdate_ended_and_context(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "video")
    video = frame.locator("#clip")
    poster = video.locator(".wx-video-poster")
    # Before playing: the poster and the centre play button show, with WeChat's control bar.
    expect(poster).to_be_visible()
    expect(poster).to_have_attribute("src", re.compile(r"/bundles/files/[0-9a-f]{20}\.png$"))
    expect(video.locator(".wx-video-center-play")).to_be_visible()
    expect(video.locator(".wx-video-duration")).to_have_text("00:01")
    meta = readout(frame.locator("#video-meta"))
    assert meta["width"] == 160 and meta["height"] == 90
    assert 1.3 < meta["duration"] < 1.8

    # VideoContext (made in onLoad): play (at half speed), then pause.
    frame.locator("#ctx-play").click()
    expect(frame.locator("#video-events")).to_have_text("play")
    expect(poster).to_be_hidden()
    frame.locator("#ctx-pause").click()
    expect(frame.locator("#video-events")).to_have_text("play,pause")
    expect(video).not_to_have_class(re.compile("wx-video-playing"))
    expect(video.locator(".wx-video-center-play")).to_be_visible()

    # The user taps the centre play button: it plays on to the end (timeupdates, then ended).
    page.mouse.click(*center(video.locator(".wx-video-center-play")))
    expect(frame.locator("#video-events")).to_have_text("play,pause,play,ended", timeout=10_000)
    timeupdate = readout(frame.locator("#video-time"))
    assert set(timeupdate) == {"currentTime", "duration"}
    assert abs(timeupdate["currentTime"] - meta["duration"]) < 0.05
    assert timeupdate["duration"] == meta["duration"]
    assert int(frame.locator("#video-time-count").inner_text()) >= 4

    # seek(1): seekcomplete with the position, shown in the control bar.
    frame.locator("#ctx-seek").click()
    expect(frame.locator("#video-seek")).to_have_text('{"position":1}')
    expect(video.locator(".wx-video-current")).to_have_text("00:01")

    # requestFullScreen({direction: 90}) fills the frame; exitFullScreen restores it.
    before = box_of(video, scroll=False)
    frame.locator("#ctx-full").click()
    expect(frame.locator("#video-full")).to_have_text(
        '{"fullScreen":true,"direction":"horizontal"}'
    )
    full = box_of(video, scroll=False)
    assert full["width"] > before["width"] - 1 and full["height"] > before["height"] * 1.5
    page.mouse.click(*center(video.locator(".wx-video-fullscreen")))
    expect(frame.locator("#video-full")).to_have_text('{"fullScreen":false,"direction":"vertical"}')
    assert abs(box_of(video, scroll=False)["height"] - before["height"]) < 1

    # autoplay (muted) with loop: it plays by itself and starts again at the end.
    expect(frame.locator("#fill-plays")).not_to_have_text("0")
    expect(frame.locator("#fill-loops")).not_to_have_text("0")
    expect(frame.locator("#fill")).to_have_class(re.compile("wx-video-playing"))
    fill = frame.locator("#fill .wx-video-video")
    expect(fill).to_have_css("object-fit", "fill")
    expect(frame.locator("#fill .wx-video-bar")).to_be_hidden()

    # Unsupported methods fail loudly.
    frame.locator("#ctx-danmu").click()
    expect(frame.locator("#video-danmu")).to_have_text("VideoContext.sendDanmu:fail not supported")
    # A source that cannot load reports binderror.
    expect(frame.locator("#broken-error")).to_have_text(
        '{"errMsg":"video:fail MEDIA_ERR_SRC_NOT_SUPPORTED"}'
    )


def test_video_control_bar_play_pause_and_progress(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "video")
    video = frame.locator("#clip")
    expect(video.locator(".wx-video-duration")).to_have_text("00:01")
    events = frame.locator("#video-events")
    # Half speed (set through the context), so the 1.5 s clip lasts 3 s.
    frame.locator("#ctx-play").click()
    expect(events).to_have_text("play")
    frame.locator("#ctx-pause").click()
    expect(events).to_have_text("play,pause")
    # The bar's play button plays, the same button pauses.
    button = center(video.locator(".wx-video-play"))
    page.mouse.click(*button)
    expect(events).to_have_text("play,pause,play")
    expect(video.locator(".wx-video-play")).to_have_attribute("aria-label", "pause")
    page.mouse.click(*button)
    expect(events).to_have_text("play,pause,play,pause")
    expect(video).not_to_have_class(re.compile("wx-video-playing"))
    expect(video.locator(".wx-video-play")).to_have_attribute("aria-label", "play")
    # Tapping the end of the progress bar seeks there.
    track = box_of(video.locator(".wx-video-track"), scroll=False)
    page.mouse.click(track["x"] + track["width"] - 1, track["y"] + track["height"] / 2)
    expect(frame.locator("#video-seek")).not_to_be_empty()
    assert readout(frame.locator("#video-seek"))["position"] > 1.3
    thumb = box_of(video.locator(".wx-video-thumb"), scroll=False)
    assert thumb["x"] + thumb["width"] / 2 > track["x"] + track["width"] * 0.9


# --- canvas ---------------------------------------------------------------------------------

READ_PIXEL = (
    """(canvas, [x, y]) => Array.from(canvas.getContext('2d').getImageData(x, y, 1, 1).data)"""
)


def test_canvas_2d_node_draws_reads_and_exports(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "canvas")
    # The node SelectorQuery gave: WeChat's default 300 × 150 buffer, then resized by the app.
    node = readout(frame.locator("#c2d-node"))
    assert node == {
        "defaults": "300x150",
        "width": 150,
        "height": 75,
        "size": [300, 150],
        "sameCanvas": True,
    }
    # Reads answered synchronously in the logic layer.
    assert readout(frame.locator("#c2d-read")) == {
        "pixel": [255, 0, 0, 255],
        "measured": True,
        "inside": True,
        "path2d": True,
    }
    expect(frame.locator("#c2d-image")).to_have_text('{"width":375,"height":150}')
    # What the user sees: the view's canvas shows the drawing buffer (left red, right blue, the
    # image drawn in once loaded).
    shown = frame.locator("#c2d canvas")
    expect(shown).to_have_js_property("width", 150)
    expect(shown).to_have_js_property("height", 75)
    assert shown.evaluate(READ_PIXEL, [10, 10]) == [255, 0, 0, 255]
    assert shown.evaluate(READ_PIXEL, [140, 10]) == [0, 0, 255, 255]
    # The image (slide-1.png) covers (100..140, 40..70) once it arrived.
    image_pixel = shown.evaluate(READ_PIXEL, [120, 55])
    assert image_pixel != [0, 0, 255, 255], image_pixel

    # requestAnimationFrame: ten frames, each drawn; the last one shows.
    frame.locator("#c2d-animate").click()
    expect(frame.locator("#c2d-frames")).to_have_text("10")
    frame.locator("#c2d").evaluate(
        """(el) => new Promise((resolve) => {
            const check = () => {
              const d = el.querySelector('canvas').getContext('2d').getImageData(70, 65, 1, 1).data;
              if (d[1] === 255 && d[0] === 0) resolve(); else requestAnimationFrame(check);
            };
            check();
        })"""
    )

    # toDataURL: a PNG whose pixels are the canvas's, usable as an <image> src.
    frame.locator("#c2d-export").click()
    expect(frame.locator("#c2d-url-length")).to_have_text("data:image/png;base64,")
    url = frame.locator("#c2d-copy img").get_attribute("src")
    assert url is not None
    image = png_pixels(url)
    assert image[:2] == (150, 75)
    assert pixel(image, 10, 10) == (255, 0, 0, 255)
    assert pixel(image, 140, 10) == (0, 0, 255, 255)
    assert pixel(image, 70, 65) == (0, 255, 0, 255)
    expect(frame.locator("#c2d-copy-size")).to_have_text('{"width":150,"height":75}')
    # canvasToTempFilePath({canvas: node}): a region, scaled to destWidth × destHeight.
    expect(frame.locator("#c2d-file-msg")).to_have_text("canvasToTempFilePath:ok")
    part_url = frame.locator("#c2d-file img").get_attribute("src")
    assert part_url is not None
    part = png_pixels(part_url)
    assert part[:2] == (30, 30)
    assert pixel(part, 15, 5) == (255, 0, 0, 255)
    assert pixel(part, 15, 28) == (0, 255, 0, 255)

    # Touches on a canvas carry x/y relative to it.
    box = box_of(frame.locator("#c2d"), scroll=False)
    page.mouse.move(box["x"] + 30, box["y"] + 40)
    page.mouse.down()
    page.mouse.up()
    expect(frame.locator("#c2d-touch")).to_have_text('{"x":30,"y":40}')


def test_canvas_legacy_context_draw_reserve_export_and_touch(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "canvas")
    shown = frame.locator("#legacy canvas")
    frame.locator("#legacy-draw").click()
    expect(frame.locator("#legacy-drawn")).to_have_text("drawn")
    assert readout(frame.locator("#legacy-measure")) == {"wide": True}
    ratio = page.evaluate("devicePixelRatio")
    assert shown.evaluate(READ_PIXEL, [int(10 * ratio), int(10 * ratio)]) == [255, 0, 0, 255]
    assert shown.evaluate(READ_PIXEL, [int(190 * ratio), int(10 * ratio)]) == [0, 0, 255, 255]
    # The gradient row goes from white to black.
    left = shown.evaluate(READ_PIXEL, [int(2 * ratio), int(90 * ratio)])
    right = shown.evaluate(READ_PIXEL, [int(198 * ratio), int(90 * ratio)])
    assert left[0] > 240 and right[0] < 15
    # The image was loaded and drawn (translated to 150, 40).
    assert shown.evaluate(READ_PIXEL, [int(165 * ratio), int(50 * ratio)]) != [0, 0, 255, 255]

    # draw(true) adds to the picture; draw(false) would have cleared it first.
    frame.locator("#legacy-more").click()
    expect(frame.locator("#legacy-drawn")).to_have_text("drawn, reserved")
    assert shown.evaluate(READ_PIXEL, [int(50 * ratio), int(50 * ratio)]) == [0, 255, 0, 255]
    assert shown.evaluate(READ_PIXEL, [int(10 * ratio), int(10 * ratio)]) == [255, 0, 0, 255]

    frame.locator("#legacy-pixels").click()
    assert readout(frame.locator("#legacy-data")) == {
        "errMsg": "canvasGetImageData:ok",
        "width": 2,
        "height": 1,
        "data": [255, 0, 0, 255, 255, 0, 0, 255],
    }

    frame.locator("#legacy-export").click()
    assert readout(frame.locator("#legacy-path")) == {
        "errMsg": "canvasToTempFilePath:ok",
        "prefix": "data:image/png;base64,",
    }
    url = frame.locator("#legacy-copy img").get_attribute("src")
    assert url is not None
    image = png_pixels(url)
    assert image[:2] == (200, 100)
    assert pixel(image, 10, 10) == (255, 0, 0, 255)
    assert pixel(image, 190, 10) == (0, 0, 255, 255)
    assert pixel(image, 50, 50) == (0, 255, 0, 255)
    expect(frame.locator("#legacy-copy-size")).to_have_text('{"width":200,"height":100}')

    # Touches: x/y relative to the canvas, on touchstart and touchmove.
    box = box_of(frame.locator("#legacy"), scroll=False)
    page.mouse.move(box["x"] + 20, box["y"] + 10)
    page.mouse.down()
    expect(frame.locator("#legacy-touch")).to_have_text('{"type":"touchstart","x":20,"y":10}')
    page.mouse.move(box["x"] + 60, box["y"] + 30)
    expect(frame.locator("#legacy-touch")).to_have_text('{"type":"touchmove","x":60,"y":30}')
    page.mouse.up()


# --- map ------------------------------------------------------------------------------------


def anchor(locator: Locator) -> tuple[float, float]:
    """A marker's anchor (the bottom centre) on screen."""
    box = box_of(locator, scroll=False)
    return box["x"] + box["width"] / 2, box["y"] + box["height"]


def test_map_markers_callouts_taps_and_drag(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "map")
    the_map = frame.locator("#map")
    a = the_map.locator('.wx-map-marker[data-marker-id="1"]')
    b = the_map.locator('.wx-map-marker[data-marker-id="2"]')
    c = the_map.locator('.wx-map-marker[data-marker-id="3"]')
    # Web Mercator at scale 14: 0.02° of longitude is 0.02 / 360 × 256 × 2^14 ≈ 233 px.
    ax, ay = anchor(a)
    bx, by = anchor(b)
    cx, cy = anchor(c)
    assert abs((bx - ax) - 233.0) < 1.5
    assert abs(by - ay) < 0.5
    assert abs(cx - (ax + bx) / 2) < 0.5 and cy < ay - 100
    # The map's centre is the element's centre: A and B sit symmetrically around it.
    mbox = box_of(the_map, scroll=False)
    assert abs((ax + bx) / 2 - (mbox["x"] + mbox["width"] / 2)) < 0.5
    # Sizes as given, the icon from the package, the default pin otherwise.
    assert box_of(a, scroll=False)["width"] == 30 and box_of(a, scroll=False)["height"] == 40
    expect(b.locator("img")).to_have_attribute(
        "src", re.compile(r"/bundles/files/[0-9a-f]{20}\.png$")
    )
    # Callouts: ALWAYS shows above its marker, BYCLICK only after a tap; the label shows.
    callout_a = the_map.locator('.wx-map-callout[data-marker-id="1"]')
    callout_b = the_map.locator('.wx-map-callout[data-marker-id="2"]')
    expect(callout_a).to_have_text("Callout A")
    expect(callout_a).to_have_css("background-color", "rgb(26, 173, 25)")
    assert (
        box_of(callout_a, scroll=False)["y"] + box_of(callout_a, scroll=False)["height"]
        <= box_of(a, scroll=False)["y"]
    )
    expect(callout_b).to_be_hidden()
    expect(the_map.locator(".wx-map-label")).to_have_text("Label C")

    page.mouse.click(*center(b))
    detail = readout(frame.locator("#map-marker"))
    assert detail == {"markerId": 2, "latitude": 23.099994, "longitude": 113.34452}
    expect(callout_b).to_be_visible()
    expect(callout_b).to_have_text("Callout B")
    page.mouse.click(*center(callout_a))
    expect(frame.locator("#map-callout")).to_have_text('{"markerId":1}')
    # A marker tap is not a map tap.
    expect(frame.locator("#map-tap")).to_have_text("")

    # A tap on the map reports where it landed (the centre here).
    page.mouse.click(mbox["x"] + mbox["width"] / 2, mbox["y"] + mbox["height"] - 20)
    tap = readout(frame.locator("#map-tap"))
    assert tap["longitude"] == "113.335" and float(tap["latitude"]) < 23.104994

    # Dragging pans: everything moves with the pointer; regionchange begin then end.
    page.mouse.move(mbox["x"] + 200, mbox["y"] + 40)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(mbox["x"] + 200 - 10 * i, mbox["y"] + 40 + 5 * i)
    page.mouse.up()
    expect(frame.locator("#map-region-types")).to_have_text("begin:gesture,end:drag")
    region = readout(frame.locator("#map-region"))
    assert region["causedBy"] == "drag" and region["scale"] == 14
    assert region["sw"] == [True, True] and region["ne"] == [True, True]
    # Dragged 100 px left and 50 px down: the centre moved east and north.
    assert float(region["center"][1]) > 113.3345 and float(region["center"][0]) > 23.105
    nx, ny = anchor(a)
    assert abs(nx - (ax - 100)) < 1.5 and abs(ny - (ay + 50)) < 1.5
    # Dragging the map does not tap it.
    assert readout(frame.locator("#map-tap")) == tap


def test_map_context(runtime_platform: RuntimePlatform, new_context: NewContext) -> None:
    _, frame = open_example_page(runtime_platform, new_context, "components", "map")
    context = frame.locator("#map-context")
    a = frame.locator('#map .wx-map-marker[data-marker-id="1"]')
    c = frame.locator('#map .wx-map-marker[data-marker-id="3"]')
    expect(a).to_be_visible()
    frame.locator("#map-center").click()
    expect(context).to_have_text(
        '{"errMsg":"getCenterLocation:ok","latitude":"23.1050","longitude":"113.3345"}'
    )
    frame.locator("#map-scale").click()
    expect(context).to_have_text('{"errMsg":"getScale:ok","scale":14}')
    frame.locator("#map-region-btn").click()
    expect(context).to_have_text('{"errMsg":"getRegion:ok","west":true,"south":true}')

    # moveToLocation(B): B's marker comes to the centre (regionchange caused by update).
    frame.locator("#map-move").click()
    expect(context).to_have_text('{"errMsg":"moveToLocation:ok"}')
    mbox = box_of(frame.locator("#map"), scroll=False)
    bx, _ = anchor(frame.locator('#map .wx-map-marker[data-marker-id="2"]'))
    assert abs(bx - (mbox["x"] + mbox["width"] / 2)) < 1
    expect(frame.locator("#map-region-types")).to_have_text("begin:update,end:update")

    # Setting `scale` from the page zooms out around the same centre.
    before = anchor(a)
    frame.locator("#map-zoom").click()
    expect(frame.locator("#map-region-types")).to_have_text(
        "begin:update,end:update,begin:update,end:update"
    )
    frame.locator("#map-scale").click()
    expect(context).to_have_text('{"errMsg":"getScale:ok","scale":12}')
    after = anchor(a)
    mid = mbox["x"] + mbox["width"] / 2
    assert abs((mid - after[0]) * 4 - (mid - before[0])) < 2

    # includePoints fits every point inside the map.
    frame.locator("#map-include").click()
    expect(context).to_have_text('{"errMsg":"includePoints:ok"}')
    for marker_id in ("1", "2", "3"):
        x, y = anchor(frame.locator(f'#map .wx-map-marker[data-marker-id="{marker_id}"]'))
        assert mbox["x"] < x < mbox["x"] + mbox["width"]
        assert mbox["y"] < y < mbox["y"] + mbox["height"]

    # translateMarker moves C onto A, then succeeds.
    frame.locator("#map-translate").click()
    expect(context).to_have_text('{"errMsg":"translateMarker:ok"}')
    cx, cy = anchor(c)
    ax, ay = anchor(a)
    assert abs(cx - ax) < 1 and abs(cy - ay) < 1

    frame.locator("#map-unsupported").click()
    expect(context).to_have_text('{"errMsg":"addMarkers:fail not supported"}')


# --- cover-view / cover-image ---------------------------------------------------------------

TOP_AT_CENTRE = """(el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return el.contains(hit);
}"""


def test_cover_view_and_cover_image_stack_above_video_and_map(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    page, frame = open_example_page(runtime_platform, new_context, "components", "cover-view")
    over_video = frame.locator("#cv-over-video")
    badge = frame.locator("#cv-badge")
    over_map = frame.locator("#cv-over-map")
    expect(over_video).to_have_text("Over the video")
    # Inside the video's box, on top of the picture (what a tap there hits).
    video = box_of(frame.locator("#cv-video"), scroll=False)
    inner = box_of(over_video, scroll=False)
    assert video["x"] <= inner["x"] and inner["y"] + inner["height"] <= video["y"] + video["height"]
    assert over_video.evaluate(TOP_AT_CENTRE)
    assert badge.evaluate(TOP_AT_CENTRE)
    assert over_map.evaluate(TOP_AT_CENTRE)
    # A cover-view placed over the map from outside it sits above it.
    the_map = box_of(frame.locator("#cv-map"), scroll=False)
    floating = box_of(over_map, scroll=False)
    assert the_map["x"] < floating["x"]
    assert floating["y"] + floating["height"] < the_map["y"] + the_map["height"]

    # Taps reach the cover-view and the cover-image, not the video behind them.
    page.mouse.click(*center(over_video))
    expect(frame.locator("#cv-taps")).to_have_text("1")
    page.mouse.click(*center(badge))
    expect(frame.locator("#cv-badge-taps")).to_have_text("1")
    expect(frame.locator("#cv-load")).to_have_text('{"width":81,"height":81}')
    assert box_of(badge, scroll=False)["width"] == 48

    # scroll-top scrolls a cover-view; a missing image reports binderror.
    expect(frame.locator("#cv-scroll")).to_have_js_property("scrollTop", 60)
    expect(frame.locator("#cv-error")).to_have_text("GET … error")
