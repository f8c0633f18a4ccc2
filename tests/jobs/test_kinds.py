"""The registry of job kinds and what a handler is told about its run."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pytest

from miniapp.jobs import (
    DEFAULT_RETRY_LADDER,
    JobContext,
    UnknownJobKindError,
    Worker,
    do_enqueue_job,
    find_job_kind,
    get_job_kind,
    job_kind,
    registered_job_kinds,
    retry_ladder_for,
    unregister_job_kind,
)

if TYPE_CHECKING:
    from miniapp.db.session import Database
    from tests.jobs.conftest import FakeClock, RegisterKind


def _noop(ctx: JobContext, payload: dict[str, Any]) -> None:
    del ctx, payload


def test_job_kind_decorator_registers_the_handler_and_returns_it_unchanged(
    forget_kinds: list[str],
) -> None:
    forget_kinds.append("tests.decorated")

    @job_kind("tests.decorated", retry_ladder=(15, 15, 30, 180))
    def handler(ctx: JobContext, payload: dict[str, Any]) -> None:
        del ctx, payload

    kind = get_job_kind("tests.decorated")
    assert kind.handler is handler
    assert kind.retry_ladder == (15.0, 15.0, 30.0, 180.0)
    assert kind.max_attempts == 5
    assert "tests.decorated" in registered_job_kinds()


def test_a_kind_without_a_ladder_gets_the_default_one(
    register_kind: RegisterKind,
) -> None:
    kind = register_kind("tests.default", _noop)
    assert kind.retry_ladder == DEFAULT_RETRY_LADDER
    assert kind.max_attempts == len(DEFAULT_RETRY_LADDER) + 1
    assert retry_ladder_for("tests.default") == DEFAULT_RETRY_LADDER


def test_an_empty_ladder_means_a_single_attempt(register_kind: RegisterKind) -> None:
    assert register_kind("tests.once", _noop, retry_ladder=()).max_attempts == 1


def test_registering_a_name_twice_is_refused_unless_it_is_the_same_registration(
    register_kind: RegisterKind,
) -> None:
    first = register_kind("tests.twice", _noop, retry_ladder=(1,))
    assert register_kind("tests.twice", _noop, retry_ladder=(1,)) == first

    def other(ctx: JobContext, payload: dict[str, Any]) -> None:
        del ctx, payload

    with pytest.raises(ValueError, match=r"already registered"):
        register_kind("tests.twice", other, retry_ladder=(1,))
    with pytest.raises(ValueError, match=r"already registered"):
        register_kind("tests.twice", _noop, retry_ladder=(2,))
    assert get_job_kind("tests.twice") == first


@pytest.mark.parametrize("ladder", [(-1,), (10, math.inf), (math.nan,)])
def test_bad_retry_delays_are_refused(
    register_kind: RegisterKind, ladder: tuple[float, ...]
) -> None:
    with pytest.raises(ValueError, match=r"retry delays"):
        register_kind("tests.bad_ladder", _noop, retry_ladder=ladder)
    assert find_job_kind("tests.bad_ladder") is None


@pytest.mark.parametrize("name", ["", "x" * 65])
def test_bad_names_are_refused(register_kind: RegisterKind, name: str) -> None:
    with pytest.raises(ValueError, match=r"1 to 64 characters"):
        register_kind(name, _noop)


def test_unknown_kinds_raise_a_clear_error_and_use_the_default_ladder(
    register_kind: RegisterKind,
) -> None:
    register_kind("tests.gone", _noop, retry_ladder=(1, 2))
    unregister_job_kind("tests.gone")
    assert find_job_kind("tests.gone") is None
    with pytest.raises(UnknownJobKindError, match=r"no handler is registered for job kind"):
        get_job_kind("tests.gone")
    assert retry_ladder_for("tests.gone") == DEFAULT_RETRY_LADDER
    unregister_job_kind("tests.gone")  # forgetting an unknown kind is harmless


def test_the_handler_gets_the_database_job_id_attempt_and_clock(
    database: Database, clock: FakeClock, register_kind: RegisterKind
) -> None:
    seen: list[tuple[JobContext, dict[str, Any]]] = []

    def handler(ctx: JobContext, payload: dict[str, Any]) -> None:
        seen.append((ctx, payload))
        if ctx.attempt == 1:
            raise RuntimeError("try again")

    register_kind("tests.context", handler, retry_ladder=(10,))
    with database.transaction() as session:
        job = do_enqueue_job(session, kind="tests.context", payload={"order": "o-1", "n": [1, 2]})

    worker = Worker(database, clock=clock)
    assert worker.run_once() == 1
    clock.advance(10)
    assert worker.run_once() == 1

    assert [ctx.attempt for ctx, _ in seen] == [1, 2]
    for ctx, payload in seen:
        assert ctx.database is database
        assert ctx.job_public_id == job.public_id
        assert ctx.kind == "tests.context"
        assert ctx.max_attempts == 2
        assert ctx.clock() == clock.now
        assert payload == {"order": "o-1", "n": [1, 2]}
    assert [ctx.is_last_attempt for ctx, _ in seen] == [False, True]
