"""Durable jobs: an outbox table filled inside the caller's transaction, a retry ladder per kind,
and a worker that claims due jobs with a lease (at-least-once delivery, survives restarts)."""

from miniapp.jobs.kinds import (
    DEFAULT_RETRY_LADDER,
    JobContext,
    JobHandler,
    JobKind,
    UnknownJobKindError,
    find_job_kind,
    get_job_kind,
    job_kind,
    register_job_kind,
    registered_job_kinds,
    retry_ladder_for,
    unregister_job_kind,
)
from miniapp.jobs.models import AttemptOutcome, Job, JobAttempt, JobStatus
from miniapp.jobs.queue import JobPayloadError, do_enqueue_job, wake_event
from miniapp.jobs.worker import ClaimedJob, Worker

__all__ = [
    "DEFAULT_RETRY_LADDER",
    "AttemptOutcome",
    "ClaimedJob",
    "Job",
    "JobAttempt",
    "JobContext",
    "JobHandler",
    "JobKind",
    "JobPayloadError",
    "JobStatus",
    "UnknownJobKindError",
    "Worker",
    "do_enqueue_job",
    "find_job_kind",
    "get_job_kind",
    "job_kind",
    "register_job_kind",
    "registered_job_kinds",
    "retry_ladder_for",
    "unregister_job_kind",
    "wake_event",
]
