"""Each user's "My mini programs": the apps they added from the capsule's ··· menu.

Only released apps can be added (an unreleased one is as unknown as an unregistered appid) and
only released apps are listed, as for recents.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from miniapp.accounts.principal import UserRef
from miniapp.apps.models import App
from miniapp.apps.registry import APPID_LOOKUP, access_launchable_app
from miniapp.discovery.models import FavouriteApp
from miniapp.discovery.recents import ListedApp, upsert_statement


def list_favourite_apps(session: Session, *, user: UserRef) -> list[ListedApp]:
    """The user's favourite released apps, most recently added first (one query)."""
    rows = session.execute(
        select(App.appid, App.name, App.logo, FavouriteApp.added_at)
        .join(App, App.id == FavouriteApp.app_id)
        .where(FavouriteApp.user_id == user.id, App.released_bundle.is_not(None))
        .order_by(FavouriteApp.added_at.desc(), FavouriteApp.app_id.desc())
    ).all()
    return [ListedApp(appid=r.appid, name=r.name, logo=r.logo, at=r.added_at) for r in rows]


def do_add_favourite_app(session: Session, *, user: UserRef, appid: str, now: datetime) -> None:
    """Add a released app to the user's favourites; `app_not_found` (404) for any other appid.
    Idempotent: adding it again keeps its place (when it was first added)."""
    app = access_launchable_app(session, appid=appid)
    insert = upsert_statement(session, FavouriteApp).values(
        user_id=user.id, app_id=app.id, added_at=now
    )
    session.execute(
        insert.on_conflict_do_nothing(index_elements=[FavouriteApp.user_id, FavouriteApp.app_id])
    )


def do_remove_favourite_app(session: Session, *, user: UserRef, appid: str) -> None:
    """Take the app out of the user's favourites. Idempotent, and silent about unknown appids."""
    if APPID_LOOKUP.fullmatch(appid) is None:
        return
    app_id = select(App.id).where(App.appid == appid).scalar_subquery()
    session.execute(
        delete(FavouriteApp).where(FavouriteApp.user_id == user.id, FavouriteApp.app_id == app_id)
    )
