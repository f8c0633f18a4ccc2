"""Mini-program codes over HTTP (docs/entry-points.md "Mini-program codes"):

- the open API's three endpoints (`?access_token=`): a PNG on success, WeChat's errcode
  envelope otherwise;
- `GET /mp/<appid>?...`, what a code's URL opens in any camera app or browser: 302 to the
  host's route, with the camera's scene;
- the console's `code.png` (members with APPS_READ, no quota) and the pages it can open.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, status
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from miniapp.accounts.request_auth import CallerDep, DatabaseDep, SettingsDep
from miniapp.apps.logos import MediaStore
from miniapp.apps.models import App
from miniapp.apps.routes import BundleStoreDep
from miniapp.clock import utc_now
from miniapp.discovery.code_schemas import CodeIn, CodePagesOut, QrCodeIn, UnlimitedCodeIn
from miniapp.discovery.code_urls import PARAMETERS, host_route, parse_code_params
from miniapp.discovery.codes import (
    DEFAULT_WIDTH,
    CodeImage,
    access_code_pages,
    access_console_code,
    do_issue_limited_code,
    do_issue_unlimited_code,
    render_code_image,
)
from miniapp.openapi.auth import OpenAppDep
from miniapp.openapi.envelope import json_body
from miniapp.openapi.rate_limits import RateLimiterDep
from miniapp.web.notice_pages import NO_TRACE_HEADERS, notice_page

router = APIRouter(tags=["open api"])
console_router = APIRouter(prefix="/api/console/apps/{appid}", tags=["console"])

# A code's redirect and its error pages are per URL and may name a member-only build: nothing
# keeps them, and the host is not told which code was scanned.
NOT_SLUG = re.compile(r"[^A-Za-z0-9_-]+")


def _png(image: CodeImage) -> Response:
    return Response(render_code_image(image), media_type="image/png")


@router.post("/wxa/getwxacodeunlimit")
def get_unlimited_code(
    *,
    app: OpenAppDep,
    body: Annotated[UnlimitedCodeIn, Depends(json_body(UnlimitedCodeIn))],
    database: DatabaseDep,
    settings: SettingsDep,
    store: BundleStoreDep,
    limiter: RateLimiterDep,
) -> Response:
    """A "B" code: a scene and a page, as many as wanted (5000 a minute)."""
    with database.transaction() as session:
        image = do_issue_unlimited_code(
            session,
            app_id=app.app_id,
            appid=app.appid,
            scene=body.scene,
            page=body.page,
            check_path=body.check_path,
            env_version=body.env_version,
            width=body.width,
            auto_color=body.auto_color,
            line_color=body.line_rgb(),
            is_hyaline=body.is_hyaline,
            store=store,
            media=MediaStore.for_settings(settings),
            public_url=settings.effective_public_url,
            limiter=limiter,
            now=utc_now(),
        )
    return _png(image)


@router.post("/wxa/getwxacode")
def get_code(
    app: OpenAppDep,
    body: Annotated[CodeIn, Depends(json_body(CodeIn))],
    database: DatabaseDep,
    settings: SettingsDep,
    store: BundleStoreDep,
) -> Response:
    """An "A" code: a page with its query (A and C: 100 000 per app)."""
    with database.transaction() as session:
        image = do_issue_limited_code(
            session,
            app_id=app.app_id,
            appid=app.appid,
            kind="a",
            path=body.path,
            env_version=body.env_version,
            width=body.width,
            auto_color=body.auto_color,
            line_color=body.line_rgb(),
            is_hyaline=body.is_hyaline,
            store=store,
            media=MediaStore.for_settings(settings),
            public_url=settings.effective_public_url,
            now=utc_now(),
        )
    return _png(image)


@router.post("/cgi-bin/wxaapp/createwxaqrcode")
def create_qr_code(
    app: OpenAppDep,
    body: Annotated[QrCodeIn, Depends(json_body(QrCodeIn))],
    database: DatabaseDep,
    settings: SettingsDep,
    store: BundleStoreDep,
) -> Response:
    """A "C" code: a plain square QR code of a page with its query."""
    with database.transaction() as session:
        image = do_issue_limited_code(
            session,
            app_id=app.app_id,
            appid=app.appid,
            kind="c",
            path=body.path,
            width=body.width,
            store=store,
            media=MediaStore.for_settings(settings),
            public_url=settings.effective_public_url,
            now=utc_now(),
        )
    return _png(image)


def _code_page(request: Request, *, key: str, status_code: int) -> Response:
    return notice_page(
        message_key=key,
        status_code=status_code,
        accept_language=request.headers.get("accept-language"),
    )


@router.get("/mp/{appid}", response_model=None)
def open_code(appid: str, request: Request, database: DatabaseDep) -> Response:
    """A code's URL opened outside the host (any camera app, any browser): 302 to the host at
    the code's page, scene 1047 (A, B) or 1011 (C). Always to our own `/#app/...`: nothing in
    the URL chooses where the redirect goes but the appid and the page's route. A URL that is
    not one of our codes: 400; an app nobody registered: 404."""
    params = request.query_params
    if any(len(params.getlist(name)) > 1 for name in PARAMETERS):
        return _code_page(request, key="mp.invalid", status_code=status.HTTP_400_BAD_REQUEST)
    code = parse_code_params(appid, params)
    if code is None:
        return _code_page(request, key="mp.invalid", status_code=status.HTTP_400_BAD_REQUEST)
    with database.read() as session:
        known = session.scalar(select(App.id).where(App.appid == code.appid))
    if known is None:
        return _code_page(request, key="mp.unknown", status_code=status.HTTP_404_NOT_FOUND)
    return RedirectResponse(
        host_route(code), status_code=status.HTTP_302_FOUND, headers=NO_TRACE_HEADERS
    )


def _download_name(appid: str, page: str) -> str:
    slug = NOT_SLUG.sub("-", page).strip("-") or "home"
    return f"{appid}-{slug}.png"


@console_router.get("/code.png", response_model=None)
def console_code(
    appid: str,
    *,
    caller: CallerDep,
    database: DatabaseDep,
    settings: SettingsDep,
    store: BundleStoreDep,
    kind: Literal["a", "b", "c"] = "a",
    page: str = "",
    query: str = "",
    scene: str = "",
    width: int = DEFAULT_WIDTH,
    env: str = "release",
    download: bool = False,
) -> Response:
    """The code of a page of the app (members with APPS_READ), drawn as the open API draws it
    but outside its quota; `download=1` offers it as a file."""
    with database.read() as session:
        image = access_console_code(
            session,
            user=caller.user,
            appid=appid,
            kind=kind,
            page=page,
            query=query,
            scene=scene,
            width=width,
            env_version=env,
            store=store,
            public_url=settings.effective_public_url,
        )
    response = _png(image)
    response.headers["Cache-Control"] = "private, no-store"
    if download:
        name = _download_name(appid, page)
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@console_router.get("/code-pages", response_model=CodePagesOut)
def console_code_pages(
    appid: str,
    caller: CallerDep,
    database: DatabaseDep,
    store: BundleStoreDep,
    env: str = "release",
) -> CodePagesOut:
    """The pages of the version `env` (release, trial or develop) opens, for the code card
    (`code_no_version` 409 when there is none)."""
    with database.read() as session:
        target = access_code_pages(
            session, user=caller.user, appid=appid, env_version=env, store=store
        )
    return CodePagesOut(env=env, home=target.home, pages=list(target.pages))
