"""`GET /cgi-bin/token` and `POST /cgi-bin/stable_token`: an app's back end trades its AppID and
AppSecret for an access token (server-api.md §1). Answered as WeChat does: the bare
`{access_token, expires_in}` on success, the errcode envelope otherwise."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, StrictBool, StrictStr

from miniapp.accounts.request_auth import DatabaseDep, SettingsDep
from miniapp.clock import utc_now
from miniapp.openapi.envelope import (
    INVALID_GRANT_TYPE,
    OpenApiError,
    json_body,
)
from miniapp.openapi.rate_limits import RateLimiterDep
from miniapp.openapi.tokens import (
    IssuedToken,
    check_credentials_given,
    do_issue_stable_token,
    do_issue_token,
)

router = APIRouter(tags=["open api"])

GRANT_TYPE = "client_credential"


class StableTokenIn(BaseModel):
    grant_type: StrictStr = ""
    appid: StrictStr = ""
    secret: StrictStr = ""
    force_refresh: StrictBool = False


def _check_credentials(*, grant_type: str, appid: str, secret: str) -> None:
    if grant_type != GRANT_TYPE:
        raise OpenApiError(INVALID_GRANT_TYPE, "invalid grant_type")
    check_credentials_given(appid=appid, secret=secret)


def _issued(token: IssuedToken) -> JSONResponse:
    return JSONResponse({"access_token": token.access_token, "expires_in": token.expires_in})


@router.get("/cgi-bin/token")
def get_token(
    database: DatabaseDep,
    settings: SettingsDep,
    grant_type: str = "",
    appid: str = "",
    secret: str = "",
) -> JSONResponse:
    _check_credentials(grant_type=grant_type, appid=appid, secret=secret)
    with database.transaction() as session:
        token = do_issue_token(
            session, appid=appid, secret=secret, server_key=settings.server_key, now=utc_now()
        )
    return _issued(token)


@router.post("/cgi-bin/stable_token")
def post_stable_token(
    body: Annotated[StableTokenIn, Depends(json_body(StableTokenIn))],
    database: DatabaseDep,
    settings: SettingsDep,
    limiter: RateLimiterDep,
) -> JSONResponse:
    _check_credentials(grant_type=body.grant_type, appid=body.appid, secret=body.secret)
    with database.transaction() as session:
        token = do_issue_stable_token(
            session,
            appid=body.appid,
            secret=body.secret,
            force_refresh=body.force_refresh,
            server_key=settings.server_key,
            limiter=limiter,
            now=utc_now(),
        )
    return _issued(token)
