"""A real upstream HTTP(S) server on loopback, a fake DNS for made-up names, and the platform's
clients and registered app that the proxy's route tests share.

The upstream is a real server (http.server in a thread) that records what reached it. The DNS is
a fake because DNS lies outside the platform: tests answer lookups of made-up `.test` names with
the addresses they need (public ones are never connected to) and leave every other lookup to the
real resolver.
"""

from __future__ import annotations

import base64
import gzip
import json
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI

from miniapp.apps.registry import do_register_app, do_release_bundle
from miniapp.db.session import Database
from miniapp.server import create_app
from miniapp.settings import Settings
from tests.conftest import ApiClient

REAL_GETADDRINFO = socket.getaddrinfo


class FakeDNS:
    """Answers for the names it was given; successive lookups of a name take successive answers
    (the last one repeats), which is how a rebinding attack looks from here."""

    def __init__(self) -> None:
        self.answers: dict[str, list[list[str]]] = {}
        self.missing: set[str] = set()
        self.lookups: list[str] = []

    def add(self, name: str, *answers: list[str]) -> None:
        self.answers[name] = [list(answer) for answer in answers]

    def getaddrinfo(  # noqa: PLR0917  the real function's signature (asyncio passes all positionally)
        self,
        host: bytes | str | None,
        port: bytes | str | int | None,
        family: int = 0,
        type: int = 0,
        proto: int = 0,
        flags: int = 0,
    ) -> list[tuple[Any, ...]]:
        name = host.decode() if isinstance(host, bytes) else host
        if name in self.missing:
            self.lookups.append(name)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        if name not in self.answers:
            return REAL_GETADDRINFO(host, port, family, type, proto, flags)
        self.lookups.append(name)
        queue = self.answers[name]
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        port_number = int(port) if port is not None else 0
        results: list[tuple[Any, ...]] = []
        for address in answer:
            if ":" in address:
                results.append(
                    (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port_number, 0, 0))
                )
            else:
                results.append((socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port_number)))
        return results


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> FakeDNS:
    dns = FakeDNS()
    monkeypatch.setattr(socket, "getaddrinfo", dns.getaddrinfo)
    return dns


@dataclass
class Seen:
    method: str
    path: str
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        values = [value for key, value in self.headers if key.lower() == name.lower()]
        return ", ".join(values) if values else None


@dataclass
class Upstream:
    """What the test server received, and the event its /wait route waits for."""

    host: str
    port: int
    seen: list[Seen] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    started_waiting: threading.Event = field(default_factory=threading.Event)


PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe\x00\x80"


def _handler(upstream: Upstream) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet

        def _reply(
            self,
            status: int,
            body: bytes,
            headers: list[tuple[str, str]] | None = None,
            *,
            length: bool = True,
        ) -> None:
            self.send_response(status)
            for name, value in headers or []:
                self.send_header(name, value)
            if length:
                self.send_header("Content-Length", str(len(body)))
            else:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            seen = Seen(self.command, self.path, list(self.headers.items()), body)
            upstream.seen.append(seen)
            url = urlsplit(self.path)
            query = {key: values[0] for key, values in parse_qs(url.query).items()}
            route = url.path
            if route == "/echo":
                echoed = {
                    "method": seen.method,
                    "path": seen.path,
                    "headers": seen.headers,
                    "body": base64.b64encode(body).decode(),
                }
                payload = json.dumps(echoed).encode()
                self._reply(200, payload, [("Content-Type", "application/json")])
            elif route == "/json":
                self._reply(
                    200,
                    '{"ok": true, "name": "小程序"}'.encode(),
                    [("Content-Type", "application/json; charset=utf-8")],
                )
            elif route == "/binary":
                self._reply(200, PNG_BYTES, [("Content-Type", "image/png")])
            elif route == "/status":
                self._reply(int(query["code"]), b"status body", [("Content-Type", "text/plain")])
            elif route == "/cookies":
                self._reply(
                    200,
                    b"ok",
                    [
                        ("Set-Cookie", "a=1; Path=/; HttpOnly"),
                        ("Set-Cookie", "b=2; Path=/"),
                        ("X-Custom-Header", "Value"),
                    ],
                )
            elif route == "/redirect":
                self._reply(302, b"", [("Location", "https://elsewhere.test/")])
            elif route == "/big":
                self._reply(200, b"x" * int(query["n"]), length=query.get("length") != "no")
            elif route == "/gzip":
                packed = gzip.compress(b"\x00" * int(query["n"]))
                self._reply(200, packed, [("Content-Encoding", "gzip")])
            elif route == "/wait":
                upstream.started_waiting.set()
                upstream.release.wait(timeout=30)
                self._reply(200, b"late")
            else:
                self._reply(404, b"not found")

        do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_TRACE = _handle
        do_PATCH = _handle

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gave up (the timeout tests) is expected


def _serve(
    host: str, port: int, context: ssl.SSLContext | None = None
) -> tuple[ThreadingHTTPServer, Upstream, threading.Thread]:
    upstream = Upstream(host=host, port=port)
    server = _QuietServer((host, port), _handler(upstream))
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    upstream.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    return server, upstream, thread


def _stop(server: ThreadingHTTPServer, upstream: Upstream, thread: threading.Thread) -> None:
    upstream.release.set()
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture
def upstream() -> Iterator[Upstream]:
    """A plain-http server on 127.0.0.1 (reachable only in development mode)."""
    running = _serve("127.0.0.1", 0)
    try:
        yield running[1]
    finally:
        _stop(*running)


@pytest.fixture
def second_upstream(upstream: Upstream) -> Iterator[Upstream]:
    """Another server on the same port of 127.0.0.2: where a rebound name would lead."""
    running = _serve("127.0.0.2", upstream.port)
    try:
        yield running[1]
    finally:
        _stop(*running)


@dataclass(frozen=True)
class TLSFiles:
    ca: Path
    cert: Path
    key: Path
    name: str


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TLSFiles:
    """A throwaway CA and a server certificate for `api.tls.test`, made by the openssl CLI."""
    folder = tmp_path_factory.mktemp("tls")
    name = "api.tls.test"

    def run(*args: str) -> None:
        subprocess.run(["openssl", *args], cwd=folder, check=True, capture_output=True)  # noqa: S607

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run(
        "req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
        "-subj", "/CN=Netproxy Test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    run("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", f"/CN={name}")
    (folder / "ext.cnf").write_text(
        f"subjectAltName=DNS:{name}\nbasicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
        "authorityKeyIdentifier=keyid,issuer\nsubjectKeyIdentifier=hash\n"
    )
    run(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
        "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf",
    )  # fmt: skip
    return TLSFiles(
        ca=folder / "ca.pem", cert=folder / "server.pem", key=folder / "server.key", name=name
    )


@dataclass
class TLSUpstream:
    upstream: Upstream
    server_names: list[str | None]
    files: TLSFiles


@pytest.fixture
def tls_upstream(tls_files: TLSFiles) -> Iterator[TLSUpstream]:
    """An https server on 127.0.0.1 with the certificate for `api.tls.test`; records each
    client's TLS server name (SNI)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tls_files.cert, tls_files.key)
    names: list[str | None] = []

    def remember(
        _sock: ssl.SSLObject | ssl.SSLSocket, name: str | None, _ctx: ssl.SSLContext
    ) -> None:
        names.append(name)

    context.sni_callback = remember
    running = _serve("127.0.0.1", 0, context)
    try:
        yield TLSUpstream(upstream=running[1], server_names=names, files=tls_files)
    finally:
        _stop(*running)


def free_port() -> int:
    """A loopback port nothing listens on (it was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- the platform: its clients and the app whose domains the tests register --------------------

APPID = "wx0123456789abcdef"
BUNDLE = "0123456789abcdef0123"


def register_app(
    database: Database,
    *,
    name: str = "Shop",
    appid: str = APPID,
    release: bool = True,
    request_domains: list[str] | None = None,
    socket_domains: list[str] | None = None,
    upload_domains: list[str] | None = None,
    download_domains: list[str] | None = None,
) -> None:
    """Registers an app with these domains and (unless `release` is False) releases a bundle."""
    with database.transaction() as session:
        app = do_register_app(
            session,
            name=name,
            appid=appid,
            request_domains=request_domains or [],
            socket_domains=socket_domains or [],
            upload_domains=upload_domains or [],
            download_domains=download_domains or [],
        )
        if release:
            do_release_bundle(session, app=app, bundle_id=BUNDLE)


def _api_client(data_dir: Path, database: Database, *, dev_mode: bool) -> ApiClient:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        secret_key="test-secret-key-" + "x" * 32,
        public_url="https://testserver",
        run_worker=False,
        dev_mode=dev_mode,
    )
    application: FastAPI = create_app(
        settings, database=database, run_migrations=False, run_worker=False
    )
    return ApiClient(application, base_url="https://testserver")


@pytest.fixture
def dev_client(data_dir: Path, database: Database) -> Iterator[ApiClient]:
    """The app as `miniapp dev` runs it: private addresses and plain http allowed."""
    with _api_client(data_dir, database, dev_mode=True) as client:
        yield client


@pytest.fixture
def prod_client(data_dir: Path, database: Database) -> Iterator[ApiClient]:
    """The app in production (`dev_mode` off), otherwise as `dev_client`."""
    with _api_client(data_dir, database, dev_mode=False) as client:
        yield client
