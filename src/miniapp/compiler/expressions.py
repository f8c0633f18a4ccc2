"""The `{{ }}` expression language of WXML: a hand-written parser to a compact, JSON-able AST.

WXML allows a small subset of JavaScript inside `{{ }}`. This module parses it (a Pratt-style
precedence-climbing parser over a lazy tokenizer; regular expressions only split tokens) and
refuses everything outside the subset with a stable diagnostic code and the exact offset.

The AST is made of JSON arrays whose first item names the form:

- `["lit", v]`: a literal; `v` is a string, a number, `true`, `false` or `null`.
- `["undef"]`: the literal `undefined` (JSON has no undefined).
- `["id", name]`: a name looked up in the loop scope, then the data (missing → undefined).
- `["wxs", module]`: a name that is a WXS module in scope (`<wxs module>`), not a data field.
- `["mem", obj, prop]`: member access. `a.b` and `a["b"]` both give `["mem", a, ["lit", "b"]]`;
  `a[i]` gives `["mem", a, i]`.
- `["un", op, x]`: unary; op is `!`, `-`, `+`, `~` or `typeof`.
- `["bin", op, a, b]`: binary; op is `* / % + - < > <= >= == != === !== & ^ | && || ??`.
- `["cond", test, a, b]`: `test ? a : b`.
- `["arr", items]`: array literal; an item is an expression or `["spread", x]`.
- `["obj", entries]`: object literal; an entry is `[key, value]` (key a string) or `[null, x]`
  for `...x` (null, because "spread" is a possible key).
- `["call", callee, args]`: a call; an argument is an expression or `["spread", x]`. Only allowed
  when the callee's root (`m` in `m.a.f(x)`) is a WXS module.

Numbers follow JavaScript: every number is a double. A value that is a whole number below 2**53 is
a JSON integer, any other a JSON float; a literal that overflows to infinity is refused. Strings
are decoded (escapes resolved; an unpaired surrogate becomes U+FFFD so the AST is always valid
UTF-8). Object-literal entries keep their source order, duplicates included (later wins, as in JS).

`format_expression` prints an AST back as text that parses to the same AST.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Collection
from typing import Any, Final, Literal

Expr = list[Any]
"""An AST node: a JSON array as described in the module docstring."""

# Nesting limits keep Python's recursion (and the JSON encoder's) far from their limits on
# hostile input; real bindings nest a handful of levels. MAX_NESTING counts parser recursion
# (about two steps a bracket), MAX_DEPTH the AST's JSON nesting (which `a.b.c...` and `a+b+...`
# grow without recursing).
MAX_NESTING: Final = 100
MAX_DEPTH: Final = 100
# Integers from 2**53 on are not exact doubles; they become JSON floats like in JavaScript.
_MAX_SAFE: Final = 2**53


class ExpressionError(Exception):
    """An expression that does not parse, or uses something WXML does not allow.

    `code` is WXML_EXPRESSION_SYNTAX or WXML_UNSUPPORTED_EXPRESSION; `offset` indexes the text
    given to `parse_expression` (not the `start` of the slice), so callers can map it to a
    line and column of the file.
    """

    def __init__(self, code: str, message: str, offset: int) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.offset = offset


_SYNTAX: Final = "WXML_EXPRESSION_SYNTAX"
_UNSUPPORTED: Final = "WXML_UNSUPPORTED_EXPRESSION"

# -- tokens -----------------------------------------------------------------------------------

_NUMBER = re.compile(
    r"0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
)
_NAME_CHAR = re.compile(r"[\w$]")
# Longest first. Operators WXML refuses are still tokenised whole so the error names them.
_PUNCT = re.compile(
    r">>>=|\.\.\.|===|!==|\*\*=|<<=|>>=|>>>|\?\?=|&&=|\|\|=|=>|==|!=|<=|>=|&&|\|\||\?\?"
    r"|\?\.(?![0-9])|\+\+|--|\+=|-=|\*=|/=|%=|&=|\|=|\^=|\*\*|<<|>>|[-+*/%<>!?:.,()\[\]{}=~&|^;]"
)
# One match per token: skip spaces and /* comments */, then the group that matched says the kind
# (1 name, 2 number start, 3 punctuator, 4 quote, 5 backtick, 6 anything else; none: the end).
_TOKEN = re.compile(
    r"(?:\s+|/\*.*?\*/)*(?:((?:[^\W\d]|\$)[\w$]*)|([0-9]|\.[0-9])|(" + _PUNCT.pattern + r")"
    r"|([\"'])|(`)|(.))?",
    re.DOTALL,
)
_STRING = {
    '"': re.compile(r'((?:[^"\\\n\r]|\\(?:\r\n|[\s\S]))*)"'),
    "'": re.compile(r"((?:[^'\\\n\r]|\\(?:\r\n|[\s\S]))*)'"),
}
_HEX = re.compile(r"[0-9a-fA-F]+")
_SIMPLE_ESCAPES: Final = {
    "n": "\n",
    "t": "\t",
    "r": "\r",
    "b": "\b",
    "f": "\f",
    "v": "\v",
    "\n": "",
    "\u2028": "",
    "\u2029": "",
}

_END: Final = "end"
_NUM: Final = "num"
_STR: Final = "str"
_IDENT: Final = "name"
_PUNC: Final = "punct"

_LITERALS: Final[dict[str, Expr]] = {
    "true": ["lit", True],
    "false": ["lit", False],
    "null": ["lit", None],
    "undefined": ["undef"],
}
# Words that are JavaScript features WXML leaves out.
_UNSUPPORTED_WORDS: Final = {
    "new": "`new` is not allowed in WXML expressions",
    "delete": "`delete` is not allowed in WXML expressions",
    "void": "`void` is not allowed in WXML expressions",
    "function": "functions cannot be defined in WXML expressions",
    "class": "classes cannot be defined in WXML expressions",
    "this": "`this` is not available in WXML expressions",
    "in": "the `in` operator is not allowed in WXML expressions",
    "instanceof": "`instanceof` is not allowed in WXML expressions",
    "yield": "`yield` is not allowed in WXML expressions",
    "await": "`await` is not allowed in WXML expressions",
    "import": "`import` is not allowed in WXML expressions",
    "super": "`super` is not allowed in WXML expressions",
}
# Reserved words (strict mode) that cannot name a data field.
_RESERVED: Final = frozenset(
    {
        "break",
        "case",
        "catch",
        "const",
        "continue",
        "debugger",
        "default",
        "do",
        "else",
        "enum",
        "export",
        "extends",
        "finally",
        "for",
        "if",
        "let",
        "return",
        "static",
        "switch",
        "throw",
        "try",
        "var",
        "while",
        "with",
        "implements",
        "interface",
        "package",
        "private",
        "protected",
        "public",
    }
)
# Words that can never be a plain name, so never an object shorthand like `{b}`.
_NOT_NAMES: Final = frozenset({*_LITERALS, *_UNSUPPORTED_WORDS, *_RESERVED, "typeof"})
_BINARY_PRECEDENCE: Final = {
    "??": 1,
    "||": 1,
    "&&": 2,
    "|": 3,
    "^": 4,
    "&": 5,
    "==": 6,
    "!=": 6,
    "===": 6,
    "!==": 6,
    "<": 7,
    ">": 7,
    "<=": 7,
    ">=": 7,
    "+": 9,
    "-": 9,
    "*": 10,
    "/": 10,
    "%": 10,
}
_UNSUPPORTED_BINARY: Final = {
    "**": "the `**` operator is not allowed in WXML expressions",
    "<<": "shift operators are not allowed in WXML expressions",
    ">>": "shift operators are not allowed in WXML expressions",
    ">>>": "shift operators are not allowed in WXML expressions",
}
_ASSIGNMENTS: Final = frozenset(
    {
        "=",
        "+=",
        "-=",
        "*=",
        "/=",
        "%=",
        "**=",
        "<<=",
        ">>=",
        ">>>=",
        "&=",
        "|=",
        "^=",
        "&&=",
        "||=",
        "??=",
    }
)
_UNARY: Final = frozenset({"!", "-", "+", "~"})
_SHORT_CIRCUIT: Final = frozenset({"&&", "||", "??"})


def parse_expression(
    text: str,
    *,
    wxs_modules: Collection[str] = frozenset(),
    start: int = 0,
    end: int | None = None,
    mode: Literal["expression", "data"] = "expression",
) -> Expr:
    """Parses `text[start:end]` as one WXML expression and returns its AST.

    `wxs_modules` are the WXS module names in scope (after loop variables shadowed any): they
    parse as `["wxs", name]`, and only calls rooted at one of them are allowed.

    `mode="data"` is for `<template data="{{...}}">`, whose binding may also be the *contents* of
    an object literal without braces (`a: 1, b, ...o`); a lone name `{{item}}` there means
    `{item: item}`, as in WeChat. Anything else is parsed as an ordinary expression.

    Raises ExpressionError (and nothing else) when the text is not a supported expression; the
    error's offset indexes `text`. Precondition: 0 <= start <= end <= len(text).
    """
    stop = len(text) if end is None else end
    if mode == "expression":
        fast = _simple_path(text, start, stop, wxs_modules)
    else:
        fast = _simple_entry(text, start, stop, wxs_modules)
    if fast is not None:
        return fast
    parser = _Parser(text, start, stop, wxs_modules)
    return parser.parse_top(mode)


# Most bindings are a plain data path (`item.title`, `index`, `list[0].name`): build those
# directly, without the tokeniser. Anything else, or any name the grammar treats specially, takes
# the full parser. Indexes are plain decimal integers of at most 15 digits (always safe integers;
# a leading 0 is the full parser's business: `01` is a legacy octal it refuses).
_PATH = re.compile(
    r"\s*([A-Za-z_$][A-Za-z0-9_$]*)"
    r"((?:\.[A-Za-z_$][A-Za-z0-9_$]*|\[(?:0|[1-9][0-9]{0,14})\])*)\s*"
)
_STEP = re.compile(r"\.([A-Za-z_$][A-Za-z0-9_$]*)|\[([0-9]+)\]")


def _simple_path(text: str, start: int, end: int, wxs_modules: Collection[str]) -> Expr | None:
    match = _PATH.fullmatch(text, start, end)
    if match is None:
        return None
    root, steps = match.groups()
    # Long chains go to the full parser, which enforces MAX_DEPTH on the AST.
    if root in _NOT_NAMES or steps.count(".") + steps.count("[") >= MAX_DEPTH // 4:
        return None
    node: Expr = ["wxs", root] if root in wxs_modules else ["id", root]
    if "[" not in steps:  # the commonest: names only, split faster than matched
        for name in steps.split(".")[1:]:
            node = ["mem", node, ["lit", name]]
    else:
        for name, index in _STEP.findall(steps):
            node = ["mem", node, ["lit", name or int(index)]]
    return node


# Template data is mostly one `name: data.path` entry: built directly too.
_ENTRY_KEY = re.compile(r"\s*([A-Za-z_$][A-Za-z0-9_$]*)\s*:")


def _simple_entry(text: str, start: int, end: int, wxs_modules: Collection[str]) -> Expr | None:
    key = _ENTRY_KEY.match(text, start, end)
    if key is None:
        return None
    value = _simple_path(text, key.end(), end, wxs_modules)
    if value is None:
        return None
    return ["obj", [[key.group(1), value]]]


def is_model_path(expr: Expr) -> bool:
    """True for a plain data path: a name, then `.name` or `[literal]` steps (for `model:`)."""
    node = expr
    while node[0] == "mem":
        prop = node[2]
        if prop[0] != "lit" or isinstance(prop[1], bool) or prop[1] is None:
            return False
        node = node[1]
    return bool(node[0] == "id")


def format_expression(expr: Expr) -> str:
    """The AST printed back as WXML expression text that parses to the same AST.

    Sub-expressions are parenthesised generously; the output is for machines and error
    messages, not for people.
    """
    return _format(expr)


# -- parser -----------------------------------------------------------------------------------


class _Parser:
    """One parse: a lazy tokenizer (one token of lookahead) and a precedence-climbing parser."""

    __slots__ = (
        "depth",
        "end",
        "kind",
        "parenthesised",
        "pos",
        "text",
        "tok_start",
        "value",
        "wxs",
    )

    def __init__(self, text: str, start: int, end: int, wxs: Collection[str]) -> None:
        self.text = text
        self.pos = start
        self.end = end
        self.wxs = wxs
        self.kind = _END
        self.value: Any = None
        self.tok_start = start
        self.depth = 0
        # ids of nodes written in parentheses: `a ?? b || c` is a syntax error but
        # `(a ?? b) || c` is not, and the AST alone cannot tell them apart.
        self.parenthesised: set[int] = set()

    # -- tokens --

    def fail(self, message: str, offset: int | None = None, code: str = _SYNTAX) -> ExpressionError:
        return ExpressionError(code, message, self.tok_start if offset is None else offset)

    def advance(self) -> None:
        """Reads the next token into kind/value/tok_start."""
        match = _TOKEN.match(self.text, self.pos, self.end)
        assert match is not None  # every group is optional: the pattern always matches
        which = match.lastindex
        pos = match.start(which) if which is not None else match.end()
        self.tok_start = pos
        if which == 1:
            self.kind, self.value, self.pos = _IDENT, match.group(1), match.end()
        elif which == 2:
            self.read_number(pos)
        elif which == 3:
            self.kind, self.value, self.pos = _PUNC, match.group(3), match.end()
        elif which == 4:
            self.read_string(pos, match.group(4))
        elif which == 5:
            raise self.fail(
                "template strings are not allowed in WXML expressions", pos, _UNSUPPORTED
            )
        elif which == 6:
            raise self.fail(f"unexpected character {match.group(6)!r}", pos)
        else:
            self.kind, self.value, self.pos = _END, None, pos

    def read_number(self, pos: int) -> None:
        match = _NUMBER.match(self.text, pos, self.end)
        assert match is not None  # the caller saw a digit, or a dot and a digit
        source = match.group()
        after = match.end()
        if after < self.end and _NAME_CHAR.match(self.text, after):
            raise self.fail("a name cannot start right after a number", after)
        value: int | float
        lowered = source.lower()
        if lowered.startswith(("0x", "0o", "0b")):
            value = int(source[2:], {"x": 16, "o": 8, "b": 2}[lowered[1]])
        elif len(source) > 1 and source[0] == "0" and source[1] in "0123456789":
            raise self.fail("legacy octal numbers are not allowed", pos)
        elif "." in source or "e" in lowered:
            value = float(source)
        else:
            value = int(source)
        self.kind, self.value, self.pos = _NUM, _canonical_number(value, self, pos), after

    def read_string(self, pos: int, quote: str) -> None:
        match = _STRING[quote].match(self.text, pos + 1, self.end)
        if match is None:
            raise self.fail("unterminated string", pos)
        body = match.group(1)
        if "\\" in body:
            body = _decode_escapes(body, self, pos + 1)
        self.kind, self.value, self.pos = _STR, body, match.end()

    def peek(self) -> tuple[str, Any]:
        """The token after the current one, without consuming anything."""
        saved = (self.pos, self.kind, self.value, self.tok_start)
        try:
            self.advance()
            return self.kind, self.value
        finally:
            self.pos, self.kind, self.value, self.tok_start = saved

    def at(self, punct: str) -> bool:
        return self.kind == _PUNC and self.value == punct

    def expect(self, punct: str, what: str) -> None:
        if not self.at(punct):
            raise self.fail(f"expected {punct!r} {what}, found {self.describe()}")
        self.advance()

    def describe(self) -> str:
        if self.kind == _END:
            return "the end of the expression"
        if self.kind == _STR:
            return "a string"
        if self.kind == _NUM:
            return "a number"
        return repr(self.value)

    # -- grammar --

    def parse_top(self, mode: str) -> Expr:
        start = self.pos
        self.advance()
        if self.kind == _END:
            raise self.fail("empty expression")
        if mode == "data" and self.starts_object_contents():
            node = self.parse_entries(None)
        else:
            node = self.parse_expression()
        if self.at(","):
            raise self.fail(
                "the comma operator is not allowed in WXML expressions", code=_UNSUPPORTED
            )
        if self.kind != _END:
            raise self.fail(f"{self.describe()} is not expected here")
        # Each character adds at most two levels (`[` adds "arr" and its item list; template
        # data's implicit braces add three), so only long expressions need the walk.
        if 2 * (self.end - start) + 4 > MAX_DEPTH and _json_depth(node) > MAX_DEPTH:
            raise self.fail(f"expression nested more than {MAX_DEPTH} levels deep", start)
        return node

    def starts_object_contents(self) -> bool:
        """For template data: does the binding read as object-literal contents without braces?"""
        if self.at("..."):
            return True
        if self.kind not in (_IDENT, _STR, _NUM):
            return False
        kind, value = self.peek()
        if kind == _PUNC and value == ":":
            return True
        if self.kind != _IDENT or self.value in _NOT_NAMES:
            return False
        return kind == _END or (kind == _PUNC and value == ",")

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.fail(f"expression nested more than {MAX_NESTING} levels deep")

    def parse_expression(self) -> Expr:
        """Conditional expression: the top of the grammar (no assignment, no comma)."""
        self.enter()
        start = self.tok_start
        node = self.parse_binary(1)
        if self.kind != _PUNC:  # the common case: nothing follows
            self.depth -= 1
            return node
        if self.value == "?":
            self.advance()
            consequent = self.parse_expression()
            self.expect(":", "in the conditional expression")
            alternate = self.parse_expression()
            node = ["cond", node, consequent, alternate]
        elif self.kind == _PUNC and self.value in _ASSIGNMENTS:
            raise self.fail("assignment is not allowed in WXML expressions", code=_UNSUPPORTED)
        elif self.at("=>"):
            raise self.fail(
                "arrow functions are not allowed in WXML expressions", start, _UNSUPPORTED
            )
        self.depth -= 1
        return node

    def parse_binary(self, min_precedence: int) -> Expr:
        left = self.parse_unary()
        while True:
            op = self.value
            if self.kind == _PUNC:
                precedence = _BINARY_PRECEDENCE.get(op)
                if precedence is None:
                    if op in _UNSUPPORTED_BINARY:
                        raise self.fail(_UNSUPPORTED_BINARY[op], code=_UNSUPPORTED)
                    return left
            elif self.kind == _IDENT and op in ("in", "instanceof"):
                raise self.fail(_UNSUPPORTED_WORDS[op], code=_UNSUPPORTED)
            else:
                return left
            if precedence < min_precedence:
                return left
            op_start = self.tok_start
            self.advance()
            right = self.parse_binary(precedence + 1)
            if op in _SHORT_CIRCUIT:
                self.check_mixing(op, left, right, op_start)
            left = ["bin", op, left, right]

    def check_mixing(self, op: str, left: Expr, right: Expr, offset: int) -> None:
        """JavaScript forbids `??` next to `&&`/`||` without parentheses."""
        if op == "??":
            others: tuple[str, ...] = ("&&", "||")
        elif op in ("&&", "||"):
            others = ("??",)
        else:
            return
        for side in (left, right):
            if side[0] == "bin" and side[1] in others and id(side) not in self.parenthesised:
                raise self.fail(
                    f"{op!r} cannot be mixed with {side[1]!r} without parentheses", offset
                )

    def parse_unary(self) -> Expr:
        self.enter()
        if self.kind == _PUNC and self.value in _UNARY:
            op = self.value
            self.advance()
            node: Expr = ["un", op, self.parse_unary()]
        elif self.kind == _IDENT and self.value == "typeof":
            self.advance()
            node = ["un", "typeof", self.parse_unary()]
        elif self.kind == _PUNC and self.value in ("++", "--"):
            raise self.fail(f"{self.value} is not allowed in WXML expressions", code=_UNSUPPORTED)
        else:
            node = self.parse_postfix()
        self.depth -= 1
        return node

    def parse_postfix(self) -> Expr:
        start = self.tok_start
        node = self.parse_primary()
        while self.kind == _PUNC:
            op = self.value
            if op == ".":
                self.advance()
                if self.kind != _IDENT:
                    raise self.fail(f"expected a property name after '.', found {self.describe()}")
                node = ["mem", node, ["lit", self.value]]
                self.advance()
            elif op == "[":
                self.advance()
                index = self.parse_expression()
                self.expect("]", "to close the index")
                node = ["mem", node, index]
            elif op == "(":
                if _root(node)[0] != "wxs":
                    raise self.fail(
                        "only functions of a WXS module can be called in WXML expressions",
                        start,
                        _UNSUPPORTED,
                    )
                self.advance()
                node = ["call", node, self.parse_items(")")]
            elif op == "?.":
                raise self.fail(
                    "optional chaining is not allowed in WXML expressions", code=_UNSUPPORTED
                )
            elif op in ("++", "--"):
                raise self.fail(f"{op} is not allowed in WXML expressions", code=_UNSUPPORTED)
            else:
                break
        return node

    def parse_primary(self) -> Expr:
        kind, value = self.kind, self.value
        if kind in (_NUM, _STR):
            self.advance()
            return ["lit", value]
        if kind == _IDENT:
            return self.parse_name()
        if kind == _END:
            raise self.fail("the expression ends too early")
        if value == "(":
            self.advance()
            if self.at(")"):
                raise self.fail(
                    "arrow functions are not allowed in WXML expressions", code=_UNSUPPORTED
                )
            node = self.parse_expression()
            if self.at(","):
                raise self.fail(
                    "the comma operator is not allowed in WXML expressions", code=_UNSUPPORTED
                )
            self.expect(")", "to close the parenthesis")
            self.parenthesised.add(id(node))
            return node
        if value == "[":
            self.advance()
            return ["arr", self.parse_items("]")]
        if value == "{":
            self.advance()
            node = self.parse_entries("}")
            self.advance()  # the closing brace, checked by parse_entries
            return node
        if value in ("/", "/="):
            raise self.fail(
                "regular expressions are not allowed in WXML expressions", code=_UNSUPPORTED
            )
        raise self.fail(f"{self.describe()} is not expected here")

    def parse_name(self) -> Expr:
        name = self.value
        if name in _LITERALS:
            self.advance()
            return list(_LITERALS[name])
        if name in _UNSUPPORTED_WORDS:
            raise self.fail(_UNSUPPORTED_WORDS[name], code=_UNSUPPORTED)
        if name in _RESERVED:
            raise self.fail(f"{name!r} is a reserved word and cannot name data")
        self.advance()
        return ["wxs", name] if name in self.wxs else ["id", name]

    def parse_items(self, closer: str) -> list[Any]:
        """Array items or call arguments up to `closer`: expressions and `...spread`."""
        items: list[Any] = []
        while not self.at(closer):
            if self.at(","):
                raise self.fail("empty array slots are not allowed")
            if self.at("..."):
                self.advance()
                items.append(["spread", self.parse_expression()])
            else:
                items.append(self.parse_expression())
            if self.at(","):
                self.advance()
            elif not self.at(closer):
                raise self.fail(f"expected ',' or {closer!r}, found {self.describe()}")
        self.advance()
        return items

    def parse_entries(self, closer: str | None) -> Expr:
        """Object entries up to `closer` ("}" left unconsumed) or, if None, the end of input."""
        entries: list[Any] = []
        while not (self.kind == _END if closer is None else self.at(closer)):
            if self.kind == _END:
                raise self.fail("unterminated object literal")
            if self.at("..."):
                self.advance()
                entries.append([None, self.parse_expression()])
            else:
                entries.append(self.parse_entry())
            if self.at(","):
                self.advance()
            elif not (self.kind == _END if closer is None else self.at(closer)):
                raise self.fail(f"expected ',' or '}}' in the object, found {self.describe()}")
        return ["obj", entries]

    def parse_entry(self) -> list[Any]:
        kind, key, key_start = self.kind, self.value, self.tok_start
        if kind == _NUM:
            if not isinstance(key, int):
                raise self.fail("only whole numbers can be object keys", code=_UNSUPPORTED)
            key = str(key)
        elif self.at("["):
            raise self.fail(
                "computed object keys are not allowed in WXML expressions", code=_UNSUPPORTED
            )
        elif kind not in (_IDENT, _STR):
            raise self.fail(f"expected an object key, found {self.describe()}")
        self.advance()
        if self.at(":"):
            self.advance()
            return [key, self.parse_expression()]
        if self.at("("):
            raise self.fail("methods cannot be defined in WXML expressions", code=_UNSUPPORTED)
        if kind == _IDENT and (self.at(",") or self.at("}") or self.kind == _END):
            # Shorthand `{b}` means `{b: b}`; only a plain name can be used so.
            if key in _NOT_NAMES:
                raise self.fail(f"{key!r} cannot be used as a shorthand property", key_start)
            return [key, ["wxs", key] if key in self.wxs else ["id", key]]
        raise self.fail(f"expected ':' after the object key, found {self.describe()}")


def _json_depth(node: Expr) -> int:
    """How deeply the AST's JSON arrays nest (iteratively: the AST may be too deep to recurse)."""
    deepest = 0
    pending: list[tuple[list[Any], int]] = [(node, 1)]
    while pending:
        items, depth = pending.pop()
        deepest = max(deepest, depth)
        pending.extend((item, depth + 1) for item in items if isinstance(item, list))
    return deepest


def _root(node: Expr) -> Expr:
    """The innermost object of a member/call chain: `m` in `m.a[0].f(x).g`."""
    while node[0] in ("mem", "call"):
        node = node[1]
    return node


def _canonical_number(value: int | float, parser: _Parser, offset: int) -> int | float:
    """JavaScript numbers are doubles: whole and safe → int, otherwise float; no infinity."""
    if isinstance(value, int):
        if -_MAX_SAFE < value < _MAX_SAFE:
            return value
        try:
            value = float(value)
        except OverflowError:
            raise parser.fail("number out of range", offset) from None
    if not math.isfinite(value):
        raise parser.fail("number out of range", offset)
    if value.is_integer() and abs(value) < _MAX_SAFE:
        return int(value)
    return value


def _decode_escapes(body: str, parser: _Parser, offset: int) -> str:
    """Resolves JavaScript string escapes. `offset` is where `body` starts in the text."""
    out: list[str] = []
    i = 0
    length = len(body)
    while True:
        j = body.find("\\", i)
        if j < 0:
            out.append(body[i:])
            break
        out.append(body[i:j])
        char = body[j + 1]  # the string pattern guarantees a character after a backslash
        i = j + 2
        if char in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[char])
        elif char == "\r":
            if i < length and body[i] == "\n":
                i += 1
        elif char in "xu":
            decoded, i = _hex_escape(body, i, char)
            if decoded is None:
                raise parser.fail(f"bad \\{char} escape", offset + j)
            out.append(decoded)
        elif char == "0" and not (i < length and body[i] in "0123456789"):
            out.append("\0")
        elif char in "0123456789":
            raise parser.fail("octal escapes are not allowed", offset + j)
        else:
            out.append(char)
    text = "".join(out)
    # Escaped surrogate pairs (as JSON writers emit) become one character; a lone surrogate
    # cannot be encoded as UTF-8, so it becomes U+FFFD.
    if any("\ud800" <= c <= "\udfff" for c in text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    return text


def _hex_escape(body: str, i: int, char: str) -> tuple[str | None, int]:
    """Decodes the digits of a \\xHH, \\uHHHH or \\u{H...} escape whose digits start at i."""
    if char == "x":
        digits, after = body[i : i + 2], i + 2
        width = 2
    elif body.startswith("{", i):
        close = body.find("}", i)
        digits, after = (body[i + 1 : close], close + 1) if close > 0 else ("", i)
        width = 0
    else:
        digits, after = body[i : i + 4], i + 4
        width = 4
    if not _HEX.fullmatch(digits) or (width and len(digits) != width):
        return None, after
    code = int(digits, 16)
    if code > 0x10FFFF:
        return None, after
    return chr(code), after


# -- printer ----------------------------------------------------------------------------------

_IDENTIFIER = re.compile(r"(?:[^\W\d]|\$)[\w$]*")


def _format(node: Expr) -> str:
    formatter = _FORMATTERS.get(node[0])
    if formatter is None:
        raise ValueError(f"not an expression node: {node!r}")
    return formatter(node)


def _format_literal(node: Expr) -> str:
    value = node[1]
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    return repr(value)


def _format_member(node: Expr) -> str:
    obj = f"({_format(node[1])})"
    prop = node[2]
    if prop[0] == "lit" and isinstance(prop[1], str) and _IDENTIFIER.fullmatch(prop[1]):
        return f"{obj}.{prop[1]}"
    return f"{obj}[{_format(prop)}]"


def _format_object(node: Expr) -> str:
    entries = [
        f"...({_format(value)})"
        if key is None
        else f"{json.dumps(key, ensure_ascii=False)}: ({_format(value)})"
        for key, value in node[1]
    ]
    return "{" + ", ".join(entries) + "}"


_FORMATTERS: Final[dict[str, Callable[[Expr], str]]] = {
    "lit": _format_literal,
    "undef": lambda node: "undefined",
    "id": lambda node: str(node[1]),
    "wxs": lambda node: str(node[1]),
    "mem": _format_member,
    "un": lambda node: f"{node[1]} ({_format(node[2])})",
    "bin": lambda node: f"({_format(node[2])}) {node[1]} ({_format(node[3])})",
    "cond": lambda node: f"({_format(node[1])}) ? ({_format(node[2])}) : ({_format(node[3])})",
    "arr": lambda node: f"[{_format_items(node[1])}]",
    "obj": _format_object,
    "call": lambda node: f"({_format(node[1])})({_format_items(node[2])})",
}


def _format_items(items: list[Any]) -> str:
    return ", ".join(
        f"...({_format(item[1])})" if item[0] == "spread" else f"({_format(item)})"
        for item in items
    )
