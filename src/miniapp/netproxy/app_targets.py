"""Where one app's proxied call may go: a registered domain of the call's kind, checked and pinned.

Shared by the proxies of `wx.request` (routes.py) and of `wx.downloadFile`, `wx.uploadFile` and
`wx.connectSocket` (transfer_routes.py). An app without a release is unknown (`app_not_found`);
development (`dev_mode`) allows plain http/ws and loopback and skips the lists, as WeChat's
devtools with "do not verify domains".
"""

from __future__ import annotations

from typing import Literal

from starlette.concurrency import run_in_threadpool

from miniapp.apps.registry import access_launchable_app
from miniapp.db.session import Database
from miniapp.netproxy.targets import Target
from miniapp.netproxy.transfer import checked_target
from miniapp.settings import Settings

DomainKind = Literal["request", "socket", "upload", "download"]


def page_frame_referer(settings: Settings, appid: str) -> str:
    """The Referer an app's calls carry, as WeChat's `https://servicewechat.com/<appid>/…`."""
    return f"{settings.effective_public_url}/{appid}/page-frame.html"


def _domains(database: Database, appid: str, kind: DomainKind) -> list[str]:
    with database.read() as session:
        app = access_launchable_app(session, appid=appid)
        return list(getattr(app, f"{kind}_domains"))


async def access_app_target(
    database: Database,
    settings: Settings,
    *,
    appid: str,
    kind: DomainKind,
    url: str,
    api: str,
    timeout_ms: int,
    scheme: str = "https",
) -> Target:
    """`url` checked against `appid`'s domains of `kind`, failing as `api` does."""
    domains = await run_in_threadpool(_domains, database, appid, kind)
    return await checked_target(
        url,
        api=api,
        domains=None if settings.dev_mode else domains,
        allow_private=settings.dev_mode,
        timeout_ms=timeout_ms,
        scheme=scheme,
    )
