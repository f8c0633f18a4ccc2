"""The consent routes over HTTP: signed in only, one user's decisions invisible to another,
scopes checked, only apps the caller may open, and Me → Privacy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from miniapp.accounts.models import User
from miniapp.db.session import Database
from tests.discovery.entry_helpers import make_app, make_trial_app

PASSWORD = "correct-horse-42"
ClientFactory = Callable[[], Any]


def signed_in(make_client: ClientFactory, login: str) -> Any:
    browser = make_client()
    response = browser.post(
        "/api/accounts/signup",
        json={"login": login, "password": PASSWORD, "display_name": login.partition("@")[0]},
    )
    assert response.status_code == 201, response.text
    return browser


def user_id(database: Database, login: str) -> int:
    with database.read() as session:
        return session.scalars(select(User.id).where(User.email == login)).one()


def test_signed_out_every_route_is_401(client: Any, database: Database) -> None:
    appid = make_app(database, "Tea")
    for response in (
        client.get(f"/api/runtime/apps/{appid}/consents"),
        client.put(f"/api/runtime/apps/{appid}/consents/scope.camera", json={"granted": True}),
        client.post(f"/api/runtime/apps/{appid}/access", json={"what": "userProfile"}),
        client.get("/api/me/privacy"),
    ):
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_signed_in"


def test_a_decision_is_the_users_own_and_an_access_shows_on_their_privacy_page(
    make_client: ClientFactory, database: Database
) -> None:
    appid = make_app(database, "Tea")
    ana, bob = signed_in(make_client, "ana@example.com"), signed_in(make_client, "bob@example.com")
    base = f"/api/runtime/apps/{appid}"
    assert ana.get(f"{base}/consents").json() == {"authSetting": {}}
    granted = ana.put(f"{base}/consents/scope.userLocation", json={"granted": True})
    assert granted.status_code == 200, granted.text
    assert granted.json() == {"authSetting": {"scope.userLocation": True}}
    assert ana.get(f"{base}/consents").json() == {"authSetting": {"scope.userLocation": True}}
    assert bob.get(f"{base}/consents").json() == {"authSetting": {}}

    assert bob.post(f"{base}/access", json={"what": "scope.userLocation"}).status_code == 409
    assert ana.post(f"{base}/access", json={"what": "scope.userLocation"}).status_code == 204
    privacy = ana.get("/api/me/privacy").json()["apps"]
    assert [(a["appid"], a["name"], [x["what"] for x in a["accesses"]]) for a in privacy] == [
        (appid, "Tea", ["scope.userLocation"])
    ]
    assert bob.get("/api/me/privacy").json() == {"apps": []}

    revoked = ana.put(f"{base}/consents/scope.userLocation", json={"granted": False})
    assert revoked.json() == {"authSetting": {"scope.userLocation": False}}
    assert ana.post(f"{base}/access", json={"what": "scope.userLocation"}).status_code == 409


def test_an_unknown_scope_is_422(make_client: ClientFactory, database: Database) -> None:
    appid = make_app(database, "Tea")
    ana = signed_in(make_client, "ana@example.com")
    base = f"/api/runtime/apps/{appid}"
    for response in (
        ana.put(f"{base}/consents/scope.everything", json={"granted": True}),
        ana.post(f"{base}/access", json={"what": "scope.everything"}),
    ):
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "consent_scope_unknown"


def test_an_unreleased_app_is_404_for_an_outsider_and_open_to_its_tester_with_the_build(
    make_client: ClientFactory, database: Database
) -> None:
    tess, olga = (
        signed_in(make_client, "tess@example.com"),
        signed_in(make_client, "olga@example.com"),
    )
    appid = make_trial_app(database, "Secret", tester_id=user_id(database, "tess@example.com"))
    base = f"/api/runtime/apps/{appid}"
    trial = {"build": "trial"}
    for response in (
        olga.get(f"{base}/consents"),
        olga.get(f"{base}/consents", params=trial),
        olga.put(f"{base}/consents/scope.camera", params=trial, json={"granted": True}),
        olga.post(f"{base}/access", params=trial, json={"what": "userProfile"}),
        tess.get(f"{base}/consents"),
        tess.get("/api/runtime/apps/wx0000000000000000/consents"),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "app_not_found"
    put = tess.put(f"{base}/consents/scope.camera", params=trial, json={"granted": True})
    assert put.json() == {"authSetting": {"scope.camera": True}}
    assert tess.get(f"{base}/consents", params=trial).json() == {
        "authSetting": {"scope.camera": True}
    }


def test_an_album_access_is_recorded_for_the_caller_only_and_cannot_be_decided(
    make_client: ClientFactory, database: Database
) -> None:
    appid = make_app(database, "Tea")
    ana, bob = signed_in(make_client, "ana@example.com"), signed_in(make_client, "bob@example.com")
    base = f"/api/runtime/apps/{appid}"
    assert ana.post(f"{base}/access", json={"what": "album"}).status_code == 204
    refused = ana.put(f"{base}/consents/album", json={"granted": True})
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "consent_scope_unknown"
    privacy = ana.get("/api/me/privacy").json()["apps"]
    assert [(a["appid"], [x["what"] for x in a["accesses"]]) for a in privacy] == [
        (appid, ["album"])
    ]
    assert bob.get("/api/me/privacy").json() == {"apps": []}
