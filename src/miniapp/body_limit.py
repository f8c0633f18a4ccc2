"""Caps the size of request bodies sent to the JSON API and the open API, before anything
parses them.

A route reads its whole JSON body into memory; without a cap one request can make the process
allocate gigabytes. Bodies are buffered up to the cap (whatever Content-Length claims) and replayed
to the app; a larger one is answered 413 `payload_too_large`, or on the open API (`/cgi-bin`,
`/sns`, `/wxa`, where `/cgi-bin/stable_token` reads its body before anything authenticates the
caller) WeChat's envelope with 47001, as its clients read errors from the envelope only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from miniapp.csrf import send_error
from miniapp.errors import UserError
from miniapp.openapi.envelope import (
    DATA_FORMAT_ERROR,
    OPEN_API_PREFIXES,
    envelope,
    is_open_api_path,
)

LIMITED_PREFIXES = ("/api/", *OPEN_API_PREFIXES)


class BodyLimitMiddleware:
    """`streamed`: paths of routes that read their body as a stream under a cap of their own
    (wx.uploadFile's proxy); they are passed through unbuffered. `larger`: (path pattern, cap)
    for the few routes that take files (a package, a logo, a licence); first match wins."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        streamed: re.Pattern[str] | None = None,
        larger: Sequence[tuple[re.Pattern[str], int]] = (),
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.streamed = streamed
        self.larger = tuple(larger)

    def _cap(self, path: str) -> int:
        for pattern, cap in self.larger:
            if pattern.fullmatch(path):
                return cap
        return self.max_bytes

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, cap: int) -> None:
        if is_open_api_path(scope["path"]):
            answer = envelope(DATA_FORMAT_ERROR, f"data format error: body over {cap} bytes")
            await answer(scope, receive, send)
            return
        error = UserError("payload_too_large", status_code=413, max_bytes=cap)
        await send_error(send, error.to_dict(), status=413)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or not scope["path"].startswith(LIMITED_PREFIXES)
            or (self.streamed is not None and self.streamed.fullmatch(scope["path"]))
        ):
            await self.app(scope, receive, send)
            return
        cap = self._cap(scope["path"])
        for key, value in scope["headers"]:
            if key == b"content-length" and value.isdigit() and int(value) > cap:
                await self._refuse(scope, receive, send, cap)
                return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > cap:
                await self._refuse(scope, receive, send, cap)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
