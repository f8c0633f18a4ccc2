"""Host accounts through HTTP: sign-up, sign-in, sign-out, profile, password, CSRF, rate limits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from miniapp.accounts.models import LoginFailure, User, UserSession
from miniapp.db.session import Database
from tests.conftest import CSRF_COOKIE, SESSION_COOKIE

PASSWORD = "correct-horse-42"


def sign_up(
    client: Any, login: str = "ann@example.com", password: str = PASSWORD, name: str = "Ann"
) -> Any:
    return client.post(
        "/api/accounts/signup", json={"login": login, "password": password, "display_name": name}
    )


def failures(database: Database, identifier: str = "ann@example.com") -> int:
    with database.read() as session:
        return int(
            session.scalar(select(func.count()).where(LoginFailure.identifier == identifier)) or 0
        )


def count(database: Database, model: Any) -> int:
    with database.read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_sign_up_signs_in_with_secure_httponly_cookie(client: Any) -> None:
    response = sign_up(client, login="  Ann@Example.COM ")
    assert response.status_code == 201
    user = response.json()["user"]
    assert user["email"] == "ann@example.com"
    assert user["display_name"] == "Ann"
    assert user["is_developer"] is False and user["staff_roles"] == []
    set_cookie = ",".join(response.headers.get_list("set-cookie"))
    session_cookie = next(
        c for c in response.headers.get_list("set-cookie") if f"{SESSION_COOKIE}=" in c
    )
    assert "HttpOnly" in session_cookie and "Secure" in session_cookie
    assert "samesite=lax" in session_cookie.lower()
    assert f"{CSRF_COOKIE}=" in set_cookie
    me = client.get("/api/accounts/me")
    assert me.status_code == 200
    assert me.json()["user"]["id"] == user["id"]


def test_sign_up_with_chinese_mobile_number_stores_e164(client: Any) -> None:
    response = sign_up(client, login="138 0013 8000")
    assert response.status_code == 201
    assert response.json()["user"]["phone"] == "+8613800138000"
    assert response.json()["user"]["email"] is None


def test_duplicate_email_is_refused_and_nothing_changes(
    client: Any, make_client: Any, database: Database
) -> None:
    assert sign_up(client).status_code == 201
    other = make_client()
    response = sign_up(other, login="ANN@example.com", name="Impostor")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "login_taken" and error["field"] == "login"
    assert "already exists" in error["message"]
    assert count(database, User) == 1
    assert other.get("/api/accounts/me").status_code == 401


def test_weak_passwords_are_refused_with_the_rule(client: Any, database: Database) -> None:
    for weak in ("short1!", "onlyletters", "1234567890", "password123", "annabelle99"):
        response = sign_up(client, login="annabelle@example.com", password=weak)
        assert response.status_code == 422, weak
        error = response.json()["error"]
        assert error["code"] == "weak_password" and error["field"] == "password"
        assert error["params"] == {"field": "password", "min_length": 8}
    assert count(database, User) == 0


def test_bad_login_and_missing_fields_name_the_field(client: Any) -> None:
    response = sign_up(client, login="not a login")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_login"
    response = client.post("/api/accounts/signup", json={"login": "a@b.cn"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_input"
    assert response.json()["error"]["field"] == "password"
    response = sign_up(client, name="   ")
    assert response.json()["error"]["code"] == "display_name_required"


def test_log_in_log_out(client: Any, make_client: Any) -> None:
    sign_up(client)
    browser = make_client()
    assert browser.get("/api/accounts/me").json()["error"]["code"] == "not_signed_in"
    response = browser.post(
        "/api/accounts/login", json={"login": "ann@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.json()["user"]["display_name"] == "Ann"
    assert browser.get("/api/accounts/me").status_code == 200
    assert browser.post("/api/accounts/logout").status_code == 204
    assert browser.get("/api/accounts/me").status_code == 401
    # The first browser's session is a different one and stays signed in.
    assert client.get("/api/accounts/me").status_code == 200


def test_wrong_password_and_unknown_login_look_the_same(client: Any, make_client: Any) -> None:
    sign_up(client)
    browser = make_client()
    wrong = browser.post(
        "/api/accounts/login", json={"login": "ann@example.com", "password": "nope-nope-1"}
    )
    unknown = browser.post(
        "/api/accounts/login", json={"login": "bob@example.com", "password": "nope-nope-1"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "invalid_credentials"


def test_login_attempts_are_rate_limited_per_login(
    client: Any, make_client: Any, database: Database
) -> None:
    sign_up(client)
    browser = make_client()
    bad = {"login": "ann@example.com", "password": "wrong-password-1"}
    for _ in range(3):  # the test settings allow 3 failures per window
        assert browser.post("/api/accounts/login", json=bad).status_code == 401
    locked = browser.post(
        "/api/accounts/login", json={"login": "ann@example.com", "password": PASSWORD}
    )
    assert locked.status_code == 429
    error = locked.json()["error"]
    assert error["code"] == "too_many_attempts"
    assert 1 <= error["params"]["retry_after"] <= 15 * 60 + 1
    assert failures(database) == 3
    # Another login from elsewhere is not affected by Ann's lock.
    sign_up(make_client(), login="bob@example.com", name="Bob")
    ok = make_client().post(
        "/api/accounts/login", json={"login": "bob@example.com", "password": PASSWORD}
    )
    assert ok.status_code == 200


def test_successful_login_clears_earlier_failures(
    client: Any, make_client: Any, database: Database
) -> None:
    sign_up(client)
    browser = make_client()
    browser.post(
        "/api/accounts/login", json={"login": "ann@example.com", "password": "wrong-pass-1"}
    )
    assert failures(database) == 1
    browser.post("/api/accounts/login", json={"login": "ann@example.com", "password": PASSWORD})
    assert failures(database) == 0


def test_state_changing_requests_need_the_csrf_token(client: Any) -> None:
    sign_up(client)
    token = client.cookies.get(CSRF_COOKIE)
    # No header at all.
    raw = client.post("/api/accounts/logout", headers={"X-CSRF-Token": ""})
    assert raw.status_code == 403 and raw.json()["error"]["code"] == "csrf_failed"
    # A token that matches nothing.
    forged = client.post("/api/accounts/logout", headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 403
    # Right token but a foreign Origin (a cross-site form or fetch).
    foreign = client.post(
        "/api/accounts/logout", headers={"X-CSRF-Token": token, "Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    assert client.get("/api/accounts/me").status_code == 200
    same = client.post(
        "/api/accounts/logout", headers={"X-CSRF-Token": token, "Origin": "https://testserver"}
    )
    assert same.status_code == 204


def test_csrf_token_is_bound_to_the_session(client: Any, make_client: Any) -> None:
    """A cookie/header pair that agree is not enough once signed in: it must be the session's token
    (a token planted in the cookie jar by a sibling subdomain is useless)."""
    sign_up(client)
    session_token = client.cookies.get(SESSION_COOKIE)
    planted = "planted-token-planted-token-123"
    attacker = make_client()
    cookies = f"{SESSION_COOKIE}={session_token}; {CSRF_COOKIE}={planted}"
    response = attacker.patch(
        "/api/accounts/me",
        json={"display_name": "Mallory"},
        headers={"X-CSRF-Token": planted, "Cookie": cookies},
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "csrf_failed"
    assert client.get("/api/accounts/me").json()["user"]["display_name"] == "Ann"
    # The same request with the session's own token goes through: the refusal above was the binding.
    real = client.cookies.get(CSRF_COOKIE)
    ok = attacker.patch(
        "/api/accounts/me",
        json={"display_name": "Ann B"},
        headers={
            "X-CSRF-Token": real,
            "Cookie": f"{SESSION_COOKIE}={session_token}; {CSRF_COOKIE}={real}",
        },
    )
    assert ok.status_code == 200


def test_update_profile_language(client: Any) -> None:
    sign_up(client)
    response = client.patch("/api/accounts/me", json={"language": "zh", "display_name": "安"})
    assert response.status_code == 200
    assert response.json()["user"]["language"] == "zh"
    assert client.get("/api/accounts/me").json()["user"]["display_name"] == "安"
    bad = client.patch("/api/accounts/me", json={"language": "fr"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "language"


def test_password_change_signs_out_other_sessions(
    client: Any, make_client: Any, database: Database
) -> None:
    sign_up(client)
    phone = make_client()
    phone.post("/api/accounts/login", json={"login": "ann@example.com", "password": PASSWORD})
    assert count(database, UserSession) == 2
    wrong = client.post(
        "/api/accounts/password",
        json={"current_password": "nope-nope-1", "new_password": "new-secret-77"},
    )
    assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "wrong_password"
    weak = client.post(
        "/api/accounts/password", json={"current_password": PASSWORD, "new_password": "weak"}
    )
    assert weak.json()["error"]["code"] == "weak_password"
    assert count(database, UserSession) == 2
    ok = client.post(
        "/api/accounts/password",
        json={"current_password": PASSWORD, "new_password": "new-secret-77"},
    )
    assert ok.status_code == 204
    assert client.get("/api/accounts/me").status_code == 200
    assert phone.get("/api/accounts/me").status_code == 401
    fresh = make_client()
    assert (
        fresh.post(
            "/api/accounts/login", json={"login": "ann@example.com", "password": PASSWORD}
        ).status_code
        == 401
    )
    assert (
        fresh.post(
            "/api/accounts/login", json={"login": "ann@example.com", "password": "new-secret-77"}
        ).status_code
        == 200
    )


def test_session_tokens_and_passwords_are_not_stored_in_clear(
    client: Any, database: Database
) -> None:
    sign_up(client)
    token = client.cookies.get(SESSION_COOKIE)
    with database.read() as session:
        stored = session.scalars(select(UserSession)).one()
        user = session.scalars(select(User)).one()
    assert token and stored.token_hash != token and token not in stored.token_hash
    assert user.password_hash.startswith("$argon2id$")


def test_expired_session_is_refused(client: Any, database: Database) -> None:
    from datetime import timedelta

    from miniapp.clock import utc_now

    sign_up(client)
    with database.transaction() as session:
        stored = session.scalars(select(UserSession)).one()
        stored.expires_at = utc_now() - timedelta(seconds=1)
    response = client.get("/api/accounts/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "session_expired"


def test_me_costs_one_query(client: Any, database: Database) -> None:
    """The signed-in hot path: session, user and staff roles in one round trip."""
    from sqlalchemy import event

    sign_up(client)
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(database.engine, "before_cursor_execute", record)
    try:
        assert client.get("/api/accounts/me").status_code == 200
    finally:
        event.remove(database.engine, "before_cursor_execute", record)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1, selects
