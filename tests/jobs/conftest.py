"""Fixtures for the jobs tests: a clock moved by hand, and kinds forgotten after each test."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Protocol

import pytest

from miniapp.clock import utc_now
from miniapp.jobs import JobHandler, JobKind, register_job_kind, unregister_job_kind


class FakeClock:
    """A tz-aware UTC clock that only moves when told to."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class RegisterKind(Protocol):
    def __call__(
        self,
        name: str,
        handler: JobHandler,
        *,
        retry_ladder: tuple[float, ...] | None = None,
    ) -> JobKind: ...


@pytest.fixture
def clock() -> FakeClock:
    # A minute ahead of the wall clock: jobs enqueued with the default run_at (wall-clock now)
    # are due at once, and the test still decides every later instant.
    return FakeClock(utc_now() + timedelta(minutes=1))


@pytest.fixture
def forget_kinds() -> Iterator[list[str]]:
    """Names appended to this list are unregistered after the test, whoever registered them."""
    names: list[str] = []
    yield names
    for name in names:
        unregister_job_kind(name)


@pytest.fixture
def register_kind(forget_kinds: list[str]) -> RegisterKind:
    """Registers job kinds for one test only."""

    def register(
        name: str, handler: JobHandler, *, retry_ladder: tuple[float, ...] | None = None
    ) -> JobKind:
        kind = register_job_kind(name, handler, retry_ladder=retry_ladder)
        forget_kinds.append(name)
        return kind

    return register
