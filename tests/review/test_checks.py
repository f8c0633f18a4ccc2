"""The automated review checks: each finds its problem with the right file and line; a clean
project, examples/hello and examples/showcase pass without errors."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest

from miniapp.apps.models import App
from miniapp.compiler.build import Limits
from miniapp.review.checks import (
    MAX_FINDINGS,
    Finding,
    Severity,
    has_errors,
    run_checks,
)
from miniapp.review.content_security import (
    compile_image_hash_list,
    compile_word_list,
    image_hash,
)
from miniapp.settings import Settings

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

APP_JSON = {
    "pages": ["pages/index/index", "pages/about/about"],
    "subpackages": [{"root": "shop", "pages": ["cart/cart"]}],
    "window": {"navigationBarTitleText": "Acme"},
}
INDEX_JS = """\
const api = require('../../utils/api.js');
Page({
  data: { title: 'Welcome' },
  goAbout() { wx.navigateTo({ url: '../about/about?from=index' }); },
  goCart(id) { wx.navigateTo({ url: '/shop/cart/cart?id=' + id }); },
  goHome() { wx.reLaunch({ url: `/pages/index/index` }); },
  load() { api.get('/items').then((items) => this.setData({ items })); },
});
"""
CLEAN: dict[str, str | bytes] = {
    "app.json": json.dumps(APP_JSON, indent=2),
    "app.js": "App({});\n",
    "pages/index/index.js": INDEX_JS,
    "pages/index/index.wxml": (
        "<view>\n"
        "  <text>{{title}}, welcome to the shop</text>\n"
        '  <navigator url="/pages/about/about?x=1">About us</navigator>\n'
        '  <navigator url="{{next}}">Next</navigator>\n'
        '  <navigator open-type="navigateBack">Back</navigator>\n'
        '  <navigator target="miniProgram" app-id="wx0123456789abcdef" url="/other/page">'
        "Other</navigator>\n"
        "</view>\n"
    ),
    "pages/about/about.js": "Page({});\n",
    "pages/about/about.wxml": (
        '<view>About <navigator url="../index/index">home</navigator></view>\n'
    ),
    "shop/cart/cart.js": "Page({ onLoad() { wx.showToast({ title: 'Cart' }); } });\n",
    "shop/cart/cart.wxml": "<view>Cart</view>\n",
    "utils/api.js": """\
const BASE = 'https://api.acme.com/v1';
function get(path) {
  return new Promise((resolve) => wx.request({ url: BASE + path, success: resolve }));
}
module.exports = { get, feed: 'wss://live.acme.com/feed' };
""",
    "images/logo.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 2000,
}


def zipped(files: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def folder_zip(folder: Path) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return out.getvalue()


def make_app(**changes: Any) -> App:
    fields: dict[str, Any] = {
        "name": "Acme",
        "description": "Coffee to go",
        "category": "food",
        "request_domains": ["api.acme.com"],
        "socket_domains": ["live.acme.com"],
        "upload_domains": [],
        "download_domains": [],
        "webview_domains": [],
    }
    fields.update(changes)
    return App(**fields)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path / "data")  # type: ignore[call-arg]


def check(
    settings: Settings,
    changes: dict[str, str | bytes] | None = None,
    *,
    app: App | None = None,
    **options: Any,
) -> list[Finding]:
    files = {**CLEAN, **(changes or {})}
    return run_checks(
        package_zip=zipped(files), app=app or make_app(), settings=settings, **options
    )


def summary(findings: list[Finding]) -> list[tuple[str, str, str, int]]:
    return [(f.check, f.severity, f.file, f.line) for f in findings]


def test_a_clean_project_has_no_findings(settings: Settings) -> None:
    assert check(settings) == []


@pytest.mark.parametrize("example", ["hello", "showcase"])
def test_the_examples_pass_without_errors(settings: Settings, example: str) -> None:
    app = make_app(
        request_domains=["api.showcase-shop.com"],
        upload_domains=["upload.showcase-shop.com"],
        socket_domains=["live.showcase-shop.com"],
    )
    findings = run_checks(package_zip=folder_zip(EXAMPLES / example), app=app, settings=settings)
    assert not has_errors(findings), [f.to_dict() for f in findings]


def test_a_package_that_does_not_compile(settings: Settings) -> None:
    findings = check(
        settings, {"utils/api.js": "module.exports = {\n  get(: 1,\n};\n", "images/logo.png": b""}
    )
    [finding] = findings
    assert (finding.check, finding.severity, finding.file, finding.line) == (
        "compile",
        "error",
        "utils/api.js",
        2,
    )
    assert finding.message.startswith("JS_SYNTAX")


def test_a_package_over_the_size_limit(settings: Settings) -> None:
    findings = check(settings, limits=Limits(package_bytes=1000))
    assert [(f.check, f.severity, f.file) for f in findings] == [("compile", "error", "app.json")]
    assert "SIZE_LIMIT" in findings[0].message


def test_a_zip_that_cannot_be_read(settings: Settings) -> None:
    findings = run_checks(package_zip=b"not a zip", app=make_app(), settings=settings)
    assert [(f.check, f.severity) for f in findings] == [("compile", "error")]
    assert "ZIP_INVALID" in findings[0].message


def test_a_page_that_is_missing_or_does_not_compile(settings: Settings) -> None:
    app_json = {**APP_JSON, "pages": [*APP_JSON["pages"], "pages/gone/gone"]}
    missing = check(settings, {"app.json": json.dumps(app_json, indent=2)})
    assert [(f.check, f.severity, f.file) for f in missing] == [("pages", "error", "app.json")]
    assert missing[0].line == 5 and "pages/gone/gone" in missing[0].message

    broken = check(settings, {"pages/about/about.wxml": "<view>\n  <text>hi</view>\n"})
    assert {(f.check, f.severity, f.file) for f in broken} == {
        ("pages", "error", "pages/about/about.wxml")
    }
    assert all(f.line == 2 for f in broken)


def test_navigation_to_pages_that_do_not_exist(settings: Settings) -> None:
    findings = check(
        settings,
        {
            "pages/about/about.wxml": (
                "<view>\n"
                '  <navigator url="../index/index">fine</navigator>\n'
                '  <navigator url="../contact/contact?from=about">gone</navigator>\n'
                "</view>\n"
            ),
            "pages/about/about.js": (
                "Page({\n"
                "  a() { wx.redirectTo({ url: '/pages/index/index' }); },\n"
                "  b() { wx.switchTab({ url: '/pages/nowhere/nowhere' }); },\n"
                "  c(p) { wx.navigateTo({ url: p }); },\n"
                "  d(p) { wx.navigateTo({ url: `/pages/${p}/${p}` }); },\n"
                "});\n"
            ),
        },
    )
    assert summary(findings) == [
        ("navigation", "error", "pages/about/about.js", 3),
        ("navigation", "error", "pages/about/about.wxml", 3),
    ]
    assert "pages/nowhere/nowhere" in findings[0].message
    assert "pages/contact/contact" in findings[1].message


def test_apis_the_runtime_does_not_provide(settings: Settings) -> None:
    findings = check(
        settings,
        {
            "shop/cart/cart.js": (
                "Page({\n"
                "  onLoad() { wx.showToast({ title: 'Cart' }); },\n"
                "  pay() { wx.makeMagic({}); },\n"
                "  where() { wx.requestPayment({}); },\n"
                "});\n"
            )
        },
    )
    # makeMagic is no WeChat API at all; requestPayment is one the runtime does not provide yet
    # (it answers "not supported" and canIUse says false): a warning for the reviewer.
    assert summary(findings) == [
        ("apis", "error", "shop/cart/cart.js", 3),
        ("apis", "warning", "shop/cart/cart.js", 4),
    ]
    messages = " ".join(f.message for f in findings)
    assert "wx.makeMagic" in messages and "wx.requestPayment" in messages


def test_domains_that_are_not_registered(settings: Settings) -> None:
    # The socket domain is registered for requests only, and the request domain not at all.
    app = make_app(request_domains=["live.acme.com"], socket_domains=[])
    findings = check(settings, app=app)
    assert summary(findings) == [
        ("domains", "error", "utils/api.js", 1),
        ("domains", "error", "utils/api.js", 5),
    ]
    assert '"api.acme.com"' in findings[0].message
    assert '"live.acme.com"' in findings[1].message and "socket" in findings[1].message


def test_a_profile_that_is_not_complete(settings: Settings) -> None:
    app_json = {key: value for key, value in APP_JSON.items() if key != "window"}
    findings = check(
        settings,
        {"app.json": json.dumps(app_json)},
        app=make_app(description=" ", category=None),
    )
    assert summary(findings) == [
        ("profile", "error", "app.json", 0),
        ("profile", "error", "app.json", 0),
        ("profile", "warning", "app.json", 0),
    ]
    assert "description" in findings[0].message and "category" in findings[1].message
    permits = check(settings, app=make_app(category="health"), permits_missing=["medical_licence"])
    assert summary(permits) == [("profile", "error", "app.json", 0)]
    assert "medical_licence" in permits[0].message


def test_content_against_the_word_list(settings: Settings, tmp_path: Path) -> None:
    words = tmp_path / "words.txt"
    words.write_text("# ours\ncasino\n赌博\nbuy now\n", encoding="utf-8")
    custom = settings.model_copy(update={"review_word_list": words})
    findings = check(
        custom,
        {
            "pages/about/about.wxml": (
                "<view>\n  <text>{{a}}\n  Best ＣＡＳＩＮＯ in town</text>\n</view>\n"
            ),
            "pages/about/about.json": (
                '{\n  "casino": true,\n  "navigationBarTitleText": "BUY   now"\n}\n'
            ),
            "pages/about/about.js": (
                "// a casino in a comment is not content\n"
                "const casinoCount = 1;\n"
                "Page({ data: { t: '\\u8d4c\\u535a' } });\n"
            ),
            "pages/index/index.wxml": "<view>Classic occasions</view>\n",
        },
    )
    assert summary(findings) == [
        ("content", "error", "pages/about/about.js", 3),
        ("content", "error", "pages/about/about.json", 3),
        ("content", "error", "pages/about/about.wxml", 3),
    ]
    assert [f.message.split('"')[1] for f in findings] == ["赌博", "buy now", "casino"]


def test_the_default_word_list_finds_prohibited_terms(settings: Settings) -> None:
    findings = check(settings, {"shop/cart/cart.wxml": "<view>网络博彩 and cocaine</view>\n"})
    assert summary(findings) == [("content", "error", "shop/cart/cart.wxml", 1)]


def test_word_lists_match_whole_ascii_words_and_any_chinese() -> None:
    words = compile_word_list(["ass", "赌", "", "# comment"])
    assert words.find("a class act") is None
    assert words.find("kick ASS") == "ass"
    assert words.find("在线赌场") == "赌"
    assert compile_word_list(["# nothing"]).find("anything") is None


def test_images_over_the_limit_are_a_warning(settings: Settings) -> None:
    strict = settings.model_copy(update={"review_image_bytes": 1024})
    findings = check(strict)
    assert summary(findings) == [("images", "warning", "images/logo.png", 0)]
    assert not has_errors(findings)


def _gradient_png(size: tuple[int, int], *, flip: bool) -> bytes:
    from PIL import Image

    image = Image.new("L", size)
    width = size[0]
    columns = range(width - 1, -1, -1) if flip else range(width)
    image.putdata([255 * x // width for _y in range(size[1]) for x in columns])
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_images_on_the_image_hash_list_are_errors(settings: Settings, tmp_path: Path) -> None:
    forbidden = _gradient_png((40, 30), flip=True)
    hashes = tmp_path / "hashes.txt"
    hashes.write_text(f"# label: 20002\n{image_hash(forbidden)}\n", encoding="utf-8")
    custom = settings.model_copy(update={"review_image_hash_list": hashes})
    findings = check(
        custom,
        {
            "images/bad.png": _gradient_png((200, 150), flip=True),
            "images/good.png": _gradient_png((200, 150), flip=False),
            "images/broken.png": b"not an image",
        },
    )
    assert summary(findings) == [("images", "error", "images/bad.png", 0)]
    assert "label 20002" in findings[0].message


def test_word_and_hash_lists_carry_wechats_labels() -> None:
    words = compile_word_list(["casino", "# label: 20008", "wire money", "# label: 100", "ok"])
    assert words.check("a casino").label == 21000
    assert words.check("x", "please wire money").label == 20008
    assert words.check("fine").suggest == "pass"
    with pytest.raises(ValueError, match="not one of WeChat's labels"):
        compile_word_list(["# label: 12345", "x"])
    with pytest.raises(ValueError, match="16 hex digits"):
        compile_image_hash_list(["abc"])


def test_findings_are_bounded(settings: Settings) -> None:
    calls = "\n".join(f"wx.nope{n}();" for n in range(MAX_FINDINGS + 20))
    findings = check(
        settings, {"utils/extra.js": calls, "app.js": "require('./utils/extra.js');App({});"}
    )
    assert len(findings) == MAX_FINDINGS
    assert findings[-1].severity == Severity.ERROR
    assert findings[-1].message == "21 more findings are not listed"


def test_the_word_list_setting_must_be_a_readable_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="readable UTF-8 file"):
        Settings(_env_file=None, review_word_list=tmp_path / "missing.txt")  # type: ignore[call-arg]
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\xe9\n".encode("latin-1"))
    with pytest.raises(ValueError, match="readable UTF-8 file"):
        Settings(_env_file=None, review_word_list=latin1)  # type: ignore[call-arg]
