"""The consent API's shapes at the edge (pydantic). docs/consent.md."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from miniapp.apps.logos import media_url
from miniapp.consent.consents import AppAccesses


class AuthSettingOut(BaseModel):
    authSetting: dict[str, bool] = Field(
        description="Every scope the user decided for the app: true granted, false denied."
    )


class ConsentIn(BaseModel):
    granted: bool


class AccessIn(BaseModel):
    # Checked by the service, so an unknown one is `consent_scope_unknown` as for a scope.
    what: str = Field(description='A scope (granted), "userProfile" or "album".', max_length=64)


class AccessOut(BaseModel):
    what: str
    at: datetime


class PrivacyApp(BaseModel):
    appid: str
    name: str
    logo_url: str | None = Field(description="`/media/<hash>.png`; null without a logo.")
    accesses: list[AccessOut] = Field(description="Most recent first.")

    @classmethod
    def of(cls, found: AppAccesses) -> PrivacyApp:
        return cls(
            appid=found.appid,
            name=found.name,
            logo_url=media_url(found.logo),
            accesses=[AccessOut(what=a.what, at=a.at) for a in found.accesses],
        )


class PrivacyOut(BaseModel):
    apps: list[PrivacyApp] = Field(description="By latest access, most recent first.")
