"""Each user's "Recently used" mini programs: one row per (user, app), moved to the front by
every launch (launches.do_record_launch), at most `MAX_RECENTS` kept.

Only released apps are listed: an app whose release is withdrawn leaves the list (its row stays,
and it comes back with the next release), since tapping it could not open anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from miniapp.accounts.lock_objects import lock_names
from miniapp.accounts.principal import UserRef
from miniapp.apps.models import App
from miniapp.apps.registry import APPID_LOOKUP
from miniapp.db.base import Base
from miniapp.discovery.models import RecentApp

MAX_RECENTS = 50


@dataclass(frozen=True, kw_only=True)
class ListedApp:
    """An app in one of a user's lists, with when it was used (recents) or added (favourites)."""

    appid: str
    name: str
    logo: str | None
    at: datetime


def upsert_statement(session: Session, model: type[Base]) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that can say what to do on a key conflict (`on_conflict_do_update` /
    `on_conflict_do_nothing`): the same ON CONFLICT clause on SQLite and PostgreSQL, settled by
    the database in one statement, so two concurrent writers of one key never collide."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


def do_touch_recent_app(session: Session, *, user_id: int, app_id: int, now: datetime) -> None:
    """Move the app to the front of the user's recents (adding it), then drop the ones past the
    newest `MAX_RECENTS`."""
    # One user's launches are serialised: two trims deleting each other's freshly touched rows
    # in opposite orders would otherwise deadlock on PostgreSQL (SQLite: the write lock does it).
    lock_names(session, f"recent_apps:{user_id}")
    insert = upsert_statement(session, RecentApp).values(
        user_id=user_id, app_id=app_id, used_at=now
    )
    session.execute(
        insert.on_conflict_do_update(
            index_elements=[RecentApp.user_id, RecentApp.app_id],
            set_={"used_at": insert.excluded.used_at},
        )
    )
    kept = (
        select(RecentApp.app_id)
        .where(RecentApp.user_id == user_id)
        .order_by(RecentApp.used_at.desc(), RecentApp.app_id.desc())
        .limit(MAX_RECENTS)
    )
    session.execute(
        delete(RecentApp).where(RecentApp.user_id == user_id, RecentApp.app_id.not_in(kept))
    )


def list_recent_apps(session: Session, *, user: UserRef) -> list[ListedApp]:
    """The user's recently used released apps, most recent first (one query)."""
    rows = session.execute(
        select(App.appid, App.name, App.logo, RecentApp.used_at)
        .join(App, App.id == RecentApp.app_id)
        .where(RecentApp.user_id == user.id, App.released_bundle.is_not(None))
        .order_by(RecentApp.used_at.desc(), RecentApp.app_id.desc())
        .limit(MAX_RECENTS)
    ).all()
    return [ListedApp(appid=r.appid, name=r.name, logo=r.logo, at=r.used_at) for r in rows]


def do_remove_recent_app(session: Session, *, user: UserRef, appid: str) -> None:
    """Take the app off the user's recents. Idempotent: removing an app that is not there (or
    does not exist) does nothing, so the answer never tells whether an appid is registered."""
    if APPID_LOOKUP.fullmatch(appid) is None:
        return
    app_id = select(App.id).where(App.appid == appid).scalar_subquery()
    session.execute(
        delete(RecentApp).where(RecentApp.user_id == user.id, RecentApp.app_id == app_id)
    )
