"""The host's side of `wx.login` and `wx.checkSession` (docs/identity.md): a signed-in user
gets a login code for an app they may open, and asks whether their session in it still holds."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from miniapp.accounts.request_auth import CallerDep, DatabaseDep, SettingsDep
from miniapp.clock import utc_now
from miniapp.identity.logins import access_login_app, check_session_valid, do_issue_login_code

router = APIRouter(prefix="/api/runtime/apps", tags=["runtime"])

BUILD_LENGTH = 64


class LoginIn(BaseModel):
    # The build the host launched (`trial`, `develop` or a version id); none for the release.
    build: str | None = Field(default=None, max_length=BUILD_LENGTH)


class LoginOut(BaseModel):
    code: str


class SessionOut(BaseModel):
    valid: bool


@router.post("/{appid}/login", response_model=LoginOut)
def login(
    appid: str, body: LoginIn, caller: CallerDep, database: DatabaseDep, settings: SettingsDep
) -> LoginOut:
    """A `wx.login` code for the caller in the app: valid 5 minutes, once. Starts a new session
    (rotates the session key). `app_not_found` (404) for an app the caller may not open."""
    with database.transaction() as session:
        app = access_login_app(session, user=caller.user, appid=appid, build=body.build)
        code = do_issue_login_code(
            session,
            app_id=app.id,
            user_id=caller.user.id,
            server_key=settings.server_key,
            now=utc_now(),
        )
    return LoginOut(code=code)


@router.get("/{appid}/session", response_model=SessionOut)
def session_state(
    appid: str,
    caller: CallerDep,
    database: DatabaseDep,
    build: Annotated[str | None, Query(max_length=BUILD_LENGTH)] = None,
) -> SessionOut:
    """Whether the caller's latest session in the app is younger than 30 days
    (`wx.checkSession`)."""
    with database.read() as session:
        app = access_login_app(session, user=caller.user, appid=appid, build=build)
        valid = check_session_valid(session, app_id=app.id, user_id=caller.user.id, now=utc_now())
    return SessionOut(valid=valid)
