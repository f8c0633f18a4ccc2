"""The host's side of consent (docs/consent.md): `wx.authorize` / `wx.getSetting` /
`wx.openSetting` read and change the signed-in user's decisions, the runtime records what an app
accessed, and Me → Privacy lists it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from miniapp.accounts.request_auth import CallerDep, DatabaseDep
from miniapp.clock import utc_now
from miniapp.consent.consents import (
    access_consent_app,
    check_access_what,
    check_scope,
    do_decide_consent,
    do_record_access,
    list_auth_setting,
    list_privacy,
)
from miniapp.consent.schemas import AccessIn, AuthSettingOut, ConsentIn, PrivacyApp, PrivacyOut

router = APIRouter(prefix="/api/runtime/apps", tags=["runtime"])
me_router = APIRouter(prefix="/api/me", tags=["me"])

BUILD_LENGTH = 64
BuildQuery = Annotated[str | None, Query(max_length=BUILD_LENGTH)]


@router.get("/{appid}/consents", response_model=AuthSettingOut)
def consents(
    appid: str, caller: CallerDep, database: DatabaseDep, build: BuildQuery = None
) -> AuthSettingOut:
    """The caller's decisions for the app (`wx.getSetting`)."""
    with database.read() as session:
        app = access_consent_app(session, user=caller.user, appid=appid, build=build)
        return AuthSettingOut(
            authSetting=list_auth_setting(session, user=caller.user, app_id=app.id)
        )


@router.put("/{appid}/consents/{scope}", response_model=AuthSettingOut)
def decide(
    appid: str,
    scope: str,
    body: ConsentIn,
    *,
    caller: CallerDep,
    database: DatabaseDep,
    build: BuildQuery = None,
) -> AuthSettingOut:
    """Remember the caller's decision on one scope (the authorize dialog, the settings page)."""
    checked = check_scope(scope)
    with database.transaction() as session:
        app = access_consent_app(session, user=caller.user, appid=appid, build=build)
        do_decide_consent(
            session,
            user=caller.user,
            app_id=app.id,
            scope=checked,
            granted=body.granted,
            now=utc_now(),
        )
        return AuthSettingOut(
            authSetting=list_auth_setting(session, user=caller.user, app_id=app.id)
        )


@router.post("/{appid}/access", status_code=status.HTTP_204_NO_CONTENT)
def record_access(
    appid: str, body: AccessIn, caller: CallerDep, database: DatabaseDep, build: BuildQuery = None
) -> Response:
    """Record that the app used a granted scope or `wx.getUserProfile`."""
    what = check_access_what(body.what)
    with database.transaction() as session:
        app = access_consent_app(session, user=caller.user, appid=appid, build=build)
        do_record_access(session, user=caller.user, app_id=app.id, what=what, now=utc_now())
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@me_router.get("/privacy", response_model=PrivacyOut)
def privacy(caller: CallerDep, database: DatabaseDep) -> PrivacyOut:
    """What each mini program accessed, and when (Me → Privacy)."""
    with database.read() as session:
        return PrivacyOut(
            apps=[PrivacyApp.of(found) for found in list_privacy(session, user=caller.user)]
        )
