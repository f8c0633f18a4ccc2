"""The fast CSS tokeniser builds exactly what tinycss2 builds, or leaves the file to tinycss2."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import tinycss2  # type: ignore[import-untyped]
from hypothesis import given, settings
from hypothesis import strategies as st

from miniapp.compiler.css_tokens import _plain_component_values, component_values

ROOT = Path(__file__).resolve().parents[2]


def _dump(nodes: list[Any]) -> list[Any]:
    """Every node's type and every slot (line, column, value, ...), nested blocks included."""
    out: list[Any] = []
    for node in nodes:
        fields: list[Any] = [type(node).__name__]
        for cls in type(node).__mro__:
            for name in getattr(cls, "__slots__", ()):
                value = getattr(node, name)
                fields.append((name, _dump(value) if isinstance(value, list) else value))
        out.append(fields)
    return out


def _check(css: str) -> bool:
    """Same tokens as tinycss2 whichever path is taken; True if the fast path took it."""
    expected = _dump(tinycss2.parse_component_value_list(css))
    assert _dump(component_values(css)) == expected
    fast = _plain_component_values(css)
    if fast is not None:
        assert _dump(fast) == expected
    return fast is not None


@pytest.mark.parametrize(
    "css",
    [
        "",
        "view, text { box-sizing: border-box; }",
        ".a{color:#fff;width:100rpx;margin:-1px +.5em 1e3px 1.5E-2%}",
        "\n\n  .b > .c ~ .d + .e { --x: 1; }\n",
        "@media (max-width: 600px) { .x { display: none !important } }",
        "@font-face { src: url(\"https://x.com/a.woff2\") format('woff2'); }",
        "a[href^='x'], a[title|=en], a[data-x$=y], a[class*=z], a[rel~=n] {}",
        "/* comment\n over lines */ .a { } /**/",
        '.a { content: "中文" } /* 注释 */',
        "#-a #5 #_b #-- #- { }",
        "1-x 1-- 1- 1e 1e+ 1.e3 .5. --a -- -a -1 @-a @--b @5",
        "calc(100% - 2 * var(--gap)) [a] (b) || |",
        "{ ( [ ] ) }",
        ".a { width: 1px",
    ],
)
def test_plain_css_takes_the_fast_path(css: str) -> None:
    assert _check(css)


@pytest.mark.parametrize(
    "css",
    [
        ".a { background: url(x.png) }",
        ".\\31 a { }",
        ".a\r\n{ }",
        "é { }",
        ".aé { }",
        "#aé { }",
        "1é { }",
        "@aé { }",
        "U+0025-00FF",
        "<!-- -->",
        '.a { content: "unterminated }',
        '.a { content: "line\nbreak" }',
        "/* never closed",
        ".a ) { }",
        "] .b",
        "\x00 \f",
    ],
)
def test_other_css_goes_to_tinycss2(css: str) -> None:
    assert not _check(css)


def test_the_examples_take_the_fast_path() -> None:
    files = sorted((ROOT / "examples").rglob("*.wxss"))
    assert files
    for file in files:
        assert _check(file.read_text(encoding="utf-8")), file


_PIECES = [
    *" \n\t{}()[];:,.#@%+-*/!'\"\\<>=~|^$_0123456789aeEuUxp",
    "é",
    "url(",
    'url("a")',
    "Url( 'b' )",
    "/* c */",
    "*/",
    "-->",
    "<!--",
    "rpx",
    "1.5e3",
    "--x",
    "U+1F",
    "\r",
    "#fff",
    "@media",
    "'a'",
    '"b"',
    "||",
    "|=",
    "100%",
]


@settings(derandomize=True, database=None, max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_token_soup_matches_tinycss2(css: str) -> None:
    _check(css)
