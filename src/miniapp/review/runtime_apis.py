"""Which `wx.*` APIs the runtime provides, read from the runtime's own scripts.

There is no second list to keep in step: the logic layer's `wx.js` defines the `wx` object
(`const wx = {...}`), the API families (query.js, canvas.js, files.js, ...) add to it with
`W.extend({...})` or assign `W.wx.name = ...`, and `NOT_YET` names the WeChat APIs that exist
only to fail with "not supported" until the runtime implements them. This module parses those
scripts (tree-sitter, as the compiler reads mini-program JS) and answers from what they define,
so an API the runtime gains is supported by the review the moment its script says so.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from tree_sitter import Node

from miniapp.compiler.javascript import javascript_parser

LOGIC_DIR = Path(__file__).resolve().parent.parent / "web" / "runtime" / "logic"
WX_SCRIPT = "wx.js"


@dataclass(frozen=True, kw_only=True)
class RuntimeApis:
    """`supported`: names the runtime implements. `not_yet`: WeChat APIs it declares but
    answers with "not supported" (canIUse is false for them)."""

    supported: frozenset[str]
    not_yet: frozenset[str]


def _walk(node: Node) -> Iterable[Node]:
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.named_children)


def _text(node: Node | None) -> str:
    return (node.text or b"").decode("utf-8") if node is not None else ""


def _string(node: Node) -> str | None:
    if node.type != "string":
        return None
    return _text(node)[1:-1]


def _object_keys(node: Node) -> set[str]:
    """The literal keys of an object expression: `a: ...`, `"a": ...`, `a() {}`, `a,`."""
    keys: set[str] = set()
    for child in node.named_children:
        if child.type in ("pair", "method_definition"):
            key = child.child_by_field_name("key" if child.type == "pair" else "name")
            if key is not None and key.type == "property_identifier":
                keys.add(_text(key))
            elif key is not None and (value := _string(key)) is not None:
                keys.add(value)
        elif child.type == "shorthand_property_identifier":
            keys.add(_text(child))
    return keys


def _is_wx(node: Node | None) -> bool:
    """`wx` or `<something>.wx` (the families reach it as `W.wx`)."""
    if node is None:
        return False
    if node.type == "identifier":
        return _text(node) == "wx"
    if node.type == "member_expression":
        return _text(node.child_by_field_name("property")) == "wx"
    return False


def read_runtime_apis(scripts: Iterable[tuple[str, bytes]]) -> RuntimeApis:
    """The APIs defined by the logic layer's `scripts` (name, source)."""
    supported: set[str] = set()
    not_yet: set[str] = set()
    parser = javascript_parser()
    for name, source in scripts:
        root = parser.parse(source).root_node
        for node in _walk(root):
            if node.type == "variable_declarator" and name == WX_SCRIPT:
                declared = _text(node.child_by_field_name("name"))
                value = node.child_by_field_name("value")
                if value is None:
                    continue
                if declared == "wx" and value.type == "object":
                    supported |= _object_keys(value)
                elif declared == "NOT_YET" and value.type == "array":
                    not_yet |= {s for item in value.named_children if (s := _string(item))}
            elif node.type == "call_expression":
                function = node.child_by_field_name("function")
                arguments = node.child_by_field_name("arguments")
                if (
                    function is not None
                    and function.type == "member_expression"
                    and _text(function.child_by_field_name("property")) == "extend"
                    and arguments is not None
                    and arguments.named_children
                    and arguments.named_children[0].type == "object"
                ):
                    supported |= _object_keys(arguments.named_children[0])
            elif node.type == "assignment_expression":
                left = node.child_by_field_name("left")
                if (
                    left is not None
                    and left.type == "member_expression"
                    and _is_wx(left.child_by_field_name("object"))
                ):
                    supported.add(_text(left.child_by_field_name("property")))
    return RuntimeApis(supported=frozenset(supported), not_yet=frozenset(not_yet - supported))


@functools.cache
def runtime_apis() -> RuntimeApis:
    """The APIs of the runtime this server serves (read once per process)."""
    scripts = sorted(LOGIC_DIR.glob("*.js"))
    return read_runtime_apis((path.name, path.read_bytes()) for path in scripts)
