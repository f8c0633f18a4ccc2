"""The app profile services: create with an AppSecret, update, logo, permits, secret reset.

Every refusal leaves the app, the audit log and the stores as they were.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from miniapp.accounts.models import (
    AuditEvent,
    Membership,
    Organisation,
    OrgRole,
    PrivateDocument,
    User,
)
from miniapp.accounts.private_documents import PrivateStore
from miniapp.apps.logos import MediaStore
from miniapp.apps.models import App
from miniapp.apps.profile import (
    ProfileChanges,
    access_app_profile,
    do_add_permit,
    do_create_app,
    do_reset_app_secret,
    do_set_logo,
    do_update_profile,
    list_organisation_apps,
    permits_missing,
    verify_app_secret,
)
from miniapp.apps.registry import do_register_app
from miniapp.db.session import Database
from miniapp.errors import Conflict, Forbidden, InvalidInput, NotFound, UserError

KEY = b"server-key-" + b"k" * 32
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
E = TypeVar("E", bound=UserError)


@dataclass
class World:
    database: Database
    admin: User
    developer: User
    outsider: User
    org_id: str
    appid: str
    secret: str
    media: MediaStore
    private: PrivateStore


def png(width: int = 300, height: int = 200, colour: str = "green") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def _user(session: Session, name: str) -> User:
    user = User(email=f"{name}@example.org", password_hash="x", display_name=name.title())
    session.add(user)
    session.flush()
    return user


@pytest.fixture
def world(database: Database, tmp_path: Path) -> World:
    with database.transaction() as session:
        admin, developer, outsider = (_user(session, n) for n in ("ada", "dev", "out"))
        org = Organisation(name="Tea House", created_by_id=admin.id)
        session.add(org)
        session.flush()
        session.add(Membership(organisation_id=org.id, user_id=admin.id, role=OrgRole.ADMIN))
        session.add(
            Membership(organisation_id=org.id, user_id=developer.id, role=OrgRole.DEVELOPER)
        )
        org_id = str(org.public_id)
    with database.transaction() as session:
        created = do_create_app(
            session, user=admin, organisation_id=org_id, name="Tea", server_key=KEY
        )
    return World(
        database=database,
        admin=admin,
        developer=developer,
        outsider=outsider,
        org_id=org_id,
        appid=created.profile.app.appid,
        secret=created.secret,
        media=MediaStore(tmp_path / "media"),
        private=PrivateStore(tmp_path / "private"),
    )


def snapshot(database: Database) -> dict[str, Any]:
    """Everything a refused change must leave as it was."""
    with database.read() as session:
        apps = session.scalars(select(App).order_by(App.id)).all()
        return {
            "apps": [
                {
                    c.name: getattr(app, c.key)
                    for c in App.__table__.columns
                    if c.name != "updated_at"
                }
                for app in apps
            ],
            "audit": session.scalar(select(func.count()).select_from(AuditEvent)),
            "documents": session.scalar(select(func.count()).select_from(PrivateDocument)),
        }


def refused(world: World, error: type[E], change: Callable[[Session], object]) -> E:
    before = snapshot(world.database)
    with pytest.raises(error) as caught, world.database.transaction() as session:
        change(session)
    assert snapshot(world.database) == before
    return caught.value


def audit_entries(database: Database) -> list[tuple[str, dict[str, Any]]]:
    with database.read() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
        return [(event.action, event.detail) for event in events]


def app_row(database: Database, appid: str) -> App:
    with database.read() as session:
        return session.scalars(select(App).where(App.appid == appid)).one()


# --- create -------------------------------------------------------------------------------------


def test_create_gives_an_appid_and_a_secret_stored_only_as_an_hmac(world: World) -> None:
    assert re.fullmatch(r"wx[0-9a-f]{16}", world.appid)
    assert re.fullmatch(r"[0-9a-f]{32}", world.secret)
    app = app_row(world.database, world.appid)
    assert app.secret_hash is not None and world.secret not in app.secret_hash
    assert app.secret_reset_at is None
    assert verify_app_secret(app, world.secret, server_key=KEY)
    assert not verify_app_secret(app, world.secret.upper(), server_key=KEY)
    assert not verify_app_secret(app, world.secret, server_key=b"another key")
    assert audit_entries(world.database) == [("app.created", {"appid": world.appid, "name": "Tea"})]


def test_create_with_description_and_category(world: World) -> None:
    with world.database.transaction() as session:
        created = do_create_app(
            session,
            user=world.admin,
            organisation_id=world.org_id,
            name="  Green   Leaf ",
            description="Fresh tea.\r\nDelivered.",
            category="health",
            server_key=KEY,
        )
    profile = created.profile
    assert (profile.app.name, profile.app.description) == ("Green Leaf", "Fresh tea.\nDelivered.")
    assert profile.app.category == "health"
    assert profile.permits_missing == ["medical_licence"]
    assert created.secret != world.secret


def test_only_admins_create_and_outsiders_learn_nothing(world: World) -> None:
    def create(user: User, name: str) -> Callable[[Session], object]:
        return lambda session: do_create_app(
            session, user=user, organisation_id=world.org_id, name=name, server_key=KEY
        )

    assert refused(world, Forbidden, create(world.developer, "Dev App")).params == {"role": "admin"}
    refused(world, NotFound, create(world.outsider, "Out App"))
    refused(
        world,
        NotFound,
        lambda s: do_create_app(
            s, user=world.admin, organisation_id="not-an-id", name="X", server_key=KEY
        ),
    )


@pytest.mark.parametrize("name", ["Tea", "tea", "TEA ", "Ｔｅａ", "ｔｅａ"])
def test_a_name_taken_in_any_case_or_width_is_a_conflict(world: World, name: str) -> None:
    error = refused(
        world,
        Conflict,
        lambda s: do_create_app(
            s, user=world.admin, organisation_id=world.org_id, name=name, server_key=KEY
        ),
    )
    assert (error.code, error.field) == ("app_name_taken", "name")


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"name": ""}, "app_name_invalid", "name"),
        ({"name": "Tea\u202e"}, "app_name_invalid", "name"),
        ({"name": "New", "description": "x" * 501}, "app_description_invalid", "description"),
        ({"name": "New", "description": "bell\x07"}, "app_description_invalid", "description"),
        ({"name": "New", "category": "casino"}, "category_invalid", "category"),
    ],
)
def test_create_refuses_bad_input(
    world: World, fields: dict[str, str], code: str, field: str
) -> None:
    error = refused(
        world,
        InvalidInput,
        lambda s: do_create_app(
            s, user=world.admin, organisation_id=world.org_id, server_key=KEY, **fields
        ),
    )
    assert (error.code, error.field) == (code, field)


# --- read ---------------------------------------------------------------------------------------


def test_any_member_reads_and_lists_outsiders_do_not(world: World) -> None:
    with world.database.read() as session:
        assert access_app_profile(session, user=world.developer, appid=world.appid).app.name == (
            "Tea"
        )
        listed = list_organisation_apps(session, user=world.developer, organisation_id=world.org_id)
        assert [p.app.appid for p in listed] == [world.appid]
        with pytest.raises(NotFound):
            access_app_profile(session, user=world.outsider, appid=world.appid)
        with pytest.raises(NotFound):
            list_organisation_apps(session, user=world.outsider, organisation_id=world.org_id)


# --- update -------------------------------------------------------------------------------------


def test_update_sets_what_is_given_and_audits_the_field_names(world: World) -> None:
    changes = ProfileChanges(
        name="Tea Time",
        description="Tea, delivered.",
        category="food",
        request_domains=["https://API.example.com/", "api.example.com", "cdn.example.com:8443"],
        socket_domains=["wss://live.example.com"],
        webview_domains=["www.example.com"],
    )
    with world.database.transaction() as session:
        profile = do_update_profile(session, user=world.admin, appid=world.appid, changes=changes)
    app = app_row(world.database, world.appid)
    assert profile.app.name == app.name == "Tea Time"
    assert app.name_key == "tea time"
    assert (app.description, app.category) == ("Tea, delivered.", "food")
    assert app.request_domains == ["api.example.com", "cdn.example.com:8443"]
    assert app.socket_domains == ["live.example.com"]
    assert (app.upload_domains, app.download_domains) == ([], [])
    assert app.webview_domains == ["www.example.com"]
    action, detail = audit_entries(world.database)[-1]
    assert action == "app.updated"
    assert detail == {
        "appid": world.appid,
        "fields": [
            "name",
            "description",
            "category",
            "request_domains",
            "socket_domains",
            "webview_domains",
        ],
    }
    # The old name is free again; the same values again change nothing and log nothing.
    with world.database.transaction() as session:
        do_register_app(session, name="TEA")
        do_update_profile(session, user=world.admin, appid=world.appid, changes=changes)
    assert len(audit_entries(world.database)) == 2


def test_an_app_may_change_the_case_of_its_own_name(world: World) -> None:
    with world.database.transaction() as session:
        do_update_profile(
            session, user=world.admin, appid=world.appid, changes=ProfileChanges(name="TEA")
        )
    assert app_row(world.database, world.appid).name == "TEA"


@pytest.mark.parametrize(
    ("given", "code", "field"),
    [
        ({"request_domains": ["http://api.example.com"]}, "domain_not_https", "request_domains"),
        ({"socket_domains": ["ws://live.example.com"]}, "domain_not_https", "socket_domains"),
        ({"upload_domains": ["HTTP://up.example.com"]}, "domain_not_https", "upload_domains"),
        ({"request_domains": ["https://10.0.0.1"]}, "request_domain_invalid", "request_domains"),
        ({"request_domains": ["localhost"]}, "request_domain_invalid", "request_domains"),
        ({"download_domains": ["192.168.1.1:80"]}, "server_domain_invalid", "download_domains"),
        ({"webview_domains": ["a.example.com", "b c"]}, "server_domain_invalid", "webview_domains"),
        ({"description": "d" * 501}, "app_description_invalid", "description"),
        ({"category": "casino"}, "category_invalid", "category"),
        ({"name": " "}, "app_name_invalid", "name"),
    ],
)
def test_update_refuses_bad_input_and_changes_nothing(
    world: World, given: dict[str, Any], code: str, field: str
) -> None:
    changes = ProfileChanges(**{"name": "Good", **given})
    error = refused(
        world,
        InvalidInput,
        lambda s: do_update_profile(s, user=world.admin, appid=world.appid, changes=changes),
    )
    assert (error.code, error.field) == (code, field)


def test_update_to_another_apps_name_is_a_conflict(world: World) -> None:
    with world.database.transaction() as session:
        do_register_app(session, name="Coffee")
    error = refused(
        world,
        Conflict,
        lambda s: do_update_profile(
            s,
            user=world.admin,
            appid=world.appid,
            changes=ProfileChanges(name="ＣＯＦＦＥＥ", description="changed too"),
        ),
    )
    assert (error.code, error.field, error.params) == (
        "app_name_taken",
        "name",
        {"name": "ＣＯＦＦＥＥ"},
    )


def test_update_needs_an_admin(world: World) -> None:
    changes = ProfileChanges(description="mine now")
    error = refused(
        world,
        Forbidden,
        lambda s: do_update_profile(s, user=world.developer, appid=world.appid, changes=changes),
    )
    assert error.code == "role_required"
    refused(
        world,
        NotFound,
        lambda s: do_update_profile(s, user=world.outsider, appid=world.appid, changes=changes),
    )


# --- logo ---------------------------------------------------------------------------------------


def test_logo_is_stored_and_a_bad_one_keeps_the_old(world: World) -> None:
    with world.database.transaction() as session:
        profile = do_set_logo(
            session, user=world.admin, appid=world.appid, data=png(), media=world.media
        )
    logo = profile.app.logo
    assert logo is not None and (world.media.root / logo).is_file()
    assert audit_entries(world.database)[-1] == (
        "app.logo_changed",
        {"appid": world.appid, "logo": logo},
    )
    for bad in (b"not an image", png(100, 100)):
        refused(
            world,
            InvalidInput,
            lambda s, data=bad: do_set_logo(  # type: ignore[misc]
                s, user=world.admin, appid=world.appid, data=data, media=world.media
            ),
        )
    assert app_row(world.database, world.appid).logo == logo
    assert [p.name for p in world.media.root.iterdir()] == [logo]
    refused(
        world,
        Forbidden,
        lambda s: do_set_logo(
            s, user=world.developer, appid=world.appid, data=png(colour="red"), media=world.media
        ),
    )


# --- permits ------------------------------------------------------------------------------------


def _set_category(world: World, category: str) -> None:
    with world.database.transaction() as session:
        do_update_profile(
            session, user=world.admin, appid=world.appid, changes=ProfileChanges(category=category)
        )


def _add_permit(world: World, session: Session, permit: str, data: bytes = PDF) -> object:
    return do_add_permit(
        session,
        user=world.admin,
        appid=world.appid,
        permit=permit,
        data=data,
        file_name="../licence.pdf",
        store=world.private,
    )


def private_files(world: World) -> list[Path]:
    root = world.private.root
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_permits_are_missing_until_uploaded(world: World) -> None:
    _set_category(world, "health")
    with world.database.read() as session:
        app = access_app_profile(session, user=world.admin, appid=world.appid).app
        assert permits_missing(session, app=app) == ["medical_licence"]
    with world.database.transaction() as session:
        _add_permit(world, session, "medical_licence")
    with world.database.read() as session:
        profile = access_app_profile(session, user=world.developer, appid=world.appid)
        assert profile.permits_missing == []
        assert permits_missing(session, app=profile.app) == []
        [permit] = profile.permits
        assert (permit.permit, permit.file_name) == ("medical_licence", "licence.pdf")
        document = session.scalars(select(PrivateDocument)).one()
    assert document.kind == "permit:medical_licence"
    assert world.private.read(document.storage_key) == PDF
    assert audit_entries(world.database)[-1] == (
        "app.permit_added",
        {"appid": world.appid, "permit": "medical_licence", "file_name": "licence.pdf"},
    )
    # Another category needs another permit; the uploaded one stays listed.
    _set_category(world, "news")
    with world.database.read() as session:
        profile = access_app_profile(session, user=world.admin, appid=world.appid)
    assert profile.permits_missing == ["news_permit"]
    assert [p.permit for p in profile.permits] == ["medical_licence"]


@pytest.mark.parametrize(
    ("permit", "data", "code", "field"),
    [
        ("game_licence", PDF, "permit_not_required", "permit"),
        ("no_such_permit", PDF, "permit_invalid", "permit"),
        ("medical_licence", b"<html>not a document</html>", "document_invalid", "file"),
        ("medical_licence", b"", "document_invalid", "file"),
    ],
)
def test_bad_permits_are_refused_and_nothing_is_stored(
    world: World, permit: str, data: bytes, code: str, field: str
) -> None:
    _set_category(world, "health")
    error = refused(world, InvalidInput, lambda s: _add_permit(world, s, permit, data))
    assert (error.code, error.field) == (code, field)
    assert private_files(world) == []


def test_a_permit_file_is_deleted_when_its_transaction_fails(world: World) -> None:
    _set_category(world, "health")

    def upload_then_fail() -> None:
        with world.database.transaction() as session:
            _add_permit(world, session, "medical_licence")
            assert len(private_files(world)) == 1
            raise RuntimeError("something after it failed")

    with pytest.raises(RuntimeError):
        upload_then_fail()
    assert private_files(world) == []


# --- the AppSecret ------------------------------------------------------------------------------


def test_reset_makes_the_old_secret_fail_at_once(world: World) -> None:
    with world.database.transaction() as session:
        new = do_reset_app_secret(session, user=world.admin, appid=world.appid, server_key=KEY)
    assert re.fullmatch(r"[0-9a-f]{32}", new) and new != world.secret
    app = app_row(world.database, world.appid)
    assert verify_app_secret(app, new, server_key=KEY)
    assert not verify_app_secret(app, world.secret, server_key=KEY)
    assert app.secret_reset_at is not None
    action, detail = audit_entries(world.database)[-1]
    assert (action, detail) == ("app.secret_reset", {"appid": world.appid})
    assert new not in str(audit_entries(world.database))


def test_only_admins_reset_the_secret(world: World) -> None:
    for user, error in ((world.developer, Forbidden), (world.outsider, NotFound)):
        refused(
            world,
            error,
            lambda s, u=user: do_reset_app_secret(  # type: ignore[misc]
                s, user=u, appid=world.appid, server_key=KEY
            ),
        )
    assert verify_app_secret(app_row(world.database, world.appid), world.secret, server_key=KEY)


def test_an_app_without_a_secret_verifies_nothing(world: World) -> None:
    with world.database.transaction() as session:
        app = do_register_app(session, name="Legacy")
    assert not verify_app_secret(app, "", server_key=KEY)
    assert not verify_app_secret(app, "0" * 32, server_key=KEY)


def test_a_lost_race_for_a_name_is_the_same_conflict(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two admins claiming one name at once: both pass the check, the unique index decides."""
    with world.database.transaction() as session:
        do_register_app(session, name="Coffee")
    monkeypatch.setattr(
        "miniapp.apps.profile.check_app_name_free", lambda session, *, name, except_app_id: "coffee"
    )
    monkeypatch.setattr(
        "miniapp.apps.registry.check_app_name_free", lambda session, *, name: "coffee"
    )
    error = refused(
        world,
        Conflict,
        lambda s: do_update_profile(
            s, user=world.admin, appid=world.appid, changes=ProfileChanges(name="COFFEE")
        ),
    )
    assert (error.code, error.field) == ("app_name_taken", "name")
    error = refused(
        world,
        Conflict,
        lambda s: do_create_app(
            s, user=world.admin, organisation_id=world.org_id, name="coffee", server_key=KEY
        ),
    )
    assert (error.code, error.field) == ("app_name_taken", "name")
