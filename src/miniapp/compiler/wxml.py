"""Compiles one page's or component's WXML into the View IR the runtime interprets.

The IR is documented in docs/bundle-format.md ("View IR"). In short: the page's node tree
(`root`), every template it can reach (`templates`, keyed "<file>#<name>"), and per file the
templates (`templateScopes`) and WXS modules (`wxs`) visible there, so the runtime resolves a
dynamic `<template is>` and a `["wxs", name]` reference by the file the content was written in.

Scoping, as in WeChat:
- Content is compiled in the scope of a file: the page's own file for its content, the defining
  file for a template's body. That file's `<wxs>` modules (declared anywhere in it) and its
  visible templates are in scope; a template body sees nothing else but its `data`.
- Visible templates: the file's own `<template name>` definitions (anywhere in the file), then
  the ones *defined in* each file it `<import>`s (not what those import: not transitive). The
  file's own definitions win; among imported files, the one imported last wins.
- `<include>` pastes the target's content minus its `<template>`, `<wxs>` and `<import>` tags, as
  if written at the include (WeChat: "equivalent to copying"). The pasted content therefore
  resolves names in the including scope, and imports written in the included file count as
  imports of the including file. Include cycles are an error.
- Loop variables (`wx:for-item`, `wx:for-index`) shadow WXS modules of the same name.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import Any, Final, Literal

from miniapp.compiler.diagnostics import Diagnostics
from miniapp.compiler.expressions import Expr, ExpressionError, is_model_path, parse_expression
from miniapp.compiler.gcpause import gc_paused
from miniapp.compiler.sources import SourceTree, resolve_path
from miniapp.compiler.wxml_parser import (
    Attribute,
    Binding,
    Comment,
    Document,
    Element,
    Part,
    Text,
    parse_wxml,
)

MAX_NESTING: Final = 64
"""Elements (and includes) nested deeper than this are an error; WeChat's audit warns past 30.
It keeps compile recursion and JSON encoding of the IR far from Python's recursion limit."""

_DIRECTIVES: Final = frozenset(
    {"if", "elif", "else", "for", "for-items", "for-item", "for-index", "key"}
)
# The event prefixes WeChat knows (glass-easel's list), each with or without a colon:
# bindtap = bind:tap, capture-catchtouchstart = capture-catch:touchstart.
_EVENT = re.compile(
    r"(capture-mut-bind|capture-bind|capture-catch|mut-bind|bind|catch)(:?)(.*)", re.S
)
_EVENT_PREFIXES: Final = ("bind", "catch", "capture-", "mut-bind")
_IDENTIFIER = re.compile(r"[A-Za-z_$][A-Za-z0-9_$]*")
_BLANK = re.compile(r"\s*")
_TRUE: Final[list[Any]] = ["x", ["lit", True]]
# Attribute names `_ViewCompiler.attribute` treats specially (directives, events, model:,
# mark:, data-); any other name is a plain attribute.
_SPECIAL_PREFIXES: Final = ("wx:", *_EVENT_PREFIXES, "model:", "mark:", "data-")
# Tags `_ViewCompiler.core` handles itself; any other is a rendered element.
_CORE_TAGS: Final = frozenset({"block", "template", "include", "slot"})
# Tags whose elements `_ViewCompiler.file` collects as declarations.
_DECLARATION_TAGS: Final = frozenset({"wxs", "template", "import", "include"})
# Tags `_is_definition` may say yes to.
_DEFINITION_TAGS: Final = frozenset({"wxs", "import", "template"})


@dataclass(frozen=True, kw_only=True)
class WxsSource:
    """A WXS module this view uses."""

    id: str  # the .wxs file path, or "<wxml path>#<module name>" for inline <wxs>
    file: str  # file the code is in (.wxs file or the .wxml)
    code: str
    line: int  # line/column in `file` where `code` starts (1-based), for error positions
    column: int


@dataclass(frozen=True, kw_only=True)
class Reference:
    """Another file this view reads, for package-boundary checks."""

    kind: str  # "import" | "include" | "wxs"
    from_file: str
    target: str
    line: int
    column: int


@dataclass(frozen=True, kw_only=True)
class CompiledView:
    ir: dict[str, Any]  # JSON-able View IR, see docs/bundle-format.md ("View IR")
    wxs: dict[str, WxsSource]  # every WXS module referenced, by id
    references: list[Reference]
    tags: set[str]  # every element tag used (including inside templates), for component checks


def compile_view(tree: SourceTree, path: str, diagnostics: Diagnostics) -> CompiledView | None:
    """Compiles the .wxml file `path` (root-relative) with everything it imports and includes.

    Reports every problem found to `diagnostics` and returns None if any was reported for this
    view (including in files it imports or includes). Precondition: `tree.has(path)`; a missing
    file is reported as WXML_IMPORT_NOT_FOUND rather than raised.
    """
    with gc_paused():
        return _ViewCompiler(tree, diagnostics).compile(path)


@dataclass
class _File:
    """What a .wxml file declares, independent of where it is used."""

    path: str
    doc: Document
    wxs: dict[str, WxsSource]  # module name -> source
    templates: dict[str, Element]  # name -> <template name> element
    imports: list[str]  # existing targets of <import>, in document order
    includes: list[str]  # existing targets of <include>, in document order


@dataclass(frozen=True, slots=True)
class _Scope:
    """Where nodes are being compiled."""

    file: str  # the scope file: its templates and WXS modules are visible
    doc: Document  # the document the nodes come from (an included file's, for pasted content)
    wxs: frozenset[str]  # WXS module names visible (the file's modules minus loop variables)
    modules: frozenset[str]  # every WXS module of the scope file
    locals: frozenset[str]  # loop variables in scope
    includes: tuple[str, ...]  # files whose content is being pasted, for cycle detection


def _static(attribute: Attribute) -> str | None:
    """The attribute's value if it has no binding; None if it has one or no value at all."""
    parts = attribute.parts
    if parts is None:
        return None
    text = ""
    for part in parts:
        if not isinstance(part, str):
            return None
        text += part
    return text


def _declarations(doc: Document, memo: dict[str, list[Element]]) -> list[Element]:
    """The `<wxs>`, `<template>`, `<import>` and `<include>` elements of `doc` (at any depth), in
    document order. Found once per parsed document: `memo` is keyed by its path, and the document
    of a path is itself parsed once per compile."""
    found = memo.get(doc.path)
    if found is None:
        found = [element for element in doc.elements if element.tag in _DECLARATION_TAGS]
        memo[doc.path] = found
    return found


def _resolve(from_file: str, reference: str, extension: str) -> str | None:
    """The root-relative file a src names; WeChat lets the extension be left out."""
    target = resolve_path(from_file, reference)
    if target is None:
        return None
    return target if target.endswith(extension) else target + extension


def _not_found(reference: str | None, target: str | None) -> str:
    if not reference:
        return "src is empty or not plain text"
    if target is None:
        return f"{reference!r} points outside the mini program"
    return f"{reference!r} does not exist (looked for {target})"


def _is_definition(element: Element) -> bool:
    """Tags that declare something rather than render: never part of the node tree."""
    tag = element.tag
    return tag in ("wxs", "import") or (tag == "template" and element.attribute("name") is not None)


class _ViewCompiler:
    def __init__(self, tree: SourceTree, diagnostics: Diagnostics) -> None:
        self.tree = tree
        self.diagnostics = diagnostics
        self.files: dict[str, _File | None] = {}
        self.scopes: dict[str, dict[str, str]] = {}  # scope file -> visible name -> template id
        self.wxs_tables: dict[str, dict[str, str]] = {}  # scope file -> module name -> WXS id
        self.wxs_sources: dict[str, WxsSource] = {}
        self.template_defs: dict[str, tuple[str, str]] = {}  # template id -> (file, name)
        self.templates: dict[str, dict[str, Any]] = {}
        self.queue: deque[str] = deque()  # templates still to compile
        self.queued: set[str] = set()
        self.references: set[Reference] = set()
        self.tags: set[str] = set()
        self.reported: set[tuple[str, str, int, int, str]] = set()
        # Shared by every view of one compile: the same binding text in the same WXS scope always
        # parses to the same AST (only successful parses are kept).
        self.parsed: dict[tuple[str, frozenset[str], str], Expr] = tree.memo("wxml.expressions")
        self.failed = False
        self.too_deep = False

    def error(self, code: str, file: str, message: str, line: int, column: int) -> None:
        # The same pasted content can be compiled more than once; report each problem once.
        self.failed = True
        key = (code, file, line, column, message)
        if key not in self.reported:
            self.reported.add(key)
            self.diagnostics.error(code, file, message, line=line, column=column)

    def error_at(self, code: str, file: str, node: Element | Attribute, message: str) -> None:
        self.error(code, file, message, node.line, node.column)

    # -- the whole view --

    def compile(self, path: str) -> CompiledView | None:
        before = len(self.diagnostics.items)
        if not self.tree.has(path):
            self.error("WXML_IMPORT_NOT_FOUND", path, "the .wxml file does not exist", 0, 0)
            return None
        root = self.file(path)
        if root is None:
            return None
        self.enter_scope(path)
        root_nodes = self.nodes(root.doc.children, self.scope_of(path, root.doc, (path,)), 1)
        while self.queue:
            template_id = self.queue.popleft()
            file, name = self.template_defs[template_id]
            defining = self.files[file]
            assert defining is not None  # only files that loaded define templates
            element = defining.templates[name]
            self.enter_scope(file)
            body = self.template_body(template_id, file, defining, element)
            self.templates[template_id] = {
                "file": file,
                "name": name,
                "line": element.line,
                "body": body,
            }
        if self.failed or len(self.diagnostics.items) > before:
            return None
        ir = {
            "file": path,
            "root": root_nodes,
            "templates": {key: self.templates[key] for key in sorted(self.templates)},
            "templateScopes": {key: self.scopes[key] for key in sorted(self.scopes)},
            "wxs": {key: self.wxs_tables[key] for key in sorted(self.wxs_tables)},
        }
        references = sorted(
            self.references, key=lambda r: (r.from_file, r.line, r.column, r.kind, r.target)
        )
        wxs = {key: self.wxs_sources[key] for key in sorted(self.wxs_sources)}
        return CompiledView(ir=ir, wxs=wxs, references=references, tags=self.tags)

    def template_body(
        self, template_id: str, file: str, defining: _File, element: Element
    ) -> list[Any]:
        """The template's compiled body. A template sees only its defining file's scope, so its
        body is the same in every view: compiled once per compile (one tree), with the tags,
        references and problems it produced replayed into each view that uses it."""
        cache = self.tree.memo("wxml.templates")
        if template_id not in cache:
            outer_tags, outer_references = self.tags, self.references
            self.tags, self.references = set(), set()
            before = len(self.diagnostics.items)
            failed_before = self.failed
            self.failed = False
            try:
                body = self.nodes(element.children, self.scope_of(file, defining.doc, ()), 1)
                cache[template_id] = (
                    body,
                    frozenset(self.tags),
                    frozenset(self.references),
                    tuple(self.diagnostics.items[before:]),
                    self.failed,
                )
            finally:
                failed_now = self.failed
                self.tags = outer_tags | self.tags
                self.references = outer_references | self.references
                self.failed = failed_before or failed_now
            return body
        cached: list[Any]
        cached, tags, references, problems, failed = cache[template_id]
        self.tags |= tags
        self.references |= references
        self.diagnostics.items.extend(problems)
        self.failed = self.failed or failed
        return cached

    def scope_of(self, file: str, doc: Document, includes: tuple[str, ...]) -> _Scope:
        modules = frozenset(self.wxs_tables[file])
        return _Scope(
            file=file,
            doc=doc,
            wxs=modules,
            modules=modules,
            locals=frozenset(),
            includes=includes,
        )

    def enter_scope(self, file: str) -> None:
        """Makes `file` a scope file: records what is visible there, queues those templates."""
        if file in self.scopes:
            return
        loaded = self.files[file]
        assert loaded is not None  # scope files are the root and files that define templates
        table: dict[str, str] = {}
        for imported in self.visible_imports(file):
            target = self.files.get(imported)
            if target is not None:
                for name in target.templates:
                    table[name] = self.template_id(imported, name)
        for name in loaded.templates:
            table[name] = self.template_id(file, name)
        self.scopes[file] = dict(sorted(table.items()))
        self.wxs_tables[file] = {name: loaded.wxs[name].id for name in sorted(loaded.wxs)}
        for source in loaded.wxs.values():
            self.wxs_sources[source.id] = source
        for template_id in sorted(set(table.values())):
            if template_id not in self.queued:
                self.queued.add(template_id)
                self.queue.append(template_id)

    def template_id(self, file: str, name: str) -> str:
        template_id = f"{file}#{name}"
        self.template_defs[template_id] = (file, name)
        return template_id

    def visible_imports(self, file: str) -> list[str]:
        """Files imported by `file` or by content it includes (recursively), in order."""
        result: list[str] = []
        seen = {file}
        pending = [file]
        while pending:
            loaded = self.file(pending.pop(0))
            if loaded is None:
                continue
            result.extend(loaded.imports)
            for included in loaded.includes:
                if included not in seen:
                    seen.add(included)
                    pending.append(included)
        for imported in result:
            self.file(imported)
        return result

    # -- files --

    def file(self, path: str) -> _File | None:
        """Parses `path` once and collects its declarations. Precondition: tree.has(path)."""
        if path in self.files:
            return self.files[path]
        self.files[path] = None  # stays None if the file cannot be read
        text = self.tree.text(path, self.diagnostics)
        if text is None:
            self.failed = True
            return None
        # Shared templates are imported by many pages: parse each file once per compile, and
        # replay its parse errors into every view that reads it.
        parsed = self.tree.memo("wxml.parse")
        if path not in parsed:
            local = Diagnostics()
            parsed[path] = (parse_wxml(text, path, local), tuple(local.items))
        doc, problems = parsed[path]
        self.diagnostics.items.extend(problems)
        loaded = _File(path=path, doc=doc, wxs={}, templates={}, imports=[], includes=[])
        for element in _declarations(doc, self.tree.memo("wxml.declarations")):
            tag = element.tag
            if tag == "wxs":
                self.declare_wxs(loaded, element)
            elif tag == "template":
                self.declare_template(loaded, element)
            else:
                self.declare_source(loaded, element)
        self.files[path] = loaded
        return loaded

    def declare_wxs(self, loaded: _File, element: Element) -> None:
        path = loaded.path
        module = element.attribute("module")
        name = _static(module) if module is not None else None
        if module is None or not name:
            self.error_at("WXML_WXS_INVALID", path, element, '<wxs> needs module="name"')
            return
        if not _IDENTIFIER.fullmatch(name):
            self.error_at("WXML_WXS_INVALID", path, module, f"{name!r} is not a valid module name")
            return
        body = element.body or ""
        has_code = not _BLANK.fullmatch(body)
        src = element.attribute("src")
        source: WxsSource | None
        if src is not None and has_code:
            self.error_at("WXML_WXS_INVALID", path, element, "<wxs> has both src and inline code")
            return
        if src is not None:
            source = self.wxs_file(path, src)
        elif has_code:
            source = WxsSource(
                id=f"{path}#{name}",
                file=path,
                code=body,
                line=element.body_line,
                column=element.body_column,
            )
        else:
            self.error_at("WXML_WXS_INVALID", path, element, "<wxs> needs src or inline code")
            return
        if source is None:
            return
        if name in loaded.wxs:
            self.error_at(
                "WXML_WXS_DUPLICATE_MODULE", path, module, f"WXS module {name!r} is declared twice"
            )
            return
        loaded.wxs[name] = source

    def wxs_file(self, path: str, src: Attribute) -> WxsSource | None:
        """The module a `<wxs src>` in `path` names, or None after reporting why not."""
        reference = _static(src)
        target = _resolve(path, reference, ".wxs") if reference else None
        if target is None or not self.tree.has(target):
            self.error_at("WXML_WXS_NOT_FOUND", path, src, _not_found(reference, target))
            return None
        self.references.add(
            Reference(kind="wxs", from_file=path, target=target, line=src.line, column=src.column)
        )
        code = self.tree.text(target, self.diagnostics)
        if code is None:
            self.failed = True
            return None
        return WxsSource(id=target, file=target, code=code, line=1, column=1)

    def declare_template(self, loaded: _File, element: Element) -> None:
        attribute = element.attribute("name")
        if attribute is None:
            return  # a use (<template is>), compiled where it stands
        name = _static(attribute)
        if not name:
            self.error_at(
                "WXML_SYNTAX",
                loaded.path,
                attribute,
                "a template name must be plain, non-empty text",
            )
            return
        if name in loaded.templates:
            self.error_at(
                "WXML_TEMPLATE_DUPLICATE",
                loaded.path,
                attribute,
                f"template {name!r} is defined twice in this file",
            )
            return
        loaded.templates[name] = element

    def declare_source(self, loaded: _File, element: Element) -> None:
        """Records <import>/<include> targets. Only imports report a bad src here: an include
        reports it where its content is pasted."""
        src = element.attribute("src")
        reference = _static(src) if src is not None else None
        is_import = element.tag == "import"
        if src is None or not reference:
            if is_import:
                self.error_at("WXML_SYNTAX", loaded.path, element, '<import> needs src="path"')
            return
        target = _resolve(loaded.path, reference, ".wxml")
        if target is None or not self.tree.has(target):
            if is_import:
                self.error_at(
                    "WXML_IMPORT_NOT_FOUND", loaded.path, src, _not_found(reference, target)
                )
            return
        if is_import:
            self.references.add(
                Reference(
                    kind="import",
                    from_file=loaded.path,
                    target=target,
                    line=src.line,
                    column=src.column,
                )
            )
            loaded.imports.append(target)
        else:
            loaded.includes.append(target)

    # -- node lists --

    def nodes(  # noqa: PLR0912 - the per-node hot path, kept in one frame for speed
        self, children: list[Element | Text | Comment], scope: _Scope, depth: int
    ) -> list[Any]:
        """Compiles sibling nodes: resolves wx:if/elif/else chains and drops definitions."""
        out: list[Any] = []
        chain: dict[str, Any] | None = None  # the wx:if node the next wx:elif/else may join
        path = scope.doc.path
        for node in children:
            if isinstance(node, Comment):
                continue
            if isinstance(node, Text):
                out.append(self.text(node, scope))
                chain = None
                continue
            tag = node.tag
            if tag in _DEFINITION_TAGS and _is_definition(node):
                # Definitions are lifted out of the tree, so they do not break an if chain.
                self.check_definition(node, path)
                continue
            if depth > MAX_NESTING:
                self.nested_too_deep(node, path)
                return out
            directives = self.directives(node, path)
            if not directives:  # the common case: a plain element
                chain = None
                if tag in _CORE_TAGS:
                    out.extend(self.core(node, scope, depth))
                else:
                    out.append(self.element(node, scope, depth))
                continue
            branch = self.branch(directives, path)
            if branch is not None:
                is_else = branch.name == "wx:else"
                if chain is None:
                    self.error_at(
                        "WXML_ELSE_WITHOUT_IF",
                        path,
                        branch,
                        f"{branch.name} must follow a sibling with wx:if or wx:elif"
                        " (a wx:if next to wx:for applies inside the loop)",
                    )
                    out.extend(self.core(node, scope, depth))
                    continue
                test = None if is_else else self.condition(branch, scope)
                chain["branches"].append([test, self.core(node, scope, depth)])
                if is_else:
                    chain = None
                continue
            chain = None
            loop = directives.get("for") or directives.get("for-items")
            condition = directives.get("if")
            if loop is not None:
                out.append(
                    self.loop(
                        node, directives, loop=loop, condition=condition, scope=scope, depth=depth
                    )
                )
            elif condition is not None:
                test = self.condition(condition, scope)
                chain = {
                    "k": "if",
                    "line": node.line,
                    "branches": [[test, self.core(node, scope, depth)]],
                }
                out.append(chain)
            else:
                out.extend(self.core(node, scope, depth))
        return out

    def check_definition(self, element: Element, path: str) -> None:
        for attribute in element.attributes:
            if attribute.name.startswith("wx:"):
                self.error_at(
                    "WXML_BAD_DIRECTIVE",
                    path,
                    attribute,
                    f"{attribute.name} has no effect on <{element.tag}>",
                )

    def nested_too_deep(self, element: Element, path: str) -> None:
        if not self.too_deep:  # once: every deeper element would repeat it
            self.too_deep = True
            self.error_at(
                "WXML_SYNTAX", path, element, f"elements are nested more than {MAX_NESTING} deep"
            )

    def branch(self, directives: dict[str, Attribute], path: str) -> Attribute | None:
        """The wx:elif or wx:else that makes this element join the previous if chain, if any."""
        branch = directives.get("elif") or directives.get("else")
        if branch is None:
            return None
        if "elif" in directives and "else" in directives:
            self.error_at(
                "WXML_BAD_DIRECTIVE",
                path,
                directives["else"],
                "wx:else cannot be used with wx:elif",
            )
        for other in ("if", "for", "for-items"):
            if other in directives:
                self.error_at(
                    "WXML_BAD_DIRECTIVE",
                    path,
                    branch,
                    f"{branch.name} cannot be used with wx:{other}",
                )
                return None
        return branch

    def directives(self, element: Element, path: str) -> dict[str, Attribute]:
        found: dict[str, Attribute] = {}
        for attribute in element.attributes:
            name = attribute.name
            if name.startswith("wx:"):
                directive = name[3:]
                if directive not in _DIRECTIVES:
                    self.error_at(
                        "WXML_BAD_DIRECTIVE", path, attribute, f"unknown directive {name}"
                    )
                elif directive not in found:
                    found[directive] = attribute
        return found

    def condition(self, attribute: Attribute, scope: _Scope) -> Any:
        if attribute.parts is None:
            self.error_at(
                "WXML_BAD_DIRECTIVE", scope.doc.path, attribute, f"{attribute.name} needs a value"
            )
            return _TRUE
        return self.value(attribute, scope)

    def loop(
        self,
        element: Element,
        directives: dict[str, Attribute],
        *,
        loop: Attribute,
        condition: Attribute | None,
        scope: _Scope,
        depth: int,
    ) -> dict[str, Any]:
        """wx:for: the loop is outside, a wx:if on the same element inside (it sees `item`)."""
        item = self.loop_name(directives.get("for-item"), "item", scope)
        index = self.loop_name(directives.get("for-index"), "index", scope)
        listed = self.condition(loop, scope)
        local_names = scope.locals | {item, index}
        inner = _Scope(
            file=scope.file,
            doc=scope.doc,
            wxs=scope.modules - local_names,
            modules=scope.modules,
            locals=local_names,
            includes=scope.includes,
        )
        if condition is not None:
            body: list[Any] = [
                {
                    "k": "if",
                    "line": element.line,
                    "branches": [
                        [self.condition(condition, inner), self.core(element, inner, depth)]
                    ],
                }
            ]
        else:
            body = self.core(element, inner, depth)
        node: dict[str, Any] = {
            "k": "for",
            "line": element.line,
            "list": listed,
            "item": item,
            "index": index,
        }
        key = directives.get("key")
        if key is not None and key.parts is not None:
            # WeChat takes wx:key literally: "{{id}}" names a field called "{{id}}" (the docs
            # warn about exactly this), so a binding here is kept as text, not evaluated.
            text = _static(key)
            text = key.raw if text is None else text
            if text:
                node["key"] = text
        node["children"] = body
        return node

    def loop_name(self, attribute: Attribute | None, default: str, scope: _Scope) -> str:
        if attribute is None:
            return default
        name = _static(attribute)
        if name is None or not _IDENTIFIER.fullmatch(name):
            self.error_at(
                "WXML_BAD_DIRECTIVE",
                scope.doc.path,
                attribute,
                f"{attribute.name} must be a plain variable name",
            )
            return default
        return name

    # -- one node --

    def core(self, element: Element, scope: _Scope, depth: int) -> list[Any]:
        """The node(s) for an element without its wx:if/wx:for: a list, because a plain
        <block> or <include> stands for its children."""
        tag = element.tag
        if tag == "block":
            children = self.nodes(element.children, scope, depth + 1)
            slot = element.attribute("slot")
            if slot is None:
                return children
            return [
                {
                    "k": "block",
                    "line": element.line,
                    "slot": self.value(slot, scope),
                    "children": children,
                }
            ]
        if tag == "template":
            use = self.template_use(element, scope)
            return [] if use is None else [use]
        if tag == "include":
            return self.include(element, scope, depth)
        if tag == "slot":
            node: dict[str, Any] = {"k": "slot", "line": element.line}
            name = element.attribute("name")
            if name is not None:
                node["name"] = self.value(name, scope)
            return [node]
        return [self.element(element, scope, depth)]

    def element(  # noqa: PLR0912 - plain attributes handled inline, for speed
        self, element: Element, scope: _Scope, depth: int
    ) -> dict[str, Any]:
        """A rendered element: attributes sorted into attrs, data, marks, events and model."""
        tag = element.tag
        self.tags.add(tag)
        node: dict[str, Any] = {"k": "el", "tag": tag, "line": element.line}
        attrs: dict[str, Any] = {}
        groups: dict[str, Any] | None = None  # made when an attribute is more than plain
        for attribute in element.attributes:
            name = attribute.name
            if name.startswith(_SPECIAL_PREFIXES):
                if name.startswith("wx:"):
                    continue
                if groups is None:
                    groups = {"attrs": attrs, "data": {}, "marks": {}, "events": [], "model": {}}
                self.attribute(attribute, scope, groups)
            elif name not in attrs:  # WeChat keeps the first of duplicate attributes
                # self.value(attribute, scope), inlined for the commonest case.
                parts = attribute.parts
                if parts is None:
                    attrs[name] = _TRUE
                elif len(parts) == 1 and isinstance(parts[0], str):
                    attrs[name] = parts[0]
                else:
                    attrs[name] = self.parts(parts, scope)
        if groups is None:
            if attrs:
                node["attrs"] = attrs
        else:
            for key, group in groups.items():
                if group:
                    node[key] = group
        children = self.nodes(element.children, scope, depth + 1)
        if children:
            node["children"] = children
        return node

    def attribute(self, attribute: Attribute, scope: _Scope, groups: dict[str, Any]) -> None:
        name = attribute.name
        if name.startswith(_EVENT_PREFIXES):
            match = _EVENT.fullmatch(name)
            if match is not None:
                kind, colon, event = match.groups()
                if event:
                    groups["events"].append([event, kind, self.value(attribute, scope)])
                    return
                if colon:
                    self.error_at(
                        "WXML_SYNTAX", scope.doc.path, attribute, f"{name} names no event"
                    )
                    return
        if name.startswith("model:"):
            self.model(attribute, scope, groups["model"])
        elif name.startswith("mark:") and len(name) > 5:
            groups["marks"].setdefault(name[5:], self.value(attribute, scope))
        elif name.startswith("data-") and len(name) > 5:
            groups["data"].setdefault(name, self.value(attribute, scope))
        elif name not in groups["attrs"]:  # WeChat keeps the first of duplicate attributes
            groups["attrs"][name] = self.value(attribute, scope)

    def model(self, attribute: Attribute, scope: _Scope, model: dict[str, Any]) -> None:
        """`model:prop="{{a.b}}"`: two-way binding to a plain data path."""
        path = scope.doc.path
        prop = attribute.name[6:]
        if not prop:
            self.error_at("WXML_SYNTAX", path, attribute, "model: names no property")
            return
        parts = attribute.parts
        if parts is None or len(parts) != 1 or not isinstance(parts[0], Binding):
            self.error_at(
                "WXML_MODEL_NOT_PATH",
                path,
                attribute,
                f"{attribute.name} must be exactly one {{{{ }}}} binding of a data path",
            )
            return
        expr = self.expression(parts[0], scope)
        if expr is None:
            return
        if not is_model_path(expr):
            self.error_at(
                "WXML_MODEL_NOT_PATH",
                path,
                attribute,
                f"{attribute.name} must bind a plain data path such as a.b or list[0].name",
            )
            return
        model.setdefault(prop, expr)

    def template_use(self, element: Element, scope: _Scope) -> dict[str, Any] | None:
        path = scope.doc.path
        target = element.attribute("is")
        if target is None or target.parts is None:
            self.error_at(
                "WXML_SYNTAX",
                path,
                element,
                '<template> needs name="..." to define or is="..." to use',
            )
            return None
        node: dict[str, Any] = {"k": "tpl", "line": element.line}
        name = _static(target)
        if name is not None:
            template_id = self.scopes[scope.file].get(name)
            if template_id is None:
                self.error_at(
                    "WXML_TEMPLATE_NOT_FOUND",
                    path,
                    target,
                    f"no template {name!r} is defined in or imported by {scope.file}",
                )
            else:
                node["id"] = template_id
        else:
            node["is"] = self.value(target, scope)
        data = element.attribute("data")
        if data is not None:
            parts = data.parts
            if parts is None or len(parts) != 1 or not isinstance(parts[0], Binding):
                self.error_at(
                    "WXML_EXPRESSION_SYNTAX",
                    path,
                    data,
                    "template data must be exactly one {{ }} binding, e.g. {{...item}} or {{a: 1}}",
                )
            else:
                expr = self.expression(parts[0], scope, "data")
                if expr is not None:
                    node["data"] = expr
        return node

    def include(self, element: Element, scope: _Scope, depth: int) -> list[Any]:
        path = scope.doc.path
        src = element.attribute("src")
        reference = _static(src) if src is not None else None
        if src is None or not reference:
            self.error_at("WXML_SYNTAX", path, element, '<include> needs src="path"')
            return []
        target = _resolve(path, reference, ".wxml")
        if target is None or not self.tree.has(target):
            self.error_at("WXML_IMPORT_NOT_FOUND", path, src, _not_found(reference, target))
            return []
        self.references.add(
            Reference(
                kind="include", from_file=path, target=target, line=src.line, column=src.column
            )
        )
        if target in scope.includes:
            cycle = " -> ".join((*scope.includes[scope.includes.index(target) :], target))
            self.error_at("WXML_INCLUDE_CYCLE", path, element, f"include cycle: {cycle}")
            return []
        included = self.file(target)
        if included is None:
            return []
        inner = _Scope(
            file=scope.file,
            doc=included.doc,
            wxs=scope.wxs,
            modules=scope.modules,
            locals=scope.locals,
            includes=(*scope.includes, target),
        )
        children = self.nodes(included.doc.children, inner, depth + 1)
        return [{"k": "inc", "file": target, "line": element.line, "children": children}]

    # -- values --

    def text(self, node: Text, scope: _Scope) -> Any:
        value = self.parts(node.parts, scope)
        return value if isinstance(value, str) else {"k": "text", "v": value}

    def value(self, attribute: Attribute, scope: _Scope) -> Any:
        """An attribute's Value: a string, ["x", expr] (one binding, type kept), or
        ["cat", parts] (text and bindings, always a string). Valueless means true."""
        if attribute.parts is None:
            return _TRUE
        return self.parts(attribute.parts, scope)

    def parts(self, parts: list[Part], scope: _Scope) -> Any:
        if len(parts) == 1:
            part = parts[0]
            if isinstance(part, str):
                return part
            return ["x", self.expression(part, scope) or ["undef"]]
        out: list[Any] = []
        for part in parts:
            if isinstance(part, str):
                if not part:
                    continue
                if out and isinstance(out[-1], str):
                    out[-1] += part
                else:
                    out.append(part)
            else:
                out.append(self.expression(part, scope) or ["undef"])
        if not out:
            return ""
        if len(out) == 1 and isinstance(out[0], str):
            return out[0]
        return ["cat", out]

    def expression(
        self, binding: Binding, scope: _Scope, mode: Literal["expression", "data"] = "expression"
    ) -> Expr | None:
        doc = scope.doc
        # Pages repeat bindings ({{item.name}}, {{index}}): parse each text once per scope. The
        # IR then shares the AST's lists, which is fine for JSON and nobody mutates the IR.
        key = (doc.text[binding.start : binding.end], scope.wxs, mode)
        cached = self.parsed.get(key)
        if cached is not None:
            return cached
        try:
            expr = parse_expression(
                doc.text, wxs_modules=scope.wxs, start=binding.start, end=binding.end, mode=mode
            )
        except ExpressionError as exc:
            line, column = doc.position(exc.offset)
            self.error(exc.code, doc.path, exc.message, line, column)
            return None
        self.parsed[key] = expr
        return expr
