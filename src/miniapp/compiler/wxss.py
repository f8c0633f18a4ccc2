"""WXSS → CSS: rpx units, @import inlining, built-in tag selectors and component class scoping.

The contract is docs/bundle-format.md, "Styles". tinycss2 tokenises the source (plain CSS goes
through `css_tokens`, which builds the very same tokens faster); this module groups
the tokens into rules and declarations itself (so every error has the position of the construct
that is wrong, not of the token where tinycss2 happened to notice), rewrites tokens and serialises
them back with `tinycss2.serialize` (for speed, declarations and selectors made of common tokens
go through `_plain_tokens`, which writes exactly what tinycss2 1.5 would; tests compare the two).
Nothing here parses CSS with regular expressions (`css_tokens` only tokenises with one).

Output is compact (one rule a line, comments dropped) but otherwise what was written: media
queries, keyframes, font faces, vendor prefixes, `!important` and custom properties pass through.

`Nrpx` becomes `calc(N * 100vw / 750)` with N written exactly as in the source: no rounding, so no
precision is lost, and the browser evaluates it against the view's width (the view is an iframe,
so `vw` is its width). Only declaration values are converted: a media query or a selector keeps
what was written. Unlike WeChat's runtime, values are not rounded to whole pixels.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import tinycss2  # type: ignore[import-untyped]
from tinycss2 import serialize_identifier
from tinycss2.ast import (  # type: ignore[import-untyped]
    FunctionBlock,
    IdentToken,
    LiteralToken,
    NumberToken,
)
from tinycss2.serializer import BAD_PAIRS as _BAD_PAIRS  # type: ignore[import-untyped]

from miniapp.compiler.builtins import BUILTIN_TAGS
from miniapp.compiler.css_tokens import component_values
from miniapp.compiler.diagnostics import Diagnostics
from miniapp.compiler.sources import SourceTree, resolve_path

# tinycss2 ships no type information; its nodes are plain classes told apart by `.type`.
CssNode = Any

# Deeper nesting than this is never real CSS, and tinycss2's serialiser (like our walkers) recurses
# per level, so refusing it keeps hostile input from exhausting the Python stack.
MAX_NESTING = 100

_BLOCK_TYPES = frozenset({"() block", "[] block", "{} block", "function"})
_CLOSERS = {"() block": ")", "[] block": "]", "{} block": "}", "function": ")"}
_OPENERS = {"() block": "(", "[] block": "[", "{} block": "{"}

# Grouping rules whose block holds more rules (selectors inside are rewritten as usual).
_GROUPING_AT_RULES = frozenset(
    {"media", "supports", "document", "-moz-document", "container", "layer", "scope"}
    | {"starting-style"}
)
# At-rules whose block holds declarations (descriptors), never selectors.
_DESCRIPTOR_AT_RULES = frozenset(
    {"font-face", "page", "property", "counter-style", "font-feature-values"}
    | {"font-palette-values", "viewport", "-ms-viewport", "position-try", "view-transition"}
)
# Pseudo-classes whose argument is a selector list, rewritten like the outer selector.
_SELECTOR_FUNCTIONS = frozenset({"not", "is", "where", "has", "matches", "-webkit-any", "-moz-any"})
_NTH_FUNCTIONS = frozenset({"nth-child", "nth-last-child"})

_ERROR_MESSAGES = {
    "bad-string": "unterminated string: a quoted string cannot contain a raw line break",
    "eof-in-string": "unterminated string: the file ends inside quotes",
    "bad-url": "malformed url(...): quote the address or escape its special characters",
    "eof-in-url": "unterminated url(: the file ends before its closing )",
}


@dataclass(frozen=True, kw_only=True)
class CompiledStyle:
    """The CSS of one .wxss file with its imports inlined."""

    css: str
    files: list[str]  # every .wxss file read (the file itself and everything it @imports), in order


def compile_wxss(
    tree: SourceTree, path: str, diagnostics: Diagnostics, *, scope: str | None = None
) -> CompiledStyle | None:
    """Compile the .wxss file `path` of `tree` (and everything it @imports) into one CSS text.

    Preconditions: `path` is a root-relative .wxss path of `tree`; `scope`, when given, is the
    component's style scope (`components-card-card`), a valid CSS identifier start. With a scope,
    `.x` becomes `.<scope>--x` and `:host` becomes `.<scope>--host`.

    Every problem is reported to `diagnostics` (WXSS_SYNTAX, WXSS_IMPORT_NOT_FOUND,
    WXSS_IMPORT_CYCLE, TEXT_NOT_UTF8) with its file, line and column, and compilation carries on so
    all of them show. Returns None when anything was reported, else the CSS. Never raises.
    """
    before = len(diagnostics.items)
    if not tree.has(path):
        diagnostics.error("INTERNAL_ERROR", path, "compile_wxss was given a file the package lacks")
        return None
    compiler = _Compiler(tree=tree, diagnostics=diagnostics, scope=scope)
    try:
        css = compiler.compile_file(path)
    except Exception as exc:  # the promise is "never raise": a bug here must not stop a build
        diagnostics.error("INTERNAL_ERROR", path, f"the WXSS compiler failed: {exc!r}")
        return None
    if len(diagnostics.items) > before:
        return None
    return CompiledStyle(css=css, files=list(compiler.files))


@dataclass
class _Compiler:
    """State shared by one compile: which files were read, and the @import chain being followed."""

    tree: SourceTree
    diagnostics: Diagnostics
    scope: str | None
    files: list[str] = field(default_factory=list)
    stack: list[str] = field(default_factory=list)

    def compile_file(self, path: str) -> str:
        """The CSS of `path`, imports inlined. Precondition: `tree.has(path)`, not yet read."""
        self.files.append(path)
        self.stack.append(path)
        try:
            text = self.tree.text(path, self.diagnostics)
            if text is None:
                return ""
            return _File(self, path, text).compile()
        finally:
            self.stack.pop()


class _File:
    """Compiles the text of one .wxss file; reports errors against that file."""

    def __init__(self, compiler: _Compiler, path: str, text: str) -> None:
        self.compiler = compiler
        self.path = path
        # The same substitutions tinycss2 makes (each keeps the length), so that offsets we compute
        # from its line/column positions index this text.
        self.text = text.replace("\0", "\ufffd").replace("\r", "\n").replace("\f", "\n")
        self._line_starts: list[int] | None = None

    # -- reporting -----------------------------------------------------------------------------

    def error(self, node: CssNode, message: str, code: str = "WXSS_SYNTAX") -> None:
        self.compiler.diagnostics.error(
            code, self.path, message, line=node.source_line, column=node.source_column
        )

    def offset(self, node: CssNode) -> int:
        """Character offset in `self.text` of where `node` starts."""
        if self._line_starts is None:
            starts = [0]
            index = self.text.find("\n")
            while index != -1:
                starts.append(index + 1)
                index = self.text.find("\n", index + 1)
            self._line_starts = starts
        line = min(int(node.source_line), len(self._line_starts))
        return self._line_starts[line - 1] + int(node.source_column) - 1

    # -- driver --------------------------------------------------------------------------------

    def compile(self) -> str:
        # An @imported file is inlined into every page that imports it: tokenise it once.
        tokenised = self.compiler.tree.memo("wxss.tokens")
        if self.path not in tokenised:
            tokenised[self.path] = component_values(self.text)
        tokens = tokenised[self.path]
        if not self._check_tokens(tokens):
            return ""
        out: list[str] = []
        self._rule_list(tokens, out, top=True)
        return "".join(out)

    def _check_tokens(self, tokens: list[CssNode]) -> bool:
        """Report token-level errors: bad strings and urls, stray closers, unclosed blocks and
        comments. False when nesting is too deep to process safely (reported too)."""
        stack: list[tuple[list[CssNode], int]] = [(tokens, 0)]
        while stack:
            nodes, depth = stack.pop()
            for node in nodes:
                if node.type == "error":
                    message = _ERROR_MESSAGES.get(node.kind)
                    if message is None:  # an unmatched ), ] or }
                        message = f'unexpected "{node.kind}": nothing is open here to close'
                    self.error(node, message)
                elif node.type in _BLOCK_TYPES:
                    if depth >= MAX_NESTING:
                        self.error(node, f"blocks are nested more than {MAX_NESTING} deep")
                        return False
                    stack.append((_children(node), depth + 1))
        self._check_unclosed(tokens)
        return True

    def _check_unclosed(self, tokens: list[CssNode]) -> None:
        # tinycss2 silently closes every block still open at the end of the file. Those blocks are
        # a prefix of the chain "last node of the file, last node inside it, ...". To tell which
        # of the chain are closed, tokenise again from the innermost one with its closer appended:
        # if it was closed, the appended closer and every closed ancestor's closer are left over
        # as "unmatched" errors; if it was open, the closer is used up and nothing is left over.
        chain: list[CssNode] = []
        nodes = tokens
        while nodes and nodes[-1].type in _BLOCK_TYPES:
            chain.append(nodes[-1])
            nodes = _children(nodes[-1])
        if nodes and nodes[-1].type == "comment":
            start = self.offset(nodes[-1])
            if self.text.find("*/", start + 2) == -1:
                self.error(nodes[-1], 'unclosed comment: "/*" without a matching "*/"')
        if not chain:
            return
        innermost = chain[-1]
        again = tinycss2.parse_component_value_list(
            self.text[self.offset(innermost) :] + _CLOSERS[innermost.type]
        )
        closed = sum(1 for node in again if node.type == "error" and node.kind in ")]}")
        for block in chain[: len(chain) - closed]:
            opener = f"{block.name}(" if block.type == "function" else _OPENERS[block.type]
            closer = _CLOSERS[block.type]
            self.error(block, f'"{opener}" is never closed: add "{closer}"')

    # -- rules ---------------------------------------------------------------------------------

    def _rule_list(self, nodes: list[CssNode], out: list[str], *, top: bool) -> None:
        """A list of rules: the file itself, or the block of @media and the like."""
        index, count = 0, len(nodes)
        while index < count:
            node = nodes[index]
            index += 1
            if node.type in ("whitespace", "comment", "error"):
                continue  # errors were reported by _check_tokens
            if node.type == "literal" and node.value in (";", "<!--", "-->"):
                # A stray ";" after a rule is a common slip. Browsers would fold it into the next
                # selector and drop that rule; we skip it and keep the rule.
                continue
            prelude: list[CssNode] = []
            block: CssNode | None = None
            while index < count:
                item = nodes[index]
                index += 1
                if item.type == "{} block":
                    block = item
                    break
                if item.type == "literal" and item.value == ";":
                    break
                prelude.append(item)
            if node.type == "at-keyword":
                self._at_rule(node, _significant(prelude), block, out, top=top)
            elif block is None:
                text = _excerpt([node, *prelude])
                self.error(node, f'expected "{{" after "{text}"')
            else:
                self._style_rule(node, _significant([node, *prelude]), block, out)

    def _style_rule(
        self, first: CssNode, prelude: list[CssNode], block: CssNode, out: list[str]
    ) -> None:
        if not prelude:
            self.error(block, 'a rule needs a selector before "{"')
            return
        if any(node.type == "error" for node in prelude):
            return  # reported by _check_tokens; the selector is unusable
        selector = _serialize(_rewrite_selector(prelude, self.compiler.scope))
        body = self._declarations(block.content, nested_rules=False)
        out.append(f"{selector}{{{body}}}\n")

    def _at_rule(
        self,
        keyword: CssNode,
        prelude: list[CssNode],
        block: CssNode | None,
        out: list[str],
        *,
        top: bool,
    ) -> None:
        name = keyword.lower_value
        if name == "import":
            self._import(keyword, prelude, block, out, top=top)
            return
        if name == "charset":
            # The output is always UTF-8, and a @charset anywhere but first would be ignored.
            if block is not None:
                self.error(keyword, "@charset takes no block")
            return
        head = tinycss2.serialize([keyword])
        if prelude:
            head += " " + tinycss2.serialize(prelude)
        kind = _at_rule_kind(name)
        if block is None:
            if kind is None or name == "layer":
                # "@layer a, b;", @namespace and at-rules we do not know: kept, browsers decide.
                out.append(f"{head};\n")
            else:
                self.error(keyword, f'expected "{{" after @{keyword.value}')
        elif kind == "rules":
            inner: list[str] = []
            self._rule_list(block.content, inner, top=False)
            out.append(f"{head}{{\n{''.join(inner)}}}\n")
        elif kind == "keyframes":
            if len(prelude) != 1 or prelude[0].type not in ("ident", "string"):
                self.error(keyword, f"@{keyword.value} needs exactly one name")
                return
            out.append(f"{head}{{\n{self._keyframes(block.content)}}}\n")
        elif kind == "descriptors":
            out.append(f"{head}{{{self._declarations(block.content, nested_rules=True)}}}\n")
        else:
            out.append(f"{head}{tinycss2.serialize([block])}\n")

    def _keyframes(self, nodes: list[CssNode]) -> str:
        """Keyframe rules: their selectors (from, to, 50%) are kept, their values converted."""
        out: list[str] = []
        index, count = 0, len(nodes)
        while index < count:
            node = nodes[index]
            index += 1
            if node.type in ("whitespace", "comment", "error") or (
                node.type == "literal" and node.value == ";"
            ):
                continue
            prelude = [node]
            block = None
            while index < count:
                item = nodes[index]
                index += 1
                if item.type == "{} block":
                    block = item
                    break
                prelude.append(item)
            if block is None:
                self.error(node, f'expected "{{" after "{_excerpt(prelude)}"')
                continue
            selector = tinycss2.serialize(_significant(prelude))
            out.append(f"{selector}{{{self._declarations(block.content, nested_rules=True)}}}\n")
        return "".join(out)

    def _import(
        self,
        keyword: CssNode,
        prelude: list[CssNode],
        block: CssNode | None,
        out: list[str],
        *,
        top: bool,
    ) -> None:
        if not top:
            self.error(keyword, "@import must be at the top level of the file, outside any block")
            return
        reference = _import_reference(prelude) if block is None else None
        if reference is None:
            self.error(keyword, '@import takes one path and a ";": @import "common.wxss";')
            return
        compiler = self.compiler
        if "://" in reference or reference.startswith(("//", "data:")):
            compiler.diagnostics.error(
                "WXSS_IMPORT_NOT_FOUND",
                self.path,
                f'cannot @import "{reference}": only .wxss files of the package can be imported',
                line=keyword.source_line,
                column=keyword.source_column,
            )
            return
        # WeChat takes "common" to mean "common.wxss"; a bare name is relative, like "./common".
        wanted = reference if reference.endswith(".wxss") else reference + ".wxss"
        target = resolve_path(self.path, wanted)
        if target is None or not compiler.tree.has(target):
            where = f" (looked for {target})" if target else " (it points outside the package)"
            self.error(keyword, f'cannot find "{reference}"{where}', code="WXSS_IMPORT_NOT_FOUND")
            return
        if target in compiler.stack:
            chain = " → ".join([*compiler.stack[compiler.stack.index(target) :], target])
            self.error(keyword, f"@import cycle: {chain}", code="WXSS_IMPORT_CYCLE")
            return
        if target in compiler.files:
            return  # each file is inlined once per output
        out.append(compiler.compile_file(target))

    # -- declarations --------------------------------------------------------------------------

    def _declarations(self, nodes: list[CssNode], *, nested_rules: bool) -> str:
        """The body of a rule: declarations separated by ";". `nested_rules` allows at-rules
        inside (the margin boxes of @page, the blocks of @font-feature-values); a style rule
        allows none, as WXSS has no CSS nesting."""
        parts: list[str] = []
        chunk: list[CssNode] = []
        for node in nodes:
            if node.type == "literal" and node.value == ";":
                self._declaration(chunk, parts, nested_rules=nested_rules)
                chunk = []
            elif node.type == "{} block":
                chunk.append(node)
                self._declaration(chunk, parts, nested_rules=nested_rules)
                chunk = []
            else:
                chunk.append(node)
        self._declaration(chunk, parts, nested_rules=nested_rules)
        return ";".join(parts)

    def _declaration(self, chunk: list[CssNode], parts: list[str], *, nested_rules: bool) -> None:
        tokens = _significant(chunk)
        if not tokens or any(node.type == "error" for node in tokens):
            return  # empty (";;"), or already reported by _check_tokens
        first = tokens[0]
        if first.type == "at-keyword":
            block = tokens[-1] if tokens[-1].type == "{} block" else None
            if not nested_rules:
                self.error(first, f"@{first.value} cannot be nested inside a rule in WXSS")
                return
            head = tinycss2.serialize(_significant(tokens[:-1]) if block is not None else tokens)
            if block is None:
                parts.append(head)
            else:
                body = self._declarations(block.content, nested_rules=False)
                parts.append(f"{head}{{{body}}}")
            return
        declaration = _split_declaration(tokens)
        if declaration is None:
            if tokens[-1].type == "{} block":
                message = "nested rules are not supported in WXSS: close the rule first"
            else:
                message = f'invalid declaration "{_excerpt(tokens)}": expected "property: value"'
            self.error(first, message)
            return
        name, value_tokens, is_important = declaration
        value = _plain_value(value_tokens)
        if value is None:
            value = tinycss2.serialize(_significant(_convert_values(value_tokens)))
        important = "!important" if is_important else ""
        if not _PLAIN_IDENT.fullmatch(name):
            name = serialize_identifier(name)
        parts.append(f"{name}:{value}{important}")


# -- helpers ---------------------------------------------------------------------------------------


def _split_declaration(tokens: list[CssNode]) -> tuple[str, list[CssNode], bool] | None:
    """What `tinycss2.parse_one_declaration(tokens)` finds (tinycss2 1.5's rules, mirrored to
    skip its token iterators): the name, the value tokens and whether it is `!important`; None
    where it returns a ParseError. Precondition: `tokens` is not empty."""
    name = tokens[0]
    if name.type != "ident":
        return None
    count = len(tokens)
    index = 1
    while index < count and tokens[index].type in ("whitespace", "comment"):
        index += 1
    if index == count:
        return None
    colon = tokens[index]
    if colon.type != "literal" or colon.value != ":":
        return None
    value = tokens[index + 1 :]
    state = "value"
    bang = 0
    non_whitespace = simple_block = False
    for position, token in enumerate(value):
        kind = token.type
        if state == "value" and kind == "literal" and token.value == "!":
            state = "bang"
            bang = position
        elif state == "bang" and kind == "ident" and token.lower_value == "important":
            state = "important"
        elif kind not in ("whitespace", "comment"):
            state = "value"
            if kind == "{} block" and non_whitespace:
                simple_block = True
            non_whitespace = True
    if state == "important":
        del value[bang:]
    if simple_block:
        return None
    return name.value, value, state == "important"


def _children(node: CssNode) -> list[CssNode]:
    return node.arguments if node.type == "function" else node.content  # type: ignore[no-any-return]


def _significant(nodes: Sequence[CssNode]) -> list[CssNode]:
    """`nodes` without comments, and without whitespace at either end."""
    kept = [node for node in nodes if node.type != "comment"]
    start, end = 0, len(kept)
    while start < end and kept[start].type == "whitespace":
        start += 1
    while end > start and kept[end - 1].type == "whitespace":
        end -= 1
    return kept[start:end]


def _excerpt(nodes: Sequence[CssNode], limit: int = 40) -> str:
    text = " ".join(tinycss2.serialize(_significant(nodes)).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _import_reference(prelude: list[CssNode]) -> str | None:
    """The path of `@import "x";`, `@import 'x';`, `@import url(x);` or `@import url("x");`."""
    if len(prelude) != 1:
        return None
    node = prelude[0]
    if node.type in ("string", "url"):
        return str(node.value)
    if node.type == "function" and node.lower_name == "url":
        arguments = _significant(node.arguments)
        if len(arguments) == 1 and arguments[0].type == "string":
            return str(arguments[0].value)
    return None


def _rpx(node: CssNode) -> CssNode:
    """`Nrpx` as `calc(N * 100vw / 750)`, N exactly as written (no rounding, no precision lost)."""
    line, column = node.source_line, node.source_column
    number = NumberToken(line, column, node.value, node.int_value, node.representation)
    return FunctionBlock(line, column, "calc", [number, *_RPX_TAIL])


# The constant part of a converted rpx value; tokens are only read when serialising, so one shared
# list serves every conversion.
_RPX_TAIL: tuple[CssNode, ...] = tuple(
    tinycss2.parse_component_value_list("calc(0 * 100vw / 750)")[0].arguments[1:]
)


def _convert_values(nodes: list[CssNode]) -> list[CssNode]:
    """A declaration value with every rpx dimension converted (inside functions and blocks too)
    and comments dropped (tinycss2.serialize separates tokens that would otherwise merge)."""
    result: list[CssNode] = []
    for node in nodes:
        kind = node.type
        if kind == "dimension" and node.lower_unit == "rpx":
            result.append(_rpx(node))
        elif kind == "comment":
            continue
        elif kind == "function":
            result.append(
                FunctionBlock(
                    node.source_line, node.source_column, node.name, _convert_values(node.arguments)
                )
            )
        elif kind in ("() block", "[] block", "{} block"):
            copy = type(node)(node.source_line, node.source_column, _convert_values(node.content))
            result.append(copy)
        else:
            result.append(node)
    return result


# Identifiers and names that tinycss2's serialize_identifier / serialize_name write unchanged.
_PLAIN_IDENT = re.compile(r"(?:--|-?[A-Za-z_\u0080-\U0010ffff])[A-Za-z0-9_\-\u0080-\U0010ffff]*")
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_\-\u0080-\U0010ffff]*")


def _plain_value(nodes: list[CssNode]) -> str | None:
    """`tinycss2.serialize(_significant(_convert_values(nodes)))` for the common values, made
    without building the converted tokens; None when a token needs the general path (strings,
    urls, escapes and the like)."""
    kept = [node for node in nodes if node.type != "comment"]
    start, end = 0, len(kept)
    while start < end and kept[start].type == "whitespace":
        start += 1
    while end > start and kept[end - 1].type == "whitespace":
        end -= 1
    out: list[str] = []
    if not _plain_tokens(kept[start:end], out, values=True):
        return None
    return "".join(out)


def _serialize(nodes: list[CssNode]) -> str:
    """`tinycss2.serialize(nodes)`, faster for the common tokens."""
    out: list[str] = []
    if _plain_tokens(nodes, out, values=False):
        return "".join(out)
    return str(tinycss2.serialize(nodes))


def _plain_tokens(  # noqa: PLR0911, PLR0912 - one flat dispatch, for speed
    nodes: list[CssNode], out: list[str], *, values: bool
) -> bool:
    """Appends to `out` what tinycss2's serializer writes for `nodes` (the "/**/" it puts between
    tokens that would merge included); with `values`, once `_convert_values` converted rpx and
    dropped comments. False when some token is not one this mirrors exactly."""
    previous = None
    for node in nodes:
        kind = node.type
        if kind == "comment":
            if values:
                continue  # _convert_values drops them before serialising
            return False
        pair = node.value if kind == "literal" else kind
        rpx = values and kind == "dimension" and node.lower_unit == "rpx"
        if rpx:
            pair = "function"  # it becomes calc(...)
        if (previous, pair) in _BAD_PAIRS:
            out.append("/**/")
        previous = pair
        if kind == "whitespace":
            out.append(node.value)
        elif kind == "literal":
            if node.value == "\\":
                return False
            out.append(node.value)
        elif kind == "ident":
            if not _PLAIN_IDENT.fullmatch(node.value):
                return False
            out.append(node.value)
        elif kind == "number":
            out.append(node.representation)
        elif kind == "percentage":
            out.append(node.representation)
            out.append("%")
        elif kind == "dimension":
            if rpx:
                out.append(f"calc({node.representation} * 100vw / 750)")
                continue
            unit = node.unit
            if unit[:1] in ("e", "E") or not _PLAIN_IDENT.fullmatch(unit):
                return False
            out.append(node.representation)
            out.append(unit)
        elif kind == "hash":
            plain = _PLAIN_IDENT if node.is_identifier else _PLAIN_NAME
            if not plain.fullmatch(node.value):
                return False
            out.append("#")
            out.append(node.value)
        elif kind == "function":
            if not _PLAIN_IDENT.fullmatch(node.name):
                return False
            out.append(node.name)
            out.append("(")
            if not _plain_tokens(node.arguments, out, values=values):
                return False
            out.append(")")
        elif kind in ("() block", "[] block"):
            out.append(kind[0])
            if not _plain_tokens(node.content, out, values=values):
                return False
            out.append(kind[1])
        else:
            return False
    return True


def _at_rule_kind(name: str) -> str | None:
    """What the block of the at-rule `name` holds: "rules", "keyframes", "descriptors" or None
    (unknown: kept as written)."""
    if name in _GROUPING_AT_RULES:
        return "rules"
    if name.endswith("keyframes"):  # also -webkit-keyframes and the like
        return "keyframes"
    if name in _DESCRIPTOR_AT_RULES:
        return "descriptors"
    return None


def _rewrite_selector(nodes: list[CssNode], scope: str | None) -> list[CssNode]:
    """Rewrite a selector list: built-in tags → wx-<tag>, and with a scope classes and :host.

    Only type-selector positions change: an identifier right after "." is a class, after ":" a
    pseudo-class, before "|" a namespace; identifiers inside [attribute] blocks are never touched.
    """
    result: list[CssNode] = []
    count = len(nodes)
    index = 0
    while index < count:
        node = nodes[index]
        previous = nodes[index - 1] if index else None
        following = nodes[index + 1] if index + 1 < count else None
        index += 1
        kind = node.type
        if kind == "comment":
            continue
        if kind == "ident":
            result.append(_rewrite_ident(node, previous, following, scope))
        elif scope is not None and _is_literal(node, ":") and not _is_literal(previous, ":"):
            host = _rewrite_host(node, following, scope)
            if host is None:
                result.append(node)
            else:
                result.extend(host)
                index += 1  # the "host" identifier or function was consumed too
        elif kind == "function" and _is_literal(previous, ":"):
            result.append(_rewrite_pseudo_function(node, scope))
        else:
            result.append(node)
    return result


def _rewrite_ident(
    node: CssNode, previous: CssNode | None, following: CssNode | None, scope: str | None
) -> CssNode:
    if _is_literal(previous, "."):
        return node if scope is None else _ident(node, f"{scope}--{node.value}")
    if _is_literal(previous, ":") or _is_literal(following, "|"):
        return node  # a pseudo-class or a namespace prefix
    lower = node.lower_value
    if lower in BUILTIN_TAGS or lower == "page":
        return _ident(node, f"wx-{lower}")
    return node


def _rewrite_host(colon: CssNode, following: CssNode | None, scope: str) -> list[CssNode] | None:
    """`:host` and `:host(<compound>)` name the component's own element, which carries the class
    <scope>--host; None when what follows the ":" is an ordinary pseudo-class."""
    if following is None:
        return None
    if following.type == "ident" and following.lower_value == "host":
        return _host_class(colon, scope)
    if following.type == "function" and following.lower_name == "host":
        inner = _significant(_rewrite_selector(following.arguments, scope))
        if inner and (inner[0].type == "ident" or _is_literal(inner[0], "*")):
            # A type selector must come first in a compound: view.x, not .x view.
            return [inner[0], *_host_class(colon, scope), *inner[1:]]
        return [*_host_class(colon, scope), *inner]
    return None


def _rewrite_pseudo_function(node: CssNode, scope: str | None) -> CssNode:
    """Selectors inside :not(), :is(), :where(), :has() and after "of" in :nth-child()."""
    name = node.lower_name
    if name in _SELECTOR_FUNCTIONS:
        return _function(node, _rewrite_selector(node.arguments, scope))
    if name in _NTH_FUNCTIONS:
        arguments = node.arguments
        for position, item in enumerate(arguments):
            if item.type == "ident" and item.lower_value == "of":
                rest = _rewrite_selector(arguments[position + 1 :], scope)
                return _function(node, [*arguments[: position + 1], *rest])
    return node


def _is_literal(node: CssNode | None, value: str) -> bool:
    return node is not None and node.type == "literal" and node.value == value


def _ident(node: CssNode, value: str) -> CssNode:
    return IdentToken(node.source_line, node.source_column, value)


def _function(node: CssNode, arguments: list[CssNode]) -> CssNode:
    return FunctionBlock(node.source_line, node.source_column, node.name, arguments)


def _host_class(node: CssNode, scope: str) -> list[CssNode]:
    return [
        LiteralToken(node.source_line, node.source_column, "."),
        IdentToken(node.source_line, node.source_column, f"{scope}--host"),
    ]


__all__ = ["MAX_NESTING", "CompiledStyle", "compile_wxss"]
