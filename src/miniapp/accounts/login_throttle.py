"""Rate limits on sign-in attempts, per login name and per client address.

Failures are rows in the database, so the limit holds across processes and restarts; checking
happens before the password is verified, so a locked-out login cannot be probed further.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from miniapp.accounts.models import LoginFailure
from miniapp.errors import TooManyRequests

# One address may fail this many times more than one login may: a shared office NAT must not be
# locked out by one person's typos, but one address cannot try many accounts.
PER_ADDRESS_FACTOR = 4


def check_login_allowed(
    session: Session,
    *,
    identifier: str,
    ip: str,
    now: datetime,
    max_failures: int,
    window_seconds: int,
) -> None:
    since = now - timedelta(seconds=window_seconds)
    for column, value, limit in (
        (LoginFailure.identifier, identifier, max_failures),
        (LoginFailure.ip, ip, max_failures * PER_ADDRESS_FACTOR),
    ):
        count, oldest = session.execute(
            select(func.count(), func.min(LoginFailure.created_at)).where(
                column == value, LoginFailure.created_at > since
            )
        ).one()
        if count >= limit:
            # min() keeps the column's type, so `oldest` is an aware UTC datetime here.
            unlocks_at = oldest + timedelta(seconds=window_seconds)
            retry_after = max(1, int((unlocks_at - now).total_seconds()) + 1)
            raise TooManyRequests("too_many_attempts", retry_after=retry_after)


def do_record_login_failure(session: Session, *, identifier: str, ip: str, now: datetime) -> None:
    session.add(LoginFailure(identifier=identifier[:254], ip=ip[:45], created_at=now))


def do_clear_login_failures(session: Session, *, identifier: str) -> None:
    session.execute(delete(LoginFailure).where(LoginFailure.identifier == identifier))


def do_delete_old_login_failures(session: Session, *, now: datetime, window_seconds: int) -> None:
    since = now - timedelta(seconds=window_seconds)
    session.execute(delete(LoginFailure).where(LoginFailure.created_at <= since))
