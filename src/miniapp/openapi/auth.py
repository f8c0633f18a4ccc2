"""Who is calling the open API: the app behind `?access_token=` (in the query string even for
POST, as WeChat's API takes it). A call is counted against the app's per-path rate limits
(rate_limits.py) once the caller is known, so no one can spend another app's quota;
jscode2session, which authenticates by `appid` and `secret`, counts itself once its own lookup
has checked the secret."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from miniapp.accounts.request_auth import app_database, app_settings
from miniapp.clock import utc_now
from miniapp.openapi.rate_limits import (
    app_path_limits,
    app_rate_limiter,
    do_count_path_call,
    routed_path,
)
from miniapp.openapi.tokens import (
    TokenApp,
    access_token_app,
)


def count_authenticated_call(request: Request, *, app_id: int) -> None:
    """Count a call by an app whose credentials were checked; 45011 or 45009 over the path's
    limits."""
    do_count_path_call(
        app_rate_limiter(request),
        app_path_limits(request),
        app_id=app_id,
        path=routed_path(request),
        now=utc_now(),
    )


def open_app(request: Request) -> TokenApp:
    """The app a valid access token acts for; otherwise the token's errcode (41001, 40014,
    40001, 42001) in WeChat's envelope. Over the path's limits: 45011 (a minute), 45009 (a
    day)."""
    settings = app_settings(request)
    with app_database(request).read() as session:
        app = access_token_app(
            session,
            token=request.query_params.get("access_token"),
            server_key=settings.server_key,
            now=utc_now(),
        )
    count_authenticated_call(request, app_id=app.app_id)
    return app


OpenAppDep = Annotated[TokenApp, Depends(open_app)]
