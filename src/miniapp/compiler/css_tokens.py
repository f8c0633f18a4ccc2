"""`tinycss2.parse_component_value_list(css)`, faster for the CSS that WXSS files are made of.

tinycss2's tokenizer is pure Python and examines one character at a time; it was a tenth of a
compile. `component_values` tokenises with one regular expression per token instead, building
exactly the nodes (types, values, lines and columns) tinycss2 1.5 builds, but only for a plain
subset of CSS: ASCII names, numbers, `@` and `#` names, strings without escapes or newlines,
closed comments, brackets that match, and punctuation. The moment the source leaves that subset
(a backslash, a non-ASCII name, an unquoted `url(`, `U+`, `<!--`, `-->`, an unclosed string or
comment, a stray closer, a control character) the whole file goes to tinycss2, so unusual CSS and
every error are handled by tinycss2 itself. Tests compare the two on many inputs.
"""

from __future__ import annotations

import re
from typing import Any

import tinycss2  # type: ignore[import-untyped]
from tinycss2.ast import (  # type: ignore[import-untyped]
    AtKeywordToken,
    Comment,
    CurlyBracketsBlock,
    DimensionToken,
    FunctionBlock,
    HashToken,
    IdentToken,
    LiteralToken,
    NumberToken,
    ParenthesesBlock,
    PercentageToken,
    SquareBracketsBlock,
    StringToken,
    WhitespaceToken,
)
from tinycss2.serializer import serialize_string_value  # type: ignore[import-untyped]

CssNode = Any

# An ASCII identifier: starts with a letter or _, or with - and then a letter, _ or - (CSS
# Syntax "would start an identifier", without escapes or non-ASCII code points).
_NAME = r"(?:[A-Za-z_]|-[A-Za-z_-])[A-Za-z0-9_-]*"
# Alternatives in the order tinycss2 tries them. Each group number is used below.
_TOKEN = re.compile(
    rf"""
    ([ \n\t]+)                                         # 1 whitespace
    | ({_NAME})(\()?                                   # 2 identifier, 3 "(" of a function
    | ([-+]?([0-9]*\.)?[0-9]+([eE][+-]?[0-9]+)?)       # 4 number (5, 6: not an integer)
      (?:({_NAME})|(%))?                               # 7 dimension unit, 8 percentage
    | @({_NAME})                                       # 9 at-keyword
    | \#([A-Za-z0-9_-]+)                               # 10 hash
    | "([^"\\\n]*)" | '([^'\\\n]*)'                    # 11, 12 string
    | /\*(.*?)\*/                                      # 13 comment
    | ([{{(\[])                                        # 14 block opener
    | ([}})\]])                                        # 15 block closer
    | (\|\| | [~|^$*]=)                                # 16 two-character delimiter
    | (/(?!\*) | [!\#-&(-.0-\[\]-~])                   # 17 any other printable ASCII delimiter
    """,
    re.VERBOSE | re.DOTALL,
)
_IDENTIFIER_START = re.compile(r"[A-Za-z_]|-[A-Za-z_-]")
# Anything tinycss2 treats specially that the fast path does not: escapes, characters it
# rewrites before tokenising, unicode ranges and the HTML comment delimiters.
_UNUSUAL = re.compile(r"[\\\r\f\x00]|[Uu]\+[0-9A-Fa-f?]|<!--|-->")
_QUOTE_NEXT = re.compile(r"[ \n\t]*[\"']")
_CLOSER = {"{": "}", "(": ")", "[": "]"}


def component_values(css: str) -> list[CssNode]:
    """What `tinycss2.parse_component_value_list(css)` returns (comments kept)."""
    tokens = _plain_component_values(css)
    if tokens is None:
        tokens = tinycss2.parse_component_value_list(css)
    return tokens


def _plain_component_values(css: str) -> list[CssNode] | None:  # noqa: PLR0911, PLR0912, PLR0915 - one hot loop
    """The component values of plain CSS (see the module docstring), or None for other CSS."""
    if _UNUSUAL.search(css):
        return None
    match_token = _TOKEN.match
    length = len(css)
    root: list[CssNode] = []
    tokens = root
    stack: list[tuple[list[CssNode], str | None]] = []
    end_char: str | None = None
    line = 1
    last_newline = -1  # index of the last "\n" before the current token
    pos = 0
    # Only a name running on into non-ASCII leaves the subset: skip that check for ASCII files.
    plain = css.isascii()
    while pos < length:
        match = match_token(css, pos)
        if match is None:
            return None
        column = pos - last_newline
        end = match.end()
        which = match.lastindex
        # Branches in order of how common the tokens are.
        if which == 1:
            value = match.group(1)
            tokens.append(WhitespaceToken(line, column, value))
            if "\n" in value:
                line += value.count("\n")
                last_newline = css.rfind("\n", pos, end)
        elif which == 17:
            tokens.append(LiteralToken(line, column, match.group(17)))
        elif which == 2:
            if not plain and end < length and css[end] >= "\x80":
                return None  # the name goes on past ASCII
            tokens.append(IdentToken(line, column, match.group(2)))
        elif which == 15:
            if match.group(15) != end_char:  # tinycss2 reports a stray closer
                return None
            tokens, end_char = stack.pop()
        elif which == 14:
            content: list[CssNode] = []
            char = match.group(14)
            if char == "{":
                tokens.append(CurlyBracketsBlock(line, column, content))
            elif char == "(":
                tokens.append(ParenthesesBlock(line, column, content))
            else:
                tokens.append(SquareBracketsBlock(line, column, content))
            stack.append((tokens, end_char))
            end_char = _CLOSER[char]
            tokens = content
        elif which in {4, 7, 8}:
            if not plain and end < length and css[end] >= "\x80":
                return None  # a non-ASCII unit, or more of one
            representation = match.group(4)
            number = float(representation)
            integer = None if match.group(5) or match.group(6) else int(representation)
            if which == 7:
                unit = match.group(7)
                tokens.append(DimensionToken(line, column, number, integer, representation, unit))
            elif which == 8:
                tokens.append(PercentageToken(line, column, number, integer, representation))
            else:
                tokens.append(NumberToken(line, column, number, integer, representation))
        elif which == 9:
            if not plain and end < length and css[end] >= "\x80":
                return None
            tokens.append(AtKeywordToken(line, column, match.group(9)))
        elif which in {11, 12}:
            value = match.group(which)
            representation = f'"{serialize_string_value(value)}"'
            tokens.append(StringToken(line, column, value, representation))
        elif which == 10:
            if not plain and end < length and css[end] >= "\x80":
                return None
            value = match.group(10)
            identifier = _IDENTIFIER_START.match(value) is not None
            tokens.append(HashToken(line, column, value, identifier))
        elif which == 3:
            name = match.group(2)
            # url(x) is a token of its own; url("x") is an ordinary function.
            if name.lower() == "url" and not _QUOTE_NEXT.match(css, end):
                return None
            arguments: list[CssNode] = []
            tokens.append(FunctionBlock(line, column, name, arguments))
            stack.append((tokens, end_char))
            end_char = ")"
            tokens = arguments
        elif which == 13:
            value = match.group(13)
            tokens.append(Comment(line, column, value))
            if "\n" in value:
                line += value.count("\n")
                last_newline = css.rfind("\n", pos, end)
        else:  # 16: a two-character delimiter
            tokens.append(LiteralToken(line, column, match.group(16)))
        pos = end
    return root
