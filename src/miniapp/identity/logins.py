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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from miniapp.accounts.principal import UserRef
from miniapp.accounts.tokens import token_hash
from miniapp.apps.models import App
from miniapp.apps.profile import secret_matches
from miniapp.apps.registry import find_app
from miniapp.apps.versions import access_launch_build
from miniapp.db.raw_statements import Statements
from miniapp.db.types import UTCDateTime
from miniapp.errors import UserError
from miniapp.identity.ids import openid_for, session_key_for, session_signature, unionid_for
from miniapp.identity.models import AppUser, LoginCode
from miniapp.openapi.envelope import (
    CODE_BEEN_USED,
    INVALID_APPSECRET,
    INVALID_CODE,
    INVALID_OPENID,
    INVALID_SIGNATURE,
    OpenApiError,
)
from miniapp.openapi.rate_limits import RateLimiter, do_take_user_rate
from miniapp.openapi.tokens import check_app_secret_id

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


# The redemption's two statements, built once (jscode2session is a hot path: composing them per
# call cost more than running them). The lookup reads the code, its user and the app's AppSecret
# HMAC in one go, so a reset secret is seen at once without a separate read of the app.
_CODE_LOOKUP = (
    select(
        LoginCode.id,
        LoginCode.serial,
        LoginCode.expires_at,
        LoginCode.used_at,
        AppUser.id.label("app_user_id"),
        AppUser.user_id,
        AppUser.openid,
        App.id.label("app_id"),
        App.secret_hash,
        App.organisation_id,
    )
    .join(AppUser, AppUser.id == LoginCode.app_user_id)
    .join(App, App.id == AppUser.app_id)
    .where(LoginCode.code_hash == bindparam("code_hash"), App.appid == bindparam("appid"))
)
_CODE_TAKE = (
    update(LoginCode)
    .where(
        LoginCode.id == bindparam("code_id"),
        LoginCode.used_at.is_(None),
        LoginCode.expires_at > bindparam("now", type_=UTCDateTime()),
    )
    .values(used_at=bindparam("used_at", type_=UTCDateTime()))
)


def do_redeem_login_code(
    connection: Statements,
    *,
    appid: str,
    secret: str,
    js_code: str,
    server_key: bytes,
    limiter: RateLimiter,
    count_call: Callable[[int], None],
    now: datetime,
) -> CodeSession:
    """The session behind `js_code`, for the app's back end (AppSecret checked: 40013, 40125).
    Unknown, expired or another app's code: 40029; used: 40163; over 100 a minute for the
    user: 45011 (the code stays usable). `count_call(app id)` counts the call against the
    app's rate limits once the AppSecret is known to be right (so no one else can spend
    them), and may refuse it. Runs inside the caller's transaction."""
    row = (
        connection.execute(
            _CODE_LOOKUP, {"code_hash": _code_hash(server_key, js_code), "appid": appid}
        ).first()
        if js_code and appid
        else None
    )
    if row is None:
        # The AppID or the AppSecret may be what is wrong: their errcodes come first.
        app_id = check_app_secret_id(connection, appid=appid, secret=secret, server_key=server_key)
        count_call(app_id)
        raise OpenApiError(INVALID_CODE, "invalid code")
    if not secret_matches(row.secret_hash, secret, server_key=server_key):
        raise OpenApiError(INVALID_APPSECRET, "invalid appsecret")
    count_call(row.app_id)
    if row.used_at is not None:
        raise OpenApiError(CODE_BEEN_USED, "code been used")
    if row.expires_at <= now:
        raise OpenApiError(INVALID_CODE, "invalid code")
    app_id = row.app_id
    do_take_user_rate(
        limiter,
        app_id=app_id,
        kind="code2session",
        user_id=row.user_id,
        per_minute=CODE2SESSION_PER_MINUTE,
        now=now,
    )
    taken = connection.execute(_CODE_TAKE, {"code_id": row.id, "now": now, "used_at": now})
    if not taken.rowcount:
        raise OpenApiError(CODE_BEEN_USED, "code been used")  # redeemed a moment ago
    unionid = (
        None
        if row.organisation_id is None
        else unionid_for(server_key, organisation_id=row.organisation_id, user_id=row.user_id)
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


@dataclass(frozen=True, slots=True)
class CurrentSession:
    """A user's latest session in one app (what open data is signed and encrypted with)."""

    app_user_id: int
    openid: str
    session_key: str


def find_current_session(
    session: Session, *, app_id: int, user_id: int, server_key: bytes
) -> CurrentSession | None:
    """The user's latest session in the app; None before their first `wx.login` there."""
    row = session.execute(
        select(AppUser.id, AppUser.openid, AppUser.session_serial).where(
            AppUser.app_id == app_id,
            AppUser.user_id == user_id,
            AppUser.session_issued_at.is_not(None),
        )
    ).first()
    if row is None:
        return None
    return CurrentSession(
        app_user_id=row.id,
        openid=row.openid,
        session_key=session_key_for(server_key, app_user_id=row.id, serial=row.session_serial),
    )


def ensure_app_user(session: Session, *, app_id: int, user_id: int, server_key: bytes) -> int:
    """The id of the user's row in the app, made (with their openid) on first use: a phone code
    may come before any `wx.login`."""
    return _app_user_id(session, app_id=app_id, user_id=user_id, server_key=server_key)


# Built once: subscribe/send looks its user up on every call.
_APP_USER_BY_OPENID = select(AppUser).where(
    AppUser.app_id == bindparam("app_id"), AppUser.openid == bindparam("openid")
)


def access_app_user_by_openid(session: Session, *, app_id: int, openid: str) -> AppUser:
    """The app's user whose openid is `openid` (a back end names users by openid); 40003 when
    the app has none such (another app's openid included)."""
    found = session.scalar(_APP_USER_BY_OPENID, {"app_id": app_id, "openid": openid})
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
