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
