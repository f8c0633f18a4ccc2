"""My mini programs: adding (released apps only, idempotent), the list (one query, most recently
added first, each user's own) and removing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from miniapp.accounts.principal import Principal
from miniapp.apps.models import App
from miniapp.db.session import Database
from miniapp.discovery.favourites import (
    do_add_favourite_app,
    do_remove_favourite_app,
    list_favourite_apps,
)
from miniapp.discovery.recents import ListedApp
from miniapp.errors import UserError
from tests.discovery.entry_helpers import at, counting_statements, make_app, make_user


def add(database: Database, user: Principal, appid: str, minute: int) -> None:
    with database.transaction() as session:
        do_add_favourite_app(session, user=user, appid=appid, now=at(minute))


def remove(database: Database, user: Principal, appid: str) -> None:
    with database.transaction() as session:
        do_remove_favourite_app(session, user=user, appid=appid)


def listed(database: Database, user: Principal) -> list[ListedApp]:
    with database.read() as session:
        return list_favourite_apps(session, user=user)


def names(database: Database, user: Principal) -> list[str]:
    return [app.name for app in listed(database, user)]


def test_the_list_is_most_recently_added_first(database: Database) -> None:
    ana = make_user(database, "ana@example.com")
    cafe, books = make_app(database, "Cafe"), make_app(database, "Books")

    add(database, ana, cafe, 1)
    add(database, ana, books, 2)

    assert listed(database, ana) == [
        ListedApp(appid=books, name="Books", logo=None, at=at(2)),
        ListedApp(appid=cafe, name="Cafe", logo=None, at=at(1)),
    ]


def test_adding_again_changes_nothing(database: Database) -> None:
    ana = make_user(database, "ana@example.com")
    cafe, books = make_app(database, "Cafe"), make_app(database, "Books")
    add(database, ana, cafe, 1)
    add(database, ana, books, 2)

    add(database, ana, cafe, 3)

    assert [(app.name, app.at) for app in listed(database, ana)] == [
        ("Books", at(2)),
        ("Cafe", at(1)),
    ]


@pytest.mark.parametrize("appid", ["draft", "wx0000000000000000", "", "../../x"])
def test_only_a_released_app_can_be_added(database: Database, appid: str) -> None:
    ana = make_user(database, "ana@example.com")
    if appid == "draft":
        appid = make_app(database, "Draft", released=False)

    with pytest.raises(UserError) as raised:
        add(database, ana, appid, 1)

    assert (raised.value.code, raised.value.status_code) == ("app_not_found", 404)
    assert listed(database, ana) == []


def test_the_list_is_read_in_one_query(database: Database) -> None:
    ana = make_user(database, "ana@example.com")
    for minute in range(4):
        add(database, ana, make_app(database, f"App {minute}"), minute)

    with counting_statements(database) as statements:
        assert len(listed(database, ana)) == 4
    assert len(statements) == 1


def test_each_user_has_their_own_favourites_and_removing_touches_only_theirs(
    database: Database,
) -> None:
    ana = make_user(database, "ana@example.com")
    bob = make_user(database, "bob@example.com")
    cafe, books = make_app(database, "Cafe"), make_app(database, "Books")
    add(database, ana, cafe, 1)
    add(database, ana, books, 2)
    add(database, bob, cafe, 3)
    assert names(database, bob) == ["Cafe"]

    remove(database, ana, cafe)
    remove(database, ana, cafe)  # again: nothing to do, no error
    remove(database, ana, "wx0000000000000000")

    assert names(database, ana) == ["Books"]
    assert names(database, bob) == ["Cafe"]


def test_an_app_whose_release_is_withdrawn_leaves_the_list(database: Database) -> None:
    ana = make_user(database, "ana@example.com")
    cafe = make_app(database, "Cafe")
    add(database, ana, cafe, 1)

    with database.transaction() as session:
        session.scalars(select(App).where(App.appid == cafe)).one().released_bundle = None

    assert listed(database, ana) == []
