"""wx.connectSocket's relay (socket_relay.py, transfer_routes.py) against a real WebSocket server.

The upstream is a websockets echo server on loopback (reachable in development mode only) under
a made-up name answered by `fake_dns`. It echoes each frame, and closes with code 4001 "bye" when
told "close-me".
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import pytest
from starlette.testclient import WebSocketDenialResponse
from starlette.websockets import WebSocketDisconnect
from websockets import Request, Subprotocol
from websockets.sync.server import Server, ServerConnection, serve

from miniapp.db.session import Database
from miniapp.netproxy.socket_relay import FAILED_CODE, closing_code
from tests.conftest import SESSION_COOKIE, ApiClient
from tests.netproxy.conftest import APPID, FakeDNS, register_app

ORIGIN = {"origin": "https://testserver"}


@dataclass
class EchoServer:
    port: int
    headers: list[dict[str, str]] = field(default_factory=list)
    closed: list[tuple[int | None, str | None]] = field(default_factory=list)
    done: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def echo() -> Iterator[EchoServer]:
    state = EchoServer(port=0)

    def record(connection: ServerConnection, request: Request) -> None:
        # During the handshake, before the relay can tell its client the socket is open (the
        # handler runs only after the handshake's answer went out).
        state.headers.append({k.lower(): v for k, v in request.headers.raw_items()})

    def handler(connection: ServerConnection) -> None:
        try:
            for message in connection:
                if message == "close-me":
                    connection.close(4001, "bye")
                    break
                connection.send(message)
        finally:
            state.closed.append((connection.close_code, connection.close_reason))
            state.done.set()

    def select(connection: ServerConnection, offered: Sequence[Subprotocol]) -> Subprotocol | None:
        return Subprotocol("chat") if "chat" in offered else None

    server: Server = serve(
        handler, "127.0.0.1", 0, select_subprotocol=select, process_request=record
    )
    state.port = server.socket.getsockname()[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def chat(database: Database, fake_dns: FakeDNS, echo: EchoServer) -> str:
    fake_dns.add("ws.shop.test", ["127.0.0.1"])
    register_app(database, name="Chat", socket_domains=[f"ws.shop.test:{echo.port}"])
    return f"ws://ws.shop.test:{echo.port}"


def socket_path(url: str, **query: str) -> str:
    from urllib.parse import urlencode

    return f"/api/runtime/apps/{APPID}/socket?" + urlencode({"url": url, **query})


def test_relay_echoes_text_and_binary_and_closes_with_code_and_reason(
    dev_client: ApiClient, chat: str, echo: EchoServer
) -> None:
    dev_client.cookies.set(SESSION_COOKIE, "users-session-secret", domain="testserver.local")
    path = socket_path(f"{chat}/room", protocols="chat,other", header='{"X-Room": "7"}')
    with dev_client.websocket_connect(path, headers=ORIGIN) as ws:
        opened = ws.receive_json()
        assert opened["t"] == "open" and opened["protocol"] == "chat"
        ws.send_text("你好")
        assert ws.receive_text() == "你好"
        ws.send_bytes(b"\x00\x01\xff")
        assert ws.receive_bytes() == b"\x00\x01\xff"
        ws.close(code=3001, reason="done")
    assert echo.done.wait(timeout=10)
    assert echo.closed == [(3001, "done")]
    (headers,) = echo.headers
    assert headers["x-room"] == "7"
    assert headers["host"] == f"ws.shop.test:{echo.port}"
    assert "cookie" not in headers and "users-session-secret" not in str(headers)
    assert "origin" not in headers


def test_upstream_close_reaches_the_app(dev_client: ApiClient, chat: str) -> None:
    with dev_client.websocket_connect(socket_path(chat), headers=ORIGIN) as ws:
        assert ws.receive_json()["t"] == "open"
        ws.send_text("close-me")
        message = ws.receive()
        assert message["type"] == "websocket.close"
        assert (message["code"], message["reason"]) == (4001, "bye")


def test_unregistered_domain_is_refused_with_wechats_err_msg(
    prod_client: ApiClient, chat: str, echo: EchoServer
) -> None:
    with prod_client.websocket_connect(
        socket_path("wss://elsewhere.test/room"), headers=ORIGIN
    ) as ws:
        message = ws.receive()
    assert message["type"] == "websocket.close"
    assert message["code"] == FAILED_CODE
    assert message["reason"] == "connectSocket:fail url not in domain list"
    assert echo.headers == []


def test_production_refuses_ws_and_private_addresses(
    prod_client: ApiClient, chat: str, echo: EchoServer
) -> None:
    with prod_client.websocket_connect(socket_path(chat), headers=ORIGIN) as ws:
        assert ws.receive()["reason"] == "connectSocket:fail invalid url"
    secure = chat.replace("ws://", "wss://")
    with prod_client.websocket_connect(socket_path(secure), headers=ORIGIN) as ws:
        assert ws.receive()["reason"] == "connectSocket:fail address not allowed"
    assert echo.headers == []


def test_another_origin_is_refused(dev_client: ApiClient, chat: str, echo: EchoServer) -> None:
    with (
        pytest.raises((WebSocketDisconnect, WebSocketDenialResponse)),
        dev_client.websocket_connect(socket_path(chat), headers={"origin": "https://evil.test"}),
    ):
        pass
    assert echo.headers == []


def test_unreachable_upstream_fails(dev_client: ApiClient, chat: str, fake_dns: FakeDNS) -> None:
    from tests.netproxy.conftest import free_port

    fake_dns.add("ws.down.test", ["127.0.0.1"])
    with dev_client.websocket_connect(
        socket_path(f"ws://ws.down.test:{free_port()}/"), headers=ORIGIN
    ) as ws:
        message = ws.receive()
    assert message["code"] == FAILED_CODE
    assert message["reason"] == "connectSocket:fail connection failed"


def test_unknown_app_fails(dev_client: ApiClient, chat: str) -> None:
    path = socket_path(chat).replace(APPID, "wx9999999999999999")
    with dev_client.websocket_connect(path, headers=ORIGIN) as ws:
        message = ws.receive()
    assert (message["code"], message["reason"]) == (FAILED_CODE, "connectSocket:fail app_not_found")


def test_closing_codes_are_sendable() -> None:
    assert closing_code(None) == 1000
    assert closing_code(1005) == 1000
    assert closing_code(1006) == 1011
    assert closing_code(4001) == 4001
    assert closing_code(99) == 1000


def test_a_client_holds_at_most_max_sockets_relays(
    dev_client: ApiClient, chat: str, echo: EchoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each relay holds an upstream connection for as long as the client keeps it: without a cap,
    # one client could open as many as it liked (through our server, to the app's domain).
    from miniapp.netproxy import transfer_routes

    monkeypatch.setattr(transfer_routes, "MAX_SOCKETS_PER_CLIENT", 2)
    with (
        dev_client.websocket_connect(socket_path(chat), headers=ORIGIN) as first,
        dev_client.websocket_connect(socket_path(chat), headers=ORIGIN) as second,
    ):
        assert first.receive_json()["t"] == "open"
        assert second.receive_json()["t"] == "open"
        with dev_client.websocket_connect(socket_path(chat), headers=ORIGIN) as third:
            message = third.receive()
        assert (message["code"], message["reason"]) == (
            FAILED_CODE,
            "connectSocket:fail exceed max socket connect count",
        )
        assert len(echo.headers) == 2
    # A closed relay gives its place back.
    with dev_client.websocket_connect(socket_path(chat), headers=ORIGIN) as again:
        assert again.receive_json()["t"] == "open"
    assert transfer_routes.OPEN_SOCKETS.used == {}
