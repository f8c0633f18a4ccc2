"""Personal access tokens as services: made, listed, revoked, resolved, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from miniapp.accounts import personal_tokens
from miniapp.accounts.models import PersonalAccessToken, User
from miniapp.accounts.personal_tokens import (
    MAX_LIVE_TOKENS,
    access_token,
    access_token_caller,
    bearer_secret,
    check_expiry_days,
    check_token_name,
    do_create_token,
    do_revoke_token,
    list_tokens,
)
from miniapp.accounts.users import do_sign_up
from miniapp.db.session import Database
from miniapp.errors import Conflict, InvalidInput, NotFound, NotSignedIn

KEY = b"k" * 32
NOW = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)


def make_user(database: Database, login: str = "ana@example.com") -> User:
    with database.transaction() as session:
        return do_sign_up(
            session,
            login=login,
            password="correct-horse-42",
            display_name="Ana",
            password_hash="not-used-here",
        )


def make_token(
    database: Database,
    user: User,
    *,
    name: str = "ci",
    days: int | None = None,
    now: datetime = NOW,
) -> personal_tokens.IssuedToken:
    with database.transaction() as session:
        return do_create_token(
            session, user=user, name=name, expires_in_days=days, server_key=KEY, now=now
        )


def token_rows(database: Database) -> list[PersonalAccessToken]:
    with database.read() as session:
        return list(session.scalars(select(PersonalAccessToken).order_by(PersonalAccessToken.id)))


def test_only_a_keyed_hash_and_a_short_prefix_are_stored(database: Database) -> None:
    user = make_user(database)
    issued = make_token(database, user, name="  CI   deploys ", days=30)
    assert issued.secret.startswith("mpat_") and len(issued.secret) > 40
    (row,) = token_rows(database)
    assert row.name == "CI deploys"
    assert row.prefix == issued.secret[:12]
    assert issued.secret not in (row.token_hash, row.prefix)
    assert row.expires_at == NOW + timedelta(days=30)
    assert row.last_used_at is None and row.revoked_at is None


@pytest.mark.parametrize("name", ["", "   ", "x" * 65, "bad\u202ename", "tab\x00"])
def test_bad_names_are_refused(name: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_token_name(name)
    assert refused.value.code == "token_name_invalid"
    assert refused.value.field == "name"


@pytest.mark.parametrize("days", [0, -1, 3651])
def test_expiry_out_of_range_is_refused(days: int) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_expiry_days(days)
    assert refused.value.code == "token_expiry_invalid"
    assert check_expiry_days(None) is None and check_expiry_days(3650) == 3650


def test_a_bad_name_creates_nothing(database: Database) -> None:
    user = make_user(database)
    with pytest.raises(InvalidInput):
        make_token(database, user, name="")
    assert token_rows(database) == []


def test_a_token_resolves_to_its_user_until_revoked(database: Database) -> None:
    user = make_user(database)
    issued = make_token(database, user)
    found = access_token_caller(database, server_key=KEY, secret=issued.secret, now=NOW)
    assert found.user.id == user.id and found.user.email == "ana@example.com"
    assert found.public_id == issued.token.public_id
    with database.transaction() as session:
        do_revoke_token(session, user=user, token_id=str(issued.token.public_id), now=NOW)
    with pytest.raises(NotSignedIn) as refused:
        access_token_caller(database, server_key=KEY, secret=issued.secret, now=NOW)
    assert refused.value.code == "token_invalid"


@pytest.mark.parametrize("secret", ["mpat_unknown", "not-even-ours", "", "mpat_"])
def test_unknown_secrets_are_token_invalid(database: Database, secret: str) -> None:
    make_token(database, make_user(database))
    with database.read_connection() as connection, pytest.raises(NotSignedIn) as refused:
        access_token(connection, server_key=KEY, secret=secret, now=NOW)
    assert refused.value.code == "token_invalid"


def test_an_expired_token_is_token_invalid(database: Database) -> None:
    issued = make_token(database, make_user(database), days=1)
    day_later = NOW + timedelta(days=1)
    access_token_caller(
        database, server_key=KEY, secret=issued.secret, now=day_later - timedelta(seconds=1)
    )
    with pytest.raises(NotSignedIn) as refused:
        access_token_caller(database, server_key=KEY, secret=issued.secret, now=day_later)
    assert refused.value.code == "token_invalid"


def test_a_secret_checked_under_another_server_key_is_unknown(database: Database) -> None:
    issued = make_token(database, make_user(database))
    with pytest.raises(NotSignedIn):
        access_token_caller(database, server_key=b"other" * 8, secret=issued.secret, now=NOW)


def test_last_use_is_written_at_most_once_a_minute(database: Database) -> None:
    issued = make_token(database, make_user(database))

    def use(at: datetime) -> datetime | None:
        access_token_caller(database, server_key=KEY, secret=issued.secret, now=at)
        return token_rows(database)[0].last_used_at

    assert use(NOW) == NOW
    assert use(NOW + timedelta(seconds=59)) == NOW  # a busy script: no write
    assert use(NOW + timedelta(seconds=60)) == NOW + timedelta(seconds=60)


def test_list_shows_working_tokens_newest_first(database: Database) -> None:
    user = make_user(database)
    other = make_user(database, "bo@example.com")
    first = make_token(database, user, name="first")
    make_token(database, user, name="second", now=NOW + timedelta(seconds=1))
    expiring = make_token(database, user, name="short", days=1)
    revoked = make_token(database, user, name="revoked")
    make_token(database, other, name="not mine")
    with database.transaction() as session:
        do_revoke_token(session, user=user, token_id=str(revoked.token.public_id), now=NOW)
    with database.read() as session:
        names = [t.name for t in list_tokens(session, user=user, now=NOW)]
        later = [t.name for t in list_tokens(session, user=user, now=NOW + timedelta(days=2))]
    assert names[0] == "second" and set(names) == {"first", "second", "short"}
    assert "short" not in later
    assert first.token.public_id != expiring.token.public_id


@pytest.mark.parametrize("token_id", ["not-a-uuid", "0b6f2a52-8b8e-4a39-9d8c-36a4a7b3c9f1"])
def test_revoking_an_unknown_token_is_not_found(database: Database, token_id: str) -> None:
    user = make_user(database)
    with database.transaction() as session, pytest.raises(NotFound):
        do_revoke_token(session, user=user, token_id=token_id, now=NOW)


def test_nobody_revokes_someone_elses_token(database: Database) -> None:
    owner = make_user(database)
    other = make_user(database, "bo@example.com")
    issued = make_token(database, owner)
    with database.transaction() as session, pytest.raises(NotFound):
        do_revoke_token(session, user=other, token_id=str(issued.token.public_id), now=NOW)
    assert token_rows(database)[0].revoked_at is None
    access_token_caller(database, server_key=KEY, secret=issued.secret, now=NOW)


def test_live_tokens_are_capped(database: Database) -> None:
    user = make_user(database)
    with database.transaction() as session:
        for number in range(MAX_LIVE_TOKENS):
            do_create_token(
                session, user=user, name=f"t{number}", expires_in_days=None, server_key=KEY, now=NOW
            )
    with pytest.raises(Conflict) as refused:
        make_token(database, user)
    assert refused.value.code == "too_many_tokens"
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(PersonalAccessToken)) == 100
    with database.transaction() as session:  # revoked ones no longer count
        session.execute(
            update(PersonalAccessToken)
            .values(revoked_at=NOW)
            .where(PersonalAccessToken.name == "t0")
        )
    make_token(database, user)


@pytest.mark.parametrize(
    ("header", "secret"),
    [
        ("Bearer mpat_abc", "mpat_abc"),
        ("bearer   mpat_abc ", "mpat_abc"),
        ("Basic dXNlcjpwYXNz", None),
        ("", None),
        ("Bearer", ""),
    ],
)
def test_bearer_secret(header: str, secret: str | None) -> None:
    assert bearer_secret(header) == secret
