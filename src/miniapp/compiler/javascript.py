"""JavaScript and WXS analysis with tree-sitter, and the per-package logic and WXS files.

`analyse_js` parses one module, reports syntax errors, resolves its literal `require()` calls (and
import sources) the way WeChat does, converts ES module syntax to CommonJS and lists the `wx.*`
APIs and network domains it mentions (for review).
`analyse_wxs` does the same for a WXS module (ES5 only, relative `.wxs` requires only).
`logic_file` and `wxs_file` wrap analysed modules into the files described in
docs/bundle-format.md, "Logic file" and "WXS file".

Sources are kept byte for byte, with one exception: ES module syntax (`import`, `export`) is
converted to CommonJS in place, on the same lines (see `_EsModule`). tree-sitter is fast and
error tolerant; the tree is walked in Python only where it has errors. Everything else in a JS
module is found by scanning the bytes for a word ("require", "wx", "://"...) and confirming each
hit against the tree (node type, parent, field), which costs far less than a Query run over a
large tree; WXS modules, which are small, use one tree-sitter Query.

Positions: tree-sitter counts columns in UTF-8 bytes; diagnostics and reports count characters
from 1, like `diagnostics.line_column`. `_Positions` converts in one pass over the file.
"""

from __future__ import annotations

import itertools
import json
import posixpath
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import tree_sitter_javascript
from tree_sitter import Language, Node, Parser, Query, QueryCursor

from miniapp.compiler.diagnostics import Diagnostics
from miniapp.compiler.sources import SourceTree, resolve_path

# -- public types ----------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Position:
    """Where something is: `file` root-relative, line and column counted in characters from 1."""

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, kw_only=True)
class JsModule:
    """One analysed JavaScript module."""

    path: str  # root-relative, with .js
    source: str  # the file as written
    # What the logic file runs: `source` itself, or for an ES module `source` with import and
    # export converted to CommonJS line for line, plus `prologue` (code for the wrapper line).
    code: str
    prologue: str
    # each literal require() argument and import/export source -> resolved module path (with .js)
    requires: dict[str, str]
    apis: list[tuple[str, Position]]  # each wx.<name> use, in source order
    domains: list[tuple[str, Position]]  # each URL host / hostname in a string, in source order


@dataclass(frozen=True, kw_only=True)
class WxsModule:
    """One analysed WXS module: a .wxs file (id = its path) or an inline <wxs> (id = wxml#name)."""

    id: str
    code: str
    requires: dict[str, str]  # each require() argument -> the .wxs file's root-relative path


# -- the parser ------------------------------------------------------------------------------------

_LANGUAGE = Language(tree_sitter_javascript.language())
# A Parser keeps state between calls and is not safe to share between threads; compiles may run
# in a thread pool, so each thread reuses its own.
_LOCAL = threading.local()


def _parser() -> Parser:
    parser: Parser | None = getattr(_LOCAL, "parser", None)
    if parser is None:
        parser = Parser(_LANGUAGE)
        _LOCAL.parser = parser
    return parser


def javascript_parser() -> Parser:
    """This thread's tree-sitter parser for JavaScript, for other stages that read JS."""
    return _parser()


# analyse_js finds what it needs without a Query: a Query run walks the whole tree (about 55 ms per
# MB here, a third of the parse), while scanning the bytes for these words takes about 1 ms each
# and every hit is then confirmed by the tree (exact identifier node, parent type and field), so
# words inside strings, comments or longer identifiers never count.
_WORDS = {
    word: re.compile(re.escape(word.encode()) + rb"\b")
    for word in ("wx", "require", "await", "import", "export")
}
_JSX_START = re.compile(rb"<[A-Za-z>]")

# ES2015+ syntax that WXS (an ES5 language) rejects, with how to say it to the developer.
_WXS_FEATURES = {
    "lexical_declaration": "let and const (use var)",
    "arrow_function": "arrow functions (use function)",
    "class_declaration": "classes",
    "class": "classes",
    "template_string": "template strings (use + to join strings)",
    "spread_element": "spread syntax (...)",
    "rest_pattern": "rest syntax (...)",
    "object_pattern": "destructuring",
    "array_pattern": "destructuring",
    "shorthand_property_identifier": "shorthand properties (write {a: a})",
    "computed_property_name": "computed property names",
    "assignment_pattern": "default parameter values",
    "optional_chain": "optional chaining (?.)",
    "await_expression": "async functions and await",
    "generator_function_declaration": "generators",
    "generator_function": "generators",
    "yield_expression": "generators",
    "import_statement": "import (use require)",
    "export_statement": "export (use module.exports)",
    "meta_property": "new.target and import.meta",
}
_WXS_QUERY = Query(
    _LANGUAGE,
    "\n".join(f"({kind}) @{kind}" for kind in _WXS_FEATURES)
    + """
    (call_expression function: (identifier) @require.fn arguments: (arguments) @require.args
      (#eq? @require.fn "require"))
    (method_definition) @method
    (for_in_statement) @for_in
    (binary_expression operator: ["??" "**"] @operator)
    (augmented_assignment_expression operator: ["??=" "||=" "&&=" "**="] @operator)
    (function_expression "async" @async)
    (function_declaration "async" @async)
    """,
)

_WXS_QUERY_LIMIT = 16_384

_FUNCTION_SCOPES = frozenset(
    {
        "function_declaration",
        "function_expression",
        "arrow_function",
        "method_definition",
        "generator_function",
        "generator_function_declaration",
        "class_static_block",
        "field_definition",
    }
)
_JSX_TYPES = frozenset({"jsx_element", "jsx_self_closing_element", "jsx_expression"})
_PATTERNS = ("object_pattern", "array_pattern")
_JSX_OPENERS = frozenset({"jsx_opening_element", "jsx_self_closing_element"})
_BRACKETS = {"(": ")", "[": "]", "{": "}", "${": "}"}

# -- public functions ------------------------------------------------------------------------------


def analyse_js(tree: SourceTree, path: str, diagnostics: Diagnostics) -> JsModule | None:
    """Parse the module `path` of `tree`; resolve its requires; list its wx APIs and domains.

    Precondition: `path` is a root-relative `.js` path of `tree`. Reports JS_SYNTAX (every error,
    with line and column), JS_REQUIRE_NOT_FOUND and TEXT_NOT_UTF8; returns None when anything was
    reported, else the module. Never raises.
    """
    before = len(diagnostics.items)
    if not tree.has(path):
        diagnostics.error("INTERNAL_ERROR", path, "analyse_js was given a file the package lacks")
        return None
    source = tree.text(path, diagnostics)
    if source is None:
        return None
    try:
        module = _JsAnalysis(tree, path, source, diagnostics).run()
    except Exception as exc:  # the promise is "never raise": a bug here must not stop a build
        diagnostics.error("INTERNAL_ERROR", path, f"the JavaScript analyser failed: {exc!r}")
        return None
    return module if len(diagnostics.items) == before else None


def analyse_wxs(
    tree: SourceTree,
    *,
    id: str,
    file: str,
    code: str,
    line: int,
    column: int,
    diagnostics: Diagnostics,
) -> WxsModule | None:
    """Check the WXS module `id` whose `code` starts at `line`:`column` (from 1) of `file`.

    For a .wxs file `file` is its path and line = column = 1; for an inline <wxs>, `file` is the
    .wxml and line/column say where the code starts in it, so errors point into the .wxml.
    Reports WXS_SYNTAX (parse errors and ES2015+ syntax, which WXS lacks) and WXS_REQUIRE_INVALID
    (a require() that is not a literal relative path of an existing .wxs file); returns None
    when anything was reported. Never raises.
    """
    before = len(diagnostics.items)
    try:
        requires = _WxsAnalysis(
            tree=tree, file=file, code=code, line=line, column=column, diagnostics=diagnostics
        ).run()
    except Exception as exc:  # the promise is "never raise": a bug here must not stop a build
        diagnostics.error(
            "INTERNAL_ERROR", file, f"the WXS analyser failed: {exc!r}", line=line, column=column
        )
        return None
    if len(diagnostics.items) != before:
        return None
    return WxsModule(id=id, code=code, requires=requires)


_WRAPPER_OPEN = "function (module, exports, require) {"

# The first line of a logic file holding an ES module: the helpers converted modules call.
# __miniappInterop(m) is what `import` sees of a module: an ES module's exports, or for a CommonJS
# module a namespace of its properties whose `default` is the module itself (as Babel does).
# __miniappExportFrom defines re-exports as getters (`export * from` skips "default" and names
# the module exports itself; a later local export replaces the getter through its setter).
_PRELUDE = (
    "function __miniappInterop(m) { return m && m.__esModule ? m :"
    " Object.assign(Object.create(null), m, { default: m }); }"
    " function __miniappExportFrom(exports, m, names) { m = __miniappInterop(m);"
    " for (const key of names ? Object.keys(names) : Object.keys(m)) {"
    ' if (!names && (key === "default" || key === "__esModule" || key in exports)) continue;'
    " Object.defineProperty(exports, key, { enumerable: true, configurable: true,"
    " get: () => m[names ? names[key] : key],"
    " set: (value) => Object.defineProperty(exports, key,"
    " { value, enumerable: true, writable: true, configurable: true }) }); } }\n"
)


def logic_file(modules: Sequence[JsModule]) -> str:
    """The package's logic file (docs/bundle-format.md, "Logic file").

    Each module's source starts on the line after its `__miniappDefine(` line, so line N of a
    module is line (wrapper line + N) of this file; `logic_source_map` gives the exact mapping.
    If any module is a converted ES module, a first line defines the helpers it calls (`_PRELUDE`)
    and each such module's prologue goes on its wrapper line.
    A newline always precedes the closing `});`, so a source ending in a `//` comment or without a
    final newline still works. No `//# sourceURL=` comments: a browser honours only the last one
    in a script, which would name every frame after the last module.
    """
    out = [_PRELUDE] if any(module.prologue for module in modules) else []
    out.extend(
        _define("__miniappDefine", module.path, module.code, module.prologue) for module in modules
    )
    table = {module.path: module.requires for module in modules}
    out.append(f"__miniappRequires({_json(table)});\n")
    return "".join(out)


def wxs_file(modules: Sequence[WxsModule]) -> str:
    """The package's WXS file (docs/bundle-format.md, "WXS file"); same layout as `logic_file`."""
    out = [_define("__miniappWxsDefine", module.id, module.code) for module in modules]
    table = {module.id: module.requires for module in modules}
    out.append(f"__miniappWxsRequires({_json(table)});\n")
    return "".join(out)


def logic_source_map(modules: Sequence[JsModule], *, file: str = "logic.js") -> str:
    """A Source Map v3 (JSON) for `logic_file(modules)`: every line of every module maps to the
    same line of its original file, so browser dev tools show the original files. Optional: the
    bundle writer may store it and append `//# sourceMappingURL=` to the logic file."""
    # The prelude line, when logic_file writes one, maps to nothing.
    segments: list[str] = [""] if any(module.prologue for module in modules) else []
    previous_source = previous_line = 0
    for index, module in enumerate(modules):
        segments.append("")  # the __miniappDefine( line
        for line in range(_line_count(module.source)):
            # Fields: generated column, source index, source line, source column; all but the
            # first are deltas from the previous segment in the whole map.
            segments.append(
                _vlq(0) + _vlq(index - previous_source) + _vlq(line - previous_line) + _vlq(0)
            )
            previous_source, previous_line = index, line
        segments.append("")  # the "});" line
    source_map = {
        "version": 3,
        "file": file,
        "sources": [module.path for module in modules],
        "sourcesContent": [module.source for module in modules],
        "names": [],
        "mappings": ";".join(segments),
    }
    return json.dumps(source_map, ensure_ascii=False)


# -- analysis --------------------------------------------------------------------------------------


class _Positions:
    """Converts byte offsets into (line, character column), both from 1, in one pass."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.ascii = data.isascii()

    def resolve(self, offsets: Iterable[int]) -> dict[int, tuple[int, int]]:
        data = self.data
        result: dict[int, tuple[int, int]] = {}
        line, line_start, previous, column = 1, 0, 0, 0  # column: characters before `previous`
        for offset in sorted(set(offsets)):
            newlines = data.count(b"\n", previous, offset)
            if newlines:
                line += newlines
                line_start = data.rfind(b"\n", previous, offset) + 1
                column = self._characters(line_start, offset)
            else:
                column += self._characters(previous, offset)
            previous = offset
            result[offset] = (line, column + 1)
        return result

    def _characters(self, start: int, end: int) -> int:
        if self.ascii:
            return end - start
        return len(self.data[start:end].decode("utf-8", errors="replace"))


class _Reporter:
    """Collects (byte offset, code, message) and reports them with positions shifted by where the
    code starts in `file` (inline WXS lives inside a .wxml)."""

    def __init__(
        self, file: str, data: bytes, diagnostics: Diagnostics, line: int = 1, column: int = 1
    ) -> None:
        self.file = file
        self.positions = _Positions(data)
        self.diagnostics = diagnostics
        self.line = line
        self.column = column
        self.pending: list[tuple[int, str, str]] = []

    def add(self, offset: int, code: str, message: str) -> None:
        self.pending.append((offset, code, message))

    def place(self, offsets: Iterable[int]) -> dict[int, Position]:
        places: dict[int, Position] = {}
        for offset, (line, column) in self.positions.resolve(offsets).items():
            shift = self.column - 1 if line == 1 else 0
            places[offset] = Position(
                file=self.file, line=line + self.line - 1, column=column + shift
            )
        return places

    def flush(self) -> None:
        places = self.place(offset for offset, _, _ in self.pending)
        for offset, code, message in self.pending:
            where = places[offset]
            self.diagnostics.error(code, self.file, message, line=where.line, column=where.column)
        self.pending.clear()


def _syntax_errors(root: Node, data: bytes, report: _Reporter, code: str) -> None:
    """Report every ERROR and MISSING node (outermost only: the inside of an ERROR is noise).

    Walks only subtrees that contain an error, with an explicit stack: deep nesting is fine.
    """
    if not root.has_error:
        return
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_missing:
            following = _token_after(data, node.start_byte)
            report.add(node.start_byte, code, f'missing "{node.type}"{following}')
        elif node.is_error:
            offset, message = _describe_error(node, data)
            report.add(offset, code, message)
        else:
            stack.extend(child for child in reversed(node.children) if child.has_error)


def _describe_error(node: Node, data: bytes) -> tuple[int, str]:
    """Where an ERROR node's problem is and what to call it.

    tree-sitter wraps the tokens it could not fit in an ERROR node. If a bracket or quote opened
    inside it is never closed, that opener is the most useful place to point at; otherwise the
    node's own text is what could not be parsed.
    """
    start = node.start_byte
    if data.startswith(b"/*", start) and data.find(b"*/", start + 2) == -1:
        return start, 'unclosed comment: "/*" without a matching "*/"'
    leaves = list(_leaves(node))
    open_brackets: list[Node] = []
    for leaf in leaves:
        kind = leaf.type
        if kind in _BRACKETS:
            open_brackets.append(leaf)
        elif kind in ("}", ")", "]"):
            if open_brackets and _BRACKETS[open_brackets[-1].type] == kind:
                open_brackets.pop()
        elif kind in ('"', "'", "`") and leaf.parent is not None and leaf.parent.is_error:
            # A quote directly under an ERROR is one whose string never ended.
            return leaf.start_byte, f"unterminated string: {kind} is never closed"
    if open_brackets:
        opener = open_brackets[-1]
        closer = _BRACKETS[opener.type]
        following = _token_after(data, node.end_byte)
        return opener.start_byte, f'"{opener.type}" is never closed: expected "{closer}"{following}'
    text = data[start : node.end_byte].decode("utf-8", errors="replace")
    excerpt = " ".join(text.split())
    if not excerpt:
        return start, "syntax error" + _token_after(data, node.end_byte)
    if len(excerpt) > 40:
        excerpt = excerpt[:39] + "…"
    if len(leaves) > 1 and node.end_byte >= len(data.rstrip()):
        return start, f'unexpected end of input after "{excerpt}"'
    return start, f'unexpected "{excerpt}"'


def _leaves(node: Node) -> Iterable[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.child_count == 0:
            yield current
        else:
            stack.extend(reversed(current.children))


def _token_after(data: bytes, offset: int) -> str:
    """' before "x"' naming the text that follows `offset`, for error messages."""
    rest = data[offset : offset + 200].decode("utf-8", errors="ignore").split()
    if not rest:
        return " before the end of the file"
    token = rest[0] if len(rest[0]) <= 20 else rest[0][:19] + "…"
    return f' before "{token}"'


def _string_value(node: Node) -> str | None:
    """The value of a string literal or of a template string without substitutions."""
    raw = (node.text or b"").decode("utf-8", errors="replace")
    if node.type == "string":
        return _ESCAPE.sub(_unescape, raw[1:-1])
    if node.type == "template_string":
        if any(child.type == "template_substitution" for child in node.children):
            return None
        return _ESCAPE.sub(_unescape, raw[1:-1])
    return None


_ESCAPE = re.compile(r"\\(u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|\r\n|[\s\S])")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _unescape(match: re.Match[str]) -> str:
    """One JavaScript escape sequence (a string literal's, not a regular expression's)."""
    body = match.group(1)
    if body[0] in "ux" and len(body) > 1:
        code = int(body.strip("ux{}"), 16)
        # A lone surrogate could not be printed or encoded later; no real path contains one.
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    if body in ("\n", "\r\n", "\r", "\u2028", "\u2029"):
        return ""  # a line continuation
    return _SIMPLE_ESCAPES.get(body, body)


class _JsAnalysis:
    def __init__(self, tree: SourceTree, path: str, source: str, diagnostics: Diagnostics) -> None:
        self.tree = tree
        self.path = path
        self.source = source
        self.data = source.encode("utf-8")
        self.report = _Reporter(path, self.data, diagnostics)

    def run(self) -> JsModule | None:
        data = self.data
        root = _parser().parse(data).root_node
        _syntax_errors(root, data, self.report, "JS_SYNTAX")
        _empty_object_elements(root, data, self.report, "JS_SYNTAX")
        statements = self._unsupported(root)
        requires = self._requires(root, statements)
        api_offsets = self._apis(root)
        domain_offsets = _domains(root, data)
        places = self.report.place(
            [offset for _, offset in api_offsets] + [offset for _, offset in domain_offsets]
        )
        failed = bool(self.report.pending)
        self.report.flush()
        if failed:
            return None
        code, prologue = self.source, ""
        if statements:
            code, prologue = _EsModule(root, data, statements).convert()
        return JsModule(
            path=self.path,
            source=self.source,
            code=code,
            prologue=prologue,
            requires=requires,
            apis=[(name, places[offset]) for name, offset in api_offsets],
            domains=[(domain, places[offset]) for domain, offset in domain_offsets],
        )

    def _unsupported(self, root: Node) -> list[Node]:
        """Report syntax tree-sitter accepts but a module wrapped in a function cannot contain;
        return the module's import and export statements, in source order."""
        add, data = self.report.add, self.data
        if data.startswith(b"#!"):
            add(0, "JS_SYNTAX", "a #! line is not allowed in a mini-program module")
        statements = self._module_statements(root)
        for node in _word_nodes(root, data, "await"):
            parent = node.parent
            # node.type is "identifier" where sloppy code uses await as a plain name.
            if node.type == "await" and parent is not None and not _in_async_function(parent):
                add(node.start_byte, "JS_SYNTAX", "await is only valid inside an async function")
        for match in _JSX_START.finditer(data):
            token = root.descendant_for_byte_range(match.start(), match.start() + 1)
            parent = token.parent if token is not None and token.type == "<" else None
            if parent is None or parent.type not in _JSX_OPENERS:
                continue
            element = parent if parent.type == "jsx_self_closing_element" else parent.parent
            if element is not None:
                # One report says it all; stopping also bounds the work on deeply nested JSX,
                # where every parent lookup walks down from the root.
                add(element.start_byte, "JS_SYNTAX", "JSX is not JavaScript: compile it first")
                break
        return statements

    def _module_statements(self, root: Node) -> list[Node]:
        """The top-level import and export statements `_EsModule` converts, in source order;
        reports the ES module syntax it cannot convert."""
        add = self.report.add
        statements: list[Node] = []
        for keyword in ("import", "export"):
            for node in _word_nodes(root, self.data, keyword):
                parent = node.parent
                if parent is None:
                    continue
                if parent.type in ("import_statement", "export_statement"):
                    if parent.parent is None or parent.parent.type != "program":
                        add(
                            parent.start_byte,
                            "JS_SYNTAX",
                            f"{keyword} statements are only allowed at the top level of a module",
                        )
                    elif any(child.type == "import_attribute" for child in parent.children):
                        add(
                            parent.start_byte,
                            "JS_SYNTAX",
                            "import attributes (with {...}) are not supported",
                        )
                    else:
                        statements.append(parent)
                elif parent.type == "meta_property":
                    add(
                        parent.start_byte,
                        "JS_SYNTAX",
                        "import.meta is not supported: modules are converted to CommonJS",
                    )
                elif parent.type in ("import", "call_expression") and keyword == "import":
                    # import(...): tree-sitter wraps the keyword in an "import" node.
                    add(
                        parent.start_byte,
                        "JS_SYNTAX",
                        "dynamic import() is not supported: use require()",
                    )
        statements.sort(key=lambda node: node.start_byte)
        return statements

    def _requires(self, root: Node, statements: Sequence[Node]) -> dict[str, str]:
        """Each literal require() argument and import/export source, resolved."""
        literals: list[Node] = []
        for node in _word_nodes(root, self.data, "require"):
            call = node.parent
            if call is None or call.type != "call_expression":
                continue
            if call.child_by_field_name("function") != node:
                continue
            arguments = call.child_by_field_name("arguments")
            if arguments is None:
                continue
            named = [child for child in arguments.named_children if child.type != "comment"]
            if named:
                literals.append(named[0])
        for statement in statements:
            source = statement.child_by_field_name("source")
            if source is not None:
                literals.append(source)
        literals.sort(key=lambda node: node.start_byte)
        requires: dict[str, str] = {}
        for literal in literals:
            reference = _string_value(literal)
            if reference is None:
                continue  # require(variable): the runtime resolves it, or fails, at run time
            if reference in requires:
                continue
            resolved = resolve_require(self.tree, self.path, reference)
            if resolved is None:
                self.report.add(
                    literal.start_byte,
                    "JS_REQUIRE_NOT_FOUND",
                    f'cannot find module "{reference}"',
                )
            else:
                requires[reference] = resolved
        return requires

    def _apis(self, root: Node) -> list[tuple[str, int]]:
        """Each `wx.name`, `wx?.name`, `wx['name']` and `const {name} = wx`."""
        found: list[tuple[str, int]] = []
        for node in _word_nodes(root, self.data, "wx"):
            parent = node.parent
            if parent is None:
                continue
            kind = parent.type
            if kind == "member_expression" and parent.child_by_field_name("object") == node:
                name = parent.child_by_field_name("property")
                if name is not None and name.type == "property_identifier":
                    found.append((_text(name), node.start_byte))
            elif kind == "subscript_expression" and parent.child_by_field_name("object") == node:
                index = parent.child_by_field_name("index")
                key = _string_value(index) if index is not None else None
                if key:
                    found.append((key, node.start_byte))
            elif kind == "variable_declarator" and parent.child_by_field_name("value") == node:
                pattern = parent.child_by_field_name("name")
                if pattern is not None and pattern.type == "object_pattern":
                    found.extend(_pattern_keys(pattern))
        found.sort(key=lambda item: item[1])
        return found


def _word_nodes(root: Node, data: bytes, word: str) -> Iterable[Node]:
    """The nodes that are exactly the keyword or identifier `word` (not in strings, comments or
    longer names)."""
    size = len(word)
    for match in _WORDS[word].finditer(data):
        start = match.start()
        node = root.descendant_for_byte_range(start, start + size)
        if node is not None and node.start_byte == start and node.end_byte == start + size:
            yield node


def _pattern_keys(pattern: Node) -> list[tuple[str, int]]:
    keys: list[tuple[str, int]] = []
    for child in pattern.named_children:
        key: Node | None = None
        if child.type == "shorthand_property_identifier_pattern":
            key = child
        elif child.type == "pair_pattern":
            key = child.child_by_field_name("key")
        elif child.type == "object_assignment_pattern":
            key = child.child_by_field_name("left")
        if key is None:
            continue
        name = _string_value(key) if key.type == "string" else _text(key)
        if name and key.type in (
            "string",
            "property_identifier",
            "shorthand_property_identifier_pattern",
        ):
            keys.append((name, key.start_byte))
    return keys


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", errors="replace")


def _in_async_function(node: Node) -> bool:
    current = node.parent
    while current is not None:
        if current.type in _FUNCTION_SCOPES:
            return any(child.type == "async" for child in current.children)
        current = current.parent
    return False


_EMPTY_ELEMENT = re.compile(rb"[{,][ \t\r\n]*,")


def _empty_object_elements(root: Node, data: bytes, report: _Reporter, code: str) -> None:
    # tree-sitter's grammar lets object literals have empty elements, like arrays do ({a: 1,,
    # b: 2}); browsers reject them, and one bad module would break every module in the package.
    for match in _EMPTY_ELEMENT.finditer(data):
        comma = match.end() - 1
        node = root.descendant_for_byte_range(comma, comma + 1)
        parent = node.parent if node is not None and node.type == "," else None
        if parent is not None and parent.type in ("object", "object_pattern"):
            report.add(comma, code, 'unexpected ","')


# -- ES modules ------------------------------------------------------------------------------------

_DECLARATIONS = frozenset(
    {"function_declaration", "generator_function_declaration", "class_declaration"}
)
_VARIABLES = frozenset({"lexical_declaration", "variable_declaration"})
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_DEFAULT_NAME = "__miniappDefault"


class _EsModule:
    """Converts a module's import and export statements to CommonJS, as Babel would, without
    moving a line: each statement is rewritten where it stands (a statement spanning several lines
    keeps its line breaks at the end), additions go at the end of a statement's last line, and
    the exports of function declarations (which are hoisted) go in the prologue, on the wrapper
    line, so a module that requires this one back mid-way (a require cycle) already sees them.

    Imported names become consts read once, when the import runs: bindings are not live.
    Precondition: the module parsed without errors and `statements` are its top-level import and
    export statements.
    """

    def __init__(self, root: Node, data: bytes, statements: Sequence[Node]) -> None:
        self.root = root
        self.data = data
        self.statements = statements
        self.edits: list[tuple[int, int, str]] = []  # (start, end, replacement), bytes
        self.hoisted: list[str] = []  # prologue statements exporting function declarations
        self._declared: dict[str, Node] | None = None
        self._terminated: set[int] = set()  # offsets where an edit already ended a statement

    def convert(self) -> tuple[str, str]:
        for statement in self.statements:
            if statement.type == "import_statement":
                self._import(statement)
            else:
                self._export(statement)
        out: list[bytes] = []
        position = 0
        for start, end, text in sorted(self.edits, key=lambda edit: edit[:2]):
            out.append(self.data[position:start])
            out.append(text.encode("utf-8"))
            out.append(b"\n" * _breaks(self.data[start:end]))
            position = end
        out.append(self.data[position:])
        prologue = '"use strict"; Object.defineProperty(exports, "__esModule", { value: true });'
        code = b"".join(out).decode("utf-8")
        return code, " ".join([prologue, *self.hoisted])

    # -- import

    def _import(self, statement: Node) -> None:
        source = self._source(statement)
        clause = next((c for c in statement.named_children if c.type == "import_clause"), None)
        if clause is None:  # import 'm'
            self._replace(statement, f"require({source});")
            return
        module = f"__miniappInterop(require({source}))"
        keys: list[str] = []
        namespace: str | None = None
        for child in clause.named_children:
            if child.type == "identifier":
                keys.append(f"default: {_text(child)}")
            elif child.type == "namespace_import":
                namespace = _text(child.named_children[-1])
            elif child.type == "named_imports":
                for specifier in child.named_children:
                    if specifier.type != "import_specifier":
                        continue
                    name = specifier.child_by_field_name("name")
                    alias = specifier.child_by_field_name("alias") or name
                    if name is None or alias is None:
                        continue
                    keys.append(f"{self._key(name)}: {_text(alias)}")
        bindings: list[str] = []
        if namespace is not None:
            bindings.append(f"{namespace} = {module}")
            module = namespace
        if keys:
            bindings.append(f"{{ {', '.join(keys)} }} = {module}")
        if not bindings:  # import {} from 'm'
            self._replace(statement, f"require({source});")
            return
        self._replace(statement, f"const {', '.join(bindings)};")

    # -- export

    def _export(self, statement: Node) -> None:
        declaration = statement.child_by_field_name("declaration")
        value = statement.child_by_field_name("value")
        is_default = any(child.type == "default" for child in statement.children)
        if declaration is not None:
            self._cut(statement.start_byte, declaration.start_byte)
            names = _declared_names(declaration)
            for name in names:
                exported = "default" if is_default else name
                self._export_name(exported, name, declaration)
        elif value is not None:
            self._export_default(statement, value)
        elif statement.child_by_field_name("source") is not None:
            self._export_from(statement)
        else:
            clause = next((c for c in statement.named_children if c.type == "export_clause"), None)
            # ";" rather than nothing, so the lines around it cannot run together.
            self._replace(statement, ";")
            for name, alias in self._specifiers(clause) if clause is not None else []:
                self._export_name(alias, name, self._declaration_of(name) or statement)

    def _export_default(self, statement: Node, value: Node) -> None:
        name_node = value.child_by_field_name("name")
        if value.type in ("function_expression", "generator_function") and name_node is None:
            # An anonymous default function is a hoisted declaration: name it, export it up front.
            parameters = value.child_by_field_name("parameters")
            if parameters is not None:
                self._cut(statement.start_byte, value.start_byte)
                self.edits.append(
                    (parameters.start_byte, parameters.start_byte, f" {_DEFAULT_NAME}")
                )
                self.hoisted.append(f"exports.default = {_DEFAULT_NAME};")
                return
        self._cut(statement.start_byte, value.start_byte, "exports.default = ")
        if self.data[statement.end_byte - 1 : statement.end_byte] != b";":
            self.edits.append((statement.end_byte, statement.end_byte, ";"))

    def _export_from(self, statement: Node) -> None:
        module = f"require({self._source(statement)})"
        clause = next(
            (
                c
                for c in statement.named_children
                if c.type in ("export_clause", "namespace_export")
            ),
            None,
        )
        if clause is None:  # export * from 'm'
            self._replace(statement, f"__miniappExportFrom(exports, {module}, null);")
        elif clause.type == "namespace_export":  # export * as ns from 'm'
            target = _exports_target(_name_value(clause.named_children[-1]))
            self._replace(statement, f"{target} = __miniappInterop({module});")
        else:
            names = ", ".join(
                f"{_json(alias)}: {_json(name)}" for name, alias in self._specifiers(clause)
            )
            self._replace(statement, f"__miniappExportFrom(exports, {module}, {{{names}}});")

    def _export_name(self, exported: str, local: str, declaration: Node) -> None:
        assignment = f"{_exports_target(exported)} = {local};"
        if declaration.type in ("function_declaration", "generator_function_declaration"):
            self.hoisted.append(assignment)
            return
        end = declaration.end_byte
        ended = end in self._terminated or self.data[end - 1 : end] == b";"
        self.edits.append((end, end, (" " if ended else "; ") + assignment))
        self._terminated.add(end)

    def _declaration_of(self, name: str) -> Node | None:
        """The top-level statement declaring `name`, if any (the first one)."""
        if self._declared is None:
            self._declared = {}
            for statement in self.root.named_children:
                node = statement
                if statement.type == "export_statement":
                    node = statement.child_by_field_name("declaration") or statement
                if statement.type == "import_statement":
                    names = _imported_names(statement)
                else:
                    names = _declared_names(node)
                for declared in names:
                    self._declared.setdefault(declared, node)
        return self._declared.get(name)

    # -- helpers

    def _specifiers(self, clause: Node) -> list[tuple[str, str]]:
        """(local or imported name, exported name) for each `name as alias` of an export clause."""
        pairs: list[tuple[str, str]] = []
        for specifier in clause.named_children:
            if specifier.type != "export_specifier":
                continue
            name = specifier.child_by_field_name("name")
            alias = specifier.child_by_field_name("alias") or name
            if name is not None and alias is not None:
                pairs.append((_name_value(name), _name_value(alias)))
        return pairs

    def _source(self, statement: Node) -> str:
        source = statement.child_by_field_name("source")
        return _text(source) if source is not None else '""'

    def _key(self, name: Node) -> str:
        """A module export name as an object key or property expression."""
        value = _name_value(name)
        return value if _IDENTIFIER.fullmatch(value) else _json(value)

    def _replace(self, statement: Node, text: str) -> None:
        self._cut(statement.start_byte, statement.end_byte, text)
        self._terminated.add(statement.end_byte)

    def _cut(self, start: int, end: int, text: str = "") -> None:
        self.edits.append((start, end, text))


def _exports_target(name: str) -> str:
    return f"exports.{name}" if _IDENTIFIER.fullmatch(name) else f"exports[{_json(name)}]"


def _name_value(node: Node) -> str:
    """The name an import or export specifier gives: an identifier, `default` or a string."""
    if node.type == "string":
        return _string_value(node) or ""
    return _text(node)


def _breaks(data: bytes) -> int:
    """How many line breaks JavaScript sees in `data` (CR LF counts once)."""
    return len(_LINE_BREAK.findall(data.decode("utf-8", errors="replace")))


def _imported_names(statement: Node) -> list[str]:
    names: list[str] = []
    for clause in statement.named_children:
        if clause.type != "import_clause":
            continue
        for child in clause.named_children:
            if child.type == "identifier":
                names.append(_text(child))
            elif child.type == "namespace_import":
                names.append(_text(child.named_children[-1]))
            elif child.type == "named_imports":
                for specifier in child.named_children:
                    alias = specifier.child_by_field_name("alias") or (
                        specifier.child_by_field_name("name")
                    )
                    if specifier.type == "import_specifier" and alias is not None:
                        names.append(_text(alias))
    return names


def _declared_names(declaration: Node) -> list[str]:
    """The names a declaration statement binds (every identifier of a destructuring pattern)."""
    if declaration.type in _DECLARATIONS:
        name = declaration.child_by_field_name("name")
        return [_text(name)] if name is not None else []
    if declaration.type not in _VARIABLES:
        return []
    names: list[str] = []
    stack = [
        pattern
        for declarator in reversed(declaration.named_children)
        if declarator.type == "variable_declarator"
        and (pattern := declarator.child_by_field_name("name")) is not None
    ]
    while stack:  # a stack, not recursion: patterns may nest deeply
        node = stack.pop()
        kind = node.type
        if kind in ("identifier", "shorthand_property_identifier_pattern"):
            names.append(_text(node))
        elif kind == "pair_pattern":
            value = node.child_by_field_name("value")
            if value is not None:
                stack.append(value)
        elif kind in ("object_assignment_pattern", "assignment_pattern"):
            left = node.child_by_field_name("left")
            if left is not None:
                stack.append(left)
        elif kind in ("object_pattern", "array_pattern", "rest_pattern"):
            stack.extend(reversed(node.named_children))
    return names


# -- require resolution ----------------------------------------------------------------------------


def resolve_require(tree: SourceTree, from_file: str, reference: str) -> str | None:
    """The module `require(reference)` in `from_file` loads, root-relative with .js, or None.

    Like WeChat: "./x" and "../x" are relative to `from_file`, "/x" is from the root, and a bare
    "x" is first tried relative to `from_file` (WeChat's own examples write `require('common.js')`
    for a sibling file), then as an npm package: `miniprogram_npm/x` in `from_file`'s folder and
    each parent folder up to the root. A package folder loads its package.json "main" if present,
    else index.js. Each candidate path is tried as is (if it ends in .js), with .js added, and as
    a folder with index.js.
    """
    if not reference or "\\" in reference or "\0" in reference:
        return None
    relative = resolve_path(from_file, reference)
    if relative is not None:
        found = _module_file(tree, relative)
        if found is not None:
            return found
    if reference.startswith(("/", "./", "../")) or reference in (".", ".."):
        return None
    return _npm_module(tree, from_file, reference)


def _module_file(tree: SourceTree, path: str) -> str | None:
    candidates = [path] if path.endswith(".js") else [path + ".js"]
    candidates.append(path + "/index.js")
    for candidate in candidates:
        if tree.has(candidate):
            return candidate
    return None


def _npm_module(tree: SourceTree, from_file: str, reference: str) -> str | None:
    parts = reference.split("/")
    size = 2 if reference.startswith("@") else 1
    name, rest = "/".join(parts[:size]), "/".join(parts[size:])
    if len(parts) < size or any(part in ("", ".", "..") for part in parts[:size]):
        return None
    folder = posixpath.dirname(from_file)
    while True:
        # Like node_modules lookup, a folder that is itself miniprogram_npm is not searched again.
        if posixpath.basename(folder) != "miniprogram_npm":
            base = posixpath.join(folder, "miniprogram_npm", name)
            found = (
                _module_file(tree, posixpath.normpath(posixpath.join(base, rest)))
                if rest
                else _package_entry(tree, base)
            )
            if found is not None:
                return found
        if not folder:
            return None
        folder = posixpath.dirname(folder)


def _package_entry(tree: SourceTree, base: str) -> str | None:
    if tree.has(base + ".js"):
        return base + ".js"
    manifest = base + "/package.json"
    if tree.has(manifest):
        try:
            main = json.loads(tree.data(manifest)).get("main")
        except (ValueError, AttributeError, RecursionError):
            main = None  # a broken package.json falls back to index.js, as in Node
        if isinstance(main, str) and main.strip():
            target = posixpath.normpath(posixpath.join(base, main))
            if not target.startswith("../") and target != "..":
                found = _module_file(tree, target)
                if found is not None:
                    return found
    return base + "/index.js" if tree.has(base + "/index.js") else None


# -- domains ---------------------------------------------------------------------------------------

# Candidates are found by scanning bytes (fast, in C), then kept only if the tree says they sit in
# a string literal or template string, never in code, comments or regular expressions.
_SCHEMES = (b"https", b"http", b"wss", b"ws")
_SCHEME_CHARS = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_HOST_CHARS = re.compile(rb"\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")
# A quote, then (after an optional "//") a dotted name ending in letters, then the end of the
# literal, a path, a query or a port. Starting with the quote lets the regex engine skip ahead.
_BARE_HOST = re.compile(
    rb"[\"'`](?://)?([A-Za-z0-9][A-Za-z0-9.-]*\.[A-Za-z]{2,})(?=[\"'`/?#]|:[0-9])"
)
_LITERAL_TYPES = frozenset({"string_fragment", "string", "template_string"})

# Top-level domains worth recognising in a bare "host.tld" string: the common generic ones and the
# country codes of the places mini programs serve. Code file extensions (js, ts, json, md, py, sh,
# rs, cc, zip, mov...) are not listed, so "index.js" is never a domain.
_TLDS: frozenset[str] = frozenset(
    {
        "com",
        "net",
        "org",
        "edu",
        "gov",
        "mil",
        "int",
        "info",
        "biz",
        "name",
        "pro",
        "mobi",
        "asia",
        "tel",
        "travel",
        "jobs",
        "museum",
        "aero",
        "coop",
        "io",
        "co",
        "me",
        "tv",
        "cc",
        "xyz",
        "top",
        "vip",
        "club",
        "site",
        "online",
        "tech",
        "store",
        "shop",
        "ltd",
        "group",
        "work",
        "wang",
        "ink",
        "ren",
        "red",
        "link",
        "live",
        "life",
        "world",
        "today",
        "space",
        "fun",
        "art",
        "design",
        "news",
        "email",
        "cloud",
        "app",
        "dev",
        "page",
        "blog",
        "wiki",
        "games",
        "game",
        "team",
        "center",
        "city",
        "company",
        "network",
        "systems",
        "solutions",
        "services",
        "digital",
        "media",
        "cn",
        "hk",
        "mo",
        "tw",
        "jp",
        "kr",
        "sg",
        "my",
        "th",
        "vn",
        "ph",
        "id",
        "in",
        "au",
        "nz",
        "uk",
        "eu",
        "de",
        "fr",
        "it",
        "es",
        "nl",
        "be",
        "ch",
        "at",
        "se",
        "no",
        "fi",
        "dk",
        "ie",
        "pl",
        "pt",
        "ru",
        "ua",
        "br",
        "mx",
        "ar",
        "ca",
        "us",
        "za",
        "ae",
        "sa",
        "tr",
        "il",
        "ai",
        "la",
        "ly",
        "fm",
        "gg",
        "im",
        "is",
        "to",
        "so",
        "do",
    }
)
# Listed TLDs that are also common property or file names ("item.name", "style.top", "res.id",
# "wx.cloud", "this.data.app"): a bare string ending in one is not taken for a domain (a URL with
# one still is).
_AMBIGUOUS_TLDS: frozenset[str] = frozenset(
    {
        "name",
        "top",
        "id",
        "app",
        "info",
        "cloud",
        "link",
        "page",
        "pro",
        "art",
        "fun",
        "life",
        "live",
        "world",
        "today",
        "news",
        "design",
        "email",
        "games",
        "game",
        "team",
        "center",
        "city",
        "company",
        "network",
        "systems",
        "solutions",
        "services",
        "digital",
        "media",
        "blog",
        "wiki",
        "space",
        "group",
        "work",
        "store",
        "shop",
        "site",
        "online",
        "tech",
        "in",
        "is",
        "it",
        "to",
        "so",
        "do",
        "me",
        "at",
        "be",
        "no",
        "im",
        "fm",
        "ai",
        "la",
        "ly",
        "gg",
        "es",
        "tv",
        "cc",
        "ink",
        "red",
    }
)


def _domains(root: Node, data: bytes) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    separator = data.find(b"://")
    while separator != -1:
        start = _scheme_start(data, separator)
        if start is not None:
            host_match = _HOST_CHARS.match(data, _skip_userinfo(data, separator + 3))
            if host_match is not None and _literal_containing(root, start, host_match.end()):
                host = host_match.group().decode("ascii").lower().rstrip(".")
                if host:
                    found.append((host, start))
        separator = data.find(b"://", separator + 3)
    for match in _BARE_HOST.finditer(data):
        host = match.group(1).decode("ascii").lower()
        labels = host.split(".")
        tld = labels[-1]
        if tld not in _TLDS or tld in _AMBIGUOUS_TLDS:
            continue
        raw = match.group(1).decode("ascii")
        if any(not label or label[0] == "-" or label[-1] == "-" for label in labels):
            continue
        if any(a.islower() and b.isupper() for a, b in itertools.pairwise(raw)):
            continue  # camelCase: a property path like "userInfo.nickName.com", not a host
        begin = match.start() + 1  # after the quote
        literal = _literal_containing(root, begin, match.end())
        # The whole literal must be the host (plus port or path): not a sentence that mentions one.
        if literal is None or literal.start_byte != begin:
            continue
        found.append((host, match.start(1)))
    found.sort(key=lambda item: item[1])
    return found


def _scheme_start(data: bytes, separator: int) -> int | None:
    """Where the http/https/ws/wss scheme before the "://" at `separator` starts, if it is one."""
    for scheme in _SCHEMES:
        start = separator - len(scheme)
        if start >= 0 and data[start:separator].lower() == scheme:
            if start == 0 or data[start - 1] not in _SCHEME_CHARS:
                return start
            return None
    return None


def _skip_userinfo(data: bytes, offset: int) -> int:
    end = offset
    limit = min(len(data), offset + 256)
    while end < limit and data[end] not in b"/@?#\"'` \t\r\n":
        end += 1
    return end + 1 if end < limit and data[end] == ord("@") else offset


def _literal_containing(root: Node, start: int, end: int) -> Node | None:
    """The string fragment holding bytes start..end, if they are all inside one string literal."""
    node = root.descendant_for_byte_range(start, end)
    if node is None or node.type not in _LITERAL_TYPES:
        return None
    if node.type == "string_fragment":
        # In a template string the host may run straight into a ${...}: then it is not all there.
        following = node.next_sibling
        if (
            end == node.end_byte
            and following is not None
            and following.type == "template_substitution"
        ):
            return None
    return node


# -- WXS -------------------------------------------------------------------------------------------


class _WxsAnalysis:
    def __init__(
        self,
        *,
        tree: SourceTree,
        file: str,
        code: str,
        line: int,
        column: int,
        diagnostics: Diagnostics,
    ) -> None:
        self.tree = tree
        self.file = file
        self.data = code.encode("utf-8", errors="surrogatepass")
        self.report = _Reporter(file, self.data, diagnostics, line, column)

    def run(self) -> dict[str, str]:
        root = _parser().parse(self.data).root_node
        _syntax_errors(root, self.data, self.report, "WXS_SYNTAX")
        _empty_object_elements(root, self.data, self.report, "WXS_SYNTAX")
        requires: dict[str, str] = {}
        # tree-sitter Queries take quadratic time on some broken trees (a long run of "(" takes
        # seconds). Such a module has failed already; skip the ES5 and require checks unless the
        # code is small enough for that not to matter, as real WXS nearly always is.
        if not root.has_error or len(self.data) <= _WXS_QUERY_LIMIT:
            captures = QueryCursor(_WXS_QUERY).captures(root)
            self._es5_only(captures)
            requires = self._requires(captures.get("require.args", []))
        self.report.flush()
        return requires

    def _es5_only(self, captures: dict[str, list[Node]]) -> None:
        add = self.report.add

        def unsupported(node: Node, feature: str) -> None:
            add(node.start_byte, "WXS_SYNTAX", f"WXS does not support {feature}: WXS is ES5")

        for kind, feature in _WXS_FEATURES.items():
            for node in captures.get(kind, []):
                parent_kind = node.parent.type if node.parent is not None else ""
                if kind in _PATTERNS and parent_kind in (*_PATTERNS, "pair_pattern"):
                    continue  # report a nested pattern once, at its outermost pattern
                unsupported(node, feature)
        for node in captures.get("method", []):
            name = node.child_by_field_name("name")
            accessor = any(
                child.type in ("get", "set") and child != name for child in node.children
            )
            if not accessor:  # getters and setters are ES5; f() {} shorthand is not
                unsupported(node, "method shorthand (write f: function () {})")
        for node in captures.get("for_in", []):
            kinds = {child.type for child in node.children}
            if "of" in kinds:
                unsupported(node, "for...of (use a for loop)")
            elif kinds & {"let", "const"}:
                unsupported(node, "let and const (use var)")
        for node in captures.get("operator", []):
            unsupported(node, f"the {node.type} operator")
        for node in captures.get("async", []):
            unsupported(node, "async functions and await")

    def _requires(self, calls: list[Node]) -> dict[str, str]:
        requires: dict[str, str] = {}
        for arguments in calls:
            named = [child for child in arguments.named_children if child.type != "comment"]
            reference = _string_value(named[0]) if len(named) == 1 else None
            offset = named[0].start_byte if named else arguments.start_byte
            if reference is None:
                self.report.add(
                    offset,
                    "WXS_REQUIRE_INVALID",
                    "WXS require() takes one literal path, like require('./tools.wxs')",
                )
                continue
            if reference in requires:
                continue
            if not reference.startswith(("./", "../")) or not reference.endswith(".wxs"):
                self.report.add(
                    offset,
                    "WXS_REQUIRE_INVALID",
                    f'"{reference}" is not a relative .wxs path: WXS can only require files'
                    ' like "./tools.wxs" or "../common/tools.wxs"',
                )
                continue
            target = resolve_path(self.file, reference)
            if target is None or not self.tree.has(target):
                self.report.add(
                    offset, "WXS_REQUIRE_INVALID", f'cannot find "{reference}" (no such .wxs file)'
                )
                continue
            requires[reference] = target
        return requires


# -- output helpers --------------------------------------------------------------------------------


def _define(function: str, name: str, source: str, prologue: str = "") -> str:
    ending = "" if source.endswith("\n") else "\n"
    return f"{function}({_json(name)}, {_WRAPPER_OPEN}{prologue}\n{source}{ending}}});\n"


def _json(value: object) -> str:
    # ASCII-only output keeps U+2028/U+2029 and friends escaped in the generated script.
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


# What JavaScript counts as a line break, so source-map lines match the browser's.
_LINE_BREAK = re.compile("\r\n?|[\n\u2028\u2029]")


def _line_count(source: str) -> int:
    """Lines the source takes in the logic file, where `_define` ends it with a newline."""
    return len(_LINE_BREAK.findall(source)) + (0 if source.endswith("\n") else 1)


_BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _vlq(value: int) -> str:
    """One Base64 VLQ number, as source maps encode them."""
    number = (-value << 1) | 1 if value < 0 else value << 1
    out = ""
    while True:
        digit = number & 31
        number >>= 5
        if number:
            digit |= 32
        out += _BASE64[digit]
        if not number:
            return out


__all__ = [
    "JsModule",
    "Position",
    "WxsModule",
    "analyse_js",
    "analyse_wxs",
    "logic_file",
    "logic_source_map",
    "resolve_require",
    "wxs_file",
]
