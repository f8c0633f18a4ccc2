"""Recently used: the list (one query, most recent first, released apps only, each user's own),
removing from it, and the upsert that launches use."""

from __future__ import annotations

from sqlalchemy import select

from miniapp.accounts.principal import Principal
from miniapp.apps.models import App
from miniapp.db.session import Database
from miniapp.discovery.recents import (
    ListedApp,
    do_remove_recent_app,
    do_touch_recent_app,
    list_recent_apps,
)
from tests.discovery.entry_helpers import at, counting_statements, make_app, make_user


def app_id(database: Database, appid: str) -> int:
    with database.read() as session:
        return session.scalars(select(App.id).where(App.appid == appid)).one()


def touch(database: Database, user: Principal, appid: str, minute: int) -> None:
    with database.transaction() as session:
        do_touch_recent_app(
            session, user_id=user.id, app_id=app_id(database, appid), now=at(minute)
        )


def listed(database: Database, user: Principal) -> list[ListedApp]:
    with database.read() as session:
        return list_recent_apps(session, user=user)


def test_the_list_is_most_recent_first_with_names_logos_and_times(database: Database) -> None:
    ana = make_user(database, "ana@example.com")
    cafe, books = make_app(database, "Cafe"), make_app(database, "Books")
    with database.transaction() as session:
        session.scalars(select(App).where(App.appid == books)).one().logo = "abc.png"

    touch(database, ana, cafe, 1)
    touch(database, ana, books, 2)

    assert listed(database, ana) == [
        ListedApp(appid=books, name="Books", logo="abc.png", at=at(2)),
        ListedApp(appid=cafe, name="Cafe", logo=None, at=at(1)),
    ]
    touch(database, ana, cafe, 3)
    assert [app.name for app in listed(database, ana)] == ["Cafe", "Books"]


def test_the_list_is_read_in_one_query_whatever_its_length(database: Database) -> None:
    ana = make_user(database, "ana@example.com")
    for minute in range(5):
        touch(database, ana, make_app(database, f"App {minute}"), minute)

    with counting_statements(database) as statements:
        assert len(listed(database, ana)) == 5
    assert len(statements) == 1


def test_an_app_whose_release_is_withdrawn_leaves_the_list(database: Database) -> None:
    ana = make_user(database, "ana@example.com")
    cafe, books = make_app(database, "Cafe"), make_app(database, "Books")
    touch(database, ana, cafe, 1)
    touch(database, ana, books, 2)

    with database.transaction() as session:
        session.scalars(select(App).where(App.appid == books)).one().released_bundle = None

    assert [app.name for app in listed(database, ana)] == ["Cafe"]


def test_each_user_sees_only_their_own_recents(database: Database) -> None:
    ana = make_user(database, "ana@example.com")
    bob = make_user(database, "bob@example.com")
    cafe, books = make_app(database, "Cafe"), make_app(database, "Books")
    touch(database, ana, cafe, 1)
    touch(database, bob, books, 2)

    assert [app.name for app in listed(database, ana)] == ["Cafe"]
    assert [app.name for app in listed(database, bob)] == ["Books"]


def test_removing_takes_the_app_off_this_users_list_only_and_may_be_repeated(
    database: Database,
) -> None:
    ana = make_user(database, "ana@example.com")
    bob = make_user(database, "bob@example.com")
    cafe, books = make_app(database, "Cafe"), make_app(database, "Books")
    touch(database, ana, cafe, 1)
    touch(database, ana, books, 2)
    touch(database, bob, cafe, 3)

    for _ in range(2):
        with database.transaction() as session:
            do_remove_recent_app(session, user=ana, appid=cafe)

    assert [app.name for app in listed(database, ana)] == ["Books"]
    assert [app.name for app in listed(database, bob)] == ["Cafe"]


def test_removing_an_unknown_app_does_nothing_and_a_malformed_one_asks_nothing(
    database: Database,
) -> None:
    ana = make_user(database, "ana@example.com")
    cafe = make_app(database, "Cafe")
    touch(database, ana, cafe, 1)

    with database.transaction() as session:
        do_remove_recent_app(session, user=ana, appid="wx0000000000000000")
    with counting_statements(database) as statements, database.read() as session:
        do_remove_recent_app(session, user=ana, appid="../../etc/passwd")
    assert statements == []
    assert [app.name for app in listed(database, ana)] == ["Cafe"]
