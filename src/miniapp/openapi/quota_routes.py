"""`POST /cgi-bin/openapi/quota/get` and `POST /cgi-bin/clear_quota`: an app's back end reads
its quota of one API path and clears its day's counts (quota_reports.py; docs/open-api.md "Rate
limits")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, StrictStr

from miniapp.accounts.request_auth import DatabaseDep
from miniapp.clock import utc_now
from miniapp.openapi.auth import OpenAppDep
from miniapp.openapi.envelope import json_body, ok
from miniapp.openapi.quota_reports import (
    access_path_quota,
    check_cgi_path,
    do_clear_quota,
    served_open_paths,
)
from miniapp.openapi.rate_limits import RateLimiterDep, app_path_limits

router = APIRouter(tags=["open api"])


class QuotaGetIn(BaseModel):
    cgi_path: StrictStr = ""


class ClearQuotaIn(BaseModel):
    appid: StrictStr = ""


@router.post("/cgi-bin/openapi/quota/get")
def quota_get(
    request: Request,
    caller: OpenAppDep,
    body: Annotated[QuotaGetIn, Depends(json_body(QuotaGetIn))],
    database: DatabaseDep,
    limiter: RateLimiterDep,
) -> JSONResponse:
    cgi_path = check_cgi_path(body.cgi_path, served=served_open_paths(request))
    with database.read() as session:
        answer = access_path_quota(
            session,
            app_id=caller.app_id,
            cgi_path=cgi_path,
            limiter=limiter,
            limits=app_path_limits(request),
            now=utc_now(),
        )
    return ok(**answer)


@router.post("/cgi-bin/clear_quota")
def clear_quota(
    caller: OpenAppDep,
    body: Annotated[ClearQuotaIn, Depends(json_body(ClearQuotaIn))],
    database: DatabaseDep,
    limiter: RateLimiterDep,
) -> JSONResponse:
    do_clear_quota(database, caller=caller, appid=body.appid, limiter=limiter, now=utc_now())
    return ok()
