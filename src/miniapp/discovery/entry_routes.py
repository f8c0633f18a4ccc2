"""/api/discovery: launches (signed in or not), and the signed-in user's "Recently used" and
"My mini programs" (favourites) lists (docs/entry-points.md)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, status

from miniapp.accounts.request_auth import CallerDep, DatabaseDep, find_caller
from miniapp.clock import utc_now
from miniapp.discovery.entry_schemas import EntryAppList, LaunchIn
from miniapp.discovery.favourites import (
    do_add_favourite_app,
    do_remove_favourite_app,
    list_favourite_apps,
)
from miniapp.discovery.launches import do_record_launch
from miniapp.discovery.recents import do_remove_recent_app, list_recent_apps

router = APIRouter(prefix="/api/discovery", tags=["discovery"])


@router.post("/launches", status_code=status.HTTP_204_NO_CONTENT)
def record_launch(body: LaunchIn, request: Request, database: DatabaseDep) -> Response:
    """Record one entry into a mini program, cold or hot, with its scene (sent by the host after
    the app shows). `launch_invalid` (422) for an app the caller could not have opened or a
    scene outside 1000..9999."""
    caller = find_caller(request)
    with database.transaction() as session:
        do_record_launch(
            session,
            user=None if caller is None else caller.user,
            appid=body.appid,
            scene=body.scene,
            path=body.path,
            hot=body.hot,
            build=body.build,
            now=utc_now(),
        )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/recents", response_model=EntryAppList)
def recents(caller: CallerDep, database: DatabaseDep) -> EntryAppList:
    """The caller's recently used mini programs, most recent first, at most 50."""
    with database.read() as session:
        return EntryAppList.of(list_recent_apps(session, user=caller.user))


@router.delete("/recents/{appid}", status_code=status.HTTP_204_NO_CONTENT)
def remove_recent(appid: str, caller: CallerDep, database: DatabaseDep) -> Response:
    """Take an app off the caller's recents (204 whether or not it was there)."""
    with database.transaction() as session:
        do_remove_recent_app(session, user=caller.user, appid=appid)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/favourites", response_model=EntryAppList)
def favourites(caller: CallerDep, database: DatabaseDep) -> EntryAppList:
    """The caller's "My mini programs", most recently added first."""
    with database.read() as session:
        return EntryAppList.of(list_favourite_apps(session, user=caller.user))


@router.put("/favourites/{appid}", status_code=status.HTTP_204_NO_CONTENT)
def add_favourite(appid: str, caller: CallerDep, database: DatabaseDep) -> Response:
    """Add a released app to "My mini programs" (idempotent); `app_not_found` (404) otherwise."""
    with database.transaction() as session:
        do_add_favourite_app(session, user=caller.user, appid=appid, now=utc_now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/favourites/{appid}", status_code=status.HTTP_204_NO_CONTENT)
def remove_favourite(appid: str, caller: CallerDep, database: DatabaseDep) -> Response:
    """Take an app out of "My mini programs" (204 whether or not it was there)."""
    with database.transaction() as session:
        do_remove_favourite_app(session, user=caller.user, appid=appid)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
