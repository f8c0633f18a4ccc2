"""consent/consents.py on the database: decisions remembered and replaced, accesses only for
granted scopes, and the privacy list's order (one query)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from miniapp.accounts.principal import Principal
from miniapp.apps.models import App
from miniapp.consent.consents import (
    check_access_what,
    check_scope,
    do_decide_consent,
    do_record_access,
    list_auth_setting,
    list_privacy,
)
from miniapp.db.session import Database
from miniapp.errors import UserError
from tests.discovery.entry_helpers import at, counting_statements, make_app, make_user


def app_id(database: Database, appid: str) -> int:
    with database.read() as session:
        return session.scalars(select(App.id).where(App.appid == appid)).one()


def decide(
    database: Database, user: Principal, app: int, scope: str, *, granted: bool, minute: int
) -> None:
    with database.transaction() as session:
        do_decide_consent(
            session, user=user, app_id=app, scope=scope, granted=granted, now=at(minute)
        )


def access(database: Database, user: Principal, app: int, what: str, minute: int) -> None:
    with database.transaction() as session:
        do_record_access(session, user=user, app_id=app, what=what, now=at(minute))


def test_scopes_and_accesses_are_checked() -> None:
    assert check_scope("scope.userLocation") == "scope.userLocation"
    assert check_access_what("userProfile") == "userProfile"
    for bad in ("scope.everything", "userProfile", ""):
        with pytest.raises(UserError) as refused:
            check_scope(bad)
        assert (refused.value.code, refused.value.status_code) == ("consent_scope_unknown", 422)
    with pytest.raises(UserError):
        check_access_what("scope.nope")


def test_a_decision_is_remembered_and_replaced_per_user_and_app(database: Database) -> None:
    ana, bob = make_user(database, "ana@example.com"), make_user(database, "bob@example.com")
    tea, books = (
        app_id(database, make_app(database, "Tea")),
        app_id(database, make_app(database, "Books")),
    )
    decide(database, ana, tea, "scope.userLocation", granted=True, minute=1)
    decide(database, ana, tea, "scope.camera", granted=False, minute=2)
    decide(database, ana, tea, "scope.userLocation", granted=False, minute=3)
    with database.read() as session:
        assert list_auth_setting(session, user=ana, app_id=tea) == {
            "scope.camera": False,
            "scope.userLocation": False,
        }
        assert list_auth_setting(session, user=ana, app_id=books) == {}
        assert list_auth_setting(session, user=bob, app_id=tea) == {}


def test_an_access_needs_the_scope_granted_but_user_profile_needs_none(database: Database) -> None:
    ana = make_user(database, "ana@example.com")
    tea = app_id(database, make_app(database, "Tea"))
    with pytest.raises(UserError) as refused:
        access(database, ana, tea, "scope.userLocation", 1)
    assert (refused.value.code, refused.value.status_code) == ("consent_not_granted", 409)
    decide(database, ana, tea, "scope.userLocation", granted=False, minute=2)
    with pytest.raises(UserError):
        access(database, ana, tea, "scope.userLocation", 3)
    access(database, ana, tea, "userProfile", 4)
    with database.read() as session:
        assert [a.what for entry in list_privacy(session, user=ana) for a in entry.accesses] == [
            "userProfile"
        ]


def test_privacy_lists_apps_by_latest_access_each_most_recent_first_in_one_query(
    database: Database,
) -> None:
    ana, bob = make_user(database, "ana@example.com"), make_user(database, "bob@example.com")
    tea, books = (
        app_id(database, make_app(database, "Tea")),
        app_id(database, make_app(database, "Books")),
    )
    for app in (tea, books):
        decide(database, ana, app, "scope.userLocation", granted=True, minute=0)
    decide(database, bob, tea, "scope.userLocation", granted=True, minute=0)
    access(database, ana, tea, "scope.userLocation", 1)
    access(database, ana, books, "userProfile", 2)
    access(database, ana, tea, "userProfile", 3)
    access(database, bob, books, "userProfile", 4)
    with counting_statements(database) as statements, database.read() as session:
        listed = list_privacy(session, user=ana)
    assert len(statements) == 1
    assert [(entry.name, [(a.what, a.at) for a in entry.accesses]) for entry in listed] == [
        ("Tea", [("userProfile", at(3)), ("scope.userLocation", at(1))]),
        ("Books", [("userProfile", at(2))]),
    ]


def test_an_album_pick_is_recorded_without_a_scope_and_album_is_no_scope(
    database: Database,
) -> None:
    # The user's own pick in the file chooser is the consent: nothing to grant first.
    ana = make_user(database, "ana@example.com")
    tea = app_id(database, make_app(database, "Tea"))
    assert check_access_what("album") == "album"
    with pytest.raises(UserError):
        check_scope("album")
    access(database, ana, tea, "album", 1)
    with database.read() as session:
        assert list_auth_setting(session, user=ana, app_id=tea) == {}
        assert [a.what for entry in list_privacy(session, user=ana) for a in entry.accesses] == [
            "album"
        ]
