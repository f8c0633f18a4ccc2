"""WeChat's error envelope for the open API: HTTP 200 with `{"errcode", "errmsg"}`.

WeChat's clients (wechatpy among them) treat any non-2xx status as a transport failure and read
business errors from `errcode`, so every open API error, including a malformed body and an
unexpected server error (-1, "system error"), is answered this way. `errmsg` ends with
`rid: <request id>` as WeChat's do, so a merchant can quote it when asking for help.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

# Paths answered in WeChat's envelope. The host and the console never use these prefixes.
OPEN_API_PREFIXES = ("/cgi-bin/", "/sns/", "/wxa/", "/wxaapi/")

M = TypeVar("M", bound=BaseModel)

# The errcodes this platform answers (server-api.md); one name each, so code reads as WeChat's
# documentation does.
SYSTEM_ERROR = -1
INVALID_CREDENTIAL = 40001
INVALID_GRANT_TYPE = 40002
INVALID_OPENID = 40003
INVALID_MEDIA_TYPE = 40004
INVALID_APPID = 40013
INVALID_ACCESS_TOKEN = 40014
INVALID_CODE = 40029
INVALID_TEMPLATE_ID = 40037
INVALID_ARGS = 40097
INVALID_APPSECRET = 40125
CODE_BEEN_USED = 40163
INVALID_PAGE_PATH = 40165
INVALID_QUERY = 40212
ACCESS_TOKEN_MISSING = 41001
APPID_MISSING = 41002
APPSECRET_MISSING = 41004
MEDIA_DATA_MISSING = 41005
INVALID_PAGE = 41030
ACCESS_TOKEN_EXPIRED = 42001
QUOTA_REACHED = 45009
MINUTE_QUOTA_REACHED = 45011
# WeChat's texts for the two quota refusals (45009, 45011), whichever counter refuses.
QUOTA_REACHED_ERRMSG = "reach max api daily quota limit"
MINUTE_QUOTA_ERRMSG = "api minute-quota reach limit mustslower retry next minute"
CODE_COUNT_REACHED = 45029
USER_REFUSED = 43101
CLEAR_QUOTA_LIMITED = 48006
CGI_PATH_NOT_FOUND = 76021
CGI_PATH_FORBIDDEN = 76022
DATA_FORMAT_ERROR = 47001
ARGUMENT_INVALID = 47003
NO_RELEASED_VERSION = 85079
INVALID_EXPIRY = 85401
INVALID_SIGNATURE = 87009
RISKY_CONTENT = 87014
# The subscription template API (/wxaapi/newtmpl/*).
TEMPLATE_LIMIT_REACHED = 200012
INVALID_TID = 200014
INVALID_START = 200016
INVALID_LIMIT = 200017
CATEGORY_IDS_MISSING = 200018
INVALID_CATEGORY_IDS = 200019
INVALID_KID_LIST = 200020
INVALID_SCENE_DESC = 200021


class OpenApiError(Exception):
    """A business error of the open API, answered as `{"errcode", "errmsg"}` with HTTP 200."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode} {errmsg}")
        self.errcode = errcode
        self.errmsg = errmsg


def is_open_api_path(path: str) -> bool:
    return path.startswith(OPEN_API_PREFIXES)


def request_id() -> str:
    """A request id in WeChat's shape (`668f2aa4-...`): random, for quoting in support requests."""
    raw = secrets.token_hex(16)
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:20]}"


# JSONResponse's own encoding (compact, UTF-8, no NaN), with the encoder built once:
# json.dumps builds one on every call when given options, a tenth of a hot path's answer.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))


class OpenApiResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return _ENCODER.encode(content).encode()


def envelope(errcode: int, errmsg: str) -> JSONResponse:
    return OpenApiResponse({"errcode": errcode, "errmsg": f"{errmsg} rid: {request_id()}"})


def ok(**data: Any) -> JSONResponse:
    """A success body with `errcode: 0`, as most endpoints answer (token endpoints do not)."""
    return OpenApiResponse({"errcode": 0, "errmsg": "ok", **data})


async def open_api_error_handler(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, OpenApiError)
    return envelope(exc.errcode, exc.errmsg)


def _field_of(error: Any) -> str:
    return ".".join(str(part) for part in error["loc"]) or "body"


async def parse_json_body(request: Request, model: type[M]) -> M:
    """The request's JSON body as `model`. Not a JSON object: 47001 "data format error"; a field
    of the wrong type or out of range: 40097 "invalid args" naming the field (WeChat names the
    field in errmsg too, e.g. `data.thing3.value is empty`)."""
    return check_json_body(await request.body(), model)


def check_json_body(raw: bytes, model: type[M]) -> M:
    """parse_json_body for a body already read."""
    try:
        # pydantic's own parser takes a well-formed body in half the time; it accepts no text
        # json.loads refuses, and whatever it refuses goes the long way, for the errcode.
        return model.model_validate_json(raw)
    except ValidationError:
        pass
    try:
        data = json.loads(raw) if raw.strip() else None
    except (ValueError, RecursionError):
        # ValueError: not JSON, not UTF-8, or an integer over Python's 4300 digits;
        # RecursionError: nested deeper than the interpreter's recursion limit.
        data = None
    if not isinstance(data, dict):
        raise OpenApiError(DATA_FORMAT_ERROR, "data format error")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        raise OpenApiError(
            INVALID_ARGS, f"invalid args: {_field_of(first)}: {first['msg']}"
        ) from None


def json_body(model: type[M]) -> Callable[[Request], Awaitable[M]]:
    """A dependency reading the body as `model` with WeChat's errcodes (parse_json_body), so an
    open API route can stay synchronous: `body: Annotated[In, Depends(json_body(In))]`."""

    async def dependency(request: Request) -> M:
        return await parse_json_body(request, model)

    return dependency
