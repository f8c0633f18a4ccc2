"""Engines and sessions for SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker


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
    return create_engine(
        url, pool_pre_ping=True, pool_size=10, max_overflow=20, hide_parameters=True, **kwargs
    )


class Database:
    """One engine and its session factory; the only way code reaches the database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self._read_engine = self.engine.execution_options(miniapp_read_only=True)
        self.read_sessionmaker = sessionmaker(self._read_engine, expire_on_commit=False)

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

    def dispose(self) -> None:
        self.engine.dispose()
