"""Personal access tokens: how the CLI and scripts act as a user (`Authorization: Bearer mpat_…`).

A token is random and long, so, as for session cookies, only its keyed hash (tokens.token_hash)
is stored: a stolen table is useless without the server key, and a lookup costs microseconds.
`prefix` (the first characters of the secret) is kept so people can tell their tokens apart. A
token acts as its user with the user's roles; what needs a browser session (creating tokens,
changing the password, signing out) refuses it (request_auth.SessionCallerDep).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Connection, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from miniapp.accounts.credentials import is_plain_text
from miniapp.accounts.models import PersonalAccessToken
from miniapp.accounts.principal import Principal, UserRef, principal_of_rows, select_with_principal
from miniapp.accounts.tokens import new_token, token_hash
from miniapp.accounts.users import GuessLimits, check_password_login, do_signed_in_user
from miniapp.db.session import Database
from miniapp.errors import Conflict, InvalidInput, NotFound, NotSignedIn

TOKEN_PREFIX = "mpat_"  # noqa: S105  a marker, not a secret: lets scanners spot leaked tokens
# What `prefix` keeps: "mpat_" and 7 random characters, enough to tell tokens apart, far too few
# to guess the rest from.
SHOWN_PREFIX_LENGTH = 12
NAME_LENGTH = (1, 64)
MAX_EXPIRY_DAYS = 3650
# Live tokens one user may hold: every `miniapp login` makes one, and a forgotten loop must not
# fill the table.
MAX_LIVE_TOKENS = 100
# A busy CI script must not write on every request: last_used_at is only as precise as this.
LAST_USED_PRECISION = timedelta(minutes=1)


@dataclass(frozen=True, kw_only=True)
class IssuedToken:
    """A new token and its secret, which exists nowhere else: show it once."""

    token: PersonalAccessToken
    secret: str


@dataclass(frozen=True, kw_only=True)
class LiveToken:
    """The token a request came with, and a snapshot of its user."""

    id: int
    public_id: uuid.UUID
    expires_at: datetime | None
    user: Principal


def check_token_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not NAME_LENGTH[0] <= len(name) <= NAME_LENGTH[1] or not is_plain_text(name):
        raise InvalidInput("token_name_invalid", field="name", max=NAME_LENGTH[1])
    return name


def check_expiry_days(days: int | None) -> int | None:
    if days is not None and not 1 <= days <= MAX_EXPIRY_DAYS:
        raise InvalidInput("token_expiry_invalid", field="expires_in_days", max=MAX_EXPIRY_DAYS)
    return days


def _live(now: datetime) -> list[ColumnElement[bool]]:
    return [
        PersonalAccessToken.revoked_at.is_(None),
        or_(PersonalAccessToken.expires_at.is_(None), PersonalAccessToken.expires_at > now),
    ]


def do_create_token(
    session: Session,
    *,
    user: UserRef,
    name: str,
    expires_in_days: int | None,
    server_key: bytes,
    now: datetime,
) -> IssuedToken:
    """Make a token for `user`. The caller has proved who they are with a browser session or
    their password: a token never makes another token."""
    checked_name = check_token_name(name)
    days = check_expiry_days(expires_in_days)
    live = session.scalar(
        select(func.count())
        .select_from(PersonalAccessToken)
        .where(PersonalAccessToken.user_id == user.id, *_live(now))
    )
    if (live or 0) >= MAX_LIVE_TOKENS:
        raise Conflict("too_many_tokens", max=MAX_LIVE_TOKENS)
    secret = TOKEN_PREFIX + new_token()
    token = PersonalAccessToken(
        user_id=user.id,
        name=checked_name,
        token_hash=token_hash(server_key, secret),
        prefix=secret[:SHOWN_PREFIX_LENGTH],
        created_at=now,
        expires_at=now + timedelta(days=days) if days is not None else None,
    )
    session.add(token)
    session.flush()
    return IssuedToken(token=token, secret=secret)


def do_log_in_for_token(
    database: Database,
    *,
    login: str,
    password: str,
    name: str,
    expires_in_days: int | None,
    server_key: bytes,
    limits: GuessLimits,
    now: datetime,
    address: str,
) -> IssuedToken:
    """A token for a login and password (the CLI's `miniapp login`), under the same guessing
    limits as the browser's sign-in. The name and expiry are checked first, so a typo there
    costs no attempt."""
    check_token_name(name)
    check_expiry_days(expires_in_days)
    proof = check_password_login(
        database, login=login, password=password, limits=limits, now=now, address=address
    )
    with database.transaction() as session:
        user = do_signed_in_user(session, proof=proof)
        return do_create_token(
            session,
            user=user,
            name=name,
            expires_in_days=expires_in_days,
            server_key=server_key,
            now=now,
        )


def list_tokens(session: Session, *, user: UserRef, now: datetime) -> list[PersonalAccessToken]:
    """The user's tokens that still work, newest first."""
    return list(
        session.scalars(
            select(PersonalAccessToken)
            .where(PersonalAccessToken.user_id == user.id, *_live(now))
            .order_by(PersonalAccessToken.created_at.desc(), PersonalAccessToken.id.desc())
        )
    )


def do_revoke_token(session: Session, *, user: UserRef, token_id: str, now: datetime) -> None:
    """Revoke one of the user's own tokens; it stops working at once. Someone else's, an
    unknown or an already revoked token: 404."""
    try:
        public_id = uuid.UUID(token_id)
    except ValueError:
        raise NotFound() from None
    revoked = session.scalar(
        update(PersonalAccessToken)
        .where(
            PersonalAccessToken.public_id == public_id,
            PersonalAccessToken.user_id == user.id,
            PersonalAccessToken.revoked_at.is_(None),
        )
        .values(revoked_at=now)
        .returning(PersonalAccessToken.id)
    )
    if revoked is None:
        raise NotFound()


# Built once, as sessions._LIVE_SESSION: token, user and staff roles in one round trip.
_LIVE_TOKEN = select_with_principal(
    PersonalAccessToken.id,
    PersonalAccessToken.public_id,
    PersonalAccessToken.expires_at,
    PersonalAccessToken.revoked_at,
    PersonalAccessToken.last_used_at,
    user_id=PersonalAccessToken.user_id,
).where(PersonalAccessToken.token_hash == bindparam("token_hash"))


@dataclass(frozen=True, kw_only=True)
class FoundToken:
    token: LiveToken
    needs_touch: bool  # last_used_at is older than LAST_USED_PRECISION


def access_token(
    connection: Connection | Session, *, server_key: bytes, secret: str, now: datetime
) -> FoundToken:
    """The live token for a bearer secret, with a snapshot of its user; unknown, revoked or
    expired: 401 `token_invalid` (one code for all three: which it was is nobody's business)."""
    if not secret.startswith(TOKEN_PREFIX):
        raise NotSignedIn("token_invalid")
    rows = connection.execute(_LIVE_TOKEN, {"token_hash": token_hash(server_key, secret)}).all()
    if not rows:
        raise NotSignedIn("token_invalid")
    first = rows[0]
    expires_at, revoked_at, last_used_at = first[2], first[3], first[4]
    if revoked_at is not None or (expires_at is not None and expires_at <= now):
        raise NotSignedIn("token_invalid")
    user = principal_of_rows(rows, start=5)
    return FoundToken(
        token=LiveToken(id=first[0], public_id=first[1], expires_at=expires_at, user=user),
        needs_touch=last_used_at is None or last_used_at <= now - LAST_USED_PRECISION,
    )


def do_touch_token(session: Session, *, token_id: int, now: datetime) -> None:
    """Record that the token was used, unless someone recorded it within the last minute
    (concurrent requests of one script then write once, not each)."""
    session.execute(
        update(PersonalAccessToken)
        .where(
            PersonalAccessToken.id == token_id,
            or_(
                PersonalAccessToken.last_used_at.is_(None),
                PersonalAccessToken.last_used_at <= now - LAST_USED_PRECISION,
            ),
        )
        .values(last_used_at=now)
    )


def bearer_secret(authorization: str) -> str | None:
    """The secret of an `Authorization: Bearer …` header; None for any other scheme."""
    scheme, _, credentials = authorization.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return credentials.strip()


def access_token_caller(
    database: Database, *, server_key: bytes, secret: str, now: datetime
) -> LiveToken:
    """Who a bearer secret acts for (401 `token_invalid` if it acts for nobody), recording its
    use at most once a minute in a short transaction of its own."""
    with database.read_connection() as connection:
        found = access_token(connection, server_key=server_key, secret=secret, now=now)
    if found.needs_touch:
        with database.transaction() as session:
            do_touch_token(session, token_id=found.token.id, now=now)
    return found.token
