"""Migrations: reversible, and the models never drift from them."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from miniapp.db import migrate
from miniapp.db.registry import Base
from miniapp.db.session import Database


def test_models_match_the_migrations(database: Database) -> None:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_migrations_go_down_to_nothing_and_up_again(database: Database) -> None:
    head = migrate.head_revision(database.engine)
    assert migrate.current_revision(database.engine) == head
    migrate.downgrade(database.engine, "base")
    assert migrate.current_revision(database.engine) is None
    assert [t for t in inspect(database.engine).get_table_names() if t != "alembic_version"] == []
    migrate.upgrade(database.engine)
    assert migrate.current_revision(database.engine) == head
    tables = set(inspect(database.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables


def test_processes_starting_together_migrate_one_at_a_time() -> None:
    """Several `miniapp db upgrade` (as several servers starting) on one fresh PostgreSQL
    database: the advisory lock makes them take turns, and all succeed."""
    import secrets
    import subprocess
    import sys

    import psycopg
    from tests.conftest import PG_ADMIN_URL, _pg_url_for

    name = f"miniapp_migrate_{secrets.token_hex(4)}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = _pg_url_for(name)
        processes = [
            subprocess.Popen(
                [sys.executable, "-m", "miniapp", "db", "upgrade", "--database", url],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(4)
        ]
        outputs = [process.communicate(timeout=120)[0] for process in processes]
        assert [process.returncode for process in processes] == [0, 0, 0, 0], outputs
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
