"""The files of one mini program, in memory, with paths relative to its root.

Every stage reads through a `SourceTree`; nothing else touches the disk, so a zip and a folder
behave the same and a failed compile has written nothing.
"""

from __future__ import annotations

import posixpath
from typing import Any

from miniapp.compiler.diagnostics import Diagnostics

TEXT_EXTENSIONS = frozenset({".js", ".json", ".wxml", ".wxss", ".wxs"})


class SourceTree:
    """Files keyed by POSIX path relative to the mini-program root (no leading slash)."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self._files = dict(files)
        self._texts: dict[str, str | None] = {}
        self._memos: dict[str, dict[Any, Any]] = {}

    def has(self, path: str) -> bool:
        return path in self._files

    def paths(self) -> list[str]:
        return sorted(self._files)

    def memo(self, namespace: str) -> dict[Any, Any]:
        """A cache that lives as long as this tree, or until `forget_memos` (compile_tree calls it
        when done): a file imported by many pages is parsed once. Entries must be treated as
        read-only by everyone who reads them."""
        return self._memos.setdefault(namespace, {})

    def forget_memos(self) -> None:
        """Drops every memo (the next compile of this tree recomputes what it needs)."""
        self._memos.clear()

    def data(self, path: str) -> bytes:
        return self._files[path]

    def size(self, path: str) -> int:
        return len(self._files[path])

    def text(self, path: str, diagnostics: Diagnostics) -> str | None:
        """The file decoded as UTF-8 (a BOM dropped), or None after reporting why not.

        Reports TEXT_NOT_UTF8 once per file, however often it is read. Precondition: `has(path)`.
        """
        if path not in self._texts:
            raw = self._files[path]
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                line = raw.count(b"\n", 0, exc.start) + 1
                diagnostics.error(
                    "TEXT_NOT_UTF8",
                    path,
                    f"not valid UTF-8 (byte {exc.start}); save the file as UTF-8",
                    line=line,
                )
                self._texts[path] = None
                return None
            self._texts[path] = text.removeprefix("\ufeff").replace("\r\n", "\n")
        return self._texts[path]


def resolve_path(from_file: str, reference: str) -> str | None:
    """Where `reference`, written in `from_file`, points: root-relative and normalised.

    "/a/b" is from the root, "./x" and "../x" and bare "x" are relative to `from_file`'s folder
    (WXML and WXSS treat a bare name as relative, like WeChat). None if it escapes the root.
    """
    if reference.startswith("/"):
        joined = reference.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(from_file), reference)
    normalised = posixpath.normpath(joined)
    if normalised in (".", "") or normalised.startswith("../") or normalised == "..":
        return None
    return normalised
