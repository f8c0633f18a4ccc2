"""do_record_launch: what is recorded (released apps; builds for their members), the checks on
the scene and page, and the recents it moves (race-safe, at most 50)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, func, select

from miniapp.accounts.principal import Principal
from miniapp.db.session import Database
from miniapp.discovery.launches import do_record_launch
from miniapp.discovery.models import AppLaunch, RecentApp
from miniapp.discovery.recents import MAX_RECENTS, list_recent_apps
from miniapp.errors import InvalidInput
from tests.discovery.entry_helpers import (
    at,
    launches,
    make_app,
    make_trial_app,
    make_user,
)


def record(
    database: Database,
    *,
    user: Principal | None,
    appid: str,
    scene: int = 1001,
    path: str = "",
    hot: bool = False,
    build: str | None = None,
    minute: int = 0,
) -> None:
    with database.transaction() as session:
        do_record_launch(
            session,
            user=user,
            appid=appid,
            scene=scene,
            path=path,
            hot=hot,
            build=build,
            now=at(minute),
        )


def recents(database: Database, user: Principal) -> list[tuple[str, int]]:
    with database.read() as session:
        listed = list_recent_apps(session, user=user)
    return [(app.name, int((app.at - at(0)).total_seconds() // 60)) for app in listed]


def refused(database: Database, **launch: object) -> InvalidInput:
    with pytest.raises(InvalidInput) as raised:
        record(database, **launch)  # type: ignore[arg-type]
    assert raised.value.code == "launch_invalid"
    assert raised.value.status_code == 422
    return raised.value


def test_a_signed_out_launch_is_recorded_without_a_user_and_touches_no_recents(
    database: Database,
) -> None:
    appid = make_app(database, "Cafe")

    record(database, user=None, appid=appid, scene=1047, path="/pages/menu/menu", hot=False)

    assert launches(database) == [(None, 1047, "pages/menu/menu", False)]
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(RecentApp)) == 0


def test_each_launch_of_a_signed_in_user_moves_the_app_to_the_front_of_their_recents(
    database: Database,
) -> None:
    ana = make_user(database, "ana@example.com")
    cafe, books = make_app(database, "Cafe"), make_app(database, "Books")

    record(database, user=ana, appid=cafe, minute=1)
    record(database, user=ana, appid=books, minute=2)
    assert recents(database, ana) == [("Books", 2), ("Cafe", 1)]

    record(database, user=ana, appid=cafe, scene=1089, hot=True, minute=3)
    assert recents(database, ana) == [("Cafe", 3), ("Books", 2)]
    assert launches(database) == [
        (ana.id, 1001, "", False),
        (ana.id, 1001, "", False),
        (ana.id, 1089, "", True),
    ]


def test_an_unknown_unreleased_or_malformed_app_is_refused_and_nothing_is_recorded(
    database: Database,
) -> None:
    ana = make_user(database, "ana@example.com")
    draft = make_app(database, "Draft", released=False)

    for appid in (draft, "wx0000000000000000", "", "x" * 33, "../apps"):
        assert refused(database, user=ana, appid=appid).field == "appid"

    assert launches(database) == []
    assert recents(database, ana) == []


@pytest.mark.parametrize("scene", [0, 999, 10000, -1001])
def test_a_scene_outside_1000_to_9999_is_refused(database: Database, scene: int) -> None:
    appid = make_app(database, "Cafe")

    assert refused(database, user=None, appid=appid, scene=scene).field == "scene"
    assert launches(database) == []


def test_the_first_and_last_scenes_are_accepted(database: Database) -> None:
    appid = make_app(database, "Cafe")

    record(database, user=None, appid=appid, scene=1000)
    record(database, user=None, appid=appid, scene=9999)

    assert [scene for _user, scene, _path, _hot in launches(database)] == [1000, 9999]


def test_an_overlong_page_is_refused(database: Database) -> None:
    appid = make_app(database, "Cafe")

    assert refused(database, user=None, appid=appid, path="p/" * 129).field == "path"


def test_a_members_trial_launch_is_recorded_but_not_put_in_recents(database: Database) -> None:
    """The recents entry opens the release, which this app does not have."""
    tess = make_user(database, "tess@example.com")
    appid = make_trial_app(database, "Preview", tester_id=tess.id)

    record(database, user=tess, appid=appid, build="trial", scene=1001)

    assert launches(database) == [(tess.id, 1001, "", False)]
    assert recents(database, tess) == []


def test_a_build_is_refused_to_anyone_who_may_not_open_it(database: Database) -> None:
    tess = make_user(database, "tess@example.com")
    outsider = make_user(database, "out@example.com")
    appid = make_trial_app(database, "Preview", tester_id=tess.id)

    for user in (outsider, None):
        assert refused(database, user=user, appid=appid, build="trial").field == "appid"
    assert refused(database, user=tess, appid=appid, build="not-a-version").field == "appid"
    assert launches(database) == []


def test_recents_keep_the_newest_fifty_and_drop_older_rows(database: Database) -> None:
    ana = make_user(database, "ana@example.com")
    bob = make_user(database, "bob@example.com")
    appids = [make_app(database, f"App {n:02d}") for n in range(MAX_RECENTS + 1)]
    record(database, user=bob, appid=appids[0], minute=0)

    for minute, appid in enumerate(appids, start=1):
        record(database, user=ana, appid=appid, minute=minute)

    listed = recents(database, ana)
    assert len(listed) == MAX_RECENTS
    assert listed[0] == (f"App {MAX_RECENTS:02d}", MAX_RECENTS + 1)
    assert listed[-1] == ("App 01", 2)
    with database.read() as session:
        kept = session.scalar(
            select(func.count()).select_from(RecentApp).where(RecentApp.user_id == ana.id)
        )
    assert kept == MAX_RECENTS  # the oldest row is gone, not merely hidden
    assert recents(database, bob) == [("App 00", 0)]  # another user's list is not trimmed


def test_two_launches_of_one_app_by_one_user_at_the_same_time_both_count(
    database: Database,
) -> None:
    """The second launch starts while the first one's transaction is still open, with the
    first's recents row written and not committed: it waits for it and then updates that row
    (no duplicate-key failure). The first commits only once the second is about to wait."""
    ana = make_user(database, "ana@example.com")
    appid = make_app(database, "Cafe")
    # Where the second launch may meet the first: its lock (or, without one, its read or write
    # of the recents row) on PostgreSQL; the write lock its transaction begins with on SQLite.
    meets = (
        ("pg_advisory_xact_lock", "recent_apps")
        if database.engine.dialect.name == "postgresql"
        else ("BEGIN",)
    )
    second_thread: dict[str, int] = {}
    second_waiting = threading.Event()
    failures: list[BaseException] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if second_thread.get("id") == threading.get_ident() and any(m in statement for m in meets):
            second_waiting.set()

    def second() -> None:
        second_thread["id"] = threading.get_ident()
        try:
            record(database, user=ana, appid=appid, scene=1089, hot=True, minute=2)
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    event.listen(database.engine, "before_cursor_execute", seen)
    thread = threading.Thread(target=second)
    try:
        with database.transaction() as session:
            do_record_launch(
                session,
                user=ana,
                appid=appid,
                scene=1001,
                path="",
                hot=False,
                build=None,
                now=at(1),
            )
            thread.start()
            assert second_waiting.wait(10)
        thread.join(10)
    finally:
        event.remove(database.engine, "before_cursor_execute", seen)
    assert not thread.is_alive()
    assert failures == []
    assert sorted(launches(database)) == [(ana.id, 1001, "", False), (ana.id, 1089, "", True)]
    assert recents(database, ana) == [("Cafe", 2)]
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(AppLaunch)) == 2
