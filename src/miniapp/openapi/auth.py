"""Who is calling the open API: the app behind `?access_token=` (in the query string even for
POST, as WeChat's API takes it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from miniapp.accounts.request_auth import app_database, app_settings
from miniapp.clock import utc_now
from miniapp.openapi.tokens import TokenApp, access_token_app


def open_app(request: Request) -> TokenApp:
    """The app a valid access token acts for; otherwise the token's errcode (41001, 40014,
    40001, 42001) in WeChat's envelope."""
    settings = app_settings(request)
    with app_database(request).read() as session:
        return access_token_app(
            session,
            token=request.query_params.get("access_token"),
            server_key=settings.server_key,
            now=utc_now(),
        )


OpenAppDep = Annotated[TokenApp, Depends(open_app)]
