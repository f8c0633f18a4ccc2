"""Per-app quotas: counted per window, refused over the limit with 45009, shared by concurrent
callers, and not used up by a call that fails."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from miniapp.apps.models import App
from miniapp.db.session import Database
from miniapp.openapi.envelope import OpenApiError
from miniapp.openapi.quotas import Window, do_delete_old_quota_windows, do_take_quota
from miniapp.settings import Settings
from tests.openapi.helpers import add_app_with_secret

T0 = datetime(2026, 12, 1, 8, 0, 30, tzinfo=UTC)


def app_id_of(database: Database, settings: Settings) -> int:

    appid = add_app_with_secret(database, settings, name="Tea").appid
    with database.read() as session:
        found = session.scalar(select(App.id).where(App.appid == appid))
        assert found is not None
        return found


def take(database: Database, app_id: int, now: datetime, limit: int = 3) -> int:
    """0 when the call was counted, else its errcode."""
    try:
        with database.transaction() as session:
            do_take_quota(
                session, app_id=app_id, name="codes", limit=limit, window=Window.MINUTE, now=now
            )
    except OpenApiError as error:
        return error.errcode
    return 0


def test_the_limit_holds_within_a_minute_and_resets_the_next(
    database: Database, settings: Settings
) -> None:
    app_id = app_id_of(database, settings)
    assert [take(database, app_id, T0) for _ in range(4)] == [0, 0, 0, 45009]
    assert take(database, app_id, T0 + timedelta(seconds=29)) == 45009
    assert take(database, app_id, T0 + timedelta(seconds=30)) == 0


def test_a_call_that_fails_later_uses_no_quota(database: Database, settings: Settings) -> None:
    app_id = app_id_of(database, settings)

    def failing_call() -> None:
        with database.transaction() as session:
            do_take_quota(
                session, app_id=app_id, name="codes", limit=1, window=Window.MINUTE, now=T0
            )
            raise RuntimeError("the call failed after counting")

    with pytest.raises(RuntimeError):
        failing_call()
    assert take(database, app_id, T0, limit=1) == 0
    assert take(database, app_id, T0, limit=1) == 45009


def test_concurrent_callers_never_exceed_the_limit(database: Database, settings: Settings) -> None:
    app_id = app_id_of(database, settings)
    results: list[int] = []
    start = threading.Barrier(6)

    def caller() -> None:
        start.wait()
        results.append(take(database, app_id, T0, limit=4))

    threads = [threading.Thread(target=caller) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 0, 0, 0, 45009, 45009]


def test_old_windows_are_pruned_but_lifetime_counts_stay(
    database: Database, settings: Settings
) -> None:
    app_id = app_id_of(database, settings)
    with database.transaction() as session:
        do_take_quota(session, app_id=app_id, name="codes", limit=1, window=Window.MINUTE, now=T0)
        do_take_quota(session, app_id=app_id, name="a+c", limit=1, window=Window.LIFETIME, now=T0)
        do_take_quota(session, app_id=app_id, name="clr", limit=1, window=Window.MONTH, now=T0)
    with database.transaction() as session:
        do_delete_old_quota_windows(session, now=T0 + timedelta(days=3))
    # A month's window is kept while the month can last.
    with pytest.raises(OpenApiError), database.transaction() as session:
        do_take_quota(session, app_id=app_id, name="clr", limit=1, window=Window.MONTH, now=T0)
    with database.transaction() as session:
        do_delete_old_quota_windows(session, now=T0 + timedelta(days=33))
    assert take(database, app_id, T0, limit=1) == 0  # the minute's count was pruned
    with pytest.raises(OpenApiError), database.transaction() as session:
        do_take_quota(session, app_id=app_id, name="a+c", limit=1, window=Window.LIFETIME, now=T0)


def test_callers_racing_to_open_a_window_are_all_counted(
    database: Database, settings: Settings
) -> None:
    """The first calls of a window race to create its row; whichever loses must still be
    counted, not refused (a caller that saw no row, then found one made meanwhile, was refused
    with 45009 far under the limit)."""
    app_id = app_id_of(database, settings)
    for minute in range(30):
        at = T0 + timedelta(minutes=minute)
        results: list[int] = []
        start = threading.Barrier(4)

        def caller(
            at: datetime = at, results: list[int] = results, start: threading.Barrier = start
        ) -> None:
            start.wait()
            results.append(take(database, app_id, at, limit=100))

        threads = [threading.Thread(target=caller) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == [0, 0, 0, 0], (minute, results)
