"""/api/runtime/apps: what the host can launch; /bundles/files: the bundles' files.

Bundle files are named by their content's hash, so they are cached for good. They are fetched by
the runtime's sandboxed frames, whose origin is opaque: every such fetch is cross-origin, hence
the CORS and CORP headers. Nothing a bundle holds runs at our origin: even opened directly, a
file is served under a sandboxing policy.
"""

from __future__ import annotations

import json
import logging
import posixpath
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from miniapp.accounts.request_auth import DatabaseDep, SettingsDep, find_caller
from miniapp.apps.bundles import BundleNotFoundError, BundleStore, read_stored_manifest
from miniapp.apps.registry import access_launchable_app, list_launchable_apps
from miniapp.apps.releases import (
    grey_bucket,
    grey_key_of_request,
    new_grey_key,
    pick_bundle,
    set_grey_cookie,
)
from miniapp.apps.schemas import AppList, AppSummary, LaunchOut
from miniapp.apps.served_files import immutable_file_response
from miniapp.apps.versions import access_launch_build
from miniapp.errors import UserError

log = logging.getLogger(__name__)

router = APIRouter(tags=["runtime"])

CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".bmp": "image/bmp",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".wav": "audio/wav",
    ".ogg": "audio/ogg",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
}
BUNDLE_FILE_HEADERS = {
    "Cache-Control": "public, max-age=31536000, immutable",
    "Access-Control-Allow-Origin": "*",
    "Cross-Origin-Resource-Policy": "cross-origin",
    # A file opened on its own (an SVG, say) must not run script at our origin.
    "Content-Security-Policy": "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "sandbox",
}


def app_bundle_store(request: Request) -> BundleStore:
    store: BundleStore = request.app.state.bundle_store
    return store


BundleStoreDep = Annotated[BundleStore, Depends(app_bundle_store)]


@router.get("/api/runtime/apps", response_model=AppList)
def launchable_apps(database: DatabaseDep) -> AppList:
    """Every mini program users can launch, by name (the host's Discover tab)."""
    with database.read() as session:
        return AppList(apps=[AppSummary.of(app) for app in list_launchable_apps(session)])


@router.get(
    "/api/runtime/apps/{appid}/launch",
    response_class=Response,
    responses={200: {"model": LaunchOut, "content": {"application/json": {}}}},
)
def launch(
    appid: str,
    *,
    request: Request,
    database: DatabaseDep,
    store: BundleStoreDep,
    settings: SettingsDep,
    build: Annotated[str | None, Query(max_length=64)] = None,
    ran: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """The bundle a user starts, with its manifest: what the host starts the mini program from.

    Without `build`: the release, or the grey version for users in the grey share or who ran it
    already (`ran`: the bundle this browser started last; chosen from the app's row, read as
    before: no extra query). With `build=trial` or `build=<version id>`:
    that build, for signed-in members allowed to open it (reviewers: a version in review);
    anyone else gets `app_not_found` as for an unknown app.
    """
    new_key: str | None = None
    if build is None:
        key = grey_key_of_request(request)
        if key is None:
            key = new_key = new_grey_key()
        with database.read() as session:
            app = access_launchable_app(session, appid=appid)
            name = app.name
            bundle_id, version, env_version = pick_bundle(app, grey_bucket(appid, key), ran=ran)
            # The host checks a web-view's address itself (it makes the frame); the other kinds
            # of domain are checked by the server's proxy and are not sent.
            webview_domains = list(app.webview_domains)
        cache_control = "no-cache"
    else:
        caller = find_caller(request)
        with database.read() as session:
            chosen = access_launch_build(
                session, user=None if caller is None else caller.user, appid=appid, build=build
            )
        name, bundle_id, version = chosen.name, chosen.bundle_id, chosen.version
        env_version, webview_domains = chosen.env_version, chosen.webview_domains
        cache_control = "private, no-store"  # a member's build: never kept by a shared cache
    try:
        stored = read_stored_manifest(store, bundle_id)
    except BundleNotFoundError:
        log.error("app %s: bundle %s is missing from the store", appid, bundle_id)
        raise UserError("bundle_unavailable", status_code=503) from None
    # The manifest's JSON is made once per bundle and spliced in, never serialised per launch.
    info: dict[str, object] = {
        "appid": appid,
        "name": name,
        "bundle": bundle_id,
        "version": version,
        "envVersion": env_version,
        "webviewDomains": webview_domains,
    }
    if settings.dev_mode:
        # The simulator does not verify domains (WeChat devtools' urlCheck off): a web-view may
        # show any http(s) site there, as the request proxy may reach any address.
        info["urlCheck"] = False
    head = json.dumps(info, ensure_ascii=False)
    body = head[:-1].encode() + b',"manifest":' + stored.launch_json + b"}"
    response = Response(
        body, media_type="application/json", headers={"Cache-Control": cache_control}
    )
    if new_key is not None:
        set_grey_cookie(response, key=new_key, settings=settings)
    return response


@router.api_route("/bundles/files/{name}", methods=["GET", "HEAD"], include_in_schema=False)
def bundle_file(name: str, request: Request, store: BundleStoreDep) -> Response:
    """A bundle's file; `name` is `<hash>.<ext>`, nothing else (no folders, no other names)."""
    return immutable_file_response(
        request,
        store.served_file(name),
        name=name,
        media_type=CONTENT_TYPES.get(posixpath.splitext(name)[1], "application/octet-stream"),
        headers=BUNDLE_FILE_HEADERS,
    )
