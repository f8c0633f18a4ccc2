"""Jobs: the durable queue (an outbox table) and the history of every attempt."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from miniapp.db.base import Base, PublicIdMixin, TimestampMixin
from miniapp.db.types import UTCDateTime

# Worker ids are "host:pid:random"; 128 characters leaves room for long container host names.
WORKER_ID_LENGTH = 128


class JobStatus(enum.StrEnum):
    """queued → running → done, or back to queued for a retry, or dead when retries run out."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    DEAD = "dead"


class AttemptOutcome(enum.StrEnum):
    OK = "ok"
    ERROR = "error"


def _in_list(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN (" + ", ".join(f"'{value.value}'" for value in values) + ")"


class Job(PublicIdMixin, TimestampMixin, Base):
    """One unit of background work.

    A running job holds a lease (`locked_by`, `locked_until`); once the lease has passed, another
    worker may take the job over, so handlers must tolerate running twice.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(_in_list("status", JobStatus), name="status"),
        CheckConstraint("attempts >= 0", name="attempts"),
        # The claim query filters on status and run_at (queued and due) and orders by run_at.
        Index("ix_jobs_status_run_at", "status", "run_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(default=0)
    run_at: Mapped[datetime] = mapped_column(UTCDateTime)
    locked_by: Mapped[str | None] = mapped_column(String(WORKER_ID_LENGTH))
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class JobAttempt(Base):
    """One run of a job by one worker; `outcome` is NULL while the attempt is in progress."""

    __tablename__ = "job_attempts"
    __table_args__ = (
        UniqueConstraint("job_id", "attempt"),
        CheckConstraint(
            "outcome IS NULL OR " + _in_list("outcome", AttemptOutcome), name="outcome"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"))
    attempt: Mapped[int]
    worker_id: Mapped[str] = mapped_column(String(WORKER_ID_LENGTH))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str | None] = mapped_column(String(8))
    error: Mapped[str | None] = mapped_column(Text)
