"""Prebuilt Core statements on a bare DBAPI connection read and write exactly as through
SQLAlchemy, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, insert, select, update

from miniapp.apps.models import App
from miniapp.apps.registry import do_register_app
from miniapp.db.raw_statements import RawConnection
from miniapp.db.session import Database
from miniapp.db.types import UTCDateTime
from miniapp.subscribe.models import AppTemplate
from miniapp.subscribe.templates import do_add_template

T0 = datetime(2030, 5, 1, 12, 0, 30, 123456, tzinfo=UTC)

_APP = select(App.id, App.appid, App.name, App.created_at).where(App.appid == bindparam("appid"))
_TEMPLATES = (
    select(AppTemplate.pri_tmpl_id, AppTemplate.kid_list, AppTemplate.created_at)
    .where(AppTemplate.app_id == bindparam("app_id"))
    .order_by(AppTemplate.pri_tmpl_id)
)
_RENAME = (
    update(App)
    .where(App.appid == bindparam("appid"))
    .values(name=bindparam("name"), updated_at=bindparam("now", type_=UTCDateTime()))
)
# AppTemplate.created_at has a Python-side default (utc_now), which a bare cursor would skip.
_ADD_TEMPLATE = insert(AppTemplate).values(
    app_id=bindparam("app_id"),
    pri_tmpl_id=bindparam("pri_tmpl_id"),
    tid=1002,
    kid_list=[1],
    scene_desc="x",
)


def _rename_then_fail(raw: RawConnection, appid: str, name: str) -> None:
    raw.execute(_RENAME, {"appid": appid, "name": name, "now": T0})
    raise RuntimeError("after the write")


@pytest.fixture
def raw(database: Database) -> Iterator[RawConnection]:
    """A pooled connection of the database, bare."""
    proxy = database.engine.raw_connection()
    try:
        yield RawConnection(proxy.dbapi_connection, database.engine.dialect)
    finally:
        proxy.close()


def _app(database: Database) -> tuple[int, str]:
    with database.transaction() as session:
        app = do_register_app(session, name="Raw reads")
        session.flush()
        for kids in ([1, 2], [3]):
            do_add_template(session, app_id=app.id, tid=1002, kid_list=kids, scene_desc="s", now=T0)
        return app.id, app.appid


def _name(database: Database, appid: str) -> str:
    with database.read() as session:
        name: str = session.scalars(select(App.name).where(App.appid == appid)).one()
        return name


def test_rows_read_as_sqlalchemy_reads_them(database: Database, raw: RawConnection) -> None:
    app_id, appid = _app(database)
    with database.read_connection() as connection:
        expected_app = connection.execute(_APP, {"appid": appid}).one()
        expected_templates = connection.execute(_TEMPLATES, {"app_id": app_id}).all()
    with raw.transaction():
        found = raw.execute(_APP, {"appid": appid}).first()
        templates = raw.execute(_TEMPLATES, {"app_id": app_id}).all()
        assert raw.execute(_APP, {"appid": "wx-none"}).first() is None
    assert tuple(found) == tuple(expected_app)
    assert found.appid == appid and found.created_at.tzinfo is UTC
    assert [tuple(row) for row in templates] == [tuple(row) for row in expected_templates]
    assert {tuple(row.kid_list) for row in templates} == {(1, 2), (3,)}  # JSON decoded
    assert all(row.created_at == T0 for row in templates)  # UTC, microseconds kept


def test_writes_convert_values_and_count_rows(database: Database, raw: RawConnection) -> None:
    _app_id, appid = _app(database)
    with raw.transaction():
        renamed = raw.execute(_RENAME, {"appid": appid, "name": "Renamed", "now": T0})
        unknown = raw.execute(_RENAME, {"appid": "wx-none", "name": "x", "now": T0})
        assert (renamed.rowcount, unknown.rowcount) == (1, 0)
    with database.read() as session:
        app = session.scalars(select(App).where(App.appid == appid)).one()
    assert (app.name, app.updated_at) == ("Renamed", T0)


def test_a_failed_transaction_keeps_nothing(database: Database, raw: RawConnection) -> None:
    _app_id, appid = _app(database)
    with pytest.raises(RuntimeError), raw.transaction():
        _rename_then_fail(raw, appid, "Lost")
    assert _name(database, appid) == "Raw reads"


def test_a_failed_savepoint_undoes_its_own_writes_only(
    database: Database, raw: RawConnection
) -> None:
    _app_id, appid = _app(database)
    with raw.transaction():
        with raw.savepoint():
            raw.execute(_RENAME, {"appid": appid, "name": "First", "now": T0})
        with pytest.raises(RuntimeError), raw.savepoint():
            _rename_then_fail(raw, appid, "Second")
        with pytest.raises(RuntimeError), raw.savepoint():
            _rename_then_fail(raw, "wx-none", "Nothing written")
    assert _name(database, appid) == "First"


def test_a_missing_value_or_a_python_side_default_is_refused(
    database: Database, raw: RawConnection
) -> None:
    app_id, _appid = _app(database)
    with raw.transaction():
        with pytest.raises(KeyError, match="no value for name"):
            raw.execute(_RENAME, {"appid": "wx", "now": T0})
        with pytest.raises(ValueError, match="Python-side defaults"):
            raw.execute(_ADD_TEMPLATE, {"app_id": app_id, "pri_tmpl_id": "p"})
