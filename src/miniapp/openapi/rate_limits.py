"""Per-app call counters of the open API in fixed windows (a minute, a day), kept out of the
database: 45011 "api minute-quota reach limit mustslower retry next minute" and 45009 "reach max
api daily quota limit" (docs/open-api.md "Rate limits").

Two backends behind one protocol, chosen by `MINIAPP_REDIS_URL`:
- unset: `MemoryRateLimiter`, in this process (one machine; counts start again at a restart);
- set: `RedisRateLimiter`, shared by every server process; a Lua script checks and counts
  atomically, so concurrent calls on any process never pass a limit.

A call takes one unit of each of its counters or none: a refused call counts nothing. The
counters that must survive a restart (a day's access tokens, lifetime code counts, the monthly
clear_quota cap) stay in the database (quotas.py).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated, Protocol

import redis
from fastapi import Depends, Request

from miniapp.openapi.envelope import (
    MINUTE_QUOTA_ERRMSG,
    MINUTE_QUOTA_REACHED,
    QUOTA_REACHED,
    QUOTA_REACHED_ERRMSG,
    OpenApiError,
)
from miniapp.openapi.quotas import Window, window_start
from miniapp.settings import Settings

# How long a window lasts; its counters live twice as long, so a late call still finds them.
WINDOW_LENGTH = {Window.MINUTE: timedelta(minutes=1), Window.DAY: timedelta(days=1)}
DEFAULT_REDIS_PREFIX = "miniapp:rate:"


@dataclass(frozen=True, kw_only=True)
class Count:
    """One counter a call takes a unit of: `name` of the app in the current `window`, at most
    `limit` units."""

    name: str
    window: Window
    limit: int


_WINDOW_SECONDS = {window: int(length.total_seconds()) for window, length in WINDOW_LENGTH.items()}


def _seconds(window: Window) -> int:
    try:
        return _WINDOW_SECONDS[window]
    except KeyError:
        raise ValueError(f"rate limits count minutes and days, not {window.value}") from None


class RateLimiter(Protocol):
    # True when the counters are in this process: taking one waits on no I/O, so a caller on
    # the event loop may take it there (Database.run_raw's `inline`).
    local: bool

    def take(self, *, app_id: int, counts: Sequence[Count], now: datetime) -> Count | None:
        """Take one unit of every count, or (when one is at its limit) none: then the first
        count at its limit."""

    def used(self, *, app_id: int, name: str, window: Window, now: datetime) -> int:
        """Units of `name` the app has taken in the window holding `now`."""

    def clear(self, *, app_id: int, window: Window, now: datetime) -> None:
        """Forget every count of the app in the window holding `now`."""

    def close(self) -> None: ...


@dataclass
class MemoryRateLimiter:
    """Counters in this process, safe across threads. Windows older than the one before the
    current are dropped as time moves on, so memory holds at most two windows of each kind."""

    local = True
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # window kind -> window number -> (app_id, name) -> units taken. A window's number is the
    # count of whole windows since the epoch: minutes and UTC days are whole seconds apart, so
    # this is window_start's window, without building datetimes on every call.
    _counts: dict[Window, dict[int, dict[tuple[int, str], int]]] = field(default_factory=dict)

    def _bucket(self, window: Window, seconds: int) -> dict[tuple[int, str], int]:
        """The counts of the window holding `seconds` (since the epoch)."""
        number = seconds // _seconds(window)
        numbers = self._counts.setdefault(window, {})
        bucket = numbers.get(number)
        if bucket is None:  # a new window: the time to drop the old ones
            for old in [n for n in numbers if n < number - 1]:
                del numbers[old]
            bucket = numbers[number] = {}
        return bucket

    def take(self, *, app_id: int, counts: Sequence[Count], now: datetime) -> Count | None:
        seconds = int(now.timestamp())
        with self._lock:
            taken = []
            for count in counts:
                bucket = self._bucket(count.window, seconds)
                key = (app_id, count.name)
                if bucket.get(key, 0) >= count.limit:
                    return count
                taken.append((bucket, key))
            for bucket, key in taken:  # none at its limit: take one of each
                bucket[key] = bucket.get(key, 0) + 1
            return None

    def used(self, *, app_id: int, name: str, window: Window, now: datetime) -> int:
        with self._lock:
            return self._bucket(window, int(now.timestamp())).get((app_id, name), 0)

    def clear(self, *, app_id: int, window: Window, now: datetime) -> None:
        with self._lock:
            bucket = self._bucket(window, int(now.timestamp()))
            for key in [key for key in bucket if key[0] == app_id]:
                del bucket[key]

    def close(self) -> None:
        pass


# KEYS: one hash per (app, window kind, window start); ARGV: field, limit, ttl for each key.
# Every count is checked before any is taken, inside Redis, so the check and the count are one
# atomic step for every process.
_TAKE_SCRIPT = """
for i = 1, #KEYS do
  local used = tonumber(redis.call('HGET', KEYS[i], ARGV[3 * i - 2]) or '0')
  if used >= tonumber(ARGV[3 * i - 1]) then
    return i
  end
end
for i = 1, #KEYS do
  redis.call('HINCRBY', KEYS[i], ARGV[3 * i - 2], 1)
  redis.call('EXPIRE', KEYS[i], ARGV[3 * i])
end
return 0
"""


class RedisRateLimiter:
    """Counters in Redis: a hash per app and window, one field per counter name, expiring
    after twice its window's length (so no job has to prune them)."""

    local = False

    def __init__(self, url: str, *, prefix: str = DEFAULT_REDIS_PREFIX) -> None:
        self.client = redis.Redis.from_url(url)
        self.prefix = prefix
        self._take = self.client.register_script(_TAKE_SCRIPT)

    def _key(self, app_id: int, window: Window, now: datetime) -> str:
        _seconds(window)  # refuses a window other than a minute or a day
        start = int(window_start(window, now).timestamp())
        return f"{self.prefix}{app_id}:{window.value}:{start}"

    def take(self, *, app_id: int, counts: Sequence[Count], now: datetime) -> Count | None:
        if not counts:
            return None
        keys = [self._key(app_id, count.window, now) for count in counts]
        args: list[str | int] = []
        for count in counts:
            ttl = _seconds(count.window) * 2
            args += [count.name, count.limit, ttl]
        refused = int(self._take(keys=keys, args=args))
        return counts[refused - 1] if refused else None

    def used(self, *, app_id: int, name: str, window: Window, now: datetime) -> int:
        value = self.client.hget(self._key(app_id, window, now), name)
        return int(value) if value is not None else 0

    def clear(self, *, app_id: int, window: Window, now: datetime) -> None:
        self.client.delete(self._key(app_id, window, now))

    def close(self) -> None:
        self.client.close()


def rate_limiter_for(settings: Settings) -> RateLimiter:
    """Redis when `MINIAPP_REDIS_URL` is set, else this process's memory."""
    if settings.redis_url:
        return RedisRateLimiter(settings.redis_url)
    return MemoryRateLimiter()


def do_take_rate(
    limiter: RateLimiter,
    *,
    app_id: int,
    name: str,
    limit: int,
    window: Window,
    now: datetime,
    errcode: int = QUOTA_REACHED,
    errmsg: str = QUOTA_REACHED_ERRMSG,
) -> None:
    """Count one call of `name` by the app in the current minute or day; over `limit`, raise
    OpenApiError(errcode) and count nothing. Unlike quotas.do_take_quota the count is not part
    of a transaction: take it after the checks that may refuse the call."""
    if limiter.take(app_id=app_id, counts=(Count(name=name, window=window, limit=limit),), now=now):
        raise OpenApiError(errcode, errmsg)


def do_take_user_rate(
    limiter: RateLimiter, *, app_id: int, kind: str, user_id: int, per_minute: int, now: datetime
) -> None:
    """Count one `kind` call for one user of the app in the current minute, as WeChat limits
    code2session and getuserphonenumber per user; over `per_minute`, 45011 and nothing
    counted."""
    do_take_rate(
        limiter,
        app_id=app_id,
        name=f"{kind}:{user_id}",
        limit=per_minute,
        window=Window.MINUTE,
        now=now,
        errcode=MINUTE_QUOTA_REACHED,
        errmsg=MINUTE_QUOTA_ERRMSG,
    )


# --- every open API call, per app and path ----------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class PathLimit:
    per_minute: int
    per_day: int


# Per app and API path, for every call that authenticates (arguments refused later count too,
# as WeChat's frequency limits do). Business limits of a path (e.g. 5000 "B" codes a minute)
# are enforced besides, by the path's module. docs/open-api.md "Rate limits" lists them.
DEFAULT_PATH_LIMIT = PathLimit(per_minute=10_000, per_day=1_000_000)
PATH_LIMITS: Mapping[str, PathLimit] = {
    "/sns/jscode2session": PathLimit(per_minute=20_000, per_day=5_000_000),
    "/wxa/checksession": PathLimit(per_minute=20_000, per_day=5_000_000),
    "/wxa/msg_sec_check": PathLimit(per_minute=4000, per_day=2_000_000),
    "/wxa/img_sec_check": PathLimit(per_minute=2000, per_day=200_000),
    "/cgi-bin/openapi/quota/get": PathLimit(per_minute=600, per_day=10_000),
    "/cgi-bin/clear_quota": PathLimit(per_minute=60, per_day=100),
}


@dataclass(frozen=True, kw_only=True)
class PathLimits:
    """The per-path table in force (app state, so tests can set small limits)."""

    paths: Mapping[str, PathLimit] = field(default_factory=lambda: dict(PATH_LIMITS))
    default: PathLimit = DEFAULT_PATH_LIMIT
    _counts: dict[str, tuple[Count, Count]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def of(self, path: str) -> PathLimit:
        return self.paths.get(path, self.default)

    def counts_of(self, path: str) -> tuple[Count, Count]:
        """The (minute, day) counters a call of `path` takes, made once per path: the hot
        paths count every call (openapi/hot_paths.py)."""
        counts = self._counts.get(path)
        if counts is None:
            limit = self.of(path)
            name = path_counter(path)
            counts = self._counts[path] = (
                Count(name=name, window=Window.MINUTE, limit=limit.per_minute),
                Count(name=name, window=Window.DAY, limit=limit.per_day),
            )
        return counts

    def knows(self, path: str) -> bool:
        return path in self.paths


def path_counter(path: str) -> str:
    return f"path:{path}"


def do_count_path_call(
    limiter: RateLimiter, limits: PathLimits, *, app_id: int, path: str, now: datetime
) -> None:
    """Count one call of `path` by the app against its minute (45011) and day (45009) limits,
    both or neither."""
    minute, day = limits.counts_of(path)
    refused = limiter.take(app_id=app_id, counts=(minute, day), now=now)
    if refused is minute:
        raise OpenApiError(MINUTE_QUOTA_REACHED, MINUTE_QUOTA_ERRMSG)
    if refused is day:
        raise OpenApiError(QUOTA_REACHED, QUOTA_REACHED_ERRMSG)


def app_rate_limiter(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.rate_limiter
    return limiter


def app_path_limits(request: Request) -> PathLimits:
    limits: PathLimits = request.app.state.path_limits
    return limits


def routed_path(request: Request) -> str:
    """The path of the route that answers (the counter's name), not the raw URL."""
    route = request.scope.get("route")
    path = getattr(route, "path", None)
    # No route: a hot path (hot_paths.py), matched on its exact path.
    return path if isinstance(path, str) else str(request.scope["path"])


RateLimiterDep = Annotated[RateLimiter, Depends(app_rate_limiter)]
