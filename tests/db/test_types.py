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
