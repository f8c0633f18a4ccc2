"""`GET /sns/jscode2session`, `POST /wxa/checksession` and `POST
/wxa/business/getuserphonenumber`: the app's back end turns a `wx.login` code into the user's
openid and session key, checks a session is current, and turns a phone code into the user's
number (server-api.md §2, §2.2; docs/identity.md)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from miniapp.accounts.request_auth import DatabaseDep, SettingsDep, app_database, app_settings
from miniapp.clock import utc_now
from miniapp.identity.logins import check_session_signature, do_redeem_login_code
from miniapp.identity.phones import do_redeem_phone_code
from miniapp.openapi.auth import OpenAppDep, count_authenticated_call, query_parameter
from miniapp.openapi.envelope import json_body, ok
from miniapp.openapi.rate_limits import app_rate_limiter
from miniapp.openapi.tokens import check_credentials_given

router = APIRouter(tags=["open api"])


class PhoneNumberIn(BaseModel):
    code: str = Field(default="", max_length=128)
    openid: str | None = Field(default=None, max_length=64)


@router.get(
    "/sns/jscode2session",
    openapi_extra={
        "parameters": [
            query_parameter("appid", "The app's AppID."),
            query_parameter("secret", "The app's AppSecret."),
            query_parameter("js_code", "The code `wx.login` gave the mini program."),
            query_parameter("grant_type", "`authorization_code` (not checked)."),
        ]
    },
)
async def jscode2session(request: Request) -> JSONResponse:
    """`{openid, session_key, unionid?}` for a fresh code. No access token (wechatpy sends one:
    other parameters, grant_type included, are ignored).

    One of the open API's hot paths (openapi/hot_paths.py): it reads its parameters itself and
    runs its statements on a bare connection, on the event loop when it can
    (Database.run_raw)."""
    query = request.query_params
    appid = query.get("appid", "")
    secret = query.get("secret", "")
    js_code = query.get("js_code", "")
    check_credentials_given(appid=appid, secret=secret)
    settings = app_settings(request)
    limiter = app_rate_limiter(request)
    now = utc_now()
    found = await app_database(request).run_raw(
        lambda connection: do_redeem_login_code(
            connection,
            appid=appid,
            secret=secret,
            js_code=js_code,
            server_key=settings.server_key,
            limiter=limiter,
            count_call=lambda app_id: count_authenticated_call(request, app_id=app_id),
            now=now,
        ),
        inline=limiter.local,
    )
    answer = {"openid": found.openid, "session_key": found.session_key}
    if found.unionid is not None:
        answer["unionid"] = found.unionid
    return JSONResponse(answer)


@router.post("/wxa/checksession")
def checksession(
    *,
    app: OpenAppDep,
    database: DatabaseDep,
    settings: SettingsDep,
    openid: str = "",
    signature: str = "",
    sig_method: str = "",
) -> JSONResponse:
    """ok when `signature` is hex(HMAC-SHA256(key=session_key, "")) for the user's current
    session; 87009 otherwise; 40003 for an openid the token's app does not know."""
    with database.read() as session:
        check_session_signature(
            session,
            app_id=app.app_id,
            openid=openid,
            signature=signature,
            sig_method=sig_method,
            server_key=settings.server_key,
        )
    return ok()


@router.post("/wxa/business/getuserphonenumber")
def getuserphonenumber(
    *,
    request: Request,
    app: OpenAppDep,
    body: Annotated[PhoneNumberIn, Depends(json_body(PhoneNumberIn))],
    database: DatabaseDep,
    settings: SettingsDep,
) -> JSONResponse:
    """`{phone_info: {phoneNumber, purePhoneNumber, countryCode, watermark}}` for a fresh phone
    code of the token's app; 40029 otherwise, 40003 when `openid` is not the code's user,
    45011 over 100 a minute for the user."""
    with database.transaction() as session:
        info = do_redeem_phone_code(
            session,
            app_id=app.app_id,
            appid=app.appid,
            code=body.code,
            openid=body.openid,
            server_key=settings.server_key,
            limiter=app_rate_limiter(request),
            now=utc_now(),
        )
    return ok(phone_info=info)
