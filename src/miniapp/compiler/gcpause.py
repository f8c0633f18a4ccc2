"""Pausing Python's cyclic garbage collector while a compile builds its (large, acyclic) trees.

A compile allocates millions of containers that all stay alive until it ends (ASTs, IR dicts,
token lists), so every generation-2 collection during it rescans them all for nothing: about a
quarter of compile time. Reference counting still frees everything as usual; cycles made during
the pause are collected by the next collection after it.
"""

from __future__ import annotations

import gc
from types import TracebackType


class gc_paused:
    """Disables the cyclic collector for a `with` block; restores it only if this block disabled
    it, so nested pauses (compile_tree calling compile_view) are fine. A class, not a
    @contextmanager generator: it is entered once per view, and a generator costs more."""

    __slots__ = ("paused",)

    def __init__(self) -> None:
        self.paused = False

    def __enter__(self) -> None:
        if gc.isenabled():
            gc.disable()
            self.paused = True

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self.paused:
            self.paused = False
            gc.enable()
