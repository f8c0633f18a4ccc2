"""The open API's hottest calls, routed before the framework.

`GET /sns/jscode2session` (every user's login) and `POST /cgi-bin/message/subscribe/send` are
what a merchant's back end calls most. FastAPI's routing, its exception middleware and its
dependency solving took more time than the calls' own work (bench/bench_identity.py,
bench/bench_subscribe.py), so this middleware, the innermost of the app's own, hands such a
request straight to its endpoint: a plain `async def endpoint(request) -> Response`, which is
also registered with FastAPI as usual (for the API reference, and for anything reaching the
router). The outer middlewares (security headers, trusted hosts, body limits, CSRF) apply as
to every request, and an unexpected error reaches the app's own handler (-1 "system error").
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Mapping, Sequence

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

from miniapp.openapi.envelope import OpenApiError, envelope

Endpoint = Callable[[Request], Awaitable[Response]]


def routed_endpoints(
    routes: Sequence[BaseRoute], endpoints: Collection[Endpoint]
) -> dict[tuple[str, str], Endpoint]:
    """(method, path) -> endpoint, for each of `endpoints` as `routes` serve it (so the paths
    are written once, on the routes). Precondition: the routers of `routes` are included
    without a prefix, and each endpoint's path has no parameters."""
    found: dict[tuple[str, str], Endpoint] = {}
    for route in routes:
        if isinstance(route, APIRoute) and route.endpoint in endpoints:
            if route.param_convertors:
                raise ValueError(f"a hot path must be exact, not {route.path}")
            found.update({(method, route.path): route.endpoint for method in route.methods or ()})
    missing = set(endpoints) - set(found.values())
    if missing:
        raise ValueError(f"hot endpoints without a route: {sorted(e.__name__ for e in missing)}")
    return found


class HotPathsMiddleware:
    def __init__(self, app: ASGIApp, *, endpoints: Mapping[tuple[str, str], Endpoint]) -> None:
        """`endpoints`: (method, exact path) -> the endpoint that answers it
        (routed_endpoints)."""
        self.app = app
        self.endpoints = dict(endpoints)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        endpoint = (
            self.endpoints.get((scope["method"], scope["path"]))
            if scope["type"] == "http"
            else None
        )
        if endpoint is None:
            await self.app(scope, receive, send)
            return
        try:
            response = await endpoint(Request(scope, receive))
        except OpenApiError as error:  # FastAPI's handler for it is further in
            response = envelope(error.errcode, error.errmsg)
        await response(scope, receive, send)
