"""UTC datetimes come back aware and equal on both engines; naive ones are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError

from miniapp.accounts.models import User
from miniapp.db.session import Database


def test_aware_datetimes_round_trip_as_utc(database: Database) -> None:
    beijing = timezone(timedelta(hours=8))
    moment = datetime(2026, 11, 28, 20, 0, tzinfo=beijing)
    with database.transaction() as session:
        session.add(
            User(email="a@b.cn", password_hash="x", display_name="A", developer_since=moment)
        )
    with database.read() as session:
        user = session.scalars(select(User)).one()
    assert user.developer_since == moment
    assert user.developer_since.tzinfo is not None
    assert user.developer_since.utcoffset() == timedelta(0)
    assert user.created_at.tzinfo == UTC


def test_naive_datetimes_are_refused(database: Database) -> None:
    naive = datetime(2026, 1, 1)  # noqa: DTZ001  the mistake under test
    user = User(email="a@b.cn", password_hash="x", display_name="A", developer_since=naive)
    with pytest.raises(StatementError, match="naive datetime"), database.transaction() as session:
        session.add(user)
    with database.read() as session:
        assert session.scalars(select(User)).all() == []


# PostgreSQL stores timestamptz; SQLite stores text, which the types convert themselves.
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_sqlite_stores_sqlalchemys_text_in_utc_and_reads_any_iso_text(database: Database) -> None:
    moment = datetime(2026, 11, 28, 20, 0, 5, 7, tzinfo=timezone(timedelta(hours=8)))
    with database.transaction() as session:
        session.add(
            User(email="a@b.cn", password_hash="x", display_name="A", developer_since=moment)
        )
    with database.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT developer_since FROM users").scalar_one()
    assert stored == "2026-11-28 12:00:05.000007"  # SQLAlchemy's DateTime text, in UTC
    # Text without a fraction (SQLite's own CURRENT_TIMESTAMP) reads as UTC too.
    with database.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE users SET developer_since = '2026-01-02 03:04:05'")
    with database.read() as session:
        found = session.scalars(select(User.developer_since)).one()
    assert found == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert found.tzinfo is UTC
