"""Access tokens of the open API, as WeChat issues them (server-api.md §1).

- `GET /cgi-bin/token`: every call issues a new token valid 7200 s; the app's earlier tokens of
  that kind keep working for an overlap of 5 minutes, so a fleet of servers can roll over.
- `POST /cgi-bin/stable_token`: repeated calls answer the same token while it has more than 5
  minutes left (then a new one, the old one running out on its own); `force_refresh` ends the
  current one at once and issues a new one, at most 20 times a day (45009) and, within 30 s of
  the last forced refresh, answers the current token without refreshing (WeChat's "否则不会刷新").
- The two kinds are isolated: issuing one never shortens the other.

Only an HMAC of each token is stored. A stable token must be answerable again, so its value is
derived, not random: an HMAC with the server key over the app and its issue time, which no one
without the key can compute.

A presented token is checked against its row: unknown, force-refreshed away or issued before the
app's AppSecret was last reset → 40001 (WeChat's "invalid credential, access_token is invalid or
not latest"), past its expiry → 42001, not even shaped like a token → 40014. (A reset is what an
admin does about a leaked secret: the tokens fetched with it must stop with it.) A freshly
issued token is never refused: wechatpy refetches and retries without limit on these codes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from miniapp.accounts.lock_objects import lock_names
from miniapp.accounts.tokens import token_hash
from miniapp.apps.models import App
from miniapp.apps.profile import secret_matches
from miniapp.db.raw_statements import Statements
from miniapp.openapi.envelope import (
    ACCESS_TOKEN_EXPIRED,
    ACCESS_TOKEN_MISSING,
    APPID_MISSING,
    APPSECRET_MISSING,
    INVALID_ACCESS_TOKEN,
    INVALID_APPID,
    INVALID_APPSECRET,
    INVALID_CREDENTIAL,
    OpenApiError,
)
from miniapp.openapi.models import AccessToken, TokenKind
from miniapp.openapi.quotas import EPOCH, Window, do_take_quota
from miniapp.openapi.rate_limits import RateLimiter, do_take_rate

TOKEN_LIFETIME = timedelta(seconds=7200)
# How long a superseded /cgi-bin/token token keeps working, and how early a stable token is
# replaced before it runs out.
OVERLAP = timedelta(minutes=5)
FORCE_REFRESH_PER_DAY = 20
FORCE_REFRESH_GAP = timedelta(seconds=30)
TOKENS_PER_DAY = 2000  # /cgi-bin/token, as WeChat's daily limit
STABLE_TOKENS_PER_MINUTE = 10_000
# WeChat says to keep 512 characters for a token; ours are 86, of these characters.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,512}")


@dataclass(frozen=True, slots=True)
class IssuedToken:
    access_token: str
    expires_in: int


@dataclass(frozen=True, slots=True)
class TokenApp:
    """The app a valid access token acts for."""

    app_id: int
    appid: str


def _stored_hash(server_key: bytes, token: str) -> str:
    return token_hash(server_key, "access_token:" + token)


def _stable_value(server_key: bytes, *, app_id: int, issued_at: datetime) -> str:
    micros = (issued_at - EPOCH) // timedelta(microseconds=1)
    message = f"stable:{app_id}:{micros}".encode()
    digest = hmac.new(server_key, message, hashlib.sha512).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def check_credentials_given(*, appid: str, secret: str) -> None:
    """41002 / 41004 when the AppID or the AppSecret is missing from a request that must carry
    both (before anything reads the database)."""
    if not appid:
        raise OpenApiError(APPID_MISSING, "appid missing")
    if not secret:
        raise OpenApiError(APPSECRET_MISSING, "appsecret missing")


_APP_BY_APPID = select(App).where(App.appid == bindparam("appid"))
# Built once: jscode2session checks the AppSecret on every call.
_APP_SECRET_BY_APPID = select(App.id, App.secret_hash).where(App.appid == bindparam("appid"))


class _SecretHolder(Protocol):
    @property
    def secret_hash(self) -> str | None: ...


S = TypeVar("S", bound=_SecretHolder)


def _check_secret(found: S | None, *, secret: str, server_key: bytes) -> S:
    """`found` (the app read by its AppID, or None) if `secret` is its AppSecret; else 40013
    or 40125."""
    if found is None:
        raise OpenApiError(INVALID_APPID, "invalid appid")
    if not secret_matches(found.secret_hash, secret, server_key=server_key):
        raise OpenApiError(INVALID_APPSECRET, "invalid appsecret")
    return found


def check_app_secret(session: Session, *, appid: str, secret: str, server_key: bytes) -> App:
    """The app whose AppID is `appid` if `secret` is its AppSecret; else 40013 (unknown appid)
    or 40125 (wrong secret). Shared by every endpoint that takes the AppSecret."""
    app = session.scalar(_APP_BY_APPID, {"appid": appid}) if appid else None
    return _check_secret(app, secret=secret, server_key=server_key)


def check_app_secret_id(
    connection: Statements, *, appid: str, secret: str, server_key: bytes
) -> int:
    """check_app_secret on any connection, without the ORM (jscode2session's hot path): the
    app's id."""
    row = connection.execute(_APP_SECRET_BY_APPID, {"appid": appid}).first() if appid else None
    app_id: int = _check_secret(row, secret=secret, server_key=server_key).id
    return app_id


def _expires_in(expires_at: datetime, now: datetime) -> int:
    return max(0, int((expires_at - now).total_seconds()))


def do_issue_token(
    session: Session, *, appid: str, secret: str, server_key: bytes, now: datetime
) -> IssuedToken:
    """A new /cgi-bin/token token for the app whose AppSecret is `secret` (40013 unknown appid,
    40125 wrong secret). Earlier tokens of this kind stop OVERLAP from now (or sooner)."""
    app = check_app_secret(session, appid=appid, secret=secret, server_key=server_key)
    do_take_quota(
        session, app_id=app.id, name="token", limit=TOKENS_PER_DAY, window=Window.DAY, now=now
    )
    session.execute(
        update(AccessToken)
        .where(
            AccessToken.app_id == app.id,
            AccessToken.kind == TokenKind.TOKEN.value,
            AccessToken.expires_at > now + OVERLAP,
        )
        .values(expires_at=now + OVERLAP)
        .execution_options(synchronize_session=False)
    )
    value = secrets.token_urlsafe(64)
    session.add(
        AccessToken(
            app_id=app.id,
            kind=TokenKind.TOKEN.value,
            token_hash=_stored_hash(server_key, value),
            issued_at=now,
            expires_at=now + TOKEN_LIFETIME,
        )
    )
    return IssuedToken(access_token=value, expires_in=int(TOKEN_LIFETIME.total_seconds()))


def do_issue_stable_token(
    session: Session,
    *,
    appid: str,
    secret: str,
    force_refresh: bool,
    server_key: bytes,
    limiter: RateLimiter,
    now: datetime,
) -> IssuedToken:
    """The app's stable token (see the module docstring for the rules). Serialised per app by a
    named lock, so concurrent first calls agree on one token. `limiter` counts the calls of
    the minute (45009 over STABLE_TOKENS_PER_MINUTE)."""
    app = check_app_secret(session, appid=appid, secret=secret, server_key=server_key)
    do_take_rate(
        limiter,
        app_id=app.id,
        name="stable_token",
        limit=STABLE_TOKENS_PER_MINUTE,
        window=Window.MINUTE,
        now=now,
    )
    lock_names(session, f"stable_token:{app.id}")
    query = select(AccessToken).where(
        AccessToken.app_id == app.id,
        AccessToken.kind == TokenKind.STABLE.value,
        AccessToken.revoked_at.is_(None),
        AccessToken.expires_at > now,
    )
    if app.secret_reset_at is not None:  # one issued with the old secret is over
        query = query.where(AccessToken.issued_at >= app.secret_reset_at)
    current = session.scalars(
        query.order_by(AccessToken.issued_at.desc(), AccessToken.id.desc()).limit(1)
    ).first()
    refresh_now = current is None or current.expires_at - now <= OVERLAP
    if force_refresh and current is not None and now - current.issued_at >= FORCE_REFRESH_GAP:
        do_take_quota(
            session,
            app_id=app.id,
            name="stable_token.force",
            limit=FORCE_REFRESH_PER_DAY,
            window=Window.DAY,
            now=now,
        )
        # Every stable token of the app ends now: a forced refresh is for a leaked token.
        session.execute(
            update(AccessToken)
            .where(
                AccessToken.app_id == app.id,
                AccessToken.kind == TokenKind.STABLE.value,
                AccessToken.revoked_at.is_(None),
            )
            .values(revoked_at=now, expires_at=now)
            .execution_options(synchronize_session=False)
        )
        refresh_now = True
    if not refresh_now and current is not None:
        value = _stable_value(server_key, app_id=app.id, issued_at=current.issued_at)
        return IssuedToken(access_token=value, expires_in=_expires_in(current.expires_at, now))
    value = _stable_value(server_key, app_id=app.id, issued_at=now)
    session.add(
        AccessToken(
            app_id=app.id,
            kind=TokenKind.STABLE.value,
            token_hash=_stored_hash(server_key, value),
            issued_at=now,
            expires_at=now + TOKEN_LIFETIME,
        )
    )
    session.flush()
    return IssuedToken(access_token=value, expires_in=int(TOKEN_LIFETIME.total_seconds()))


# What a token's check reads: its row and its app's. Read from the rows each time, never cached:
# a refresh or an AppSecret reset ends a token at once.
TOKEN_COLUMNS = (
    AccessToken.app_id,
    AccessToken.issued_at,
    AccessToken.expires_at,
    AccessToken.revoked_at,
    App.appid,
    App.secret_reset_at,
)
# Every access-token call's lookup, built once (composing it per call cost more than running it).
_TOKEN_LOOKUP = (
    select(*TOKEN_COLUMNS)
    .join(App, App.id == AccessToken.app_id)
    .where(AccessToken.token_hash == bindparam("token_hash"))
)


def access_token_app(
    connection: Statements, *, token: str | None, server_key: bytes, now: datetime
) -> TokenApp:
    """The app `token` acts for, or OpenApiError: 41001 missing, 40014 malformed, 40001 unknown,
    force-refreshed away or older than the AppSecret's last reset, 42001 expired. One indexed
    read."""
    token_hash = check_token_given(token, server_key=server_key)
    return check_token_row(
        connection.execute(_TOKEN_LOOKUP, {"token_hash": token_hash}).first(), now=now
    )


def check_token_given(token: str | None, *, server_key: bytes) -> str:
    """The stored hash of `token`, once it is there (41001) and of a token's shape (40014)."""
    if not token:
        raise OpenApiError(ACCESS_TOKEN_MISSING, "access_token missing")
    if not TOKEN_SHAPE.fullmatch(token):
        raise OpenApiError(INVALID_ACCESS_TOKEN, "invalid access_token")
    return _stored_hash(server_key, token)


def check_token_row(row: Any, *, now: datetime) -> TokenApp:
    """The app of a token whose TOKEN_COLUMNS are `row` (None: no such token): 40001 unknown,
    force-refreshed away or older than the AppSecret's last reset, 42001 expired."""
    if (
        row is None
        or row.revoked_at is not None
        or (row.secret_reset_at is not None and row.issued_at < row.secret_reset_at)
    ):
        raise OpenApiError(
            INVALID_CREDENTIAL, "invalid credential, access_token is invalid or not latest"
        )
    if row.expires_at <= now:
        raise OpenApiError(ACCESS_TOKEN_EXPIRED, "access_token expired")
    return TokenApp(app_id=row.app_id, appid=row.appid)


def do_delete_expired_access_tokens(session: Session, *, now: datetime) -> None:
    """Tokens a day past their expiry: kept that long so a late caller still gets 42001, not
    40001."""
    session.execute(delete(AccessToken).where(AccessToken.expires_at < now - timedelta(days=1)))
