"""The apps table on both engines: defaults, timezone-aware timestamps, the unique appid."""

from __future__ import annotations

import uuid
from datetime import UTC

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from miniapp.accounts.models import Organisation
from miniapp.accounts.users import do_sign_up
from miniapp.apps.models import App
from miniapp.db.session import Database


def test_an_app_gets_a_public_id_utc_timestamps_and_no_release(database: Database) -> None:
    with database.transaction() as session:
        owner = do_sign_up(
            session, login="owner@example.com", password="Tr0ub4dor&3", display_name="Owner"
        )
        organisation = Organisation(name="Acme", created_by_id=owner.id)
        session.add(organisation)
        session.add(App(appid="wx0123456789abcdef", name="Shop", organisation=organisation))
    with database.read() as session:
        app = session.scalars(select(App)).one()
        assert isinstance(app.public_id, uuid.UUID)
        assert app.created_at.tzinfo == UTC and app.updated_at.tzinfo == UTC
        assert app.request_domains == []
        assert app.released_bundle is None
        assert app.organisation is not None and app.organisation.name == "Acme"


def test_request_domains_round_trip_as_a_json_list(database: Database) -> None:
    with database.transaction() as session:
        session.add(App(appid="wx0000000000000001", name="A", request_domains=["a.example.com"]))
    with database.read() as session:
        assert session.scalars(select(App.request_domains)).one() == ["a.example.com"]


def test_the_database_refuses_a_second_app_with_one_appid(database: Database) -> None:
    with database.transaction() as session:
        session.add(App(appid="wx0123456789abcdef", name="First"))
    with pytest.raises(IntegrityError), database.transaction() as session:
        session.add(App(appid="wx0123456789abcdef", name="Second"))
