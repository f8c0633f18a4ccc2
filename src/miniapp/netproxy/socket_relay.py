"""`wx.connectSocket`: relays one WebSocket between the host page and a registered socket domain.

The host page opens one WebSocket to us per SocketTask (the logic layer cannot connect anywhere);
we check the target (targets.py with the app's `socket_domains`, wss only, a public address,
pinned), open the upstream WebSocket to the pinned address (the name in the Host header and as
the TLS server name, so the certificate is verified against it), then copy frames both ways until
either side closes, and close the other with the same code and reason.

The first frame we send the host page is a control frame, JSON text: `{"t": "open", "protocol",
"header"}` once the upstream is open. Before that, a failure closes the host page's socket with
code `FAILED_CODE` and WeChat's errMsg as the reason (`connectSocket:fail url not in domain list`).
After it, every frame is the upstream's, as is.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import ssl
from collections.abc import Mapping, Sequence

import websockets
from starlette.websockets import WebSocket, WebSocketDisconnect
from websockets.asyncio.client import ClientConnection, connect

from miniapp.netproxy.errors import NetRequestError
from miniapp.netproxy.forward import (
    USER_AGENT,
    effective_timeout_ms,
    outgoing_headers,
    platform_ssl_context,
)
from miniapp.netproxy.targets import Target

FAILED_CODE = 4000  # a private close code (4000-4999): the socket never opened; reason: errMsg
MAX_MESSAGE_BYTES = 16 * 1024 * 1024
MAX_PROTOCOLS = 16
# Set by the WebSocket handshake itself, never by the app.
HANDSHAKE_HEADERS = frozenset(
    {
        b"sec-websocket-key",
        b"sec-websocket-version",
        b"sec-websocket-extensions",
        b"sec-websocket-protocol",
        b"sec-websocket-accept",
        b"host",
        b"content-type",
    }
)


def socket_headers(
    headers: Mapping[str, str], *, target: Target, referer: str
) -> list[tuple[str, str]]:
    """The app's headers checked as wx.request's are, minus what the handshake sets."""
    try:
        sent = outgoing_headers(headers, target=target, referer=referer)
    except NetRequestError as error:
        raise error.for_api("connectSocket") from None
    user_content_type = any(name.lower() == "content-type" for name in headers)
    kept: list[tuple[str, str]] = []
    for name, value in sent:
        lower = name.lower()
        if lower in HANDSHAKE_HEADERS and not (lower == b"content-type" and user_content_type):
            continue
        kept.append((name.decode("ascii"), value.decode("utf-8")))
    return kept


def closing_code(code: int | None) -> int:
    """A close code that may be sent in a close frame (1005, 1006 and 1015 may not)."""
    if code is None or code in (1005, 1006, 1015):
        return 1000 if code in (None, 1005) else 1011
    return code if 1000 <= code <= 4999 else 1000


async def do_open_upstream(
    *,
    target: Target,
    headers: Sequence[tuple[str, str]],
    protocols: Sequence[str],
    timeout_ms: int | None,
    ssl_context: ssl.SSLContext | None = None,
) -> ClientConnection:
    """Open the upstream WebSocket at the pinned address; NetRequestError (connectSocket's)."""
    seconds = effective_timeout_ms(timeout_ms) / 1000
    secure = target.scheme == "wss"
    extra: dict[str, object] = {"host": target.address, "port": target.port}
    if secure:
        extra["ssl"] = ssl_context or platform_ssl_context()
        extra["server_hostname"] = target.host
    try:
        return await connect(
            target.url,
            additional_headers=list(headers),
            subprotocols=[websockets.Subprotocol(p) for p in protocols] or None,
            user_agent_header=USER_AGENT.replace("wx.request", "wx.connectSocket"),
            proxy=None,  # never a proxy from the environment: we connect where we checked
            open_timeout=seconds,
            max_size=MAX_MESSAGE_BYTES,
            compression=None,
            **extra,  # type: ignore[arg-type]
        )
    except TimeoutError:
        raise NetRequestError("request_timeout", api="connectSocket") from None
    except ssl.SSLError:
        raise NetRequestError("request_tls_failed", api="connectSocket") from None
    except OSError:
        raise NetRequestError("request_connect_failed", api="connectSocket") from None
    except (websockets.InvalidHandshake, ValueError):
        raise NetRequestError(
            "request_network_error", api="connectSocket", reason="invalid handshake"
        ) from None


async def relay(client: WebSocket, upstream: ClientConnection) -> None:
    """Copy frames both ways; when one side closes, close the other with its code and reason."""
    header = dict(upstream.response.headers.raw_items()) if upstream.response else {}
    await client.send_text(
        json.dumps({"t": "open", "protocol": upstream.subprotocol, "header": header})
    )

    async def from_client() -> tuple[int, str]:
        while True:
            message = await client.receive()
            if message["type"] == "websocket.disconnect":
                return int(message.get("code") or 1000), str(message.get("reason") or "")
            if message.get("text") is not None:
                await upstream.send(message["text"])
            elif message.get("bytes") is not None:
                await upstream.send(message["bytes"])

    async def from_upstream() -> tuple[int, str]:
        try:
            async for data in upstream:
                if isinstance(data, str):
                    await client.send_text(data)
                else:
                    await client.send_bytes(bytes(data))
        except websockets.ConnectionClosed:
            pass
        return closing_code(upstream.close_code), upstream.close_reason or ""

    client_side = asyncio.create_task(from_client())
    upstream_side = asyncio.create_task(from_upstream())
    try:
        done, _ = await asyncio.wait(
            {client_side, upstream_side}, return_when=asyncio.FIRST_COMPLETED
        )
        if client_side in done:
            code, reason = _result(client_side)
            # The app closed: close upstream with its code, and let the upstream's answer end it.
            await upstream.close(code=closing_code(code), reason=reason)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(5):
                    await upstream_side
        else:
            code, reason = _result(upstream_side)
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                await client.close(code=code, reason=reason)
    finally:
        for task in (client_side, upstream_side):
            task.cancel()
        await upstream.close()


def _result(task: asyncio.Task[tuple[int, str]]) -> tuple[int, str]:
    try:
        return task.result()
    except (WebSocketDisconnect, RuntimeError, websockets.ConnectionClosed):
        return 1000, ""
