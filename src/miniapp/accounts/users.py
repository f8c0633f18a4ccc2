"""Users of the host: sign-up, sign-in, password change, profile, developer activation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
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
    do_clear_login_failures,
    do_reserve_attempt,
    unknown_identifier,
)
from miniapp.accounts.models import PersonalAccessToken, User
from miniapp.accounts.sessions import IssuedSession, do_create_session, do_end_other_sessions
from miniapp.db.session import Database
from miniapp.errors import Conflict, InvalidInput, NotSignedIn


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


def check_sign_up(*, login: str, password: str, display_name: str) -> tuple[str, str, str]:
    """(kind, normalised login, display name) if the form is acceptable, else InvalidInput."""
    kind, value = normalise_login(login)
    name = check_display_name(display_name)
    check_password_strength(password, login=value)
    return kind, value, name


def do_sign_up(
    session: Session,
    *,
    login: str,
    password: str,
    display_name: str,
    language: str | None = None,
    password_hash: str | None = None,
) -> User:
    """Create the account. `password_hash`, when given, is `hash_password(password)` computed by
    the caller outside the transaction (argon2 must not hold SQLite's write lock)."""
    kind, value, name = check_sign_up(login=login, password=password, display_name=display_name)
    exists = session.scalar(
        select(User.id).where((User.email if kind == "email" else User.phone) == value)
    )
    if exists is not None:
        raise Conflict("login_taken", field="login")
    user = User(
        email=value if kind == "email" else None,
        phone=value if kind == "phone" else None,
        password_hash=password_hash or hash_password(password),
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


@dataclass(frozen=True, kw_only=True)
class GuessLimits:
    """How many wrong passwords a login (and, times PER_ADDRESS_FACTOR, an address) may send."""

    max_failures: int
    window_seconds: int


def login_identifier(login: str) -> tuple[str, str]:
    """(kind, what attempts are counted under): the normalised login, or "?..." if it is none."""
    try:
        return normalise_login(login)
    except InvalidInput:
        return "unknown", unknown_identifier(login)


@dataclass(frozen=True, kw_only=True)
class PasswordProof:
    """A right password for `user_id`; `identifier` is what its failed attempts count under."""

    user_id: int
    identifier: str


def check_password_login(
    database: Database,
    *,
    login: str,
    password: str,
    limits: GuessLimits,
    now: datetime,
    address: str,
) -> PasswordProof:
    """Check a login and password under the guessing limits (browser sign-in and the CLI's
    token login alike), or NotSignedIn / TooManyRequests.

    The attempt is recorded as a failure, under the login's lock, before the password is
    verified, and committed at once: concurrent guesses count against each other, and argon2
    runs outside any transaction (it must not hold SQLite's write lock). The caller clears the
    record (`do_signed_in_user`) in the transaction that acts on the right password.
    """
    kind, identifier = login_identifier(login)
    with database.transaction() as session:
        do_reserve_attempt(
            session,
            identifier=identifier,
            address=address,
            now=now,
            max_failures=limits.max_failures,
            window_seconds=limits.window_seconds,
        )
        found = None
        if kind != "unknown":
            column = User.email if kind == "email" else User.phone
            found = session.execute(
                select(User.id, User.password_hash).where(column == identifier)
            ).one_or_none()
    if found is None:
        spend_verification_time(password)
        raise NotSignedIn("invalid_credentials")
    if not verify_password(found.password_hash, password):
        raise NotSignedIn("invalid_credentials")
    return PasswordProof(user_id=found.id, identifier=identifier)


def do_signed_in_user(session: Session, *, proof: PasswordProof) -> User:
    """The user a right password was given for, its failed attempts forgotten."""
    do_clear_login_failures(session, identifier=proof.identifier)
    return session.scalars(
        select(User).options(selectinload(User.staff_roles)).where(User.id == proof.user_id)
    ).one()


def do_log_in(
    database: Database,
    *,
    login: str,
    password: str,
    server_key: bytes,
    session_ttl_seconds: int,
    limits: GuessLimits,
    now: datetime,
    address: str,
    user_agent: str = "",
) -> SignedIn:
    """Check the password (rate-limited: `check_password_login`) and open a session."""
    proof = check_password_login(
        database, login=login, password=password, limits=limits, now=now, address=address
    )
    with database.transaction() as session:
        user = do_signed_in_user(session, proof=proof)
        issued = do_create_session(
            session,
            user=user,
            server_key=server_key,
            ttl_seconds=session_ttl_seconds,
            now=now,
            user_agent=user_agent,
            ip=address,
        )
    return SignedIn(user=user, issued=issued)


def do_change_password(
    database: Database,
    *,
    user_id: int,
    current_password: str,
    new_password: str,
    keep_session_id: int | None,
    limits: GuessLimits,
    now: datetime,
    address: str,
) -> None:
    """Set a new password, sign out every other session of the user and revoke their tokens.

    A wrong current password counts as a failed sign-in for the account (a borrowed session must
    not become a way to guess the password); argon2 runs outside any transaction.
    """
    if current_password == new_password:
        raise InvalidInput("same_password", field="new_password")
    with database.transaction() as session:
        user = session.get(User, user_id)
        if user is None:
            raise NotSignedIn("not_signed_in")
        check_password_strength(new_password, login=user.login, field="new_password")
        identifier, stored_hash = user.login, user.password_hash
        do_reserve_attempt(
            session,
            identifier=identifier,
            address=address,
            now=now,
            max_failures=limits.max_failures,
            window_seconds=limits.window_seconds,
        )
    if not verify_password(stored_hash, current_password):
        raise InvalidInput("wrong_password", field="current_password")
    new_hash = hash_password(new_password)
    with database.transaction() as session:
        do_clear_login_failures(session, identifier=identifier)
        # Only if nobody changed it meanwhile: the check above was against this hash.
        changed = session.scalar(
            update(User)
            .where(User.id == user_id, User.password_hash == stored_hash)
            .values(password_hash=new_hash, password_changed_at=now)
            .returning(User.id)
        )
        if changed is None:
            raise InvalidInput("wrong_password", field="current_password")
        do_end_other_sessions(session, user_id=user_id, keep_session_id=keep_session_id)
        # Tokens are sign-ins made with the old password (`miniapp login`): they end with it.
        session.execute(
            update(PersonalAccessToken)
            .where(PersonalAccessToken.user_id == user_id, PersonalAccessToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )


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
