"""Browser sessions: issued on sign-in, looked up on every request by the HMAC of the cookie."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, joinedload

from miniapp.accounts.models import User, UserSession
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


def access_session(
    session: Session, *, server_key: bytes, token: str | None, now: datetime
) -> UserSession:
    """The live session for a cookie's token, with its user loaded, or NotSignedIn."""
    if not token:
        raise NotSignedIn("not_signed_in")
    found = session.scalars(
        select(UserSession)
        .options(joinedload(UserSession.user).selectinload(User.staff_roles))
        .where(UserSession.token_hash == token_hash(server_key, token))
    ).one_or_none()
    if found is None:
        raise NotSignedIn("not_signed_in")
    if found.expires_at <= now:
        raise NotSignedIn("session_expired")
    return found


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
