"""The console's app-profile API shapes at the edge (pydantic): docs/release-journey.md §2."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from miniapp.apps.categories import Category
from miniapp.apps.logos import media_url
from miniapp.apps.models import App
from miniapp.apps.profile import AppProfile, UploadedPermit

# Generous bounds for the parser only; the services give the clear errors (200 domains a kind,
# 64-character names, 500-character descriptions).
_DOMAIN = Field(default=None, max_length=1000)


class CategoryOut(BaseModel):
    id: str
    name: str = Field(description="In the caller's language; the web apps use `category.<id>`.")
    permits: list[str] = Field(description="The permits an app in this category must upload.")

    @classmethod
    def of(cls, category: Category, *, language: str) -> CategoryOut:
        return cls(
            id=category.id, name=category.name(language=language), permits=list(category.permits)
        )


class CategoryList(BaseModel):
    categories: list[CategoryOut]


class AppCreateIn(BaseModel):
    name: str = Field(max_length=300)
    description: str = Field(default="", max_length=5000)
    category: str | None = Field(default=None, max_length=64)


class AppPatchIn(BaseModel):
    """Each field given is set; fields left out keep their value."""

    name: str | None = Field(default=None, max_length=300)
    description: str | None = Field(default=None, max_length=5000)
    category: str | None = Field(default=None, max_length=64)
    request_domains: list[str] | None = _DOMAIN
    socket_domains: list[str] | None = _DOMAIN
    upload_domains: list[str] | None = _DOMAIN
    download_domains: list[str] | None = _DOMAIN
    webview_domains: list[str] | None = _DOMAIN


class PermitOut(BaseModel):
    permit: str
    file_name: str
    uploaded_at: datetime

    @classmethod
    def of(cls, permit: UploadedPermit) -> PermitOut:
        return cls(permit=permit.permit, file_name=permit.file_name, uploaded_at=permit.uploaded_at)


class AppOrganisationOut(BaseModel):
    id: uuid.UUID
    name: str


class ReleaseOut(BaseModel):
    """What users get: `version` for everyone, except `grey_percent`% who get `grey_version`."""

    version: str | None
    grey_version: str | None
    grey_percent: int

    @classmethod
    def of(cls, app: App) -> ReleaseOut:
        return cls(
            version=app.released_version,
            grey_version=app.grey_version,
            grey_percent=app.grey_percent or 0,
        )


class AppOut(BaseModel):
    appid: str
    name: str
    description: str
    category: str | None
    logo_url: str | None = Field(description="`/media/<hash>.png`, public; null without a logo.")
    request_domains: list[str]
    socket_domains: list[str]
    upload_domains: list[str]
    download_domains: list[str]
    webview_domains: list[str]
    permits: list[PermitOut]
    permits_missing: list[str] = Field(
        description="Permits the category requires that have not been uploaded."
    )
    organisation: AppOrganisationOut
    release: ReleaseOut
    secret_set: bool = Field(description="Whether an AppSecret exists (it is never shown again).")
    secret_reset_at: datetime | None

    @classmethod
    def of(cls, profile: AppProfile) -> AppOut:
        app = profile.app
        return cls(
            appid=app.appid,
            name=app.name,
            description=app.description or "",
            category=app.category,
            logo_url=media_url(app.logo),
            request_domains=list(app.request_domains or []),
            socket_domains=list(app.socket_domains or []),
            upload_domains=list(app.upload_domains or []),
            download_domains=list(app.download_domains or []),
            webview_domains=list(app.webview_domains or []),
            permits=[PermitOut.of(permit) for permit in profile.permits],
            permits_missing=profile.permits_missing,
            organisation=AppOrganisationOut(
                id=profile.organisation.public_id, name=profile.organisation.name
            ),
            release=ReleaseOut.of(app),
            secret_set=app.secret_hash is not None,
            secret_reset_at=app.secret_reset_at,
        )


class AppEnvelope(BaseModel):
    app: AppOut


class AppProfileList(BaseModel):
    apps: list[AppOut]


class AppCreatedOut(BaseModel):
    app: AppOut
    secret: str = Field(description="The AppSecret, shown this once: only its HMAC is stored.")


class AppSecretOut(BaseModel):
    secret: str = Field(description="The new AppSecret, shown this once; the old one is void.")


class PermitList(BaseModel):
    permits: list[PermitOut]
    permits_missing: list[str]

    @classmethod
    def of(cls, profile: AppProfile) -> PermitList:
        return cls(
            permits=[PermitOut.of(permit) for permit in profile.permits],
            permits_missing=profile.permits_missing,
        )
