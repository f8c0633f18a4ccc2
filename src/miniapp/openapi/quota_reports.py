"""What quota/get reports and what clear_quota does (docs/open-api.md "Rate limits").

quota/get answers `{quota: {daily_limit, used, remain}, rate_limit: {call_count,
refresh_second}}` for a path of the open API: the per-path limits (rate_limits.py), or for the
token endpoints their own quotas; 76021 for a path we do not serve, 76022 for /sns/ paths (as
WeChat). clear_quota forgets the app's counts of the day, per-path and database ones alike (a
day's access tokens included), at most 10 times a calendar month (48006); another app's appid
is 40013.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import Request
from fastapi.routing import iter_route_contexts
from sqlalchemy.orm import Session

from miniapp.db.session import Database
from miniapp.openapi.envelope import (
    APPID_MISSING,
    CGI_PATH_FORBIDDEN,
    CGI_PATH_NOT_FOUND,
    CLEAR_QUOTA_LIMITED,
    INVALID_APPID,
    OpenApiError,
    is_open_api_path,
)
from miniapp.openapi.quotas import Window, do_clear_day_quotas, do_take_quota, quota_used
from miniapp.openapi.rate_limits import PathLimits, RateLimiter, path_counter
from miniapp.openapi.tokens import (
    FORCE_REFRESH_PER_DAY,
    STABLE_TOKENS_PER_MINUTE,
    TOKENS_PER_DAY,
    TokenApp,
)

CLEARS_PER_MONTH = 10
CLEAR_QUOTA = "clear_quota"
MINUTE = 60
DAY = 86_400

# The token endpoints authenticate by AppSecret and keep their own quotas in the database
# (tokens.py): path -> (counter, daily limit, calls per period, period in seconds).
TOKEN_QUOTAS = {
    "/cgi-bin/token": ("token", TOKENS_PER_DAY, TOKENS_PER_DAY, DAY),
    "/cgi-bin/stable_token": (
        "stable_token.force",
        FORCE_REFRESH_PER_DAY,
        STABLE_TOKENS_PER_MINUTE,
        MINUTE,
    ),
}


def served_open_paths(request: Request) -> frozenset[str]:
    """The open API paths this server answers."""
    paths = (context.path for context in iter_route_contexts(request.app.routes))
    return frozenset(path for path in paths if path and is_open_api_path(path))


def check_cgi_path(cgi_path: str, *, served: frozenset[str]) -> str:
    """`cgi_path` if it is a path of the open API quota/get answers for; 76022 for /sns/ paths,
    76021 for any other."""
    if cgi_path.startswith("/sns/") and cgi_path in served:
        raise OpenApiError(CGI_PATH_FORBIDDEN, "could not use this cgi_path, no permission")
    if cgi_path not in served:
        raise OpenApiError(CGI_PATH_NOT_FOUND, "cgi_path not found, please check")
    return cgi_path


def access_path_quota(
    session: Session,
    *,
    app_id: int,
    cgi_path: str,
    limiter: RateLimiter,
    limits: PathLimits,
    now: datetime,
) -> dict[str, dict[str, int]]:
    """quota/get's `quota` and `rate_limit` of a checked path for the app."""
    if cgi_path in TOKEN_QUOTAS:
        name, daily_limit, call_count, period = TOKEN_QUOTAS[cgi_path]
        used = quota_used(session, app_id=app_id, name=name, window=Window.DAY, now=now)
    else:
        limit = limits.of(cgi_path)
        daily_limit, call_count, period = limit.per_day, limit.per_minute, MINUTE
        used = limiter.used(app_id=app_id, name=path_counter(cgi_path), window=Window.DAY, now=now)
    return {
        "quota": {"daily_limit": daily_limit, "used": used, "remain": max(0, daily_limit - used)},
        "rate_limit": {"call_count": call_count, "refresh_second": period},
    }


def do_clear_quota(
    database: Database, *, caller: TokenApp, appid: str, limiter: RateLimiter, now: datetime
) -> None:
    """Forget the caller's counts of the day: 41002 without an appid, 40013 for another app's,
    48006 past CLEARS_PER_MONTH (a refused clear counts nothing and clears nothing)."""
    if not appid:
        raise OpenApiError(APPID_MISSING, "appid missing")
    if appid != caller.appid:
        raise OpenApiError(INVALID_APPID, "invalid appid")
    with database.transaction() as session:
        do_take_quota(
            session,
            app_id=caller.app_id,
            name=CLEAR_QUOTA,
            limit=CLEARS_PER_MONTH,
            window=Window.MONTH,
            now=now,
            errcode=CLEAR_QUOTA_LIMITED,
            errmsg="forbid to clear quota because of reaching the limit",
        )
        do_clear_day_quotas(session, app_id=caller.app_id, now=now, keep=CLEAR_QUOTA)
        # Last, inside the transaction: should Redis fail, the month's count rolls back.
        limiter.clear(app_id=caller.app_id, window=Window.DAY, now=now)
