"""The user's "Service notifications" and their read state (docs/subscriptions.md "Service
notifications"): what sends delivered, newest first, each read or not, with the unread count.

A notification is read once the user opens it (or marks all read): `read_at` keeps the first
time, so opening it again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from miniapp.apps.models import App
from miniapp.errors import NotFound
from miniapp.subscribe.models import ServiceNotification

NOTIFICATIONS_LIMIT = 100


@dataclass(frozen=True, slots=True)
class Notification:
    id: int
    appid: str
    app_name: str
    title: str
    fields: list[dict[str, str]]
    page: str
    created_at: datetime
    read: bool


@dataclass(frozen=True, slots=True)
class Inbox:
    """The newest notifications (at most NOTIFICATIONS_LIMIT) and how many of all the user's
    notifications are unread (older ones included)."""

    notifications: list[Notification]
    unread: int


def _unread_count(user_id: int) -> Select[int]:
    return (
        select(func.count())
        .select_from(ServiceNotification)
        .where(ServiceNotification.user_id == user_id, ServiceNotification.read_at.is_(None))
    )


def list_notifications(session: Session, *, user_id: int) -> Inbox:
    """The user's service notifications, newest first, and the unread count, in one query (the
    count an uncorrelated subquery the database evaluates once)."""
    rows = session.execute(
        select(ServiceNotification, App.appid, App.name, _unread_count(user_id).scalar_subquery())
        .join(App, App.id == ServiceNotification.app_id)
        .where(ServiceNotification.user_id == user_id)
        .order_by(ServiceNotification.created_at.desc(), ServiceNotification.id.desc())
        .limit(NOTIFICATIONS_LIMIT)
    ).all()
    notifications = [
        Notification(
            id=found.id,
            appid=appid,
            app_name=name,
            title=found.title,
            fields=list(found.fields),
            page=found.page,
            created_at=found.created_at,
            read=found.read_at is not None,
        )
        for found, appid, name, _unread in rows
    ]
    return Inbox(notifications=notifications, unread=int(rows[0][3]) if rows else 0)


def count_unread(session: Session, *, user_id: int) -> int:
    return session.scalar(_unread_count(user_id)) or 0


def do_mark_read(session: Session, *, user_id: int, notification_id: int, now: datetime) -> None:
    """Mark the user's notification read (keeping the first time it was); `not_found` when it is
    not theirs, so another user's ids are indistinguishable from ids that do not exist."""
    exists = session.scalar(
        select(ServiceNotification.id).where(
            ServiceNotification.id == notification_id, ServiceNotification.user_id == user_id
        )
    )
    if exists is None:
        raise NotFound()
    session.execute(
        update(ServiceNotification)
        .where(ServiceNotification.id == notification_id, ServiceNotification.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )


def do_mark_all_read(session: Session, *, user_id: int, now: datetime) -> None:
    """Mark every unread notification of the user read."""
    session.execute(
        update(ServiceNotification)
        .where(ServiceNotification.user_id == user_id, ServiceNotification.read_at.is_(None))
        .values(read_at=now)
        .execution_options(synchronize_session=False)
    )
