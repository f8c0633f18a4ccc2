"""Shared fixtures.

Every test that asks for `database` (directly or through `app`, `client`, `live_server`) runs twice:
once on SQLite and once on PostgreSQL. Each test run gets fresh databases: a SQLite file in a
temporary folder and a PostgreSQL database created for this run (and this xdist worker) and dropped
at the end. Migrations run once per database; tables are emptied after each test.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from miniapp.db import migrate
from miniapp.db.registry import Base
from miniapp.db.session import Database

PG_ADMIN_URL = os.environ.get("MINIAPP_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = [b for b in os.environ.get("MINIAPP_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]


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


def _empty_all_tables(database: Database) -> None:
    tables = [table.name for table in reversed(Base.metadata.sorted_tables)]
    with database.engine.begin() as conn:
        if database.dialect == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))


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
