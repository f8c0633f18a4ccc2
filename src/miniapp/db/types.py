"""Column types that behave the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime in Python, whatever the engine stores.

    SQLite keeps no offset, so values are normalised to UTC on the way in and tagged UTC on the
    way out; PostgreSQL stores `timestamptz`. Naive datetimes are refused: they are always a bug.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        value = _to_utc(value)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return _as_utc(value)

    # On SQLite the value is text. SQLAlchemy converts it in three steps (this decorator, then
    # DateTime's formatting or parsing); these do it in one, to the same text
    # (`YYYY-MM-DD HH:MM:SS.ffffff`) and back: the open API's hot paths convert several
    # datetimes per call. PostgreSQL keeps SQLAlchemy's.
    def bind_processor(self, dialect: Dialect) -> Callable[[Any], Any] | None:
        if dialect.name == "sqlite":
            return _sqlite_text
        return super().bind_processor(dialect)

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], Any] | None:
        if dialect.name == "sqlite":
            return _sqlite_datetime
        return super().result_processor(dialect, coltype)


def _to_utc(value: datetime) -> datetime:
    """`value` in UTC; a naive one is refused."""
    if value.tzinfo is None:
        raise ValueError("naive datetime given to a UTCDateTime column")
    return value if value.tzinfo is UTC else value.astimezone(UTC)


def _as_utc(value: datetime) -> datetime:
    """A stored value in UTC: SQLite keeps no offset, so a naive one is UTC already."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _sqlite_text(value: datetime | None) -> str | None:
    if value is None:
        return None
    return _to_utc(value).replace(tzinfo=None).isoformat(" ", "microseconds")


def _sqlite_datetime(value: str | None) -> datetime | None:
    if value is None:
        return None
    return _as_utc(datetime.fromisoformat(value))
