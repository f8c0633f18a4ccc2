"""Releasing approved versions: to everyone, or to a grey share; widening; rolling back.

What an app serves lives on its row (`App.released_*`, `App.grey_*`), so a launch picks the
version a user gets from the one row it reads anyway (`pick_bundle`): no extra round trip. Every
change also appends an `AppRelease` row (the history, which rollback reads) and an audit entry,
in one transaction, under the locks of the organisation, the app and then the versions.

Grey release: each user falls in a bucket 0..99, `sha256(appid + ":" + key) mod 100`, where the
key is the `miniapp_grey` cookie (an HMAC of the user's public id, set at sign-in and sign-up, so
it is the same on every device; a random value for a browser nobody signed in on). Buckets below
the grey percent get the grey version. Widening only adds buckets, so nobody goes back to an
older version except by a rollback. A forged cookie only chooses between two released versions.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

from fastapi import Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from miniapp.accounts.models import User
from miniapp.accounts.organisations import do_record_audit
from miniapp.accounts.principal import UserRef
from miniapp.accounts.roles import Permission
from miniapp.accounts.verification_status import check_verified
from miniapp.apps.access import AppAccess, access_app
from miniapp.apps.models import App, AppRelease, AppVersion, ReleaseAction, VersionState
from miniapp.apps.versions import version_order
from miniapp.errors import Conflict, InvalidInput, NotFound
from miniapp.settings import Settings

GREY_COOKIE = "miniapp_grey"
GREY_COOKIE_MAX_AGE = 365 * 24 * 3600
# What a bucket key looks like; anything else in the cookie is replaced by a fresh random key.
GREY_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
FULL = 100


# ---- which version a user starts ---------------------------------------------------------------


def grey_bucket(appid: str, key: str) -> int:
    """The user's bucket (0..99) for `appid`: stable per key, independent between apps."""
    digest = hashlib.sha256(f"{appid}:{key}".encode()).digest()
    return int.from_bytes(digest, "big") % 100


def pick_bundle(app: App, bucket: int, *, ran: str | None = None) -> tuple[str, str | None, str]:
    """(bundle id, version label, envVersion) the user in `bucket` starts.

    `ran` is the bundle this browser started last time (the host sends it): someone who already
    ran the grey version keeps it even if their bucket is outside the share (their bucket key
    changes when they sign in on a browser where they used the app signed out), so nobody goes
    back to an older version unless the grey release is rolled back (then `grey_bundle` is gone).

    Precondition: the app has a release (`released_bundle` is set). The label is None for a
    bundle released without a version (registry.do_release_bundle: demos, tests)."""
    if (
        app.grey_bundle is not None
        and 0 < app.grey_percent < FULL
        and (bucket < app.grey_percent or ran == app.grey_bundle)
    ):
        return app.grey_bundle, app.grey_version, "release"
    if app.released_bundle is None:
        raise ValueError(f"app {app.appid} has no release")
    return app.released_bundle, app.released_version, "release"


def grey_key_for_user(*, server_key: bytes, user_public_id: uuid.UUID) -> str:
    """The bucket key of a signed-in user: the same on every device, unguessable by others."""
    message = f"miniapp_grey:{user_public_id}".encode()
    return hmac.new(server_key, message, hashlib.sha256).hexdigest()[:32]


def new_grey_key() -> str:
    return secrets.token_urlsafe(24)


def grey_key_of_request(request: Request) -> str | None:
    """The request's bucket key, or None if it has none (or one that is not ours)."""
    key = request.cookies.get(GREY_COOKIE)
    if key is None or GREY_KEY.fullmatch(key) is None:
        return None
    return key


def set_grey_cookie(response: Response, *, key: str, settings: Settings) -> None:
    """Remember the bucket key for a year. HttpOnly: only the server reads it."""
    response.set_cookie(
        GREY_COOKIE,
        key,
        max_age=GREY_COOKIE_MAX_AGE,
        httponly=True,
        secure=settings.effective_cookie_secure,
        samesite="lax",
        path="/",
    )


def set_user_grey_cookie(
    response: Response, *, user_public_id: uuid.UUID, settings: Settings
) -> None:
    """At sign-in and sign-up: the user's own bucket key, the same on all their devices."""
    key = grey_key_for_user(server_key=settings.server_key, user_public_id=user_public_id)
    set_grey_cookie(response, key=key, settings=settings)


# ---- releasing ---------------------------------------------------------------------------------


def check_percent(percent: int) -> int:
    if not 1 <= percent <= FULL:
        raise InvalidInput("grey_percent_invalid", field="percent", percent=percent)
    return percent


def _grey_in_progress(app: App) -> bool:
    return app.grey_bundle is not None and app.grey_percent > 0


def _lock_versions(session: Session, *, app: App, labels: set[str]) -> dict[str, AppVersion]:
    """The app's versions with these labels, locked in id order (after the app's row)."""
    rows = session.scalars(
        select(AppVersion)
        .where(AppVersion.app_id == app.id, AppVersion.version.in_(sorted(labels)))
        .order_by(AppVersion.id)
        .with_for_update()
    ).all()
    for row in rows:
        session.refresh(row)
    return {row.version: row for row in rows}


def _access_for_release(session: Session, *, user: UserRef, appid: str) -> AppAccess:
    return access_app(
        session, user=user, appid=appid, permission=Permission.RELEASE_MANAGE, for_update=True
    )


def _record(
    session: Session,
    *,
    access: AppAccess,
    user: UserRef,
    version: AppVersion,
    action: ReleaseAction,
    percent: int,
    audit_action: str,
    audit_version: str | None = None,
    **detail: object,
) -> None:
    """Append the history row (what is served now) and the audit entry (`audit_version`: the
    version the entry is about, when that is not the one served)."""
    session.add(
        AppRelease(
            app_id=access.app.id,
            version_id=version.id,
            action=action.value,
            percent=percent,
            actor_id=user.id,
        )
    )
    do_record_audit(
        session,
        organisation=access.organisation,
        actor=user,
        action=audit_action,
        appid=access.app.appid,
        version=audit_version or version.version,
        percent=percent,
        **detail,
    )
    session.flush()


def _serve_to_everyone(
    app: App, version: AppVersion, *, previous: AppVersion | None, now: datetime
) -> None:
    """`version` becomes everyone's; the version it replaces is superseded."""
    if previous is not None and previous.id != version.id:
        previous.state = VersionState.SUPERSEDED.value
    version.state = VersionState.RELEASED.value
    version.released_at = now
    app.released_bundle = version.bundle_id
    app.released_version = version.version
    app.grey_bundle = None
    app.grey_version = None
    app.grey_percent = 0


def do_release(
    session: Session, *, user: UserRef, appid: str, version: str, percent: int, now: datetime
) -> App:
    """Release an approved version to everyone (percent 100) or to a grey share (1..99).

    Refused: percent outside 1..100 (422 `grey_percent_invalid`), the organisation's
    verification not in force (403 `verification_required`), a grey release in progress (409
    `grey_release_in_progress`), the version not approved (409 `version_not_approved`) or not
    newer than the release (409 `version_not_newer`), a grey
    release of an app nothing was released to yet (409 `grey_release_needs_full_release`: the
    other users would get nothing)."""
    share = check_percent(percent)
    access = _access_for_release(session, user=user, appid=appid)
    app = access.app
    check_verified(access.organisation, now=now)
    if _grey_in_progress(app):
        raise Conflict("grey_release_in_progress", version=app.grey_version)
    labels = {version}
    if app.released_version is not None:
        labels.add(app.released_version)
    rows = _lock_versions(session, app=app, labels=labels)
    chosen = rows.get(version)
    if chosen is None:
        raise NotFound()
    if chosen.state != VersionState.APPROVED:
        raise Conflict("version_not_approved", field="version", state=chosen.state)
    current = app.released_version
    if current is not None and version_order(chosen.version) <= version_order(current):
        # Users would go back to an older version; only a rollback may do that.
        raise Conflict("version_not_newer", field="version", version=version, released=current)
    if share == FULL:
        previous = rows.get(app.released_version) if app.released_version else None
        _serve_to_everyone(app, chosen, previous=previous, now=now)
        _record(
            session,
            access=access,
            user=user,
            version=chosen,
            action=ReleaseAction.RELEASE,
            percent=FULL,
            audit_action="release.released",
        )
        return app
    if app.released_bundle is None:
        raise Conflict("grey_release_needs_full_release", field="percent")
    chosen.state = VersionState.RELEASED.value
    chosen.released_at = now
    app.grey_bundle = chosen.bundle_id
    app.grey_version = chosen.version
    app.grey_percent = share
    _record(
        session,
        access=access,
        user=user,
        version=chosen,
        action=ReleaseAction.GREY,
        percent=share,
        audit_action="release.grey",
    )
    return app


def do_widen(session: Session, *, user: UserRef, appid: str, percent: int, now: datetime) -> App:
    """Give the grey version to more users; 100 makes it everyone's (the old release is then
    superseded). The share must grow (422 `grey_percent_invalid`); without a grey release in
    progress: 409 `no_grey_release`."""
    access = _access_for_release(session, user=user, appid=appid)
    app = access.app
    check_verified(access.organisation, now=now)
    if not _grey_in_progress(app) or app.grey_version is None:
        raise Conflict("no_grey_release")
    if not app.grey_percent < percent <= FULL:
        raise InvalidInput(
            "grey_percent_invalid", field="percent", percent=percent, current=app.grey_percent
        )
    labels = {app.grey_version}
    if app.released_version is not None:
        labels.add(app.released_version)
    rows = _lock_versions(session, app=app, labels=labels)
    grey = rows[app.grey_version]
    if percent == FULL:
        previous = rows.get(app.released_version) if app.released_version else None
        _serve_to_everyone(app, grey, previous=previous, now=now)
    else:
        app.grey_percent = percent
    _record(
        session,
        access=access,
        user=user,
        version=grey,
        action=ReleaseAction.WIDEN,
        percent=percent,
        audit_action="release.widened",
    )
    return app


def _full_release_stack(session: Session, *, app: App) -> list[int]:
    """The ids of the versions released to everyone, oldest first, with rolled-back ones taken
    off: its top is what everyone gets, the entry below it what a rollback returns to."""
    history = session.execute(
        select(AppRelease.action, AppRelease.percent, AppRelease.version_id)
        .where(AppRelease.app_id == app.id)
        .order_by(AppRelease.id)
    ).all()
    stack: list[int] = []
    for action, percent, version_id in history:
        if percent != FULL:
            continue  # grey steps and withdrawn grey releases change nobody's full release
        if action == ReleaseAction.ROLLBACK:
            if stack:
                stack.pop()
            if not stack or stack[-1] != version_id:
                stack.append(version_id)  # history begun before versions: trust the record
        else:
            stack.append(version_id)
    return stack


def do_rollback(session: Session, *, user: UserRef, appid: str) -> App:
    """One step back. A grey release in progress is withdrawn (everyone back on the full
    release; the grey version is `approved` again). Otherwise the full release goes back to the
    one before it (that version is `released` again; the current one `approved`, so it may be
    released again later). Nothing to go back to: 409 `nothing_to_roll_back`."""
    access = _access_for_release(session, user=user, appid=appid)
    app = access.app
    if _grey_in_progress(app) and app.grey_version is not None:
        grey = _lock_versions(session, app=app, labels={app.grey_version})[app.grey_version]
        grey.state = VersionState.APPROVED.value
        grey.released_at = None
        app.grey_bundle = None
        app.grey_version = None
        app.grey_percent = 0
        _record(
            session,
            access=access,
            user=user,
            version=grey,
            action=ReleaseAction.ROLLBACK,
            percent=0,
            audit_action="release.rolled_back",
            withdrawn="grey",
        )
        return app
    stack = _full_release_stack(session, app=app)
    if app.released_version is None or len(stack) < 2:
        raise Conflict("nothing_to_roll_back")
    rows = {
        row.id: row
        for row in session.scalars(
            select(AppVersion)
            .where(AppVersion.id.in_(stack[-2:]))
            .order_by(AppVersion.id)
            .with_for_update()
        )
    }
    for row in rows.values():
        session.refresh(row)
    current, restored = rows[stack[-1]], rows[stack[-2]]
    if current.version != app.released_version:
        raise Conflict("nothing_to_roll_back")  # released outside versions since: no history
    current.state = VersionState.APPROVED.value
    current.released_at = None
    restored.state = VersionState.RELEASED.value
    app.released_bundle = restored.bundle_id
    app.released_version = restored.version
    _record(
        session,
        access=access,
        user=user,
        version=restored,
        action=ReleaseAction.ROLLBACK,
        percent=FULL,
        audit_action="release.rolled_back",
        audit_version=current.version,
        restored=restored.version,
    )
    return app


@dataclass(frozen=True, kw_only=True)
class ReleaseEvent:
    release: AppRelease
    actor: User | None


def list_releases(session: Session, *, user: UserRef, appid: str) -> list[ReleaseEvent]:
    """The app's release history, newest first, for any member."""
    access = access_app(session, user=user, appid=appid, permission=Permission.APPS_READ)
    rows = session.execute(
        select(AppRelease, User)
        .options(joinedload(AppRelease.version))
        .outerjoin(User, User.id == AppRelease.actor_id)
        .where(AppRelease.app_id == access.app.id)
        .order_by(AppRelease.id.desc())
    ).all()
    return [ReleaseEvent(release=release, actor=actor) for release, actor in rows]
