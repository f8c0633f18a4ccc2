"""Rate limits on password guessing and sign-ups, per login name and per client address.

Every attempt is recorded *before* its password is verified, under a lock on the login name and
the address, so concurrent guesses count against each other (a check-then-insert would let a
burst of simultaneous guesses through). A correct password then clears the login's record.
Rows live in the database, so limits hold across processes and restarts.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from miniapp.accounts.lock_objects import lock_names
from miniapp.accounts.models import LoginFailure
from miniapp.errors import TooManyRequests

# One address may fail this many times more than one login may: a shared office NAT must not be
# locked out by one person's typos, but one address cannot try many accounts.
PER_ADDRESS_FACTOR = 4
# Sign-ups per address per hour: enough for a family or an office, not for a script.
SIGNUPS_PER_ADDRESS = 20
SIGNUP_WINDOW_SECONDS = 3600
# The identifier sign-up rows are counted under; emails hold "@", phones start with "+", and
# unrecognised login names are stored with a "?" prefix, so none can collide with it.
SIGNUP_IDENTIFIER = "signup:"
# Rows older than this are never counted again (login windows are capped at a day).
RETENTION = timedelta(days=1)


def unknown_identifier(raw: str) -> str:
    """What a login that is neither email nor phone is counted under."""
    printable = "".join(c for c in raw.strip().lower() if c.isprintable())
    return "?" + printable[:250]


def _count_since(
    session: Session, *, column: InstrumentedAttribute[str], value: str, since: datetime
) -> tuple[int, datetime | None]:
    count, oldest = session.execute(
        select(func.count(), func.min(LoginFailure.created_at)).where(
            column == value,
            LoginFailure.created_at > since,
        )
    ).one()
    return int(count), oldest


def _refuse_if_over(
    count: int, oldest: datetime | None, *, limit: int, window: timedelta, now: datetime
) -> None:
    if count >= limit and oldest is not None:
        retry_after = max(1, int((oldest + window - now).total_seconds()) + 1)
        raise TooManyRequests("too_many_attempts", retry_after=retry_after)


def do_reserve_attempt(
    session: Session,
    *,
    identifier: str,
    address: str,
    now: datetime,
    max_failures: int,
    window_seconds: int,
) -> int:
    """Refuse (429) if the login or the address is over its limit; else record this attempt as a
    failure and return its id, to be cleared by `do_clear_login_failures` if it succeeds."""
    lock_names(session, f"login:{identifier}", f"address:{address}")
    window = timedelta(seconds=window_seconds)
    since = now - window
    count, oldest = _count_since(
        session, column=LoginFailure.identifier, value=identifier, since=since
    )
    _refuse_if_over(count, oldest, limit=max_failures, window=window, now=now)
    count, oldest = _count_since(session, column=LoginFailure.ip, value=address, since=since)
    _refuse_if_over(count, oldest, limit=max_failures * PER_ADDRESS_FACTOR, window=window, now=now)
    failure = LoginFailure(identifier=identifier[:254], ip=address[:45], created_at=now)
    session.add(failure)
    session.flush()
    return failure.id


def do_record_signup(session: Session, *, address: str, now: datetime) -> None:
    """Count a sign-up from `address`; refuse (429) past SIGNUPS_PER_ADDRESS an hour."""
    lock_names(session, f"address:{address}")
    window = timedelta(seconds=SIGNUP_WINDOW_SECONDS)
    rows = session.execute(
        select(func.count(), func.min(LoginFailure.created_at)).where(
            LoginFailure.identifier == SIGNUP_IDENTIFIER,
            LoginFailure.ip == address,
            LoginFailure.created_at > now - window,
        )
    ).one()
    _refuse_if_over(int(rows[0]), rows[1], limit=SIGNUPS_PER_ADDRESS, window=window, now=now)
    session.add(LoginFailure(identifier=SIGNUP_IDENTIFIER, ip=address[:45], created_at=now))


def do_clear_login_failures(session: Session, *, identifier: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.identifier == identifier))


def do_delete_old_login_failures(session: Session, *, now: datetime) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.created_at <= now - RETENTION))
