"""The whole compile on the example corpus: bundle shape, golden manifest, every error at once."""

from __future__ import annotations

import gc
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from miniapp.compiler import build
from miniapp.compiler.build import Limits, compile_project, manifest_bytes, write_bundle
from miniapp.compiler.diagnostics import Diagnostics
from miniapp.compiler.project import read_project

ROOT = Path(__file__).resolve().parents[2]
SHOWCASE = ROOT / "examples" / "showcase"
HELLO = ROOT / "examples" / "hello"
GOLDEN = Path(__file__).parent / "golden"


def compiled(project: Path, **kwargs: Any) -> build.BuildResult:
    result = compile_project(project, **kwargs)
    assert result.ok, "\n".join(map(str, result.diagnostics))
    return result


def copy_showcase(tmp_path: Path) -> Path:
    target = tmp_path / "showcase"
    shutil.copytree(SHOWCASE, target)
    return target / "miniprogram"


def readable(bundle: build.Bundle) -> str:
    """The manifest, with every view, stylesheet and script it names decoded in place, so a
    golden diff shows what changed rather than which hash did."""
    contents = {
        name: json.loads(data) if name.endswith(".json") else data.decode()
        for name, data in sorted(bundle.files.items())
        if not name.endswith((".png", ".jpg"))
    }
    return (
        json.dumps(
            {"manifest": bundle.manifest, "files": contents},
            ensure_ascii=False,
            indent=1,
            sort_keys=True,
        )
        + "\n"
    )


@pytest.mark.parametrize("name", ["hello", "showcase"])
def test_examples_match_their_golden_bundles(name: str) -> None:
    """The bundle is deterministic; a change to it is a reviewed change to the golden file.

    Regenerate with UPDATE_GOLDEN=1 after checking the difference is intended.
    """
    bundle = compiled(ROOT / "examples" / name).bundle
    assert bundle is not None
    produced = readable(bundle)
    golden = GOLDEN / f"{name}.bundle.json"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(produced, encoding="utf-8")
    assert produced == golden.read_text(encoding="utf-8")


def test_every_file_is_named_by_its_content() -> None:
    bundle = compiled(SHOWCASE).bundle
    assert bundle is not None
    for name, data in bundle.files.items():
        assert name == f"files/{hashlib.sha256(data).hexdigest()[:20]}{Path(name).suffix}"
    referenced = json.dumps(bundle.manifest)
    for name in bundle.files:
        assert name in referenced


def test_showcase_manifest_has_packages_pages_components_and_report() -> None:
    manifest = compiled(SHOWCASE).bundle.manifest  # type: ignore[union-attr]
    assert set(manifest["packages"]) == {"__APP__", "shop", "independent"}
    assert manifest["packages"]["shop"]["root"] == "packageA/"
    assert manifest["packages"]["independent"]["independent"] is True
    assert manifest["pages"]["packageA/pages/detail/detail"]["package"] == "shop"
    index = manifest["pages"]["pages/index/index"]
    assert index["config"]["navigationBarTitleText"] == "Home"
    assert index["config"]["backgroundColor"] == "#f6f6f6"  # from app.json's window
    assert index["components"] == {
        "card": "components/card/card",
        "counter": "components/counter/counter",
        "fancy-button": "miniprogram_npm/fancy-button/index",
        "tree": "components/tree/tree",
    }
    card = manifest["components"]["components/card/card"]
    assert card["styleScope"] == "components-card-card"
    assert card["styleIsolation"] == "isolated"
    assert card["externalClasses"] == ["title-class"]
    assert manifest["components"]["components/counter/counter"]["styleIsolation"] == "apply-shared"
    assert manifest["app"]["entryPagePath"] == "pages/index/index"
    assert manifest["app"]["theme"]["dark"]["navBackground"] == "#191919"
    assert set(manifest["assets"]) == {
        "images/home.png",
        "images/home-active.png",
        "images/list.png",
        "images/list-active.png",
    }
    report = manifest["report"]
    for api in ("request", "uploadFile", "getLocation", "showToast", "navigateTo", "getSystemInfo"):
        assert api in report["apis"], api
    assert report["apis"]["request"] == ["utils/api.js:14:5"]
    assert set(report["domains"]) >= {
        "api.showcase-shop.com",
        "upload.showcase-shop.com",
        "live.showcase-shop.com",
    }
    assert report["packages"]["__APP__"] == manifest["packages"]["__APP__"]["size"]


def test_logic_file_holds_each_module_of_its_package_once() -> None:
    bundle = compiled(SHOWCASE).bundle
    assert bundle is not None
    main_logic = bundle.files[bundle.manifest["packages"]["__APP__"]["logic"]].decode()
    shop_logic = bundle.files[bundle.manifest["packages"]["shop"]["logic"]].decode()
    for module in (
        "app.js",
        "utils/format.js",
        "utils/api.js",
        "pages/index/index.js",
        "miniprogram_npm/tiny-date/lib/index.js",
        "components/card/card.js",
    ):
        assert main_logic.count(f'"{module}"') >= 1, module
    assert '"packageA/pages/detail/detail.js"' in shop_logic
    assert '"packageA/pages/detail/detail.js"' not in main_logic
    assert "#status" in main_logic  # modern syntax kept as written


def test_compiles_are_deterministic(tmp_path: Path) -> None:
    first = compiled(SHOWCASE).bundle
    second = compiled(SHOWCASE).bundle
    assert first is not None and second is not None
    assert manifest_bytes(first.manifest) == manifest_bytes(second.manifest)
    assert first.files == second.files


def test_every_error_at_once_and_no_bundle(tmp_path: Path) -> None:
    root = copy_showcase(tmp_path)
    (root / "pages/list/list.wxml").write_text("<view>\n  <text>open\n</view>\n")
    (root / "utils/api.js").write_text("const a = ;\n")
    (root / "pages/index/index.wxss").write_text('@import "missing.wxss";\n')
    (root / "pages/styles/styles.json").write_text('{"navigationBarTitleText": }')
    result = compile_project(root.parent)
    assert result.bundle is None
    codes = {d.code for d in result.diagnostics}
    assert {"WXML_UNCLOSED_TAG", "JS_SYNTAX", "WXSS_IMPORT_NOT_FOUND", "JSON_SYNTAX"} <= codes
    files = {d.file for d in result.diagnostics}
    assert {
        "pages/list/list.wxml",
        "utils/api.js",
        "pages/index/index.wxss",
        "pages/styles/styles.json",
    } <= files
    assert all(d.line > 0 for d in result.diagnostics if d.code != "JSON_SYNTAX" or d.line)


def test_packages_may_not_reach_into_each_other(tmp_path: Path) -> None:
    root = copy_showcase(tmp_path)
    (root / "packageA/pages/detail/detail.js").write_text(
        "require('../../../independent/pages/lone/lone.js');\nPage({});\n"
    )
    (root / "independent/pages/lone/lone.json").write_text(
        '{"usingComponents": {"card": "/components/card/card"}}'
    )
    result = compile_project(root.parent)
    crossings = [d for d in result.diagnostics if d.code == "PACKAGE_CROSS_REFERENCE"]
    assert {d.file for d in crossings} == {
        "packageA/pages/detail/detail.js",
        "independent/pages/lone/lone.json",
    }
    assert result.bundle is None


def test_size_limits_are_enforced_with_a_report() -> None:
    result = compile_project(SHOWCASE, limits=Limits(package_bytes=5_000, total_bytes=1_000_000))
    assert result.bundle is None
    limited = [d for d in result.diagnostics if d.code == "SIZE_LIMIT"]
    assert [d.file for d in limited] == ["app.json"]
    assert "main package" in limited[0].message
    assert result.report["packages"]["__APP__"] > 5_000
    assert result.report["files"][0]["bytes"] >= result.report["files"][-1]["bytes"]
    total = compile_project(SHOWCASE, limits=Limits(total_bytes=10_000))
    assert any("the app is" in d.message for d in total.diagnostics if d.code == "SIZE_LIMIT")


def test_non_utf8_source_is_reported(tmp_path: Path) -> None:
    root = copy_showcase(tmp_path)
    (root / "pages/list/list.wxml").write_bytes("<view>caf\u00e9</view>".encode("latin-1"))
    result = compile_project(root.parent)
    assert [(d.code, d.file) for d in result.diagnostics] == [
        ("TEXT_NOT_UTF8", "pages/list/list.wxml")
    ]


def test_a_compiler_bug_becomes_a_diagnostic_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulates a bug in one stage (a fake that raises) to check the guard around it."""

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RecursionError("simulated compiler bug")

    monkeypatch.setattr(build, "compile_wxss", broken)
    result = compile_project(HELLO)
    assert result.bundle is None
    assert {(d.code, d.file) for d in result.diagnostics} == {
        ("INTERNAL_ERROR", "pages/index/index.wxss"),
        ("INTERNAL_ERROR", "app.wxss"),
    }


def test_write_bundle_replaces_the_folder_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = compiled(HELLO).bundle
    assert first is not None
    write_bundle(first, out)
    (out / "stale.txt").write_text("from an older bundle")
    write_bundle(first, out)
    assert not (out / "stale.txt").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    for package in manifest["packages"].values():
        assert (out / package["logic"]).exists()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


@pytest.mark.parametrize("enabled", [True, False])
def test_compile_pauses_the_collector_and_restores_it(enabled: bool) -> None:
    # The cyclic collector is off during a compile (it only rescans the compile's live trees)
    # and left as the caller had it; the tree's memos are dropped, not left to be scanned.
    seen: list[bool] = []
    project = read_project(HELLO, Diagnostics())
    assert project is not None
    real = build._Compiler.compile_units

    def spy(self: Any) -> None:
        seen.append(gc.isenabled())
        real(self)

    (gc.enable if enabled else gc.disable)()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(build._Compiler, "compile_units", spy)
            assert build.compile_tree(project.tree).ok
        assert seen == [False]
        assert gc.isenabled() is enabled
        assert project.tree.memo("wxml.parse") == {}
    finally:
        gc.enable()
