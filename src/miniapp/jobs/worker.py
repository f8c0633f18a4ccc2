"""The worker: claims due jobs with a lease, runs their handlers, records every attempt.

Delivery is at-least-once. A job is claimable when it is queued and due, or when it is running
but its lease has passed (its worker died or stalled). Claiming happens in one short transaction:
on PostgreSQL with `SELECT ... FOR UPDATE SKIP LOCKED`, so many workers claim disjoint rows without
waiting on each other; on SQLite the transaction holds the single write lock from its start
(BEGIN IMMEDIATE), and the UPDATE repeats the claimable condition, so a row is claimed once.
Handlers run outside any worker transaction; the outcome is written in a second transaction that
only applies while this worker still holds the job's lease.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update

from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.jobs.kinds import (
    DEFAULT_RETRY_LADDER,
    JobContext,
    JobKind,
    UnknownJobKindError,
    find_job_kind,
)
from miniapp.jobs.models import (
    WORKER_ID_LENGTH,
    AttemptOutcome,
    Job,
    JobAttempt,
    JobStatus,
)
from miniapp.jobs.queue import wake_event
from miniapp.settings import Settings

logger = logging.getLogger(__name__)

# Errors are kept for people reading the console, not for storing whole tracebacks (those go to
# the log); a bounded size keeps a chatty exception from bloating the tables.
MAX_ERROR_CHARS = 2000

LEASE_EXPIRED_ERROR = "lease expired before the attempt finished (the worker died or stalled)"

# Bulk UPDATEs below touch rows the session has not loaded; nothing needs synchronising.
_NO_SYNC = {"synchronize_session": False}


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimedJob:
    """A job this worker holds a lease on, for attempt number `attempt` (counting from 1)."""

    id: int
    public_id: uuid.UUID
    kind: str
    payload: dict[str, Any]
    attempt: int
    started_at: datetime
    locked_until: datetime


def describe_error(exc: BaseException) -> str:
    """`Type: message` (or `Type` when the message is empty), cut to MAX_ERROR_CHARS."""
    message = str(exc)
    text = f"{type(exc).__qualname__}: {message}" if message else type(exc).__qualname__
    if len(text) > MAX_ERROR_CHARS:
        text = text[: MAX_ERROR_CHARS - 1] + "…"
    return text


def default_worker_id() -> str:
    """host:pid:random — unique per Worker object, readable in the console and the logs."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"[-WORKER_ID_LENGTH:]


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(Job.status == JobStatus.QUEUED.value, Job.run_at <= now),
        and_(Job.status == JobStatus.RUNNING.value, Job.locked_until < now),
    )


def _max_attempts(kind: JobKind | None) -> int:
    return kind.max_attempts if kind is not None else len(DEFAULT_RETRY_LADDER) + 1


class Worker:
    """Runs due jobs from `database`. One Worker is driven by one thread at a time.

    `clock` returns tz-aware UTC datetimes; it decides what is due and when leases end (tests
    pass a fake clock). `lease_seconds` must exceed the longest handler run: past it, another
    worker may take the job over. `poll_seconds` bounds how late `run_forever` notices jobs
    enqueued by other processes (jobs enqueued in this process wake it at once).
    """

    def __init__(
        self,
        database: Database,
        *,
        worker_id: str | None = None,
        clock: Callable[[], datetime] = utc_now,
        lease_seconds: float = 300,
        poll_seconds: float = 1.0,
        batch_size: int = 10,
        settings: Settings | None = None,
    ) -> None:
        if worker_id is not None and not 0 < len(worker_id) <= WORKER_ID_LENGTH:
            raise ValueError(f"worker_id must be 1 to {WORKER_ID_LENGTH} characters")
        if lease_seconds <= 0 or poll_seconds <= 0 or batch_size < 1:
            raise ValueError("lease_seconds and poll_seconds must be > 0, batch_size >= 1")
        self.database = database
        self.worker_id = worker_id or default_worker_id()
        self.clock = clock
        self.lease_seconds = lease_seconds
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self.settings = settings
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    def __repr__(self) -> str:
        return f"Worker({self.worker_id!r})"

    def _now(self) -> datetime:
        now = self.clock()
        if now.tzinfo is None:
            raise ValueError("the worker's clock returned a naive datetime")
        return now

    # Claiming ---------------------------------------------------------------------------------

    def claim_due(self, *, limit: int | None = None) -> list[ClaimedJob]:
        """Leases up to `limit` (default batch_size) due jobs to this worker and returns them.

        The caller must then `execute` each one before its lease ends. Jobs taken over from a
        dead worker on their last allowed attempt are marked dead here instead of being returned.
        """
        if limit is not None and limit < 1:
            raise ValueError("limit must be >= 1")
        return self._claim(limit or self.batch_size)[0]

    def _claim(self, limit: int) -> tuple[list[ClaimedJob], int]:
        """Returns the jobs claimed to run and how many were retired as dead instead."""
        now = self._now()
        locked_until = now + timedelta(seconds=self.lease_seconds)
        # Look first without writing: an idle poll then never takes SQLite's single write lock
        # (nor row locks on PostgreSQL), so idle workers stay out of the way of requests.
        with self.database.read() as session:
            if session.scalar(select(Job.id).where(_claimable(now)).limit(1)) is None:
                return [], 0
        with self.database.transaction() as session:
            candidates = list(
                session.scalars(
                    select(Job.id)
                    .where(_claimable(now))
                    .order_by(Job.run_at, Job.id)
                    .limit(limit)
                    # PostgreSQL: lock the rows, skipping those another worker is claiming.
                    # SQLite renders no FOR UPDATE; its write lock is already held.
                    .with_for_update(skip_locked=True)
                )
            )
            if not candidates:
                return [], 0
            rows = session.execute(
                update(Job)
                .where(Job.id.in_(candidates), _claimable(now))
                .values(
                    status=JobStatus.RUNNING.value,
                    attempts=Job.attempts + 1,
                    locked_by=self.worker_id,
                    locked_until=locked_until,
                )
                .returning(Job.id, Job.public_id, Job.kind, Job.payload, Job.attempts)
                .execution_options(**_NO_SYNC)
            ).all()
            claimed_ids = [row.id for row in rows]
            # An attempt still open on a claimable job was abandoned by a worker whose lease ran
            # out; close it so the history shows what happened to it.
            session.execute(
                update(JobAttempt)
                .where(JobAttempt.job_id.in_(claimed_ids), JobAttempt.finished_at.is_(None))
                .values(
                    finished_at=now,
                    outcome=AttemptOutcome.ERROR.value,
                    error=LEASE_EXPIRED_ERROR,
                )
                .execution_options(**_NO_SYNC)
            )
            order = {job_id: index for index, job_id in enumerate(candidates)}
            to_run: list[ClaimedJob] = []
            retired: list[int] = []
            for row in sorted(rows, key=lambda row: order[row.id]):
                if row.attempts > _max_attempts(find_job_kind(row.kind)):
                    # The worker died during the last allowed attempt. Running it again could
                    # kill worker after worker (a job that crashes the process never reaches the
                    # failure path), so it ends here.
                    retired.append(row.id)
                    continue
                to_run.append(
                    ClaimedJob(
                        id=row.id,
                        public_id=row.public_id,
                        kind=row.kind,
                        payload=row.payload,
                        attempt=row.attempts,
                        started_at=now,
                        locked_until=locked_until,
                    )
                )
            if retired:
                session.execute(
                    update(Job)
                    .where(Job.id.in_(retired))
                    .values(
                        status=JobStatus.DEAD.value,
                        # Undo the increment above: no new attempt was made.
                        attempts=Job.attempts - 1,
                        finished_at=now,
                        locked_by=None,
                        locked_until=None,
                        last_error=LEASE_EXPIRED_ERROR + "; no attempts left",
                    )
                    .execution_options(**_NO_SYNC)
                )
                logger.error("jobs %s: lease expired on their last attempt; marked dead", retired)
            session.add_all(
                JobAttempt(
                    job_id=job.id,
                    attempt=job.attempt,
                    worker_id=self.worker_id,
                    started_at=now,
                )
                for job in to_run
            )
        return to_run, len(retired)

    # Running ----------------------------------------------------------------------------------

    def execute(self, job: ClaimedJob) -> bool:
        """Runs a job claimed by this worker and records the outcome; True if the handler ran.

        Precondition: `job` came from this worker's `claim_due`. A handler's exception is recorded
        as a failed attempt (then retried after the kind's ladder delay, or the job goes dead);
        it never propagates. Database errors while recording do propagate.
        """
        if self._now() >= job.locked_until:
            # Another worker may already have taken it over; running it now would run it twice
            # at the same time. Whoever claims it next closes this attempt.
            logger.warning(
                "job %s (%s): lease expired before it started; left for another claim",
                job.public_id,
                job.kind,
            )
            return False
        kind = find_job_kind(job.kind)
        ctx = JobContext(
            database=self.database,
            job_public_id=job.public_id,
            kind=job.kind,
            attempt=job.attempt,
            max_attempts=_max_attempts(kind),
            clock=self.clock,
            settings=self.settings,
        )
        try:
            if kind is None:
                raise UnknownJobKindError(job.kind)
            kind.handler(ctx, job.payload)
        except Exception as exc:
            logger.warning(
                "job %s (%s) attempt %d/%d failed",
                job.public_id,
                job.kind,
                job.attempt,
                ctx.max_attempts,
                exc_info=not isinstance(exc, UnknownJobKindError),
            )
            self._record_failure(job, kind, exc)
        else:
            if self._finish(
                job,
                {"status": JobStatus.DONE.value, "last_error": None},
                outcome=AttemptOutcome.OK,
            ):
                logger.info("job %s (%s) attempt %d done", job.public_id, job.kind, job.attempt)
        return True

    def _record_failure(self, job: ClaimedJob, kind: JobKind | None, exc: Exception) -> None:
        ladder = kind.retry_ladder if kind is not None else DEFAULT_RETRY_LADDER
        error = describe_error(exc)
        if job.attempt <= len(ladder):
            delay = timedelta(seconds=ladder[job.attempt - 1])
            # run_at is relative to when the attempt ended, read in _finish's transaction.
            self._finish(
                job,
                {"status": JobStatus.QUEUED.value, "last_error": error},
                outcome=AttemptOutcome.ERROR,
                error=error,
                retry_after=delay,
            )
        elif self._finish(
            job,
            {"status": JobStatus.DEAD.value, "last_error": error},
            outcome=AttemptOutcome.ERROR,
            error=error,
        ):
            logger.error(
                "job %s (%s) is dead after %d attempts: %s",
                job.public_id,
                job.kind,
                job.attempt,
                error,
            )

    def _finish(
        self,
        job: ClaimedJob,
        values: dict[str, Any],
        *,
        outcome: AttemptOutcome,
        error: str | None = None,
        retry_after: timedelta | None = None,
    ) -> bool:
        """Writes the attempt's outcome if this worker still holds the lease; False if not."""
        now = self._now()
        values = dict(values, locked_by=None, locked_until=None)
        if retry_after is None:
            values["finished_at"] = now
        else:
            values["run_at"] = now + retry_after
        with self.database.transaction() as session:
            # Guarded by the lease: if another worker took the job over (our lease had passed),
            # its newer state stands and this outcome is discarded.
            updated = session.execute(
                update(Job)
                .where(
                    Job.id == job.id,
                    Job.status == JobStatus.RUNNING.value,
                    Job.locked_by == self.worker_id,
                    Job.attempts == job.attempt,
                )
                .values(**values)
                .returning(Job.id)
                .execution_options(**_NO_SYNC)
            ).first()
            if updated is None:
                logger.warning(
                    "job %s (%s) attempt %d: lease lost before it finished; outcome %s discarded",
                    job.public_id,
                    job.kind,
                    job.attempt,
                    outcome.value,
                )
                return False
            session.execute(
                update(JobAttempt)
                .where(JobAttempt.job_id == job.id, JobAttempt.attempt == job.attempt)
                .values(finished_at=now, outcome=outcome.value, error=error)
                .execution_options(**_NO_SYNC)
            )
        return True

    # Loops ------------------------------------------------------------------------------------

    def _round(self) -> tuple[int, int]:
        """One claim and its runs: (jobs run, jobs handled including those retired as dead)."""
        claimed, retired = self._claim(self.batch_size)
        ran = 0
        for job in claimed:
            try:
                ran += self.execute(job)
            except Exception:
                # Recording failed (database gone?); the lease will expire and the job be retried.
                logger.exception(
                    "job %s (%s): could not record the outcome", job.public_id, job.kind
                )
        return ran, len(claimed) + retired

    def run_once(self) -> int:
        """Claims one batch of due jobs and runs them; returns how many handlers ran."""
        return self._round()[0]

    def run_until_idle(self, *, max_rounds: int = 1000) -> int:
        """Runs batches until none is due (or `max_rounds` batches); returns how many ran.

        For tests and `miniapp worker --once`-style use; jobs scheduled in the future (retries)
        are not waited for.
        """
        total = 0
        for _ in range(max_rounds):
            ran, handled = self._round()
            total += ran
            if handled == 0:
                break
        else:
            logger.warning("worker %s: still busy after %d rounds", self.worker_id, max_rounds)
        return total

    def run_forever(self, stop: threading.Event) -> None:
        """Runs jobs until `stop` is set; an exception never ends the loop.

        Between rounds it waits for a commit that enqueued a job in this process (the wake
        event) or for poll_seconds. To stop promptly, set `stop` and then the wake event
        (`stop_thread` does both); otherwise the loop notices within poll_seconds.
        """
        wake = wake_event()
        logger.info("job worker %s started", self.worker_id)
        while not stop.is_set():
            try:
                handled = self._round()[1]
            except Exception:
                logger.exception("worker %s: claiming jobs failed", self.worker_id)
                handled = 0
            if handled >= self.batch_size:
                continue  # a full batch: more may be due right now
            wake.wait(self.poll_seconds)
            # Cleared before the next claim, so a commit landing after this still gets seen.
            wake.clear()
        logger.info("job worker %s stopped", self.worker_id)

    def start_thread(self) -> None:
        """Runs `run_forever` in a daemon thread (for `miniapp serve`).

        Precondition: not already started. Daemon, so a process exit is never blocked; a job cut
        short that way is retried once its lease passes.
        """
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError(f"{self!r} is already running")
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self.run_forever,
            args=(self._stop,),
            name=f"jobs-worker-{self.worker_id}",
            daemon=True,
        )
        self._thread.start()

    def stop_thread(self, timeout: float = 30.0) -> None:
        """Asks the thread to stop after its current job and waits up to `timeout` seconds."""
        thread = self._thread
        if thread is None:
            return
        self._stop.set()
        wake_event().set()
        thread.join(timeout)
        if thread.is_alive():
            logger.warning(
                "worker %s did not stop within %.1f s; its job's lease will expire",
                self.worker_id,
                timeout,
            )
        else:
            self._thread = None

    @property
    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()
