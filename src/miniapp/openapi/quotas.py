"""Per-app call quotas of the open API (45009 "reach max api daily quota limit" and the
per-minute limits WeChat documents), counted in the database so every server process shares
them.

A call takes one unit with a conditional UPDATE (`used < limit`), so two concurrent calls can
never both take the last unit; the window's row is created on first use (a concurrent creator
loses the primary-key race inside a savepoint and takes its unit by the UPDATE instead).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import Enum

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from miniapp.openapi.envelope import QUOTA_REACHED, OpenApiError
from miniapp.openapi.models import ApiQuota

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Window(Enum):
    MINUTE = "minute"
    DAY = "day"
    LIFETIME = "lifetime"  # a cap for ever, e.g. 100 000 "A" and "C" codes per app


def window_start(window: Window, now: datetime) -> datetime:
    now = now.astimezone(UTC)
    if window is Window.MINUTE:
        return now.replace(second=0, microsecond=0)
    if window is Window.DAY:
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
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
    errmsg: str = "reach max api daily quota limit",
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


def do_delete_old_quota_windows(session: Session, *, now: datetime) -> None:
    """Minute and day windows older than two days are spent; lifetime rows stay."""
    session.execute(
        delete(ApiQuota).where(
            ApiQuota.window_start > EPOCH, ApiQuota.window_start < now - timedelta(days=2)
        )
    )
