"""Mini-program codes (discovery/codes.py): every argument WeChat checks and its errcode, the
version and page a code opens, the quotas, the console's codes, and the image itself read back
with a real decoder (zxing-cpp)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select

from miniapp.accounts.models import Membership, Organisation, OrgRole
from miniapp.accounts.principal import Principal
from miniapp.accounts.users import do_sign_up
from miniapp.apps.bundles import BundleStore
from miniapp.apps.logos import MediaStore, do_store_logo
from miniapp.apps.models import App
from miniapp.apps.registry import do_register_app
from miniapp.db.session import Database
from miniapp.discovery.codes import (
    BLACK,
    LIMITED_FOR_EVER,
    LIMITED_QUOTA,
    UNLIMITED_PER_MINUTE,
    UNLIMITED_QUOTA,
    CodeArgumentError,
    CodeImage,
    access_code_pages,
    access_console_code,
    check_code_path,
    check_env_version,
    check_line_color,
    check_page,
    check_scene,
    check_width,
    contrast_with_white,
    do_issue_limited_code,
    do_issue_unlimited_code,
    logo_line_color,
    readable_on_white,
    render_code_png,
)
from miniapp.errors import UserError
from miniapp.openapi.envelope import OpenApiError
from miniapp.openapi.models import ApiQuota
from miniapp.openapi.quotas import Window, window_start
from miniapp.openapi.rate_limits import Count, MemoryRateLimiter
from tests.discovery.code_helpers import (
    add_trial_and_develop,
    app_id_of,
    decoded,
    release_bundle,
)
from tests.discovery.helpers import add_app

PUBLIC = "https://mp.example.com"
T0 = datetime(2030, 5, 1, 12, 0, 30, tzinfo=UTC)
SCENE_CHARS = "0123456789abcxyzABCXYZ!#$&'()*+,/:;=?@-._~"


def errcode_of(call: Callable[[], object]) -> int:
    with pytest.raises(OpenApiError) as refused:
        call()
    return refused.value.errcode


def field_of(call: Callable[[], object]) -> str:
    with pytest.raises(CodeArgumentError) as refused:
        call()
    assert refused.value.errcode == 40097
    assert refused.value.field in refused.value.errmsg
    return refused.value.field


@pytest.fixture
def store(tmp_path: Path) -> BundleStore:
    return BundleStore(tmp_path / "bundles")


@pytest.fixture
def media(tmp_path: Path) -> MediaStore:
    return MediaStore(tmp_path / "media")


@pytest.fixture
def appid(database: Database, store: BundleStore, tmp_path: Path) -> str:
    return add_app(database, name="Tea", bundle_id=release_bundle(store, tmp_path))


class Maker:
    """Calls the service functions for one app in a transaction of their own, as the routes do."""

    def __init__(self, database: Database, store: BundleStore, media: MediaStore, appid: str):
        self.database, self.store, self.media, self.appid = database, store, media, appid
        self.app_id = app_id_of(database, appid)
        self.limiter = MemoryRateLimiter()

    def b(self, scene: Any = "42", *, now: datetime = T0, **options: Any) -> CodeImage:
        with self.database.transaction() as session:
            return do_issue_unlimited_code(
                session,
                app_id=self.app_id,
                appid=self.appid,
                scene=scene,
                store=self.store,
                media=self.media,
                public_url=PUBLIC,
                limiter=self.limiter,
                now=now,
                **options,
            )

    def limited(
        self, kind: Any, path: str = "pages/about/about", *, now: datetime = T0, **options: Any
    ) -> CodeImage:
        with self.database.transaction() as session:
            return do_issue_limited_code(
                session,
                app_id=self.app_id,
                appid=self.appid,
                kind=kind,
                path=path,
                store=self.store,
                media=self.media,
                public_url=PUBLIC,
                now=now,
                **options,
            )

    def used(self, name: str) -> int:
        """Units of `name` taken: in the database, and this minute's (T0's) in the limiter."""
        minute = self.limiter.used(app_id=self.app_id, name=name, window=Window.MINUTE, now=T0)
        with self.database.read() as session:
            stored = sum(session.scalars(select(ApiQuota.used).where(ApiQuota.name == name)))
        return stored + minute


@pytest.fixture
def maker(database: Database, store: BundleStore, media: MediaStore, appid: str) -> Maker:
    return Maker(database, store, media, appid)


# --- the arguments --------------------------------------------------------------------------


def test_scenes_wechat_allows_pass() -> None:
    assert check_scene(SCENE_CHARS[:32]) == SCENE_CHARS[:32]
    assert check_scene(SCENE_CHARS[32:]) == SCENE_CHARS[32:]
    assert check_scene(12345) == "12345"  # a number is taken as its digits
    assert check_scene("x" * 32) == "x" * 32


@pytest.mark.parametrize("scene", ["x" * 33, "", None, "a b", "a%20b", "茶", 'a"b', "a<b", "a\\b"])
def test_an_overlong_empty_or_strange_scene_is_40097_naming_scene(scene: Any) -> None:
    assert field_of(lambda: check_scene(scene)) == "scene"


@pytest.mark.parametrize("width", [279, 1281, 0, -430])
def test_a_width_outside_280_to_1280_is_40097(width: int) -> None:
    assert field_of(lambda: check_width(width)) == "width"


def test_widths_at_the_ends_of_the_range_pass() -> None:
    assert (check_width(280), check_width(1280)) == (280, 1280)


@pytest.mark.parametrize("page", ["/pages/a/a", "pages/a/a?x=1", "pages/a/a#x", "p" * 129])
def test_a_b_codes_page_is_a_bare_path(page: str) -> None:
    assert field_of(lambda: check_page(page)) == "page"


def test_a_b_codes_page_may_be_empty_for_the_home_page() -> None:
    assert check_page("") == ""


def test_an_a_or_c_codes_path_splits_into_page_and_query_and_tolerates_one_leading_slash() -> None:
    assert check_code_path("pages/a/a?x=1&y=2") == ("pages/a/a", "x=1&y=2")
    assert check_code_path("/pages/a/a") == ("pages/a/a", "")
    assert check_code_path("pages/a/a?" + "x" * (128 - 10)) == ("pages/a/a", "x" * 118)


@pytest.mark.parametrize("path", ["", "pages/a/a?" + "x" * 119, "pages/a/a?q=" + "茶" * 40])
def test_an_empty_path_or_one_over_128_bytes_is_40097(path: str) -> None:
    assert field_of(lambda: check_code_path(path)) == "path"


@pytest.mark.parametrize(
    ("rgb", "field"),
    [((256, 0, 0), "line_color.r"), ((0, -1, 0), "line_color.g"), ((0, 0, 999), "line_color.b")],
)
def test_a_colour_channel_outside_0_to_255_is_40097(rgb: tuple[int, int, int], field: str) -> None:
    assert field_of(lambda: check_line_color(*rgb)) == field
    assert check_line_color(0, 128, 255) == (0, 128, 255)


@pytest.mark.parametrize("env", ["beta", "", "Release"])
def test_an_unknown_env_version_is_40097(env: str) -> None:
    assert field_of(lambda: check_env_version(env)) == "env_version"


# --- versions and pages ---------------------------------------------------------------------


def test_a_b_code_holds_its_url_with_the_scene_and_page(maker: Maker) -> None:
    image = maker.b("id=42&from=qr", page="pages/about/about", width=500)
    assert image == CodeImage(
        url=f"{PUBLIC}/mp/{maker.appid}?k=b&p=pages/about/about&s=id=42%26from=qr", width=500
    )
    assert maker.b("7").url == f"{PUBLIC}/mp/{maker.appid}?k=b&s=7"  # home page: no `p`


def test_a_missing_page_is_41030_with_check_path_and_passes_without(maker: Maker) -> None:
    assert errcode_of(lambda: maker.b(page="pages/nowhere/nowhere")) == 41030
    unchecked = maker.b(page="pages/nowhere/nowhere", check_path=False)
    assert "p=pages/nowhere/nowhere" in unchecked.url
    assert maker.used(UNLIMITED_QUOTA) == 1  # the refused call counted nothing


def test_a_and_c_codes_always_check_their_page(maker: Maker) -> None:
    assert errcode_of(lambda: maker.limited("a", "pages/nowhere/nowhere?x=1")) == 41030
    assert errcode_of(lambda: maker.limited("c", "pages/nowhere/nowhere")) == 41030
    assert maker.used(LIMITED_QUOTA) == 0
    assert maker.limited("a", "/pages/about/about?id=1&n=2").url == (
        f"{PUBLIC}/mp/{maker.appid}?k=a&p=pages/about/about&q=id=1%26n=2"
    )
    assert (
        maker.limited("c", "pages/cart/cart").url
        == f"{PUBLIC}/mp/{maker.appid}?k=c&p=pages/cart/cart"
    )


def test_an_unreleased_app_gets_85079(
    database: Database, store: BundleStore, media: MediaStore
) -> None:
    unreleased = Maker(database, store, media, add_app(database, name="Bare", bundle_id=None))
    assert errcode_of(unreleased.b) == 85079
    assert errcode_of(lambda: unreleased.b(check_path=False)) == 85079
    assert errcode_of(lambda: unreleased.limited("a")) == 85079
    assert errcode_of(lambda: unreleased.limited("c")) == 85079


def test_trial_needs_a_trial_version_and_develop_opens_the_newest_upload(
    maker: Maker, database: Database, store: BundleStore, tmp_path: Path
) -> None:
    assert errcode_of(lambda: maker.b(env_version="trial")) == 85079
    assert errcode_of(lambda: maker.b(env_version="develop")) == 85079
    add_trial_and_develop(database, store, tmp_path, maker.appid)

    # Each version's own pages: pages/trial/trial is in the trial version, not in the release.
    assert errcode_of(lambda: maker.b(page="pages/trial/trial")) == 41030
    trial = maker.b(page="pages/trial/trial", env_version="trial")
    assert trial.url.endswith("&p=pages/trial/trial&s=42&v=trial")
    assert (
        errcode_of(lambda: maker.limited("a", "pages/newest/newest", env_version="trial")) == 41030
    )
    newest = maker.limited("a", "pages/newest/newest", env_version="develop")
    assert newest.url.endswith("?k=a&p=pages/newest/newest&v=develop")


# --- quotas ---------------------------------------------------------------------------------


def fill_quota(database: Database, app_id: int, name: str, window: Window, used: int) -> None:
    with database.transaction() as session:
        session.add(
            ApiQuota(app_id=app_id, name=name, window_start=window_start(window, T0), used=used)
        )


def test_b_codes_stop_at_5000_a_minute_with_45009_and_start_again_the_next_minute(
    maker: Maker, database: Database
) -> None:
    spent = Count(name=UNLIMITED_QUOTA, window=Window.MINUTE, limit=UNLIMITED_PER_MINUTE - 1)
    while maker.limiter.take(app_id=maker.app_id, counts=(spent,), now=T0) is None:
        pass
    maker.b()  # the 5000th
    assert errcode_of(maker.b) == 45009
    next_minute = T0.replace(minute=T0.minute + 1)
    assert maker.b(now=next_minute).url.endswith("s=42")


def test_a_and_c_codes_share_100000_for_ever_then_45029(maker: Maker, database: Database) -> None:
    fill_quota(database, maker.app_id, LIMITED_QUOTA, Window.LIFETIME, LIMITED_FOR_EVER - 2)
    maker.limited("a")
    maker.limited("c", now=T0.replace(year=2031))
    assert errcode_of(lambda: maker.limited("a")) == 45029
    assert errcode_of(lambda: maker.limited("c", now=T0.replace(year=2040))) == 45029
    assert maker.used(LIMITED_QUOTA) == LIMITED_FOR_EVER
    assert maker.b().url  # B codes count apart


# --- colours --------------------------------------------------------------------------------


def logo_png(colour: tuple[int, int, int], *, background: tuple[int, int, int] | None) -> bytes:
    """A 200 px logo: a disc of `colour` on `background` (transparent when None)."""
    image = Image.new("RGBA", (200, 200), (*background, 255) if background else (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((20, 20, 180, 180), fill=(*colour, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_auto_color_takes_the_logos_colour_not_its_white_background(
    maker: Maker, database: Database, media: MediaStore
) -> None:
    assert maker.b(auto_color=True).line_color == BLACK  # no logo yet
    name = do_store_logo(media, logo_png((180, 20, 40), background=(255, 255, 255)))
    with database.transaction() as session:
        session.scalars(select(App).where(App.appid == maker.appid)).one().logo = name
    assert maker.b(auto_color=True).line_color == (180, 20, 40)  # dark enough already
    # auto_color wins over line_color, as WeChat's does.
    assert maker.b(auto_color=True, line_color=(0, 0, 255)).line_color == (180, 20, 40)
    assert maker.b(line_color=(0, 0, 255)).line_color == (0, 0, 255)


def test_a_light_logo_colour_is_darkened_to_read_on_white(media: MediaStore) -> None:
    name = do_store_logo(media, logo_png((255, 220, 40), background=None))
    colour = logo_line_color(media, name)
    assert 4.5 <= contrast_with_white(colour) < 4.8  # darkened just enough
    assert colour[0] > colour[1] > colour[2]  # still a yellow, darker
    grey = readable_on_white((255, 255, 255))
    assert grey[0] == grey[1] == grey[2] and 4.5 <= contrast_with_white(grey) < 4.8
    assert logo_line_color(media, None) == BLACK


# --- the image ------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [280, 430, 1280])
def test_the_png_decodes_to_the_exact_url_at_exactly_the_width(width: int) -> None:
    url = f"{PUBLIC}/mp/wx0123456789abcdef?k=b&p=pages/about/about&s=id=42%26from=qr"
    png = render_code_png(url, width=width)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size == (width, width)
    assert image.convert("RGB").getpixel((0, 0)) == (255, 255, 255)  # the quiet zone
    assert decoded(png) == [url]


def test_a_hyaline_code_has_a_transparent_background_and_opaque_modules() -> None:
    url = f"{PUBLIC}/mp/wx0123456789abcdef?k=a&p=pages/a/a"
    image = Image.open(io.BytesIO(render_code_png(url, is_hyaline=True)))
    assert image.mode == "RGBA"
    alphas = {alpha for _r, _g, _b, alpha in image.get_flattened_data()}  # type: ignore[misc]
    assert alphas == {0, 255}
    assert image.getpixel((0, 0)) == (255, 255, 255, 0)
    assert decoded(render_code_png(url, is_hyaline=True)) == [url]


def test_line_color_colours_the_modules_and_the_background_stays_white() -> None:
    url = f"{PUBLIC}/mp/wx0123456789abcdef?k=a&p=pages/a/a"
    png = render_code_png(url, line_color=(0, 90, 160))
    colours = Image.open(io.BytesIO(png)).convert("RGB").getcolors()
    assert colours is not None
    assert {colour for _count, colour in colours} == {(255, 255, 255), (0, 90, 160)}
    assert decoded(png) == [url]


# --- the console ----------------------------------------------------------------------------


def member(database: Database, appid: str, login: str, role: OrgRole | None) -> Principal:
    """A user; a member of the app's organisation with `role` (an outsider with None)."""
    with database.transaction() as session:
        user = do_sign_up(
            session, login=login, password="correct-horse-42", display_name="M", password_hash="x"
        )
        if role is not None:
            app = session.scalars(select(App).where(App.appid == appid)).one()
            if app.organisation_id is None:
                organisation = Organisation(name="Tea Ltd", created_by_id=user.id)
                session.add(organisation)
                session.flush()
                app.organisation_id = organisation.id
            session.add(Membership(organisation_id=app.organisation_id, user_id=user.id, role=role))
        return Principal.of(user)


def console_code(database: Database, store: BundleStore, **options: Any) -> CodeImage:
    with database.read() as session:
        return access_console_code(session, store=store, public_url=PUBLIC, **options)


def console_error(call: Callable[[], object]) -> tuple[int, str, str | None]:
    with pytest.raises(UserError) as refused:
        call()
    return refused.value.status_code, refused.value.code, refused.value.field


def test_the_console_draws_any_page_for_a_member_without_touching_the_quota(
    maker: Maker, database: Database, store: BundleStore
) -> None:
    tester = member(database, maker.appid, "t@example.com", OrgRole.TESTER)
    image = console_code(
        database,
        store,
        user=tester,
        appid=maker.appid,
        kind="b",
        page="pages/cart/cart",
        scene="s=1",
    )
    assert image.url == f"{PUBLIC}/mp/{maker.appid}?k=b&p=pages/cart/cart&s=s=1"
    home = console_code(database, store, user=tester, appid=maker.appid, kind="c", page="")
    assert home.url == f"{PUBLIC}/mp/{maker.appid}?k=c&p=pages/index/index"
    with_query = console_code(
        database,
        store,
        user=tester,
        appid=maker.appid,
        kind="a",
        page="pages/about/about",
        query="id=3",
        width=600,
    )
    assert (with_query.url.endswith("&q=id=3"), with_query.width) == (True, 600)
    assert maker.used(UNLIMITED_QUOTA) + maker.used(LIMITED_QUOTA) == 0
    with database.read() as session:
        pages = access_code_pages(
            session, user=tester, appid=maker.appid, env_version="release", store=store
        )
    assert pages.pages[0] == "pages/index/index"


def test_the_console_answers_with_its_own_errors(
    maker: Maker, database: Database, store: BundleStore
) -> None:
    tester = member(database, maker.appid, "t@example.com", OrgRole.TESTER)
    outsider = member(database, maker.appid, "o@example.com", None)

    def ask(**options: Any) -> Callable[[], object]:
        settings = {"user": tester, "kind": "b", "page": "", **options}
        return lambda: console_code(database, store, appid=maker.appid, **settings)

    assert console_error(ask(user=outsider, scene="1")) == (404, "not_found", None)
    assert console_error(ask(page="pages/no/no", scene="1")) == (422, "code_page_unknown", "page")
    assert console_error(ask(scene="x" * 33)) == (422, "invalid_input", "scene")
    assert console_error(ask(scene="1", width=100)) == (422, "invalid_input", "width")
    assert console_error(ask(scene="1", env_version="trial")) == (409, "code_no_version", None)
    assert console_error(ask(kind="a", query="x" * 130)) == (422, "invalid_input", "path")


def test_the_console_draws_trial_pages_of_an_unreleased_app(
    database: Database, store: BundleStore, tmp_path: Path
) -> None:
    with database.transaction() as session:
        appid = do_register_app(session, name="Soon").appid
    add_trial_and_develop(database, store, tmp_path, appid)
    admin = member(database, appid, "a@example.com", OrgRole.ADMIN)
    assert console_error(
        lambda: console_code(database, store, user=admin, appid=appid, kind="c", page="")
    ) == (409, "code_no_version", None)
    trial = console_code(
        database,
        store,
        user=admin,
        appid=appid,
        kind="c",
        page="pages/trial/trial",
        env_version="trial",
    )
    assert trial.url.endswith("?k=c&p=pages/trial/trial&v=trial")
