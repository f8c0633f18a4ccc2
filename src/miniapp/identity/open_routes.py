"""`GET /sns/jscode2session` and `POST /wxa/checksession`: the app's back end turns a
`wx.login` code into the user's openid and session key, and checks a session is current
(server-api.md §2; docs/identity.md)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from miniapp.accounts.request_auth import DatabaseDep, SettingsDep
from miniapp.clock import utc_now
from miniapp.identity.logins import check_session_signature, do_redeem_login_code
from miniapp.openapi.auth import OpenAppDep
from miniapp.openapi.envelope import ok
from miniapp.openapi.tokens import check_credentials_given

router = APIRouter(tags=["open api"])


@router.get("/sns/jscode2session")
def jscode2session(
    database: DatabaseDep,
    settings: SettingsDep,
    appid: str = "",
    secret: str = "",
    js_code: str = "",
) -> JSONResponse:
    """`{openid, session_key, unionid?}` for a fresh code. No access token (wechatpy sends one:
    other parameters, grant_type included, are ignored)."""
    check_credentials_given(appid=appid, secret=secret)
    with database.transaction() as session:
        found = do_redeem_login_code(
            session,
            appid=appid,
            secret=secret,
            js_code=js_code,
            server_key=settings.server_key,
            now=utc_now(),
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
