"""The project under development: each build compiled, stored and released, and published.

A `DevProject` compiles its folder (project.config.json's `miniprogramRoot` honoured), stores the
bundle and releases it as its app, which it registers on the first good build. A failed build
releases nothing: the last good bundle stays released and keeps running in the simulator, while
the new revision carries the diagnostics. Every build, good or bad, bumps the revision.

The `BuildBoard` holds the latest `BuildStatus` and wakes whoever waits for a newer one: the
simulator's long poll (asyncio) and threads (the tests, the command's report).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from miniapp.apps.bundles import BundleStore, do_store_bundle
from miniapp.apps.project_identity import project_app_name, project_appid, read_project_config
from miniapp.apps.registry import (
    do_register_app,
    do_release_bundle,
    find_app,
)
from miniapp.compiler.build import compile_project
from miniapp.compiler.diagnostics import Diagnostic
from miniapp.db.session import Database

log = logging.getLogger(__name__)

LONG_POLL_SECONDS = 25.0  # under the usual 30-60 s idle timeouts of proxies


@dataclass(frozen=True, kw_only=True)
class BuildStatus:
    """One build. `bundle` is the released bundle: this build's when it is ok, else the last
    good one (None until a build succeeds). Revision 0 is "not built yet"."""

    rev: int
    ok: bool
    appid: str
    name: str
    bundle: str | None
    diagnostics: tuple[Diagnostic, ...]
    duration_ms: int

    def to_json(self) -> dict[str, Any]:
        return {
            "rev": self.rev,
            "ok": self.ok,
            "appid": self.appid,
            "name": self.name,
            "bundle": self.bundle,
            "diagnostics": [item.to_dict() for item in self.diagnostics],
            "durationMs": self.duration_ms,
        }


def _wake(loop: asyncio.AbstractEventLoop, event: asyncio.Event) -> None:
    with contextlib.suppress(RuntimeError):  # that loop is closed: its waiter is gone
        loop.call_soon_threadsafe(event.set)


class BuildBoard:
    """The latest build, and the waiters for a newer one.

    A waiter that names revision `after` is answered as soon as the current revision differs from
    it: newer, or older when the waiter remembers a previous run of the command. `close()` answers
    every waiter at once (the server is stopping) and every later one without waiting.
    """

    def __init__(self, first: BuildStatus) -> None:
        self._condition = threading.Condition()
        self._current = first
        self._loop_waiters: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._waiting = 0
        self._closed = False

    @property
    def current(self) -> BuildStatus:
        return self._current

    def _answered(self, after: int) -> bool:
        return self._closed or self._current.rev != after

    def publish(self, status: BuildStatus) -> None:
        with self._condition:
            self._current = status
            waiters = list(self._loop_waiters)
            self._condition.notify_all()
        for loop, event in waiters:
            _wake(loop, event)

    def close(self) -> None:
        with self._condition:
            self._closed = True
            waiters = list(self._loop_waiters)
            self._condition.notify_all()
        for loop, event in waiters:
            _wake(loop, event)

    def wait_sync(self, after: int, timeout: float) -> BuildStatus:
        """The current build once its revision is not `after`, or at the timeout."""
        with self._condition:
            self._condition.wait_for(lambda: self._answered(after), timeout)
            return self._current

    async def wait(self, after: int, timeout: float) -> BuildStatus:
        """As `wait_sync`, without holding a thread while waiting."""
        loop = asyncio.get_running_loop()
        event = asyncio.Event()
        entry = (loop, event)
        with self._condition:
            if self._answered(after):
                return self._current
            self._loop_waiters.add(entry)
            self._waiting += 1
            self._condition.notify_all()
        try:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), timeout)
        finally:
            with self._condition:
                self._loop_waiters.discard(entry)
                self._waiting -= 1
                self._condition.notify_all()
        return self._current

    def wait_for_waiters(self, count: int, timeout: float) -> bool:
        """Whether `count` asyncio waiters are waiting within `timeout` seconds (for tests)."""
        with self._condition:
            return self._condition.wait_for(lambda: self._waiting >= count, timeout)


def dev_appid(folder: Path, config: dict[str, Any]) -> str:
    """The project's own appid, else one derived from its absolute path (stable per folder)."""
    return project_appid(config, seed=f"miniapp-dev:{folder.resolve()}")


def dev_app_name(folder: Path, config: dict[str, Any]) -> str:
    """The project's name, else its folder's."""
    return project_app_name(config, fallback=folder.name)


class DevProject:
    """One project folder compiled into one app, build after build."""

    def __init__(self, folder: Path, *, database: Database, store: BundleStore) -> None:
        self.folder = folder.resolve()
        self.database = database
        self.store = store
        config = read_project_config(self.folder)
        self.appid = dev_appid(self.folder, config)
        self.board = BuildBoard(
            BuildStatus(
                rev=0,
                ok=False,
                appid=self.appid,
                name=dev_app_name(self.folder, config),
                bundle=None,
                diagnostics=(),
                duration_ms=0,
            )
        )
        self.long_poll_seconds = LONG_POLL_SECONDS
        self._lock = threading.Lock()

    def build(self) -> BuildStatus:
        """Compile now; release the bundle if the build is good; publish the new revision."""
        with self._lock:
            started = time.perf_counter()
            previous = self.board.current
            name = dev_app_name(self.folder, read_project_config(self.folder))
            released = previous.bundle
            try:
                result = compile_project(self.folder)
                diagnostics, ok = tuple(result.diagnostics), result.ok
                if result.bundle is not None:
                    released = do_store_bundle(self.store, result.bundle)
                    self._release(name, released)
            except Exception as exc:  # a file vanished mid-read, the disk is full, ...
                log.exception("build of %s failed", self.folder)
                problem = Diagnostic(
                    file="", code="INTERNAL_ERROR", message=f"the build failed: {exc}"
                )
                diagnostics, ok, released = (problem,), False, previous.bundle
            status = BuildStatus(
                rev=previous.rev + 1,
                ok=ok,
                appid=self.appid,
                name=name,
                bundle=released,
                diagnostics=diagnostics,
                duration_ms=round((time.perf_counter() - started) * 1000),
            )
            self.board.publish(status)
            return status

    def _release(self, name: str, bundle_id: str) -> None:
        with self.database.transaction() as session:
            app = find_app(session, appid=self.appid)
            if app is None:
                app = do_register_app(session, name=name, appid=self.appid)
            else:
                app.name = name
            if app.released_bundle != bundle_id:
                do_release_bundle(session, app=app, bundle_id=bundle_id)
