"""POST /api/runtime/apps/{appid}/request: the host page's network proxy for `wx.request`.

Mini-program code can fetch nothing itself; the host page forwards each `wx.request` here, and the
server performs it to one of the domains the app registered (targets.py) and answers with what
WeChat's `success` callback gets. Who may call it: anyone who may launch the app (mini programs
run for anonymous users too). It is under /api, so the CSRF check applies.

Answer 200: `{statusCode, header, cookies, data, dataEncoding}`, for every HTTP status the
upstream gave (WeChat calls `success` for 4xx and 5xx too). Any other status is the project's
error shape, `{"error": {code, message, field, params}}`; for a refused or failed request
`params.errMsg` is WeChat's text for `fail` (`request:fail url not in domain list`, ...).

Development (`dev_mode`, set by the `miniapp dev` simulator) also allows plain http and private
or loopback addresses, and does not check the domain list: a project in the simulator has no
registration, as in WeChat's devtools with "do not verify domains" (project.config.json
`urlCheck: false`).

Not yet: a per-client rate limit, and WeChat's cap of 10 requests in flight per app (the host page
can enforce the latter). Request bodies are bounded by `max_api_body_bytes` like every /api body.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from miniapp.accounts.request_auth import DatabaseDep, SettingsDep
from miniapp.errors import InvalidInput
from miniapp.netproxy.app_targets import access_app_target, page_frame_referer
from miniapp.netproxy.forward import (
    ForwardedResponse,
    do_forward_request,
    effective_timeout_ms,
)
from miniapp.netproxy.targets import MAX_URL_LENGTH
from miniapp.netproxy.transfer_routes import router as transfer_router

router = APIRouter(tags=["runtime"])
# wx.downloadFile, wx.uploadFile and wx.connectSocket (transfer_routes.py).
router.include_router(transfer_router)


class RequestIn(BaseModel):
    """One `wx.request`, as the host page forwards it (after WeChat's own preparation: `data`
    already serialised, and put in the URL's query for GET)."""

    url: str = Field(max_length=MAX_URL_LENGTH)
    method: str = Field(default="GET", max_length=16)
    header: dict[str, str] = Field(default_factory=dict)
    data: str | None = Field(
        default=None, description="The body: text, or base64 of the bytes of an ArrayBuffer."
    )
    dataEncoding: Literal["text", "base64"] = "text"  # field names as WeChat spells them
    timeout: int | None = Field(
        default=None, description="Milliseconds; unset, 0 or more than 60000 mean 60000."
    )
    responseType: Literal["text", "arraybuffer"] = "text"


class RequestOut(BaseModel):
    """What WeChat's `success` gets, less the parsing of `data` (dataType json: the host parses)."""

    statusCode: int
    header: dict[str, str]
    cookies: list[str]
    data: str
    dataEncoding: Literal["text", "base64"]

    @classmethod
    def of(cls, response: ForwardedResponse, *, response_type: str) -> RequestOut:
        data, encoding = _encode_body(response.body, response_type=response_type)
        return cls(
            statusCode=response.status,
            header=response.header_map(),
            cookies=response.cookies,
            data=data,
            dataEncoding=encoding,
        )


@router.post("/api/runtime/apps/{appid}/request", response_model=RequestOut)
async def proxy_request(
    appid: str, body: RequestIn, database: DatabaseDep, settings: SettingsDep
) -> RequestOut:
    """Perform a mini program's `wx.request` to one of its registered domains.

    The incoming request's own cookies and credentials are never passed on: only the headers
    the mini program set (`header`) are.
    """
    payload = _decode_body(body.data, encoding=body.dataEncoding)
    timeout_ms = effective_timeout_ms(body.timeout)
    started = asyncio.get_running_loop().time()
    # A slow resolver counts against the timeout too.
    target = await access_app_target(
        database,
        settings,
        appid=appid,
        kind="request",
        url=body.url,
        api="request",
        timeout_ms=timeout_ms,
    )
    elapsed_ms = int((asyncio.get_running_loop().time() - started) * 1000)
    response = await do_forward_request(
        target=target,
        method=body.method,
        headers=body.header,
        body=payload,
        timeout_ms=max(1, timeout_ms - elapsed_ms),
        referer=page_frame_referer(settings, appid),
    )
    return RequestOut.of(response, response_type=body.responseType)


def _decode_body(data: str | None, *, encoding: str) -> bytes:
    if data is None:
        return b""
    if encoding == "text":
        return data.encode("utf-8", errors="replace")
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput("invalid_input", field="data", reason="not base64") from None


def _encode_body(body: bytes, *, response_type: str) -> tuple[str, Literal["text", "base64"]]:
    """Text when asked for text and the bytes are UTF-8; else base64 (an ArrayBuffer)."""
    if response_type == "text":
        try:
            return body.decode("utf-8"), "text"
        except UnicodeDecodeError:
            pass
    return base64.b64encode(body).decode("ascii"), "base64"
