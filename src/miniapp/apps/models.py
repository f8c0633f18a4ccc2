"""The mini-program registry's tables."""

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
    text,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column, relationship

from miniapp.accounts.models import Organisation, User
from miniapp.apps.names import app_name_key
from miniapp.clock import utc_now
from miniapp.db.base import Base, PublicIdMixin, TimestampMixin
from miniapp.db.types import UTCDateTime

APPID_LENGTH = 32
APP_NAME_LENGTH = 64
BUNDLE_ID_LENGTH = 20
VERSION_LENGTH = 32
VERSION_DESCRIPTION_LENGTH = 200


def _name_key_of_row(context: DefaultExecutionContext) -> str:
    name: str = context.get_current_parameters()["name"]  # type: ignore[no-untyped-call]
    return app_name_key(name)


class App(PublicIdMixin, TimestampMixin, Base):
    """A mini program: its appid (WeChat style, `wx` + 16 hex digits), name and owner.

    `released_bundle` is the id of the bundle users get when they launch it (see bundles.py);
    None until a bundle is released. The server domains, as WeChat's "服务器域名" and "业务域名":
    `request_domains` are the host names `wx.request` may reach, `socket_domains` those
    `wx.connectSocket` may, `upload_domains` / `download_domains` those of `wx.uploadFile` /
    `wx.downloadFile`, and `webview_domains` the sites a `web-view` may show.

    `name_key` is the name folded for uniqueness (NFKC, case-folded, spaces collapsed: see
    apps/profile.py), unique across the platform. `secret_hash` is an HMAC of the AppSecret,
    which is shown once. Release state is kept on this row so a launch resolves the version a
    user gets from the one row it reads anyway: `released_bundle` / `released_version` go to
    everyone, except that while `grey_percent` is 1..99 users whose bucket (0..99, stable per
    user, apps/releases.py) is below it get `grey_bundle` / `grey_version`.
    """

    __tablename__ = "apps"
    __table_args__ = (
        Index("ix_apps_organisation_id", "organisation_id"),
        CheckConstraint("grey_percent >= 0 AND grey_percent <= 100", name="grey_percent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    appid: Mapped[str] = mapped_column(String(APPID_LENGTH), unique=True)
    name: Mapped[str] = mapped_column(String(APP_NAME_LENGTH))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    request_domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    socket_domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    upload_domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    download_domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    webview_domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    released_bundle: Mapped[str | None] = mapped_column(String(BUNDLE_ID_LENGTH))
    # Registration checks the name is free first (registry.check_app_name_free), for a clear
    # error; the unique index settles races. Rows made directly get their key from the name.
    name_key: Mapped[str] = mapped_column(
        String(APP_NAME_LENGTH * 3), unique=True, default=_name_key_of_row
    )
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str | None] = mapped_column(String(32))
    logo: Mapped[str | None] = mapped_column(String(32))  # "<sha256[:20]>.png", media store
    secret_hash: Mapped[str | None] = mapped_column(String(64))
    secret_reset_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    released_version: Mapped[str | None] = mapped_column(String(VERSION_LENGTH))
    grey_bundle: Mapped[str | None] = mapped_column(String(BUNDLE_ID_LENGTH))
    grey_version: Mapped[str | None] = mapped_column(String(VERSION_LENGTH))
    grey_percent: Mapped[int] = mapped_column(Integer, default=0)

    organisation: Mapped[Organisation | None] = relationship()


class VersionState(enum.StrEnum):
    """A version's life: development → checking → in_review → approved | rejected → released.

    `checking` is the automated checks running (a job); `in_review` waits for a reviewer; a
    withdrawn submission goes back to development. `released` serves users (to everyone, or to
    a grey share: see App); a release that is replaced or rolled back becomes `superseded`.
    """

    DEVELOPMENT = "development"
    CHECKING = "checking"
    IN_REVIEW = "in_review"
    APPROVED = "approved"
    REJECTED = "rejected"
    RELEASED = "released"
    SUPERSEDED = "superseded"


IN_REVIEW_STATES = (VersionState.CHECKING, VersionState.IN_REVIEW)


def _in_list(column: str, values: type[enum.StrEnum]) -> str:
    return f"{column} IN (" + ", ".join(f"'{value.value}'" for value in values) + ")"


_ONE_IN_REVIEW = text("state IN ('checking', 'in_review')")
_ONE_TRIAL = text("is_trial")


class AppVersion(PublicIdMixin, TimestampMixin, Base):
    """An uploaded version of an app: its compiled bundle, its source, its review.

    The uploaded package is kept privately (`source_key` in the private document store) for the
    automated checks and the reviewer. At most one version of an app is in review (checking or
    in_review) and at most one is the trial version: both are partial unique indexes, so two
    racing requests cannot both win.
    """

    __tablename__ = "app_versions"
    __table_args__ = (
        UniqueConstraint("app_id", "version"),
        CheckConstraint(_in_list("state", VersionState), name="state"),
        Index(
            "uq_app_versions_one_in_review",
            "app_id",
            unique=True,
            sqlite_where=_ONE_IN_REVIEW,
            postgresql_where=_ONE_IN_REVIEW,
        ),
        Index(
            "uq_app_versions_one_trial",
            "app_id",
            unique=True,
            sqlite_where=_ONE_TRIAL,
            postgresql_where=_ONE_TRIAL,
        ),
        Index("ix_app_versions_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"))
    version: Mapped[str] = mapped_column(String(VERSION_LENGTH))
    description: Mapped[str] = mapped_column(String(VERSION_DESCRIPTION_LENGTH), default="")
    bundle_id: Mapped[str] = mapped_column(String(BUNDLE_ID_LENGTH))
    source_key: Mapped[str] = mapped_column(String(128))
    size_bytes: Mapped[int] = mapped_column(Integer)
    report: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the compiler's size report
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    state: Mapped[str] = mapped_column(String(16), default=VersionState.DEVELOPMENT.value)
    is_trial: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The automated checks' findings: [{"check", "severity", "file", "line", "message"}, ...]
    findings: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    app: Mapped[App] = relationship()
    uploaded_by: Mapped[User | None] = relationship(foreign_keys=[uploaded_by_id])


class ReleaseAction(enum.StrEnum):
    RELEASE = "release"  # a version to everyone
    GREY = "grey"  # a version to a share of users
    WIDEN = "widen"  # the grey share made larger (100 makes it everyone's)
    ROLLBACK = "rollback"  # back to the previous release


class AppRelease(Base):
    """The history of what each app served, newest last; rollback reads it."""

    __tablename__ = "app_releases"
    __table_args__ = (
        CheckConstraint(_in_list("action", ReleaseAction), name="action"),
        Index("ix_app_releases_app_id_id", "app_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("apps.id", ondelete="CASCADE"))
    version_id: Mapped[int] = mapped_column(ForeignKey("app_versions.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(16))
    percent: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)

    version: Mapped[AppVersion] = relationship()
