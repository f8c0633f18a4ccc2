"""Resolving `usingComponents` entries to component folders, the way WeChat does."""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass

from miniapp.compiler.config import key_position
from miniapp.compiler.diagnostics import Diagnostics
from miniapp.compiler.sources import SourceTree, resolve_path

NPM_FOLDER = "miniprogram_npm"


@dataclass(frozen=True, kw_only=True)
class ComponentUse:
    tag: str
    path: str  # root-relative, without extension: "components/card/card"
    declared_in: str  # the .json file that declared it


def _is_component(tree: SourceTree, base: str) -> bool:
    return tree.has(base + ".json") and tree.has(base + ".js") and tree.has(base + ".wxml")


def _candidates(base: str) -> list[str]:
    return [base, posixpath.join(base, "index")]


def _npm_candidates(from_file: str, reference: str) -> list[str]:
    """miniprogram_npm/<reference> in the declaring file's folder and each parent up to the root."""
    found: list[str] = []
    folder = posixpath.dirname(from_file)
    while True:
        npm = (
            posixpath.join(folder, NPM_FOLDER, reference)
            if folder
            else posixpath.join(NPM_FOLDER, reference)
        )
        found.extend(_candidates(posixpath.normpath(npm)))
        if not folder:
            return found
        folder = posixpath.dirname(folder)


def resolve_component(
    tree: SourceTree,
    *,
    from_json: str,
    json_text: str,
    tag: str,
    reference: str,
    diagnostics: Diagnostics,
) -> str | None:
    """The component's root-relative path without extension, or None after reporting why.

    "/abs", "./rel" and "../rel" resolve as paths; a bare "a/b" is tried as a path relative to
    the declaring file first, then as an npm package under miniprogram_npm (WeChat's order).
    """
    line, column = key_position(json_text, tag)
    if reference.startswith("plugin://") or reference.startswith("plugin-private://"):
        diagnostics.error(
            "COMPONENT_PLUGIN_UNSUPPORTED",
            from_json,
            f'"{tag}": plugin components are not supported ({reference})',
            line=line,
            column=column,
        )
        return None
    candidates: list[str] = []
    local = resolve_path(from_json, reference)
    if local is not None:
        candidates.extend(_candidates(local))
    if not reference.startswith(("/", ".")):
        candidates.extend(_npm_candidates(from_json, reference))
    for base in candidates:
        if _is_component(tree, base):
            if not _declares_component(tree, base):
                diagnostics.error(
                    "COMPONENT_NOT_DECLARED",
                    base + ".json",
                    f'used as <{tag}> by {from_json}, but its .json lacks "component": true',
                )
                return None
            return base
    diagnostics.error(
        "COMPONENT_NOT_FOUND",
        from_json,
        f'"{tag}": no component at "{reference}" (needs .json, .js and .wxml)',
        line=line,
        column=column,
    )
    return None


def _declares_component(tree: SourceTree, base: str) -> bool:
    # Many pages use the same component: read its .json once per compile.
    declared = tree.memo("components.declared")
    if base not in declared:
        try:
            config = json.loads(tree.data(base + ".json").decode("utf-8-sig") or "{}")
        except (UnicodeDecodeError, json.JSONDecodeError):
            config = {"component": True}  # the JSON error is reported when the config loads
        declared[base] = isinstance(config, dict) and config.get("component") is True
    result: bool = declared[base]
    return result
