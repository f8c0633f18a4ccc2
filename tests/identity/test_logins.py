"""Login codes: valid 5 minutes and once, for their app only; redemption under concurrency;
openid / unionid / session_key as the back end receives them; the session checks."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from miniapp.db.session import Database
from miniapp.identity.ids import session_signature
from miniapp.identity.logins import (
    CodeSession,
    check_session_signature,
    check_session_valid,
    do_delete_expired_login_codes,
)
from miniapp.identity.models import AppUser, LoginCode
from miniapp.openapi.envelope import OpenApiError
from miniapp.openapi.rate_limits import MemoryRateLimiter
from miniapp.settings import Settings
from tests.identity.helpers import (
    T0,
    at,
    issue,
    make_app,
    make_organisation,
    new_user,
    redeem,
)


def session_of(result: CodeSession | int) -> CodeSession:
    assert isinstance(result, CodeSession), result
    return result


def test_a_code_is_32_url_safe_characters_and_gives_the_users_openid(
    database: Database, settings: Settings
) -> None:
    app = make_app(database, settings, "Tea")
    ana = new_user(database, "ana@example.com")
    code = issue(database, settings, app, ana)
    assert len(code) == 32
    assert code.replace("-", "").replace("_", "").isalnum()
    found = session_of(redeem(database, settings, app, code))
    assert len(found.openid) == 28
    assert found.unionid is None  # an app without organisation
    with database.read() as session:
        stored = session.scalars(select(AppUser.openid)).one()
        hashes = session.scalars(select(LoginCode.code_hash)).all()
    assert stored == found.openid
    assert code not in hashes


def test_a_code_is_valid_five_minutes(database: Database, settings: Settings) -> None:
    app = make_app(database, settings, "Tea")
    ana = new_user(database, "ana@example.com")
    fresh = issue(database, settings, app, ana)
    assert isinstance(redeem(database, settings, app, fresh, now=at(299)), CodeSession)
    late = issue(database, settings, app, ana)
    assert redeem(database, settings, app, late, now=at(300)) == 40029


def test_a_code_works_once_then_40163(database: Database, settings: Settings) -> None:
    app = make_app(database, settings, "Tea")
    code = issue(database, settings, app, new_user(database, "ana@example.com"))
    first = session_of(redeem(database, settings, app, code))
    assert redeem(database, settings, app, code, now=at(1)) == 40163
    # Still 40163 (not 40029) once the code has expired, while the row is kept.
    assert redeem(database, settings, app, code, now=at(600)) == 40163
    assert first.openid


def test_another_apps_code_and_an_unknown_code_are_40029(
    database: Database, settings: Settings
) -> None:
    tea = make_app(database, settings, "Tea")
    cake = make_app(database, settings, "Cake")
    code = issue(database, settings, tea, new_user(database, "ana@example.com"))
    assert redeem(database, settings, cake, code) == 40029
    assert redeem(database, settings, tea, "x" * 32) == 40029
    assert redeem(database, settings, tea, "") == 40029
    # The refusal did not spend it.
    assert isinstance(redeem(database, settings, tea, code), CodeSession)


def test_openid_per_app_and_unionid_per_organisation(
    database: Database, settings: Settings
) -> None:
    ana = new_user(database, "ana@example.com")
    bob = new_user(database, "bob@example.com")
    acme = make_organisation(database, "Acme", created_by_id=ana)
    globex = make_organisation(database, "Globex", created_by_id=ana)
    tea = make_app(database, settings, "Tea", organisation_id=acme)
    cake = make_app(database, settings, "Cake", organisation_id=acme)
    soup = make_app(database, settings, "Soup", organisation_id=globex)

    def login(app: object, user: int) -> CodeSession:
        return session_of(redeem(database, settings, app, issue(database, settings, app, user)))  # type: ignore[arg-type]

    ana_tea, ana_tea_again = login(tea, ana), login(tea, ana)
    ana_cake, ana_soup, bob_tea = login(cake, ana), login(soup, ana), login(tea, bob)
    assert ana_tea.openid == ana_tea_again.openid
    assert len({ana_tea.openid, ana_cake.openid, ana_soup.openid, bob_tea.openid}) == 4
    assert ana_tea.unionid is not None
    assert ana_tea.unionid == ana_cake.unionid
    assert ana_soup.unionid not in (None, ana_tea.unionid)
    assert bob_tea.unionid not in (None, ana_tea.unionid)


def test_each_login_rotates_the_session_key(database: Database, settings: Settings) -> None:
    app = make_app(database, settings, "Tea")
    ana = new_user(database, "ana@example.com")
    first_code = issue(database, settings, app, ana)
    second_code = issue(database, settings, app, ana, now=at(1))
    # Each code carries the session it started, whatever order they are redeemed in.
    second = session_of(redeem(database, settings, app, second_code, now=at(2)))
    first = session_of(redeem(database, settings, app, first_code, now=at(3)))
    assert first.openid == second.openid
    assert first.session_key != second.session_key


def test_concurrent_redemptions_of_one_code_give_one_session(
    database: Database, settings: Settings
) -> None:
    app = make_app(database, settings, "Tea")
    code = issue(database, settings, app, new_user(database, "ana@example.com"))
    results: list[CodeSession | int] = []
    start = threading.Barrier(5)

    def back_end() -> None:
        start.wait()
        results.append(redeem(database, settings, app, code))

    threads = [threading.Thread(target=back_end) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r if isinstance(r, int) else 0 for r in results) == [
        0,
        40163,
        40163,
        40163,
        40163,
    ]


def test_over_100_redemptions_a_minute_for_one_user_is_45011_and_keeps_the_code(
    database: Database, settings: Settings
) -> None:
    app = make_app(database, settings, "Tea")
    ana = new_user(database, "ana@example.com")
    limiter = MemoryRateLimiter()
    for _ in range(100):
        code = issue(database, settings, app, ana)
        assert isinstance(redeem(database, settings, app, code, limiter=limiter), CodeSession)
    code = issue(database, settings, app, ana)
    assert redeem(database, settings, app, code, now=at(59), limiter=limiter) == 45011
    # Another user is counted apart; the next minute the refused code works.
    other = issue(database, settings, app, new_user(database, "bob@example.com"))
    assert isinstance(redeem(database, settings, app, other, at(59), limiter=limiter), CodeSession)
    assert isinstance(redeem(database, settings, app, code, at(60), limiter=limiter), CodeSession)


def test_a_session_is_valid_30_days_from_the_last_login(
    database: Database, settings: Settings
) -> None:
    app = make_app(database, settings, "Tea")
    ana = new_user(database, "ana@example.com")
    with database.read() as session:
        assert not check_session_valid(session, app_id=app.id, user_id=ana, now=T0)
    issue(database, settings, app, ana)
    day = 24 * 3600
    with database.read() as session:
        assert check_session_valid(session, app_id=app.id, user_id=ana, now=at(30 * day - 1))
        assert not check_session_valid(session, app_id=app.id, user_id=ana, now=at(30 * day))


def check_signature(
    database: Database, settings: Settings, *, app_id: int, openid: str, signature: str
) -> int:
    try:
        with database.read() as session:
            check_session_signature(
                session,
                app_id=app_id,
                openid=openid,
                signature=signature,
                sig_method="hmac_sha256",
                server_key=settings.server_key,
            )
    except OpenApiError as error:
        return error.errcode
    return 0


def test_checksession_accepts_the_current_session_only(
    database: Database, settings: Settings
) -> None:
    tea = make_app(database, settings, "Tea")
    cake = make_app(database, settings, "Cake")
    ana = new_user(database, "ana@example.com")
    old = session_of(redeem(database, settings, tea, issue(database, settings, tea, ana)))
    signed = session_signature(old.session_key)
    assert (
        check_signature(database, settings, app_id=tea.id, openid=old.openid, signature=signed) == 0
    )
    assert (
        check_signature(database, settings, app_id=cake.id, openid=old.openid, signature=signed)
        == 40003
    )
    issue(database, settings, tea, ana, now=at(1))  # a new login: the old key is over
    assert (
        check_signature(database, settings, app_id=tea.id, openid=old.openid, signature=signed)
        == 87009
    )


def test_codes_a_day_past_expiry_are_deleted(database: Database, settings: Settings) -> None:
    app = make_app(database, settings, "Tea")
    ana = new_user(database, "ana@example.com")
    issue(database, settings, app, ana)
    issue(database, settings, app, ana, now=at(3600))
    with database.transaction() as session:
        do_delete_expired_login_codes(session, now=at(24 * 3600 + 301))
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(LoginCode)) == 1


@pytest.mark.parametrize("secret", ["", "wrong"])
def test_the_app_secret_is_checked_before_the_code(
    database: Database, settings: Settings, secret: str
) -> None:
    app = make_app(database, settings, "Tea")
    code = issue(database, settings, app, new_user(database, "ana@example.com"))
    wrong = type(app)(id=app.id, appid=app.appid, secret=secret)
    assert redeem(database, settings, wrong, code) == 40125
