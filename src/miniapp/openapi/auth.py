"""Who is calling the open API: the app behind `?access_token=` (in the query string even for
POST, as WeChat's API takes it). A call is counted against the app's per-path rate limits
(rate_limits.py) once the caller is known, so no one can spend another app's quota;
jscode2session, which authenticates by `appid` and `secret`, counts itself once its own lookup
has checked the secret."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import QueryParams

from miniapp.accounts.request_auth import app_database, app_settings
from miniapp.clock import utc_now
from miniapp.db.raw_statements import Statements
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


def access_token_given(request: Request) -> str | None:
    """`?access_token=` exactly as `request.query_params.get("access_token")` reads it (the last
    one given; "" for a bare `access_token`), without parsing the rest of the query: every call
    that takes a token reads only this, and parsing the whole query took a send 3 % of its time
    (bench/bench_subscribe.py). A query with an escape (`%`, `+`) goes the general way."""
    query: bytes = request.scope["query_string"]
    if b"%" in query or b"+" in query:
        return QueryParams(query).get("access_token")
    found = None
    for part in query.decode("latin-1").split("&"):
        name, _, value = part.partition("=")
        if name == "access_token":
            found = value
    return found


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


def query_parameter(name: str, description: str, *, required: bool = False) -> dict[str, object]:
    """The OpenAPI description of a string query parameter, for a route that reads its query
    itself (the hot paths: openapi/hot_paths.py), so /docs still lists it."""
    described: dict[str, object] = {"name": name, "in": "query", "schema": {"type": "string"}}
    if required:
        described["required"] = True
    return {**described, "description": description}


ACCESS_TOKEN_PARAMETER = query_parameter(
    "access_token", "An access token from /cgi-bin/token or /cgi-bin/stable_token.", required=True
)


def access_open_app(request: Request, connection: Statements) -> TokenApp:
    """The app a valid access token acts for; otherwise the token's errcode (41001, 40014,
    40001, 42001) in WeChat's envelope. Over the path's limits: 45011 (a minute), 45009 (a
    day)."""
    app = access_token_app(
        connection,
        token=access_token_given(request),
        server_key=app_settings(request).server_key,
        now=utc_now(),
    )
    count_authenticated_call(request, app_id=app.app_id)
    return app


def open_app(request: Request) -> TokenApp:
    """access_open_app on a connection of its own (the dependency of every token-taking route
    but the hot paths, which check the token inside their own transaction)."""
    with app_database(request).read_connection() as connection:
        return access_open_app(request, connection)


OpenAppDep = Annotated[TokenApp, Depends(open_app)]
