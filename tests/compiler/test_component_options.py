"""Style options read from a component's JS decide how its WXSS is compiled."""

from __future__ import annotations

import json

from miniapp.compiler.build import compile_tree
from miniapp.compiler.component_options import read_style_options
from miniapp.compiler.sources import SourceTree


def test_literal_options_are_read() -> None:
    options = read_style_options(
        "const b = require('./b');\n"
        "Component({ externalClasses: ['x-class', 'y-class'],\n"
        "  options: { styleIsolation: 'apply-shared', addGlobalClass: true },\n"
        "  methods: { f() { Component({ options: { styleIsolation: 'shared' } }); } } });"
    )
    assert options.style_isolation == "apply-shared"
    assert options.add_global_class is True
    assert options.external_classes == ("x-class", "y-class")


def test_computed_or_missing_options_are_left_to_the_runtime() -> None:
    assert read_style_options("Component({ options: makeOptions() })").style_isolation is None
    assert read_style_options("Page({})").style_isolation is None
    assert read_style_options("Component(").style_isolation is None


def test_a_component_shared_in_its_js_is_compiled_unprefixed() -> None:
    files = {
        "app.json": json.dumps({"pages": ["p/p"], "usingComponents": {"c": "/c/c"}}).encode(),
        "app.js": b"App({})",
        "p/p.js": b"Page({})",
        "p/p.wxml": b"<c/>",
        "c/c.json": b'{"component": true}',
        "c/c.js": b"Component({ options: { styleIsolation: 'shared' } })",
        "c/c.wxml": b"<view class='box'/>",
        "c/c.wxss": b".box { color: red; }",
    }
    result = compile_tree(SourceTree(files))
    assert result.bundle is not None
    component = result.bundle.manifest["components"]["c/c"]
    assert component["styleIsolation"] == "shared"
    css = result.bundle.files[component["css"]].decode()
    assert ".box" in css and "c-c--box" not in css
