"""Group commit for the open API's hot paths on SQLite (Database.run_raw with `inline`).

A login code's redemption is two statements and a commit, and the commit (writing the WAL) is
a third of it. So the work that requests hand in while the event loop is busy (until it has
passed QUIET_PASSES times without new work) runs on the loop, in order, in one transaction
that commits once; each piece runs inside its own savepoint, so a piece that raises undoes
its own changes and nothing else. Every request gets its answer
after the commit, so none answers with a change that is not durable yet, and the pieces run
one after another exactly as separate transactions would.

The transaction starts with BEGIN IMMEDIATE on a connection that never waits for the write
lock: when another connection (a route in the threadpool, the job worker, another process)
holds it, the pieces go instead, each in a transaction of its own, to a worker thread that
waits for the lock as every transaction does; the event loop never sleeps on a lock.

Nor does it, as a rule, copy the WAL into the database file. SQLite has the commit that takes
the WAL past 1000 pages do that there and then (a checkpoint, fsyncs included): under a load of
sends, one commit in about forty, and from a quarter to over half of all the commits' time here,
with every request in flight waiting on its fsyncs (bench/bench_subscribe.py). So after every
`checkpoint_every` commits a worker thread runs a PASSIVE checkpoint on a connection of its own,
one at a time; a PASSIVE checkpoint waits for no reader or writer, and none waits for it.

The loop's connection still checkpoints past `wal_pages` pages (ten times SQLite's threshold),
and must: SQLite starts the WAL over only at a write that finds every page of it copied, which
the worker thread's checkpoints, always a few commits behind, never leave under a steady load.
The loop's own checkpoint has the rest to copy and nobody writing meanwhile, so the next
commit starts the WAL over: it holds at most `wal_pages` pages (about 40 MB).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import Engine

from miniapp.db.raw_statements import RawConnection

T = TypeVar("T")
Work = Callable[[RawConnection], Any]
Outcome = tuple["asyncio.Future[Any]", BaseException | None, Any]  # (future, error, value)
# Passes of the event loop without new work before a batch commits, and the most it holds.
QUIET_PASSES = 2
MAX_BATCH = 256
# Commits between two checkpoints in a worker thread (a batch of sixteen sends writes about
# 23 pages: about SQLite's own 1000 pages every two checkpoints), and the WAL's size past which
# the loop's connection checkpoints itself (see the docstring).
CHECKPOINT_EVERY = 20
WAL_PAGES = 10_000

log = logging.getLogger(__name__)


class GroupCommit:
    def __init__(
        self,
        engine: Engine,
        *,
        fallback: Callable[[Work], Awaitable[Any]],
        checkpoint_every: int = CHECKPOINT_EVERY,
        wal_pages: int = WAL_PAGES,
    ) -> None:
        """`fallback(work)` runs one piece in a transaction of its own, off the event loop."""
        self._engine = engine
        self._fallback = fallback
        self._checkpoint_every = checkpoint_every
        self._wal_pages = wal_pages
        self._commits = 0  # since the last checkpoint began
        self.checkpointing: asyncio.Future[None] | None = None  # the one in a worker thread
        # The event loop's own connection, opened on first use. Tests run several apps, each
        # with its loop in its own thread, over one Database: the lock keeps the connection to
        # one of them at a time (the others fall back).
        self._proxy: Any = None
        self._raw: RawConnection | None = None
        self._lock = threading.Lock()
        self._queues: dict[asyncio.AbstractEventLoop, list[tuple[Work, asyncio.Future[Any]]]] = {}
        self._elsewhere: set[asyncio.Task[None]] = set()

    async def run(self, work: Callable[[RawConnection], T]) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        queue = self._queues.setdefault(loop, [])
        queue.append((work, future))
        if len(queue) == 1:
            loop.call_soon(self._settle, loop, 1, 0)
        return await future

    def _settle(self, loop: asyncio.AbstractEventLoop, seen: int, quiet: int) -> None:
        """Flush once the batch stops growing. A request read in a pass of the loop reaches
        run() a pass or two later (its task starts, then runs through the middlewares), so
        the batch waits while passes add to it, and for QUIET_PASSES passes that add nothing:
        under load every connection's request joins one commit, where flushing in the next
        pass committed about a third of them at a time (bench/bench_subscribe.py)."""
        size = len(self._queues.get(loop, ()))
        if size >= MAX_BATCH or (size == seen and quiet >= QUIET_PASSES):
            self._flush(loop)
        elif size > seen:
            loop.call_soon(self._settle, loop, size, 0)
        else:
            loop.call_soon(self._settle, loop, size, quiet + 1)

    def _flush(self, loop: asyncio.AbstractEventLoop) -> None:
        batch = [item for item in self._queues.pop(loop, []) if not item[1].done()]
        if not batch:
            return
        if not self._lock.acquire(blocking=False):
            self._fall_back(loop, batch)
            return
        try:
            outcomes = self._run_batch(batch)
        except Exception as error:  # the commit itself failed: nothing was kept
            outcomes = [(future, error, None) for _work, future in batch]
        else:
            if outcomes is not None:
                self._note_commit(loop)
        finally:
            self._lock.release()
        if outcomes is None:  # the write lock is another connection's
            self._fall_back(loop, batch)
            return
        for future, failure, value in outcomes:
            if future.done():
                continue
            if failure is None:
                future.set_result(value)
            else:
                future.set_exception(failure)

    def _run_batch(self, batch: list[tuple[Work, asyncio.Future[Any]]]) -> list[Outcome] | None:
        """Each piece's outcome, once all are committed; None (nothing run) when another
        connection holds the write lock."""
        connection = self._connection()
        try:
            connection.begin()
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode == sqlite3.SQLITE_BUSY:
                return None
            raise
        outcomes: list[Outcome] = []
        with connection.committing():
            for work, future in batch:
                try:
                    with connection.savepoint():
                        value = work(connection)
                except Exception as error:  # the piece's own answer (an errcode)
                    outcomes.append((future, error, None))
                else:
                    outcomes.append((future, None, value))
        return outcomes

    def _fall_back(
        self, loop: asyncio.AbstractEventLoop, batch: list[tuple[Work, asyncio.Future[Any]]]
    ) -> None:
        for work, future in batch:
            # The loop keeps only weak references to tasks: hold each until it is done.
            task = loop.create_task(self._run_elsewhere(work, future))
            self._elsewhere.add(task)
            task.add_done_callback(self._elsewhere.discard)

    async def _run_elsewhere(self, work: Work, future: asyncio.Future[Any]) -> None:
        try:
            value = await self._fallback(work)
        except Exception as error:
            if not future.done():
                future.set_exception(error)
        else:
            if not future.done():
                future.set_result(value)

    def _note_commit(self, loop: asyncio.AbstractEventLoop) -> None:
        self._commits += 1
        if self._commits >= self._checkpoint_every and self.checkpointing is None:
            self._commits = 0
            self.checkpointing = loop.run_in_executor(None, self._checkpoint)
            self.checkpointing.add_done_callback(self._checkpointed)

    def _checkpoint(self) -> None:
        """In a worker thread: copy the WAL into the database file as far as no reader still
        needs it (PASSIVE: it waits for nobody and nobody waits for it)."""
        proxy = self._engine.raw_connection()
        try:
            assert proxy.dbapi_connection is not None
            proxy.dbapi_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            proxy.close()

    def _checkpointed(self, done: asyncio.Future[None]) -> None:
        self.checkpointing = None
        if not done.cancelled() and done.exception() is not None:
            # The next one retries; SQLite's own checkpoints on the other connections go on.
            log.error("WAL checkpoint failed", exc_info=done.exception())

    def _connection(self) -> RawConnection:
        if self._proxy is None:
            proxy = self._engine.raw_connection()
            proxy.detach()  # never back in the pool: it no longer waits for the lock
            assert proxy.dbapi_connection is not None
            proxy.dbapi_connection.execute("PRAGMA busy_timeout=0")
            # See the docstring. (A pragma takes no bound value; this one is an int.)
            proxy.dbapi_connection.execute(f"PRAGMA wal_autocheckpoint={int(self._wal_pages)}")
            self._proxy = proxy
            self._raw = RawConnection(proxy.dbapi_connection, self._engine.dialect)
        assert self._raw is not None
        return self._raw

    def close(self) -> None:
        with self._lock:
            if self._proxy is not None:
                self._proxy.close()
                self._proxy = None
                self._raw = None
