"""Access tokens: issue, overlap, stable tokens and forced refresh, and the errcodes a presented
token gets. Times are injected (`now=`), so expiry is tested without waiting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from miniapp.accounts.models import Membership, Organisation, OrgRole, User
from miniapp.accounts.principal import Principal
from miniapp.apps.profile import do_create_app, do_reset_app_secret
from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.openapi.envelope import OpenApiError
from miniapp.openapi.rate_limits import MemoryRateLimiter
from miniapp.openapi.tokens import (
    access_token_app,
    do_delete_expired_access_tokens,
    do_issue_stable_token,
    do_issue_token,
)
from miniapp.settings import Settings
from tests.openapi.helpers import BackEnd, add_app_with_secret

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def back_end(database: Database, settings: Settings) -> BackEnd:
    return add_app_with_secret(database, settings, name="Tea")


def issue(database: Database, settings: Settings, back_end: BackEnd, now: datetime) -> str:
    with database.transaction() as session:
        return do_issue_token(
            session,
            appid=back_end.appid,
            secret=back_end.secret,
            server_key=settings.server_key,
            now=now,
        ).access_token


def stable(
    database: Database,
    settings: Settings,
    back_end: BackEnd,
    now: datetime,
    *,
    force: bool = False,
) -> tuple[str, int]:
    with database.transaction() as session:
        token = do_issue_stable_token(
            session,
            appid=back_end.appid,
            secret=back_end.secret,
            force_refresh=force,
            server_key=settings.server_key,
            limiter=MemoryRateLimiter(),
            now=now,
        )
    return token.access_token, token.expires_in


def check(database: Database, settings: Settings, token: str | None, now: datetime) -> str:
    """The appid the token acts for, or "errcode N"."""
    with database.read() as session:
        try:
            return access_token_app(
                session.connection(), token=token, server_key=settings.server_key, now=now
            ).appid
        except OpenApiError as error:
            return f"errcode {error.errcode}"


def test_a_token_works_for_7200_seconds_then_answers_expired(
    database: Database, settings: Settings, back_end: BackEnd
) -> None:
    token = issue(database, settings, back_end, T0)
    assert check(database, settings, token, T0 + timedelta(seconds=7199)) == back_end.appid
    assert check(database, settings, token, T0 + timedelta(seconds=7200)) == "errcode 42001"


def test_a_new_token_leaves_the_previous_one_five_minutes(
    database: Database, settings: Settings, back_end: BackEnd
) -> None:
    first = issue(database, settings, back_end, T0)
    later = T0 + timedelta(minutes=10)
    second = issue(database, settings, back_end, later)
    assert second != first
    assert check(database, settings, first, later + timedelta(minutes=4)) == back_end.appid
    assert check(database, settings, first, later + timedelta(minutes=5)) == "errcode 42001"
    assert check(database, settings, second, later + timedelta(minutes=5)) == back_end.appid


def test_unknown_missing_and_malformed_tokens_get_their_errcodes(
    database: Database, settings: Settings, back_end: BackEnd
) -> None:
    assert check(database, settings, None, T0) == "errcode 41001"
    assert check(database, settings, "", T0) == "errcode 41001"
    assert check(database, settings, "not a token!", T0) == "errcode 40014"
    assert check(database, settings, "A" * 86, T0) == "errcode 40001"


def test_a_wrong_secret_or_appid_issues_nothing(
    database: Database, settings: Settings, back_end: BackEnd
) -> None:
    with database.transaction() as session, pytest.raises(OpenApiError) as wrong_secret:
        do_issue_token(
            session, appid=back_end.appid, secret="x" * 32, server_key=settings.server_key, now=T0
        )
    assert wrong_secret.value.errcode == 40125
    with database.transaction() as session, pytest.raises(OpenApiError) as unknown:
        do_issue_token(
            session, appid="wx" + "0" * 16, secret="x", server_key=settings.server_key, now=T0
        )
    assert unknown.value.errcode == 40013


def test_the_stable_token_is_the_same_until_five_minutes_before_it_ends(
    database: Database, settings: Settings, back_end: BackEnd
) -> None:
    first, expires_in = stable(database, settings, back_end, T0)
    assert expires_in == 7200
    again, remaining = stable(database, settings, back_end, T0 + timedelta(minutes=30))
    assert (again, remaining) == (first, 7200 - 30 * 60)
    # 4 minutes left: a new one; the old one still works until its own end.
    near_end = T0 + timedelta(seconds=7200 - 240)
    renewed, renewed_in = stable(database, settings, back_end, near_end)
    assert renewed != first and renewed_in == 7200
    assert check(database, settings, first, near_end + timedelta(seconds=200)) == back_end.appid
    assert check(database, settings, first, T0 + timedelta(seconds=7200)) == "errcode 42001"


def test_stable_and_normal_tokens_do_not_touch_each_other(
    database: Database, settings: Settings, back_end: BackEnd
) -> None:
    stable_token, _ = stable(database, settings, back_end, T0)
    normal = issue(database, settings, back_end, T0 + timedelta(minutes=1))
    issue(database, settings, back_end, T0 + timedelta(minutes=2))
    at = T0 + timedelta(minutes=30)
    assert check(database, settings, stable_token, at) == back_end.appid
    assert check(database, settings, normal, at) == "errcode 42001"
    stable(database, settings, back_end, at, force=True)
    assert check(database, settings, stable_token, at) == "errcode 40001"


def test_a_forced_refresh_ends_the_old_token_at_once(
    database: Database, settings: Settings, back_end: BackEnd
) -> None:
    first, _ = stable(database, settings, back_end, T0)
    at = T0 + timedelta(minutes=1)
    second, expires_in = stable(database, settings, back_end, at, force=True)
    assert second != first and expires_in == 7200
    assert check(database, settings, first, at) == "errcode 40001"
    assert check(database, settings, second, at) == back_end.appid


def test_a_forced_refresh_within_30_seconds_answers_the_current_token(
    database: Database, settings: Settings, back_end: BackEnd
) -> None:
    first, _ = stable(database, settings, back_end, T0, force=True)
    again, remaining = stable(database, settings, back_end, T0 + timedelta(seconds=20), force=True)
    assert (again, remaining) == (first, 7180)
    assert check(database, settings, first, T0 + timedelta(seconds=20)) == back_end.appid


def test_forced_refreshes_stop_at_20_a_day(
    database: Database, settings: Settings, back_end: BackEnd
) -> None:
    stable(database, settings, back_end, T0)
    at = T0
    for _ in range(20):
        at += timedelta(seconds=31)
        stable(database, settings, back_end, at, force=True)
    at += timedelta(seconds=31)
    with pytest.raises(OpenApiError) as refused:
        stable(database, settings, back_end, at, force=True)
    assert refused.value.errcode == 45009
    # The next day the count starts again.
    stable(database, settings, back_end, at + timedelta(days=1), force=True)


def test_expired_tokens_are_pruned_a_day_later(
    database: Database, settings: Settings, back_end: BackEnd
) -> None:
    token = issue(database, settings, back_end, T0)
    with database.transaction() as session:
        do_delete_expired_access_tokens(session, now=T0 + timedelta(hours=25))
    assert check(database, settings, token, T0 + timedelta(hours=3)) == "errcode 42001"
    with database.transaction() as session:
        do_delete_expired_access_tokens(session, now=T0 + timedelta(hours=27))
    assert check(database, settings, token, T0 + timedelta(hours=3)) == "errcode 40001"


def test_resetting_the_app_secret_ends_every_token_issued_with_the_old_one(
    database: Database, settings: Settings
) -> None:
    # A leaked AppSecret is reset by an admin: whoever used it to fetch tokens must lose them
    # too, or they keep acting for the app (codes, 30-day links) for up to two more hours.
    key = settings.server_key
    with database.transaction() as session:
        admin = User(email="ada@example.org", password_hash="x", display_name="Ada")
        session.add(admin)
        session.flush()
        org = Organisation(name="Tea House", created_by_id=admin.id)
        session.add(org)
        session.flush()
        session.add(Membership(organisation_id=org.id, user_id=admin.id, role=OrgRole.ADMIN))
        org_id = str(org.public_id)
        principal = Principal.of(admin)
    with database.transaction() as session:
        created = do_create_app(
            session, user=principal, organisation_id=org_id, name="Tea", server_key=key
        )
    old = BackEnd(appid=created.profile.app.appid, secret=created.secret)
    before = utc_now() - timedelta(minutes=1)
    normal = issue(database, settings, old, before)
    stable_token, _ = stable(database, settings, old, before)

    with database.transaction() as session:
        new = BackEnd(
            appid=old.appid,
            secret=do_reset_app_secret(session, user=principal, appid=old.appid, server_key=key),
        )
    after = utc_now() + timedelta(minutes=1)
    assert check(database, settings, normal, after) == "errcode 40001"
    assert check(database, settings, stable_token, after) == "errcode 40001"
    # The new secret's stable token is a new one, not the old one answered again.
    renewed, expires_in = stable(database, settings, new, after)
    assert renewed != stable_token and expires_in == 7200
    assert check(database, settings, renewed, after) == old.appid
    assert check(database, settings, issue(database, settings, new, after), after) == old.appid
