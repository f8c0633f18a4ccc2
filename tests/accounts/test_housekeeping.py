"""The hourly prune job: expired sessions and stale sign-in records go, live ones stay; one
chain however many processes schedule it."""

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


def prune_jobs(database: Database) -> list[Job]:
    with database.read() as session:
        return list(
            session.scalars(select(Job).where(Job.kind == PRUNE_KIND).order_by(Job.id)).all()
        )


def test_prune_removes_only_what_has_expired_and_queues_the_next_run(database: Database) -> None:
    now = utc_now()
    with database.transaction() as session:
        user = do_sign_up(
            session, login="ann@example.com", password="Tr0ub4dor&3", display_name="A"
        )
        for ttl in (-60, 3600):
            do_create_session(session, user=user, server_key=b"k" * 32, ttl_seconds=ttl, now=now)
        session.add(LoginFailure(identifier="x", ip="1.2.3.4", created_at=now - timedelta(days=2)))
        session.add(LoginFailure(identifier="y", ip="1.2.3.4", created_at=now))
    do_schedule_housekeeping(database)
    assert Worker(database).run_until_idle() == 1
    with database.read() as session:
        assert [s.expires_at > now for s in session.scalars(select(UserSession))] == [True]
        assert list(session.scalars(select(LoginFailure.identifier))) == ["y"]
    jobs = prune_jobs(database)
    assert [job.status for job in jobs] == [JobStatus.DONE.value, JobStatus.QUEUED.value]
    assert jobs[1].run_at - jobs[0].finished_at >= PRUNE_EVERY - timedelta(seconds=5)


def test_scheduling_again_and_again_keeps_one_chain(database: Database) -> None:
    for _ in range(3):  # three processes starting
        do_schedule_housekeeping(database)
    assert len(prune_jobs(database)) == 1
    # Two chains that exist anyway (say, from an older version) merge at their next run.
    with database.transaction() as session:
        from miniapp.jobs import do_enqueue_job

        do_enqueue_job(session, kind=PRUNE_KIND, payload={})
    assert Worker(database).run_until_idle() == 2
    assert [j.status for j in prune_jobs(database)].count(JobStatus.QUEUED.value) == 1
