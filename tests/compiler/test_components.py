"""usingComponents resolution: relative, absolute, npm, plugin."""

from __future__ import annotations

from miniapp.compiler.components import resolve_component
from miniapp.compiler.diagnostics import Diagnostics
from miniapp.compiler.sources import SourceTree

COMPONENT = {".json": b'{"component": true}', ".js": b"Component({})", ".wxml": b"<view/>"}


def with_component(files: dict[str, bytes], base: str, json_text: bytes | None = None) -> None:
    for extension, data in COMPONENT.items():
        files[base + extension] = data
    if json_text is not None:
        files[base + ".json"] = json_text


def resolve(
    files: dict[str, bytes], from_json: str, reference: str
) -> tuple[str | None, list[str]]:
    diagnostics = Diagnostics()
    found = resolve_component(
        SourceTree(files),
        from_json=from_json,
        json_text='{"x": ""}',
        tag="x",
        reference=reference,
        diagnostics=diagnostics,
    )
    return found, diagnostics.codes()


def test_relative_absolute_and_folder_index() -> None:
    files: dict[str, bytes] = {}
    with_component(files, "components/card/card")
    with_component(files, "components/list/index")
    assert resolve(files, "pages/a/a.json", "../../components/card/card") == (
        "components/card/card",
        [],
    )
    assert resolve(files, "pages/a/a.json", "/components/card/card") == ("components/card/card", [])
    assert resolve(files, "app.json", "components/card/card") == ("components/card/card", [])
    assert resolve(files, "pages/a/a.json", "/components/list") == ("components/list/index", [])


def test_npm_packages_are_found_walking_up() -> None:
    files: dict[str, bytes] = {}
    with_component(files, "miniprogram_npm/@vant/weapp/button/index")
    with_component(files, "pkg/miniprogram_npm/local-ui/index")
    assert resolve(files, "pages/a/a.json", "@vant/weapp/button") == (
        "miniprogram_npm/@vant/weapp/button/index",
        [],
    )
    assert resolve(files, "pkg/pages/p.json", "local-ui") == (
        "pkg/miniprogram_npm/local-ui/index",
        [],
    )
    assert resolve(files, "pages/a/a.json", "local-ui") == (None, ["COMPONENT_NOT_FOUND"])


def test_missing_undeclared_and_plugin_components() -> None:
    files: dict[str, bytes] = {}
    with_component(files, "components/plain/plain", json_text=b"{}")
    assert resolve(files, "app.json", "/components/nothing/nothing") == (
        None,
        ["COMPONENT_NOT_FOUND"],
    )
    assert resolve(files, "app.json", "/components/plain/plain") == (
        None,
        ["COMPONENT_NOT_DECLARED"],
    )
    assert resolve(files, "app.json", "plugin://myPlugin/comp") == (
        None,
        ["COMPONENT_PLUGIN_UNSUPPORTED"],
    )


def test_a_path_that_escapes_the_root_is_not_found() -> None:
    assert resolve({}, "app.json", "../../outside/x") == (None, ["COMPONENT_NOT_FOUND"])
