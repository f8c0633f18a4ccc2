"""The Host and Origin checks, and reading cookies the way the routes do."""

from __future__ import annotations

from typing import Any

from tests.conftest import CSRF_COOKIE


def test_a_foreign_host_is_refused(client: Any) -> None:
    """DNS rebinding: a page on evil.example resolving to this server cannot talk to it."""
    response = client.get("/api/accounts/me", headers={"Host": "evil.example:8000"})
    assert response.status_code == 400
    ok = client.get("/", headers={"Host": "localhost:8000"})
    assert ok.status_code == 200


def test_the_public_origin_is_accepted_behind_a_proxy(client: Any) -> None:
    """A proxy forwards Host 127.0.0.1 while the browser's Origin is the public URL."""
    token = client.get("/api/accounts/csrf").json()["csrf_token"]
    response = client.post(
        "/api/accounts/login",
        json={"login": "a@example.com", "password": "wrong-pass-1"},
        headers={"Host": "127.0.0.1:8000", "Origin": "https://testserver", "X-CSRF-Token": token},
    )
    assert response.status_code == 401  # past CSRF: the credentials are what failed


def test_a_malformed_neighbour_cookie_does_not_hide_ours(client: Any) -> None:
    token = client.get("/api/accounts/csrf").json()["csrf_token"]
    response = client.post(
        "/api/accounts/login",
        json={"login": "a@example.com", "password": "wrong-pass-1"},
        headers={
            "X-CSRF-Token": token,
            "Cookie": f'prefs={{"a":1,"b":2}}; {CSRF_COOKIE}={token}; broken="x',
        },
    )
    assert response.status_code == 401
