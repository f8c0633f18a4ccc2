"""WXSS → CSS: rpx, @import, built-in tag selectors, component scoping, and every WXSS_* error."""

from __future__ import annotations

import pytest
import tinycss2  # type: ignore[import-untyped]
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from miniapp.compiler import wxss
from miniapp.compiler.diagnostics import Diagnostics
from miniapp.compiler.sources import SourceTree
from miniapp.compiler.wxss import MAX_NESTING, CompiledStyle, compile_wxss

Found = list[tuple[str, str, int, int]]


def run(
    files: dict[str, str | bytes], path: str = "a.wxss", *, scope: str | None = None
) -> tuple[CompiledStyle | None, Found]:
    tree = SourceTree(
        {name: text.encode() if isinstance(text, str) else text for name, text in files.items()}
    )
    diagnostics = Diagnostics()
    style = compile_wxss(tree, path, diagnostics, scope=scope)
    found = [(d.code, d.file, d.line, d.column) for d in diagnostics.sorted()]
    return style, found


def css(source: str, *, scope: str | None = None) -> str:
    style, found = run({"a.wxss": source}, scope=scope)
    assert found == []
    assert style is not None
    return style.css


def rpx(number: str) -> str:
    return f"calc({number} * 100vw / 750)"


# -- rpx -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("100rpx", rpx("100")),
        ("-2.5rpx", rpx("-2.5")),
        (".5rpx", rpx(".5")),
        ("+3rpx", rpx("+3")),
        ("1e1rpx", rpx("1e1")),
        ("0rpx", rpx("0")),
        ("4RPX", rpx("4")),  # units are case-insensitive
        ("calc(100% - 20rpx)", f"calc(100% - {rpx('20')})"),
        (
            "translate(10rpx, -10rpx) rotate(3deg)",
            f"translate({rpx('10')}, {rpx('-10')}) rotate(3deg)",
        ),
        ("10rpx 20rpx 0 auto", f"{rpx('10')} {rpx('20')} 0 auto"),
        ("max(1px, min(2rpx, 3vw))", f"max(1px, min({rpx('2')}, 3vw))"),
        ("1px solid #eee", "1px solid #eee"),  # untouched without rpx
    ],
)
def test_rpx_in_any_declaration_value(value: str, expected: str) -> None:
    assert css(f".a {{ margin: {value} }}") == f".a{{margin:{expected}}}\n"


def test_rpx_is_converted_in_important_and_custom_properties_but_not_elsewhere() -> None:
    out = css(
        "@media (min-width: 300rpx) { .a { width: 10rpx !important; --gap: 8rpx } }\n"
        '.b { content: "10rpx"; background: url(10rpx.png) }\n'
    )
    assert out == (
        "@media (min-width: 300rpx){\n"  # a media query keeps rpx: it has no meaning there
        f".a{{width:{rpx('10')}!important;--gap:{rpx('8')}}}\n"
        "}\n"
        '.b{content:"10rpx";background:url(10rpx.png)}\n'
    )


def test_rpx_inside_keyframes_and_font_face() -> None:
    out = css("@keyframes move { from { left: 0rpx } 50.5% { left: 5rpx } to { left: 10rpx } }")
    assert out == (
        "@keyframes move{\n"
        f"from{{left:{rpx('0')}}}\n50.5%{{left:{rpx('5')}}}\nto{{left:{rpx('10')}}}\n"
        "}\n"
    )


# -- pass-through ----------------------------------------------------------------------------------


def test_everything_else_is_kept() -> None:
    out = css(
        "/* a comment */\n"
        ".a { display: -webkit-box; -webkit-line-clamp: 2; color: var(--c, red) !important }\n"
        "@supports (display: grid) { .g { display: grid } }\n"
        "@font-face { font-family: 'x'; src: url('https://cdn.example.com/x.woff') }\n"
        "@-webkit-keyframes spin { to { transform: rotate(360deg) } }\n"
        "@layer base, theme;\n"
        "@unknown-rule something { anything: goes }\n"
    )
    assert out == (
        ".a{display:-webkit-box;-webkit-line-clamp:2;color:var(--c, red)!important}\n"
        "@supports (display: grid){\n.g{display:grid}\n}\n"
        # tinycss2 writes every string with double quotes
        '@font-face{font-family:"x";src:url("https://cdn.example.com/x.woff")}\n'
        "@-webkit-keyframes spin{\nto{transform:rotate(360deg)}\n}\n"
        "@layer base, theme;\n"
        "@unknown-rule something{ anything: goes }\n"
    )


def test_output_is_valid_css() -> None:
    out = css(".a { margin: 10rpx } view { color: red } @media screen { page { x: 1rpx } }")
    assert not [node for node in tinycss2.parse_stylesheet(out) if node.type == "error"]


def test_page_margin_boxes_and_font_feature_values_keep_their_nested_blocks() -> None:
    out = css(
        "@page :first { margin: 10rpx; @top-left { content: 'x' } }\n"
        "@font-feature-values Font One { @styleset { nice-style: 12 } }\n"
    )
    assert out == (
        f'@page :first{{margin:{rpx("10")};@top-left{{content:"x"}}}}\n'
        "@font-feature-values Font One{@styleset{nice-style:12}}\n"
    )


# -- built-in tags ---------------------------------------------------------------------------------


def test_builtin_tags_and_page_become_runtime_element_names() -> None:
    out = css(
        "page { background: #f8f8f8 }\n"
        "view, scroll-view > text + image ~ button {}\n"
        "VIEW:first-child::after {}\n"
        "my-card view {}\n"
    )
    assert out == (
        "wx-page{background:#f8f8f8}\n"
        "wx-view, wx-scroll-view > wx-text + wx-image ~ wx-button{}\n"
        "wx-view:first-child::after{}\n"
        "my-card wx-view{}\n"  # a custom component tag is left alone
    )


def test_tag_names_are_only_rewritten_in_type_selector_position() -> None:
    out = css(
        ".view #view [class=view] [data-x~='text'] .a:not(view):is(.b, text) {}\n"
        "@keyframes view { from { text: 1 } to { page: 2 } }\n"
        ".x { animation: view 1s; view: 1 }\n"
        "view|a, ns|view {}\n"  # a namespace prefix is not a tag; after "|" it is one
    )
    assert out == (
        '.view #view [class=view] [data-x~="text"] .a:not(wx-view):is(.b, wx-text){}\n'
        "@keyframes view{\nfrom{text:1}\nto{page:2}\n}\n"
        ".x{animation:view 1s;view:1}\n"
        "view|a, ns|wx-view{}\n"
    )


# -- component scope -------------------------------------------------------------------------------

SCOPE = "components-card-card"


def test_scope_prefixes_every_class_and_rewrites_host() -> None:
    out = css(
        ":host { display: block }\n"
        ":host(.active) .title, .a.b > .c:not(.d) {}\n"
        ":host(view.x) {}\n"
        ".e::after, #id[class=f] {}\n"
        "@media (max-width: 100px) { .m { x: 1 } }\n",
        scope=SCOPE,
    )
    assert out == (
        f".{SCOPE}--host{{display:block}}\n"
        f".{SCOPE}--host.{SCOPE}--active .{SCOPE}--title, "
        f".{SCOPE}--a.{SCOPE}--b > .{SCOPE}--c:not(.{SCOPE}--d){{}}\n"
        f"wx-view.{SCOPE}--host.{SCOPE}--x{{}}\n"
        f".{SCOPE}--e::after, #id[class=f]{{}}\n"
        f"@media (max-width: 100px){{\n.{SCOPE}--m{{x:1}}\n}}\n"
    )


def test_without_scope_classes_and_host_are_unchanged() -> None:
    assert css(".a :host .b {}") == ".a :host .b{}\n"


def test_scope_applies_to_imported_files_too() -> None:
    style, found = run({"a.wxss": '@import "b";', "b.wxss": ".b {}"}, scope="s")
    assert found == []
    assert style is not None
    assert style.css == ".s--b{}\n"


def test_nth_child_of_selector_is_scoped_but_the_formula_is_kept() -> None:
    out = css(".x:nth-child(odd of .y) {}", scope="s")
    assert out == ".s--x:nth-child(odd of .s--y){}\n"


# -- @import ---------------------------------------------------------------------------------------


def test_imports_are_inlined_in_place_once_each() -> None:
    files = {
        "pages/index/index.wxss": (
            '@import "../../styles/base.wxss";\n'
            ".page { x: 1 }\n"
            "@import 'common';\n"
            "@import url(/styles/base.wxss);\n"  # already inlined: not again
            '@import url("common.wxss");\n'
        ),
        "pages/index/common.wxss": "@import '/styles/base';\n.common { y: 2 }\n",
        "styles/base.wxss": ".base { z: 3 }\n",
    }
    style, found = run(files, "pages/index/index.wxss")
    assert found == []
    assert style is not None
    assert style.css == ".base{z:3}\n.page{x:1}\n.common{y:2}\n"
    assert style.files == ["pages/index/index.wxss", "styles/base.wxss", "pages/index/common.wxss"]


def test_missing_import() -> None:
    style, found = run({"a.wxss": '.a {}\n  @import "nope.wxss";\n@import "../../out";'})
    assert style is None
    assert found == [
        ("WXSS_IMPORT_NOT_FOUND", "a.wxss", 2, 3),
        ("WXSS_IMPORT_NOT_FOUND", "a.wxss", 3, 1),
    ]


def test_remote_import_is_not_a_package_file() -> None:
    _, found = run({"a.wxss": "@import url(https://cdn.example.com/x.css);"})
    assert found == [("WXSS_IMPORT_NOT_FOUND", "a.wxss", 1, 1)]


def test_import_cycle_is_reported_where_it_closes() -> None:
    files = {"a.wxss": '@import "b";', "b.wxss": '.b {}\n@import "c";', "c.wxss": '@import "a";'}
    style, found = run(files)
    assert style is None
    assert found == [("WXSS_IMPORT_CYCLE", "c.wxss", 1, 1)]


def test_a_file_importing_itself_is_a_cycle() -> None:
    _, found = run({"a.wxss": '\n @import "./a.wxss";'})
    assert found == [("WXSS_IMPORT_CYCLE", "a.wxss", 2, 2)]


def test_malformed_imports() -> None:
    _, found = run(
        {
            "a.wxss": (
                '@import;\n@import "b" screen;\n@import "b" { }\n@media screen { @import "b"; }\n'
            ),
            "b.wxss": "",
        }
    )
    assert found == [
        ("WXSS_SYNTAX", "a.wxss", 1, 1),
        ("WXSS_SYNTAX", "a.wxss", 2, 1),
        ("WXSS_SYNTAX", "a.wxss", 3, 1),
        ("WXSS_SYNTAX", "a.wxss", 4, 17),
    ]


# -- syntax errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "line", "column"),
    [
        (".a { color: red", 1, 4),  # unclosed block: at its "{"
        (".a { width: calc(1px + 2px }", 1, 13),  # ")" missing: "}" does not close "calc("
        (".a {}\n}\n.b {}", 2, 1),  # a "}" with nothing to close
        ('.a { content: "abc\n}', 1, 15),  # a line break inside quotes
        (".a { color red }", 1, 6),  # a declaration without ":"
        (".a { color: red; b { c: d } }", 1, 18),  # CSS nesting is not WXSS
        (".a {}\n.b", 2, 1),  # a selector without a block
        ("{ color: red }", 1, 1),  # a block without a selector
        (".a {} /* never closed", 1, 7),
        ("@media screen;", 1, 1),
        ("@keyframes { from {} }", 1, 1),
        ("@font-face;", 1, 1),
        (".a { @media screen { } }", 1, 6),
        ("@charset 'x' { }", 1, 1),
        (".a, .b; .c { }", 1, 1),
    ],
)
def test_syntax_errors_have_exact_positions(source: str, line: int, column: int) -> None:
    style, found = run({"a.wxss": source})
    assert style is None
    assert ("WXSS_SYNTAX", "a.wxss", line, column) in found
    assert {code for code, *_ in found} == {"WXSS_SYNTAX"}


def test_all_errors_are_reported_and_the_rest_still_compiles() -> None:
    source = (
        ".ok1 { margin: 1rpx }\n"
        ".bad1 { color red; }\n"
        '.bad2 { content: "x\n; }\n'
        ".ok2 { x: 1 }\n"
        "@import 'missing';\n"
        ".bad3 { y: 2\n"
    )
    style, found = run({"a.wxss": source})
    assert style is None
    assert found == [
        ("WXSS_SYNTAX", "a.wxss", 2, 9),
        ("WXSS_SYNTAX", "a.wxss", 3, 18),
        ("WXSS_IMPORT_NOT_FOUND", "a.wxss", 6, 1),
        ("WXSS_SYNTAX", "a.wxss", 7, 7),
    ]


def test_stray_semicolons_between_rules_are_harmless() -> None:
    assert css(".a {};\n.b {};;") == ".a{}\n.b{}\n"


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    source = ".a { x: " + "(" * (MAX_NESTING + 50) + ")" * (MAX_NESTING + 50) + " }"
    _, found = run({"a.wxss": source})
    assert [code for code, *_ in found] == ["WXSS_SYNTAX"]


def test_invalid_utf8_is_reported_once() -> None:
    style, found = run({"a.wxss": '@import "b";', "b.wxss": b".b { x: \xff }"})
    assert style is None
    assert found == [("TEXT_NOT_UTF8", "b.wxss", 1, 0)]


def test_a_path_outside_the_package_is_an_internal_error_not_an_exception() -> None:
    style, found = run({"a.wxss": ""}, "missing.wxss")
    assert style is None
    assert found == [("INTERNAL_ERROR", "missing.wxss", 0, 0)]


def test_positions_count_characters_not_bytes() -> None:
    _, found = run({"a.wxss": '.中文 { content: "中文" } }'})
    assert found == [("WXSS_SYNTAX", "a.wxss", 1, 23)]


# -- never raises ----------------------------------------------------------------------------------

CSS_PIECES = [
    *"{}()[];:,.#@!*>+~/\\\"' \n\t",
    "/*",
    "*/",
    "rpx",
    "10rpx",
    "-.5rpx",
    "view",
    "page",
    ":host",
    ":host(",
    ":not(",
    "@import",
    "@media",
    "@keyframes",
    "@font-face",
    "@charset",
    '"a"',
    "'b.wxss'",
    "url(",
    "calc(",
    "a",
    "b",
    "color",
    "!important",
    "--x",
    "50%",
    "from",
    "\\31",
    "\x00",
    "\r",
    "\f",
    "中",
]


@settings(
    derandomize=True,
    database=None,
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.one_of(
        st.text(),
        st.lists(st.sampled_from(CSS_PIECES), max_size=60).map("".join),
    ),
    st.sampled_from([None, "s"]),
)
def test_compile_never_raises(source: str, scope: str | None) -> None:
    files = {"a.wxss": source, "b.wxss": source, "x/c.wxss": '@import "../b.wxss";\n' + source}
    style, found = run(files, scope=scope)
    assert "INTERNAL_ERROR" not in {code for code, *_ in found}
    assert (style is None) == bool(found)
    if style is not None:  # whatever compiles is CSS a browser parses without errors
        tokens = tinycss2.parse_stylesheet(style.css)
        assert not [node for node in tokens if node.type == "error"]


@settings(derandomize=True, database=None, max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_compile_never_raises_on_bytes(data: bytes) -> None:
    _, found = run({"a.wxss": data})
    assert "INTERNAL_ERROR" not in {code for code, *_ in found}


# Pieces that exercise the fast serialisers' corner cases: tokens tinycss2 separates with "/**/",
# escapes, strings, urls, comments at every depth, rpx in and out of functions.
SERIALISE_PIECES = [
    *"abz09-_.,%#()[]/*+ e\\'\"!:é>~|=",
    "rpx",
    "RPX",
    "px",
    "e-",
    "/**/",
    "/* c */",
    "--",
    "calc(",
    "url(",
    ":not(",
    "\t",
    "\n",
]


@settings(derandomize=True, database=None, max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(SERIALISE_PIECES), max_size=16).map("".join))
def test_fast_serialisers_match_tinycss2(source: str) -> None:
    # The declaration and selector fast paths must write exactly what tinycss2 would.
    nodes = tinycss2.parse_component_value_list(source)
    assert wxss._serialize(nodes) == tinycss2.serialize(nodes)
    value = wxss._plain_value(nodes)
    if value is not None:
        assert value == tinycss2.serialize(wxss._significant(wxss._convert_values(nodes)))


def test_fast_value_serialiser_converts_rpx() -> None:
    # What tinycss2 writes for the converted tokens: no "/**/" is needed between two calc().
    nodes = tinycss2.parse_component_value_list(" 1rpx/**/2RPX calc(3rpx - 1px) /* x */ ")
    assert wxss._plain_value(nodes) == (
        "calc(1 * 100vw / 750)calc(2 * 100vw / 750) calc(calc(3 * 100vw / 750) - 1px)"
    )


@settings(derandomize=True, database=None, max_examples=2000, deadline=None)
@given(
    st.lists(
        st.sampled_from([*SERIALISE_PIECES, "a", ":", "!", "important", "IMPORTANT", "{x}", ";"]),
        max_size=12,
    ).map("".join)
)
def test_declaration_split_matches_tinycss2(source: str) -> None:
    tokens = wxss._significant(tinycss2.parse_component_value_list(source))
    if not tokens:
        return
    declaration = tinycss2.parse_one_declaration(tokens)
    split = wxss._split_declaration(tokens)
    if declaration.type != "declaration":
        assert split is None
    else:
        assert split == (declaration.name, declaration.value, declaration.important)
