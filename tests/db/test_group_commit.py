"""Database.run_raw: the work of concurrent requests shares one transaction on SQLite (group
commit) without sharing each other's failures, never sleeps on the event loop for the write
lock, and runs in a worker thread on PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, select, update

from miniapp.apps.models import App
from miniapp.apps.registry import do_register_app
from miniapp.db.raw_statements import RawConnection
from miniapp.db.session import Database
from miniapp.db.types import UTCDateTime

T0 = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
_RENAME = (
    update(App)
    .where(App.appid == bindparam("target"))
    .values(name=bindparam("new_name"), updated_at=bindparam("now", type_=UTCDateTime()))
)


def _apps(database: Database, count: int) -> list[str]:
    with database.transaction() as session:
        apps = [do_register_app(session, name=f"App {n}") for n in range(count)]
        session.flush()
        return [app.appid for app in apps]


def _names(database: Database) -> dict[str, str]:
    with database.read() as session:
        return {row.appid: row.name for row in session.execute(select(App.appid, App.name))}


def _rename(appid: str, name: str, *, fail: bool = False) -> object:
    def work(connection: RawConnection) -> str:
        connection.execute(_RENAME, {"target": appid, "new_name": name, "now": T0})
        if fail:
            raise LookupError(f"{appid} refused after writing")
        return threading.current_thread().name

    return work


def test_concurrent_work_is_kept_or_undone_each_on_its_own(database: Database) -> None:
    appids = _apps(database, 4)

    async def requests() -> list[object]:
        return await asyncio.gather(
            *(
                database.run_raw(_rename(appid, f"Renamed {n}", fail=n == 2), inline=True)  # type: ignore[arg-type]
                for n, appid in enumerate(appids)
            ),
            return_exceptions=True,
        )

    answers = asyncio.run(requests())
    assert isinstance(answers[2], LookupError)
    assert all(isinstance(answer, str) for n, answer in enumerate(answers) if n != 2)
    assert _names(database) == {
        appids[0]: "Renamed 0",
        appids[1]: "Renamed 1",
        appids[2]: "App 2",  # its write was undone with it
        appids[3]: "Renamed 3",
    }
    on_loop = database.dialect == "sqlite"  # PostgreSQL: a worker thread
    assert all((answer == "MainThread") is on_loop for n, answer in enumerate(answers) if n != 2)


# Group commit is SQLite's (PostgreSQL runs each call in a transaction of its own, in a thread).
@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_work_handed_in_over_a_few_passes_of_the_loop_shares_one_commit(
    database: Database,
) -> None:
    appids = _apps(database, 1)

    def seen_by_another_connection(_connection: RawConnection) -> str:
        return _names(database)[appids[0]]

    async def handed_in_later(passes: int) -> str:
        for _ in range(passes):  # as a request still going through the middlewares
            await asyncio.sleep(0)
        return await database.run_raw(seen_by_another_connection, inline=True)

    async def requests() -> list[object]:
        return await asyncio.gather(
            database.run_raw(_rename(appids[0], "First"), inline=True),  # type: ignore[arg-type]
            handed_in_later(2),
        )

    # The second request joined the first one's transaction: the rename is not committed yet.
    assert asyncio.run(requests()) == ["MainThread", "App 0"]
    assert _names(database) == {appids[0]: "First"}


def test_a_held_lock_moves_the_work_off_the_event_loop(database: Database) -> None:
    [appid] = _apps(database, 1)

    async def scenario() -> object:
        # Another transaction holds the lock the request needs: SQLite's write lock (taken by
        # BEGIN IMMEDIATE), PostgreSQL's lock on the app's row.
        with database.engine.connect() as holder:
            holder.begin()
            holder.execute(_RENAME, {"target": appid, "new_name": "Held", "now": T0})
            request = asyncio.create_task(
                database.run_raw(_rename(appid, "After the lock"), inline=True)  # type: ignore[arg-type]
            )
            for _ in range(50):  # the loop keeps serving while the request waits
                await asyncio.sleep(0)
            assert not request.done()
            holder.commit()
        return await request

    thread_name = asyncio.run(scenario())
    assert thread_name != "MainThread"
    assert _names(database) == {appid: "After the lock"}
