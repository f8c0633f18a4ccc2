"""Users of the host: sign-up, sign-in, password change, profile, developer activation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from miniapp.accounts.credentials import (
    check_display_name,
    check_password_strength,
    hash_password,
    normalise_login,
    spend_verification_time,
    verify_password,
)
from miniapp.accounts.login_throttle import (
    check_login_allowed,
    do_clear_login_failures,
    do_record_login_failure,
)
from miniapp.accounts.models import User
from miniapp.accounts.sessions import IssuedSession, do_create_session, do_end_other_sessions
from miniapp.db.session import Database
from miniapp.errors import Conflict, InvalidInput, NotSignedIn, UserError


def find_user_by_login(session: Session, *, login: str) -> User:
    kind, value = normalise_login(login)
    column = User.email if kind == "email" else User.phone
    user = session.scalars(
        select(User).options(selectinload(User.staff_roles)).where(column == value)
    ).one_or_none()
    if user is None:
        raise InvalidInput("unknown_user", field="login")
    return user


def check_language(raw: str | None) -> str | None:
    if raw is None:
        return None
    if raw not in ("en", "zh"):
        raise InvalidInput("invalid_input", field="language", reason="en or zh")
    return raw


def do_sign_up(
    session: Session,
    *,
    login: str,
    password: str,
    display_name: str,
    language: str | None = None,
) -> User:
    kind, value = normalise_login(login)
    name = check_display_name(display_name)
    check_password_strength(password, login=value)
    exists = session.scalar(
        select(User.id).where((User.email if kind == "email" else User.phone) == value)
    )
    if exists is not None:
        raise Conflict("login_taken", field="login")
    user = User(
        email=value if kind == "email" else None,
        phone=value if kind == "phone" else None,
        password_hash=hash_password(password),
        display_name=name,
        language=check_language(language),
    )
    session.add(user)
    try:
        # Two sign-ups racing for one login: the unique constraint decides, with the same error.
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict("login_taken", field="login") from None
    return user


@dataclass(frozen=True, kw_only=True)
class SignedIn:
    user: User
    issued: IssuedSession


def do_log_in(
    database: Database,
    *,
    login: str,
    password: str,
    server_key: bytes,
    session_ttl_seconds: int,
    max_failures: int,
    window_seconds: int,
    now: datetime,
    ip: str = "",
    user_agent: str = "",
) -> SignedIn:
    """Check the password (rate-limited) and open a session.

    A failure is recorded in its own committed transaction, then reported: the failure count
    must survive the error.
    """
    try:
        kind, identifier = normalise_login(login)
    except InvalidInput:
        kind, identifier = "unknown", login.strip().lower()[:254]
    failure: UserError | None = None
    with database.transaction() as session:
        check_login_allowed(
            session,
            identifier=identifier,
            ip=ip,
            now=now,
            max_failures=max_failures,
            window_seconds=window_seconds,
        )
        user = None
        if kind != "unknown":
            user = session.scalars(
                select(User)
                .options(selectinload(User.staff_roles))
                .where((User.email if kind == "email" else User.phone) == identifier)
            ).one_or_none()
        if user is None:
            spend_verification_time(password)
        if user is None or not verify_password(user.password_hash, password):
            do_record_login_failure(session, identifier=identifier, ip=ip, now=now)
            failure = NotSignedIn("invalid_credentials")
        else:
            do_clear_login_failures(session, identifier=identifier)
            issued = do_create_session(
                session,
                user=user,
                server_key=server_key,
                ttl_seconds=session_ttl_seconds,
                now=now,
                user_agent=user_agent,
                ip=ip,
            )
    if failure is not None:
        raise failure
    assert user is not None
    return SignedIn(user=user, issued=issued)


def do_change_password(
    session: Session,
    *,
    user: User,
    current_password: str,
    new_password: str,
    keep_session_id: int | None,
    now: datetime,
) -> None:
    """Set a new password and sign out every other session of the user."""
    if not verify_password(user.password_hash, current_password):
        raise InvalidInput("wrong_password", field="current_password")
    if current_password == new_password:
        raise InvalidInput("same_password", field="new_password")
    check_password_strength(new_password, login=user.login, field="new_password")
    user.password_hash = hash_password(new_password)
    user.password_changed_at = now
    do_end_other_sessions(session, user_id=user.id, keep_session_id=keep_session_id)
    session.flush()


def do_update_profile(
    session: Session, *, user: User, display_name: str | None = None, language: str | None = None
) -> User:
    if display_name is not None:
        user.display_name = check_display_name(display_name)
    if language is not None:
        user.language = check_language(language)
    session.flush()
    return user


def do_activate_developer(session: Session, *, user: User, now: datetime) -> User:
    if user.developer_since is None:
        user.developer_since = now
        session.flush()
    return user
