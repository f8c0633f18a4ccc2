"""The worker: exactly-once on success, the retry ladder, leases, restarts, many workers."""

from __future__ import annotations

import threading
import uuid
from collections import Counter
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import select

from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.jobs import (
    DEFAULT_RETRY_LADDER,
    AttemptOutcome,
    ClaimedJob,
    Job,
    JobAttempt,
    JobContext,
    JobStatus,
    Worker,
    do_enqueue_job,
    unregister_job_kind,
)
from miniapp.jobs.worker import LEASE_EXPIRED_ERROR, MAX_ERROR_CHARS

if TYPE_CHECKING:
    from tests.jobs.conftest import FakeClock, RegisterKind


def _enqueue(
    database: Database, kind: str, payload: dict[str, Any] | None = None, **kwargs: Any
) -> uuid.UUID:
    with database.transaction() as session:
        return do_enqueue_job(session, kind=kind, payload=payload or {}, **kwargs).public_id


def _job(database: Database, public_id: uuid.UUID) -> Job:
    with database.read() as session:
        return session.scalars(select(Job).where(Job.public_id == public_id)).one()


def _attempts(database: Database, public_id: uuid.UUID) -> list[JobAttempt]:
    with database.read() as session:
        return list(
            session.scalars(
                select(JobAttempt)
                .join(Job, Job.id == JobAttempt.job_id)
                .where(Job.public_id == public_id)
                .order_by(JobAttempt.attempt)
            )
        )


def test_a_successful_job_runs_exactly_once(
    database: Database, clock: FakeClock, register_kind: RegisterKind
) -> None:
    calls: list[dict[str, Any]] = []
    register_kind("tests.ok", lambda ctx, payload: calls.append(payload))
    public_id = _enqueue(database, "tests.ok", {"order": "o-1"})

    worker = Worker(database, worker_id="w1", clock=clock)
    assert worker.run_until_idle() == 1
    assert worker.run_until_idle() == 0
    clock.advance(7 * 24 * 3600)
    assert Worker(database, clock=clock).run_until_idle() == 0
    assert calls == [{"order": "o-1"}]

    job = _job(database, public_id)
    assert job.status == JobStatus.DONE
    assert job.attempts == 1
    assert job.finished_at == clock.now - timedelta(days=7)
    assert job.locked_by is None
    assert job.locked_until is None
    assert job.last_error is None
    [attempt] = _attempts(database, public_id)
    assert attempt.attempt == 1
    assert attempt.worker_id == "w1"
    assert attempt.outcome == AttemptOutcome.OK
    assert attempt.error is None
    assert attempt.started_at == attempt.finished_at == job.finished_at


def test_a_job_that_is_not_due_yet_waits_for_its_run_at(
    database: Database, clock: FakeClock, register_kind: RegisterKind
) -> None:
    calls: list[int] = []
    register_kind("tests.later", lambda ctx, payload: calls.append(1))
    public_id = _enqueue(database, "tests.later", run_at=clock.now + timedelta(hours=1))

    worker = Worker(database, clock=clock)
    clock.advance(3599)
    assert worker.run_once() == 0
    clock.advance(1)
    assert worker.run_once() == 1
    assert calls == [1]
    assert _job(database, public_id).status == JobStatus.DONE


def test_a_failing_job_follows_its_retry_ladder_then_dies(
    database: Database, clock: FakeClock, register_kind: RegisterKind
) -> None:
    ladder = (15, 15, 30, 180)

    def always_fails(ctx: JobContext, payload: dict[str, Any]) -> None:
        raise RuntimeError(f"merchant said no ({ctx.attempt})")

    register_kind("tests.fails", always_fails, retry_ladder=ladder)
    public_id = _enqueue(database, "tests.fails")
    worker = Worker(database, worker_id="w1", clock=clock)

    failed_at: list[datetime] = []
    for attempt, delay in enumerate(ladder, start=1):
        assert worker.run_once() == 1
        failed_at.append(clock.now)
        job = _job(database, public_id)
        assert job.status == JobStatus.QUEUED
        assert job.attempts == attempt
        assert job.run_at - clock.now == timedelta(seconds=delay)
        assert job.last_error == f"RuntimeError: merchant said no ({attempt})"
        assert job.locked_by is None
        assert job.finished_at is None
        # Not a moment early...
        clock.advance(delay - 1)
        assert worker.run_once() == 0
        # ...and not a moment late.
        clock.advance(1)

    assert worker.run_once() == 1  # the last attempt
    failed_at.append(clock.now)
    job = _job(database, public_id)
    assert job.status == JobStatus.DEAD
    assert job.attempts == len(ladder) + 1
    assert job.finished_at == clock.now
    assert job.last_error == f"RuntimeError: merchant said no ({len(ladder) + 1})"

    attempts = _attempts(database, public_id)
    assert [a.attempt for a in attempts] == [1, 2, 3, 4, 5]
    assert all(a.outcome == AttemptOutcome.ERROR for a in attempts)
    assert all(a.worker_id == "w1" for a in attempts)
    assert [a.error for a in attempts] == [
        f"RuntimeError: merchant said no ({n})" for n in range(1, 6)
    ]
    assert [a.started_at for a in attempts] == failed_at
    assert [a.finished_at for a in attempts] == failed_at

    clock.advance(365 * 24 * 3600)
    assert worker.run_until_idle() == 0


def test_a_job_that_fails_then_succeeds_ends_done(
    database: Database, clock: FakeClock, register_kind: RegisterKind
) -> None:
    def flaky(ctx: JobContext, payload: dict[str, Any]) -> None:
        if ctx.attempt < 3:
            raise ConnectionError("timed out")

    register_kind("tests.flaky", flaky, retry_ladder=(5, 5, 5))
    public_id = _enqueue(database, "tests.flaky")
    worker = Worker(database, clock=clock)
    for _ in range(3):
        assert worker.run_once() == 1
        clock.advance(5)
    assert worker.run_until_idle() == 0

    job = _job(database, public_id)
    assert job.status == JobStatus.DONE
    assert job.attempts == 3
    assert job.last_error is None  # the last attempt succeeded; the history keeps the errors
    assert [(a.outcome, a.error) for a in _attempts(database, public_id)] == [
        (AttemptOutcome.ERROR, "ConnectionError: timed out"),
        (AttemptOutcome.ERROR, "ConnectionError: timed out"),
        (AttemptOutcome.OK, None),
    ]


def test_long_errors_are_truncated(
    database: Database, clock: FakeClock, register_kind: RegisterKind
) -> None:
    def chatty(ctx: JobContext, payload: dict[str, Any]) -> None:
        raise ValueError("x" * 10_000)

    register_kind("tests.chatty", chatty, retry_ladder=())
    public_id = _enqueue(database, "tests.chatty")
    assert Worker(database, clock=clock).run_once() == 1
    [attempt] = _attempts(database, public_id)
    assert attempt.error is not None
    assert len(attempt.error) == MAX_ERROR_CHARS
    assert attempt.error.startswith("ValueError: xxx")
    assert _job(database, public_id).last_error == attempt.error


def test_an_unknown_kind_is_a_failed_attempt_and_other_jobs_still_run(
    database: Database, clock: FakeClock, register_kind: RegisterKind
) -> None:
    calls: list[str] = []
    register_kind("tests.gone", lambda ctx, payload: calls.append("gone"))
    register_kind("tests.fine", lambda ctx, payload: calls.append("fine"))

    def broken(ctx: JobContext, payload: dict[str, Any]) -> None:
        raise KeyError("missing")

    register_kind("tests.broken", broken)
    gone = _enqueue(database, "tests.gone")
    broken_job = _enqueue(database, "tests.broken")
    fine = _enqueue(database, "tests.fine")
    # This process's worker was deployed without the handler for tests.gone.
    unregister_job_kind("tests.gone")

    assert Worker(database, clock=clock).run_once() == 3
    assert calls == ["fine"]
    assert _job(database, fine).status == JobStatus.DONE

    job = _job(database, gone)
    assert job.status == JobStatus.QUEUED
    assert job.attempts == 1
    assert job.run_at == clock.now + timedelta(seconds=DEFAULT_RETRY_LADDER[0])
    expected = "UnknownJobKindError: no handler is registered for job kind 'tests.gone'"
    assert job.last_error == expected
    [attempt] = _attempts(database, gone)
    assert (attempt.outcome, attempt.error) == (AttemptOutcome.ERROR, expected)

    assert _job(database, broken_job).last_error == "KeyError: 'missing'"


def test_a_job_survives_a_restart(
    database: Database, clock: FakeClock, register_kind: RegisterKind
) -> None:
    calls: list[dict[str, Any]] = []
    register_kind("tests.durable", lambda ctx, payload: calls.append(payload))
    public_id = _enqueue(database, "tests.durable", {"n": 1})
    later = _enqueue(database, "tests.durable", {"n": 2}, run_at=clock.now + timedelta(hours=2))

    first = Worker(database, clock=clock)
    del first  # the process stops before its worker ran anything

    # A new process: its own engine and connections, its own worker.
    restarted = Database(database.url)
    try:
        worker = Worker(restarted, clock=clock)
        assert worker.run_until_idle() == 1
        clock.advance(2 * 3600)
        assert worker.run_until_idle() == 1
    finally:
        restarted.dispose()
    assert calls == [{"n": 1}, {"n": 2}]
    assert _job(database, public_id).status == JobStatus.DONE
    assert _job(database, later).status == JobStatus.DONE


def test_a_dead_workers_job_is_taken_over_when_its_lease_expires_and_not_before(
    database: Database, clock: FakeClock, register_kind: RegisterKind
) -> None:
    calls: list[int] = []
    register_kind("tests.leased", lambda ctx, payload: calls.append(ctx.attempt))
    public_id = _enqueue(database, "tests.leased")

    dead = Worker(database, worker_id="dead", clock=clock, lease_seconds=60)
    [claimed] = dead.claim_due()  # ...and the process is killed before it runs the job
    claimed_at = clock.now
    job = _job(database, public_id)
    assert job.status == JobStatus.RUNNING
    assert job.locked_by == "dead"
    assert job.locked_until == claimed_at + timedelta(seconds=60)
    [open_attempt] = _attempts(database, public_id)
    assert (open_attempt.worker_id, open_attempt.outcome, open_attempt.finished_at) == (
        "dead",
        None,
        None,
    )

    taker = Worker(database, worker_id="taker", clock=clock, lease_seconds=60)
    assert taker.run_once() == 0
    clock.advance(60)  # the lease ends exactly now: still held
    assert taker.run_once() == 0
    assert calls == []
    clock.advance(1)
    assert taker.run_once() == 1
    assert calls == [2]

    job = _job(database, public_id)
    assert job.status == JobStatus.DONE
    assert job.attempts == 2
    assert job.locked_by is None
    abandoned, finished = _attempts(database, public_id)
    assert (abandoned.attempt, abandoned.worker_id) == (1, "dead")
    assert (abandoned.outcome, abandoned.error) == (
        AttemptOutcome.ERROR,
        LEASE_EXPIRED_ERROR,
    )
    assert abandoned.finished_at == clock.now
    assert (finished.attempt, finished.worker_id, finished.outcome) == (
        2,
        "taker",
        AttemptOutcome.OK,
    )

    # Should the "dead" worker come back, its claim is out of date: it neither runs the job again
    # nor touches it.
    assert dead.execute(claimed) is False
    assert calls == [2]
    assert _job(database, public_id).status == JobStatus.DONE


@pytest.mark.parametrize("stale_outcome", ["ok", "error"])
def test_a_stale_worker_does_not_overwrite_a_job_finished_by_the_worker_that_took_over(
    database: Database,
    clock: FakeClock,
    register_kind: RegisterKind,
    stale_outcome: str,
) -> None:
    taker = Worker(database, worker_id="taker", clock=clock, lease_seconds=60)
    calls: list[int] = []

    def slow(ctx: JobContext, payload: dict[str, Any]) -> None:
        calls.append(ctx.attempt)
        if ctx.attempt == 1:
            # The first worker stalls past its lease; meanwhile another worker takes the job
            # over and finishes it.
            clock.advance(61)
            assert taker.run_once() == 1
            clock.advance(5)
            if stale_outcome == "error":
                raise RuntimeError("stale failure")

    register_kind("tests.slow", slow, retry_ladder=(10,))
    public_id = _enqueue(database, "tests.slow")
    stale = Worker(database, worker_id="stale", clock=clock, lease_seconds=60)
    assert stale.run_once() == 1
    assert calls == [1, 2]

    job = _job(database, public_id)
    assert job.status == JobStatus.DONE
    assert job.attempts == 2
    assert job.finished_at == clock.now - timedelta(seconds=5)
    assert job.last_error is None
    assert job.locked_by is None
    first, second = _attempts(database, public_id)
    assert (first.worker_id, first.outcome, first.error) == (
        "stale",
        AttemptOutcome.ERROR,
        LEASE_EXPIRED_ERROR,
    )
    assert (second.worker_id, second.outcome) == ("taker", AttemptOutcome.OK)
    assert Worker(database, clock=clock).run_until_idle() == 0


@pytest.mark.parametrize("stale_outcome", ["ok", "error"])
def test_a_stale_worker_does_not_touch_a_job_another_worker_is_running(
    database: Database,
    clock: FakeClock,
    register_kind: RegisterKind,
    stale_outcome: str,
) -> None:
    taker = Worker(database, worker_id="taker", clock=clock, lease_seconds=60)
    taken: list[ClaimedJob] = []
    calls: list[int] = []

    def slow(ctx: JobContext, payload: dict[str, Any]) -> None:
        calls.append(ctx.attempt)
        if ctx.attempt == 1:
            # The first worker stalls past its lease; another worker claims the job and is
            # still running it when the first one finishes.
            clock.advance(61)
            taken.extend(taker.claim_due())
            if stale_outcome == "error":
                raise RuntimeError("stale failure")

    register_kind("tests.slow", slow, retry_ladder=(10,))
    public_id = _enqueue(database, "tests.slow")
    stale = Worker(database, worker_id="stale", clock=clock, lease_seconds=60)
    assert stale.run_once() == 1
    assert calls == [1]

    job = _job(database, public_id)
    assert job.status == JobStatus.RUNNING
    assert job.attempts == 2
    assert job.locked_by == "taker"
    assert job.locked_until == clock.now + timedelta(seconds=60)
    assert job.last_error is None
    first, second = _attempts(database, public_id)
    assert (first.outcome, first.error) == (AttemptOutcome.ERROR, LEASE_EXPIRED_ERROR)
    assert (second.worker_id, second.outcome, second.finished_at) == (
        "taker",
        None,
        None,
    )

    [claimed] = taken
    assert taker.execute(claimed) is True
    assert calls == [1, 2]
    job = _job(database, public_id)
    assert (job.status, job.attempts, job.locked_by) == (JobStatus.DONE, 2, None)


def test_a_job_whose_worker_dies_on_its_last_attempt_goes_dead_instead_of_running_again(
    database: Database, clock: FakeClock, register_kind: RegisterKind
) -> None:
    calls: list[int] = []
    register_kind("tests.fatal", lambda ctx, payload: calls.append(ctx.attempt), retry_ladder=())
    public_id = _enqueue(database, "tests.fatal")
    Worker(database, worker_id="dead", clock=clock, lease_seconds=60).claim_due()

    clock.advance(61)
    assert Worker(database, clock=clock).run_until_idle() == 0
    assert calls == []
    job = _job(database, public_id)
    assert job.status == JobStatus.DEAD
    assert job.attempts == 1
    assert job.finished_at == clock.now
    assert job.last_error is not None
    assert job.last_error.startswith(LEASE_EXPIRED_ERROR)
    [attempt] = _attempts(database, public_id)
    assert (attempt.outcome, attempt.error) == (
        AttemptOutcome.ERROR,
        LEASE_EXPIRED_ERROR,
    )


def test_many_workers_run_every_job_exactly_once(
    database: Database, clock: FakeClock, register_kind: RegisterKind
) -> None:
    counts: Counter[int] = Counter()
    counts_lock = threading.Lock()

    def count(ctx: JobContext, payload: dict[str, Any]) -> None:
        with counts_lock:
            counts[payload["n"]] += 1

    register_kind("tests.many", count)
    with database.transaction() as session:
        for n in range(200):
            do_enqueue_job(session, kind="tests.many", payload={"n": n})

    workers = [Worker(database, worker_id=f"w{i}", clock=clock, batch_size=5) for i in range(4)]
    start = threading.Barrier(len(workers))
    errors: list[BaseException] = []
    ran: dict[str, int] = {}

    def work(worker: Worker) -> None:
        try:
            start.wait()
            ran[worker.worker_id] = worker.run_until_idle()
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert sum(ran.values()) == 200
    assert counts == Counter(range(200))
    with database.read() as session:
        statuses = Counter(session.scalars(select(Job.status)))
        attempts = list(session.scalars(select(JobAttempt)))
    assert statuses == {JobStatus.DONE: 200}
    assert len(attempts) == 200
    assert all(a.outcome == AttemptOutcome.OK for a in attempts)
    # Whoever ran a job is who its attempt names.
    assert Counter(a.worker_id for a in attempts) == {k: v for k, v in ran.items() if v}


def test_claims_never_overlap(
    database: Database, clock: FakeClock, register_kind: RegisterKind
) -> None:
    """PostgreSQL skips rows another transaction has locked; SQLite serialises writers."""
    register_kind("tests.claims", lambda ctx, payload: None)
    first = _enqueue(database, "tests.claims", run_at=clock.now - timedelta(seconds=2))
    second = _enqueue(database, "tests.claims", run_at=clock.now - timedelta(seconds=1))
    if database.dialect == "postgresql":
        worker = Worker(database, worker_id="w1", clock=clock)
        # Another worker's claim transaction holds the first row: this one neither waits for it
        # nor takes it, and claims the next row instead.
        with database.transaction() as other:
            other.execute(select(Job.id).where(Job.public_id == first).with_for_update())
            assert worker.run_once() == 1
            assert _job(database, second).status == JobStatus.DONE
            assert _job(database, first).status == JobStatus.QUEUED
        assert worker.run_once() == 1
        assert _job(database, first).status == JobStatus.DONE
    else:
        # Single writer: each claim is one write transaction (BEGIN IMMEDIATE) whose UPDATE only
        # takes rows that are still claimable, so successive claims get disjoint jobs...
        a, b, c = (Worker(database, worker_id=f"w{i}", clock=clock) for i in range(3))
        [claimed_a] = a.claim_due(limit=1)
        [claimed_b] = b.claim_due(limit=1)
        assert (claimed_a.public_id, claimed_b.public_id) == (first, second)
        assert c.claim_due() == []
        # ...and a reader (WAL) does not hold up a claim or the outcome being written.
        with database.read() as reader:
            assert len(reader.scalars(select(Job)).all()) == 2
            assert a.execute(claimed_a) is True
            assert b.execute(claimed_b) is True
        assert {_job(database, first).status, _job(database, second).status} == {JobStatus.DONE}


def test_the_worker_thread_is_woken_by_a_commit_and_stops_on_request(
    database: Database, register_kind: RegisterKind
) -> None:
    ran = threading.Event()
    register_kind("tests.thread", lambda ctx, payload: ran.set())
    # Polling so rarely that only the wake event can explain a prompt run.
    worker = Worker(database, poll_seconds=300)
    worker.start_thread()
    try:
        started = worker.is_running
        assert started
        with pytest.raises(RuntimeError, match=r"already running"):
            worker.start_thread()
        public_id = _enqueue(database, "tests.thread")
        assert ran.wait(timeout=10)
    finally:
        worker.stop_thread(timeout=10)
    assert not worker.is_running
    assert _job(database, public_id).status == JobStatus.DONE
    worker.stop_thread(timeout=1)  # stopping twice is harmless


def test_the_worker_loop_survives_errors_outside_handlers(
    database: Database, register_kind: RegisterKind
) -> None:
    ran = threading.Event()
    register_kind("tests.survivor", lambda ctx, payload: ran.set())
    calls = 0

    def clock_that_breaks_once() -> datetime:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise OSError("clock source unavailable")
        return utc_now()

    worker = Worker(database, clock=clock_that_breaks_once, poll_seconds=300)
    worker.start_thread()
    try:
        _enqueue(database, "tests.survivor")
        assert ran.wait(timeout=10)
    finally:
        worker.stop_thread(timeout=10)
    assert calls > 1
