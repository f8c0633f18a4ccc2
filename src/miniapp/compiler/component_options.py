"""Style options a component declares in its JavaScript, read statically.

`Component({options: {styleIsolation: "shared"}})` and `{options: {addGlobalClass: true}}` decide
how the component's WXSS is compiled (prefixed or not), and a component may set them in its JS
rather than its .json. Only literal values in the first `Component({...})` call are read; anything
computed is left to the runtime, which sees the real options.
"""

from __future__ import annotations

from dataclasses import dataclass

from tree_sitter import Node

from miniapp.compiler.javascript import javascript_parser


@dataclass(frozen=True, kw_only=True)
class StyleOptions:
    style_isolation: str | None = None
    add_global_class: bool = False
    external_classes: tuple[str, ...] = ()


def _property(obj: Node, name: str) -> Node | None:
    for child in obj.named_children:
        if child.type != "pair":
            continue
        key = child.child_by_field_name("key")
        if key is None:
            continue
        text = (key.text or b"").decode().strip("'\"")
        if text == name:
            return child.child_by_field_name("value")
    return None


def _string(node: Node | None) -> str | None:
    if node is None or node.type != "string":
        return None
    return (node.text or b"").decode()[1:-1]


def _find_component_call(node: Node) -> Node | None:
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "call_expression":
            function = current.child_by_field_name("function")
            if (
                function is not None
                and function.type == "identifier"
                and function.text == b"Component"
            ):
                arguments = current.child_by_field_name("arguments")
                if arguments is not None and arguments.named_children:
                    first = arguments.named_children[0]
                    if first.type == "object":
                        return first
        stack.extend(reversed(current.named_children))
    return None


def read_style_options(source: str) -> StyleOptions:
    """The literal style options of the first Component({...}) call in `source`."""
    tree = javascript_parser().parse(source.encode("utf-8"))
    definition = _find_component_call(tree.root_node)
    if definition is None:
        return StyleOptions()
    options = _property(definition, "options")
    isolation = None
    add_global = False
    if options is not None and options.type == "object":
        isolation = _string(_property(options, "styleIsolation"))
        flag = _property(options, "addGlobalClass")
        add_global = flag is not None and flag.type == "true"
    external: tuple[str, ...] = ()
    classes = _property(definition, "externalClasses")
    if classes is not None and classes.type == "array":
        external = tuple(s for s in (_string(item) for item in classes.named_children) if s)
    return StyleOptions(
        style_isolation=isolation, add_global_class=add_global, external_classes=external
    )
