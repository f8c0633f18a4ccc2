"""The registry API's shapes at the edge (pydantic)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from miniapp.apps.models import App


class AppSummary(BaseModel):
    appid: str
    name: str

    @classmethod
    def of(cls, app: App) -> AppSummary:
        return cls(appid=app.appid, name=app.name)


class AppList(BaseModel):
    apps: list[AppSummary]


class LaunchOut(BaseModel):
    """What the host needs to start a mini program: the manifest of the bundle this user gets."""

    appid: str
    name: str
    bundle: str = Field(description="The released bundle's id (its manifest's hash).")
    version: str | None = Field(
        description="The version's label (None for a bundle released without one)."
    )
    envVersion: str = Field(  # the runtime's JSON spelling, as wx.getAccountInfoSync's
        description='"release", "trial" (the trial version) or "develop" (a preview build).'
    )
    webviewDomains: list[str] = Field(  # the runtime's JSON spelling
        description="The sites the app's web-view may show (its registered business domains)."
    )
    urlCheck: bool = Field(  # the runtime's JSON spelling
        default=True,
        description="False on a development server (the simulator): web-view addresses are not "
        "checked against the domains, and plain http is allowed, as in WeChat's devtools.",
    )
    manifest: dict[str, Any] = Field(description="The bundle's manifest.json.")
