"""The identity tables: a user as one app knows them (`app_users`), the login codes `wx.login`
hands out (`login_codes`) and the phone-number button's codes (`phone_codes`). See
docs/identity.md."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from miniapp.clock import utc_now
from miniapp.db.base import Base
from miniapp.db.types import UTCDateTime

OPENID_LENGTH = 28
CODE_HASH_LENGTH = 64


class AppUser(Base):
    """A user of one app: their openid (derived, stored so a back end's openid can be looked
    up) and their current session. The session key is derived from (`id`, `session_serial`),
    never stored; each `wx.login` increments the serial, which rotates the key."""

    __tablename__ = "app_users"
    __table_args__ = (UniqueConstraint("app_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    openid: Mapped[str] = mapped_column(String(OPENID_LENGTH), unique=True)
    session_serial: Mapped[int] = mapped_column(Integer, default=0)
    session_issued_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class LoginCode(Base):
    """A `wx.login` code: only its HMAC is stored. Valid until `expires_at`, once (`used_at`),
    for the session `serial` of its app user."""

    __tablename__ = "login_codes"
    __table_args__ = (Index("ix_login_codes_expires_at", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(CODE_HASH_LENGTH), unique=True)
    app_user_id: Mapped[int] = mapped_column(
        ForeignKey("app_users.id", ondelete="CASCADE"), index=True
    )
    serial: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class PhoneCode(Base):
    """A phone-number button's code: only its HMAC is stored. Valid until `expires_at`, once
    (`used_at`), for the app user who allowed it; the number is read from the account when the
    back end redeems it."""

    __tablename__ = "phone_codes"
    __table_args__ = (Index("ix_phone_codes_expires_at", "expires_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(CODE_HASH_LENGTH), unique=True)
    app_user_id: Mapped[int] = mapped_column(
        ForeignKey("app_users.id", ondelete="CASCADE"), index=True
    )
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
