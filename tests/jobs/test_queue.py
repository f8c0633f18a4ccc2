"""Enqueueing: the job belongs to the caller's transaction, and its commit wakes the worker."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import func, select

from miniapp.clock import utc_now
from miniapp.jobs import (
    Job,
    JobContext,
    JobPayloadError,
    JobStatus,
    UnknownJobKindError,
    do_enqueue_job,
    wake_event,
)

if TYPE_CHECKING:
    from miniapp.db.session import Database
    from tests.jobs.conftest import RegisterKind


class _Rollback(Exception):
    """Raised inside a transaction to make it roll back."""


def _noop(ctx: JobContext, payload: dict[str, Any]) -> None:
    del ctx, payload


@pytest.fixture(autouse=True)
def _kind(register_kind: RegisterKind) -> None:
    register_kind("tests.queue", _noop)


def _enqueue_then_roll_back(database: Database) -> None:
    with database.transaction() as session:
        do_enqueue_job(session, kind="tests.queue", payload={"order": "o-1"})
        raise _Rollback


def _job_count(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(Job)) or 0


def test_enqueue_stores_a_queued_job_due_now(database: Database) -> None:
    before = utc_now()
    with database.transaction() as session:
        job = do_enqueue_job(session, kind="tests.queue", payload={"order": "o-1", "amount": 100})
        # Flushed inside the caller's transaction, so the caller can refer to it at once.
        assert job.id is not None
        assert job.public_id is not None

    with database.read() as session:
        stored = session.scalars(select(Job)).one()
    assert stored.public_id == job.public_id
    assert stored.kind == "tests.queue"
    assert stored.payload == {"order": "o-1", "amount": 100}
    assert stored.status == JobStatus.QUEUED
    assert stored.attempts == 0
    assert stored.run_at.tzinfo is not None
    assert before <= stored.run_at <= utc_now()
    assert stored.locked_by is None
    assert stored.locked_until is None
    assert stored.finished_at is None


def test_enqueue_in_a_rolled_back_transaction_leaves_no_job(database: Database) -> None:
    with pytest.raises(_Rollback):
        _enqueue_then_roll_back(database)
    assert _job_count(database) == 0


def test_run_at_is_stored_in_utc(database: Database) -> None:
    beijing = timezone(timedelta(hours=8))
    run_at = datetime(2031, 5, 1, 9, 30, tzinfo=beijing)
    with database.transaction() as session:
        do_enqueue_job(session, kind="tests.queue", payload={}, run_at=run_at)
    with database.read() as session:
        stored = session.scalars(select(Job)).one()
    assert stored.run_at == run_at
    assert stored.run_at.utcoffset() == timedelta(0)
    assert stored.run_at == datetime(2031, 5, 1, 1, 30, tzinfo=UTC)


def test_a_naive_run_at_is_refused(database: Database) -> None:
    naive = datetime(2031, 5, 1, tzinfo=UTC).replace(tzinfo=None)
    with (
        pytest.raises(ValueError, match=r"timezone-aware"),
        database.transaction() as session,
    ):
        do_enqueue_job(session, kind="tests.queue", payload={}, run_at=naive)
    assert _job_count(database) == 0


def test_an_unregistered_kind_is_refused(database: Database) -> None:
    with (
        pytest.raises(UnknownJobKindError, match=r"'tests.nobody'"),
        database.transaction() as session,
    ):
        do_enqueue_job(session, kind="tests.nobody", payload={})
    assert _job_count(database) == 0


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ({"when": datetime(2031, 1, 1, tzinfo=UTC)}, "not JSON-serialisable"),
        ({"thing": object()}, "not JSON-serialisable"),
        ({"amount": math.nan}, "not JSON-serialisable"),
        ({"pair": (1, 2)}, "changes in a JSON round trip"),
        ({1: "one"}, "changes in a JSON round trip"),
        (["not", "a", "dict"], "must be a dict"),
    ],
)
def test_payloads_that_do_not_survive_json_are_refused(
    database: Database, payload: Any, reason: str
) -> None:
    with (
        pytest.raises(JobPayloadError, match=reason),
        database.transaction() as session,
    ):
        do_enqueue_job(session, kind="tests.queue", payload=payload)
    assert _job_count(database) == 0


def test_the_wake_event_is_set_after_commit_and_not_after_rollback(
    database: Database,
) -> None:
    wake = wake_event()

    wake.clear()
    with database.transaction() as session:
        do_enqueue_job(session, kind="tests.queue", payload={})
        session.flush()
        assert not wake.is_set(), "woken before the job is visible to the worker"
    assert wake.is_set()

    wake.clear()
    with pytest.raises(_Rollback):
        _enqueue_then_roll_back(database)
    assert not wake.is_set()

    # A commit that enqueued nothing does not wake the worker either.
    with database.transaction() as session:
        session.execute(select(1))
    assert not wake.is_set()


def test_a_rolled_back_enqueue_does_not_wake_a_later_commit_of_the_same_session(
    database: Database,
) -> None:
    wake = wake_event()
    wake.clear()
    with database.sessionmaker() as session:
        session.begin()
        do_enqueue_job(session, kind="tests.queue", payload={})
        session.rollback()
        session.begin()
        session.execute(select(1))
        session.commit()
    assert not wake.is_set()
    assert _job_count(database) == 0
