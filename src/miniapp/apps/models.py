"""The mini-program registry's tables."""

from __future__ import annotations

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from miniapp.accounts.models import Organisation
from miniapp.db.base import Base, PublicIdMixin, TimestampMixin

APPID_LENGTH = 32
APP_NAME_LENGTH = 64
BUNDLE_ID_LENGTH = 20


class App(PublicIdMixin, TimestampMixin, Base):
    """A mini program: its appid (WeChat style, `wx` + 16 hex digits), name and owner.

    `released_bundle` is the id of the bundle users get when they launch it (see bundles.py);
    None until a bundle is released. The server domains, as WeChat's "服务器域名" and "业务域名":
    `request_domains` are the host names `wx.request` may reach, `socket_domains` those
    `wx.connectSocket` may, `upload_domains` / `download_domains` those of `wx.uploadFile` /
    `wx.downloadFile`, and `webview_domains` the sites a `web-view` may show.
    """

    __tablename__ = "apps"
    __table_args__ = (Index("ix_apps_organisation_id", "organisation_id"),)

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

    organisation: Mapped[Organisation | None] = relationship()
