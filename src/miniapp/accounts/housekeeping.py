"""Pruning what accounts leave behind: expired sessions, sign-in records past their window, and
the open API's expired access tokens and spent quota windows, and links long expired.

Runs as a job that re-enqueues itself every hour, so it needs no cron and survives restarts;
`do_schedule_housekeeping` (called at server and worker start) makes sure one is queued. The
schedule is one chain: scheduling and re-enqueueing happen under a lock on the job kind, and
only when no other run is waiting, so processes starting together do not multiply it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from miniapp.accounts.lock_objects import lock_names
from miniapp.accounts.login_throttle import do_delete_old_login_failures
from miniapp.accounts.sessions import do_delete_expired_sessions
from miniapp.db.session import Database
from miniapp.discovery.links import do_delete_expired_links
from miniapp.identity.logins import do_delete_expired_login_codes
from miniapp.identity.phones import do_delete_expired_phone_codes
from miniapp.jobs import Job, JobContext, JobStatus, do_enqueue_job, job_kind
from miniapp.openapi.quotas import do_delete_old_quota_windows
from miniapp.openapi.tokens import do_delete_expired_access_tokens

PRUNE_KIND = "accounts.prune"
PRUNE_EVERY = timedelta(hours=1)


def _enqueue_unless_waiting(session: Session, *, run_at: datetime | None) -> None:
    lock_names(session, f"job:{PRUNE_KIND}")
    waiting = session.scalar(
        select(Job.id).where(Job.kind == PRUNE_KIND, Job.status == JobStatus.QUEUED.value).limit(1)
    )
    if waiting is None:
        do_enqueue_job(session, kind=PRUNE_KIND, payload={}, run_at=run_at)


@job_kind(PRUNE_KIND, retry_ladder=(60, 300, 900))
def prune_accounts(ctx: JobContext, _payload: dict[str, Any]) -> None:
    """Delete expired sessions, sign-in records older than any window, expired access tokens,
    spent quota windows and links long expired, then queue the next run (unless another chain
    already has one waiting)."""
    now = ctx.clock()
    with ctx.database.transaction() as session:
        do_delete_expired_sessions(session, now=now)
        do_delete_old_login_failures(session, now=now)
        do_delete_expired_access_tokens(session, now=now)
        do_delete_old_quota_windows(session, now=now)
        do_delete_expired_links(session, now=now)
        do_delete_expired_login_codes(session, now=now)
        do_delete_expired_phone_codes(session, now=now)
        _enqueue_unless_waiting(session, run_at=now + PRUNE_EVERY)


def do_schedule_housekeeping(database: Database) -> None:
    """Queue a prune run now unless one is already waiting or running."""
    with database.transaction() as session:
        lock_names(session, f"job:{PRUNE_KIND}")
        pending = session.scalar(
            select(Job.id)
            .where(
                Job.kind == PRUNE_KIND,
                Job.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]),
            )
            .limit(1)
        )
        if pending is None:
            do_enqueue_job(session, kind=PRUNE_KIND, payload={})
