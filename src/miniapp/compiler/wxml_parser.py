"""WXML text to a tree of elements, text and comments, with a line and column on every node.

Tolerant but strict: every problem is reported to `Diagnostics` (WXML_SYNTAX, WXML_UNCLOSED_TAG,
WXML_UNEXPECTED_CLOSE_TAG, WXML_UNTERMINATED_BINDING) and parsing carries on, so one run shows
every error of a file. `parse_wxml` never raises, whatever the input.

What this layer decides (the meaning of tags and attributes is `wxml.py`'s business):
- Markup starts only at `<` followed by a letter, `_`, `/`, `!` or `?`; any other `<` is text,
  as in WeChat (`a < b` in text is fine).
- Any tag may self-close (`<view/>`); there are no HTML void elements: `<input>` must be closed.
- Tag and attribute names are kept as written (`bind:tap`, `wx:for`, `data-foo-bar`); closing
  tags match opening tags case-insensitively.
- Attribute values may be double-quoted, single-quoted, unquoted (`a=b`, `a={{b}}`) or absent
  (`<view hidden>`, kept as `parts=None`).
- Text and attribute values are split into static strings and `{{ }}` bindings. A binding ends
  at the first `}}` outside string literals and outside `{ }` nesting, so `{{ "}}" }}` and
  `{{ {a: {b: 1}} }}` work; inside a quoted attribute a string literal may even contain the
  attribute's own quote (`title="{{ ok ? "yes" : "no" }}"`), as glass-easel allows.
- Entities are decoded in static parts (any HTML named entity such as `&amp;` `&nbsp;`
  `&copy;`, and `&#NN;` / `&#xHH;`); an unknown name like `&foo;` and a bare `&` stay as they are
  (URLs with `&` are everywhere). Binding source is never entity-decoded, like glass-easel.
- Whitespace-only text between tags is dropped (as glass-easel does); other text is kept as is.
- `<wxs>` bodies are raw: nothing inside is parsed until `</wxs>`.
"""

from __future__ import annotations

import html.entities
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Final

from miniapp.compiler.diagnostics import Diagnostics


@dataclass(slots=True)
class Binding:
    """A `{{ }}` binding: the expression source is `Document.text[start:end]` (braces excluded)."""

    start: int
    end: int


Part = str | Binding
"""A piece of a text node or attribute value: static text (entities decoded) or a binding."""


@dataclass(slots=True)
class Attribute:
    """One attribute. `parts` is None for a valueless attribute (`<view hidden>`).

    `raw` is the value's source text as written (quotes excluded), for directives that take a
    literal string such as `wx:key`. line/column locate the attribute's name.
    """

    name: str
    parts: list[Part] | None
    raw: str | None
    line: int
    column: int
    offset: int


@dataclass(slots=True)
class Text:
    parts: list[Part]
    line: int
    column: int


@dataclass(slots=True)
class Comment:
    text: str
    line: int
    column: int


@dataclass(slots=True)
class Element:
    """An element. For `<wxs>` with a body, `body` is its raw text, which starts at
    body_line:body_column. `depth` is 1 for a top-level element."""

    tag: str
    attributes: list[Attribute]
    line: int
    column: int
    children: list[Node] = field(default_factory=list)
    body: str | None = None
    body_line: int = 0
    body_column: int = 0
    depth: int = 1

    def attribute(self, name: str) -> Attribute | None:
        """The first attribute called `name` (WeChat keeps the first of duplicates)."""
        for attribute in self.attributes:
            if attribute.name == name:
                return attribute
        return None


Node = Element | Text | Comment


@dataclass(slots=True)
class Document:
    """A parsed file: `text` is the source the offsets in bindings refer to. `elements` holds
    every element at any depth in document order, for callers that look for some tags."""

    path: str
    text: str
    children: list[Node]
    line_starts: list[int]
    elements: list[Element] = field(default_factory=list)

    def position(self, offset: int) -> tuple[int, int]:
        """1-based line and column of a character offset in `text`."""
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1


# -- tokens -----------------------------------------------------------------------------------

_MARKUP = re.compile(r"<[A-Za-z_/!?]|\{\{")
_TAG_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-.:]*")
_CLOSE_TAG = re.compile(r"</([A-Za-z_][A-Za-z0-9_\-.:]*)\s*>")
# The common attribute in one match: a name, and optionally a quoted value without `&`.
_ATTRIBUTE_FAST = re.compile(
    r"""\s+([A-Za-z_][^\s"'<>/=]*)(?:\s*=\s*(?:"([^"&]*)"|'([^'&]*)'))?(?=[\s/>])"""
)
_ATTRIBUTE_NAME = re.compile(r"""[A-Za-z_][^\s"'<>/=]*""")
_EQUALS = re.compile(r"\s*=\s*")
_SPACE = re.compile(r"\s*")
_BLANK = re.compile(r"[ \t\n\r\f]*")
_UNQUOTED = re.compile(r"""(?:[^\s"'=<>`/{]|/(?!>)|\{(?!\{))+""")
_NOT_SPACE = re.compile(r"(?:[^\s/>]|/(?!>))*")
_BINDING_STOP = re.compile(r"""[{}"'`]""")
_STRING_REST = {
    '"': re.compile(r'(?:[^"\\\n]|\\[\s\S])*"'),
    "'": re.compile(r"(?:[^'\\\n]|\\[\s\S])*'"),
    "`": re.compile(r"(?:[^`\\]|\\[\s\S])*`"),
}
_WXS_END = re.compile(r"</wxs(?![A-Za-z0-9_\-.:])", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#([0-9]+)|#[xX]([0-9a-fA-F]+)|([A-Za-z][A-Za-z0-9]*));")
_NEWLINE = re.compile(r"\n")
_NAMED_ENTITIES: Final = html.entities.html5


def scan_binding(text: str, start: int, end: int | None = None) -> int:
    """Where the `}}` closing a binding whose source starts at `start` is, or -1.

    Skips string literals (a string may not span a line, as in JavaScript; a template string
    may) and `{ }` nesting. A stray `}` at depth 0 that is not `}}` ends the search with -1, so a
    typo such as `{{a}` does not swallow the rest of the file.
    """
    limit = len(text) if end is None else end
    depth = 0
    pos = start
    while True:
        match = _BINDING_STOP.search(text, pos, limit)
        if match is None:
            return -1
        i = match.start()
        char = text[i]
        if char == "{":
            depth += 1
            pos = i + 1
        elif char == "}":
            if depth == 0:
                return i if i + 1 < limit and text[i + 1] == "}" else -1
            depth -= 1
            pos = i + 1
        else:
            rest = _STRING_REST[char].match(text, i + 1, limit)
            if rest is None:
                return -1
            pos = rest.end()


def parse_wxml(text: str, path: str, diagnostics: Diagnostics) -> Document:
    """Parses WXML source; reports problems against `path`; never raises.

    Precondition: `text` is the decoded file with "\\r\\n" already turned into "\\n" (as
    `SourceTree.text` gives it).
    """
    return _Parser(text, path, diagnostics).parse()


class _Parser:
    __slots__ = (
        "diagnostics",
        "line_starts",
        "path",
        "pending",
        "pending_at",
        "text",
        "unquoted_end",
    )

    def __init__(self, text: str, path: str, diagnostics: Diagnostics) -> None:
        self.text = text
        self.path = path
        self.diagnostics = diagnostics
        self.line_starts = [0, *(m.end() for m in _NEWLINE.finditer(text))]
        self.pending: list[Part] = []  # text parts not yet made a node
        self.pending_at = 0
        self.unquoted_end = 0

    def position(self, offset: int) -> tuple[int, int]:
        index = bisect_right(self.line_starts, offset) - 1
        return index + 1, offset - self.line_starts[index] + 1

    def error(self, code: str, offset: int, message: str) -> None:
        line, column = self.position(offset)
        self.diagnostics.error(code, self.path, message, line=line, column=column)

    # -- the document --

    def parse(self) -> Document:
        text = self.text
        length = len(text)
        root: list[Node] = []
        elements: list[Element] = []  # every element, in document order
        stack: list[Element] = []
        children = root
        blank = _BLANK.fullmatch
        pos = 0
        while pos < length:
            match = _MARKUP.search(text, pos)
            if match is None:
                self.add_static(pos, length)
                break
            i = match.start()
            marker = text[i + 1]
            # Whitespace between tags is the commonest text and never kept: skip it cheaply.
            if i > pos and (self.pending or marker == "{" or not blank(text, pos, i)):
                self.add_static(pos, i)
            if marker == "{":
                pos = self.add_binding(i)
                continue
            if self.pending:
                self.flush(children)
            if marker == "/":
                pos = self.close_tag(i, stack)
                children = stack[-1].children if stack else root
            elif marker == "!":
                pos = self.comment(i, children)
            elif marker == "?":
                self.error("WXML_SYNTAX", i, "processing instructions (<?...?>) are not WXML")
                pos = self.skip_past(">", i)
            else:
                element, pos, opened = self.open_tag(i, len(stack))
                if element is None:
                    continue
                children.append(element)
                elements.append(element)
                if opened:
                    stack.append(element)
                    children = element.children
        self.flush(children)
        for element in reversed(stack):
            self.unclosed(element)
        return Document(self.path, text, root, self.line_starts, elements)

    def skip_past(self, char: str, start: int) -> int:
        end = self.text.find(char, start)
        return len(self.text) if end < 0 else end + 1

    # -- text --

    def add_static(self, start: int, end: int) -> None:
        if not self.pending:
            self.pending_at = start
        self.pending.append(self.decode(start, end))

    def add_binding(self, i: int) -> int:
        if not self.pending:
            self.pending_at = i
        close = scan_binding(self.text, i + 2)
        if close < 0:
            self.error("WXML_UNTERMINATED_BINDING", i, "{{ is never closed by }}")
            self.pending.append("{{")
            return i + 2
        self.pending.append(Binding(i + 2, close))
        return close + 2

    def flush(self, children: list[Node]) -> None:
        """Turns the pending text parts into a Text node, unless they are only whitespace."""
        pending = self.pending
        if not pending:
            return
        self.pending = []
        merged: list[Part] = []
        for part in pending:
            if isinstance(part, str):
                if not part:
                    continue
                if merged and isinstance(merged[-1], str):
                    merged[-1] += part
                    continue
            merged.append(part)
        if len(merged) == 1 and isinstance(merged[0], str):
            if _BLANK.fullmatch(merged[0]):
                return
        elif not merged:
            return
        line, column = self.position(self.pending_at)
        children.append(Text(merged, line, column))

    def decode(self, start: int, end: int) -> str:
        """Static text with entities decoded; a bad numeric entity is reported and kept."""
        segment = self.text[start:end]
        if "&" not in segment:
            return segment
        out: list[str] = []
        last = 0
        for match in _ENTITY.finditer(segment):
            decimal, hexadecimal, name = match.groups()
            if name is not None:
                value = _NAMED_ENTITIES.get(name + ";")
                if value is None:
                    continue  # not an entity WeChat knows either: keep the text
            else:
                code = int(decimal) if decimal is not None else int(hexadecimal, 16)
                if not (0 < code <= 0x10FFFF) or 0xD800 <= code <= 0xDFFF:
                    self.error(
                        "WXML_SYNTAX", start + match.start(), f"{match.group()} is no character"
                    )
                    continue
                value = chr(code)
            out.append(segment[last : match.start()])
            out.append(value)
            last = match.end()
        out.append(segment[last:])
        return "".join(out)

    def comment(self, i: int, children: list[Node]) -> int:
        text = self.text
        if text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            line, column = self.position(i)
            if end < 0:
                self.error("WXML_SYNTAX", i, "<!-- is never closed by -->")
                children.append(Comment(text[i + 4 :], line, column))
                return len(text)
            children.append(Comment(text[i + 4 : end], line, column))
            return end + 3
        self.error("WXML_SYNTAX", i, "only <!-- comments --> may start with <!")
        return self.skip_past(">", i)

    # -- tags --

    def close_tag(self, i: int, stack: list[Element]) -> int:
        match = _CLOSE_TAG.match(self.text, i)
        if match is None:
            self.error("WXML_SYNTAX", i, "malformed closing tag")
            end = self.text.find(">", i)
            next_open = self.text.find("<", i + 1)
            if end < 0 or 0 <= next_open < end:
                return i + 2
            return end + 1
        name = match.group(1).lower()
        for index in range(len(stack) - 1, -1, -1):
            if stack[index].tag.lower() == name:
                for element in reversed(stack[index + 1 :]):
                    self.unclosed(element)
                del stack[index:]
                return match.end()
        self.error("WXML_UNEXPECTED_CLOSE_TAG", i, f"</{match.group(1)}> closes no open tag")
        return match.end()

    def unclosed(self, element: Element) -> None:
        self.diagnostics.error(
            "WXML_UNCLOSED_TAG",
            self.path,
            f"<{element.tag}> is never closed",
            line=element.line,
            column=element.column,
        )

    def open_tag(  # noqa: PLR0912, PLR0915 - the hot loop, kept in one frame for speed
        self, i: int, depth: int
    ) -> tuple[Element | None, int, bool]:
        """Parses `<tag attrs...>` at i. Returns the element, the position after it, and whether
        it stays open for children."""
        text = self.text
        match = _TAG_NAME.match(text, i + 1)
        assert match is not None  # _MARKUP only stops at "<" followed by a name's first char
        tag = match.group()
        pos = match.end()
        line_starts = self.line_starts
        index = bisect_right(line_starts, i) - 1
        element = Element(tag, [], index + 1, i - line_starts[index] + 1, depth=depth + 1)
        # Attributes mostly share the tag's line: only look a line up when they do not.
        line_start = line_starts[index]
        next_line = line_starts[index + 1] if index + 1 < len(line_starts) else len(text) + 1
        attributes = element.attributes
        length = len(text)
        fast = _ATTRIBUTE_FAST
        while True:
            quick = fast.match(text, pos)
            if quick is not None:
                name, value, single = quick.groups()
                if value is None:
                    value = single
                parts: list[Part] | None
                if value is None:
                    parts = None
                elif "{{" in value:
                    parts = self.split_bindings(quick.end() - 1 - len(value), value)
                    if parts is None:  # a binding holds the quote itself: take the slow path
                        name_match = _ATTRIBUTE_NAME.match(text, quick.start(1))
                        assert name_match is not None  # the fast pattern matched this name
                        pos = self.attribute(name_match, attributes)
                        continue
                else:
                    parts = [value] if value else []
                start = quick.start(1)
                if not line_start <= start < next_line:
                    index = bisect_right(line_starts, start) - 1
                    line_start = line_starts[index]
                    next_line = (
                        line_starts[index + 1] if index + 1 < len(line_starts) else len(text) + 1
                    )
                attributes.append(
                    Attribute(name, parts, value, index + 1, start - line_start + 1, start)
                )
                pos = quick.end()
                continue
            space = _SPACE.match(text, pos)
            pos = space.end() if space is not None else pos  # the pattern matches ""
            if pos >= length:
                self.error("WXML_SYNTAX", i, f"<{tag}> is not finished by >")
                return None, length, False
            char = text[pos]
            if char == ">":
                pos += 1
                break
            if char == "/" and text.startswith("/>", pos):
                return element, pos + 2, False
            if char == "<":
                self.error("WXML_SYNTAX", pos, f"unexpected < inside <{tag}>")
                break
            name_match = _ATTRIBUTE_NAME.match(text, pos)
            if name_match is None:
                self.error("WXML_SYNTAX", pos, f"unexpected {char!r} inside <{tag}>")
                pos += 1
                continue
            pos = self.attribute(name_match, attributes)
        if tag.lower() == "wxs":
            return element, self.wxs_body(element, pos), False
        return element, pos, True

    def split_bindings(self, start: int, value: str) -> list[Part] | None:
        """Parts of a quoted value text[start:start+len(value)] free of quotes and entities, or
        None when a binding does not close inside it."""
        text = self.text
        end = start + len(value)
        parts: list[Part] = []
        pos = start
        while True:
            opening = text.find("{{", pos, end)
            if opening < 0:
                if pos < end:
                    parts.append(text[pos:end])
                return parts
            if opening > pos:
                parts.append(text[pos:opening])
            close = scan_binding(text, opening + 2, end)
            if close < 0:
                return None
            parts.append(Binding(opening + 2, close))
            pos = close + 2

    def attribute(self, name_match: re.Match[str], attributes: list[Attribute]) -> int:
        """The slow path for one attribute: bindings, entities, unquoted values, odd spacing."""
        text = self.text
        start = name_match.start()
        line, column = self.position(start)
        name = name_match.group()
        pos = name_match.end()
        equals = _EQUALS.match(text, pos)
        if equals is None or not equals.group():
            attributes.append(Attribute(name, None, None, line, column, start))
            return pos
        pos = equals.end()
        quote = text[pos] if pos < len(text) else ""
        if quote in ('"', "'"):
            parts, end = self.quoted_value(pos + 1, quote)
            attributes.append(Attribute(name, parts, text[pos + 1 : end], line, column, start))
            return min(end + 1, len(text))
        parts = self.unquoted_value(pos)
        end = self.unquoted_end
        if end == pos:
            self.error("WXML_SYNTAX", pos, f"attribute {name} has = but no value")
        attributes.append(Attribute(name, parts, text[pos:end], line, column, start))
        return end

    def quoted_value(self, start: int, quote: str) -> tuple[list[Part], int]:
        """Parts of a quoted value starting at `start`, and the index of its closing quote."""
        text = self.text
        parts: list[Part] = []
        pos = start
        while True:
            close = text.find(quote, pos)
            if close < 0:
                self.error("WXML_SYNTAX", start - 1, "attribute value is never closed by its quote")
                close = len(text)
            opening = text.find("{{", pos, close)
            if opening < 0:
                if close > pos:
                    parts.append(self.decode(pos, close))
                return parts, close
            if opening > pos:
                parts.append(self.decode(pos, opening))
            end = scan_binding(text, opening + 2)
            if end < 0:
                self.error("WXML_UNTERMINATED_BINDING", opening, "{{ is never closed by }}")
                parts.append(self.decode(opening, close))
                return parts, close
            parts.append(Binding(opening + 2, end))
            pos = end + 2

    def unquoted_value(self, start: int) -> list[Part]:
        """Parts of an unquoted value (`a=b`, `a={{x + y}}`); sets `unquoted_end`."""
        text = self.text
        parts: list[Part] = []
        pos = start
        while True:
            run = _UNQUOTED.match(text, pos)
            if run is not None:
                parts.append(self.decode(pos, run.end()))
                pos = run.end()
            if not text.startswith("{{", pos):
                break
            close = scan_binding(text, pos + 2)
            if close < 0:
                self.error("WXML_UNTERMINATED_BINDING", pos, "{{ is never closed by }}")
                rest = _NOT_SPACE.match(text, pos)
                end = rest.end() if rest is not None else pos
                parts.append(self.decode(pos, end))
                pos = end
                break
            parts.append(Binding(pos + 2, close))
            pos = close + 2
        self.unquoted_end = pos
        return parts

    def wxs_body(self, element: Element, pos: int) -> int:
        """Takes the raw body of `<wxs>` up to `</wxs>`; returns the position after `</wxs>`."""
        text = self.text
        element.body_line, element.body_column = self.position(pos)
        match = _WXS_END.search(text, pos)
        if match is None:
            element.body = text[pos:]
            self.unclosed(element)
            return len(text)
        element.body = text[pos : match.start()]
        close = _CLOSE_TAG.match(text, match.start())
        if close is None:
            self.error("WXML_SYNTAX", match.start(), "malformed </wxs> tag")
            return match.end()
        return close.end()
