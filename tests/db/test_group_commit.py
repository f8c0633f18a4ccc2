"""Database.run_raw: the work of concurrent requests shares one transaction on SQLite (group
commit) without sharing each other's failures, never sleeps on the event loop for the write
lock, and runs in a worker thread on PostgreSQL."""

from __future__ import annotations

import asyncio
import secrets
import shutil
import sqlite3
import threading
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import bindparam, select, update

from miniapp.apps.models import App
from miniapp.apps.registry import do_register_app
from miniapp.db.group_commit import GroupCommit
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


async def _never_falls_back(_work: object) -> object:
    raise AssertionError("nothing else holds the write lock here")


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


def _name_in_the_database_file(database: Database, appid: str, scratch: Path) -> str:
    """The app's name as the database file alone holds it: what checkpoints have copied there
    from the WAL (a copy of the file, opened without its WAL)."""
    assert database.engine.url.database is not None
    copy = scratch / f"copy-{secrets.token_hex(4)}.sqlite3"
    shutil.copyfile(database.engine.url.database, copy)
    with closing(sqlite3.connect(copy)) as connection:
        [(name,)] = connection.execute("SELECT name FROM apps WHERE appid = ?", (appid,))
    return str(name)


def _checkpoint(database: Database, mode: str) -> tuple[int, int, int]:
    """A checkpoint from a connection of the pool: (busy, pages in the WAL, pages copied)."""
    pooled = database.engine.raw_connection()
    try:
        [answer] = pooled.dbapi_connection.execute(f"PRAGMA wal_checkpoint({mode})").fetchall()
        return tuple(answer)  # type: ignore[return-value]
    finally:
        pooled.close()


# About 1 200 pages: past the 1000 pages of WAL at which SQLite has the committing connection
# checkpoint, under the loop's own 10 000.
LARGE_NAME = "L" * 5_000_000


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_the_loops_commits_leave_checkpoints_to_a_worker_thread(
    database: Database, tmp_path: Path
) -> None:
    [appid] = _apps(database, 1)
    _checkpoint(database, "TRUNCATE")  # all so far into the file: the copies below start there
    group = GroupCommit(database.engine, fallback=_never_falls_back, checkpoint_every=2)

    async def commits() -> tuple[str, str]:
        await group.run(_rename(appid, LARGE_NAME))  # type: ignore[arg-type]
        after_one = _name_in_the_database_file(database, appid, tmp_path)
        await group.run(_rename(appid, "Second"))  # type: ignore[arg-type]
        assert group.checkpointing is not None  # the second commit started one, off the loop
        await group.checkpointing
        return after_one, _name_in_the_database_file(database, appid, tmp_path)

    try:
        after_one, after_two = asyncio.run(commits())
    finally:
        group.close()
    assert after_one == "App 0"  # the large commit did not checkpoint on the loop
    assert after_two == "Second"  # the worker thread's checkpoint copied both commits
    assert _names(database) == {appid: "Second"}


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
def test_past_its_bound_the_loop_checkpoints_and_the_wal_starts_over(
    database: Database, tmp_path: Path
) -> None:
    """The worker thread's checkpoints alone never let SQLite start the WAL over under a steady
    load: past `wal_pages` the loop's connection checkpoints itself, and the WAL starts over."""
    large, small = _apps(database, 2)
    _checkpoint(database, "TRUNCATE")
    group = GroupCommit(
        database.engine, fallback=_never_falls_back, checkpoint_every=1000, wal_pages=100
    )

    async def commits() -> str:
        await group.run(_rename(large, LARGE_NAME))  # type: ignore[arg-type]
        in_the_file = _name_in_the_database_file(database, large, tmp_path)
        await group.run(_rename(small, "Second"))  # type: ignore[arg-type]
        return in_the_file

    try:
        in_the_file = asyncio.run(commits())
    finally:
        group.close()
    assert in_the_file == LARGE_NAME  # copied by the loop's own commit, past 100 pages
    _busy, wal_pages, _copied = _checkpoint(database, "PASSIVE")
    assert wal_pages < 100  # the second commit started the WAL over: its own pages only
