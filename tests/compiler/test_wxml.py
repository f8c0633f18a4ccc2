"""WXML to View IR: every section-2 feature of the WeChat digest, every WXML error code."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from miniapp.compiler.diagnostics import CODES, Diagnostics
from miniapp.compiler.sources import SourceTree
from miniapp.compiler.wxml import MAX_NESTING, CompiledView, Reference, WxsSource, compile_view

# Modest and derandomized: the same examples on every run, and no example database.
FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None)
PAGE = "pages/index/index.wxml"


def build(files: dict[str, str] | str, path: str = PAGE) -> tuple[CompiledView | None, list[str]]:
    if isinstance(files, str):
        files = {path: files}
    diagnostics = Diagnostics()
    tree = SourceTree({name: text.encode("utf-8") for name, text in files.items()})
    compiled = compile_view(tree, path, diagnostics)
    found = [f"{d.code} {d.file}:{d.line}:{d.column}" for d in diagnostics.sorted()]
    return compiled, found


def at(code: str, where: str) -> str:
    return f"{code} {where}"


def page(code: str, position: str) -> str:
    """A diagnostic in the page, as `errors` lists it."""
    return f"{code} {PAGE}:{position}"


def view(files: dict[str, str] | str) -> CompiledView:
    compiled, found = build(files)
    assert found == []
    assert compiled is not None
    return compiled


def root(source: str) -> list[Any]:
    nodes: list[Any] = view(source).ir["root"]
    return nodes


def errors(files: dict[str, str] | str) -> list[str]:
    compiled, found = build(files)
    assert compiled is None
    return found


def x(expr: Any) -> list[Any]:
    return ["x", expr]


def ident(name: str) -> list[Any]:
    return ["id", name]


def el(tag: str, line: int = 1, **fields: Any) -> dict[str, Any]:
    return {"k": "el", "tag": tag, "line": line, **fields}


# -- values -----------------------------------------------------------------------------------


def test_attribute_values_keep_or_lose_their_type() -> None:
    (node,) = root(
        '<switch checked="false" disabled="{{false}}" a="x{{n}}" b="{{n}} " c="" hidden/>'
    )
    assert node["attrs"] == {
        "checked": "false",  # a plain string, and truthy, as in WeChat
        "disabled": x(["lit", False]),  # exactly one binding keeps the value's type
        "a": ["cat", ["x", ident("n")]],
        "b": ["cat", [ident("n"), " "]],  # a space after }} makes a string
        "c": "",
        "hidden": x(["lit", True]),  # valueless means true
    }


def test_text_nodes() -> None:
    assert root("<view>Hello, {{ user.name }}!</view>")[0]["children"] == [
        {"k": "text", "v": ["cat", ["Hello, ", ["mem", ident("user"), ["lit", "name"]], "!"]]}
    ]
    assert root("<view>{{count}}</view>")[0]["children"] == [{"k": "text", "v": x(ident("count"))}]
    assert root("<view>plain &amp; simple</view>")[0]["children"] == ["plain & simple"]
    assert root("<view>\n  <text/>\n  <!-- c -->\n</view>")[0]["children"] == [el("text", 2)]


def test_id_class_style_and_custom_components_are_plain_attributes() -> None:
    compiled = view(
        '<my-card id="c" class="a {{b}}" style="color: {{c}}" title="t" my-prop="{{p}}"/>'
    )
    (node,) = compiled.ir["root"]
    assert node["tag"] == "my-card"
    assert list(node["attrs"]) == ["id", "class", "style", "title", "my-prop"]
    assert compiled.tags == {"my-card"}


def test_data_and_mark_attributes() -> None:
    (node,) = root('<view data-item-id="{{id}}" data-Kind="a" mark:source="list" mark:i="{{i}}"/>')
    assert node["data"] == {"data-item-id": x(ident("id")), "data-Kind": "a"}
    assert node["marks"] == {"source": "list", "i": x(ident("i"))}
    assert "attrs" not in node


def test_duplicate_attributes_keep_the_first() -> None:
    (node,) = root('<view class="a" class="b"/>')
    assert node["attrs"] == {"class": "a"}


# -- events -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attribute", "kind"),
    [
        ("bindtap", "bind"),
        ("bind:tap", "bind"),
        ("catchtap", "catch"),
        ("catch:tap", "catch"),
        ("capture-bindtap", "capture-bind"),
        ("capture-bind:tap", "capture-bind"),
        ("capture-catchtap", "capture-catch"),
        ("capture-catch:tap", "capture-catch"),
        ("mut-bindtap", "mut-bind"),
        ("mut-bind:tap", "mut-bind"),
        ("capture-mut-bind:tap", "capture-mut-bind"),
    ],
)
def test_event_binding_spellings(attribute: str, kind: str) -> None:
    (node,) = root(f'<view {attribute}="onTap"/>')
    assert node["events"] == [["tap", kind, "onTap"]]
    assert "attrs" not in node


def test_event_handlers_can_be_bindings_and_wxs_functions() -> None:
    source = (
        '<wxs module="touch">module.exports = {move: function () {}}</wxs>'
        '<view bindtouchmove="{{touch.move}}" bind:longpress="{{handlerName}}" '
        'bindcustom-event="x" bind:my:event="y"/>'
    )
    (node,) = root(source)
    assert node["events"] == [
        ["touchmove", "bind", x(["mem", ["wxs", "touch"], ["lit", "move"]])],
        ["longpress", "bind", x(ident("handlerName"))],
        ["custom-event", "bind", "x"],
        ["my:event", "bind", "y"],
    ]


def test_bare_bind_is_an_attribute_but_bind_colon_needs_an_event() -> None:
    (node,) = root('<view bind="x" catch="y"/>')
    assert node["attrs"] == {"bind": "x", "catch": "y"}
    assert errors('<view\n  bind:="x"/>') == [page("WXML_SYNTAX", "2:3")]


# -- model ------------------------------------------------------------------------------------


def test_model_binds_a_plain_path() -> None:
    (node,) = root('<input model:value="{{form.name}}"/><input model:value="{{list[0][\'v\']}}"/>')[
        :1
    ]
    assert node["model"] == {"value": ["mem", ident("form"), ["lit", "name"]]}
    (loop,) = root('<input wx:for="{{rows}}" model:value="{{item.text}}"/>')
    assert loop["children"][0]["model"] == {"value": ["mem", ident("item"), ["lit", "text"]]}


@pytest.mark.parametrize(
    "value",
    ["{{a + b}}", "{{a[i]}}", "{{'text'}}", "text", "a{{b}}", "{{a}}{{b}}", "{{m.x}}"],
)
def test_model_rejects_anything_but_a_path(value: str) -> None:
    source = (
        f'<wxs module="m">module.exports = {{}}</wxs>\n<input type="text" model:value="{value}"/>'
    )
    assert errors(source) == [page("WXML_MODEL_NOT_PATH", "2:20")]


def test_model_without_value_or_property() -> None:
    assert errors("<input model:value/>") == [page("WXML_MODEL_NOT_PATH", "1:8")]
    assert errors('<input model:="{{a}}"/>') == [page("WXML_SYNTAX", "1:8")]


# -- wx:for -----------------------------------------------------------------------------------


def test_for_with_defaults() -> None:
    (loop,) = root('<view wx:for="{{list}}">{{index}}: {{item.name}}</view>')
    assert loop == {
        "k": "for",
        "line": 1,
        "list": x(ident("list")),
        "item": "item",
        "index": "index",
        "children": [
            el(
                "view",
                children=[
                    {
                        "k": "text",
                        "v": [
                            "cat",
                            [ident("index"), ": ", ["mem", ident("item"), ["lit", "name"]]],
                        ],
                    }
                ],
            )
        ],
    }


def test_for_item_index_and_keys() -> None:
    (loop,) = root('<view wx:for="{{users}}" wx:for-item="u" wx:for-index="i" wx:key="id"/>')
    assert (loop["item"], loop["index"], loop["key"]) == ("u", "i", "id")
    (loop,) = root('<view wx:for="{{[1, 2, 3]}}" wx:key="*this"/>')
    assert loop["key"] == "*this"
    assert loop["list"] == x(["arr", [["lit", 1], ["lit", 2], ["lit", 3]]])
    # WeChat takes wx:key literally, so a binding there names a field called "{{id}}"
    (loop,) = root('<view wx:for="{{users}}" wx:key="{{id}}"/>')
    assert loop["key"] == "{{id}}"
    (loop,) = root('<view wx:for="{{users}}" wx:key=""/>')
    assert "key" not in loop


def test_for_over_strings_numbers_and_the_old_for_items() -> None:
    assert root('<view wx:for="abc"/>')[0]["list"] == "abc"
    assert root('<view wx:for="{{5}}"/>')[0]["list"] == x(["lit", 5])
    assert root('<view wx:for="{{[1,2]}} "/>')[0]["list"] == [
        "cat",
        [["arr", [["lit", 1], ["lit", 2]]], " "],
    ]
    assert root('<view wx:for-items="{{list}}"/>')[0]["list"] == x(ident("list"))


def test_nested_loops() -> None:
    (outer,) = root(
        '<view wx:for="{{groups}}" wx:for-item="g">'
        '<text wx:for="{{g.items}}">{{g.name}}{{item}}</text></view>'
    )
    inner = outer["children"][0]["children"][0]
    assert inner["k"] == "for"
    assert inner["list"] == x(["mem", ident("g"), ["lit", "items"]])


def test_for_and_if_on_one_element_loop_outside() -> None:
    (loop,) = root('<view wx:for="{{list}}" wx:if="{{item.show}}">{{item.name}}</view>')
    assert loop["k"] == "for"
    (condition,) = loop["children"]
    assert condition["k"] == "if"
    (branch,) = condition["branches"]
    assert branch[0] == x(["mem", ident("item"), ["lit", "show"]])
    assert branch[1][0]["tag"] == "view"


def test_block_carries_loops_and_disappears() -> None:
    (loop,) = root('<block wx:for="{{list}}" wx:key="id"><text>{{item}}</text><view/></block>')
    assert [n["tag"] for n in loop["children"]] == ["text", "view"]
    assert root("<block><text/></block>") == [el("text")]


def test_loop_variables_shadow_wxs_modules() -> None:
    source = (
        '<wxs module="item">module.exports = {}</wxs>'
        '<view>{{item}}</view><view wx:for="{{list}}">{{item}}</view>'
    )
    first, loop = root(source)
    assert first["children"] == [{"k": "text", "v": x(["wxs", "item"])}]
    assert loop["children"][0]["children"] == [{"k": "text", "v": x(ident("item"))}]


# -- wx:if ------------------------------------------------------------------------------------


def test_if_elif_else_chain() -> None:
    source = (
        '<view wx:if="{{n > 1}}">many</view>\n'
        "  <!-- one? -->\n"
        '<view wx:elif="{{n == 1}}">one</view>\n'
        '<wxs module="m">module.exports = {}</wxs>\n'
        "<view wx:else>none</view>\n"
        '<view wx:if="{{a}}">again</view>'
    )
    chain, second = root(source)
    assert chain == {
        "k": "if",
        "line": 1,
        "branches": [
            [x(["bin", ">", ident("n"), ["lit", 1]]), [el("view", 1, children=["many"])]],
            [x(["bin", "==", ident("n"), ["lit", 1]]), [el("view", 3, children=["one"])]],
            [None, [el("view", 5, children=["none"])]],
        ],
    }
    assert second["k"] == "if"
    assert len(second["branches"]) == 1


def test_else_value_is_ignored_as_in_wechat_docs() -> None:
    (chain,) = root('<view wx:if="{{a}}"/><view wx:else="{{b}}"/>')
    assert chain["branches"][1][0] is None


def test_conditions_on_blocks_templates_includes_and_slots() -> None:
    files = {
        PAGE: (
            '<template name="t"><text/></template>'
            '<block wx:if="{{a}}"><text/><text/></block>'
            '<template wx:elif="{{b}}" is="t"/>'
            '<include wx:else src="part"/>'
            '<slot wx:if="{{c}}"/>'
        ),
        "pages/index/part.wxml": "<view/>",
    }
    chain, slot = view(files).ir["root"]
    blocks, template, include = chain["branches"]
    assert [n["tag"] for n in blocks[1]] == ["text", "text"]
    assert template[1] == [{"k": "tpl", "line": 1, "id": f"{PAGE}#t"}]
    assert include[1][0]["k"] == "inc"
    assert slot["branches"][0][1] == [{"k": "slot", "line": 1}]


def test_hidden_is_an_ordinary_attribute() -> None:
    (node,) = root('<view hidden="{{!shown}}"/>')
    assert node["attrs"] == {"hidden": x(["un", "!", ident("shown")])}


@pytest.mark.parametrize(
    ("source", "position"),
    [
        ("<view wx:else/>", "1:7"),
        ('<view wx:elif="{{a}}"/>', "1:7"),
        ('<view wx:if="{{a}}"/>\ntext\n<view wx:else/>', "3:7"),
        ('<view wx:if="{{a}}"/><view/><view wx:elif="{{b}}"/>', "1:35"),
        ('<view wx:if="{{a}}"/><view wx:else/><view wx:else/>', "1:43"),
        ('<view wx:for="{{l}}" wx:if="{{a}}"/><view wx:else/>', "1:43"),
        ('<view><view wx:if="{{a}}"/></view><view wx:else/>', "1:41"),
    ],
)
def test_else_without_if(source: str, position: str) -> None:
    assert errors(source) == [page("WXML_ELSE_WITHOUT_IF", position)]


# -- directives -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "position"),
    [
        ('<view wx:show="{{a}}"/>', "1:7"),
        ('<view wx:for="{{l}}" wx:for-item="a-b"/>', "1:22"),
        ('<view wx:for="{{l}}" wx:for-index="{{i}}"/>', "1:22"),
        ("<view wx:if/>", "1:7"),
        ("<view wx:for/>", "1:7"),
        ('<view wx:if="{{a}}" wx:elif="{{b}}"/>', "1:21"),
        ('<view wx:if="{{a}}"/><view wx:elif="{{b}}" wx:else/>', "1:44"),
        ('<view wx:if="{{a}}"/><view wx:for="{{l}}" wx:else/>', "1:43"),
        ('<import wx:if="{{a}}" src="t"/>', "1:9"),
        ('<wxs wx:for="{{a}}" module="m">module.exports = 1</wxs>', "1:6"),
        ('<template wx:if="{{a}}" name="t"/>', "1:11"),
    ],
)
def test_bad_directives(source: str, position: str) -> None:
    files = {PAGE: source, "pages/index/t.wxml": ""}
    assert page("WXML_BAD_DIRECTIVE", position) in errors(files)


def test_orphan_loop_attributes_are_ignored_like_wechat() -> None:
    (node,) = root('<view wx:key="id" wx:for-item="x"/>')
    assert node == el("view")


# -- templates --------------------------------------------------------------------------------


def test_template_definitions_are_not_rendered_and_uses_are_resolved() -> None:
    source = (
        '<template name="card"><view class="card">{{title}}</view></template>\n'
        '<template is="card" data="{{...item}}"/>\n'
        '<template is="card" data="{{title: t}}"/>\n'
        '<template is="card" data="{{item}}"/>\n'
        '<template is="card"/>'
    )
    compiled = view(source)
    spread, named, shorthand, empty = compiled.ir["root"]
    card = f"{PAGE}#card"
    assert spread == {"k": "tpl", "line": 2, "id": card, "data": ["obj", [[None, ident("item")]]]}
    assert named["data"] == ["obj", [["title", ident("t")]]]
    assert shorthand["data"] == ["obj", [["item", ident("item")]]]  # {{item}} means {item: item}
    assert empty == {"k": "tpl", "line": 5, "id": card}
    assert compiled.ir["templates"] == {
        card: {
            "file": PAGE,
            "name": "card",
            "line": 1,
            "body": [
                el(
                    "view",
                    attrs={"class": "card"},
                    children=[{"k": "text", "v": x(ident("title"))}],
                )
            ],
        }
    }
    assert compiled.ir["templateScopes"] == {PAGE: {"card": card}}


def test_dynamic_template_names_use_the_scope_table() -> None:
    files = {
        PAGE: (
            '<import src="/tpl/a.wxml"/>\n'
            '<template name="local"><text/></template>\n'
            '<template is="{{kind}}" data="{{x: 1}}"/>\n'
            '<template is="tpl-{{kind}}"/>'
        ),
        "tpl/a.wxml": '<template name="a"><view/></template><template name="b"><view/></template>',
    }
    compiled = view(files)
    dynamic, mixed = compiled.ir["root"]
    assert dynamic == {
        "k": "tpl",
        "line": 3,
        "is": x(ident("kind")),
        "data": ["obj", [["x", ["lit", 1]]]],
    }
    assert mixed["is"] == ["cat", ["tpl-", ident("kind")]]
    assert compiled.ir["templateScopes"][PAGE] == {
        "a": "tpl/a.wxml#a",
        "b": "tpl/a.wxml#b",
        "local": f"{PAGE}#local",
    }
    assert sorted(compiled.ir["templates"]) == [f"{PAGE}#local", "tpl/a.wxml#a", "tpl/a.wxml#b"]


def test_recursive_templates() -> None:
    source = (
        '<template name="tree"><view>{{node.name}}</view>'
        '<block wx:for="{{node.children}}"><template is="tree" data="{{node: item}}"/></block>'
        "</template>"
        '<template is="tree" data="{{node: root}}"/>'
    )
    compiled = view(source)
    body = compiled.ir["templates"][f"{PAGE}#tree"]["body"]
    assert body[1]["children"][0]["id"] == f"{PAGE}#tree"


def test_template_scope_is_its_data_and_its_own_files_wxs() -> None:
    files = {
        PAGE: (
            '<import src="../../tpl/row.wxml"/>'
            '<wxs module="page">module.exports = {}</wxs>'
            '<view wx:for="{{list}}"><template is="row" data="{{...item}}"/></view>'
        ),
        "tpl/row.wxml": (
            '<wxs module="fmt">module.exports = {f: function (x) { return x }}</wxs>'
            '<template name="row"><text>{{fmt.f(name)}} {{page}} {{item}}</text></template>'
        ),
    }
    compiled = view(files)
    (text,) = compiled.ir["templates"]["tpl/row.wxml#row"]["body"][0]["children"]
    call, _, page, _, item = text["v"][1]
    assert call == ["call", ["mem", ["wxs", "fmt"], ["lit", "f"]], [ident("name")]]
    assert page == ident("page")  # the page's module is not visible in the template
    assert item == ident("item")  # nor is the loop variable around the use
    assert compiled.ir["wxs"] == {
        PAGE: {"page": f"{PAGE}#page"},
        "tpl/row.wxml": {"fmt": "tpl/row.wxml#fmt"},
    }


def test_calling_a_page_module_from_a_template_is_refused() -> None:
    files = {
        PAGE: '<import src="t"/><wxs module="m">module.exports = {}</wxs><template is="x"/>',
        "pages/index/t.wxml": '<template name="x">\n  {{ m.f(1) }}</template>',
    }
    assert errors(files) == [at("WXML_UNSUPPORTED_EXPRESSION", "pages/index/t.wxml:2:6")]


def test_import_is_not_transitive() -> None:
    files = {
        PAGE: '<import src="a.wxml"/><template is="fromA"/>\n<template is="fromB"/>',
        "pages/index/a.wxml": (
            '<import src="b"/><template name="fromA"><template is="fromB"/></template>'
        ),
        "pages/index/b.wxml": '<template name="fromB"><view/></template>',
    }
    # a.wxml's templates can use what a.wxml imports; the page cannot
    assert errors(files) == [page("WXML_TEMPLATE_NOT_FOUND", "2:11")]
    files[PAGE] = '<import src="a.wxml"/><template is="fromA"/>'
    compiled = view(files)
    assert compiled.ir["templateScopes"] == {
        PAGE: {"fromA": "pages/index/a.wxml#fromA"},
        "pages/index/a.wxml": {
            "fromA": "pages/index/a.wxml#fromA",
            "fromB": "pages/index/b.wxml#fromB",
        },
        "pages/index/b.wxml": {"fromB": "pages/index/b.wxml#fromB"},
    }


def test_own_templates_win_then_the_last_import() -> None:
    files = {
        PAGE: '<import src="a"/><import src="b"/><template is="x"/><template is="y"/>'
        '<template name="y"><view/></template>',
        "pages/index/a.wxml": '<template name="x"/><template name="y"/>',
        "pages/index/b.wxml": '<template name="x"/>',
    }
    x_use, y_use = view(files).ir["root"]
    assert x_use["id"] == "pages/index/b.wxml#x"
    assert y_use["id"] == f"{PAGE}#y"


def test_template_definitions_anywhere_in_the_file() -> None:
    compiled = view('<view><template name="inner"><text/></template></view><template is="inner"/>')
    assert compiled.ir["root"] == [el("view"), {"k": "tpl", "line": 1, "id": f"{PAGE}#inner"}]


def test_template_errors() -> None:
    assert errors('<template is="nope"/>') == [page("WXML_TEMPLATE_NOT_FOUND", "1:11")]
    assert errors('<template name="t"/>\n<template name="t"/>') == [
        page("WXML_TEMPLATE_DUPLICATE", "2:11")
    ]
    assert errors("<template/>") == [page("WXML_SYNTAX", "1:1")]
    assert errors('<template name=""/>') == [page("WXML_SYNTAX", "1:11")]
    assert errors('<template name="t"/><template is="t" data="x"/>') == [
        page("WXML_EXPRESSION_SYNTAX", "1:38")
    ]
    assert errors('<template name="t"/><template is="t" data="{{a: }}"/>') == [
        page("WXML_EXPRESSION_SYNTAX", "1:49")
    ]


# -- import and include -----------------------------------------------------------------------


def test_include_pastes_content_without_templates_or_wxs() -> None:
    files = {
        PAGE: (
            '<wxs module="m">module.exports = {}</wxs>\n'
            '<view wx:for="{{list}}"><include src="./part.wxml"/></view>'
        ),
        "pages/index/part.wxml": (
            '<template name="hidden"><view/></template>\n'
            '<wxs module="own">module.exports = {}</wxs>\n'
            "<text>{{m}} {{own}} {{item}}</text>"
        ),
    }
    compiled = view(files)
    (loop,) = compiled.ir["root"]
    (include,) = loop["children"][0]["children"]
    assert include["k"] == "inc"
    assert include["file"] == "pages/index/part.wxml"
    (text,) = include["children"]
    assert text["line"] == 3
    m, _, own, _, item = text["children"][0]["v"][1]
    assert m == ["wxs", "m"]  # the including file's module
    assert own == ident("own")  # the included file's <wxs> is left out
    assert item == ident("item")  # the loop variable around the include
    assert compiled.ir["templates"] == {}
    assert compiled.ir["wxs"] == {PAGE: {"m": f"{PAGE}#m"}}


def test_imports_in_included_files_count() -> None:
    files = {
        PAGE: '<include src="header"/><template is="logo"/>',
        "pages/index/header.wxml": '<import src="/tpl/logo.wxml"/><template is="logo"/>',
        "tpl/logo.wxml": '<template name="logo"><image/></template>',
    }
    compiled = view(files)
    include, use = compiled.ir["root"]
    assert include["children"] == [{"k": "tpl", "line": 1, "id": "tpl/logo.wxml#logo"}]
    assert use["id"] == "tpl/logo.wxml#logo"


def test_nested_includes_and_the_same_file_twice() -> None:
    files = {
        PAGE: '<include src="a"/><include src="a"/>',
        "pages/index/a.wxml": '<include src="b"/>',
        "pages/index/b.wxml": "<text>{{x}}</text>",
    }
    first, second = view(files).ir["root"]
    assert first == second
    assert first["children"][0]["children"][0]["tag"] == "text"


def test_include_cycles() -> None:
    files = {
        PAGE: '<include src="a"/>',
        "pages/index/a.wxml": '<view/>\n<include src="b"/>',
        "pages/index/b.wxml": '<include src="a"/>',
    }
    assert errors(files) == [at("WXML_INCLUDE_CYCLE", "pages/index/b.wxml:1:1")]
    assert errors('<view>\n  <include src="index"/></view>') == [page("WXML_INCLUDE_CYCLE", "2:3")]


def test_a_template_may_include_the_file_that_defines_it() -> None:
    files = {
        PAGE: '<import src="t"/><template is="t"/>',
        "pages/index/t.wxml": '<template name="t"><include src="t"/></template><text>top</text>',
    }
    body = view(files).ir["templates"]["pages/index/t.wxml#t"]["body"]
    assert body[0]["children"][0]["tag"] == "text"


def test_missing_imports_and_includes() -> None:
    source = '<import src="nope.wxml"/>\n<include src="/gone"/>\n<import src="../../../x"/>'
    assert errors(source) == [
        page("WXML_IMPORT_NOT_FOUND", "1:9"),
        page("WXML_IMPORT_NOT_FOUND", "2:10"),
        page("WXML_IMPORT_NOT_FOUND", "3:9"),
    ]
    assert errors("<import/>\n<include/>") == [
        page("WXML_SYNTAX", "1:1"),
        page("WXML_SYNTAX", "2:1"),
    ]


def test_references() -> None:
    files = {
        PAGE: (
            '<import src="/tpl/a"/>\n<include src="part"/>\n<wxs module="u" src="../../u.wxs"/>'
        ),
        "tpl/a.wxml": "",
        "pages/index/part.wxml": '<wxs module="p" src="p.wxs"/>',
        "pages/index/p.wxs": "module.exports = {}",
        "u.wxs": "module.exports = {}",
    }
    compiled = view(files)
    part = "pages/index/part.wxml"
    assert compiled.references == [
        Reference(kind="import", from_file=PAGE, target="tpl/a.wxml", line=1, column=9),
        Reference(kind="include", from_file=PAGE, target=part, line=2, column=10),
        Reference(kind="wxs", from_file=PAGE, target="u.wxs", line=3, column=17),
        Reference(kind="wxs", from_file=part, target="pages/index/p.wxs", line=1, column=17),
    ]
    assert list(compiled.wxs) == ["u.wxs"]


# -- wxs --------------------------------------------------------------------------------------


def test_wxs_modules() -> None:
    files = {
        PAGE: (
            "<view>{{fmt.up(name)}}</view>\n"
            '<wxs module="fmt">\n'
            "module.exports = {up: function (s) { return s.toUpperCase() }}\n"
            "</wxs>\n"
            '<wxs module="util" src="./util"/>'
        ),
        "pages/index/util.wxs": "module.exports = {}",
    }
    compiled = view(files)
    assert compiled.wxs == {
        f"{PAGE}#fmt": WxsSource(
            id=f"{PAGE}#fmt",
            file=PAGE,
            code="\nmodule.exports = {up: function (s) { return s.toUpperCase() }}\n",
            line=2,
            column=19,
        ),
        "pages/index/util.wxs": WxsSource(
            id="pages/index/util.wxs",
            file="pages/index/util.wxs",
            code="module.exports = {}",
            line=1,
            column=1,
        ),
    }
    assert compiled.ir["wxs"] == {PAGE: {"fmt": f"{PAGE}#fmt", "util": "pages/index/util.wxs"}}
    (text,) = compiled.ir["root"][0]["children"]
    assert text["v"] == x(["call", ["mem", ["wxs", "fmt"], ["lit", "up"]], [ident("name")]])


def test_wxs_errors() -> None:
    files = {
        PAGE: (
            '<wxs src="a.wxs"/>\n'
            '<wxs module="1x">module.exports = 1</wxs>\n'
            '<wxs module="m" src="a.wxs">module.exports = 1</wxs>\n'
            '<wxs module="n"/>\n'
            '<wxs module="o">  </wxs>\n'
            '<wxs module="p" src="missing.wxs"/>\n'
            '<wxs module="q">module.exports = 1</wxs>\n'
            '<wxs module="q" src="a.wxs"/>'
        ),
        "pages/index/a.wxs": "module.exports = {}",
    }
    assert errors(files) == [
        page("WXML_WXS_INVALID", "1:1"),
        page("WXML_WXS_INVALID", "2:6"),
        page("WXML_WXS_INVALID", "3:1"),
        page("WXML_WXS_INVALID", "4:1"),
        page("WXML_WXS_INVALID", "5:1"),
        page("WXML_WXS_NOT_FOUND", "6:17"),
        page("WXML_WXS_DUPLICATE_MODULE", "8:6"),
    ]


# -- slots ------------------------------------------------------------------------------------


def test_slots_and_slot_assignment() -> None:
    compiled = view(
        '<view><slot/><slot name="footer"/><slot name="{{n}}"/></view>'
        '<my-list><view slot="header"/><block slot="footer"><text/></block></my-list>'
    )
    component, host = compiled.ir["root"]
    assert component["children"] == [
        {"k": "slot", "line": 1},
        {"k": "slot", "line": 1, "name": "footer"},
        {"k": "slot", "line": 1, "name": x(ident("n"))},
    ]
    header, footer = host["children"]
    assert header["attrs"] == {"slot": "header"}
    assert footer == {"k": "block", "line": 1, "slot": "footer", "children": [el("text")]}
    assert compiled.tags == {"view", "my-list", "text"}


# -- expression errors in context -------------------------------------------------------------


def test_expression_errors_have_file_positions() -> None:
    files = {
        PAGE: '<view a="{{ a = 1 }}">\n  {{ f(x) }}\n  {{ a + }}</view>\n<include src="p"/>',
        "pages/index/p.wxml": "<text>\n\n    {{ new Date() }}</text>",
    }
    assert errors(files) == [
        page("WXML_UNSUPPORTED_EXPRESSION", "1:15"),
        page("WXML_UNSUPPORTED_EXPRESSION", "2:6"),
        page("WXML_EXPRESSION_SYNTAX", "3:10"),
        at("WXML_UNSUPPORTED_EXPRESSION", "pages/index/p.wxml:3:8"),
    ]


def test_parse_errors_of_imported_files_fail_the_view() -> None:
    files = {
        PAGE: '<import src="t"/>',
        "pages/index/t.wxml": "<template name='t'><view></template>",
    }
    assert errors(files) == [at("WXML_UNCLOSED_TAG", "pages/index/t.wxml:1:20")]


def test_every_wxml_parser_error_fails_the_view() -> None:
    assert errors("<view>\n  {{ a\n</view>") == [page("WXML_UNTERMINATED_BINDING", "2:3")]
    assert errors("</view>") == [page("WXML_UNEXPECTED_CLOSE_TAG", "1:1")]


def test_unreadable_and_missing_files() -> None:
    diagnostics = Diagnostics()
    tree = SourceTree({PAGE: b'<import src="t"/>', "pages/index/t.wxml": b"\xff\xfe"})
    assert compile_view(tree, PAGE, diagnostics) is None
    assert diagnostics.codes() == ["TEXT_NOT_UTF8"]
    # the file's text is cached by the tree: a second view still fails
    assert compile_view(tree, PAGE, Diagnostics()) is None
    compiled, found = build({}, "pages/none.wxml")
    assert compiled is None
    assert found == [at("WXML_IMPORT_NOT_FOUND", "pages/none.wxml:0:0")]


def test_nesting_limit() -> None:
    deep = "<view>" * MAX_NESTING + "</view>" * MAX_NESTING
    assert len(json.dumps(view(deep).ir)) > 0
    too_deep = "<view>" * (MAX_NESTING + 1) + "</view>" * (MAX_NESTING + 1)
    assert errors(too_deep) == [page("WXML_SYNTAX", f"1:{MAX_NESTING * 6 + 1}")]
    assert errors("<view>" * 5000 + "</view>" * 5000) == [
        page("WXML_SYNTAX", f"1:{MAX_NESTING * 6 + 1}")
    ]


def test_the_deepest_ir_still_encodes_as_json() -> None:
    brackets = "[" * 48 + "a" + "]" * 48
    level = f'<view wx:for="{{{{l}}}}" wx:if="{{{{{brackets}}}}}" data-x="{{{{{brackets}}}}}">'
    # the include's content is one level deeper still: the text is at MAX_NESTING
    source = level * (MAX_NESTING - 2) + "<include src='x'/>" + "</view>" * (MAX_NESTING - 2)
    compiled = view({PAGE: source, "pages/index/x.wxml": f"<text>{{{{{brackets}}}}}</text>"})
    json.dumps(compiled.ir, ensure_ascii=False, sort_keys=True)


# -- the whole IR -----------------------------------------------------------------------------


GOLDEN_PAGE = """<import src="/templates/item.wxml"/>
<wxs module="fmt" src="../../utils/fmt.wxs"/>
<view class="page" bind:tap="onTap">
  <block wx:for="{{items}}" wx:key="id">
    <template is="item" wx:if="{{item.visible}}" data="{{...item, price: fmt.money(item.cents)}}"/>
  </block>
  <input model:value="{{query}}" bindinput="onInput"/>
  <text wx:if="{{loading}}">Loading…</text>
  <text wx:else>{{items.length}} items</text>
</view>
"""

GOLDEN_IR = {
    "file": PAGE,
    "root": [
        {
            "k": "el",
            "tag": "view",
            "line": 3,
            "attrs": {"class": "page"},
            "events": [["tap", "bind", "onTap"]],
            "children": [
                {
                    "k": "for",
                    "line": 4,
                    "list": ["x", ["id", "items"]],
                    "item": "item",
                    "index": "index",
                    "key": "id",
                    "children": [
                        {
                            "k": "if",
                            "line": 5,
                            "branches": [
                                [
                                    ["x", ["mem", ["id", "item"], ["lit", "visible"]]],
                                    [
                                        {
                                            "k": "tpl",
                                            "line": 5,
                                            "id": "templates/item.wxml#item",
                                            "data": [
                                                "obj",
                                                [
                                                    [None, ["id", "item"]],
                                                    [
                                                        "price",
                                                        [
                                                            "call",
                                                            [
                                                                "mem",
                                                                ["wxs", "fmt"],
                                                                ["lit", "money"],
                                                            ],
                                                            [
                                                                [
                                                                    "mem",
                                                                    ["id", "item"],
                                                                    ["lit", "cents"],
                                                                ]
                                                            ],
                                                        ],
                                                    ],
                                                ],
                                            ],
                                        }
                                    ],
                                ]
                            ],
                        }
                    ],
                },
                {
                    "k": "el",
                    "tag": "input",
                    "line": 7,
                    "events": [["input", "bind", "onInput"]],
                    "model": {"value": ["id", "query"]},
                },
                {
                    "k": "if",
                    "line": 8,
                    "branches": [
                        [
                            ["x", ["id", "loading"]],
                            [{"k": "el", "tag": "text", "line": 8, "children": ["Loading…"]}],
                        ],
                        [
                            None,
                            [
                                {
                                    "k": "el",
                                    "tag": "text",
                                    "line": 9,
                                    "children": [
                                        {
                                            "k": "text",
                                            "v": [
                                                "cat",
                                                [
                                                    ["mem", ["id", "items"], ["lit", "length"]],
                                                    " items",
                                                ],
                                            ],
                                        }
                                    ],
                                }
                            ],
                        ],
                    ],
                },
            ],
        }
    ],
    "templates": {
        "templates/item.wxml#item": {
            "file": "templates/item.wxml",
            "name": "item",
            "line": 1,
            "body": [
                {
                    "k": "el",
                    "tag": "view",
                    "line": 1,
                    "attrs": {"class": "item"},
                    "children": [
                        {"k": "text", "v": ["cat", [["id", "name"], ": ", ["id", "price"]]]}
                    ],
                }
            ],
        }
    },
    "templateScopes": {
        PAGE: {"item": "templates/item.wxml#item"},
        "templates/item.wxml": {"item": "templates/item.wxml#item"},
    },
    "wxs": {PAGE: {"fmt": "utils/fmt.wxs"}, "templates/item.wxml": {}},
}


def test_golden_ir() -> None:
    files = {
        PAGE: GOLDEN_PAGE,
        "templates/item.wxml": (
            '<template name="item"><view class="item">{{name}}: {{price}}</view></template>'
        ),
        "utils/fmt.wxs": "module.exports = {money: function (c) { return (c / 100).toFixed(2) }}",
    }
    compiled = view(files)
    assert compiled.ir == GOLDEN_IR
    assert compiled.tags == {"view", "input", "text"}
    # deterministic: the same sources give the same bytes
    again = view(files)
    assert json.dumps(again.ir, sort_keys=True) == json.dumps(compiled.ir, sort_keys=True)


# -- properties -------------------------------------------------------------------------------

_FRAGMENTS = [
    "<view",
    "<text",
    "<block",
    "<slot",
    "<my-comp",
    ">",
    "/>",
    "</view>",
    "</text>",
    "</block>",
    ' wx:if="{{a}}"',
    ' wx:elif="{{b}}"',
    " wx:else",
    ' wx:for="{{l}}"',
    ' wx:key="id"',
    ' wx:for-item="it"',
    " wx:bogus",
    ' bind:tap="go"',
    ' catchtap="{{m.f}}"',
    ' model:value="{{v.w}}"',
    ' model:value="{{v + 1}}"',
    ' data-x="{{it}}"',
    ' mark:k="1"',
    ' slot="s"',
    ' name="n"',
    ' class="a {{b}}"',
    " hidden",
    '<template name="t">',
    "</template>",
    '<template is="t" data="{{...it}}"/>',
    '<template is="{{n}}"/>',
    '<template is="missing"/>',
    '<include src="b"/>',
    '<include src="a"/>',
    '<import src="b"/>',
    '<wxs module="m">module.exports = {}</wxs>',
    '<wxs module="m"/>',
    '<wxs module="s" src="c.wxs"/>',
    "{{m.f(1)}}",
    "{{f(1)}}",
    "{{a ?? b}}",
    "{{ {k: 1} }}",
    "{{",
    "}}",
    "text",
    " ",
    "\n",
    "<!-- c -->",
    "&amp;",
    "'",
    '"',
    "=",
]

soups = st.lists(st.sampled_from(_FRAGMENTS), max_size=30).map("".join)


def _compile_never_raises(files: dict[str, str], path: str) -> None:
    compiled, found = build(files, path)
    assert not any(entry.startswith("INTERNAL_ERROR") for entry in found)
    assert all(entry.split()[0] in CODES for entry in found)
    if compiled is None:
        assert found != []
        return
    encoded = json.dumps(compiled.ir, ensure_ascii=False, sort_keys=True)
    encoded.encode("utf-8")
    again, _ = build(files, path)
    assert again is not None
    assert json.dumps(again.ir, ensure_ascii=False, sort_keys=True) == encoded


@FUZZ
@given(soups, soups)
def test_structured_wxml_never_raises(page: str, other: str) -> None:
    files = {"a.wxml": page, "b.wxml": other, "c.wxs": "module.exports = {}"}
    _compile_never_raises(files, "a.wxml")


@FUZZ
@given(st.text(max_size=120))
def test_arbitrary_text_never_raises(text: str) -> None:
    _compile_never_raises({"a.wxml": text}, "a.wxml")
