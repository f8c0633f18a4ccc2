"""Users and apps for the launch, recents and favourites tests, made directly in the database.

A released app here points at a bundle id that is never stored: these tests record and list
entries, they never start the app.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, select

from miniapp.accounts.models import Membership, Organisation, OrgRole
from miniapp.accounts.principal import Principal
from miniapp.accounts.users import do_sign_up
from miniapp.apps.models import AppVersion, VersionState
from miniapp.apps.registry import do_register_app, do_release_bundle
from miniapp.db.session import Database
from miniapp.discovery.models import AppLaunch

BUNDLE = "0123456789abcdef0123"
T0 = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def make_user(database: Database, login: str) -> Principal:
    """A signed-up user, as a request sees them."""
    with database.transaction() as session:
        user = do_sign_up(
            session,
            login=login,
            password="correct-horse-42",
            display_name=login.partition("@")[0].title(),
            password_hash="not-used-here",
        )
        return Principal.of(user)


def make_app(database: Database, name: str, *, released: bool = True) -> str:
    """A registered app named `name`, released unless told otherwise; its appid."""
    with database.transaction() as session:
        app = do_register_app(session, name=name)
        if released:
            do_release_bundle(session, app=app, bundle_id=BUNDLE)
        return app.appid


def make_trial_app(database: Database, name: str, *, tester_id: int) -> str:
    """An unreleased app of an organisation whose tester is user `tester_id`, with a trial
    version."""
    with database.transaction() as session:
        organisation = Organisation(name=f"{name} Ltd", created_by_id=tester_id)
        session.add(organisation)
        session.flush()
        session.add(
            Membership(organisation_id=organisation.id, user_id=tester_id, role=OrgRole.TESTER)
        )
        app = do_register_app(session, name=name, organisation=organisation)
        session.add(
            AppVersion(
                app_id=app.id,
                version="1.0.0",
                bundle_id=BUNDLE,
                source_key="00/" + "0" * 32,
                size_bytes=1,
                state=VersionState.DEVELOPMENT.value,
                is_trial=True,
            )
        )
        return app.appid


def launches(database: Database) -> list[tuple[int | None, int, str, bool]]:
    """Every recorded launch as (user id, scene, path, hot), oldest first."""
    with database.read() as session:
        rows = session.execute(
            select(AppLaunch.user_id, AppLaunch.scene, AppLaunch.path, AppLaunch.hot).order_by(
                AppLaunch.id
            )
        ).all()
    return [(row.user_id, row.scene, row.path, row.hot) for row in rows]


@contextmanager
def counting_statements(database: Database) -> Iterator[list[str]]:
    """The SQL statements run meanwhile (the read sessions' engine fires the engine's events)."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
