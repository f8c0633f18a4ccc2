"""The {{ }} expression language: every supported form, every refusal, and round trips."""

from __future__ import annotations

import json
from typing import Any, Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from miniapp.compiler.expressions import (
    MAX_DEPTH,
    Expr,
    ExpressionError,
    _json_depth,
    format_expression,
    is_model_path,
    parse_expression,
)

# Modest and derandomized: the same examples on every run, and no example database.
FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None)


def parse(text: str, **kwargs: Any) -> Expr:
    return parse_expression(text, **kwargs)


def refusal(text: str, **kwargs: Any) -> tuple[str, int]:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text, **kwargs)
    return caught.value.code, caught.value.offset


# -- literals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0", 0),
        ("42", 42),
        ("1.5", 1.5),
        (".5", 0.5),
        ("5.", 5),
        ("2.0", 2),
        ("0x1F", 31),
        ("0XfF", 255),
        ("0o17", 15),
        ("0b101", 5),
        ("1e3", 1000),
        ("1.5E-3", 0.0015),
        ("2e+2", 200),
        ("9007199254740993", 9007199254740992.0),  # past 2**53: a double, like JavaScript
        ("1e300", 1e300),
    ],
)
def test_numbers_are_javascript_doubles(text: str, value: float) -> None:
    node = parse(text)
    assert node == ["lit", value]
    assert type(node[1]) is type(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('"double"', "double"),
        ("'single'", "single"),
        ("'it\\'s'", "it's"),
        ('"say \\"hi\\""', 'say "hi"'),
        ("'a\\nb\\tc\\rd\\be\\ff\\vg\\0'", "a\nb\tc\rd\be\ff\vg\0"),
        ("'\\x41\\u0042\\u{43}\\u{1F600}'", "ABC\U0001f600"),
        ("'\\ud83d\\ude00'", "\U0001f600"),  # an escaped surrogate pair is one character
        ("'\\ud83d'", "\ufffd"),  # a lone surrogate cannot be UTF-8
        ("'\\q\\\\'", "q\\"),
        ("'line \\\ncontinued'", "line continued"),
        ("'}}'", "}}"),
        ("'中文'", "中文"),
    ],
)
def test_strings_and_escapes(text: str, value: str) -> None:
    assert parse(text) == ["lit", value]


def test_keyword_literals() -> None:
    assert parse("true") == ["lit", True]
    assert parse("false") == ["lit", False]
    assert parse("null") == ["lit", None]
    assert parse("undefined") == ["undef"]


# -- names, members, operators ----------------------------------------------------------------


def test_names_and_wxs_modules() -> None:
    assert parse("item") == ["id", "item"]
    assert parse("$x_1") == ["id", "$x_1"]
    assert parse("名字") == ["id", "名字"]
    assert parse("m", wxs_modules={"m"}) == ["wxs", "m"]
    assert parse("m", wxs_modules={"other"}) == ["id", "m"]


def test_member_access() -> None:
    static = ["mem", ["id", "a"], ["lit", "b"]]
    assert parse("a.b") == static
    assert parse("a['b']") == static  # same AST: the runtime does not care how it was written
    assert parse("a . b") == static
    assert parse("a[0]") == ["mem", ["id", "a"], ["lit", 0]]
    assert parse("a[i + 1]") == ["mem", ["id", "a"], ["bin", "+", ["id", "i"], ["lit", 1]]]
    assert parse("a.class.for") == ["mem", ["mem", ["id", "a"], ["lit", "class"]], ["lit", "for"]]
    assert parse("list[0].items[1].name") == [
        "mem",
        ["mem", ["mem", ["mem", ["id", "list"], ["lit", 0]], ["lit", "items"]], ["lit", 1]],
        ["lit", "name"],
    ]


def test_unary_operators() -> None:
    assert parse("!a") == ["un", "!", ["id", "a"]]
    assert parse("-a") == ["un", "-", ["id", "a"]]
    assert parse("+a") == ["un", "+", ["id", "a"]]
    assert parse("~a") == ["un", "~", ["id", "a"]]
    assert parse("typeof a") == ["un", "typeof", ["id", "a"]]
    assert parse("!!a") == ["un", "!", ["un", "!", ["id", "a"]]]
    assert parse("-1") == ["un", "-", ["lit", 1]]
    assert parse("typeof a === 'string'") == [
        "bin",
        "===",
        ["un", "typeof", ["id", "a"]],
        ["lit", "string"],
    ]


@pytest.mark.parametrize(
    "op",
    ["*", "/", "%", "+", "-", "<", ">", "<=", ">=", "==", "!=", "===", "!==", "&&", "||", "??"],
)
def test_binary_operators(op: str) -> None:
    assert parse(f"a {op} b") == ["bin", op, ["id", "a"], ["id", "b"]]


def test_precedence_and_associativity() -> None:
    a, b, c = ["id", "a"], ["id", "b"], ["id", "c"]
    assert parse("a + b * c") == ["bin", "+", a, ["bin", "*", b, c]]
    assert parse("(a + b) * c") == ["bin", "*", ["bin", "+", a, b], c]
    assert parse("a - b - c") == ["bin", "-", ["bin", "-", a, b], c]
    assert parse("a < b == b > c") == ["bin", "==", ["bin", "<", a, b], ["bin", ">", b, c]]
    assert parse("a || b && c") == ["bin", "||", a, ["bin", "&&", b, c]]
    assert parse("!a && b") == ["bin", "&&", ["un", "!", a], b]
    assert parse("a & b | c ^ a") == ["bin", "|", ["bin", "&", a, b], ["bin", "^", c, a]]
    assert parse("a ? b : c ? a : b") == ["cond", a, b, ["cond", c, a, b]]
    assert parse("a ? b ? c : a : b") == ["cond", a, ["cond", b, c, a], b]
    assert parse("a + b ? 'x' : 'y'") == ["cond", ["bin", "+", a, b], ["lit", "x"], ["lit", "y"]]
    assert parse("(a ?? b) || c") == ["bin", "||", ["bin", "??", a, b], c]
    assert parse("a ?? b ?? c") == ["bin", "??", ["bin", "??", a, b], c]


def test_ternary_with_number_after_question_mark() -> None:
    # `?.5` is a conditional and a number, not optional chaining
    assert parse("a?.5:1") == ["cond", ["id", "a"], ["lit", 0.5], ["lit", 1]]


def test_array_literals() -> None:
    assert parse("[]") == ["arr", []]
    assert parse("[1, 'a', b]") == ["arr", [["lit", 1], ["lit", "a"], ["id", "b"]]]
    assert parse("[1, ...rest,]") == ["arr", [["lit", 1], ["spread", ["id", "rest"]]]]
    assert parse("[[1], [2]]") == ["arr", [["arr", [["lit", 1]]], ["arr", [["lit", 2]]]]]


def test_object_literals() -> None:
    assert parse("{}") == ["obj", []]
    assert parse("{a: 1, b, ...o, 'k': v, \"q\": 2, 3: x, for: 1,}") == [
        "obj",
        [
            ["a", ["lit", 1]],
            ["b", ["id", "b"]],
            [None, ["id", "o"]],
            ["k", ["id", "v"]],
            ["q", ["lit", 2]],
            ["3", ["id", "x"]],
            ["for", ["lit", 1]],
        ],
    ]
    # "spread" is an ordinary key; spread entries have a null key
    assert parse("{spread: 1}") == ["obj", [["spread", ["lit", 1]]]]
    assert parse("{m}", wxs_modules={"m"}) == ["obj", [["m", ["wxs", "m"]]]]
    assert parse("{a: {b: 1}}") == ["obj", [["a", ["obj", [["b", ["lit", 1]]]]]]]


def test_calls_on_wxs_modules_only() -> None:
    wxs = {"m"}
    assert parse("m.f(1, ...xs)", wxs_modules=wxs) == [
        "call",
        ["mem", ["wxs", "m"], ["lit", "f"]],
        [["lit", 1], ["spread", ["id", "xs"]]],
    ]
    assert parse("m(a)", wxs_modules=wxs) == ["call", ["wxs", "m"], [["id", "a"]]]
    assert parse("m.util['fmt'](a)(b)", wxs_modules=wxs)[0] == "call"
    assert parse("(m.f)()", wxs_modules=wxs) == ["call", ["mem", ["wxs", "m"], ["lit", "f"]], []]
    assert refusal("f(1)") == ("WXML_UNSUPPORTED_EXPRESSION", 0)
    assert refusal("a.b.toFixed(2)") == ("WXML_UNSUPPORTED_EXPRESSION", 0)
    assert refusal("x + m.f(1)", wxs_modules={"n"}) == ("WXML_UNSUPPORTED_EXPRESSION", 4)


def test_comments_and_whitespace() -> None:
    assert parse("  a /* note */ + \n b  ") == ["bin", "+", ["id", "a"], ["id", "b"]]


# -- template data (object contents without braces) ------------------------------------------


def test_template_data_forms() -> None:
    assert parse("item", mode="data") == ["obj", [["item", ["id", "item"]]]]
    assert parse("...item", mode="data") == ["obj", [[None, ["id", "item"]]]]
    assert parse("...item, index", mode="data") == [
        "obj",
        [[None, ["id", "item"]], ["index", ["id", "index"]]],
    ]
    assert parse("a: 1, b", mode="data") == ["obj", [["a", ["lit", 1]], ["b", ["id", "b"]]]]
    assert parse("'k': 1", mode="data") == ["obj", [["k", ["lit", 1]]]]
    # an ordinary expression is allowed too
    assert parse("{a: 1}", mode="data") == ["obj", [["a", ["lit", 1]]]]
    assert parse("ok ? a : b", mode="data") == ["cond", ["id", "ok"], ["id", "a"], ["id", "b"]]
    assert parse("item.child", mode="data") == ["mem", ["id", "item"], ["lit", "child"]]
    assert refusal("a: 1 b", mode="data") == ("WXML_EXPRESSION_SYNTAX", 5)


# -- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("a = 1", 2),
        ("a += 1", 2),
        ("a ??= 1", 2),
        ("a++", 1),
        ("--a", 0),
        ("new Date()", 0),
        ("x => x", 0),
        ("(x) => x", 0),
        ("() => 1", 1),
        ("/ab+c/", 0),
        ("a + /x/", 4),
        ("`hello ${name}`", 0),
        ("delete a.b", 0),
        ("void 0", 0),
        ("a, b", 1),
        ("(a, b)", 2),
        ("a in b", 2),
        ("a instanceof B", 2),
        ("a ** 2", 2),
        ("a << 1", 2),
        ("a >>> 1", 2),
        ("a?.b", 1),
        ("this.data", 0),
        ("function () {}", 0),
        ("{[k]: 1}", 1),
        ("{f() {}}", 2),
        ("{1.5: x}", 1),
    ],
)
def test_unsupported_javascript(text: str, offset: int) -> None:
    assert refusal(text) == ("WXML_UNSUPPORTED_EXPRESSION", offset)


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("", 0),
        ("   ", 3),
        ("a +", 3),
        ("a b", 2),
        ("(a", 2),
        ("a)", 1),
        ("[1,,2]", 3),
        ("{a: 1", 5),
        ("{a 1}", 3),
        ("a.", 2),
        ("a.5", 1),
        ("a ? b", 5),
        ("'abc", 0),
        ("'a\nb'", 0),
        ("1a", 1),
        ("017", 0),
        ("1e400", 0),
        ("'\\x4'", 1),
        ("'\\u12'", 1),
        ("'\\u{110000}'", 1),
        ("'\\1'", 1),
        ("for", 0),
        ("let", 0),
        ("{true}", 1),
        ("a # b", 2),
        ("a ?? b || c", 7),
        ("a || b ?? c", 7),
        ("a ?? b && c", 2),
        ("...a", 0),
    ],
)
def test_syntax_errors(text: str, offset: int) -> None:
    assert refusal(text) == ("WXML_EXPRESSION_SYNTAX", offset)


def test_offsets_index_the_whole_text() -> None:
    text = "<view>{{ a + }}</view>"
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text, start=8, end=13)
    assert caught.value.offset == 13
    assert parse_expression(text, start=8, end=13 - 2) == ["id", "a"]


def test_nesting_limits() -> None:
    assert parse("(" * 20 + "a" + ")" * 20) == ["id", "a"]
    assert refusal("(" * 500 + "a" + ")" * 500)[0] == "WXML_EXPRESSION_SYNTAX"
    assert refusal("!" * 500 + "a")[0] == "WXML_EXPRESSION_SYNTAX"
    # left-nested chains are built without recursion, but their JSON would still be too deep
    assert refusal("a" + ".b" * (MAX_DEPTH + 5)) == ("WXML_EXPRESSION_SYNTAX", 0)
    assert refusal("a" + " + a" * (MAX_DEPTH + 5)) == ("WXML_EXPRESSION_SYNTAX", 0)
    assert parse("a" + ".b" * 50)[0] == "mem"


def test_model_paths() -> None:
    assert is_model_path(parse("a"))
    assert is_model_path(parse("a.b[0]['c']"))
    assert not is_model_path(parse("a[i]"))
    assert not is_model_path(parse("a + b"))
    assert not is_model_path(parse("'a'"))
    assert not is_model_path(parse("a[true]"))
    assert not is_model_path(parse("m.x", wxs_modules={"m"}))


def test_format_expression() -> None:
    assert format_expression(parse("a.b + c['d e'] * -1")) == '((a).b) + (((c)["d e"]) * (- (1)))'
    with pytest.raises(ValueError, match="not an expression node"):
        format_expression(["nope"])


# -- properties -------------------------------------------------------------------------------

BINARY_OPERATORS = [
    "*",
    "/",
    "%",
    "+",
    "-",
    "<",
    ">",
    "<=",
    ">=",
    "==",
    "!=",
    "===",
    "!==",
    "&",
    "^",
    "|",
    "&&",
    "||",
    "??",
]
NAMES = ["a", "b", "item", "index", "x1", "_y", "$z", "名"]
WXS = frozenset({"m", "u"})


def _canonical(value: float) -> int | float:
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


leaves: st.SearchStrategy[Expr] = st.one_of(
    st.text(max_size=6).map(lambda s: ["lit", s]),
    st.integers(min_value=0, max_value=2**53 - 1).map(lambda n: ["lit", n]),
    st.floats(min_value=0, allow_nan=False, allow_infinity=False).map(
        lambda f: ["lit", _canonical(f)]
    ),
    st.sampled_from([["lit", True], ["lit", False], ["lit", None], ["undef"]]),
    st.sampled_from(NAMES).map(lambda n: ["id", n]),
    st.sampled_from(sorted(WXS)).map(lambda n: ["wxs", n]),
)


def _compound(inner: st.SearchStrategy[Expr]) -> st.SearchStrategy[Expr]:
    item = st.one_of(inner, inner.map(lambda x: ["spread", x]))
    entry = st.one_of(
        st.tuples(st.text(max_size=4), inner).map(list),
        inner.map(lambda x: [None, x]),
    )
    callee = st.one_of(
        st.sampled_from(sorted(WXS)).map(lambda n: ["wxs", n]),
        st.tuples(st.sampled_from(sorted(WXS)), st.sampled_from(NAMES)).map(
            lambda p: ["mem", ["wxs", p[0]], ["lit", p[1]]]
        ),
    )
    return st.one_of(
        st.tuples(inner, st.sampled_from(NAMES)).map(lambda p: ["mem", p[0], ["lit", p[1]]]),
        st.tuples(inner, inner).map(lambda p: ["mem", p[0], p[1]]),
        st.tuples(st.sampled_from(["!", "-", "+", "~", "typeof"]), inner).map(
            lambda p: ["un", p[0], p[1]]
        ),
        st.tuples(
            st.sampled_from(BINARY_OPERATORS),
            inner,
            inner,
        ).map(lambda p: ["bin", p[0], p[1], p[2]]),
        st.tuples(inner, inner, inner).map(lambda p: ["cond", *p]),
        st.lists(item, max_size=3).map(lambda items: ["arr", items]),
        st.lists(entry, max_size=3).map(lambda entries: ["obj", entries]),
        st.tuples(callee, st.lists(item, max_size=2)).map(lambda p: ["call", p[0], p[1]]),
    )


asts = st.recursive(leaves, _compound, max_leaves=12)


@FUZZ
@given(asts)
def test_printed_asts_parse_back_to_themselves(ast: Expr) -> None:
    text = format_expression(ast)
    assert parse_expression(text, wxs_modules=WXS) == ast
    json.dumps(ast, ensure_ascii=False).encode("utf-8")  # always JSON, always UTF-8


def _outcome(text: str, mode: Literal["expression", "data"] = "expression") -> Any:
    """The AST, or the ExpressionError raised (nothing else may escape)."""
    try:
        return parse_expression(text, wxs_modules=WXS, mode=mode)
    except ExpressionError as exc:
        return exc


def _check_outcome(text: str, outcome: Any) -> None:
    if isinstance(outcome, ExpressionError):
        assert outcome.code in ("WXML_EXPRESSION_SYNTAX", "WXML_UNSUPPORTED_EXPRESSION")
        assert 0 <= outcome.offset <= len(text)
    else:
        assert parse_expression(format_expression(outcome), wxs_modules=WXS) == outcome
        # the parser skips its depth walk for short texts on the strength of this bound
        assert _json_depth(outcome) <= 2 * len(text) + 4


@FUZZ
@given(st.text(max_size=40))
def test_arbitrary_text_parses_or_is_refused(text: str) -> None:
    _check_outcome(text, _outcome(text))
    _check_outcome(text, _outcome(text, "data"))


_PIECES = [
    "a",
    "m",
    "m.f",
    "1",
    "0x1",
    ".5",
    "'s'",
    '"}}"',
    "+",
    "-",
    "*",
    "?",
    ":",
    "??",
    "||",
    "!",
    "&&",
    "!",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    "...",
    ".",
    "=",
    "=>",
    "typeof",
    "new",
    "`",
    "/",
    " ",
    "b: 1",
    "c",
    "x.y",
    "[0]",
    "undefined",
    "null",
    "in",
    "{a}",
    "[",
    "[",
    "m(",
    "...",
    "{b",
    "}",
]


@FUZZ
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_token_soup_parses_or_is_refused(text: str) -> None:
    _check_outcome(text, _outcome(text))
    _check_outcome(text, _outcome(text, "data"))


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *("a", "item", "$x", "_y", "class", "true", "typeof", "new", "if", "x1"),
                *("a[0]", "b[12][3]", "c[01]", "d[ 1]", "e[1e3]", "f[0x1]", "g[-1]", "h[1.5]"),
                *("i[999999999999999]", "j[9999999999999999]", "k[00]", "l[0]0", "m[]", "n[a]"),
            ]
        ),
        min_size=1,
        max_size=4,
    ),
    st.sampled_from(["", " ", "  "]),
)
def test_the_plain_path_shortcut_agrees_with_the_full_parser(names: list[str], pad: str) -> None:
    """Plain data paths skip the tokeniser; they must parse exactly as the full grammar does."""
    from miniapp.compiler.expressions import ExpressionError, _Parser

    text = pad + ".".join(names) + pad
    root = names[0].split("[", 1)[0]
    for wxs in (frozenset(), frozenset({root})):
        try:
            expected: object = _Parser(text, 0, len(text), wxs).parse_top("expression")
        except ExpressionError as exc:
            expected = (exc.code, exc.offset)
        try:
            got: object = parse_expression(text, wxs_modules=wxs)
        except ExpressionError as exc:
            got = (exc.code, exc.offset)
        assert got == expected


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    st.lists(
        st.sampled_from(
            ["a", "b", "class", "true", "x[0]", ".c", ":", " ", ",", "'s'", "1", "...", "{", "}"]
        ),
        min_size=1,
        max_size=6,
    )
)
def test_the_template_data_shortcut_agrees_with_the_full_parser(pieces: list[str]) -> None:
    """`name: data.path` template data skips the tokeniser; it must parse as the full grammar."""
    from miniapp.compiler.expressions import ExpressionError, _Parser

    text = "".join(pieces)
    for wxs in (frozenset(), frozenset({"a"})):
        try:
            expected: object = _Parser(text, 0, len(text), wxs).parse_top("data")
        except ExpressionError as exc:
            expected = (exc.code, exc.offset, exc.message)
        try:
            got: object = parse_expression(text, wxs_modules=wxs, mode="data")
        except ExpressionError as exc:
            got = (exc.code, exc.offset, exc.message)
        assert got == expected


def test_template_data_entry_shortcut() -> None:
    assert parse("title: greeting", mode="data") == ["obj", [["title", ["id", "greeting"]]]]
    assert parse(" i : list[0].x ", mode="data", wxs_modules=frozenset({"list"})) == [
        "obj",
        [["i", ["mem", ["mem", ["wxs", "list"], ["lit", 0]], ["lit", "x"]]]],
    ]
