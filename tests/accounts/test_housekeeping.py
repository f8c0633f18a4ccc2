"""The hourly prune job: expired sessions and stale sign-in failures go, live ones stay."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from miniapp.accounts.housekeeping import PRUNE_EVERY, PRUNE_KIND, do_schedule_housekeeping
from miniapp.accounts.models import LoginFailure, UserSession
from miniapp.accounts.sessions import do_create_session
from miniapp.accounts.users import do_sign_up
from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.jobs import Job, JobStatus, Worker


def test_prune_removes_only_what_has_expired_and_queues_the_next_run(database: Database) -> None:
    now = utc_now()
    with database.transaction() as session:
        user = do_sign_up(
            session, login="ann@example.com", password="Tr0ub4dor&3", display_name="A"
        )
        for ttl in (-60, 3600):
            do_create_session(session, user=user, server_key=b"k" * 32, ttl_seconds=ttl, now=now)
        session.add(LoginFailure(identifier="x", ip="1.2.3.4", created_at=now - timedelta(hours=2)))
        session.add(LoginFailure(identifier="y", ip="1.2.3.4", created_at=now))
    do_schedule_housekeeping(database, window_seconds=900)
    do_schedule_housekeeping(database, window_seconds=900)  # idempotent while one is queued
    assert Worker(database).run_until_idle() == 1
    with database.read() as session:
        assert [s.expires_at > now for s in session.scalars(select(UserSession))] == [True]
        assert list(session.scalars(select(LoginFailure.identifier))) == ["y"]
        jobs = session.scalars(select(Job).where(Job.kind == PRUNE_KIND).order_by(Job.id)).all()
    assert [job.status for job in jobs] == [JobStatus.DONE.value, JobStatus.QUEUED.value]
    assert jobs[1].run_at - jobs[0].finished_at >= PRUNE_EVERY - timedelta(seconds=5)
