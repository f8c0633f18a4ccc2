"""Whole-or-nothing file writes, for the stores that keep uploads and builds on disk.

A file is written to a temporary file beside its target and renamed over it (`os.replace`), so a
reader sees the whole file or none, never a half-written one; if anything fails the temporary
file is removed again.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, *, mode: int) -> None:
    """Write `data` to `path` (replacing any file there), whole or not at all, with permission
    bits `mode`.

    Precondition: `path.parent` exists (the temporary file is made there, on the same file
    system, so the rename is atomic).
    """
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_once(path: Path, data: bytes, *, mode: int) -> None:
    """Write `path` as `write_atomically` does, unless it exists already: then nothing is written.

    Preconditions: `path.parent` exists, and the store is content-addressed (`path` is named by
    the hash of `data`), so a file already there holds these very bytes.
    """
    if path.exists():
        return
    write_atomically(path, data, mode=mode)
