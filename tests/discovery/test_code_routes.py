"""Mini-program codes over HTTP: the three open API endpoints (PNG or WeChat's envelope, the
token errors, a token acting for its own app only), wechatpy making codes against a live
server, `GET /mp/...` redirecting into the host and nowhere else, and the console's code.png
and code-pages for members."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi import FastAPI
from PIL import Image
from sqlalchemy import func, select, update
from wechatpy.exceptions import WeChatClientException  # type: ignore[import-untyped]

from miniapp.apps.bundles import BundleStore
from miniapp.apps.models import App
from miniapp.apps.registry import do_release_bundle
from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.openapi.models import AccessToken, ApiQuota
from miniapp.settings import Settings
from tests.apps.version_helpers import make_team
from tests.conftest import LiveServer
from tests.discovery.code_helpers import decoded, release_bundle
from tests.discovery.helpers import PAGES, store_project, write_project
from tests.openapi.helpers import BackEnd, add_app_with_secret
from tests.openapi.wechatpy_client import wechat_client

PUBLIC = "https://testserver"
UNLIMITED = "/wxa/getwxacodeunlimit"
CODE = "/wxa/getwxacode"
QR = "/cgi-bin/wxaapp/createwxaqrcode"
BODIES = {
    UNLIMITED: {"scene": "id=42", "page": "pages/about/about"},
    CODE: {"path": "pages/about/about?id=42"},
    QR: {"path": "pages/about/about?id=42"},
}


@pytest.fixture
def store(app: FastAPI) -> BundleStore:
    found: BundleStore = app.state.bundle_store
    return found


@pytest.fixture
def back_end(database: Database, settings: Settings, store: BundleStore, tmp_path: Path) -> BackEnd:
    return add_app_with_secret(
        database, settings, name="Tea", bundle_id=release_bundle(store, tmp_path)
    )


def token_for(client: Any, back_end: BackEnd) -> str:
    answer = client.get(
        "/cgi-bin/token",
        params={
            "grant_type": "client_credential",
            "appid": back_end.appid,
            "secret": back_end.secret,
        },
    )
    token: str = answer.json()["access_token"]
    return token


@pytest.fixture
def token(client: Any, back_end: BackEnd) -> str:
    return token_for(client, back_end)


def errcode(answer: Any) -> int:
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    code: int = answer.json()["errcode"]
    return code


# --- the open API ---------------------------------------------------------------------------


def test_each_endpoint_answers_a_png_of_the_codes_url(
    client: Any, back_end: BackEnd, token: str
) -> None:
    expected = {
        UNLIMITED: f"{PUBLIC}/mp/{back_end.appid}?k=b&p=pages/about/about&s=id=42",
        CODE: f"{PUBLIC}/mp/{back_end.appid}?k=a&p=pages/about/about&q=id=42",
        QR: f"{PUBLIC}/mp/{back_end.appid}?k=c&p=pages/about/about&q=id=42",
    }
    for path, body in BODIES.items():
        answer = client.post(path, params={"access_token": token}, json={**body, "width": 300})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(answer.content)).size == (300, 300)
        assert decoded(answer.content) == [expected[path]]


def test_wechatpys_colour_strings_and_a_hyaline_background_are_taken(
    client: Any, token: str
) -> None:
    answer = client.post(
        CODE,
        params={"access_token": token},
        json={
            "path": "pages/cart/cart",
            "line_color": {"r": "0", "g": "128", "b": "0"},
            "is_hyaline": True,
        },
    )
    image = Image.open(io.BytesIO(answer.content))
    assert image.mode == "RGBA"
    colours = image.getcolors()
    assert colours is not None
    assert {pixel for _count, pixel in colours} == {(255, 255, 255, 0), (0, 128, 0, 255)}


@pytest.mark.parametrize("path", list(BODIES))
def test_token_errors_carry_wechats_errcodes(
    client: Any, database: Database, token: str, path: str
) -> None:
    body = BODIES[path]
    assert errcode(client.post(path, json=body)) == 41001
    assert errcode(client.post(path, params={"access_token": "short"}, json=body)) == 40014
    assert errcode(client.post(path, params={"access_token": "x" * 86}, json=body)) == 40001
    with database.transaction() as session:
        session.execute(update(AccessToken).values(expires_at=utc_now() - timedelta(seconds=1)))
    assert errcode(client.post(path, params={"access_token": token}, json=body)) == 42001


def test_a_token_makes_codes_for_its_own_app_only(
    *,
    client: Any,
    database: Database,
    settings: Settings,
    store: BundleStore,
    tmp_path: Path,
    back_end: BackEnd,
    token: str,
) -> None:
    other_pages = [*PAGES, "pages/other/other"]
    other = add_app_with_secret(
        database,
        settings,
        name="Other",
        bundle_id=store_project(store, write_project(tmp_path / "other", pages=other_pages)),
        secret="o" * 32,
    )
    # The other app's page is not one of this app's: the token cannot reach it.
    answer = client.post(
        UNLIMITED, params={"access_token": token}, json={"scene": "1", "page": "pages/other/other"}
    )
    assert errcode(answer) == 41030
    mine = client.post(UNLIMITED, params={"access_token": token}, json={"scene": "1"})
    assert decoded(mine.content) == [f"{PUBLIC}/mp/{back_end.appid}?k=b&s=1"]
    theirs = client.post(
        UNLIMITED,
        params={"access_token": token_for(client, other)},
        json={"scene": "1", "page": "pages/other/other"},
    )
    assert decoded(theirs.content) == [f"{PUBLIC}/mp/{other.appid}?k=b&p=pages/other/other&s=1"]


@pytest.mark.parametrize(
    ("path", "raw", "code", "field"),
    [
        (UNLIMITED, b"not json", 47001, None),
        (UNLIMITED, b'{"scene": "' + b"x" * 33 + b'"}', 40097, "scene"),
        (UNLIMITED, b'{"scene": "a b"}', 40097, "scene"),
        (UNLIMITED, b'{"scene": "1", "width": "wide"}', 40097, "width"),
        (UNLIMITED, b'{"scene": "1", "width": 1281}', 40097, "width"),
        (UNLIMITED, b'{"scene": "1", "env_version": "beta"}', 40097, "env_version"),
        (UNLIMITED, b'{"scene": "1", "page": "/pages/about/about"}', 40097, "page"),
        (UNLIMITED, b'{"scene": "1", "page": "pages/none/none"}', 41030, None),
        (UNLIMITED, b'{"scene": "1", "env_version": "trial"}', 85079, None),
        (CODE, b'{"path": "pages/about/about", "line_color": {"r": 300}}', 40097, "line_color.r"),
        (CODE, b'{"path": "pages/about/about?' + b"x" * 120 + b'"}', 40097, "path"),
        (CODE, b"{}", 40097, "path"),
        (QR, b'{"path": "pages/about/about", "width": 279}', 40097, "width"),
        (QR, b'{"path": "pages/none/none"}', 41030, None),
    ],
)
def test_bad_arguments_answer_their_errcode_naming_the_field(
    *, client: Any, token: str, path: str, raw: bytes, code: int, field: str | None
) -> None:
    answer = client.post(
        path,
        params={"access_token": token},
        content=raw,
        headers={"Content-Type": "application/json"},
    )
    assert errcode(answer) == code
    assert " rid: " in answer.json()["errmsg"]
    if field is not None:
        assert f"invalid args: {field}:" in answer.json()["errmsg"]


@pytest.mark.filterwarnings("ignore:`_post` method of `WeChatClient` is deprecated")
def test_wechatpy_makes_all_three_kinds_against_a_live_server(
    live_server: LiveServer, tmp_path: Path
) -> None:
    store = BundleStore.for_settings(live_server.settings)
    back_end = add_app_with_secret(
        live_server.database,
        live_server.settings,
        name="Tea",
        bundle_id=release_bundle(store, tmp_path),
    )
    client = wechat_client(live_server.url, appid=back_end.appid, secret=back_end.secret)
    base = f"{live_server.url}/mp/{back_end.appid}"

    unlimited = client.wxa.get_wxa_code_unlimited("shop=7&t=qr", page="pages/cart/cart", width=280)
    assert unlimited.headers["Content-Type"] == "image/png"
    assert decoded(unlimited.content) == [f"{base}?k=b&p=pages/cart/cart&s=shop=7%26t=qr"]

    limited = client.wxa.get_wxa_code("pages/about/about?from=sdk")
    assert decoded(limited.content) == [f"{base}?k=a&p=pages/about/about&q=from=sdk"]

    plain = client.wxa.create_qrcode("pages/index/index", width=500)
    assert Image.open(io.BytesIO(plain.content)).size == (500, 500)
    assert decoded(plain.content) == [f"{base}?k=c&p=pages/index/index"]

    with pytest.raises(WeChatClientException) as refused:
        client.wxa.get_wxa_code("pages/none/none")
    assert refused.value.errcode == 41030


# --- GET /mp/... ----------------------------------------------------------------------------


def location(client: Any, url: str, **headers: str) -> tuple[int, str]:
    answer = client.get(url, follow_redirects=False, headers=headers)
    return answer.status_code, answer.headers.get("location", "")


def test_a_codes_url_redirects_into_the_host_with_the_cameras_scene(
    client: Any, back_end: BackEnd
) -> None:
    appid = back_end.appid
    answer = client.get(
        f"/mp/{appid}?k=b&p=pages/about/about&s=id=42%26from=qr", follow_redirects=False
    )
    assert answer.status_code == 302
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["referrer-policy"] == "no-referrer"
    target = answer.headers["location"]
    assert target == (
        f"/#app/{appid}?path=pages%2Fabout%2Fabout&query=scene%3Did%253D42%2526from%253Dqr&scene=1047"
    )
    assert dict(parse_qsl(urlsplit(target).fragment.partition("?")[2]))["query"] == (
        "scene=id%3D42%26from%3Dqr"
    )
    assert location(client, f"/mp/{appid}?k=a&p=pages/about/about&q=x=1") == (
        302,
        f"/#app/{appid}?path=pages%2Fabout%2Fabout&query=x%3D1&scene=1047",
    )
    assert location(client, f"/mp/{appid}?k=c") == (302, f"/#app/{appid}?scene=1011")
    assert location(client, f"/mp/{appid}?k=b&s=1&v=trial") == (
        302,
        f"/#app/{appid}?query=scene%3D1&scene=1047&build=trial",
    )


@pytest.mark.parametrize(
    "query",
    [
        "k=a&p=//evil.example/x",
        "k=a&p=https://evil.example",
        "k=a&q=x%23@evil.example",
        "k=b&s=//evil.example",
        "k=c&p=%0d%0aLocation:%20https://evil.example",
        "k=a&redirect=https://evil.example&next=//evil.example",
    ],
)
def test_nothing_in_a_codes_url_sends_the_browser_anywhere_but_the_host(
    client: Any, back_end: BackEnd, query: str
) -> None:
    status, target = location(client, f"/mp/{back_end.appid}?{query}")
    assert status in (302, 400)
    if status == 302:
        assert target.startswith(f"/#app/{back_end.appid}?")
        assert "\r" not in target and "\n" not in target


@pytest.mark.parametrize(
    "url",
    [
        "/mp/{appid}?k=x",
        "/mp/{appid}",
        "/mp/{appid}?k=b",
        "/mp/{appid}?k=a&s=1",
        "/mp/{appid}?k=b&s=1&v=beta",
        "/mp/{appid}?k=a&k=b",
        "/mp/{appid}?k=a&p=pages/a/a%3Fx%3D1",
        "/mp/bad%20id?k=a",
    ],
)
def test_a_url_that_is_not_one_of_our_codes_gets_a_400_page(
    client: Any, back_end: BackEnd, url: str
) -> None:
    answer = client.get(url.format(appid=back_end.appid), follow_redirects=False)
    assert answer.status_code == 400
    assert answer.headers["content-type"].startswith("text/html")
    assert "not a mini-program code" in answer.text
    assert "location" not in answer.headers


def test_a_path_that_is_not_an_appid_is_not_found(client: Any) -> None:
    answer = client.get("/mp/%2F%2Fevil.example?k=a", follow_redirects=False)
    assert answer.status_code == 404
    assert "location" not in answer.headers


def test_an_unknown_app_gets_a_404_page_in_the_browsers_language(client: Any) -> None:
    answer = client.get("/mp/wx0000000000000000?k=a", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert answer.status_code == 404
    assert "该小程序不存在" in answer.text
    assert '<a id="open-host" href="/">' in answer.text
    english = client.get("/mp/wx0000000000000000?k=a", headers={"Accept-Language": "en-GB,zh"})
    assert "This mini program does not exist." in english.text
    assert "default-src 'none'" in english.headers["content-security-policy"]


# --- the console ----------------------------------------------------------------------------


@pytest.fixture
def team(
    make_client: Any, database: Database, store: BundleStore, tmp_path: Path
) -> dict[str, Any]:
    team = make_team(make_client, database)
    with database.transaction() as session:
        app = session.scalars(select(App).where(App.appid == team["appid"])).one()
        do_release_bundle(session, app=app, bundle_id=release_bundle(store, tmp_path))
    return team


def console_png(who: Any, appid: str, **params: Any) -> Any:
    return who.get(f"/api/console/apps/{appid}/code.png", params=params)


def test_every_member_gets_a_code_of_any_page_and_outsiders_learn_nothing(
    team: dict[str, Any], make_client: Any, database: Database
) -> None:
    appid = team["appid"]
    params = {"kind": "b", "page": "pages/secret/secret", "scene": "vip=1", "width": 280}
    for role in ("admin", "developer", "operator", "analyst", "tester"):
        answer = console_png(team[role], appid, **params)
        assert answer.status_code == 200, (role, answer.text)
        assert answer.headers["content-type"] == "image/png"
        assert "content-disposition" not in answer.headers
    assert decoded(answer.content) == [f"{PUBLIC}/mp/{appid}?k=b&p=pages/secret/secret&s=vip=1"]
    refused = console_png(team["outsider"], appid, **params)
    assert (refused.status_code, refused.json()["error"]["code"]) == (404, "not_found")
    signed_out = console_png(make_client(), appid, **params)
    assert signed_out.status_code == 401
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(ApiQuota)) == 0


def test_download_offers_the_png_as_a_file_named_after_the_page(team: dict[str, Any]) -> None:
    appid = team["appid"]
    answer = console_png(
        team["tester"], appid, kind="a", page="pages/about/about", query="id=1", download=1
    )
    assert answer.headers["content-disposition"] == (
        f'attachment; filename="{appid}-pages-about-about.png"'
    )
    home = console_png(team["tester"], appid, kind="c", download=1)
    assert home.headers["content-disposition"] == f'attachment; filename="{appid}-home.png"'
    assert decoded(home.content) == [f"{PUBLIC}/mp/{appid}?k=c&p=pages/index/index"]


def test_console_errors_name_the_field(team: dict[str, Any]) -> None:
    appid = team["appid"]
    unknown = console_png(team["admin"], appid, kind="a", page="pages/none/none")
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (422, "code_page_unknown")
    scene = console_png(team["admin"], appid, kind="b", scene="x" * 33)
    assert (scene.status_code, scene.json()["error"]["field"]) == (422, "scene")
    kind = console_png(team["admin"], appid, kind="d")
    assert (kind.status_code, kind.json()["error"]["field"]) == (422, "kind")
    trial = console_png(team["admin"], appid, kind="c", env="trial")
    assert (trial.status_code, trial.json()["error"]["code"]) == (409, "code_no_version")


def test_code_pages_lists_the_versions_pages_for_members(
    team: dict[str, Any], database: Database
) -> None:
    appid = team["appid"]
    answer = team["analyst"].get(f"/api/console/apps/{appid}/code-pages")
    assert answer.json() == {"env": "release", "home": "pages/index/index", "pages": PAGES}
    trial = team["analyst"].get(f"/api/console/apps/{appid}/code-pages", params={"env": "trial"})
    assert (trial.status_code, trial.json()["error"]["code"]) == (409, "code_no_version")
    outsider = team["outsider"].get(f"/api/console/apps/{appid}/code-pages")
    assert outsider.status_code == 404
