"""Accounts: users, staff, organisations, members, invitations, sessions, login failures, audit."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from miniapp.clock import utc_now
from miniapp.db.base import Base, PublicIdMixin, TimestampMixin
from miniapp.db.types import UTCDateTime


class OrgRole(enum.StrEnum):
    """A member's role inside one organisation (WeChat's project-member permissions)."""

    ADMIN = "admin"
    DEVELOPER = "developer"
    OPERATOR = "operator"
    ANALYST = "analyst"
    TESTER = "tester"


class StaffRole(enum.StrEnum):
    """Platform staff roles: they belong to the platform, never to an organisation."""

    REVIEWER = "reviewer"
    PLATFORM_ADMIN = "platform_admin"


def _in_list(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN (" + ", ".join(f"'{value.value}'" for value in values) + ")"


class User(PublicIdMixin, TimestampMixin, Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="has_login"),
        CheckConstraint("language IS NULL OR language IN ('en', 'zh')", name="language"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(8))
    developer_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    staff_roles: Mapped[list[StaffGrant]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="StaffGrant.role"
    )

    @property
    def login(self) -> str:
        return self.email or self.phone or ""


class StaffGrant(Base):
    __tablename__ = "staff_roles"
    __table_args__ = (
        UniqueConstraint("user_id", "role"),
        CheckConstraint(_in_list("role", StaffRole), name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(32))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    user: Mapped[User] = relationship(back_populates="staff_roles")


class VerificationStatus(enum.StrEnum):
    """Where an organisation's business verification (WeChat's 微信认证) stands."""

    UNVERIFIED = "unverified"  # never applied, or the last application was withdrawn
    PENDING = "pending"  # an application waits for a platform reviewer
    VERIFIED = "verified"  # approved; in force while the fee is paid and not expired
    REJECTED = "rejected"  # the last application was refused (its reason is on it)


class Organisation(PublicIdMixin, TimestampMixin, Base):
    """An organisation. Its verification is in force only while `verification_status` is
    verified, the yearly fee is paid and `verified_until` is in the future (see
    accounts/verification.py `is_verified`); the application history is in
    organisation_verifications."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(_in_list("verification_status", VerificationStatus), name="verification"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    verification_status: Mapped[str] = mapped_column(
        String(16), default=VerificationStatus.UNVERIFIED.value
    )
    verification_fee_paid: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Membership(TimestampMixin, Base):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("organisation_id", "user_id"),
        CheckConstraint(_in_list("role", OrgRole), name="role"),
        Index("ix_memberships_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))

    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation] = relationship()


class Invitation(TimestampMixin, Base):
    """An offer of membership that grants nothing until the invited user accepts it.

    WeChat asks an invited person to confirm before they join a project. Accepting turns the
    invitation into a Membership with its role. A person has at most one invitation per
    organisation and never an invitation beside a membership: both are written under the
    organisation's row lock.
    """

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("organisation_id", "user_id"),
        CheckConstraint(_in_list("role", OrgRole), name="role"),
        Index("ix_invitations_user_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    organisation: Mapped[Organisation] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])


class UserSession(Base):
    """A signed-in browser. Only an HMAC of the cookie's token is stored."""

    __tablename__ = "sessions"
    __table_args__ = (Index("ix_sessions_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_agent: Mapped[str] = mapped_column(String(255), default="")
    ip: Mapped[str] = mapped_column(String(45), default="")

    user: Mapped[User] = relationship()


class LoginFailure(Base):
    """One failed sign-in, counted per login name and per address to rate-limit guessing."""

    __tablename__ = "login_failures"
    __table_args__ = (
        Index("ix_login_failures_identifier_created_at", "identifier", "created_at"),
        Index("ix_login_failures_ip_created_at", "ip", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(254))
    ip: Mapped[str] = mapped_column(String(45))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class AuditEvent(Base):
    """Who changed what in an organisation; admins read it, nobody edits it."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_organisation_id_id", "organisation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class PrivateDocument(PublicIdMixin, Base):
    """An uploaded document that is never served publicly: a business licence, an ID, a permit.

    The bytes live in the private document store (accounts/private_documents.py) under
    `storage_key`; only the organisation's admins and platform staff may read them, through
    routes that check who is asking. `app_id` is set for an app's permits.
    """

    __tablename__ = "private_documents"
    __table_args__ = (Index("ix_private_documents_organisation_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    app_id: Mapped[int | None] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))  # licence | legal_rep_id | permit:<name>
    file_name: Mapped[str] = mapped_column(String(128))  # as uploaded, cleaned, for display
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(128))
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)


class VerificationDecision(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class OrganisationVerification(PublicIdMixin, Base):
    """One application for business verification, and the platform's decision on it."""

    __tablename__ = "organisation_verifications"
    __table_args__ = (
        CheckConstraint(_in_list("status", VerificationDecision), name="status"),
        Index("ix_organisation_verifications_organisation_id", "organisation_id"),
        Index("ix_organisation_verifications_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=VerificationDecision.PENDING.value)
    company_name: Mapped[str] = mapped_column(String(100))
    registration_number: Mapped[str] = mapped_column(String(64))
    legal_representative: Mapped[str] = mapped_column(String(64))
    licence_document_id: Mapped[int] = mapped_column(ForeignKey("private_documents.id"))
    id_document_id: Mapped[int] = mapped_column(ForeignKey("private_documents.id"))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship()
    licence_document: Mapped[PrivateDocument] = relationship(foreign_keys=[licence_document_id])
    id_document: Mapped[PrivateDocument] = relationship(foreign_keys=[id_document_id])


class PersonalAccessToken(PublicIdMixin, Base):
    """A token a person makes for the CLI and scripts (`Authorization: Bearer mpat_…`).

    It acts as its user with that user's roles; only an HMAC of it is stored (tokens.token_hash),
    and `prefix` (its first characters) is kept so people can tell their tokens apart.
    """

    __tablename__ = "personal_access_tokens"
    __table_args__ = (Index("ix_personal_access_tokens_user_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
