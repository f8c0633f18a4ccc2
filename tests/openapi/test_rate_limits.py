"""The open API's rate limiter, on both backends (this process's memory, and the real Redis at
127.0.0.1:6379 under a key prefix of the test's own): fixed windows that roll over, a refused
call that counts nothing, apps and counters apart, and concurrent callers that never pass the
limit."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis

from miniapp.openapi.envelope import OpenApiError
from miniapp.openapi.quotas import Window
from miniapp.openapi.rate_limits import (
    Count,
    MemoryRateLimiter,
    PathLimit,
    PathLimits,
    RateLimiter,
    RedisRateLimiter,
    do_count_path_call,
    do_take_rate,
    rate_limiter_for,
)
from miniapp.settings import Settings, SettingsError, load_settings
from tests.openapi.conftest import REDIS_URL

T0 = datetime(2026, 12, 1, 8, 0, 30, tzinfo=UTC)


@pytest.fixture(params=["memory", "redis"])
def limiter(request: pytest.FixtureRequest) -> RateLimiter:
    if request.param == "memory":
        return MemoryRateLimiter()
    found: RateLimiter = request.getfixturevalue("redis_limiter")
    return found


def minute(limit: int, name: str = "calls") -> Count:
    return Count(name=name, window=Window.MINUTE, limit=limit)


def day(limit: int, name: str = "calls") -> Count:
    return Count(name=name, window=Window.DAY, limit=limit)


def takes(limiter: RateLimiter, count: Count, now: datetime, *, times: int, app_id: int = 1) -> int:
    """How many of `times` calls were let through."""
    return sum(limiter.take(app_id=app_id, counts=(count,), now=now) is None for _ in range(times))


def test_a_minute_holds_its_limit_and_the_next_minute_starts_again(
    limiter: RateLimiter,
) -> None:
    assert takes(limiter, minute(3), T0, times=5) == 3
    assert takes(limiter, minute(3), T0 + timedelta(seconds=29), times=1) == 0
    assert limiter.used(app_id=1, name="calls", window=Window.MINUTE, now=T0) == 3
    next_minute = T0 + timedelta(seconds=30)  # 08:01:00
    assert takes(limiter, minute(3), next_minute, times=5) == 3


def test_a_day_rolls_over_at_midnight_utc(limiter: RateLimiter) -> None:
    late = datetime(2026, 12, 1, 23, 59, 59, tzinfo=UTC)
    assert takes(limiter, day(2), late, times=3) == 2
    assert takes(limiter, day(2), late + timedelta(seconds=1), times=3) == 2


def test_a_refused_call_counts_nothing(limiter: RateLimiter) -> None:
    """Minute and day are taken together: the day's refusal leaves the minute untouched, and a
    refused call never adds to a counter already at its limit."""
    assert takes(limiter, day(1), T0, times=1) == 1
    refused = limiter.take(app_id=1, counts=(minute(10), day(1)), now=T0)
    assert refused == day(1)
    assert limiter.used(app_id=1, name="calls", window=Window.MINUTE, now=T0) == 0
    assert limiter.used(app_id=1, name="calls", window=Window.DAY, now=T0) == 1
    with pytest.raises(OpenApiError) as error:
        do_take_rate(
            limiter, app_id=1, name="calls", limit=1, window=Window.DAY, now=T0, errcode=45011
        )
    assert error.value.errcode == 45011
    assert limiter.used(app_id=1, name="calls", window=Window.DAY, now=T0) == 1


def test_apps_and_counters_are_counted_apart_and_clear_touches_one_app_and_window(
    limiter: RateLimiter,
) -> None:
    for app_id in (1, 2):
        assert takes(limiter, day(2, "a"), T0, times=2, app_id=app_id) == 2
        assert takes(limiter, day(2, "b"), T0, times=1, app_id=app_id) == 1
        assert takes(limiter, minute(5, "a"), T0, times=4, app_id=app_id) == 4
    limiter.clear(app_id=1, window=Window.DAY, now=T0)
    assert limiter.used(app_id=1, name="a", window=Window.DAY, now=T0) == 0
    assert limiter.used(app_id=1, name="b", window=Window.DAY, now=T0) == 0
    assert limiter.used(app_id=1, name="a", window=Window.MINUTE, now=T0) == 4  # not the minute
    assert limiter.used(app_id=2, name="a", window=Window.DAY, now=T0) == 2  # not app 2
    assert takes(limiter, day(2, "a"), T0, times=3, app_id=1) == 2


def test_concurrent_callers_never_pass_the_limit(limiter: RateLimiter) -> None:
    start = threading.Barrier(8)
    let_through: list[int] = []

    def caller() -> None:
        start.wait()
        let_through.append(takes(limiter, minute(50), T0, times=20))

    threads = [threading.Thread(target=caller) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(let_through) == 50
    assert limiter.used(app_id=1, name="calls", window=Window.MINUTE, now=T0) == 50


def test_a_month_is_not_a_rate_limit_window(limiter: RateLimiter) -> None:
    with pytest.raises(ValueError, match="minutes and days"):
        limiter.take(app_id=1, counts=(Count(name="x", window=Window.MONTH, limit=1),), now=T0)


def test_memory_keeps_no_more_than_the_current_and_the_last_window() -> None:
    limiter = MemoryRateLimiter()
    for step in range(30):
        takes(limiter, minute(5), T0 + timedelta(minutes=step), times=1)
    assert len(limiter._counts[Window.MINUTE]) == 2
    # The last minute's count is still there; older ones are gone.
    last = T0 + timedelta(minutes=28)
    assert limiter.used(app_id=1, name="calls", window=Window.MINUTE, now=last) == 1


def test_redis_counters_expire_on_their_own(redis_limiter: RedisRateLimiter) -> None:
    now = datetime.now(UTC)
    takes(redis_limiter, minute(5), now, times=1)
    takes(redis_limiter, day(5), now, times=1)
    ttls = sorted(
        redis_limiter.client.ttl(key)
        for key in redis_limiter.client.scan_iter(match=redis_limiter.prefix + "*")
    )
    assert len(ttls) == 2
    assert 0 < ttls[0] <= 120
    assert 86_400 < ttls[1] <= 2 * 86_400


def test_every_server_process_shares_the_redis_counts(redis_limiter: RedisRateLimiter) -> None:
    other = RedisRateLimiter(REDIS_URL, prefix=redis_limiter.prefix)
    try:
        assert takes(redis_limiter, minute(3), T0, times=2) == 2
        assert takes(other, minute(3), T0, times=2) == 1
    finally:
        other.close()


def test_path_limits_answer_45011_for_the_minute_and_45009_for_the_day(
    limiter: RateLimiter,
) -> None:
    limits = PathLimits(paths={"/wxa/x": PathLimit(per_minute=2, per_day=3)})

    def call(now: datetime) -> int:
        try:
            do_count_path_call(limiter, limits, app_id=1, path="/wxa/x", now=now)
        except OpenApiError as error:
            return error.errcode
        return 0

    assert [call(T0) for _ in range(3)] == [0, 0, 45011]
    later = T0 + timedelta(minutes=1)
    assert [call(later) for _ in range(2)] == [0, 45009]
    assert limits.of("/wxa/other") == limits.default


def test_the_backend_follows_the_setting(tmp_path: Path) -> None:
    base = {"_env_file": None, "data_dir": tmp_path}
    assert isinstance(rate_limiter_for(Settings(**base)), MemoryRateLimiter)  # type: ignore[arg-type]
    shared = rate_limiter_for(Settings(**base, redis_url=REDIS_URL))  # type: ignore[arg-type]
    try:
        assert isinstance(shared, RedisRateLimiter)
        assert shared.client.ping()
    finally:
        shared.close()


def test_a_bad_redis_url_stops_the_start_without_echoing_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINIAPP_REDIS_URL", "http://user:hunter2@example.com")
    with pytest.raises(SettingsError) as error:
        load_settings(env_file=tmp_path / ".env", data_dir=tmp_path)
    assert "MINIAPP_REDIS_URL" in str(error.value)
    assert "hunter2" not in str(error.value)


def test_an_unreachable_redis_refuses_rather_than_lets_through() -> None:
    dead = RedisRateLimiter("redis://127.0.0.1:1/0")
    try:
        with pytest.raises(redis.ConnectionError):
            dead.take(app_id=1, counts=(minute(1),), now=T0)
    finally:
        dead.close()
