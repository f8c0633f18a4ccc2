"""URL schemes and URL links (docs/entry-points.md "Links"): the open API that makes them
(`POST /wxa/generatescheme`, `POST /wxa/generate_urllink`) and the public addresses that open
them (`GET /dl/business/?t=`, `GET /ul/<ticket>`), which answer 302 to the host route with scene
1065 / 1194, or a small page saying the link expired (410) or leads nowhere (404).

The redirect is relative (`/#app/...`): a link only ever opens our own host. These answers are
never cached (a link may expire or vanish at any time) and send no Referer onwards, so a ticket
does not travel further than the person it was given to.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from miniapp.accounts.request_auth import DatabaseDep, SettingsDep
from miniapp.apps.bundles import BundleStore
from miniapp.apps.routes import BundleStoreDep
from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.discovery.entry_targets import EnvVersion
from miniapp.discovery.link_schemas import GenerateSchemeIn, GenerateUrlLinkIn
from miniapp.discovery.links import (
    LinkExpiry,
    LinkKind,
    LinkProblem,
    OpenedLink,
    access_link,
    do_create_link,
)
from miniapp.openapi.auth import OpenAppDep
from miniapp.openapi.envelope import json_body, ok
from miniapp.web.notice_pages import NO_TRACE_HEADERS, notice_page

router = APIRouter(tags=["links"])

PROBLEM_KEYS = {
    LinkProblem.EXPIRED: ("error.link_expired", 410),
    LinkProblem.UNKNOWN: ("error.link_not_found", 404),
}


def scheme_url(public_url: str, ticket: str) -> str:
    return f"{public_url}/dl/business/?t={ticket}"


def url_link_url(public_url: str, ticket: str) -> str:
    return f"{public_url}/ul/{ticket}"


def _make_link(
    database: Database,
    store: BundleStore,
    *,
    app_id: int,
    kind: LinkKind,
    path: str | None,
    query: str | None,
    env_version: str | None,
    expiry: LinkExpiry,
) -> str:
    with database.transaction() as session:
        link = do_create_link(
            session,
            app_id=app_id,
            kind=kind,
            path=path or "",
            query=query or "",
            env_version=env_version or EnvVersion.RELEASE.value,
            expiry=expiry,
            store=store,
            now=utc_now(),
        )
        return link.ticket


@router.post("/wxa/generatescheme")
def generate_scheme(
    caller: OpenAppDep,
    body: Annotated[GenerateSchemeIn, Depends(json_body(GenerateSchemeIn))],
    database: DatabaseDep,
    settings: SettingsDep,
    store: BundleStoreDep,
) -> JSONResponse:
    """WeChat's generatescheme: `{errcode: 0, errmsg: "ok", openlink}`."""
    jump = body.jump_wxa
    ticket = _make_link(
        database,
        store,
        app_id=caller.app_id,
        kind=LinkKind.SCHEME,
        path=jump.path if jump else None,
        query=jump.query if jump else None,
        env_version=jump.env_version if jump else None,
        expiry=body.expiry(),
    )
    return ok(openlink=scheme_url(settings.effective_public_url, ticket))


@router.post("/wxa/generate_urllink")
def generate_url_link(
    caller: OpenAppDep,
    body: Annotated[GenerateUrlLinkIn, Depends(json_body(GenerateUrlLinkIn))],
    database: DatabaseDep,
    settings: SettingsDep,
    store: BundleStoreDep,
) -> JSONResponse:
    """WeChat's generate_urllink: `{errcode: 0, errmsg: "ok", url_link}`."""
    ticket = _make_link(
        database,
        store,
        app_id=caller.app_id,
        kind=LinkKind.URL_LINK,
        path=body.path,
        query=body.query,
        env_version=body.env_version,
        expiry=body.expiry(),
    )
    return ok(url_link=url_link_url(settings.effective_public_url, ticket))


def host_route(opened: OpenedLink) -> str:
    """The host's route for a link, on our own origin: `/#app/<appid>?path=..&query=..&scene=..
    [&build=..]`; `query` is the link's query string, which the host hands to the page's
    onLoad as parameters."""
    params = {"path": opened.path, "query": opened.query}
    fields = {name: value for name, value in params.items() if value}
    fields["scene"] = str(opened.scene)
    if opened.build:
        fields["build"] = opened.build
    return f"/#app/{quote(opened.appid, safe='')}?{urlencode(fields)}"


def _open(request: Request, database: Database, *, kind: LinkKind, ticket: str) -> Response:
    with database.read() as session:
        opened = access_link(session, kind=kind, ticket=ticket, now=utc_now())
    if isinstance(opened, LinkProblem):
        key, status_code = PROBLEM_KEYS[opened]
        return notice_page(
            message_key=key,
            status_code=status_code,
            accept_language=request.headers.get("accept-language"),
        )
    return RedirectResponse(host_route(opened), status_code=302, headers=NO_TRACE_HEADERS)


@router.get("/dl/business/", include_in_schema=False)
def open_scheme(request: Request, database: DatabaseDep, t: str = "") -> Response:
    """A URL scheme (`openlink`): opens the host at the link's page with scene 1065."""
    return _open(request, database, kind=LinkKind.SCHEME, ticket=t)


@router.get("/ul/{ticket}", include_in_schema=False)
def open_url_link(request: Request, ticket: str, database: DatabaseDep) -> Response:
    """A URL link (`url_link`): opens the host at the link's page with scene 1194."""
    return _open(request, database, kind=LinkKind.URL_LINK, ticket=ticket)
