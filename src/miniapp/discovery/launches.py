"""Launches: every entry into a mini program, cold or hot, with its WeChat scene
(docs/entry-points.md, "Scenes"). The host reports each one after the app shows; a signed-in
user's launch also moves the app to the front of their recents.

Only what the user could actually open is recorded: a released app, or a build (the trial
version, a preview) for the members allowed to open it. Anything else is `launch_invalid` (422),
an unreleased app exactly as an appid nobody registered.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from miniapp.accounts.principal import UserRef
from miniapp.apps.registry import find_app
from miniapp.apps.versions import access_launch_build
from miniapp.discovery.models import PAGE_LENGTH, AppLaunch
from miniapp.discovery.recents import do_touch_recent_app
from miniapp.errors import InvalidInput, UserError

MIN_SCENE = 1000
MAX_SCENE = 9999


def check_scene(scene: int) -> int:
    """A WeChat scene value: four digits (1000..9999)."""
    if not MIN_SCENE <= scene <= MAX_SCENE:
        raise InvalidInput("launch_invalid", field="scene")
    return scene


def check_launch_path(raw: str) -> str:
    """The page the entry opened, without a leading slash ("" for the home page)."""
    path = raw.removeprefix("/")
    if len(path) > PAGE_LENGTH:
        raise InvalidInput("launch_invalid", field="path")
    return path


def _launched_app_id(
    session: Session, *, user: UserRef | None, appid: str, build: str | None
) -> int:
    unknown = InvalidInput("launch_invalid", field="appid")
    app = find_app(session, appid=appid)
    if app is None:
        raise unknown
    if build is None:
        if app.released_bundle is None:
            raise unknown
        return app.id
    try:
        access_launch_build(session, user=user, appid=appid, build=build)
    except UserError:
        raise unknown from None
    return app.id


def do_record_launch(
    session: Session,
    *,
    user: UserRef | None,
    appid: str,
    scene: int,
    path: str,
    hot: bool,
    build: str | None,
    now: datetime,
) -> AppLaunch:
    """Append the launch (`user` None: signed out). A signed-in user's launch of the release
    also moves the app to the front of their recents; a build's does not, since the recents
    entry opens the release."""
    check_scene(scene)
    page = check_launch_path(path)
    app_id = _launched_app_id(session, user=user, appid=appid, build=build)
    launch = AppLaunch(
        app_id=app_id,
        user_id=None if user is None else user.id,
        scene=scene,
        path=page,
        hot=hot,
        occurred_at=now,
    )
    session.add(launch)
    if user is not None and build is None:
        do_touch_recent_app(session, user_id=user.id, app_id=app_id, now=now)
    session.flush()
    return launch
