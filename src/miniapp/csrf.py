"""CSRF protection for the cookie-authenticated JSON API (`/api/...`).

Double submit: the `miniapp_csrf` cookie (SameSite=Strict, readable by our own pages only) must be
echoed in the `X-CSRF-Token` header of every state-changing request, and a cross-site `Origin`
is refused outright. Signed-in requests are further bound to the token stored with the session
(checked in `accounts.request_auth`). The open API (`/cgi-bin`, `/sns`, `/v3`, ...) carries no
cookies and is not covered here.
"""

from __future__ import annotations

import json
from http.cookies import SimpleCookie

from starlette.types import ASGIApp, Receive, Scope, Send

from miniapp.accounts.tokens import tokens_equal
from miniapp.errors import Forbidden

CSRF_COOKIE = "miniapp_csrf"
CSRF_HEADER = b"x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PROTECTED_PREFIX = "/api/"


def read_cookie(headers: list[tuple[bytes, bytes]], name: str) -> str | None:
    for key, value in headers:
        if key == b"cookie":
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(value.decode("latin-1"))
            except Exception:  # noqa: S112  a malformed cookie header is simply no cookie
                continue
            if name in cookie:
                return cookie[name].value
    return None


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    for key, value in headers:
        if key == name:
            return value.decode("latin-1")
    return None


def _same_origin(scope: Scope, origin: str) -> bool:
    headers = scope["headers"]
    host = _header(headers, b"host")
    if host is None:
        return False
    return origin in (f"http://{host}", f"https://{host}")


class CSRFMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] not in SAFE_METHODS
            and scope["path"].startswith(PROTECTED_PREFIX)
        ):
            headers = scope["headers"]
            origin = _header(headers, b"origin")
            cookie = read_cookie(headers, CSRF_COOKIE)
            header = _header(headers, CSRF_HEADER)
            if (
                (origin is not None and origin != "null" and not _same_origin(scope, origin))
                or origin == "null"
                or not cookie
                or not header
                or not tokens_equal(cookie, header)
            ):
                await _refuse(send)
                return
        await self.app(scope, receive, send)


async def _refuse(send: Send) -> None:
    body = json.dumps({"error": Forbidden("csrf_failed").to_dict()}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 403,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
