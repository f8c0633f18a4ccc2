"""Serves the host app at `/`, the console at `/console`, and their static files.

Pages carry a strict Content-Security-Policy (no inline script or style, same-origin only) and
hand the browser its CSRF token as a cookie.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from miniapp.accounts.request_auth import app_settings, current_csrf_token, set_csrf_cookie

WEB_DIR = Path(__file__).parent
STATIC_APPS = ("host", "console", "shared", "docs")

PAGE_CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

# Swagger UI sets styles inline; the docs page shows no user content, so that is all it relaxes.
DOCS_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

router = APIRouter(include_in_schema=False)


def _page(request: Request, app: str) -> Response:
    response = FileResponse(WEB_DIR / app / "index.html", media_type="text/html")
    response.headers["Content-Security-Policy"] = PAGE_CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-cache"
    set_csrf_cookie(response, token=current_csrf_token(request), settings=app_settings(request))
    return response


@router.get("/")
def host_page(request: Request) -> Response:
    return _page(request, "host")


@router.get("/console")
@router.get("/console/{path:path}")
def console_page(request: Request, path: str = "") -> Response:
    return _page(request, "console")


@router.get("/docs")
def docs_page() -> Response:
    """The API reference (Swagger UI over /openapi.json), served from this server."""
    response = FileResponse(WEB_DIR / "docs" / "index.html", media_type="text/html")
    response.headers["Content-Security-Policy"] = DOCS_CSP
    response.headers["X-Frame-Options"] = "DENY"
    return response


def mount_static(app: FastAPI) -> None:
    for name in STATIC_APPS:
        app.mount(f"/static/{name}", StaticFiles(directory=WEB_DIR / name), name=f"static-{name}")
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_path), name="static-swagger")
