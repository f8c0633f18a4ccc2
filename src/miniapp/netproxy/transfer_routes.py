"""The host page's proxies for `wx.downloadFile`, `wx.uploadFile` and `wx.connectSocket`.

- `POST /api/runtime/apps/{appid}/download` `{url, header, timeout}`: the file's bytes, streamed
  (`application/octet-stream`), with the upstream's status in `X-Miniapp-Status`, its declared
  length (if any) in `X-Miniapp-Length` and its headers as JSON in `X-Miniapp-Headers`. A refusal
  or failure before the body is the project's error shape with WeChat's `params.errMsg`.
- `POST /api/runtime/apps/{appid}/upload`: the body is one line of JSON `{url, name, filename,
  header, formData, timeout}`, a newline, then the file's bytes; answers `{statusCode, data,
  header}`. CSRF is checked as for all of `/api`, but not its body limit (`max_api_body_bytes`,
  64 KB by default; see `STREAMED_BODIES`): the body is capped at `MAX_UPLOAD_BYTES` as it is
  read. Bodies are held in memory until sent: those in flight together may take at most
  `MAX_UPLOAD_BUFFER_BYTES` (by their declared length, which is required); past it an upload
  fails at once (`uploadFile:fail exceed max task count`, 429) rather than let anyone exhaust
  the server's memory.
- `WS /api/runtime/apps/{appid}/socket?url=&protocols=&header=&timeout=`: the relay of
  socket_relay.py. A browser's WebSocket carries no CSRF header, so the Origin must be ours. A
  client (address, as login throttling counts it) may hold `MAX_SOCKETS_PER_CLIENT` relays at once:
  each holds an upstream connection for as long as the app keeps it.

Each checks the target against the app's domain list of its kind (`download_domains`,
`upload_domains`, `socket_domains`) as `wx.request` does; development (`dev_mode`) allows plain
http/ws and loopback and skips the lists. Nothing of the user's (cookies, session) is forwarded.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import secrets
from collections.abc import AsyncIterator, Iterator

from fastapi import APIRouter, Request, WebSocket
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field, ValidationError
from websockets.asyncio.client import ClientConnection

from miniapp.accounts.client_address import client_address, throttle_key
from miniapp.accounts.request_auth import DatabaseDep, SettingsDep
from miniapp.csrf import origin_allowed, public_origin
from miniapp.db.session import Database
from miniapp.errors import InvalidInput, UserError
from miniapp.netproxy.app_targets import access_app_target, page_frame_referer
from miniapp.netproxy.errors import NetRequestError
from miniapp.netproxy.forward import effective_timeout_ms
from miniapp.netproxy.socket_relay import (
    FAILED_CODE,
    MAX_PROTOCOLS,
    do_open_upstream,
    relay,
    socket_headers,
)
from miniapp.netproxy.targets import MAX_URL_LENGTH
from miniapp.netproxy.transfer import (
    MAX_DOWNLOAD_BYTES,
    MAX_UPLOAD_BYTES,
    do_open_download,
    do_upload,
)
from miniapp.settings import Settings

router = APIRouter(tags=["runtime"])

MAX_META_BYTES = 64 * 1024
# Upload bodies in memory at once, in this process (each is at most MAX_UPLOAD_BYTES + meta).
MAX_UPLOAD_BUFFER_BYTES = 4 * (MAX_UPLOAD_BYTES + MAX_META_BYTES)
# Relayed sockets one client may hold at once (WeChat allows 5 per mini program).
MAX_SOCKETS_PER_CLIENT = 32


class Slots:
    """What is in use in this process (bytes held, sockets open), per key, within a limit."""

    def __init__(self) -> None:
        self.used: dict[str, int] = {}

    @contextlib.contextmanager
    def take(
        self, key: str, amount: int, *, limit: int, api: str, reason: str | None = None
    ) -> Iterator[None]:
        """Hold `amount` under `key` for the block; NetRequestError (429) past `limit`."""
        used = self.used.get(key, 0)
        if used + amount > limit:
            raise NetRequestError("request_too_many", api=api, reason=reason)
        self.used[key] = used + amount
        try:
            yield
        finally:
            left = self.used[key] - amount
            if left > 0:
                self.used[key] = left
            else:
                del self.used[key]


UPLOAD_BUFFERS = Slots()
OPEN_SOCKETS = Slots()


# The routes whose bodies BodyLimitMiddleware passes through: they cap their own.
STREAMED_BODIES = re.compile(r"/api/runtime/apps/[^/]+/upload")


# --- download -----------------------------------------------------------------------------------


class DownloadIn(BaseModel):
    url: str = Field(max_length=MAX_URL_LENGTH)
    header: dict[str, str] = Field(default_factory=dict)
    timeout: int | None = None


@router.post("/api/runtime/apps/{appid}/download")
async def proxy_download(
    appid: str, body: DownloadIn, database: DatabaseDep, settings: SettingsDep
) -> StreamingResponse:
    """Fetch a file for `wx.downloadFile` from one of the app's download domains."""
    timeout_ms = effective_timeout_ms(body.timeout)
    target = await access_app_target(
        database,
        settings,
        appid=appid,
        kind="download",
        url=body.url,
        api="downloadFile",
        timeout_ms=timeout_ms,
    )
    download = await do_open_download(
        target=target,
        headers=body.header,
        timeout_ms=timeout_ms,
        referer=page_frame_referer(settings, appid),
        max_bytes=MAX_DOWNLOAD_BYTES,
    )
    headers = {
        "X-Miniapp-Status": str(download.status),
        "X-Miniapp-Headers": json.dumps(download.header_map(), ensure_ascii=True),
        "Cache-Control": "no-store",
    }
    if download.length is not None:
        headers["X-Miniapp-Length"] = str(download.length)

    async def body_chunks() -> AsyncIterator[bytes]:
        async for chunk in download.chunks():
            yield chunk

    return StreamingResponse(body_chunks(), media_type="application/octet-stream", headers=headers)


# --- upload -------------------------------------------------------------------------------------


class UploadMeta(BaseModel):
    url: str = Field(max_length=MAX_URL_LENGTH)
    name: str = Field(min_length=1, max_length=256)
    filename: str = Field(min_length=1, max_length=256)
    header: dict[str, str] = Field(default_factory=dict)
    formData: dict[str, str] = Field(default_factory=dict)  # as WeChat spells it
    timeout: int | None = None


class UploadOut(BaseModel):
    statusCode: int
    data: str
    header: dict[str, str]


def _declared_length(request: Request) -> int:
    """The body's declared length (required: it is what the upload holds of the buffer)."""
    declared = request.headers.get("content-length", "")
    if not declared.isdigit():
        raise InvalidInput("invalid_input", field="body", reason="no content length")
    if int(declared) > MAX_UPLOAD_BYTES + MAX_META_BYTES:
        raise NetRequestError(
            "request_response_too_large", api="uploadFile", reason="file too large"
        )
    return int(declared)


async def _read_upload(request: Request, length: int) -> tuple[UploadMeta, bytes]:
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > length:
            raise InvalidInput("invalid_input", field="body", reason="longer than declared")
    end = raw.find(b"\n", 0, MAX_META_BYTES + 1)
    if end < 0:
        raise InvalidInput("invalid_input", field="body", reason="no metadata line")
    line, content = bytes(raw[:end]), bytes(raw[end + 1 :])
    del raw
    try:
        meta = UploadMeta.model_validate_json(line)
    except ValidationError:
        raise InvalidInput("invalid_input", field="body", reason="invalid metadata") from None
    if len(content) > MAX_UPLOAD_BYTES:
        raise NetRequestError(
            "request_response_too_large", api="uploadFile", reason="file too large"
        )
    return meta, content


@router.post("/api/runtime/apps/{appid}/upload", response_model=UploadOut)
async def proxy_upload(
    appid: str, request: Request, database: DatabaseDep, settings: SettingsDep
) -> UploadOut:
    """Send a file for `wx.uploadFile` to one of the app's upload domains."""
    length = _declared_length(request)
    with UPLOAD_BUFFERS.take("", length, limit=MAX_UPLOAD_BUFFER_BYTES, api="uploadFile"):
        return await _upload(appid, request, length, database, settings)


async def _upload(
    appid: str, request: Request, length: int, database: Database, settings: Settings
) -> UploadOut:
    meta, content = await _read_upload(request, length)
    timeout_ms = effective_timeout_ms(meta.timeout)
    target = await access_app_target(
        database,
        settings,
        appid=appid,
        kind="upload",
        url=meta.url,
        api="uploadFile",
        timeout_ms=timeout_ms,
    )
    response = await do_upload(
        target=target,
        name=meta.name,
        filename=meta.filename,
        content=content,
        form=meta.formData,
        headers=meta.header,
        timeout_ms=timeout_ms,
        referer=page_frame_referer(settings, appid),
        boundary="----MiniappFormBoundary" + secrets.token_hex(12),
    )
    try:
        data = response.body.decode("utf-8")
    except UnicodeDecodeError:
        # WeChat's `data` is a string; bytes that are not UTF-8 come as base64.
        data = base64.b64encode(response.body).decode("ascii")
    return UploadOut(statusCode=response.status, data=data, header=response.header_map())


# --- socket -------------------------------------------------------------------------------------


@router.websocket("/api/runtime/apps/{appid}/socket")
async def proxy_socket(  # noqa: PLR0917
    websocket: WebSocket,
    appid: str,
    url: str = "",
    protocols: str = "",
    header: str = "{}",
    timeout: int | None = None,
) -> None:
    """Relay a `wx.connectSocket` to one of the app's socket domains (socket_relay.py)."""
    settings: Settings = websocket.app.state.settings
    database: Database = websocket.app.state.database
    # A browser's WebSocket carries no CSRF header: the Origin must be ours.
    origin = websocket.headers.get("origin")
    if origin is None or not origin_allowed(
        origin, public_origin=public_origin(settings), host=websocket.headers.get("host")
    ):
        await websocket.close(code=1008)  # before accept: the handshake is refused (403)
        return
    client = throttle_key(client_address(websocket, settings))
    await websocket.accept()
    try:
        with OPEN_SOCKETS.take(
            client,
            1,
            limit=MAX_SOCKETS_PER_CLIENT,
            api="connectSocket",
            reason="exceed max socket connect count",  # as the host page's own cap says
        ):
            try:
                upstream = await _open(appid, url, protocols, header, timeout, settings, database)
            except UserError as error:
                reason = (
                    error.err_msg
                    if isinstance(error, NetRequestError)
                    else (f"connectSocket:fail {error.code}")
                )
                await websocket.close(code=FAILED_CODE, reason=reason[:120])
                return
            await relay(websocket, upstream)
    except NetRequestError as error:  # over the client's sockets
        await websocket.close(code=FAILED_CODE, reason=error.err_msg[:120])


async def _open(  # noqa: PLR0917
    appid: str,
    url: str,
    protocols: str,
    header: str,
    timeout: int | None,
    settings: Settings,
    database: Database,
) -> ClientConnection:
    if len(url) > MAX_URL_LENGTH:
        raise NetRequestError("request_invalid_url", api="connectSocket", field="url")
    try:
        headers = json.loads(header)
    except ValueError:
        headers = None
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        raise NetRequestError("request_invalid_header", api="connectSocket", field="header")
    wanted = [p for p in protocols.split(",") if p] if protocols else []
    if len(wanted) > MAX_PROTOCOLS:
        raise NetRequestError("request_invalid_header", api="connectSocket", field="protocols")
    timeout_ms = effective_timeout_ms(timeout)
    target = await access_app_target(
        database,
        settings,
        appid=appid,
        kind="socket",
        url=url,
        api="connectSocket",
        timeout_ms=timeout_ms,
        scheme="wss",
    )
    sent = socket_headers(headers, target=target, referer=page_frame_referer(settings, appid))
    return await do_open_upstream(
        target=target, headers=sent, protocols=wanted, timeout_ms=timeout_ms
    )
