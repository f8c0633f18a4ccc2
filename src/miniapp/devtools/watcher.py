"""Watching a project folder for changes, by polling: no dependency, and it works on any file
system (network mounts and container volumes included, where change notifications often don't).

Every `interval` seconds a thread lists the folder's files with their modification time, size and
inode (so a save by rename is seen too) and compares the listing with the previous one. Folders
the compiler never reads (`.git`, `node_modules`, ...) are skipped. A change is acted on once the
listing has stopped changing for a moment, so an editor's save in several steps (truncate, write,
rename) triggers one build, not one per step.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path

from miniapp.compiler.project import IGNORED_PARTS

log = logging.getLogger(__name__)

POLL_SECONDS = 0.3
SETTLE_SECONDS = 0.05
MAX_SETTLE_ROUNDS = 20  # an endlessly changing folder is built at least once a second

Snapshot = dict[str, tuple[int, int, int]]


def snapshot(folder: Path) -> Snapshot:
    """Every file under `folder` (relative POSIX path) with (mtime_ns, size, inode)."""
    found: Snapshot = {}
    for directory, subdirectories, files in os.walk(folder):
        subdirectories[:] = sorted(name for name in subdirectories if name not in IGNORED_PARTS)
        base = Path(directory)
        for name in files:
            if name in IGNORED_PARTS:
                continue
            path = base / name
            try:
                status = path.lstat()
            except OSError:
                continue  # removed while listed: the next listing says so
            relative = path.relative_to(folder).as_posix()
            found[relative] = (status.st_mtime_ns, status.st_size, status.st_ino)
    return found


class ProjectWatcher:
    """Calls `on_change()` (in the watcher's thread) after the files under `folder` change."""

    def __init__(
        self,
        folder: Path,
        on_change: Callable[[], object],
        *,
        interval: float = POLL_SECONDS,
        settle: float = SETTLE_SECONDS,
    ) -> None:
        self.folder = folder
        self.on_change = on_change
        self.interval = interval
        self.settle = settle
        self._seen: Snapshot | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def prime(self) -> None:
        """Remember the files as they are now: only later changes count."""
        self._seen = snapshot(self.folder)

    def changed(self) -> bool:
        """Whether the files differ from the last listing (which this one replaces)."""
        current = snapshot(self.folder)
        if current == self._seen:
            return False
        self._seen = current
        return True

    def _settled(self) -> None:
        for _ in range(MAX_SETTLE_ROUNDS):
            if self._stop.wait(self.settle) or not self.changed():
                return

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            if not self.changed():
                continue
            self._settled()
            if self._stop.is_set():
                return
            try:
                self.on_change()
            except Exception:  # keep watching: the next change gets another try
                log.exception("rebuilding after a change failed")

    def start(self) -> None:
        if self._seen is None:
            self.prime()
        self._thread = threading.Thread(target=self._run, name="miniapp-dev-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
