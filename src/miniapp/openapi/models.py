"""The open API's tables: access tokens and per-app call quotas."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from miniapp.db.base import Base
from miniapp.db.types import UTCDateTime

TOKEN_HASH_LENGTH = 64
QUOTA_NAME_LENGTH = 32


class TokenKind(enum.StrEnum):
    """`token`: from GET /cgi-bin/token, a new one per call (the previous ones keep a short
    overlap). `stable`: from POST /cgi-bin/stable_token, the same one for the whole validity.
    The two are isolated: issuing one never touches the other kind."""

    TOKEN = "token"  # noqa: S105 (a kind, not a secret)
    STABLE = "stable"


class AccessToken(Base):
    """An access token of an app. Only an HMAC of the token is stored (`token_hash`); a stable
    token is derived from the row (openapi/tokens.py) so the same value can be answered again.
    `expires_at` is when it stops working; it is brought forward to end the overlap when a newer
    token of the same kind is issued, or to now when a stable token is force-refreshed."""

    __tablename__ = "access_tokens"
    __table_args__ = (
        Index("ix_access_tokens_app_kind_issued", "app_id", "kind", "issued_at"),
        CheckConstraint("kind IN ('token', 'stable')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    token_hash: Mapped[str] = mapped_column(String(TOKEN_HASH_LENGTH), unique=True)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When it was force-refreshed away (a 40001 "not latest", rather than 42001 expired).
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)


class ApiQuota(Base):
    """Calls of one quota (`name`, e.g. "wxacode.unlimited") by one app in one window starting at
    `window_start` (the minute, the day, or the epoch for a lifetime cap). Counted with a
    conditional update so concurrent calls never exceed the limit (openapi/quotas.py)."""

    __tablename__ = "api_quotas"
    __table_args__ = (CheckConstraint("used >= 0", name="used"),)

    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(QUOTA_NAME_LENGTH), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    used: Mapped[int] = mapped_column(Integer)
