"""Guessing limits through HTTP: concurrent guesses, per-address limits, IPv6 prefixes, sign-up
and password-change limits, and equal cost for unknown logins."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import FastAPI

from miniapp.accounts import credentials
from miniapp.accounts.login_throttle import SIGNUPS_PER_ADDRESS
from miniapp.db.session import Database
from tests.conftest import ApiClient

PASSWORD = "correct-horse-42"


def browser(app: FastAPI, address: str = "203.0.113.9") -> ApiClient:
    client = ApiClient(app, base_url="https://testserver", client=(address, 50000))
    client.__enter__()
    return client


def sign_up(client: ApiClient, login: str) -> int:
    response = client.post(
        "/api/accounts/signup", json={"login": login, "password": PASSWORD, "display_name": "X"}
    )
    return response.status_code


def wrong(client: ApiClient, login: str) -> int:
    return client.post(
        "/api/accounts/login", json={"login": login, "password": "nope-nope-1"}
    ).status_code


def test_simultaneous_guesses_cannot_exceed_the_limit(app: FastAPI, database: Database) -> None:
    """Attempts are counted before passwords are checked, under a lock: of 12 guesses sent at
    once with a limit of 3, at most 3 are checked at all."""
    assert sign_up(browser(app, "198.51.100.1"), "ann@example.com") == 201
    barrier = threading.Barrier(12)
    statuses: list[int] = []

    def guess(n: int) -> None:
        client = browser(app, f"203.0.113.{n}")
        barrier.wait()
        statuses.append(wrong(client, "ann@example.com"))

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses).count(401) == 3
    assert statuses.count(429) == 9


def test_one_address_cannot_spray_many_accounts(app: FastAPI) -> None:
    sprayer = browser(app, "203.0.113.66")
    # The test settings allow 3 failures per login and 3 * 4 = 12 per address.
    outcomes = [wrong(sprayer, f"user{n}@example.com") for n in range(14)]
    assert outcomes[:12] == [401] * 12
    assert outcomes[12:] == [429, 429]


def test_ipv6_addresses_in_one_64_share_a_budget(app: FastAPI) -> None:
    outcomes = [
        wrong(browser(app, f"2001:db8:aa:bb::{n:x}"), f"user{n}@example.com") for n in range(14)
    ]
    assert outcomes[12:] == [429, 429]
    assert wrong(browser(app, "2001:db8:aa:cc::1"), "other@example.com") == 401


def test_sign_ups_are_limited_per_address(app: FastAPI) -> None:
    client = browser(app, "203.0.113.77")
    statuses = [sign_up(client, f"user{n}@example.com") for n in range(SIGNUPS_PER_ADDRESS + 1)]
    assert statuses[:-1] == [201] * SIGNUPS_PER_ADDRESS
    assert statuses[-1] == 429
    assert sign_up(browser(app, "203.0.113.78"), "late@example.com") == 201


def test_password_change_guesses_count_as_failed_sign_ins(app: FastAPI) -> None:
    owner = browser(app)
    sign_up(owner, "ann@example.com")
    body = {"current_password": "guess-guess-1", "new_password": "new-secret-77"}
    statuses = [owner.post("/api/accounts/password", json=body).status_code for _ in range(4)]
    assert statuses == [422, 422, 422, 429]
    right = {"current_password": PASSWORD, "new_password": "new-secret-77"}
    assert owner.post("/api/accounts/password", json=right).status_code == 429
    assert wrong(browser(app, "198.51.100.2"), "ann@example.com") == 429


def test_an_unknown_login_costs_one_password_check_like_a_known_one(
    app: FastAPI, monkeypatch: Any
) -> None:
    sign_up(browser(app), "ann@example.com")
    checks: list[str] = []
    real = credentials.verify_password

    def counting(password_hash: str, password: str) -> bool:
        checks.append(password)
        return real(password_hash, password)

    monkeypatch.setattr(credentials, "verify_password", counting)
    monkeypatch.setattr("miniapp.accounts.users.verify_password", counting)
    client = browser(app, "198.51.100.3")
    wrong(client, "ann@example.com")
    wrong(client, "nobody@example.com")
    wrong(client, "not a login at all")
    assert len(checks) == 3
