"""Shared fixtures.

Every test that asks for `database` (directly or through `app`, `client`, `live_server`) runs twice:
once on SQLite and once on PostgreSQL. Each test run gets fresh databases: a SQLite file in a
temporary folder and a PostgreSQL database created for this run (and this xdist worker) and dropped
at the end. Migrations run once per database; tables are emptied after each test.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from miniapp.accounts import credentials
from miniapp.db import migrate
from miniapp.db.registry import Base
from miniapp.db.session import Database

# Passwords are hashed with argon2id at its production cost (about 130 ms a hash on these
# machines), and the suite signs up and signs in thousands of times. Tests hash with the same
# algorithm at its lowest cost; tests/accounts/test_credentials.py checks the production
# parameters themselves. (Servers started as separate processes keep the production cost.)
_TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
credentials._hasher = lambda: _TEST_HASHER  # type: ignore[assignment]

PG_ADMIN_URL = os.environ.get("TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = [b for b in os.environ.get("TEST_BACKENDS", "sqlite,postgresql").split(",") if b]


def _pg_url_for(name: str) -> str:
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    return f"{base}/{name}"


@pytest.fixture(scope="session")
def _database_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    urls: dict[str, str] = {}
    created_pg: str | None = None
    if "sqlite" in BACKENDS:
        urls["sqlite"] = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.sqlite3'}"
    if "postgresql" in BACKENDS:
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        created_pg = f"miniapp_test_{worker}_{secrets.token_hex(4)}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{created_pg}"')
        urls["postgresql"] = _pg_url_for(created_pg).replace(
            "postgresql://", "postgresql+psycopg://", 1
        )
    yield urls
    if created_pg:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{created_pg}" WITH (FORCE)')


@pytest.fixture(scope="session")
def _migrated(_database_urls: dict[str, str]) -> Iterator[dict[str, Database]]:
    databases: dict[str, Database] = {}
    yield databases
    for database in databases.values():
        database.dispose()


_SEQUENCES: dict[str, list[str]] = {}


def _empty_all_tables(database: Database) -> None:
    # DELETE, children first, and ids restarted with setval: PostgreSQL's TRUNCATE makes new
    # files for every table and syncs them at commit, about 90 ms a test against 5 ms for this.
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with database.engine.begin() as conn:
        for table in tables:
            conn.execute(text(f"DELETE FROM {table}"))  # noqa: S608  names from our metadata
        if database.dialect == "postgresql":
            if database.url not in _SEQUENCES:
                _SEQUENCES[database.url] = list(
                    conn.scalars(
                        text(
                            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename)"
                            " FROM pg_sequences WHERE schemaname = current_schema()"
                        )
                    )
                )
            if _SEQUENCES[database.url]:
                restarts = ", ".join(
                    f"setval('{name}', 1, false)" for name in _SEQUENCES[database.url]
                )
                conn.execute(text(f"SELECT {restarts}"))


@pytest.fixture(params=BACKENDS)
def database(
    request: pytest.FixtureRequest,
    _database_urls: dict[str, str],
    _migrated: dict[str, Database],
) -> Iterator[Database]:
    backend: str = request.param
    if backend not in _migrated:
        db = Database(_database_urls[backend])
        migrate.upgrade(db.engine)
        _migrated[backend] = db
    db = _migrated[backend]
    try:
        yield db
    finally:
        _empty_all_tables(db)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


# --- the app, over an in-process client and over real HTTP --------------------------------------

import socket  # noqa: E402
import threading  # noqa: E402
from dataclasses import dataclass  # noqa: E402

import uvicorn  # noqa: E402
from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402

from miniapp.server import create_app  # noqa: E402
from miniapp.settings import Settings  # noqa: E402


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        secret_key="test-secret-key-" + "x" * 32,
        public_url="https://testserver",
        run_worker=False,
        login_max_failures=3,
    )


@pytest.fixture
def app(settings: Settings, database: Database) -> FastAPI:
    return create_app(settings, database=database, run_migrations=False, run_worker=False)


# The test settings serve https://testserver, so cookies are Secure and carry the __Host- prefix.
SESSION_COOKIE = "__Host-miniapp_session"
CSRF_COOKIE = "__Host-miniapp_csrf"


class ApiClient(TestClient):
    """A browser-like client: sends the CSRF cookie back in X-CSRF-Token, as our pages do."""

    def request(self, method: str, url: str, **kwargs):  # type: ignore[no-untyped-def,override]
        if method.upper() not in ("GET", "HEAD", "OPTIONS"):
            token = self.cookies.get(CSRF_COOKIE)
            if token is None:
                token = super().request("GET", "/api/accounts/csrf").json()["csrf_token"]
            headers = dict(kwargs.pop("headers", None) or {})
            headers.setdefault("X-CSRF-Token", token)
            kwargs["headers"] = headers
        return super().request(method, url, **kwargs)


@pytest.fixture
def client(app: FastAPI) -> Iterator[ApiClient]:
    # https: the session cookie is Secure, and a client must only send it over https.
    with ApiClient(app, base_url="https://testserver") as test_client:
        yield test_client


@pytest.fixture
def make_client(app: FastAPI) -> Iterator[object]:
    """Extra independent browsers (each with its own cookie jar)."""
    clients: list[ApiClient] = []

    def factory() -> ApiClient:
        new = ApiClient(app, base_url="https://testserver")
        new.__enter__()
        clients.append(new)
        return new

    yield factory
    for made in clients:
        made.__exit__(None, None, None)


@dataclass(frozen=True)
class LiveServer:
    url: str
    database: Database
    settings: Settings


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _SignallingServer(uvicorn.Server):
    """uvicorn that says when its socket listens, so tests wait on an event, not a poll."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()


@contextlib.contextmanager
def serve_live(database: Database, data_dir: Path, **options: Any) -> Iterator[LiveServer]:
    """The real app served by uvicorn on loopback over `database`, with settings `options`."""
    port = _free_port()
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        host="127.0.0.1",
        port=port,
        secret_key="live-secret-key-" + "y" * 32,
        run_worker=False,
        **options,
    )
    application = create_app(settings, database=database, run_migrations=False, run_worker=False)
    server = _SignallingServer(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    if not server.ready.wait(timeout=15):
        raise RuntimeError("live server did not start")
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", database=database, settings=settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def live_server(data_dir: Path, database: Database) -> Iterator[LiveServer]:
    """The real app served by uvicorn on loopback, on a fresh database (both backends)."""
    with serve_live(database, data_dir) as server:
        yield server


# --- the browser: Debian's Chromium driven by Playwright (never a downloaded browser) -----------

from playwright.sync_api import Browser, sync_playwright  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One browser for the whole session, shared by every folder that drives one.

    It lives here rather than in one folder's conftest because Playwright's sync API refuses to
    start while another instance runs in the same process: with `-n` a worker may run browser
    tests of several folders, so they must all share this one.
    """
    if not CHROMIUM.exists():
        raise RuntimeError(f"{CHROMIUM} is missing: install Debian's chromium package")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
