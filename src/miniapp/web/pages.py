"""Serves the host app at `/`, the console at `/console`, the runtime's frame documents at
`/runtime/logic.html` and `/runtime/view.html`, and their static files.

Pages carry a strict Content-Security-Policy (no inline script or style, same-origin only) and
hand the browser its CSRF token as a cookie. The frame documents run sandboxed at an opaque origin
(docs/runtime.md): their policy names our origin explicitly ('self' would not match it), they can
connect nowhere, and only our own pages may frame them.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.types import Scope
from swagger_ui_bundle import swagger_ui_path  # type: ignore[import-untyped]

from miniapp.accounts.request_auth import app_settings, current_csrf_token, set_csrf_cookie

WEB_DIR = Path(__file__).parent
STATIC_APPS = ("host", "console", "shared", "docs", "runtime", "dev")
# Fetched by the runtime's sandboxed frames, whose opaque origin makes every fetch cross-origin
# (module scripts need CORS).
CROSS_ORIGIN_STATIC_APPS = frozenset({"runtime"})
CROSS_ORIGIN_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Cross-Origin-Resource-Policy": "cross-origin",
}
# Single files of the other apps that any web page may load: the launch button, a module script
# brands put on their own sites (docs/entry-points.md, "Links").
CROSS_ORIGIN_STATIC_FILES = {"host": frozenset({"launch-button.js"})}

PAGE_CSP = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # https: the images a mini program shows through the host (wx.previewImage's urls).
        "img-src 'self' data: blob: https:",
        "connect-src 'self'",
        "font-src 'self'",
        # The runtime's own frames, and web-view pages (container/webview.js decides which: https
        # on one of the app's registered web-view domains).
        "frame-src 'self' https:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

# A development server's simulator does not verify domains (as WeChat's devtools with "do not
# verify domains"): its web-views may show pages served on loopback over http.
DEV_PAGE_CSP = PAGE_CSP.replace(
    "frame-src 'self' https:", "frame-src 'self' https: http://127.0.0.1:* http://localhost:*"
)

# Swagger UI sets styles inline; the docs page shows no user content, so that is all it relaxes.
DOCS_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

# The runtime's frames; "{origin}" is this server's origin as the browser sees it. `sandbox`
# repeats the iframe's own sandbox attribute, so the document runs at an opaque origin even when
# it is opened some other way (navigated to, or framed without the attribute).
LOGIC_FRAME_CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src {origin}/static/runtime/ {origin}/bundles/files/ blob:",
        "worker-src blob:",
        "connect-src 'none'",
        "form-action 'none'",
        "base-uri 'none'",
        "frame-ancestors 'self'",
        "sandbox allow-scripts",
    )
)
VIEW_FRAME_CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src {origin}/static/runtime/",
        "style-src {origin}/static/runtime/ 'unsafe-inline'",
        "img-src {origin} https: data: blob:",
        "media-src {origin} https: blob:",
        "font-src {origin} data:",
        "connect-src 'none'",
        "form-action 'none'",
        "base-uri 'none'",
        "frame-ancestors 'self'",
        "sandbox allow-scripts",
    )
)
FRAME_DOCUMENTS = {
    "logic": (WEB_DIR / "runtime" / "logic" / "index.html", LOGIC_FRAME_CSP),
    "view": (WEB_DIR / "runtime" / "view" / "index.html", VIEW_FRAME_CSP),
}

router = APIRouter(include_in_schema=False)


def app_page(request: Request, app: str) -> Response:
    """`web/<app>/index.html` under the pages' policy (host, console, the dev simulator)."""
    return _page(request, app)


def _page(request: Request, app: str) -> Response:
    response = FileResponse(WEB_DIR / app / "index.html", media_type="text/html")
    settings = app_settings(request)
    response.headers["Content-Security-Policy"] = DEV_PAGE_CSP if settings.dev_mode else PAGE_CSP
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-cache"
    set_csrf_cookie(response, token=current_csrf_token(request), settings=settings)
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


def browser_origin(request: Request) -> str:
    """This server's origin as the browser sees it: public_url's when set, else the request's."""
    parts = urlsplit(app_settings(request).public_url or str(request.base_url))
    return f"{parts.scheme}://{parts.netloc}"


def _frame(request: Request, frame: str) -> Response:
    path, policy = FRAME_DOCUMENTS[frame]
    response = FileResponse(path, media_type="text/html")
    response.headers["Content-Security-Policy"] = policy.format(origin=browser_origin(request))
    response.headers["Cache-Control"] = "no-cache"
    return response


@router.api_route("/runtime/logic.html", methods=["GET", "HEAD"])
def logic_frame(request: Request) -> Response:
    """The logic layer's frame: runs the mini program's JS in a worker, reaches nothing."""
    return _frame(request, "logic")


@router.api_route("/runtime/view.html", methods=["GET", "HEAD"])
def view_frame(request: Request) -> Response:
    """A view layer's frame: renders one page from the logic layer's render ops."""
    return _frame(request, "view")


class CrossOriginStaticFiles(StaticFiles):
    """Static files any origin may load (the runtime's scripts and styles).

    HTML is refused: the frame documents are served only by the routes above, with their policy.
    """

    async def get_response(self, path: str, scope: Scope) -> Response:
        if path.lower().endswith((".html", ".htm")):
            raise HTTPException(status_code=404)
        response = await super().get_response(path, scope)
        response.headers.update(CROSS_ORIGIN_HEADERS)
        return response


class SomeCrossOriginStaticFiles(StaticFiles):
    """Static files of which the named ones, and only those, any origin may load."""

    def __init__(self, *, directory: Path, cross_origin: frozenset[str]) -> None:
        super().__init__(directory=directory)
        self.cross_origin = cross_origin

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if path in self.cross_origin:
            response.headers.update(CROSS_ORIGIN_HEADERS)
        return response


def mount_static(app: FastAPI) -> None:
    for name in STATIC_APPS:
        directory = WEB_DIR / name
        files: StaticFiles
        if name in CROSS_ORIGIN_STATIC_APPS:
            files = CrossOriginStaticFiles(directory=directory)
        elif name in CROSS_ORIGIN_STATIC_FILES:
            files = SomeCrossOriginStaticFiles(
                directory=directory, cross_origin=CROSS_ORIGIN_STATIC_FILES[name]
            )
        else:
            files = StaticFiles(directory=directory)
        app.mount(f"/static/{name}", files, name=f"static-{name}")
    app.mount("/static/swagger", StaticFiles(directory=swagger_ui_path), name="static-swagger")
