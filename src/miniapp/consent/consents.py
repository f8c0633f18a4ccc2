"""Consent as WeChat keeps it (docs/consent.md): per user, app and scope, the user's remembered
decision; and the record of what each app accessed, which Me → Privacy lists.

Only an app the user may open (its release, or a build they may open) has consents: anything
else is `app_not_found` (404), exactly as an appid nobody registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from miniapp.accounts.principal import UserRef
from miniapp.apps.models import App
from miniapp.apps.registry import access_launchable_app, find_app
from miniapp.apps.versions import access_launch_build
from miniapp.consent.models import AppAccessEvent, AppConsent
from miniapp.discovery.recents import upsert_statement
from miniapp.errors import Conflict, InvalidInput, UserError

# WeChat's scopes (wechat-framework.md, "Authorisation").
SCOPES = frozenset(
    {
        "scope.userInfo",
        "scope.userLocation",
        "scope.userFuzzyLocation",
        "scope.address",
        "scope.invoice",
        "scope.invoiceTitle",
        "scope.werun",
        "scope.record",
        "scope.writePhotosAlbum",
        "scope.camera",
        "scope.bluetooth",
        "scope.addPhoneContact",
        "scope.addPhoneCalendar",
    }
)
# `wx.getUserProfile` asks every time, so it is no scope; its uses are recorded all the same.
USER_PROFILE = "userProfile"
# wx.chooseImage / wx.chooseMedia from the album: the user's own pick is the consent (no scope),
# recorded so Me → Privacy shows what an app took from the album.
ALBUM = "album"
# The phone-number button asks every time; identity/phones.py records each grant it makes.
PHONE_NUMBER = "phoneNumber"
# Accesses the user agreed to at the moment itself, without a remembered scope.
UNGATED = frozenset({USER_PROFILE, ALBUM, PHONE_NUMBER})
PRIVACY_LIMIT = 200


@dataclass(frozen=True, slots=True)
class Access:
    what: str
    at: datetime


@dataclass(frozen=True, slots=True)
class AppAccesses:
    """One app's accesses on Me → Privacy, most recent first."""

    appid: str
    name: str
    logo: str | None
    accesses: list[Access]


def check_scope(raw: str) -> str:
    """One of WeChat's scopes; `consent_scope_unknown` (422) otherwise."""
    if raw not in SCOPES:
        raise InvalidInput("consent_scope_unknown", field="scope")
    return raw


def check_access_what(raw: str) -> str:
    """What an access names: a scope, `userProfile` or `album`."""
    if raw in UNGATED:
        return raw
    if raw not in SCOPES:
        raise InvalidInput("consent_scope_unknown", field="what")
    return raw


def access_consent_app(session: Session, *, user: UserRef, appid: str, build: str | None) -> App:
    """The app `user` may open from the host: its release (`build` None) or a build they may
    open. Anything else is `app_not_found` (404)."""
    if build is None:
        return access_launchable_app(session, appid=appid)
    access_launch_build(session, user=user, appid=appid, build=build)
    app = find_app(session, appid=appid)
    if app is None:  # deleted between the two reads
        raise UserError("app_not_found", status_code=404)
    return app


def list_auth_setting(session: Session, *, user: UserRef, app_id: int) -> dict[str, bool]:
    """Every scope the user has decided for the app, granted or not (`authSetting`)."""
    rows = session.execute(
        select(AppConsent.scope, AppConsent.granted)
        .where(AppConsent.user_id == user.id, AppConsent.app_id == app_id)
        .order_by(AppConsent.scope)
    ).all()
    return {row.scope: row.granted for row in rows}


def do_decide_consent(
    session: Session, *, user: UserRef, app_id: int, scope: str, granted: bool, now: datetime
) -> None:
    """Remember the user's decision on `scope` (a checked scope), replacing any earlier one."""
    insert = upsert_statement(session, AppConsent).values(
        user_id=user.id, app_id=app_id, scope=scope, granted=granted, decided_at=now
    )
    session.execute(
        insert.on_conflict_do_update(
            index_elements=[AppConsent.user_id, AppConsent.app_id, AppConsent.scope],
            set_={"granted": granted, "decided_at": now},
        )
    )


def do_record_access(
    session: Session, *, user: UserRef, app_id: int, what: str, now: datetime
) -> None:
    """Record that the app used `what` (checked). A scope must be granted: an app cannot write
    an access the user never allowed into their privacy list (`consent_not_granted`, 409).
    `userProfile` and `album` are agreed to at the moment (the dialog, the user's pick)."""
    if what not in UNGATED:
        granted = session.scalar(
            select(AppConsent.granted).where(
                AppConsent.user_id == user.id,
                AppConsent.app_id == app_id,
                AppConsent.scope == what,
            )
        )
        if not granted:
            raise Conflict("consent_not_granted", field="what")
    session.add(AppAccessEvent(user_id=user.id, app_id=app_id, what=what, occurred_at=now))
    session.flush()


def list_privacy(session: Session, *, user: UserRef) -> list[AppAccesses]:
    """The user's latest accesses (at most `PRIVACY_LIMIT`), grouped by app: apps by their latest
    access, each app's accesses most recent first. One query."""
    rows = session.execute(
        select(App.appid, App.name, App.logo, AppAccessEvent.what, AppAccessEvent.occurred_at)
        .join(App, App.id == AppAccessEvent.app_id)
        .where(AppAccessEvent.user_id == user.id)
        .order_by(AppAccessEvent.occurred_at.desc(), AppAccessEvent.id.desc())
        .limit(PRIVACY_LIMIT)
    ).all()
    grouped: dict[str, AppAccesses] = {}
    for row in rows:
        entry = grouped.get(row.appid)
        if entry is None:
            entry = grouped[row.appid] = AppAccesses(
                appid=row.appid, name=row.name, logo=row.logo, accesses=[]
            )
        entry.accesses.append(Access(what=row.what, at=row.occurred_at))
    return list(grouped.values())
