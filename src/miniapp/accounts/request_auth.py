"""Who is asking: the signed-in user behind a request's session cookie or personal access token
(`Authorization: Bearer mpat_…`); the cookies themselves."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response
from sqlalchemy.orm import Session

from miniapp.accounts.models import User
from miniapp.accounts.personal_tokens import LiveToken, access_token_caller, bearer_secret
from miniapp.accounts.principal import Principal
from miniapp.accounts.sessions import IssuedSession, LiveSession, access_session
from miniapp.accounts.tokens import tokens_equal
from miniapp.clock import utc_now
from miniapp.csrf import CSRF_COOKIE, SAFE_METHODS
from miniapp.db.session import Database
from miniapp.errors import Forbidden, NotSignedIn
from miniapp.settings import Settings

SESSION_COOKIE = "miniapp_session"
# With Secure cookies the names carry the __Host- prefix: the browser then refuses the cookie
# unless it was set by this very host over https (or loopback) for path "/", so a sibling
# subdomain cannot plant a session (fixation) or a CSRF token of its own.
HOST_PREFIX = "__Host-"


def session_cookie_name(settings: Settings) -> str:
    return HOST_PREFIX + SESSION_COOKIE if settings.effective_cookie_secure else SESSION_COOKIE


def csrf_cookie_name(settings: Settings) -> str:
    return HOST_PREFIX + CSRF_COOKIE if settings.effective_cookie_secure else CSRF_COOKIE


def app_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


DatabaseDep = Annotated[Database, Depends(app_database)]
SettingsDep = Annotated[Settings, Depends(app_settings)]


@dataclass(frozen=True, kw_only=True)
class Caller:
    """A signed-in request: a snapshot of the user, and the browser session or the personal
    access token it came with (exactly one of the two)."""

    user: Principal
    session: LiveSession | None
    token: LiveToken | None = None

    def user_row(self, session: Session) -> User:
        """The user's row in `session`, for services that change the user."""
        user = session.get(User, self.user.id)
        if user is None:  # deleted since the request began
            raise NotSignedIn("not_signed_in")
        return user


@dataclass(frozen=True, kw_only=True)
class SessionCaller(Caller):
    """A request signed in with a browser session, for what a token must not do."""

    session: LiveSession
    token: None = None


def find_caller(request: Request) -> Caller | None:
    try:
        return signed_in(request)
    except NotSignedIn:
        return None


def signed_in(request: Request) -> Caller:
    """The caller, by bearer token if the request has one (an invalid one is 401 `token_invalid`,
    never a fallback to the cookie), else by session cookie."""
    settings = app_settings(request)
    secret = bearer_secret(request.headers.get("authorization", ""))
    if secret is not None:
        # No CSRF check here: a browser cannot attach this header cross-site (csrf.py), and
        # cookies the request also carries were checked by the middleware and are not used.
        token = access_token_caller(
            app_database(request), server_key=settings.server_key, secret=secret, now=utc_now()
        )
        return Caller(user=token.user, session=None, token=token)
    with app_database(request).read_connection() as connection:
        found = access_session(
            connection,
            server_key=settings.server_key,
            token=request.cookies.get(session_cookie_name(settings)),
            now=utc_now(),
        )
    # The middleware checked header == cookie; here the token must also be this session's own,
    # so a token planted in the cookie jar by a sibling subdomain is useless.
    if request.method not in SAFE_METHODS and not tokens_equal(
        request.headers.get("x-csrf-token", ""), found.csrf_token
    ):
        raise Forbidden("csrf_failed")
    return Caller(user=found.user, session=found)


def session_signed_in(request: Request) -> SessionCaller:
    """The caller, who must have come with a browser session: a personal access token cannot
    create tokens, change the password or sign out (403 `session_required`)."""
    caller = signed_in(request)
    if caller.session is None:
        raise Forbidden("session_required")
    return SessionCaller(user=caller.user, session=caller.session)


CallerDep = Annotated[Caller, Depends(signed_in)]
SessionCallerDep = Annotated[SessionCaller, Depends(session_signed_in)]


def set_session_cookies(response: Response, *, issued: IssuedSession, settings: Settings) -> None:
    max_age = settings.session_ttl_seconds
    response.set_cookie(
        session_cookie_name(settings),
        issued.token,
        max_age=max_age,
        httponly=True,
        secure=settings.effective_cookie_secure,
        samesite="lax",
        path="/",
    )
    set_csrf_cookie(response, token=issued.csrf_token, settings=settings)


def set_csrf_cookie(response: Response, *, token: str, settings: Settings) -> None:
    # Readable by our own scripts (they echo it in X-CSRF-Token), so not HttpOnly.
    response.set_cookie(
        csrf_cookie_name(settings),
        token,
        max_age=settings.session_ttl_seconds,
        httponly=False,
        secure=settings.effective_cookie_secure,
        samesite="lax",
        path="/",
    )


def clear_session_cookies(response: Response, *, settings: Settings) -> None:
    response.delete_cookie(
        session_cookie_name(settings),
        path="/",
        secure=settings.effective_cookie_secure,
        httponly=True,
        samesite="lax",
    )
    set_csrf_cookie(response, token=secrets.token_urlsafe(32), settings=settings)


def current_csrf_token(request: Request) -> str:
    """The token pages echo: the session's own when signed in, else the cookie's or a new one."""
    settings = app_settings(request)
    caller = find_caller(request) if request.cookies.get(session_cookie_name(settings)) else None
    if caller is not None and caller.session is not None:
        return caller.session.csrf_token
    return request.cookies.get(csrf_cookie_name(settings)) or secrets.token_urlsafe(32)
