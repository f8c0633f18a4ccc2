"""The host's side of `wx.login` and `wx.checkSession` (docs/identity.md): a signed-in user
gets a login code for an app they may open, and asks whether their session in it still holds;
the phone-number button's code, and `wx.getUserProfile`'s signed and encrypted open data, which
only the server can make (the host never holds a session key)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from miniapp.accounts.request_auth import CallerDep, DatabaseDep, SettingsDep
from miniapp.clock import utc_now
from miniapp.identity.logins import access_login_app, check_session_valid, do_issue_login_code
from miniapp.identity.open_data import access_user_open_data
from miniapp.identity.phones import do_issue_phone_code

router = APIRouter(prefix="/api/runtime/apps", tags=["runtime"])

BUILD_LENGTH = 64


class LoginIn(BaseModel):
    # The build the host launched (`trial`, `develop` or a version id); none for the release.
    build: str | None = Field(default=None, max_length=BUILD_LENGTH)


class LoginOut(BaseModel):
    code: str


class SessionOut(BaseModel):
    valid: bool


class PhoneNumberIn(LoginIn):
    # False for `getRealtimePhoneNumber`, whose event carries the code only.
    legacy: bool = True


class PhoneNumberOut(BaseModel):
    code: str
    encryptedData: str | None = Field(
        default=None, description="The number under the session key; null before wx.login."
    )
    iv: str | None = None


class OpenDataIn(LoginIn):
    lang: str = Field(default="en", max_length=8)
    # True for getUserInfo: the anonymous name (the user is not asked).
    anonymous: bool = False


class OpenDataOut(BaseModel):
    userInfo: dict[str, Any]
    rawData: str = Field(description="userInfo as the JSON text `signature` covers.")
    signature: str | None = Field(default=None, description="Null before wx.login.")
    encryptedData: str | None = None
    iv: str | None = None


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


@router.post("/{appid}/phone-number", response_model=PhoneNumberOut)
def phone_number(
    appid: str,
    body: PhoneNumberIn,
    caller: CallerDep,
    database: DatabaseDep,
    settings: SettingsDep,
) -> PhoneNumberOut:
    """The caller allowed the app their phone number (the host's sheet): a phone code valid 5
    minutes, once, and the legacy encrypted number. `phone_number_missing` (409) for an account
    without one; `app_not_found` (404) for an app the caller may not open."""
    with database.transaction() as session:
        app = access_login_app(session, user=caller.user, appid=appid, build=body.build)
        grant = do_issue_phone_code(
            session,
            user=caller.user,
            app=app,
            legacy=body.legacy,
            server_key=settings.server_key,
            now=utc_now(),
        )
    if grant.encrypted is None:
        return PhoneNumberOut(code=grant.code)
    return PhoneNumberOut(
        code=grant.code, encryptedData=grant.encrypted.encrypted_data, iv=grant.encrypted.iv
    )


@router.post("/{appid}/open-data", response_model=OpenDataOut, response_model_exclude_none=True)
def open_data(
    appid: str,
    body: OpenDataIn,
    caller: CallerDep,
    database: DatabaseDep,
    settings: SettingsDep,
) -> OpenDataOut:
    """The caller's profile for the app as `wx.getUserProfile` answers it, signed and encrypted
    under their current session key (neither before their first wx.login in the app); with
    `anonymous`, getUserInfo's anonymous profile. A POST so it carries the CSRF check of every
    API write."""
    with database.read() as session:
        app = access_login_app(session, user=caller.user, appid=appid, build=body.build)
        found = access_user_open_data(
            session,
            user=caller.user,
            app=app,
            language=body.lang,
            anonymous=body.anonymous,
            server_key=settings.server_key,
            now=utc_now(),
        )
    return OpenDataOut(
        userInfo=found.user_info,
        rawData=found.raw_data,
        signature=found.signature,
        encryptedData=None if found.encrypted is None else found.encrypted.encrypted_data,
        iv=None if found.encrypted is None else found.encrypted.iv,
    )
