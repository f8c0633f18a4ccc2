"""Discovery's tables: the gram index behind "did you mean", links (URL scheme / URL link),
every launch with its scene, and each user's recently used and favourite mini programs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from miniapp.clock import utc_now
from miniapp.db.base import Base
from miniapp.db.types import UTCDateTime

GRAM_LENGTH = 16
TICKET_LENGTH = 32
PAGE_LENGTH = 256
LINK_QUERY_LENGTH = 1024
ENV_LENGTH = 16


class AppNameGram(Base):
    """One gram of an app's folded name (search_index.name_grams): the inverted index that finds
    names sharing grams with a query without reading every app. Rewritten whenever the name is
    set (search_index.do_index_app_name); goes with the app."""

    __tablename__ = "app_name_grams"
    __table_args__ = (Index("ix_app_name_grams_gram", "gram"),)

    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    gram: Mapped[str] = mapped_column(String(GRAM_LENGTH), primary_key=True)


class AppLink(Base):
    """A URL scheme (`kind` "scheme", scene 1065) or URL link ("urllink", scene 1194) made by the
    app's back end: the public `ticket` resolves to the page, query and version until
    `expires_at` (links always expire, at most 30 days after they are made, as WeChat's do
    since 2023). `env_version` is release, trial or develop."""

    __tablename__ = "app_links"
    __table_args__ = (
        Index("ix_app_links_app_id_created_at", "app_id", "created_at"),
        CheckConstraint("kind IN ('scheme', 'urllink')", name="kind"),
        CheckConstraint("env_version IN ('release', 'trial', 'develop')", name="env_version"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket: Mapped[str] = mapped_column(String(TICKET_LENGTH), unique=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(PAGE_LENGTH), default="")
    query: Mapped[str] = mapped_column(String(LINK_QUERY_LENGTH), default="")
    env_version: Mapped[str] = mapped_column(String(ENV_LENGTH), default="release")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AppLaunch(Base):
    """One entry into a mini program, cold or hot, with its WeChat scene: what analytics counts.
    `user_id` is None for a signed-out user. Kept append-only."""

    __tablename__ = "app_launches"
    __table_args__ = (
        Index("ix_app_launches_app_id_occurred_at", "app_id", "occurred_at"),
        CheckConstraint("scene >= 1000 AND scene <= 9999", name="scene"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    scene: Mapped[int] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(String(PAGE_LENGTH), default="")
    hot: Mapped[bool] = mapped_column(Boolean, default=False)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class RecentApp(Base):
    """A mini program the user opened, for the "Recently used" list (most recent first). One row
    per (user, app), moved to the front by each launch; removing it from the list deletes it."""

    __tablename__ = "recent_apps"
    __table_args__ = (Index("ix_recent_apps_user_id_used_at", "user_id", "used_at"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    used_at: Mapped[datetime] = mapped_column(UTCDateTime)


class FavouriteApp(Base):
    """A mini program the user added to "My mini programs" from the capsule menu."""

    __tablename__ = "favourite_apps"
    __table_args__ = (Index("ix_favourite_apps_user_id_added_at", "user_id", "added_at"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime)
