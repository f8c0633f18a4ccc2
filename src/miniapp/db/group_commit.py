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
"""

from __future__ import annotations

import asyncio
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


class GroupCommit:
    def __init__(self, engine: Engine, *, fallback: Callable[[Work], Awaitable[Any]]) -> None:
        """`fallback(work)` runs one piece in a transaction of its own, off the event loop."""
        self._engine = engine
        self._fallback = fallback
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

    def _connection(self) -> RawConnection:
        if self._proxy is None:
            proxy = self._engine.raw_connection()
            proxy.detach()  # never back in the pool: it no longer waits for the lock
            assert proxy.dbapi_connection is not None
            proxy.dbapi_connection.execute("PRAGMA busy_timeout=0")
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
