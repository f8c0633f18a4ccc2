"""Enqueueing jobs inside the caller's transaction (a transactional outbox)."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from miniapp.clock import utc_now
from miniapp.jobs.kinds import get_job_kind
from miniapp.jobs.models import Job, JobStatus

# Set once a transaction that enqueued a job has committed; the in-process worker waits on it so
# a new job starts at once instead of at the next poll. Workers in other processes poll.
_WAKE = threading.Event()

# Marks a session whose current transaction enqueued at least one job.
_ENQUEUED_KEY = "miniapp.jobs.enqueued"


class JobPayloadError(ValueError):
    """The payload cannot be stored as JSON and read back unchanged."""


def wake_event() -> threading.Event:
    """The event set after every commit that enqueued a job in this process."""
    return _WAKE


def _checked_payload(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise JobPayloadError(f"job {kind!r}: payload must be a dict, got {type(payload).__name__}")
    try:
        encoded = json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise JobPayloadError(f"job {kind!r}: payload is not JSON-serialisable: {exc}") from exc
    # The handler receives what the database gives back; refuse what JSON would silently change
    # (tuples into lists, integer keys into strings) so a handler never sees a different payload.
    decoded: dict[str, Any] = json.loads(encoded)
    if decoded != payload:
        raise JobPayloadError(
            f"job {kind!r}: payload changes in a JSON round trip "
            "(use lists, not tuples, and string keys)"
        )
    return decoded


def do_enqueue_job(
    session: Session,
    *,
    kind: str,
    payload: dict[str, Any],
    run_at: datetime | None = None,
) -> Job:
    """Adds a job to the caller's transaction and returns it, flushed (its ids are set).

    Preconditions: `session` is inside the transaction whose success the job depends on (for
    example the one that records the payment to notify about); the job exists only if that
    transaction commits. `kind` is registered in this process (UnknownJobKindError otherwise).
    `payload` is a dict that survives a JSON round trip unchanged (JobPayloadError otherwise).
    `run_at` is tz-aware; None means now.

    After the transaction commits, the in-process worker is woken (see `wake_event`).
    """
    get_job_kind(kind)
    checked = _checked_payload(kind, payload)
    if run_at is None:
        run_at = utc_now()
    elif run_at.tzinfo is None:
        raise ValueError("run_at must be timezone-aware")
    job = Job(
        public_id=uuid.uuid4(),
        kind=kind,
        payload=checked,
        status=JobStatus.QUEUED.value,
        attempts=0,
        run_at=run_at.astimezone(UTC),
    )
    session.add(job)
    session.flush()
    session.info[_ENQUEUED_KEY] = True
    return job


# Listening on the Session class covers every session, whichever sessionmaker made it; the
# listeners only look at a flag that do_enqueue_job sets, so other sessions pay a dict lookup.
@event.listens_for(Session, "after_commit")
def _wake_after_commit(session: Session) -> None:
    if session.info.pop(_ENQUEUED_KEY, False):
        _WAKE.set()


@event.listens_for(Session, "after_rollback")
def _forget_after_rollback(session: Session) -> None:
    # The rolled-back jobs never existed; a later commit in the same session must not wake for them.
    session.info.pop(_ENQUEUED_KEY, None)
