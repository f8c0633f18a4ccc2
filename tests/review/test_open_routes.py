"""POST /wxa/msg_sec_check and /wxa/img_sec_check over HTTP, as a merchant's back end calls them:
WeChat's bodies and errcodes (HTTP 200), the review's own word list and image hash list deciding,
and wechatpy's check_text_security / check_image_security against a live server."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select, update
from wechatpy.exceptions import WeChatClientException

from miniapp.apps.models import App
from miniapp.db.session import Database
from miniapp.openapi.models import ApiQuota
from miniapp.openapi.quotas import Window
from miniapp.openapi.rate_limits import Count, MemoryRateLimiter
from miniapp.review.content_security import image_hash
from miniapp.review.open_routes import IMG_QUOTAS, MSG_QUOTAS
from miniapp.server import create_app
from miniapp.settings import Settings
from tests.conftest import LiveServer, serve_live
from tests.openapi.helpers import BackEnd, add_app_with_secret
from tests.openapi.wechatpy_client import wechat_client

WORDS = "# ours\ncasino\n# label: 20008\nwire the money\n赌博\n"


def picture(size: tuple[int, int] = (64, 48), *, fmt: str = "PNG", flip: bool = False) -> bytes:
    """A horizontal gradient (a structured picture, so its hash means something); `flip` turns
    it the other way round, which is a different picture to the hash."""
    image = Image.new("RGB", size)
    width = size[0]
    image.putdata(
        [
            (255 * x // width, 80, 255 - 255 * x // width)
            for _y in range(size[1])
            for x in (range(width - 1, -1, -1) if flip else range(width))
        ]
    )
    out = io.BytesIO()
    image.save(out, format=fmt)
    return out.getvalue()


FORBIDDEN = picture(flip=True)


@pytest.fixture
def lists(tmp_path: Path) -> tuple[Path, Path]:
    words = tmp_path / "words.txt"
    words.write_text(WORDS, encoding="utf-8")
    hashes = tmp_path / "hashes.txt"
    hashes.write_text(f"# label: 20002\n{image_hash(FORBIDDEN)}\n", encoding="utf-8")
    return words, hashes


@pytest.fixture
def checked_app(settings: Settings, database: Database, lists: tuple[Path, Path]) -> FastAPI:
    words, hashes = lists
    custom = settings.model_copy(
        update={"review_word_list": words, "review_image_hash_list": hashes}
    )
    return create_app(custom, database=database, run_migrations=False, run_worker=False)


@pytest.fixture
def api(checked_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(checked_app, base_url="https://testserver") as client:
        yield client


@pytest.fixture
def back_end(database: Database, settings: Settings) -> BackEnd:
    return add_app_with_secret(database, settings, name="Tea")


@pytest.fixture
def token(api: TestClient, back_end: BackEnd) -> str:
    answer = api.get(
        "/cgi-bin/token",
        params={
            "grant_type": "client_credential",
            "appid": back_end.appid,
            "secret": back_end.secret,
        },
    )
    found: str = answer.json()["access_token"]
    return found


def text_check(api: TestClient, token: str | None, body: Any) -> dict[str, Any]:
    params = {} if token is None else {"access_token": token}
    answer = api.post("/wxa/msg_sec_check", params=params, json=body)
    assert answer.status_code == 200
    found: dict[str, Any] = answer.json()
    return found


def image_check(
    api: TestClient, token: str | None, data: bytes | None, *, field: str = "media"
) -> dict[str, Any]:
    params = {} if token is None else {"access_token": token}
    files = {} if data is None else {field: ("picture.png", data, "image/png")}
    answer = api.post("/wxa/img_sec_check", params=params, files=files or None, data={"x": "1"})
    assert answer.status_code == 200
    found: dict[str, Any] = answer.json()
    return found


def v2(content: str, **extra: Any) -> dict[str, Any]:
    return {"content": content, "version": 2, "scene": 2, "openid": "o-someone", **extra}


# --- msg_sec_check -------------------------------------------------------------------------------


def test_v1_answers_ok_when_clean_and_87014_when_risky(api: TestClient, token: str) -> None:
    assert text_check(api, token, {"content": "A classic cup of tea"}) == {
        "errcode": 0,
        "errmsg": "ok",
    }
    risky = text_check(api, token, {"content": "Best ＣＡＳＩＮＯ in town"})
    assert risky["errcode"] == 87014
    assert risky["errmsg"].startswith("risky content rid: ")


def test_v2_answers_the_verdict_with_wechats_labels(api: TestClient, token: str) -> None:
    clean = text_check(api, token, v2("A classic cup of tea"))
    assert set(clean) == {"errcode", "errmsg", "trace_id", "result", "detail"}
    assert (clean["errcode"], clean["errmsg"]) == (0, "ok")
    assert clean["result"] == {"suggest": "pass", "label": 100}
    assert clean["detail"] == [
        {"strategy": "keyword", "errcode": 0, "suggest": "pass", "label": 100, "prob": 0}
    ]
    fraud = text_check(api, token, v2("please WIRE   the money today"))
    assert (fraud["errcode"], fraud["result"]) == (0, {"suggest": "risky", "label": 20008})
    assert fraud["detail"][0]["keyword"] == "wire the money"
    assert fraud["trace_id"] != clean["trace_id"]
    other = text_check(api, token, v2("在线赌博"))
    assert other["result"] == {"suggest": "risky", "label": 20008}
    unlabelled = text_check(api, token, v2("casino"))
    assert unlabelled["result"] == {"suggest": "risky", "label": 21000}


def test_v2_checks_the_title_nickname_and_signature_too(api: TestClient, token: str) -> None:
    for field in ("title", "nickname", "signature"):
        answer = text_check(api, token, v2("fine words", **{field: "the casino"}))
        assert answer["result"]["suggest"] == "risky", field


@pytest.mark.parametrize(
    ("body", "errcode", "field"),
    [
        ({}, 40097, "content"),
        ({"content": ""}, 40097, "content"),
        ({"content": 42}, 40097, "content"),
        ({"content": "x" * (500 * 1024 + 1)}, 40097, "content"),
        ({"content": "x", "version": 3}, 40097, "version"),
        (v2("x" * 2501), 40097, "content"),
        (v2("x", scene=0), 40097, "scene"),
        (v2("x", scene=5), 40097, "scene"),
        ({"content": "x", "version": 2, "openid": "o-1"}, 40097, "scene"),
        ({"content": "x", "version": 2, "scene": 1}, 40097, "openid"),
        (v2("x", openid=" "), 40097, "openid"),
        (v2("x", title=7), 40097, "title"),
        ([1, 2], 47001, None),
    ],
)
def test_bad_text_requests_are_refused_naming_the_field(
    api: TestClient, token: str, body: Any, errcode: int, field: str | None
) -> None:
    answer = text_check(api, token, body)
    assert answer["errcode"] == errcode
    if field is not None:
        assert f"invalid args: {field}:" in answer["errmsg"]


def test_500_kb_of_text_is_accepted_and_more_body_is_47001(api: TestClient, token: str) -> None:
    assert text_check(api, token, {"content": "好" * (500 * 1024 // 3)})["errcode"] == 0
    too_much = api.post(
        "/wxa/msg_sec_check",
        params={"access_token": token},
        content=b'{"content": "' + b"x" * (3 * 1024 * 1024) + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert too_much.json()["errcode"] == 47001


@pytest.mark.parametrize(
    ("token", "errcode"), [(None, 41001), ("not a token", 40014), ("A" * 43, 40001)]
)
def test_token_errors(api: TestClient, token: str | None, errcode: int) -> None:
    assert text_check(api, token, {"content": "tea"})["errcode"] == errcode
    assert image_check(api, token, picture())["errcode"] == errcode


@pytest.mark.parametrize(("name", "quotas"), [("msg", MSG_QUOTAS), ("img", IMG_QUOTAS)])
def test_each_minute_and_day_quota_answers_45009(
    *,
    api: TestClient,
    checked_app: FastAPI,
    token: str,
    back_end: BackEnd,
    database: Database,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    quotas: tuple[tuple[Window, int], ...],
) -> None:
    now = datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC)
    monkeypatch.setattr("miniapp.review.open_routes.utc_now", lambda: now)

    def call() -> int:
        if name == "msg":
            return int(text_check(api, token, {"content": "tea"})["errcode"])
        return int(image_check(api, token, picture())["errcode"])

    assert call() == 0
    with database.read() as session:
        app_id = session.scalars(select(App.id).where(App.appid == back_end.appid)).one()
    for window, limit in quotas:
        counter = f"sec_check.{name}.{window.value}"
        if window is Window.MINUTE:  # counted in the app's rate limiter, not the database
            spent = Count(name=counter, window=window, limit=limit)
            limiter = checked_app.state.rate_limiter
            while limiter.take(app_id=app_id, counts=(spent,), now=now) is None:
                pass
        else:
            with database.transaction() as session:
                session.execute(
                    update(ApiQuota)
                    .where(ApiQuota.app_id == app_id, ApiQuota.name == counter)
                    .values(used=limit)
                )
        assert call() == 45009
        checked_app.state.rate_limiter = MemoryRateLimiter()
        with database.transaction() as session:
            session.execute(update(ApiQuota).values(used=0))
    assert call() == 0


# --- img_sec_check -------------------------------------------------------------------------------


def test_a_clean_image_passes_in_each_format(api: TestClient, token: str) -> None:
    for fmt in ("PNG", "JPEG", "GIF"):
        assert image_check(api, token, picture(fmt=fmt))["errcode"] == 0, fmt
    assert image_check(api, token, picture((750, 1334)))["errcode"] == 0


def test_a_listed_image_is_87014_even_rescaled_and_reencoded(api: TestClient, token: str) -> None:
    for data in (FORBIDDEN, picture((300, 200), fmt="JPEG", flip=True)):
        answer = image_check(api, token, data)
        assert answer["errcode"] == 87014
        assert answer["errmsg"].startswith("risky content rid: ")


def test_a_listed_frame_of_an_animation_is_87014(api: TestClient, token: str) -> None:
    frames = [Image.open(io.BytesIO(picture())), Image.open(io.BytesIO(FORBIDDEN))]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:])
    assert image_check(api, token, out.getvalue())["errcode"] == 87014


def test_not_an_image_is_40004(api: TestClient, token: str) -> None:
    for data in (b"GIF89a not really", b"%PDF-1.4", picture(fmt="WEBP"), picture()[:60]):
        answer = image_check(api, token, data)
        assert answer["errcode"] == 40004, data[:10]
        assert answer["errmsg"].startswith("invalid media type")


def test_missing_media_is_41005(api: TestClient, token: str) -> None:
    assert image_check(api, token, None)["errcode"] == 41005
    assert image_check(api, token, picture(), field="file")["errcode"] == 41005
    assert image_check(api, token, b"")["errcode"] == 41005


@pytest.mark.parametrize("size", [(751, 100), (100, 1335)])
def test_an_image_over_750_by_1334_is_40097(
    api: TestClient, token: str, size: tuple[int, int]
) -> None:
    answer = image_check(api, token, picture(size))
    assert answer["errcode"] == 40097
    assert "invalid args: media:" in answer["errmsg"]


def png_bomb(side: int) -> bytes:
    """A valid greyscale PNG of side × side black pixels: a few hundred KB that would decode to
    side² bytes. Built from one deflate block of zero rows repeated (a full flush makes each block
    independent of the data before it), so making it costs milliseconds, not the seconds that
    compressing the whole image would."""
    rows_per_block = 1000
    assert side % rows_per_block == 0
    block_data = bytes((side + 1) * rows_per_block)  # each row: filter byte 0, then side zeros
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(block_data) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(side // rows_per_block):
        checksum = zlib.adler32(block_data, checksum)
    idat = (
        b"\x78\xda"
        + block * (side // rows_per_block)
        + zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # the final, empty block
        + struct.pack(">I", checksum)
    )

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_the_bomb_is_a_real_png() -> None:
    # The refusal below must be for its size, not for a broken file: Pillow reads it whole.
    image = Image.open(io.BytesIO(png_bomb(1000)))
    image.load()
    assert image.size == (1000, 1000) and image.getextrema() == (0, 0)


def test_a_decompression_bomb_is_refused_before_decoding(api: TestClient, token: str) -> None:
    # 30000×30000 pixels of one colour compress to well under 1 MB; decoded they would be 900 MB.
    bomb = png_bomb(30000)
    assert len(bomb) < 1024 * 1024
    answer = image_check(api, token, bomb)
    assert answer["errcode"] == 40097
    assert "invalid args: media:" in answer["errmsg"]


def test_an_image_body_over_the_cap_is_47001(api: TestClient, token: str) -> None:
    answer = image_check(api, token, b"\x89PNG" + b"\0" * (5 * 1024 * 1024))
    assert answer["errcode"] == 47001


def test_a_multipart_body_that_is_not_is_47001(api: TestClient, token: str) -> None:
    answer = api.post(
        "/wxa/img_sec_check",
        params={"access_token": token},
        content=b"--x\r\nnot a part",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    assert answer.json()["errcode"] == 47001


# --- the SDK -------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:`_post` method of `WeChatClient` is deprecated")
def test_wechatpy_checks_text_and_images_against_a_live_server(live_server: LiveServer) -> None:
    back_end = add_app_with_secret(live_server.database, live_server.settings, name="Tea")
    client = wechat_client(live_server.url, appid=back_end.appid, secret=back_end.secret)

    assert client.wxa.check_text_security("一杯好茶 a classic cup of tea")["errcode"] == 0
    with pytest.raises(WeChatClientException) as risky:
        client.wxa.check_text_security("the best online casino")  # the default word list
    assert risky.value.errcode == 87014

    assert client.wxa.check_image_security(io.BytesIO(picture()))["errcode"] == 0
    with pytest.raises(WeChatClientException) as refused:
        client.wxa.check_image_security(io.BytesIO(b"plain text"))
    assert refused.value.errcode == 40004


def test_wechatpy_gets_87014_for_a_listed_image(
    database: Database, data_dir: Path, lists: tuple[Path, Path]
) -> None:
    """The live server with an image hash list (the fixture's has none)."""
    _words, hashes = lists
    with serve_live(database, data_dir, review_image_hash_list=hashes) as server:
        back_end = add_app_with_secret(server.database, server.settings, name="Tea")
        client = wechat_client(server.url, appid=back_end.appid, secret=back_end.secret)
        with pytest.raises(WeChatClientException) as risky:
            client.wxa.check_image_security(io.BytesIO(FORBIDDEN))
        assert risky.value.errcode == 87014
