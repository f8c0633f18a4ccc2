"""Engines and sessions for SQLite and PostgreSQL."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import anyio.to_thread
from sqlalchemy import Connection, Dialect, Engine, create_engine, event, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from miniapp.db.group_commit import GroupCommit
from miniapp.db.raw_statements import RawConnection

T = TypeVar("T")

# Connections kept open. FastAPI's threadpool (anyio's default of 40 threads) may have every
# thread in a route at once, each with one connection; past the pool size a connection is opened
# and closed again per transaction. SQLite's cost nothing to keep; PostgreSQL's are its server's
# processes, so they keep their earlier total of 30 (more of them kept, fewer overflowing).
SQLITE_POOL_SIZE = 40
POSTGRES_POOL_SIZE, POSTGRES_MAX_OVERFLOW = 20, 10
# A PostgreSQL connection back in the pool for less than this is used without a ping first.
TRUSTED_IDLE_SECONDS = 1.0


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets readers run beside the single writer;
    # busy_timeout makes a second writer wait for the lock instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    # A writing transaction takes the write lock up front (BEGIN IMMEDIATE), so read-then-write
    # work cannot fail half way with "database is locked" when another writer got there first.
    # Read-only sessions issue no BEGIN at all: each SELECT then reads its own consistent
    # snapshot, and a round trip is saved on the hottest paths.
    if not connection.get_execution_options().get("miniapp_read_only"):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        database_file = make_url(url).database
        if database_file and database_file != ":memory:":
            Path(database_file).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": 10},
            pool_size=SQLITE_POOL_SIZE,
            hide_parameters=True,  # errors and logs must not carry passwords' hashes or tokens
            **kwargs,
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (see _sqlite_begin).
        event.listen(
            engine,
            "connect",
            lambda dbapi_connection, _record: setattr(dbapi_connection, "isolation_level", None),
        )
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    engine = create_engine(
        url,
        pool_size=POSTGRES_POOL_SIZE,
        max_overflow=POSTGRES_MAX_OVERFLOW,
        hide_parameters=True,
        **kwargs,
    )
    event.listen(engine, "checkin", _note_checkin)
    event.listen(engine, "checkout", functools.partial(_ping_if_idle, engine.dialect))
    return engine


def _note_checkin(_dbapi_connection: Any, record: Any) -> None:
    record.info["miniapp_checked_in"] = time.monotonic()


def _ping_if_idle(dialect: Dialect, dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    # A pooled connection may have died while it sat idle (a database restart, a firewall's
    # timeout): ping it before use, and on failure the pool replaces it and retries. This is
    # pool_pre_ping, except for a connection handed back moments ago: pinging those too cost a
    # round trip per transaction (about 180 µs here, 40 % of a one-statement transaction).
    checked_in = record.info.get("miniapp_checked_in")
    if checked_in is not None and time.monotonic() - checked_in < TRUSTED_IDLE_SECONDS:
        return
    try:
        alive = dialect.do_ping(dbapi_connection)
    except Exception as error:  # whatever the driver raises for a dead connection
        raise DisconnectionError("connection failed its ping") from error
    if not alive:
        raise DisconnectionError("connection failed its ping")


class Database:
    """One engine and its session factory; the only way code reaches the database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self._read_engine = self.engine.execution_options(miniapp_read_only=True)
        self.read_sessionmaker = sessionmaker(self._read_engine, expire_on_commit=False)
        self._group_commit = (
            GroupCommit(self.engine, fallback=self._run_in_thread)
            if self.dialect == "sqlite"
            else None
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session inside one transaction: committed on success, rolled back on any error."""
        with self.sessionmaker() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session; it never holds the SQLite write lock and commits nothing."""
        with self.read_sessionmaker() as session:
            yield session  # closing the session rolls back whatever it began

    @contextmanager
    def read_connection(self) -> Iterator[Connection]:
        """A Core connection for reading only: no ORM session, for the hottest lookups."""
        with self._read_engine.connect() as connection:
            yield connection

    async def run_raw(self, work: Callable[[RawConnection], T], *, inline: bool) -> T:
        """`work` in a transaction on a bare DBAPI connection (raw_statements.py): its changes
        are kept when it returns and undone when it raises.

        With `inline` on SQLite it runs right here, on the event loop, in one transaction with
        the work of the other requests handed in while the loop is busy (group_commit.py): a
        login code's redemption takes tens of microseconds, less than the hop to a worker
        thread and back.
        Otherwise (PostgreSQL, where every statement is a network round trip) it runs in a
        worker thread on a pooled connection. Precondition for `inline`: `work` waits on
        nothing but this database (no Redis, no HTTP), since the event loop serves nothing
        else meanwhile, and its side effects outside the database may happen even when its
        answer does not arrive (a failed commit)."""
        if inline and self._group_commit is not None:
            return await self._group_commit.run(work)
        return await self._run_in_thread(work)

    async def _run_in_thread(self, work: Callable[[RawConnection], T]) -> T:
        return await anyio.to_thread.run_sync(self._run_pooled, work)

    def _run_pooled(self, work: Callable[[RawConnection], T]) -> T:
        proxy = self.engine.raw_connection()
        try:
            with RawConnection(proxy.dbapi_connection, self.engine.dialect).transaction() as raw:
                return work(raw)
        finally:
            proxy.close()

    def dispose(self) -> None:
        if self._group_commit is not None:
            self._group_commit.close()
        self.engine.dispose()
