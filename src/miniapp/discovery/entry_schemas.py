"""The launches, recents and favourites API's shapes at the edge (pydantic)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from miniapp.apps.logos import media_url
from miniapp.discovery.recents import ListedApp


class LaunchIn(BaseModel):
    # Checked by the service (launches.py), so that every refusal is `launch_invalid`.
    appid: str
    scene: int = Field(description="The entry's WeChat scene, 1000..9999 (1001: Discover list).")
    path: str = Field(default="", description="The page opened, as in app.json; '' for home.")
    hot: bool = Field(description="A hot start: the app was resumed, not started.")
    build: str | None = Field(
        default=None,
        description='The build opened instead of the release: "trial" or a version\'s id '
        "(members only, as the launch route's `build`).",
    )


class EntryApp(BaseModel):
    appid: str
    name: str
    logo_url: str | None = Field(description="`/media/<hash>.png`; null without a logo.")
    at: datetime = Field(description="When it was last used (recents) or added (favourites).")

    @classmethod
    def of(cls, listed: ListedApp) -> EntryApp:
        return cls(
            appid=listed.appid, name=listed.name, logo_url=media_url(listed.logo), at=listed.at
        )


class EntryAppList(BaseModel):
    apps: list[EntryApp]

    @classmethod
    def of(cls, listed: list[ListedApp]) -> EntryAppList:
        return cls(apps=[EntryApp.of(app) for app in listed])
