"""The registry of job kinds: a name, the handler that runs it and its retry ladder.

Domains register their kinds at import time with the `job_kind` decorator::

    @job_kind("pay.notify", retry_ladder=(15, 15, 30, 180, 600))
    def notify_merchant(ctx: JobContext, payload: dict[str, Any]) -> None: ...

A handler must be safe to run more than once for the same job: delivery is at-least-once (a worker
that dies mid-job has its job taken over when its lease expires).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from miniapp.db.session import Database
from miniapp.settings import Settings

MAX_KIND_LENGTH = 64

# Seconds to wait before each retry, for kinds that name no ladder of their own: quick retries for
# blips, then backing off to hours for outages. Seven attempts over about four and a half hours.
DEFAULT_RETRY_LADDER: tuple[float, ...] = (15, 60, 300, 1800, 3600, 10800)


class UnknownJobKindError(LookupError):
    """No handler is registered for this kind in this process."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"no handler is registered for job kind {kind!r}")
        self.kind = kind


@dataclass(frozen=True, slots=True, kw_only=True)
class JobContext:
    """What a handler knows about the run it is part of.

    `database` is for the handler's own transactions: the handler runs outside any transaction of
    the worker, and its writes commit on their own (use `job_public_id` as an idempotency key).
    `attempt` counts from 1; `attempt == max_attempts` is the last chance before the job goes dead.
    `clock` is the worker's notion of now (tz-aware UTC), so tests can move time. `settings` are
    the worker's process settings (data folder, limits), for handlers that need them; None for a
    worker made without them.
    """

    database: Database
    job_public_id: uuid.UUID
    kind: str
    attempt: int
    max_attempts: int
    clock: Callable[[], datetime]
    settings: Settings | None = None

    @property
    def is_last_attempt(self) -> bool:
        return self.attempt >= self.max_attempts


JobHandler = Callable[[JobContext, dict[str, Any]], None]
_Handler = TypeVar("_Handler", bound=JobHandler)


@dataclass(frozen=True, slots=True, kw_only=True)
class JobKind:
    name: str
    handler: JobHandler
    retry_ladder: tuple[float, ...]

    @property
    def max_attempts(self) -> int:
        """The first run plus one retry per rung of the ladder."""
        return len(self.retry_ladder) + 1


_KINDS: dict[str, JobKind] = {}


def _checked_ladder(name: str, retry_ladder: tuple[float, ...] | None) -> tuple[float, ...]:
    if retry_ladder is None:
        return DEFAULT_RETRY_LADDER
    ladder = tuple(float(delay) for delay in retry_ladder)
    for delay in ladder:
        if not math.isfinite(delay) or delay < 0:
            raise ValueError(
                f"job kind {name!r}: retry delays must be finite and >= 0, got {delay!r}"
            )
    return ladder


def register_job_kind(
    name: str, handler: JobHandler, *, retry_ladder: tuple[float, ...] | None = None
) -> JobKind:
    """Registers `handler` for jobs of kind `name`; the decorator `job_kind` is the usual way.

    Preconditions: `name` is 1 to 64 characters and not yet registered to another handler
    (registering the same handler again is a no-op, so re-imports are harmless). `retry_ladder`
    holds the delays in seconds before each retry; None means DEFAULT_RETRY_LADDER, () means
    no retry at all.
    """
    if not name or len(name) > MAX_KIND_LENGTH:
        raise ValueError(f"job kind name must be 1 to {MAX_KIND_LENGTH} characters: {name!r}")
    kind = JobKind(name=name, handler=handler, retry_ladder=_checked_ladder(name, retry_ladder))
    existing = _KINDS.get(name)
    if existing is not None:
        if existing == kind:
            return existing
        raise ValueError(f"job kind {name!r} is already registered to {existing.handler!r}")
    _KINDS[name] = kind
    return kind


def job_kind(
    name: str, *, retry_ladder: tuple[float, ...] | None = None
) -> Callable[[_Handler], _Handler]:
    """Decorator form of `register_job_kind`; returns the handler unchanged."""

    def register(handler: _Handler) -> _Handler:
        register_job_kind(name, handler, retry_ladder=retry_ladder)
        return handler

    return register


def unregister_job_kind(name: str) -> None:
    """Forgets a kind (tests use it to clean up); unknown names are ignored."""
    _KINDS.pop(name, None)


def find_job_kind(name: str) -> JobKind | None:
    return _KINDS.get(name)


def get_job_kind(name: str) -> JobKind:
    """The registered kind; raises UnknownJobKindError when this process has no handler for it."""
    kind = _KINDS.get(name)
    if kind is None:
        raise UnknownJobKindError(name)
    return kind


def registered_job_kinds() -> list[str]:
    return sorted(_KINDS)


def retry_ladder_for(name: str) -> tuple[float, ...]:
    """The kind's ladder, or the default one for a kind this process does not know."""
    kind = _KINDS.get(name)
    return kind.retry_ladder if kind is not None else DEFAULT_RETRY_LADDER
