"""`wx.login` codes and their redemption by the app's back end (`GET /sns/jscode2session`), and
the session checks (`wx.checkSession`, `POST /wxa/checksession`). docs/identity.md.

A code is 32 random URL-safe characters of which only an HMAC is stored; it is valid 5 minutes
and once, for the app and user it was issued to. Redemption is one conditional UPDATE
(`used_at IS NULL AND expires_at > now`), so two concurrent redemptions of a code give one
session: the loser sees 40163 as a later caller would.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from miniapp.accounts.principal import UserRef
from miniapp.accounts.tokens import token_hash
from miniapp.apps.models import App
from miniapp.apps.registry import find_app
from miniapp.apps.versions import access_launch_build
from miniapp.errors import UserError
from miniapp.identity.ids import openid_for, session_key_for, session_signature, unionid_for
from miniapp.identity.models import AppUser, LoginCode
from miniapp.openapi.envelope import (
    CODE_BEEN_USED,
    INVALID_CODE,
    INVALID_OPENID,
    INVALID_SIGNATURE,
    MINUTE_QUOTA_REACHED,
    OpenApiError,
)
from miniapp.openapi.quotas import Window, do_take_quota
from miniapp.openapi.tokens import check_app_secret

CODE_LIFETIME = timedelta(minutes=5)
SESSION_LIFETIME = timedelta(days=30)
CODE2SESSION_PER_MINUTE = 100  # per user, as WeChat's
CODE_BYTES = 24  # 32 URL-safe characters
SIG_METHOD = "hmac_sha256"


@dataclass(frozen=True, slots=True)
class CodeSession:
    """What `GET /sns/jscode2session` answers."""

    openid: str
    session_key: str
    unionid: str | None


def _code_hash(server_key: bytes, code: str) -> str:
    return token_hash(server_key, "login_code:" + code)


def access_login_app(session: Session, *, user: UserRef, appid: str, build: str | None) -> App:
    """The app `user` may log in to from the host: its release (`build` None) or a build they
    may open (`access_launch_build`). Anything else is `app_not_found` (404), as for an appid
    nobody registered."""
    unknown = UserError("app_not_found", status_code=404)
    app = find_app(session, appid=appid)
    if app is None:
        raise unknown
    if build is None:
        if app.released_bundle is None:
            raise unknown
    else:
        access_launch_build(session, user=user, appid=appid, build=build)
    return app


def _app_user_id(session: Session, *, app_id: int, user_id: int, server_key: bytes) -> int:
    found = session.scalar(
        select(AppUser.id).where(AppUser.app_id == app_id, AppUser.user_id == user_id)
    )
    if found is not None:
        return found
    # First login to the app. A concurrent first login may insert the same row: the loser's
    # INSERT fails on the unique key inside a savepoint and it reads the winner's row.
    row = AppUser(
        app_id=app_id,
        user_id=user_id,
        openid=openid_for(server_key, app_id=app_id, user_id=user_id),
    )
    try:
        with session.begin_nested():
            session.add(row)
        return row.id
    except IntegrityError:
        session.expunge(row)
    found = session.scalar(
        select(AppUser.id).where(AppUser.app_id == app_id, AppUser.user_id == user_id)
    )
    assert found is not None
    return found


def do_issue_login_code(
    session: Session, *, app_id: int, user_id: int, server_key: bytes, now: datetime
) -> str:
    """A new login code for the user in the app. Starts a new session (the serial moves on, so
    the session key rotates), as every `wx.login` does."""
    app_user_id = _app_user_id(session, app_id=app_id, user_id=user_id, server_key=server_key)
    serial = session.execute(
        update(AppUser)
        .where(AppUser.id == app_user_id)
        .values(session_serial=AppUser.session_serial + 1, session_issued_at=now)
        .returning(AppUser.session_serial)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    code = secrets.token_urlsafe(CODE_BYTES)
    session.add(
        LoginCode(
            code_hash=_code_hash(server_key, code),
            app_user_id=app_user_id,
            serial=serial,
            issued_at=now,
            expires_at=now + CODE_LIFETIME,
        )
    )
    return code


def do_redeem_login_code(
    session: Session, *, appid: str, secret: str, js_code: str, server_key: bytes, now: datetime
) -> CodeSession:
    """The session behind `js_code`, for the app's back end (AppSecret checked: 40013, 40125).
    Unknown, expired or another app's code: 40029; used: 40163; over 100 a minute for the
    user: 45011 (the code stays usable)."""
    app = check_app_secret(session, appid=appid, secret=secret, server_key=server_key)
    row = (
        session.execute(
            select(
                LoginCode.id,
                LoginCode.serial,
                LoginCode.expires_at,
                LoginCode.used_at,
                AppUser.id.label("app_user_id"),
                AppUser.user_id,
                AppUser.openid,
            )
            .join(AppUser, AppUser.id == LoginCode.app_user_id)
            .where(LoginCode.code_hash == _code_hash(server_key, js_code), AppUser.app_id == app.id)
        ).first()
        if js_code
        else None
    )
    if row is None:
        raise OpenApiError(INVALID_CODE, "invalid code")
    if row.used_at is not None:
        raise OpenApiError(CODE_BEEN_USED, "code been used")
    if row.expires_at <= now:
        raise OpenApiError(INVALID_CODE, "invalid code")
    do_take_quota(
        session,
        app_id=app.id,
        name=f"code2session:{row.user_id}",
        limit=CODE2SESSION_PER_MINUTE,
        window=Window.MINUTE,
        now=now,
        errcode=MINUTE_QUOTA_REACHED,
        errmsg="api minute-quota reach limit mustslower retry next minute",
    )
    taken = session.execute(
        update(LoginCode)
        .where(LoginCode.id == row.id, LoginCode.used_at.is_(None), LoginCode.expires_at > now)
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if not taken.rowcount:  # type: ignore[attr-defined]
        raise OpenApiError(CODE_BEEN_USED, "code been used")  # redeemed a moment ago
    unionid = (
        None
        if app.organisation_id is None
        else unionid_for(server_key, organisation_id=app.organisation_id, user_id=row.user_id)
    )
    return CodeSession(
        openid=row.openid,
        session_key=session_key_for(server_key, app_user_id=row.app_user_id, serial=row.serial),
        unionid=unionid,
    )


def check_session_valid(session: Session, *, app_id: int, user_id: int, now: datetime) -> bool:
    """True while the user's latest session in the app is younger than SESSION_LIFETIME."""
    issued_at = session.scalar(
        select(AppUser.session_issued_at).where(
            AppUser.app_id == app_id, AppUser.user_id == user_id
        )
    )
    return issued_at is not None and now - issued_at < SESSION_LIFETIME


def access_app_user_by_openid(session: Session, *, app_id: int, openid: str) -> AppUser:
    """The app's user whose openid is `openid` (a back end names users by openid); 40003 when
    the app has none such (another app's openid included)."""
    found = session.scalar(
        select(AppUser).where(AppUser.app_id == app_id, AppUser.openid == openid)
    )
    if found is None:
        raise OpenApiError(INVALID_OPENID, "invalid openid")
    return found


def check_session_signature(
    session: Session,
    *,
    app_id: int,
    openid: str,
    signature: str,
    sig_method: str,
    server_key: bytes,
) -> None:
    """`POST /wxa/checksession`: `signature` must be the HMAC-SHA256 of "" keyed with the user's
    current session key. Unknown openid for the app: 40003; otherwise a mismatch (an older
    session's signature included) or another method: 87009."""
    row = access_app_user_by_openid(session, app_id=app_id, openid=openid)
    key = session_key_for(server_key, app_user_id=row.id, serial=row.session_serial)
    if sig_method != SIG_METHOD or not hmac.compare_digest(
        signature.encode(), session_signature(key).encode()
    ):
        raise OpenApiError(INVALID_SIGNATURE, "invalid signature")


def do_delete_expired_login_codes(session: Session, *, now: datetime) -> None:
    """Codes a day past their expiry: kept that long so a late redemption still reads 40163
    rather than 40029 for a used code."""
    session.execute(delete(LoginCode).where(LoginCode.expires_at < now - timedelta(days=1)))
