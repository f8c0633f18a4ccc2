"""app.json, page and component .json, sitemap and theme: validation and merging."""

from __future__ import annotations

import json
from typing import Any

import pytest

from miniapp.compiler.config import (
    DEFAULT_WINDOW,
    load_app_config,
    load_component_config,
    page_window,
)
from miniapp.compiler.diagnostics import Diagnostics
from miniapp.compiler.sources import SourceTree

PAGE = {"pages/index/index.js": b"Page({})", "pages/index/index.wxml": b"<view/>"}


def tree(app: dict[str, Any] | str, extra: dict[str, bytes | str] | None = None) -> SourceTree:
    files: dict[str, bytes] = {"app.js": b"App({})", **PAGE}
    files["app.json"] = (app if isinstance(app, str) else json.dumps(app, indent=2)).encode()
    for name, data in (extra or {}).items():
        files[name] = data.encode() if isinstance(data, str) else data
    return SourceTree(files)


def errors(source: SourceTree) -> list[tuple[str, str, int]]:
    diagnostics = Diagnostics()
    load_app_config(source, diagnostics)
    return [(d.code, d.file, d.line) for d in diagnostics.sorted()]


def test_minimal_app_gets_defaults() -> None:
    diagnostics = Diagnostics()
    config = load_app_config(tree({"pages": ["pages/index/index"]}), diagnostics)
    assert diagnostics.ok and config is not None
    assert config.app["window"] == DEFAULT_WINDOW
    assert config.app["entryPagePath"] == "pages/index/index"
    assert config.app["subpackages"] == []
    assert config.app["sitemap"] == {"rules": [{"action": "allow", "page": "*"}]}
    assert [p.name for p in config.packages] == ["__APP__"]


def test_missing_app_json_and_app_js() -> None:
    diagnostics = Diagnostics()
    assert load_app_config(SourceTree({"app.js": b""}), diagnostics) is None
    assert diagnostics.codes() == ["APP_JSON_MISSING"]
    found = errors(SourceTree({"app.json": b'{"pages": []}'}))
    assert sorted(c for c, _, _ in found) == ["APP_JSON_INVALID", "APP_JS_MISSING"]


def test_json_syntax_error_points_at_line_and_column() -> None:
    diagnostics = Diagnostics()
    load_app_config(tree('{\n  "pages": [\n    "pages/index/index",\n  ]\n}'), diagnostics)
    (error,) = diagnostics.sorted()
    assert (error.code, error.file, error.line) == ("JSON_SYNTAX", "app.json", 4)


def test_wrong_types_point_at_the_key() -> None:
    app = {
        "pages": ["pages/index/index"],
        "window": [],
        "networkTimeout": {"request": "10s"},
        "darkmode": "yes",
        "entryPagePath": "pages/missing",
    }
    found = errors(tree(app))
    assert ("APP_JSON_INVALID", "app.json", 5) in found  # the line of "window"
    assert {code for code, _, _ in found} == {"APP_JSON_INVALID"}
    assert len(found) == 4


def test_pages_must_exist_and_be_unique() -> None:
    app = {"pages": ["pages/index/index", "pages/gone/gone", "pages/index/index"]}
    assert sorted(c for c, _, _ in errors(tree(app))) == ["PAGE_DUPLICATE", "PAGE_NOT_FOUND"]


def test_subpackages_both_spellings_and_their_errors() -> None:
    sub = {"subPackages": [{"root": "pkg", "pages": ["p/p"]}], "pages": ["pages/index/index"]}
    source = tree(sub, {"pkg/p/p.js": "Page({})", "pkg/p/p.wxml": "<view/>"})
    diagnostics = Diagnostics()
    config = load_app_config(source, diagnostics)
    assert diagnostics.ok and config is not None
    assert config.app["subpackages"] == [
        {"root": "pkg/", "name": "pkg", "pages": ["pkg/p/p"], "independent": False}
    ]
    assert config.package_for_file("pkg/p/p.js").name == "pkg"
    assert config.package_for_file("pkgs/x.js").name == "__APP__"
    nested = {
        "pages": ["pages/index/index"],
        "subpackages": [{"root": "a", "pages": []}, {"root": "a/b", "pages": []}, {"pages": []}],
    }
    assert [c for c, _, _ in errors(tree(nested))] == ["SUBPACKAGE_INVALID", "SUBPACKAGE_INVALID"]


def test_tab_bar_rules() -> None:
    def app(items: list[dict[str, str]]) -> dict[str, Any]:
        return {"pages": ["pages/index/index"], "tabBar": {"list": items}}

    one = [{"pagePath": "pages/index/index", "text": "A"}]
    assert [c for c, _, _ in errors(tree(app(one)))] == ["TABBAR_INVALID"]
    two = [*one, {"pagePath": "pkg/p/p", "text": "B"}]
    assert [c for c, _, _ in errors(tree(app(two)))] == ["TABBAR_INVALID"]
    icons = [
        {"pagePath": "pages/index/index", "text": "A", "iconPath": "img/a.png"},
        {"pagePath": "pages/index/index", "text": "B", "selectedIconPath": "img/b.png"},
    ]
    assert [c for c, _, _ in errors(tree(app(icons)))] == ["ASSET_NOT_FOUND", "ASSET_NOT_FOUND"]
    present = {"img/a.png": b"\x89PNG", "img/b.png": b"\x89PNG"}
    assert errors(tree(app(icons), present)) == []


def test_theme_variables_need_a_theme_file() -> None:
    app = {"pages": ["pages/index/index"], "window": {"navigationBarBackgroundColor": "@bg"}}
    assert [c for c, _, _ in errors(tree(app))] == ["THEME_INVALID"]
    app["themeLocation"] = "theme.json"
    assert [c for c, _, _ in errors(tree(app))] == ["THEME_INVALID"]
    theme = {"theme.json": '{"light": {"bg": "#fff"}}'}
    assert errors(tree(app, theme)) == []
    diagnostics = Diagnostics()
    config = load_app_config(tree(app, theme), diagnostics)
    assert config is not None and config.app["theme"] == {"light": {"bg": "#fff"}}


def test_sitemap() -> None:
    app = {"pages": ["pages/index/index"], "sitemapLocation": "missing.json"}
    assert [c for c, _, _ in errors(tree(app))] == ["SITEMAP_INVALID"]
    bad = '{"rules": [{"action": "maybe", "page": "*"}]}'
    assert [
        c for c, _, _ in errors(tree({"pages": ["pages/index/index"]}, {"sitemap.json": bad}))
    ] == ["SITEMAP_INVALID"]


def test_page_json_merges_over_the_window() -> None:
    source = tree(
        {"pages": ["pages/index/index"], "window": {"navigationBarTitleText": "App"}},
        {"pages/index/index.json": '{"navigationBarTitleText": "Page", "usingComponents": {}}'},
    )
    diagnostics = Diagnostics()
    app = load_app_config(source, diagnostics)
    assert app is not None
    page = load_component_config(source, "pages/index/index", diagnostics, is_component=False)
    window = page_window(app, page)
    assert window["navigationBarTitleText"] == "Page"
    assert window["backgroundColor"] == "#ffffff"
    assert "usingComponents" not in window


@pytest.mark.parametrize(
    "text",
    ['{"usingComponents": []}', '{"styleIsolation": "leaky"}', '{"component": "yes"}', "[1]"],
)
def test_bad_page_json(text: str) -> None:
    source = SourceTree({"c/c.json": text.encode()})
    diagnostics = Diagnostics()
    load_component_config(source, "c/c", diagnostics, is_component=True)
    assert diagnostics.codes() == ["PAGE_JSON_INVALID"]
