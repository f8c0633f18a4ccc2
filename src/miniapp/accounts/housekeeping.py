"""Pruning what accounts leave behind: expired sessions and sign-in failures past their window.

Runs as a job that re-enqueues itself every hour, so it needs no cron and survives restarts;
`do_schedule_housekeeping` (called at server and worker start) makes sure one is queued.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from miniapp.accounts.login_throttle import do_delete_old_login_failures
from miniapp.accounts.sessions import do_delete_expired_sessions
from miniapp.db.session import Database
from miniapp.jobs import Job, JobContext, JobStatus, do_enqueue_job, job_kind

PRUNE_KIND = "accounts.prune"
PRUNE_EVERY = timedelta(hours=1)


@job_kind(PRUNE_KIND, retry_ladder=(60, 300, 900))
def prune_accounts(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Delete expired sessions and old login failures, then queue the next run."""
    now = ctx.clock()
    with ctx.database.transaction() as session:
        do_delete_expired_sessions(session, now=now)
        do_delete_old_login_failures(session, now=now, window_seconds=payload["window_seconds"])
        do_enqueue_job(session, kind=PRUNE_KIND, payload=payload, run_at=now + PRUNE_EVERY)


def do_schedule_housekeeping(database: Database, *, window_seconds: int) -> None:
    """Queue a prune run now unless one is already queued or running.

    Two processes starting at once may both queue one; a second run is harmless.
    """
    with database.transaction() as session:
        pending = session.scalar(
            select(Job.id)
            .where(
                Job.kind == PRUNE_KIND,
                Job.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]),
            )
            .limit(1)
        )
        if pending is None:
            do_enqueue_job(session, kind=PRUNE_KIND, payload={"window_seconds": window_seconds})
