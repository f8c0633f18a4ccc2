"""Turns every error into the JSON shape clients rely on: {"error": {code, message, field, ...}},
and on the open API (`/cgi-bin`, `/sns`, `/wxa`) into WeChat's `{"errcode", "errmsg"}` with HTTP
200, which WeChat's SDKs expect (openapi/envelope.py)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from miniapp.errors import InvalidInput, NotFound, UserError
from miniapp.openapi.envelope import (
    DATA_FORMAT_ERROR,
    SYSTEM_ERROR,
    OpenApiError,
    envelope,
    is_open_api_path,
    open_api_error_handler,
)

log = logging.getLogger(__name__)


def _json(error: UserError) -> JSONResponse:
    return JSONResponse({"error": error.to_dict()}, status_code=error.status_code)


async def _user_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, UserError)
    return _json(exc)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    if is_open_api_path(request.url.path):
        return envelope(DATA_FORMAT_ERROR, "data format error")
    first = exc.errors()[0] if exc.errors() else {"loc": ("body",), "msg": "invalid"}
    location = [str(part) for part in first["loc"] if part not in ("body", "query", "path")]
    field = ".".join(location) or "body"
    return _json(InvalidInput("invalid_input", field=field, reason=str(first["msg"])))


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if is_open_api_path(request.url.path):
        # WeChat answers an unknown API or a wrong method with -1 in its envelope too.
        return envelope(SYSTEM_ERROR, f"system error: http {exc.status_code}")
    if exc.status_code == 404:
        return _json(NotFound())
    error = UserError(
        "method_not_allowed" if exc.status_code == 405 else "invalid_input",
        status_code=exc.status_code,
        field="request",
        reason=str(exc.detail),
    )
    return _json(error)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    if is_open_api_path(request.url.path):
        return envelope(SYSTEM_ERROR, "system error")
    return _json(UserError("internal", status_code=500))


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(UserError, _user_error)
    app.add_exception_handler(OpenApiError, open_api_error_handler)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
