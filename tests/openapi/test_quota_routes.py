"""Per-app, per-path rate limits over HTTP (45011 a minute, 45009 a day), `POST
/cgi-bin/openapi/quota/get` and `POST /cgi-bin/clear_quota`: WeChat's bodies and errcodes, one
app's counts apart from another's, and a token that cannot clear another app's quota. Limits
are made small through the app's state; the clock is injected."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI

from miniapp.db.session import Database
from miniapp.openapi.rate_limits import PathLimit, PathLimits, RedisRateLimiter
from miniapp.settings import Settings
from tests.openapi.helpers import BackEnd, add_app_with_secret

CHECK = "/wxa/checksession"
QUOTA_GET = "/cgi-bin/openapi/quota/get"
CLEAR = "/cgi-bin/clear_quota"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """One injected clock for the token, its check, the counters and jscode2session."""
    fixed = Clock()
    for module in ("auth", "quota_routes", "token_routes"):
        monkeypatch.setattr(f"miniapp.openapi.{module}.utc_now", fixed)
    monkeypatch.setattr("miniapp.identity.open_routes.utc_now", fixed)
    return fixed


@pytest.fixture
def tea(database: Database, settings: Settings) -> BackEnd:
    return add_app_with_secret(database, settings, name="Tea")


@pytest.fixture
def cafe(database: Database, settings: Settings) -> BackEnd:
    return add_app_with_secret(database, settings, name="Cafe", secret="c" * 32)


def small_limits(app: FastAPI, path: str, *, per_minute: int = 100, per_day: int = 100) -> None:
    app.state.path_limits = PathLimits(
        paths={path: PathLimit(per_minute=per_minute, per_day=per_day)}
    )


def token_of(client: Any, back_end: BackEnd) -> str:
    answer = client.get(
        "/cgi-bin/token",
        params={
            "grant_type": "client_credential",
            "appid": back_end.appid,
            "secret": back_end.secret,
        },
    ).json()
    token: str = answer["access_token"]
    return token


def check(client: Any, token: str) -> int:
    """checksession for an openid the app does not know: 40003 once counted."""
    answer = client.post(CHECK, params={"access_token": token, "openid": "nobody"})
    assert answer.status_code == 200
    return int(answer.json()["errcode"])


def post(client: Any, path: str, token: str, body: object) -> dict[str, Any]:
    answer = client.post(path, params={"access_token": token}, json=body)
    assert answer.status_code == 200
    found: dict[str, Any] = answer.json()
    return found


def quota_of(client: Any, token: str, cgi_path: str) -> dict[str, Any]:
    return post(client, QUOTA_GET, token, {"cgi_path": cgi_path})


def test_a_path_over_its_minute_limit_is_45011_until_the_next_minute(
    client: Any, app: FastAPI, tea: BackEnd, clock: Clock
) -> None:
    small_limits(app, CHECK, per_minute=2)
    token = token_of(client, tea)
    assert [check(client, token) for _ in range(3)] == [40003, 40003, 45011]
    refused = client.post(CHECK, params={"access_token": token, "openid": "nobody"}).json()
    assert refused["errmsg"].startswith(
        "api minute-quota reach limit mustslower retry next minute rid: "
    )
    assert quota_of(client, token, CHECK)["errcode"] == 0  # other paths are counted apart
    clock.now += timedelta(minutes=1)
    assert check(client, token) == 40003


def test_a_path_over_its_daily_limit_is_45009_until_the_next_day(
    client: Any, app: FastAPI, tea: BackEnd, cafe: BackEnd, clock: Clock
) -> None:
    small_limits(app, CHECK, per_day=2)
    token, other = token_of(client, tea), token_of(client, cafe)
    assert [check(client, token) for _ in range(3)] == [40003, 40003, 45009]
    clock.now += timedelta(hours=1)
    assert check(client, token) == 45009
    assert check(client, other) == 40003  # another app's counts are its own
    clock.now = clock.now.replace(hour=0) + timedelta(days=1)
    assert check(client, token_of(client, tea)) == 40003


def test_a_call_refused_over_the_limit_is_not_counted(
    client: Any, app: FastAPI, tea: BackEnd, clock: Clock
) -> None:
    small_limits(app, CHECK, per_minute=1, per_day=5)
    token = token_of(client, tea)
    assert [check(client, token) for _ in range(4)] == [40003, 45011, 45011, 45011]
    used = quota_of(client, token, CHECK)["quota"]
    assert used == {"daily_limit": 5, "used": 1, "remain": 4}


def test_quota_get_answers_wechats_numbers(
    client: Any, app: FastAPI, tea: BackEnd, clock: Clock
) -> None:
    small_limits(app, CHECK, per_minute=7, per_day=9)
    token = token_of(client, tea)
    check(client, token)
    check(client, token)
    body = quota_of(client, token, CHECK)
    assert body == {
        "errcode": 0,
        "errmsg": "ok",
        "quota": {"daily_limit": 9, "used": 2, "remain": 7},
        "rate_limit": {"call_count": 7, "refresh_second": 60},
    }
    # The token endpoint's own quota: one token fetched today, 2000 a day.
    token_quota = quota_of(client, token, "/cgi-bin/token")
    assert token_quota["quota"] == {"daily_limit": 2000, "used": 1, "remain": 1999}
    # A path without limits of its own has the default ones.
    unlisted = quota_of(client, token, "/wxa/generatescheme")
    assert unlisted["quota"]["daily_limit"] == app.state.path_limits.default.per_day


@pytest.mark.parametrize(
    ("body", "errcode"),
    [
        ({"cgi_path": "/cgi-bin/nothing"}, 76021),
        ({"cgi_path": ""}, 76021),
        ({}, 76021),
        ({"cgi_path": "/sns/jscode2session"}, 76022),
        ({"cgi_path": 3}, 40097),
        ([], 47001),
    ],
)
def test_quota_get_refusals(
    client: Any, tea: BackEnd, clock: Clock, body: object, errcode: int
) -> None:
    assert post(client, QUOTA_GET, token_of(client, tea), body)["errcode"] == errcode


def test_quota_routes_need_a_valid_token(client: Any, clock: Clock) -> None:
    for path, body in ((QUOTA_GET, {"cgi_path": CHECK}), (CLEAR, {"appid": "wx1"})):
        assert client.post(path, json=body).json()["errcode"] == 41001
        assert post(client, path, "A" * 43, body)["errcode"] == 40001


def test_clear_quota_resets_the_days_counts_of_the_app_only(
    client: Any, app: FastAPI, tea: BackEnd, cafe: BackEnd, clock: Clock
) -> None:
    small_limits(app, CHECK, per_minute=2, per_day=2)
    token, other = token_of(client, tea), token_of(client, cafe)
    assert [check(client, token) for _ in range(3)] == [40003, 40003, 45011]
    assert [check(client, other) for _ in range(2)] == [40003, 40003]
    clock.now += timedelta(minutes=1)
    assert check(client, token) == 45009
    assert post(client, CLEAR, token, {"appid": tea.appid}) == {"errcode": 0, "errmsg": "ok"}
    assert check(client, token) == 40003
    # The day's tokens are cleared too; the other app keeps its counts.
    assert quota_of(client, token, "/cgi-bin/token")["quota"]["used"] == 0
    assert quota_of(client, other, CHECK)["quota"]["used"] == 2
    assert quota_of(client, other, "/cgi-bin/token")["quota"]["used"] == 1


def test_clear_quota_works_ten_times_a_month_then_48006(
    client: Any, app: FastAPI, tea: BackEnd, clock: Clock
) -> None:
    small_limits(app, CHECK, per_day=1)
    clock.now = datetime(2030, 5, 31, 12, tzinfo=UTC)
    token = token_of(client, tea)
    for _ in range(10):
        assert post(client, CLEAR, token, {"appid": tea.appid})["errcode"] == 0
    assert check(client, token) == 40003
    assert check(client, token) == 45009
    refused = post(client, CLEAR, token, {"appid": tea.appid})
    assert refused["errcode"] == 48006
    assert refused["errmsg"].startswith("forbid to clear quota because of reaching the limit")
    assert check(client, token) == 45009  # a refused clear clears nothing
    clock.now = datetime(2030, 6, 1, 0, 0, 1, tzinfo=UTC)
    token = token_of(client, tea)
    assert check(client, token) == 40003
    assert check(client, token) == 45009
    assert post(client, CLEAR, token, {"appid": tea.appid})["errcode"] == 0  # a new month
    assert check(client, token) == 40003


def test_a_token_cannot_clear_another_apps_quota(
    client: Any, app: FastAPI, tea: BackEnd, cafe: BackEnd, clock: Clock
) -> None:
    small_limits(app, CHECK, per_day=1)
    token, other = token_of(client, tea), token_of(client, cafe)
    assert [check(client, other) for _ in range(2)] == [40003, 45009]
    assert post(client, CLEAR, token, {"appid": cafe.appid})["errcode"] == 40013
    assert post(client, CLEAR, token, {"appid": "wx" + "0" * 16})["errcode"] == 40013
    assert post(client, CLEAR, token, {})["errcode"] == 41002
    assert check(client, other) == 45009


def test_jscode2session_is_counted_once_the_secret_is_right(
    client: Any, app: FastAPI, tea: BackEnd, clock: Clock
) -> None:
    small_limits(app, "/sns/jscode2session", per_minute=2)

    def code2session(secret: str) -> int:
        params = {"appid": tea.appid, "secret": secret, "js_code": "not-a-code"}
        return int(client.get("/sns/jscode2session", params=params).json()["errcode"])

    # Someone without the secret cannot spend the app's quota.
    assert [code2session("wrong") for _ in range(5)] == [40125] * 5
    assert [code2session(tea.secret) for _ in range(3)] == [40029, 40029, 45011]


def test_the_redis_backend_over_http(
    client: Any, app: FastAPI, tea: BackEnd, clock: Clock, redis_limiter: RedisRateLimiter
) -> None:
    app.state.rate_limiter = redis_limiter
    small_limits(app, CHECK, per_minute=2, per_day=3)
    token = token_of(client, tea)
    assert [check(client, token) for _ in range(3)] == [40003, 40003, 45011]
    clock.now += timedelta(minutes=1)
    assert [check(client, token) for _ in range(2)] == [40003, 45009]
    assert quota_of(client, token, CHECK)["quota"] == {"daily_limit": 3, "used": 3, "remain": 0}
    assert post(client, CLEAR, token, {"appid": tea.appid})["errcode"] == 0
    assert check(client, token) == 40003
