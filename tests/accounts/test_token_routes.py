"""Personal access tokens through HTTP: made in a browser or by `miniapp login`, used as bearer
tokens by scripts, refused where a browser session is needed, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from miniapp.accounts.models import LoginFailure, Organisation, PersonalAccessToken, UserSession
from miniapp.clock import utc_now
from miniapp.db.session import Database
from tests.conftest import CSRF_COOKIE

PASSWORD = "correct-horse-42"
LOGIN = "ana@example.com"


def signed_up(make_client: Any, login: str = LOGIN) -> Any:
    browser = make_client()
    response = browser.post(
        "/api/accounts/signup", json={"login": login, "password": PASSWORD, "display_name": "Ana"}
    )
    assert response.status_code == 201, response.text
    assert browser.post("/api/console/developer").status_code == 200
    return browser


@pytest.fixture
def script(app: FastAPI) -> Iterator[TestClient]:
    """A client with no cookie jar use: what the CLI is."""
    with TestClient(app, base_url="https://testserver") as client:
        yield client


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def new_token(browser: Any, name: str = "ci", **extra: Any) -> dict[str, Any]:
    response = browser.post("/api/accounts/tokens", json={"name": name, **extra})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def count(database: Database, model: Any) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_browser_makes_a_token_and_sees_its_secret_once(make_client: Any) -> None:
    browser = signed_up(make_client)
    made = new_token(browser, "CI deploys", expires_in_days=30)
    assert made["secret"].startswith("mpat_")
    token = made["token"]
    assert token["name"] == "CI deploys"
    assert token["prefix"] == made["secret"][:12]
    assert token["expires_at"] is not None and token["last_used_at"] is None
    listed = browser.get("/api/accounts/tokens").json()["tokens"]
    assert listed == [token]
    assert "secret" not in str(listed) and made["secret"] not in str(listed)


def test_bearer_works_on_console_routes_without_csrf(
    make_client: Any, script: TestClient, database: Database
) -> None:
    secret = new_token(signed_up(make_client))["secret"]
    me = script.get("/api/accounts/me", headers=bearer(secret))
    assert me.status_code == 200 and me.json()["user"]["email"] == LOGIN
    created = script.post(
        "/api/console/organisations", json={"name": "Acme"}, headers=bearer(secret)
    )
    assert created.status_code == 201, created.text
    listed = script.get("/api/console/organisations", headers=bearer(secret)).json()
    assert [o["name"] for o in listed["organisations"]] == ["Acme"]
    tokens = script.get("/api/accounts/tokens", headers=bearer(secret)).json()["tokens"]
    assert tokens[0]["last_used_at"] is not None


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/accounts/tokens", {"name": "another"}),
        (
            "POST",
            "/api/accounts/password",
            {"current_password": PASSWORD, "new_password": "another-horse-43"},
        ),
        ("POST", "/api/accounts/logout", None),
    ],
)
def test_a_token_cannot_make_tokens_change_the_password_or_sign_out(
    *,
    make_client: Any,
    script: TestClient,
    database: Database,
    method: str,
    path: str,
    body: Any,
) -> None:
    browser = signed_up(make_client)
    secret = new_token(browser)["secret"]
    before = (count(database, PersonalAccessToken), count(database, UserSession))
    response = script.request(method, path, json=body, headers=bearer(secret))
    assert response.status_code == 403, response.text
    assert response.json()["error"]["code"] == "session_required"
    assert (count(database, PersonalAccessToken), count(database, UserSession)) == before
    assert browser.get("/api/accounts/me").status_code == 200  # still signed in
    again = make_client().post("/api/accounts/login", json={"login": LOGIN, "password": PASSWORD})
    assert again.status_code == 200  # the password did not change


def test_revoked_expired_and_unknown_tokens_are_401(
    make_client: Any, script: TestClient, database: Database
) -> None:
    browser = signed_up(make_client)
    revoked = new_token(browser, "revoked")
    expired = new_token(browser, "expired", expires_in_days=1)
    gone = browser.delete(f"/api/accounts/tokens/{revoked['token']['id']}")
    assert gone.status_code == 204
    with database.transaction() as session:
        session.execute(
            update(PersonalAccessToken)
            .where(PersonalAccessToken.name == "expired")
            .values(expires_at=utc_now())
        )
    for secret in (revoked["secret"], expired["secret"], "mpat_" + "x" * 43, "nonsense"):
        response = script.get("/api/accounts/me", headers=bearer(secret))
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "token_invalid"
        refused = script.post(
            "/api/console/organisations", json={"name": "Acme"}, headers=bearer(secret)
        )
        assert refused.status_code == 401
    assert count(database, Organisation) == 0
    assert browser.get("/api/accounts/tokens").json()["tokens"] == []


def test_a_token_revokes_itself_and_stops_working(make_client: Any, script: TestClient) -> None:
    made = new_token(signed_up(make_client))
    url = f"/api/accounts/tokens/{made['token']['id']}"
    assert script.delete(url, headers=bearer(made["secret"])).status_code == 204
    assert script.get("/api/accounts/me", headers=bearer(made["secret"])).status_code == 401


def test_nobody_revokes_someone_elses_token(make_client: Any, script: TestClient) -> None:
    mine = new_token(signed_up(make_client))
    other = signed_up(make_client, "bo@example.com")
    response = other.delete(f"/api/accounts/tokens/{mine['token']['id']}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert script.get("/api/accounts/me", headers=bearer(mine["secret"])).status_code == 200


def test_a_cookie_carrying_request_still_needs_the_csrf_header(
    make_client: Any, script: TestClient, database: Database
) -> None:
    browser = signed_up(make_client)
    secret = new_token(browser)["secret"]
    csrf = browser.cookies.get(CSRF_COOKIE)
    # A bearer token does not excuse a request that also carries cookies from the double submit.
    response = script.post(
        "/api/console/organisations",
        json={"name": "Acme"},
        headers={**bearer(secret), "Cookie": f"{CSRF_COOKIE}={csrf}"},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    # Nor does it excuse a foreign Origin.
    foreign = script.post(
        "/api/console/organisations",
        json={"name": "Acme"},
        headers={**bearer(secret), "Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    assert count(database, Organisation) == 0
    # With the header, the same cookie-carrying request passes.
    allowed = script.post(
        "/api/console/organisations",
        json={"name": "Acme"},
        headers={**bearer(secret), "Cookie": f"{CSRF_COOKIE}={csrf}", "X-CSRF-Token": csrf},
    )
    assert allowed.status_code == 201, allowed.text


def test_a_browser_session_without_the_header_is_still_refused(make_client: Any) -> None:
    browser = signed_up(make_client)
    response = browser.post(
        "/api/console/organisations", json={"name": "Acme"}, headers={"X-CSRF-Token": ""}
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"


def test_token_login_gives_a_token_and_sets_no_cookie(
    script: TestClient, make_client: Any, database: Database
) -> None:
    signed_up(make_client)
    sessions = count(database, UserSession)
    response = script.post(
        "/api/accounts/tokens/login",
        json={"login": LOGIN, "password": PASSWORD, "name": "laptop"},
    )
    assert response.status_code == 201, response.text
    assert "set-cookie" not in response.headers
    assert count(database, UserSession) == sessions
    secret = response.json()["secret"]
    me = script.get("/api/accounts/me", headers=bearer(secret))
    assert me.json()["user"]["email"] == LOGIN


def test_token_login_shares_the_browsers_guessing_limits(
    script: TestClient, make_client: Any, database: Database
) -> None:
    """The test settings allow 3 failures a window; browser and CLI failures count together."""
    signed_up(make_client)
    browser_guess = make_client().post(
        "/api/accounts/login", json={"login": LOGIN, "password": "wrong-pass-1"}
    )
    assert browser_guess.status_code == 401
    for _ in range(2):
        wrong = script.post(
            "/api/accounts/tokens/login",
            json={"login": LOGIN, "password": "wrong-pass-1", "name": "x"},
        )
        assert wrong.status_code == 401
        assert wrong.json()["error"]["code"] == "invalid_credentials"
    right = script.post(
        "/api/accounts/tokens/login", json={"login": LOGIN, "password": PASSWORD, "name": "x"}
    )
    assert right.status_code == 429
    assert right.json()["error"]["code"] == "too_many_attempts"
    assert count(database, PersonalAccessToken) == 0
    browser = make_client().post("/api/accounts/login", json={"login": LOGIN, "password": PASSWORD})
    assert browser.status_code == 429


def test_token_login_checks_the_name_before_the_password(
    script: TestClient, make_client: Any, database: Database
) -> None:
    signed_up(make_client)
    failures = count(database, LoginFailure)
    response = script.post(
        "/api/accounts/tokens/login", json={"login": LOGIN, "password": PASSWORD, "name": " "}
    )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "token_name_invalid"
    assert response.json()["error"]["field"] == "name"
    assert count(database, LoginFailure) == failures  # a typo costs no attempt
    assert count(database, PersonalAccessToken) == 0


def test_a_session_token_with_a_bad_expiry_is_refused(make_client: Any, database: Database) -> None:
    browser = signed_up(make_client)
    response = browser.post("/api/accounts/tokens", json={"name": "ci", "expires_in_days": 0})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "token_expiry_invalid"
    assert count(database, PersonalAccessToken) == 0


def test_tokens_need_a_signed_in_caller(script: TestClient) -> None:
    assert script.get("/api/accounts/tokens").status_code == 401


def test_changing_the_password_ends_every_token_as_it_ends_other_sessions(
    make_client: Any, script: TestClient
) -> None:
    # Someone who ran `miniapp login` with a stolen password must lose access when the owner
    # changes it, exactly as a browser signed in with it does.
    browser = signed_up(make_client)
    secret = new_token(browser)["secret"]
    assert script.get("/api/accounts/me", headers=bearer(secret)).status_code == 200
    changed = browser.post(
        "/api/accounts/password",
        json={"current_password": PASSWORD, "new_password": "another-horse-43"},
    )
    assert changed.status_code == 204, changed.text
    refused = script.get("/api/accounts/me", headers=bearer(secret))
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "token_invalid"
    assert browser.get("/api/accounts/me").status_code == 200  # the browser that changed it stays
    assert new_token(browser)["secret"] != secret  # and can make a new token
