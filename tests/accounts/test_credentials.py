"""Login names and password rules (pure functions)."""

from __future__ import annotations

import pytest

from miniapp.accounts.credentials import (
    check_display_name,
    check_password_strength,
    hash_password,
    normalise_login,
    verify_password,
)
from miniapp.errors import InvalidInput


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Ann@Example.COM", ("email", "ann@example.com")),
        ("  ann@example.com ", ("email", "ann@example.com")),
        ("13800138000", ("phone", "+8613800138000")),
        ("138-0013-8000", ("phone", "+8613800138000")),
        ("+44 20 7946 0958", ("phone", "+442079460958")),
        ("0044 20 7946 0958", ("phone", "+442079460958")),
    ],
)
def test_logins_are_normalised(typed: str, expected: tuple[str, str]) -> None:
    assert normalise_login(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "ann", "ann@", "@example.com", "12345", "+0123456789", "1380013800"]
)
def test_bad_logins_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        normalise_login(typed)
    assert refused.value.code == "invalid_login"


@pytest.mark.parametrize("password", ["Tr0ub4dor&3", "correct horse 42", "长城-2026-秋天"])
def test_strong_passwords_pass(password: str) -> None:
    check_password_strength(password, login="ann@example.com")


@pytest.mark.parametrize(
    "password",
    [
        "Ab1!",
        "abcdefghij",
        "12345678901",
        "!!!!!!!!!!",
        "Password123",
        "xxannexx-12",
        "x" * 257 + "1",
    ],
)
def test_weak_passwords_fail(password: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_password_strength(password, login="xxanne@example.com")
    assert refused.value.code == "weak_password"


def test_hashes_verify_and_differ_per_call() -> None:
    first, second = hash_password("Tr0ub4dor&3"), hash_password("Tr0ub4dor&3")
    assert first != second
    assert verify_password(first, "Tr0ub4dor&3")
    assert not verify_password(first, "Tr0ub4dor&4")
    assert not verify_password("not-a-hash", "Tr0ub4dor&3")


def test_display_names() -> None:
    assert check_display_name("  Ann  ") == "Ann"
    for bad in ("", "   ", "x" * 65, "bad\x00name"):
        with pytest.raises(InvalidInput):
            check_display_name(bad)


def test_production_hashes_are_argon2id_at_rfc_9106s_recommended_cost() -> None:
    # The suite hashes at the lowest cost (tests/conftest.py); the server uses this one.
    from miniapp.accounts import credentials

    production = credentials._production_hasher()
    assert production.hash("Tea-garden-2041").startswith("$argon2id$v=19$m=65536,t=3,p=4$")
