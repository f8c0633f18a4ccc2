"""POST /api/runtime/apps/{appid}/login and GET .../session over HTTP: signed in only, for an app
the caller may open (the release, or a build of their own app), CSRF as every API POST."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.settings import Settings
from tests.discovery.entry_helpers import make_trial_app
from tests.identity.helpers import make_app, redeem, user_id_of

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


def test_a_signed_in_user_gets_a_code_the_back_end_redeems(
    make_client: ClientFactory, database: Database, settings: Settings
) -> None:
    app = make_app(database, settings, "Tea")
    browser = signed_in(make_client, "ana@example.com")
    assert browser.get(f"/api/runtime/apps/{app.appid}/session").json() == {"valid": False}
    answer = browser.post(f"/api/runtime/apps/{app.appid}/login", json={})
    assert answer.status_code == 200, answer.text
    code = answer.json()["code"]
    assert len(code) == 32
    assert browser.get(f"/api/runtime/apps/{app.appid}/session").json() == {"valid": True}
    assert not isinstance(redeem(database, settings, app, code, now=utc_now()), int)


def test_signed_out_login_and_session_are_401(
    client: Any, database: Database, settings: Settings
) -> None:
    app = make_app(database, settings, "Tea")
    login = client.post(f"/api/runtime/apps/{app.appid}/login", json={})
    assert login.status_code == 401
    assert login.json()["error"]["code"] == "not_signed_in"
    assert client.get(f"/api/runtime/apps/{app.appid}/session").status_code == 401


def test_an_unreleased_app_is_404_for_an_outsider_and_a_build_for_its_member(
    make_client: ClientFactory, database: Database, settings: Settings
) -> None:
    member = signed_in(make_client, "tess@example.com")
    outsider = signed_in(make_client, "olga@example.com")
    appid = make_trial_app(database, "Secret", tester_id=user_id_of(database, "tess@example.com"))
    for browser in (member, outsider):
        refused = browser.post(f"/api/runtime/apps/{appid}/login", json={})
        assert refused.status_code == 404
        assert refused.json()["error"]["code"] == "app_not_found"
    trial = {"build": "trial"}
    assert outsider.post(f"/api/runtime/apps/{appid}/login", json=trial).status_code == 404
    assert outsider.get(f"/api/runtime/apps/{appid}/session", params=trial).status_code == 404
    assert member.post(f"/api/runtime/apps/{appid}/login", json=trial).status_code == 200
    assert member.get(f"/api/runtime/apps/{appid}/session", params=trial).json() == {"valid": True}
    unknown = member.post("/api/runtime/apps/wx0000000000000000/login", json={})
    assert unknown.status_code == 404


def test_login_needs_the_csrf_header(
    make_client: ClientFactory, database: Database, settings: Settings
) -> None:
    app = make_app(database, settings, "Tea")
    browser = signed_in(make_client, "ana@example.com")
    answer = browser.post(
        f"/api/runtime/apps/{app.appid}/login", json={}, headers={"X-CSRF-Token": "forged"}
    )
    assert answer.status_code == 403
