"""Registering apps, releasing bundles, and what users may launch (both engines)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select

from miniapp.accounts.models import Organisation
from miniapp.accounts.users import do_sign_up
from miniapp.apps.models import App
from miniapp.apps.registry import (
    MAX_REQUEST_DOMAINS,
    access_launchable_app,
    check_request_domains,
    do_register_app,
    do_release_bundle,
    list_launchable_apps,
)
from miniapp.db.session import Database
from miniapp.errors import InvalidInput, UserError

BUNDLE = "0123456789abcdef0123"


def test_registering_without_an_appid_generates_a_wechat_style_one(database: Database) -> None:
    with database.transaction() as session:
        first = do_register_app(session, name="  Coffee   Shop ")
        second = do_register_app(session, name="Tea")
        assert first.id is not None
    assert re.fullmatch(r"wx[0-9a-f]{16}", first.appid)
    assert first.appid != second.appid
    assert first.name == "Coffee Shop"
    assert first.organisation_id is None and first.released_bundle is None


def test_an_app_belongs_to_its_organisation(database: Database) -> None:
    with database.transaction() as session:
        owner = do_sign_up(session, login="o@example.com", password="Tr0ub4dor&3", display_name="O")
        organisation = Organisation(name="Acme", created_by_id=owner.id)
        session.add(organisation)
        app = do_register_app(
            session, name="Shop", appid="wx00000000000000aa", organisation=organisation
        )
    with database.read() as session:
        stored = session.scalars(select(App).where(App.appid == "wx00000000000000aa")).one()
        assert stored.organisation_id == app.organisation_id is not None


def test_an_appid_is_registered_once(database: Database) -> None:
    with database.transaction() as session:
        do_register_app(session, name="First", appid="wx0123456789abcdef")
    with pytest.raises(UserError) as raised, database.transaction() as session:
        do_register_app(session, name="Second", appid="wx0123456789abcdef")
    assert (raised.value.code, raised.value.status_code) == ("appid_taken", 409)


@pytest.mark.parametrize(
    "appid", ["touristappid", "wx0123456789ABCDEF", "wx0123456789abcde", "0123456789abcdef01", ""]
)
def test_a_given_appid_must_look_like_wechats(database: Database, appid: str) -> None:
    with pytest.raises(UserError) as raised, database.transaction() as session:
        do_register_app(session, name="App", appid=appid)
    assert (raised.value.code, raised.value.field) == ("appid_invalid", "appid")


@pytest.mark.parametrize("name", ["", "   ", "x" * 65, "bad\u202ename", "tab\x00"])
def test_a_name_must_be_short_plain_text(database: Database, name: str) -> None:
    with pytest.raises(UserError) as raised, database.transaction() as session:
        do_register_app(session, name=name)
    assert (raised.value.code, raised.value.field) == ("app_name_invalid", "name")


def test_request_domains_are_stored_as_lower_case_host_names(database: Database) -> None:
    with database.transaction() as session:
        app = do_register_app(
            session,
            name="Shop",
            request_domains=["https://API.example.com/", "api.example.com", "pay.example.cn:8443"],
        )
    assert app.request_domains == ["api.example.com", "pay.example.cn:8443"]


@pytest.mark.parametrize(
    "domain",
    ["localhost", "127.0.0.1", "10.0.0.1:443", "http://a.example.com", "*.example.com",
     "a.example.com/path", "a..example.com", "-a.example.com", "a.example.com:0",
     "a.example.com:70000", "user@a.example.com", "", "a" * 64 + ".com"],
)  # fmt: skip
def test_request_domains_refuse_what_is_not_a_host_name(database: Database, domain: str) -> None:
    with pytest.raises(UserError) as raised, database.transaction() as session:
        do_register_app(session, name="Shop", request_domains=[domain])
    assert raised.value.code == "request_domain_invalid"
    assert raised.value.params == {"domain": domain}


def test_request_domains_are_limited_in_number() -> None:
    many = [f"d{n}.example.com" for n in range(MAX_REQUEST_DOMAINS + 1)]
    assert len(check_request_domains(many[:-1])) == MAX_REQUEST_DOMAINS
    with pytest.raises(UserError) as raised:
        check_request_domains(many)
    assert raised.value.code == "too_many_request_domains"


def test_only_a_released_app_can_be_launched(database: Database) -> None:
    with database.transaction() as session:
        app = do_register_app(session, name="Shop")
        appid = app.appid
    with pytest.raises(UserError) as raised, database.read() as session:
        access_launchable_app(session, appid=appid)
    assert (raised.value.code, raised.value.status_code) == ("app_not_found", 404)
    with database.transaction() as session:
        app = session.scalars(select(App).where(App.appid == appid)).one()
        do_release_bundle(session, app=app, bundle_id=BUNDLE)
    with database.read() as session:
        launched = access_launchable_app(session, appid=appid)
        assert launched.released_bundle == BUNDLE


@pytest.mark.parametrize("appid", ["wx0000000000000000", "", "x" * 33, "wx'; drop table apps;--"])
def test_an_unknown_appid_is_not_found_alike(database: Database, appid: str) -> None:
    with pytest.raises(UserError) as raised, database.read() as session:
        access_launchable_app(session, appid=appid)
    assert (raised.value.code, raised.value.status_code) == ("app_not_found", 404)


def test_a_malformed_appid_is_refused_without_asking_the_database(database: Database) -> None:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        with pytest.raises(UserError), database.read() as session:
            access_launchable_app(session, appid="../../etc/passwd")
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    assert statements == []


@pytest.mark.parametrize("bundle_id", ["", "0123", "0123456789ABCDEF0123", "../../x", "g" * 20])
def test_only_a_bundle_id_can_be_released(database: Database, bundle_id: str) -> None:
    with database.transaction() as session:
        app = do_register_app(session, name="Shop")
        with pytest.raises(UserError) as raised:
            do_release_bundle(session, app=app, bundle_id=bundle_id)
    assert (raised.value.code, raised.value.field) == ("bundle_invalid", "bundle_id")


def test_launchable_apps_are_listed_by_name_then_appid(database: Database) -> None:
    with database.transaction() as session:
        for appid, name, released in [
            ("wx000000000000000b", "Beta", True),
            ("wx000000000000000c", "Alpha", True),
            ("wx000000000000000a", "Beta 2", True),
            ("wx000000000000000d", "Aardvark", False),
        ]:
            app = do_register_app(session, name=name, appid=appid)
            if released:
                do_release_bundle(session, app=app, bundle_id=BUNDLE)
    with database.read() as session:
        listed = [(app.name, app.appid) for app in list_launchable_apps(session)]
    assert listed == [
        ("Alpha", "wx000000000000000c"),
        ("Beta", "wx000000000000000b"),
        ("Beta 2", "wx000000000000000a"),
    ]


@pytest.mark.parametrize(
    ("kind", "raw", "stored"),
    [
        ("socket", "wss://Chat.example.com/", "chat.example.com"),
        ("upload", "https://files.example.com", "files.example.com"),
        ("download", "cdn.example.com:8443", "cdn.example.com:8443"),
        ("webview", "https://www.example.com/", "www.example.com"),
    ],
)
def test_each_kind_of_server_domain_is_stored_as_a_host_name(
    database: Database, kind: str, raw: str, stored: str
) -> None:
    with database.transaction() as session:
        app = do_register_app(session, name="Shop", **{f"{kind}_domains": [raw, raw]})
        assert getattr(app, f"{kind}_domains") == [stored]
        assert app.request_domains == []


@pytest.mark.parametrize("kind", ["socket", "upload", "download", "webview"])
def test_server_domains_refuse_ip_addresses_and_localhost(database: Database, kind: str) -> None:
    for raw in ("127.0.0.1", "localhost", "https://10.0.0.1"):
        with pytest.raises(InvalidInput) as raised, database.transaction() as session:
            do_register_app(session, name="Shop", **{f"{kind}_domains": [raw]})
        assert raised.value.code == "server_domain_invalid"
        assert raised.value.params["kind"] == kind
    with database.read() as session:
        assert session.scalars(select(App)).all() == []
