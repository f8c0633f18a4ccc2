"""Per-app call quotas of the open API that must outlive a restart (45009 "reach max api daily
quota limit" for a day's access tokens, 45029 for lifetime code counts, 48006 for the monthly
clear_quota cap), counted in the database so every server process shares them. Minute limits,
and the per-path limits of every call, are rate_limits.py's (no database write on hot calls).

A call takes one unit with a conditional UPDATE (`used < limit`), so two concurrent calls can
never both take the last unit; the window's row is created on first use (a concurrent creator
loses the primary-key race inside a savepoint and takes its unit by the UPDATE instead).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import Enum

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from miniapp.openapi.envelope import QUOTA_REACHED, QUOTA_REACHED_ERRMSG, OpenApiError
from miniapp.openapi.models import ApiQuota

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Window(Enum):
    MINUTE = "minute"
    DAY = "day"
    MONTH = "month"  # a calendar month (UTC), e.g. clear_quota's 10
    LIFETIME = "lifetime"  # a cap for ever, e.g. 100 000 "A" and "C" codes per app


def window_start(window: Window, now: datetime) -> datetime:
    now = now.astimezone(UTC)
    if window is Window.MINUTE:
        return now.replace(second=0, microsecond=0)
    if window is Window.DAY:
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    if window is Window.MONTH:
        return now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return EPOCH


def _take(session: Session, *, app_id: int, name: str, start: datetime, limit: int) -> bool:
    result = session.execute(
        update(ApiQuota)
        .where(
            ApiQuota.app_id == app_id,
            ApiQuota.name == name,
            ApiQuota.window_start == start,
            ApiQuota.used < limit,
        )
        .values(used=ApiQuota.used + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def do_take_quota(
    session: Session,
    *,
    app_id: int,
    name: str,
    limit: int,
    window: Window,
    now: datetime,
    errcode: int = QUOTA_REACHED,
    errmsg: str = QUOTA_REACHED_ERRMSG,
) -> None:
    """Count one call of `name` by the app in the current window; over `limit`, raise
    OpenApiError(errcode) and count nothing. The caller's transaction carries the count, so a
    call that fails later (and rolls back) does not use up quota."""
    start = window_start(window, now)
    if _take(session, app_id=app_id, name=name, start=start, limit=limit):
        return
    if limit > 0:
        # No row the UPDATE could see: open the window. Another call may be opening it at the
        # same moment, or may have opened it since the UPDATE; either way the INSERT then fails
        # on the primary key (inside a savepoint) and the unit is taken from that row.
        try:
            with session.begin_nested():
                session.add(ApiQuota(app_id=app_id, name=name, window_start=start, used=1))
            return
        except IntegrityError:
            if _take(session, app_id=app_id, name=name, start=start, limit=limit):
                return
    raise OpenApiError(errcode, errmsg)


def quota_used(session: Session, *, app_id: int, name: str, window: Window, now: datetime) -> int:
    """Units of `name` the app has taken in the window holding `now`."""
    used = session.scalar(
        select(ApiQuota.used).where(
            ApiQuota.app_id == app_id,
            ApiQuota.name == name,
            ApiQuota.window_start == window_start(window, now),
        )
    )
    return used or 0


def do_delete_old_quota_windows(session: Session, *, now: datetime) -> None:
    """Windows that started over 32 days ago are spent (a month's included); lifetime rows
    stay."""
    session.execute(
        delete(ApiQuota).where(
            ApiQuota.window_start > EPOCH, ApiQuota.window_start < now - timedelta(days=32)
        )
    )


def do_clear_day_quotas(session: Session, *, app_id: int, now: datetime, keep: str) -> None:
    """Forget the app's counts of the current day (clear_quota), except the counter `keep`
    (a month's window may start at the same instant as the day's)."""
    session.execute(
        delete(ApiQuota).where(
            ApiQuota.app_id == app_id,
            ApiQuota.window_start == window_start(Window.DAY, now),
            ApiQuota.name != keep,
        )
    )
