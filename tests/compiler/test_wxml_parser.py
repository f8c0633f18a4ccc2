"""The WXML tokenizer/parser: structure, positions, bindings, entities, and error recovery."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from miniapp.compiler.diagnostics import CODES, Diagnostics
from miniapp.compiler.wxml_parser import (
    Attribute,
    Binding,
    Comment,
    Document,
    Element,
    Node,
    Text,
    parse_wxml,
    scan_binding,
)

# Modest and derandomized: the same examples on every run, and no example database.
FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None)


def parse(text: str) -> tuple[Document, list[str]]:
    diagnostics = Diagnostics()
    doc = parse_wxml(text, "p.wxml", diagnostics)
    return doc, [f"{d.code} {d.line}:{d.column}" for d in diagnostics.sorted()]


def at(code: str, position: str) -> str:
    return f"{code} {position}"


def ok(text: str) -> Document:
    doc, errors = parse(text)
    assert errors == []
    return doc


def parts(doc: Document, value: list[Any] | None) -> Any:
    """Parts with bindings shown as "{{source}}"."""
    if value is None:
        return None
    return [p if isinstance(p, str) else "{{" + doc.text[p.start : p.end] + "}}" for p in value]


def element(node: Node) -> Element:
    assert isinstance(node, Element)
    return node


def attrs(doc: Document, node: Node) -> dict[str, Any]:
    return {a.name: parts(doc, a.parts) for a in element(node).attributes}


# -- structure --------------------------------------------------------------------------------


def test_elements_text_and_comments() -> None:
    doc = ok("<view>\n  <text>hi</text>\n  <!-- note -->\n</view>")
    (view,) = doc.children
    view = element(view)
    assert (view.tag, view.line, view.column) == ("view", 1, 1)
    text, comment = view.children
    text = element(text)
    assert (text.tag, text.line, text.column) == ("text", 2, 3)
    assert isinstance(text.children[0], Text)
    assert text.children[0].parts == ["hi"]
    assert isinstance(comment, Comment)
    assert (comment.text, comment.line, comment.column) == (" note ", 3, 3)


def test_self_closing_any_tag_and_custom_names() -> None:
    doc = ok('<my-card a="1"/><x.y/><ns:tag/><view/>')
    assert [element(n).tag for n in doc.children] == ["my-card", "x.y", "ns:tag", "view"]
    assert all(element(n).children == [] for n in doc.children)


def test_whitespace_only_text_is_dropped_other_text_kept() -> None:
    doc = ok("<view>\n   \n</view><view> a b </view><text>&nbsp;</text>")
    assert element(doc.children[0]).children == []
    assert element(doc.children[1]).children[0] == Text([" a b "], 3, 14)
    assert element(doc.children[2]).children[0] == Text(["\xa0"], 3, 32)


def test_less_than_not_starting_a_tag_is_text() -> None:
    doc = ok("<text>a < b, 1<2, <3</text>")
    assert element(doc.children[0]).children[0] == Text(["a < b, 1<2, <3"], 1, 7)


def test_closing_tags_match_case_insensitively() -> None:
    doc = ok("<View></view>")
    assert element(doc.children[0]).tag == "View"


def test_depth_and_attribute_lookup() -> None:
    doc = ok('<a><b x="1" x="2"><c/></b></a>')
    b = element(element(doc.children[0]).children[0])
    assert b.depth == 2
    assert element(b.children[0]).depth == 3
    x = b.attribute("x")
    assert x is not None
    assert x.parts == ["1"]  # the first of duplicates
    assert b.attribute("y") is None


# -- attributes -------------------------------------------------------------------------------


def test_attribute_names_of_every_kind() -> None:
    names = [
        "bind:tap",
        "bindtap",
        "catch:touchstart",
        "capture-bind:tap",
        "capture-catch:tap",
        "mut-bind:tap",
        "wx:for",
        "wx:for-item",
        "model:value",
        "data-foo-bar",
        "mark:x",
        "generic:selectable",
        "change:prop",
        "class",
        "style",
        "id",
    ]
    source = "<view " + " ".join(f'{name}="v"' for name in names) + "/>"
    doc = ok(source)
    assert list(attrs(doc, doc.children[0])) == names


def test_attribute_quoting_styles() -> None:
    doc = ok("""<view a="double" b='single' c=bare d={{x + 1}} e="" f hidden/>""")
    assert attrs(doc, doc.children[0]) == {
        "a": ["double"],
        "b": ["single"],
        "c": ["bare"],
        "d": ["{{x + 1}}"],
        "e": [],
        "f": None,
        "hidden": None,
    }


def test_attribute_values_split_into_bindings() -> None:
    doc = ok('<view class="a {{b}} c{{d}}" style="{{s}}" title=" {{t}} "/>')
    assert attrs(doc, doc.children[0]) == {
        "class": ["a ", "{{b}}", " c", "{{d}}"],
        "style": ["{{s}}"],
        "title": [" ", "{{t}}", " "],
    }


def test_binding_ends_at_the_closing_braces_outside_strings_and_nesting() -> None:
    source = """<view a="{{ '}}' + x }}" b="{{ {k: {v: 1}} }}" c="{{ ok ? "yes" : "no" }}"/>"""
    doc = ok(source)
    assert attrs(doc, doc.children[0]) == {
        "a": ["{{ '}}' + x }}"],
        "b": ["{{ {k: {v: 1}} }}"],
        "c": ['{{ ok ? "yes" : "no" }}'],
    }


def test_attribute_positions_and_raw_text() -> None:
    doc = ok('<view\n  a="1"\n    b="{{x}}&amp;" c/>')
    a, b, c = element(doc.children[0]).attributes
    assert (a.line, a.column, a.raw) == (2, 3, "1")
    assert (b.line, b.column, b.raw) == (3, 5, "{{x}}&amp;")
    assert (c.line, c.column, c.raw) == (3, 20, None)
    assert parts(doc, b.parts) == ["{{x}}", "&"]


def test_spacing_around_equals_and_missing_spaces() -> None:
    doc = ok('<view a = "1" b="2"c="3"/>')
    assert attrs(doc, doc.children[0]) == {"a": ["1"], "b": ["2"], "c": ["3"]}


# -- text and entities ------------------------------------------------------------------------


def test_text_bindings() -> None:
    doc = ok("<view>Hello {{ name }}, {{ '}}' }}!</view>")
    (text,) = element(doc.children[0]).children
    assert isinstance(text, Text)
    assert parts(doc, text.parts) == ["Hello ", "{{ name }}", ", ", "{{ '}}' }}", "!"]
    binding = text.parts[1]
    assert isinstance(binding, Binding)
    assert doc.text[binding.start : binding.end] == " name "


def test_binding_may_contain_angle_brackets() -> None:
    doc = ok("<view>{{a<b}}{{a > b ? '<x>' : ''}}</view>")
    (text,) = element(doc.children[0]).children
    assert isinstance(text, Text)
    assert parts(doc, text.parts) == ["{{a<b}}", "{{a > b ? '<x>' : ''}}"]


@pytest.mark.parametrize(
    ("source", "decoded"),
    [
        ("&amp;&lt;&gt;&quot;&apos;", "&<>\"'"),
        ("&nbsp;&copy;&hellip;", "\xa0©…"),
        ("&#65;&#x42;&#X43;", "ABC"),
        ("a & b &foo; &amp", "a & b &foo; &amp"),
        ("/page?a=1&b=2", "/page?a=1&b=2"),
    ],
)
def test_entities(source: str, decoded: str) -> None:
    doc = ok(f'<text title="{source}">{source}</text>')
    text = element(doc.children[0])
    assert attrs(doc, text) == {"title": [decoded]}
    assert text.children[0] == Text([decoded], 1, 16 + len(source))


def test_entities_are_not_decoded_inside_bindings() -> None:
    doc = ok("<text>{{ a &amp;&amp; b }}</text>")
    (text,) = element(doc.children[0]).children
    assert parts(doc, text.parts) == ["{{ a &amp;&amp; b }}"]  # type: ignore[union-attr]


def test_wxs_bodies_are_raw() -> None:
    source = '<wxs module="m">\nvar s = "<view>{{"; // </wx\nmodule.exports = {};\n</wxs><view/>'
    doc = ok(source)
    wxs, view = doc.children
    wxs = element(wxs)
    assert wxs.children == []
    assert wxs.body == '\nvar s = "<view>{{"; // </wx\nmodule.exports = {};\n'
    assert (wxs.body_line, wxs.body_column) == (1, 17)
    assert element(view).tag == "view"
    assert element(ok('<wxs module="m" src="./a.wxs"/>').children[0]).body is None


def test_scan_binding() -> None:
    assert scan_binding("a}}", 0) == 1
    assert scan_binding("'}}'}}", 0) == 4
    assert scan_binding("{a:{b:1}}}}", 0) == 9
    assert scan_binding("a", 0) == -1
    assert scan_binding("a}b", 0) == -1  # a stray } gives up rather than run on
    assert scan_binding("'abc\n'}}", 0) == -1  # strings do not span lines
    assert scan_binding("`a\n}}`}}", 0) == 6  # template strings do (refused later)
    assert scan_binding("a}}", 0, 2) == -1


# -- errors -----------------------------------------------------------------------------------


def test_unclosed_tags() -> None:
    _, errors = parse("<view>\n  <text>hi\n</view>\n<block>")
    assert errors == [at("WXML_UNCLOSED_TAG", "2:3"), at("WXML_UNCLOSED_TAG", "4:1")]


def test_unexpected_close_tag() -> None:
    doc, errors = parse("<view></text></view>\n</view>")
    assert errors == [
        at("WXML_UNEXPECTED_CLOSE_TAG", "1:7"),
        at("WXML_UNEXPECTED_CLOSE_TAG", "2:1"),
    ]
    assert len(doc.children) == 1


def test_unterminated_bindings() -> None:
    _, errors = parse('<view a="{{x}" b="{{y">\n  {{ z\n</view>\n<x c={{w/>')
    assert errors == [
        at("WXML_UNTERMINATED_BINDING", "1:10"),
        at("WXML_UNTERMINATED_BINDING", "1:19"),
        at("WXML_UNTERMINATED_BINDING", "2:3"),
        at("WXML_UNTERMINATED_BINDING", "4:6"),
    ]


def test_unterminated_binding_keeps_the_rest_of_the_document() -> None:
    doc, errors = parse("<view>{{a</view><text>ok</text>")
    assert errors == [at("WXML_UNTERMINATED_BINDING", "1:7")]
    assert [element(n).tag for n in doc.children] == ["view", "text"]
    assert element(doc.children[0]).children[0] == Text(["{{a"], 1, 7)


@pytest.mark.parametrize(
    ("source", "position"),
    [
        ("<view", "1:1"),
        ('<view a="1', "1:9"),
        ("<view a=>", "1:9"),
        ("<view @>", "1:7"),
        ("<view / >", "1:7"),
        ("<view <text/>", "1:7"),
        ("<!DOCTYPE html>", "1:1"),
        ("<?xml version='1.0'?>", "1:1"),
        ("<!-- open", "1:1"),
        ("</ view>", "1:1"),
        ("<text>&#0;</text>", "1:7"),
        ("<text>&#x110000;</text>", "1:7"),
        ('<x a="&#xD800;"/>', "1:7"),
    ],
)
def test_syntax_errors(source: str, position: str) -> None:
    _, errors = parse(source)
    assert at("WXML_SYNTAX", position) in errors


def test_several_errors_are_reported_at_once() -> None:
    _, errors = parse("<view>\n<a></b>\n<c a=>\n{{x\n</view>")
    assert errors == [
        at("WXML_UNCLOSED_TAG", "2:1"),
        at("WXML_UNEXPECTED_CLOSE_TAG", "2:4"),
        at("WXML_UNCLOSED_TAG", "3:1"),
        at("WXML_SYNTAX", "3:6"),
        at("WXML_UNTERMINATED_BINDING", "4:1"),
    ]


# -- properties -------------------------------------------------------------------------------

WXML_CODES = {code for code in CODES if code.startswith("WXML_")}


def _check(text: str) -> Document:
    diagnostics = Diagnostics()
    doc = parse_wxml(text, "p.wxml", diagnostics)
    for diagnostic in diagnostics.items:
        assert diagnostic.code in WXML_CODES
        assert diagnostic.line >= 1
        assert diagnostic.column >= 1
    pending: list[Node] = list(doc.children)
    while pending:
        node = pending.pop()
        assert node.line >= 1
        assert node.column >= 1
        if isinstance(node, Element):
            pending.extend(node.children)
            for attribute in node.attributes:
                assert isinstance(attribute, Attribute)
                assert attribute.line >= 1
                assert attribute.column >= 1
                for part in attribute.parts or []:
                    if isinstance(part, Binding):
                        assert 0 <= part.start <= part.end <= len(text)
    assert doc.elements == _preorder(doc.children)
    return doc


def _preorder(nodes: list[Node]) -> list[Element]:
    """Every element under `nodes`, in document order (a walk of the tree)."""
    found: list[Element] = []
    for node in nodes:
        if isinstance(node, Element):
            found.append(node)
            found.extend(_preorder(node.children))
    return found


def test_elements_lists_every_element_in_document_order() -> None:
    doc = ok('<a><b/><c><d>x</d></c></a><e/><wxs module="m">var a = "<f/>"</wxs>')
    assert [e.tag for e in doc.elements] == ["a", "b", "c", "d", "e", "wxs"]


@FUZZ
@given(st.text(max_size=200))
def test_arbitrary_text_never_raises(text: str) -> None:
    _check(text)


_FRAGMENTS = [
    "<view",
    "<text",
    '<wxs module="m">',
    "</wxs>",
    "<block",
    '<template name="t">',
    "</template>",
    '<template is="t"',
    ">",
    "/>",
    "</view>",
    "</text>",
    "</block>",
    " ",
    "\n",
    "a",
    "{{",
    "}}",
    "{",
    "}",
    "'",
    '"',
    "=",
    ' wx:if="{{a}}"',
    ' class="x {{y}}"',
    " hidden",
    ' bind:tap="go"',
    "<!--",
    "-->",
    "&amp;",
    "&#12;",
    "&",
    "<",
    "</",
    "<!x>",
    "`",
    "\\",
    ' data="{{...o}}"',
    "{{ '}}' }}",
    " a={{b}}",
    "<?",
    "&#x110000;",
]


@FUZZ
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map("".join))
def test_structured_soup_never_raises(text: str) -> None:
    _check(text)


@FUZZ
@given(st.lists(st.sampled_from(["view", "text", "block"]), max_size=12))
def test_well_formed_nesting_parses_cleanly(tags: list[str]) -> None:
    text = "".join(f'<{t} class="c{{{{i}}}}">x' for t in tags) + "".join(
        f"</{t}>" for t in reversed(tags)
    )
    doc = ok(text)
    node: list[Node] = doc.children
    for tag in tags:
        current = element(node[0])
        assert current.tag == tag
        node = current.children[1:]
