"""Mini-program codes (docs/entry-points.md "Mini-program codes"; server-api.md §3): the
arguments WeChat takes and its errcodes, the quotas, and the image.

- "B" (`/wxa/getwxacodeunlimit`): a scene and a page, 5000 a minute per app (45009).
- "A" (`/wxa/getwxacode`) and "C" (`/cgi-bin/wxaapp/createwxaqrcode`): a page with its query;
  together 100 000 per app for ever (45029), as WeChat counts them.

A bad argument is OpenApiError 40097 naming the field (`CodeArgumentError`); a page that is not
in the version the code opens 41030 (B with `check_path`, A and C always); nothing to open 85079.
The console draws the same images for its members (`access_console_code`), outside the quotas.

The image is the QR code of the code's URL (code_urls.py), encoded by zxing-cpp's writer (in C++:
about 20 times faster than segno, whose mask choice in pure Python was 80 % of a code's time),
error correction M, a quiet zone of 4 modules, scaled by a whole number of pixels a module
(nearest neighbour: modules stay crisp and equal) and centred on a `width` px square, so the
quiet zone grows by what is left over.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Literal

import zxingcpp
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from miniapp.accounts.principal import UserRef
from miniapp.accounts.roles import Permission
from miniapp.apps.access import access_app
from miniapp.apps.bundles import BundleStore
from miniapp.apps.logos import MediaStore
from miniapp.apps.models import App
from miniapp.discovery.code_urls import CodeKind, CodeUrl, code_url
from miniapp.discovery.entry_targets import EntryTarget, EnvVersion, access_entry_target
from miniapp.errors import Conflict, InvalidInput, UserError
from miniapp.openapi.envelope import (
    CODE_COUNT_REACHED,
    INVALID_ARGS,
    INVALID_PAGE,
    NO_RELEASED_VERSION,
    OpenApiError,
)
from miniapp.openapi.quotas import Window, do_take_quota
from miniapp.openapi.rate_limits import RateLimiter, do_take_rate

Rgb = tuple[int, int, int]

SCENE = re.compile(r"[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}")
MAX_SCENE = 32
MAX_PATH_BYTES = 128  # an A or C code's path with its query; a B code's page too
MIN_WIDTH = 280
MAX_WIDTH = 1280
DEFAULT_WIDTH = 430
BORDER = 4  # modules of quiet zone, as the QR standard asks
BLACK: Rgb = (0, 0, 0)
WHITE: Rgb = (255, 255, 255)
MIN_CONTRAST = 4.5  # WCAG AA against the white background: a phone camera reads it easily

UNLIMITED_QUOTA = "wxacode.unlimited"
UNLIMITED_PER_MINUTE = 5000
LIMITED_QUOTA = "wxacode.limited"  # A and C codes, counted together
LIMITED_FOR_EVER = 100_000


class CodeArgumentError(OpenApiError):
    """40097 "invalid args" for one field (`field`), with why (`reason`)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(INVALID_ARGS, f"invalid args: {field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeImage:
    """Everything render_code_png needs: the URL the code holds and how it looks."""

    url: str
    width: int = DEFAULT_WIDTH
    line_color: Rgb = BLACK
    is_hyaline: bool = False


# --- arguments ----------------------------------------------------------------------------------


def check_scene(scene: str | int | None) -> str:
    """A B code's scene: 1..32 characters of `[0-9A-Za-z!#$&'()*+,/:;=?@-._~]` (a number is
    taken as its digits, as WeChat does)."""
    text = "" if scene is None else str(scene)
    if not text:
        raise CodeArgumentError("scene", "required")
    if len(text) > MAX_SCENE:
        raise CodeArgumentError("scene", f"longer than {MAX_SCENE} characters")
    if SCENE.fullmatch(text) is None:
        raise CodeArgumentError("scene", "characters outside [0-9A-Za-z!#$&'()*+,/:;=?@-._~]")
    return text


def check_page(page: str) -> str:
    """A B code's page: "" (the home page) or a page path without a leading "/" nor a query."""
    if page.startswith("/"):
        raise CodeArgumentError("page", "must not start with /")
    if "?" in page or "#" in page:
        raise CodeArgumentError("page", "must not carry a query")
    if len(page.encode()) > MAX_PATH_BYTES:
        raise CodeArgumentError("page", f"longer than {MAX_PATH_BYTES} bytes")
    return page


def check_code_path(path: str) -> tuple[str, str]:
    """An A or C code's path, `page[?query]` of at most 128 bytes (one leading "/" tolerated):
    its page and its query string."""
    if not path:
        raise CodeArgumentError("path", "required")
    if len(path.encode()) > MAX_PATH_BYTES:
        raise CodeArgumentError("path", f"longer than {MAX_PATH_BYTES} bytes")
    page, _, query = path.removeprefix("/").partition("?")
    if "#" in page:
        raise CodeArgumentError("path", "must not carry a fragment")
    return page, query


def check_width(width: int) -> int:
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise CodeArgumentError("width", f"must be {MIN_WIDTH}..{MAX_WIDTH}")
    return width


def check_line_color(r: int, g: int, b: int) -> Rgb:
    for name, value in (("r", r), ("g", g), ("b", b)):
        if not 0 <= value <= 255:
            raise CodeArgumentError(f"line_color.{name}", "must be 0..255")
    return (r, g, b)


def check_env_version(env_version: str) -> EnvVersion:
    try:
        return EnvVersion(env_version)
    except ValueError:
        raise CodeArgumentError("env_version", "must be release, trial or develop") from None


def check_target_page(target: EntryTarget, page: str) -> None:
    """41030 unless `page` ("" for the home page) is a page of the version the code opens."""
    if page and page not in target.pages:
        raise OpenApiError(INVALID_PAGE, "invalid page")
    if not page and not target.pages:
        raise OpenApiError(INVALID_PAGE, "invalid page")


# --- colours ------------------------------------------------------------------------------------


def _luminance(rgb: Rgb) -> float:
    """WCAG 2 relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(rgb: Rgb) -> float:
    return 1.05 / (_luminance(rgb) + 0.05)


def readable_on_white(rgb: Rgb) -> Rgb:
    """`rgb` darkened (same hue) just enough for a contrast of 4.5:1 against white."""
    if contrast_with_white(rgb) >= MIN_CONTRAST:
        return rgb
    low, high = 0.0, 1.0  # the largest factor that still reads: bisect, 0 (black) always does
    for _ in range(16):
        middle = (low + high) / 2
        candidate = (round(rgb[0] * middle), round(rgb[1] * middle), round(rgb[2] * middle))
        if contrast_with_white(candidate) >= MIN_CONTRAST:
            low = middle
        else:
            high = middle
    return (round(rgb[0] * low), round(rgb[1] * low), round(rgb[2] * low))


@lru_cache(maxsize=256)
def _logo_colour(path: Path) -> Rgb:
    # Logos are content-addressed and immutable (apps/logos.py): a name always has one colour.
    try:
        with Image.open(path) as opened:
            small = opened.convert("RGBA").resize((32, 32), Image.Resampling.BOX)
    except (OSError, UnidentifiedImageError, ValueError):
        return BLACK
    buckets: dict[Rgb, list[Rgb]] = {}
    for r, g, b, a in small.get_flattened_data():  # type: ignore[misc]
        if a < 128 or min(r, g, b) > 224:
            continue  # transparent or near white: the background, not the brand's colour
        buckets.setdefault((r >> 5, g >> 5, b >> 5), []).append((r, g, b))
    if not buckets:
        return BLACK
    pixels = max(buckets.values(), key=len)
    count = len(pixels)
    mean = (
        round(sum(p[0] for p in pixels) / count),
        round(sum(p[1] for p in pixels) / count),
        round(sum(p[2] for p in pixels) / count),
    )
    return readable_on_white(mean)


def logo_line_color(media: MediaStore, logo: str | None) -> Rgb:
    """`auto_color`: the logo's dominant colour (its most common colour, background left out),
    darkened to read on white; black for an app without a logo."""
    path = media.served_file(logo) if logo else None
    if path is None:
        return BLACK
    return _logo_colour(path)


def _line_color(
    session: Session,
    *,
    app_id: int,
    auto_color: bool,
    line_color: Rgb | None,
    media: MediaStore,
) -> Rgb:
    if auto_color:
        logo = session.scalar(select(App.logo).where(App.id == app_id))
        return logo_line_color(media, logo)
    return line_color or BLACK


# --- making codes -------------------------------------------------------------------------------


def do_issue_unlimited_code(
    session: Session,
    *,
    app_id: int,
    appid: str,
    scene: str | int | None,
    page: str = "",
    check_path: bool = True,
    env_version: str = EnvVersion.RELEASE.value,
    width: int = DEFAULT_WIDTH,
    auto_color: bool = False,
    line_color: Rgb | None = None,
    is_hyaline: bool = False,
    store: BundleStore,
    media: MediaStore,
    public_url: str,
    limiter: RateLimiter,
    now: datetime,
) -> CodeImage:
    """A "B" code of the app (the token's): checks every argument, the version and the page,
    and counts it against 5000 a minute (45009). Render the answer with render_code_png after
    the transaction: the count commits first, and no lock is held while drawing."""
    checked_scene = check_scene(scene)
    checked_page = check_page(page)
    env = check_env_version(env_version)
    checked_width = check_width(width)
    color = check_line_color(*line_color) if line_color is not None else None
    target = access_entry_target(session, app_id=app_id, env_version=env, store=store)
    if check_path:
        check_target_page(target, checked_page)
    do_take_rate(
        limiter,
        app_id=app_id,
        name=UNLIMITED_QUOTA,
        limit=UNLIMITED_PER_MINUTE,
        window=Window.MINUTE,
        now=now,
    )
    code = CodeUrl(
        appid=appid, kind="b", page=checked_page, scene=checked_scene, build=target.build
    )
    return CodeImage(
        url=code_url(code, public_url=public_url),
        width=checked_width,
        line_color=_line_color(
            session, app_id=app_id, auto_color=auto_color, line_color=color, media=media
        ),
        is_hyaline=is_hyaline,
    )


def do_issue_limited_code(
    session: Session,
    *,
    app_id: int,
    appid: str,
    kind: Literal["a", "c"],
    path: str,
    env_version: str = EnvVersion.RELEASE.value,
    width: int = DEFAULT_WIDTH,
    auto_color: bool = False,
    line_color: Rgb | None = None,
    is_hyaline: bool = False,
    store: BundleStore,
    media: MediaStore,
    public_url: str,
    now: datetime,
) -> CodeImage:
    """An "A" (`kind` "a") or "C" code ("c": a plain black square QR, release only) of the
    app: the page must be in the version it opens (41030); A and C codes share 100 000 per app
    for ever (45029). Render as for do_issue_unlimited_code."""
    page, query = check_code_path(path)
    env = check_env_version(env_version)
    checked_width = check_width(width)
    color = check_line_color(*line_color) if line_color is not None else None
    target = access_entry_target(session, app_id=app_id, env_version=env, store=store)
    check_target_page(target, page)
    do_take_quota(
        session,
        app_id=app_id,
        name=LIMITED_QUOTA,
        limit=LIMITED_FOR_EVER,
        window=Window.LIFETIME,
        now=now,
        errcode=CODE_COUNT_REACHED,
        errmsg="reach max limit of wxacode count",
    )
    code = CodeUrl(appid=appid, kind=kind, page=page, query=query, build=target.build)
    if kind == "c":
        return CodeImage(url=code_url(code, public_url=public_url), width=checked_width)
    return CodeImage(
        url=code_url(code, public_url=public_url),
        width=checked_width,
        line_color=_line_color(
            session, app_id=app_id, auto_color=auto_color, line_color=color, media=media
        ),
        is_hyaline=is_hyaline,
    )


def _console_error(error: OpenApiError) -> UserError:
    """The console's error for what the open API answers with an errcode."""
    if isinstance(error, CodeArgumentError):
        return InvalidInput("invalid_input", field=error.field, reason=error.reason)
    if error.errcode == INVALID_PAGE:
        return InvalidInput("code_page_unknown", field="page")
    if error.errcode == NO_RELEASED_VERSION:
        return Conflict("code_no_version")
    return InvalidInput("invalid_input", field="request", reason=error.errmsg)


def access_code_pages(
    session: Session, *, user: UserRef, appid: str, env_version: str, store: BundleStore
) -> EntryTarget:
    """The version `env_version` of the app opens and its pages, for a member with APPS_READ
    (`code_no_version` 409 when there is none)."""
    access = access_app(session, user=user, appid=appid, permission=Permission.APPS_READ)
    try:
        env = check_env_version(env_version)
        return access_entry_target(session, app_id=access.app.id, env_version=env, store=store)
    except OpenApiError as error:
        raise _console_error(error) from None


def access_console_code(
    session: Session,
    *,
    user: UserRef,
    appid: str,
    kind: CodeKind,
    page: str,
    query: str = "",
    scene: str = "",
    width: int = DEFAULT_WIDTH,
    env_version: str = EnvVersion.RELEASE.value,
    store: BundleStore,
    public_url: str,
) -> CodeImage:
    """The code a member with APPS_READ asks the console for: any page of the version (checked
    as the open API checks it, with the console's errors), counted against no quota."""
    access = access_app(session, user=user, appid=appid, permission=Permission.APPS_READ)
    try:
        env = check_env_version(env_version)
        checked_width = check_width(width)
        target = access_entry_target(session, app_id=access.app.id, env_version=env, store=store)
        if kind == "b":
            checked_scene = check_scene(scene)
            checked_page = check_page(page)
            checked_query = ""
        else:  # an A or C code names its page: the home page when none is chosen
            checked_scene = ""
            path = page or target.home
            checked_page, checked_query = check_code_path(f"{path}?{query}" if query else path)
        check_target_page(target, checked_page)
    except OpenApiError as error:
        raise _console_error(error) from None
    code = CodeUrl(
        appid=access.app.appid,
        kind=kind,
        page=checked_page,
        query=checked_query,
        scene=checked_scene,
        build=target.build,
    )
    return CodeImage(url=code_url(code, public_url=public_url), width=checked_width)


# --- the image ----------------------------------------------------------------------------------


DARK_TO_INDEX = bytes([1] * 128 + [0] * 128)


def render_code_png(
    url: str,
    *,
    width: int = DEFAULT_WIDTH,
    line_color: Rgb = BLACK,
    is_hyaline: bool = False,
) -> bytes:
    """The PNG of `url`'s QR code, exactly `width` px square (module docstring): a 1-bit
    palette image (white and `line_color`), or RGBA with a transparent background when
    `is_hyaline`."""
    qr = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    pixels = qr.to_image(scale=1, add_quiet_zones=False)  # a byte a module: 0 dark, 255 light
    modules = pixels.shape[1]
    # zxingcpp.Image has the buffer protocol, which its type stubs do not declare.
    raw = memoryview(pixels).tobytes()  # type: ignore[arg-type]
    # Palette index 1 is the line colour, 0 the background.
    symbol = Image.frombytes("P", (modules, modules), raw.translate(DARK_TO_INDEX))
    # At most 177 modules (version 40) and 8 of quiet zone: at least one pixel each in 280 px.
    scale = width // (modules + 2 * BORDER)
    side = modules * scale
    offset = (width - side) // 2
    canvas = Image.new("P", (width, width), 0)
    canvas.putpalette((*WHITE, *line_color))
    canvas.paste(symbol.resize((side, side), Image.Resampling.NEAREST), (offset, offset))
    out = io.BytesIO()
    if is_hyaline:
        canvas.info["transparency"] = 0
        canvas.convert("RGBA").save(out, format="PNG", compress_level=1)
    else:
        canvas.save(out, format="PNG")
    return out.getvalue()


def render_code_image(image: CodeImage) -> bytes:
    return render_code_png(
        image.url, width=image.width, line_color=image.line_color, is_hyaline=image.is_hyaline
    )
