"""CSRF protection for the cookie-authenticated JSON API (`/api/...`).

Double submit: the CSRF cookie (SameSite=Lax, readable by our own pages only) must be echoed in
the `X-CSRF-Token` header of every state-changing request, and an `Origin` other than our own
is refused outright. Signed-in requests are further bound to the token stored with the session
(checked in `accounts.request_auth`). The open API (`/cgi-bin`, `/sns`, `/v3`, ...) carries no
cookies and is not covered here.

Requests with `Authorization: Bearer` and no cookie at all (the CLI, scripts) skip the double
submit: a browser cannot attach that header cross-site without a CORS preflight, which we never
answer, and without cookies there is no ambient authority to abuse. The CLI's token login is
exempt too: it sets no cookie and its answer is unreadable cross-origin. A foreign `Origin` is
refused on every request all the same.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from miniapp.accounts.tokens import tokens_equal
from miniapp.errors import Forbidden
from miniapp.settings import Settings

CSRF_COOKIE = "miniapp_csrf"
CSRF_HEADER = b"x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PROTECTED_PREFIX = "/api/"
# Sets no cookie, acts on nothing but the login and password in its body.
EXEMPT_PATHS = frozenset({"/api/accounts/tokens/login"})


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key == name:
            return value.decode("latin-1")
    return None


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def public_origin(settings: Settings) -> str:
    return _origin_of(settings.effective_public_url)


def origin_allowed(origin: str, *, public_origin: str, host: str | None) -> bool:
    """Our public origin, or the origin of the Host this request came to (the Host header
    itself is checked against the trusted hosts by TrustedHostMiddleware)."""
    origin = origin.lower()
    if origin == public_origin:
        return True
    return host is not None and origin in (f"http://{host}".lower(), f"https://{host}".lower())


class CSRFMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.public_origin = public_origin(settings)
        self.cookie_name = (
            "__Host-" + CSRF_COOKIE if settings.effective_cookie_secure else CSRF_COOKIE
        )

    def _origin_allowed(self, scope: Scope, origin: str) -> bool:
        return origin_allowed(
            origin, public_origin=self.public_origin, host=_header(scope["headers"], b"host")
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] not in SAFE_METHODS
            and scope["path"].startswith(PROTECTED_PREFIX)
        ):
            headers = scope["headers"]
            origin = _header(headers, b"origin")
            raw_cookies = _header(headers, b"cookie")
            # Starlette's own parser, so the middleware reads cookies exactly as the routes do
            # (a malformed neighbour cookie must not hide ours).
            cookie = cookie_parser(raw_cookies or "").get(self.cookie_name)
            header = _header(headers, CSRF_HEADER)
            exempt = scope["path"] in EXEMPT_PATHS or (
                raw_cookies is None and _is_bearer(_header(headers, b"authorization"))
            )
            if (origin is not None and not self._origin_allowed(scope, origin)) or (
                not exempt and (not cookie or not header or not tokens_equal(cookie, header))
            ):
                await send_error(send, Forbidden("csrf_failed").to_dict(), status=403)
                return
        await self.app(scope, receive, send)


def _is_bearer(authorization: str | None) -> bool:
    return authorization is not None and authorization.strip()[:7].lower() == "bearer "


async def send_error(send: Send, error: dict[str, object], *, status: int) -> None:
    body = json.dumps({"error": error}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
