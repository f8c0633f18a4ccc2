"""The consent tables: a user's remembered decision per app and scope (`app_consents`), and the
record of what an app accessed (`app_access_events`) that Me → Privacy shows. docs/consent.md."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from miniapp.db.base import Base
from miniapp.db.types import UTCDateTime

SCOPE_LENGTH = 32


class AppConsent(Base):
    """The user's decision on one scope of one app, as the settings page shows it."""

    __tablename__ = "app_consents"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    scope: Mapped[str] = mapped_column(String(SCOPE_LENGTH), primary_key=True)
    granted: Mapped[bool] = mapped_column(Boolean)
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AppAccessEvent(Base):
    """An app used a granted scope (`what` is the scope) or `wx.getUserProfile` (`userProfile`)."""

    __tablename__ = "app_access_events"
    __table_args__ = (Index("ix_app_access_events_user_id_occurred_at", "user_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(String(SCOPE_LENGTH))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
