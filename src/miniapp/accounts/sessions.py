"""Browser sessions: issued on sign-in, looked up on every request by the HMAC of the cookie."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, delete
from sqlalchemy.orm import Session

from miniapp.accounts.models import User, UserSession
from miniapp.accounts.principal import Principal, principal_of_rows, select_with_principal
from miniapp.accounts.tokens import new_token, token_hash
from miniapp.errors import NotSignedIn


@dataclass(frozen=True, kw_only=True)
class IssuedSession:
    token: str
    csrf_token: str
    expires_at: datetime


def do_create_session(
    session: Session,
    *,
    user: User,
    server_key: bytes,
    ttl_seconds: int,
    now: datetime,
    user_agent: str = "",
    ip: str = "",
) -> IssuedSession:
    token = new_token()
    issued = IssuedSession(
        token=token, csrf_token=new_token(), expires_at=now + timedelta(seconds=ttl_seconds)
    )
    session.add(
        UserSession(
            token_hash=token_hash(server_key, token),
            csrf_token=issued.csrf_token,
            user_id=user.id,
            created_at=now,
            expires_at=issued.expires_at,
            user_agent=user_agent[:255],
            ip=ip[:45],
        )
    )
    return issued


@dataclass(frozen=True, kw_only=True)
class LiveSession:
    id: int
    csrf_token: str
    expires_at: datetime
    user: Principal


# Built once: constructing a statement costs several times more than running it on SQLite, and
# this one runs on every signed-in request. Session, user and staff roles in one round trip.
_LIVE_SESSION = select_with_principal(
    UserSession.id, UserSession.csrf_token, UserSession.expires_at, user_id=UserSession.user_id
).where(UserSession.token_hash == bindparam("token_hash"))


def access_session(
    connection: Connection | Session, *, server_key: bytes, token: str | None, now: datetime
) -> LiveSession:
    """The live session for a cookie's token, with a snapshot of its user, or NotSignedIn.

    Takes a plain Core connection on the request path: an ORM session costs more than the query.
    """
    if not token:
        raise NotSignedIn("not_signed_in")
    rows = connection.execute(_LIVE_SESSION, {"token_hash": token_hash(server_key, token)}).all()
    if not rows:
        raise NotSignedIn("not_signed_in")
    first = rows[0]
    if first[2] <= now:
        raise NotSignedIn("session_expired")
    user = principal_of_rows(rows, start=3)
    return LiveSession(id=first[0], csrf_token=first[1], expires_at=first[2], user=user)


def do_end_session(session: Session, *, server_key: bytes, token: str) -> None:
    session.execute(
        delete(UserSession).where(UserSession.token_hash == token_hash(server_key, token))
    )


def do_end_other_sessions(session: Session, *, user_id: int, keep_session_id: int | None) -> None:
    statement = delete(UserSession).where(UserSession.user_id == user_id)
    if keep_session_id is not None:
        statement = statement.where(UserSession.id != keep_session_id)
    session.execute(statement)


def do_delete_expired_sessions(session: Session, *, now: datetime) -> None:
    session.execute(delete(UserSession).where(UserSession.expires_at <= now))
