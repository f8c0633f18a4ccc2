"""Prebuilt SQLAlchemy Core statements run on a bare DBAPI connection.

The open API's hottest calls (openapi/hot_paths.py) spent more in SQLAlchemy's per-call work
(sessions, execution contexts, result objects, events) than in the database: a login code's
redemption took 425 µs through a Session, 207 µs through a Core connection and 40 µs on the
DBAPI connection itself (SQLite, this machine). Those calls keep their statements as Core
constructs, written once; `RawConnection` compiles each once per dialect and then runs it with
the driver's cursor, applying the column types' own bind and result conversions, so a value
reads and writes exactly as it does through SQLAlchemy.

Domain functions on such a path take a `Statements` (either connection), so the same code runs
inside a Session's transaction (`session.connection()`) and here.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase

Processor = Callable[[Any], Any]


class Rows(Protocol):
    """What a statement's execution answers (SQLAlchemy's CursorResult or RawRows)."""

    @property
    def rowcount(self) -> int: ...

    def first(self) -> Any: ...

    def scalar(self) -> Any: ...

    def scalar_one(self) -> Any: ...


class Statements(Protocol):
    """Runs a Core statement with named parameters: a SQLAlchemy Connection or a RawConnection."""

    def execute(self, statement: Any, parameters: Mapping[str, Any], /) -> Rows: ...


@dataclass(frozen=True, slots=True)
class _Bind:
    """One parameter of a compiled statement, in the driver's order."""

    name: str
    given: bool  # the caller gives it; otherwise the statement carries it (`credits > 0`'s 0)
    value: Any  # the carried value
    process: Processor | None  # the type's bind conversion


@dataclass(frozen=True, slots=True)
class _Prepared:
    statement: ClauseElement
    sql: str
    binds: tuple[_Bind, ...]
    positional: bool  # qmark drivers (sqlite3) take a sequence; the others a mapping
    row: type | None  # a namedtuple of the result columns' names; None: no result rows
    converters: tuple[tuple[int, Processor], ...]  # (column index, conversion)
    writes: bool  # INSERT, UPDATE or DELETE

    def bound(self, parameters: Mapping[str, Any]) -> Sequence[Any] | Mapping[str, Any]:
        """The driver's parameters: each bind's value (the caller's or the statement's),
        converted by its type."""
        values: list[Any] = []
        for bind in self.binds:
            if bind.given:
                try:
                    value = parameters[bind.name]
                except KeyError:
                    raise KeyError(f"no value for {bind.name}") from None
            else:
                value = bind.value
            values.append(value if bind.process is None else bind.process(value))
        if self.positional:
            return values
        return {bind.name: value for bind, value in zip(self.binds, values, strict=True)}


def _prepare(statement: ClauseElement, dialect: Dialect) -> _Prepared:
    compiled = statement.compile(dialect=dialect)
    assert isinstance(compiled, SQLCompiler)
    if compiled.insert_prefetch or compiled.update_prefetch:
        # Python-side column defaults are filled in by SQLAlchemy's execution context, which a
        # bare cursor skips: such a statement must name every value itself.
        raise ValueError(f"a raw statement must not rely on Python-side defaults: {compiled}")
    by_name: dict[str, _Bind] = {}
    for bind, name in compiled.bind_names.items():
        if bind.callable is not None or bind.expanding:
            raise ValueError(f"a raw statement takes plain values only: {name} in {compiled}")
        by_name[name] = _Bind(
            name=name,
            given=bind.required,
            value=None if bind.required else bind.value,
            process=bind.type.dialect_impl(dialect).bind_processor(dialect),
        )
    order = compiled.positiontup if compiled.positional else list(by_name)
    columns = list(getattr(statement, "exported_columns", ()))
    converters = []
    for index, column in enumerate(columns):
        convert = column.type.dialect_impl(dialect).result_processor(dialect, None)
        if convert is not None:
            converters.append((index, convert))
    return _Prepared(
        statement=statement,
        sql=str(compiled),
        binds=tuple(by_name[name] for name in order or ()),
        positional=bool(compiled.positional),
        row=namedtuple("Row", [column.key for column in columns]) if columns else None,
        converters=tuple(converters),
        writes=isinstance(statement, UpdateBase),
    )


# (dialect name, id of the statement) -> its preparation. The statements are module constants;
# the entry keeps a reference, so an id is never reused while it is cached.
_PREPARED: dict[tuple[str, int], _Prepared] = {}


def prepared(statement: ClauseElement, dialect: Dialect) -> _Prepared:
    key = (dialect.name, id(statement))
    found = _PREPARED.get(key)
    if found is None or found.statement is not statement:
        found = _PREPARED[key] = _prepare(statement, dialect)
    return found


class RawRows:
    """A statement's answer, fetched whole (sqlite3 finishes a RETURNING statement only then),
    as rows with the columns' names for attributes (made when asked for: `scalar` needs none)."""

    __slots__ = ("_make", "_rows", "rowcount")

    def __init__(
        self, rowcount: int, rows: Sequence[Sequence[Any]], make: Callable[[Any], Any] = tuple
    ) -> None:
        """`rows`: the values, converted; `make(values)`: a row of them."""
        self.rowcount = rowcount
        self._rows = rows
        self._make = make

    def all(self) -> list[Any]:
        return [self._make(row) for row in self._rows]

    def first(self) -> Any:
        return self._make(self._rows[0]) if self._rows else None

    def scalar(self) -> Any:
        return self._rows[0][0] if self._rows else None

    def scalar_one(self) -> Any:
        if len(self._rows) != 1:
            raise LookupError(f"expected one row, got {len(self._rows)}")
        return self._rows[0][0]


class RawConnection:
    """A DBAPI connection (the pool's, configured as every other) running prebuilt statements.
    Not thread-safe: one user at a time."""

    def __init__(self, dbapi_connection: Any, dialect: Dialect) -> None:
        self.dbapi_connection = dbapi_connection
        self.dialect = dialect
        self._sqlite = dialect.name == "sqlite"
        self._cursor: Any = None
        self._savepoint_due = False  # savepoint(): set one before the next write

    def execute(self, statement: Any, parameters: Mapping[str, Any], /) -> RawRows:
        found = prepared(statement, self.dialect)
        bound = found.bound(parameters)
        if self._cursor is None:
            self._cursor = self.dbapi_connection.cursor()
        cursor = self._cursor
        if self._savepoint_due and found.writes:
            cursor.execute("SAVEPOINT raw_work")
            self._savepoint_due = False
        cursor.execute(found.sql, bound)
        if found.row is None:
            return RawRows(cursor.rowcount, [])
        rows = cursor.fetchall()
        if found.converters:
            converted = []
            for raw in rows:
                values_of_row = list(raw)
                for index, convert in found.converters:
                    values_of_row[index] = convert(values_of_row[index])
                converted.append(values_of_row)
            rows = converted
        return RawRows(cursor.rowcount, rows, found.row._make)  # type: ignore[attr-defined]

    def begin(self) -> None:
        """Start a transaction. On SQLite it takes the write lock up front (BEGIN IMMEDIATE),
        as Database.transaction does: sqlite3.OperationalError (SQLITE_BUSY) when another
        writer holds it past the connection's busy timeout."""
        if self._sqlite:
            self.dbapi_connection.execute("BEGIN IMMEDIATE")

    @contextmanager
    def committing(self) -> Iterator[RawConnection]:
        """After begin(): commit on success, roll back on any error."""
        try:
            yield self
        except BaseException:
            self.dbapi_connection.rollback()
            raise
        self.dbapi_connection.commit()

    def savepoint(self) -> _Savepoint:
        """A context for a block inside a transaction: the block's changes are undone when it
        raises, and only its.

        The savepoint is set just before the block's first write (most blocks that fail wrote
        nothing), and released when the block succeeds: SQLite journals every page a write
        changes once for each savepoint still open, so sixteen sends left open cost a group
        commit a quarter of its time (bench/bench_subscribe.py)."""
        return _Savepoint(self)

    @contextmanager
    def transaction(self) -> Iterator[RawConnection]:
        """begin() and committing() in one."""
        self.begin()
        with self.committing():
            yield self


class _Savepoint:
    """RawConnection.savepoint's context: a class, not a generator, as the group commit enters
    one per request."""

    __slots__ = ("_connection",)

    def __init__(self, connection: RawConnection) -> None:
        self._connection = connection

    def __enter__(self) -> RawConnection:
        self._connection._savepoint_due = True
        return self._connection

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        connection = self._connection
        wrote = not connection._savepoint_due  # execute() set the savepoint, on its cursor
        connection._savepoint_due = False
        if wrote:
            if kind is not None:
                connection._cursor.execute("ROLLBACK TO raw_work")
            connection._cursor.execute("RELEASE raw_work")
