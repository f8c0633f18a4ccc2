"""The subscription tables: an app's templates (`app_templates`), a user's send credits per
template (`subscribe_credits`), the notifications delivered (`service_notifications`), and the
user's kept choices ("always keep this choice": `subscribe_preferences`) and main switch per app
(`subscribe_switches`). docs/subscriptions.md."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from miniapp.clock import utc_now
from miniapp.db.base import Base
from miniapp.db.types import UTCDateTime

PRI_TMPL_ID_LENGTH = 43
SCENE_DESC_LENGTH = 32
TITLE_LENGTH = 64
PAGE_LENGTH = 512


class AppTemplate(Base):
    """A library title an app added with the keywords it sends (`kid_list`, in its order)."""

    __tablename__ = "app_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    pri_tmpl_id: Mapped[str] = mapped_column(String(PRI_TMPL_ID_LENGTH), unique=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), index=True)
    tid: Mapped[int] = mapped_column(Integer)
    kid_list: Mapped[list[int]] = mapped_column(JSON)
    scene_desc: Mapped[str] = mapped_column(String(SCENE_DESC_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class SubscribeCredit(Base):
    """How many sends of a template the user has allowed (one per accept of a one-time
    template; a long-term template's 1 is never consumed)."""

    __tablename__ = "subscribe_credits"
    __table_args__ = (CheckConstraint("credits >= 0", name="credits_not_negative"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    pri_tmpl_id: Mapped[str] = mapped_column(
        ForeignKey("app_templates.pri_tmpl_id", ondelete="CASCADE"), primary_key=True, index=True
    )
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), index=True)
    credits: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ServiceNotification(Base):
    """A message delivered to the user's "Service notifications". Kept when its template is
    deleted: what was delivered stays the user's."""

    __tablename__ = "service_notifications"
    __table_args__ = (
        Index("ix_service_notifications_user_id_created_at", "user_id", "created_at"),
        # The unread count and "mark all read" read only the unread rows of one user.
        Index(
            "ix_service_notifications_user_id_unread",
            "user_id",
            sqlite_where=text("read_at IS NULL"),
            postgresql_where=text("read_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), index=True)
    pri_tmpl_id: Mapped[str] = mapped_column(String(PRI_TMPL_ID_LENGTH))
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    fields: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    page: Mapped[str] = mapped_column(String(PAGE_LENGTH), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When the user first opened it (or marked all read); None while unread.
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class SubscribePreference(Base):
    """A choice the user asked to keep ("always keep this choice, don't ask again"): later
    requests for the template are answered with it without asking. Goes with its template."""

    __tablename__ = "subscribe_preferences"
    __table_args__ = (CheckConstraint("decision IN ('accept', 'reject')", name="decision_known"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    pri_tmpl_id: Mapped[str] = mapped_column(
        ForeignKey("app_templates.pri_tmpl_id", ondelete="CASCADE"), primary_key=True, index=True
    )
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(8))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SubscribeSwitch(Base):
    """The user's main switch of an app's subscription messages; no row is on. Off, every
    request fails without asking (WeChat's 20004)."""

    __tablename__ = "subscribe_switches"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    app_id: Mapped[int] = mapped_column(
        ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    main_switch: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
