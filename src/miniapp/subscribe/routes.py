"""Subscription messages over HTTP (docs/subscriptions.md): the console manages an app's
templates, the host asks the user and lists their notifications, the back end sends."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse

from miniapp.accounts.request_auth import CallerDep, DatabaseDep, app_database, app_settings
from miniapp.accounts.roles import Permission
from miniapp.apps.access import access_app
from miniapp.apps.routes import app_bundle_store
from miniapp.clock import utc_now
from miniapp.consent.consents import access_consent_app
from miniapp.db.raw_statements import RawConnection
from miniapp.errors import InvalidInput
from miniapp.openapi.auth import (
    ACCESS_TOKEN_PARAMETER,
    access_open_app,
    access_token_given,
    count_authenticated_call,
)
from miniapp.openapi.envelope import OpenApiError, check_json_body, ok
from miniapp.openapi.rate_limits import app_rate_limiter
from miniapp.subscribe.library import LIBRARY
from miniapp.subscribe.notifications import (
    count_unread,
    do_mark_all_read,
    do_mark_read,
    list_notifications,
)
from miniapp.subscribe.preferences import (
    do_answer_kept,
    do_answer_sheet,
    do_forget,
    do_keep,
    do_set_main_switch,
    read_subscriptions_setting,
)
from miniapp.subscribe.schemas import (
    MAX_REQUEST_IDS,
    AppTemplateIn,
    AppTemplateOut,
    AppTemplatesOut,
    DecisionsIn,
    KeptAnswerOut,
    KeptChoiceIn,
    KeptRequestIn,
    LibraryOut,
    LibraryTemplateOut,
    MainSwitchIn,
    NotificationOut,
    NotificationsOut,
    SendIn,
    SheetTemplateOut,
    SheetTemplatesOut,
    SubscriptionsSettingOut,
    UnreadOut,
)
from miniapp.subscribe.sends import do_send_by_token
from miniapp.subscribe.templates import (
    access_templates,
    check_new_template,
    do_add_template,
    do_delete_template,
    list_app_templates,
)

console_router = APIRouter(prefix="/api/console/apps", tags=["console"])
runtime_router = APIRouter(prefix="/api/runtime/apps", tags=["runtime"])
me_router = APIRouter(prefix="/api/me", tags=["me"])
open_router = APIRouter(tags=["open api"])

BuildQuery = Annotated[str | None, Query(max_length=64)]
# A row id: within the databases' integer range, so a huge number is a 422, not a database error.
RowId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]


@console_router.get("/{appid}/subscribe/library", response_model=LibraryOut)
def library(appid: str, caller: CallerDep, database: DatabaseDep) -> LibraryOut:
    with database.read() as session:
        access_app(session, user=caller.user, appid=appid)
    return LibraryOut(templates=[LibraryTemplateOut.of(template) for template in LIBRARY])


@console_router.get("/{appid}/subscribe/templates", response_model=AppTemplatesOut)
def templates(appid: str, caller: CallerDep, database: DatabaseDep) -> AppTemplatesOut:
    with database.read() as session:
        found = access_app(session, user=caller.user, appid=appid)
        rows = list_app_templates(session, app_id=found.app.id)
    return AppTemplatesOut(templates=[AppTemplateOut.of(row) for row in rows])


@console_router.post(
    "/{appid}/subscribe/templates",
    response_model=AppTemplateOut,
    status_code=status.HTTP_201_CREATED,
)
def add_template(
    appid: str, body: AppTemplateIn, caller: CallerDep, database: DatabaseDep
) -> AppTemplateOut:
    check_new_template(tid=body.tid, kid_list=body.kid_list, scene_desc=body.scene_desc)
    with database.transaction() as session:
        found = access_app(
            session,
            user=caller.user,
            appid=appid,
            permission=Permission.APP_MANAGE,
            for_update=True,
        )
        added = do_add_template(
            session,
            app_id=found.app.id,
            tid=body.tid,
            kid_list=body.kid_list,
            scene_desc=body.scene_desc,
            now=utc_now(),
        )
    return AppTemplateOut.of(added)


@console_router.delete(
    "/{appid}/subscribe/templates/{pri_tmpl_id}", status_code=status.HTTP_204_NO_CONTENT
)
def delete_template(
    appid: str, pri_tmpl_id: str, caller: CallerDep, database: DatabaseDep
) -> Response:
    with database.transaction() as session:
        found = access_app(session, user=caller.user, appid=appid, permission=Permission.APP_MANAGE)
        do_delete_template(session, app_id=found.app.id, pri_tmpl_id=pri_tmpl_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@runtime_router.get("/{appid}/subscribe/templates", response_model=SheetTemplatesOut)
def sheet_templates(
    appid: str,
    caller: CallerDep,
    database: DatabaseDep,
    ids: Annotated[str, Query(max_length=400)] = "",
    build: BuildQuery = None,
) -> SheetTemplatesOut:
    """The titles the subscribe sheet shows for `ids` (comma-separated, 1..3 of the app's)."""
    wanted = [part for part in ids.split(",") if part]
    if not 1 <= len(wanted) <= MAX_REQUEST_IDS:
        raise InvalidInput("invalid_input", field="ids")
    with database.read() as session:
        app = access_consent_app(session, user=caller.user, appid=appid, build=build)
        found = access_templates(session, app_id=app.id, pri_tmpl_ids=wanted)
    return SheetTemplatesOut(
        templates=[
            SheetTemplateOut(priTmplId=row.pri_tmpl_id, title=row.title, type=int(row.type))
            for row in found
        ]
    )


@runtime_router.post("/{appid}/subscribe")
def subscribe(
    appid: str,
    body: DecisionsIn,
    caller: CallerDep,
    database: DatabaseDep,
    build: BuildQuery = None,
) -> dict[str, str]:
    """Record the user's answers to the subscribe sheet; answers them back."""
    with database.transaction() as session:
        app = access_consent_app(session, user=caller.user, appid=appid, build=build)
        found = access_templates(session, app_id=app.id, pri_tmpl_ids=list(body.decisions))
        do_answer_sheet(
            session,
            user_id=caller.user.id,
            app_id=app.id,
            decisions=[(row, body.decisions[row.pri_tmpl_id]) for row in found],
            keep=body.keep,
            now=utc_now(),
        )
    return {key: value.value for key, value in body.decisions.items()}


@runtime_router.post("/{appid}/subscribe/kept", response_model=KeptAnswerOut)
def subscribe_kept(
    appid: str,
    body: KeptRequestIn,
    caller: CallerDep,
    database: DatabaseDep,
    build: BuildQuery = None,
) -> KeptAnswerOut:
    """Answer a request from the user's kept choices without asking (granting as the sheet
    would); `decisions: null` when any template has none kept."""
    with database.transaction() as session:
        app = access_consent_app(session, user=caller.user, appid=appid, build=build)
        found = access_templates(
            session, app_id=app.id, pri_tmpl_ids=list(dict.fromkeys(body.tmplIds))
        )
        answered = do_answer_kept(
            session, user_id=caller.user.id, app_id=app.id, templates=found, now=utc_now()
        )
    return KeptAnswerOut(decisions=None if answered is None else dict(answered))


@runtime_router.get("/{appid}/subscriptions", response_model=SubscriptionsSettingOut)
def subscriptions_setting(
    appid: str, caller: CallerDep, database: DatabaseDep, build: BuildQuery = None
) -> SubscriptionsSettingOut:
    """The caller's main switch and kept choices for the app (getSetting, the settings page)."""
    with database.read() as session:
        app = access_consent_app(session, user=caller.user, appid=appid, build=build)
        setting = read_subscriptions_setting(session, user_id=caller.user.id, app_id=app.id)
    return SubscriptionsSettingOut.of(setting)


@runtime_router.put("/{appid}/subscriptions", response_model=SubscriptionsSettingOut)
def set_main_switch(
    appid: str,
    body: MainSwitchIn,
    caller: CallerDep,
    database: DatabaseDep,
    build: BuildQuery = None,
) -> SubscriptionsSettingOut:
    with database.transaction() as session:
        app = access_consent_app(session, user=caller.user, appid=appid, build=build)
        do_set_main_switch(
            session, user_id=caller.user.id, app_id=app.id, on=body.mainSwitch, now=utc_now()
        )
        setting = read_subscriptions_setting(session, user_id=caller.user.id, app_id=app.id)
    return SubscriptionsSettingOut.of(setting)


@runtime_router.put("/{appid}/subscriptions/{pri_tmpl_id}", response_model=SubscriptionsSettingOut)
def keep_choice(
    *,
    appid: str,
    pri_tmpl_id: str,
    body: KeptChoiceIn,
    caller: CallerDep,
    database: DatabaseDep,
    build: BuildQuery = None,
) -> SubscriptionsSettingOut:
    """Change (or keep) the caller's choice for one of the app's templates; grants nothing."""
    with database.transaction() as session:
        app = access_consent_app(session, user=caller.user, appid=appid, build=build)
        found = access_templates(session, app_id=app.id, pri_tmpl_ids=[pri_tmpl_id])
        do_keep(
            session,
            user_id=caller.user.id,
            app_id=app.id,
            decisions=[(found[0], body.decision)],
            now=utc_now(),
        )
        setting = read_subscriptions_setting(session, user_id=caller.user.id, app_id=app.id)
    return SubscriptionsSettingOut.of(setting)


@runtime_router.delete(
    "/{appid}/subscriptions/{pri_tmpl_id}", response_model=SubscriptionsSettingOut
)
def forget_choice(
    appid: str,
    pri_tmpl_id: str,
    caller: CallerDep,
    database: DatabaseDep,
    build: BuildQuery = None,
) -> SubscriptionsSettingOut:
    """Forget the caller's kept choice for one of the app's templates: the next request asks."""
    with database.transaction() as session:
        app = access_consent_app(session, user=caller.user, appid=appid, build=build)
        access_templates(session, app_id=app.id, pri_tmpl_ids=[pri_tmpl_id])
        do_forget(session, user_id=caller.user.id, app_id=app.id, pri_tmpl_id=pri_tmpl_id)
        setting = read_subscriptions_setting(session, user_id=caller.user.id, app_id=app.id)
    return SubscriptionsSettingOut.of(setting)


@me_router.get("/notifications", response_model=NotificationsOut)
def notifications(caller: CallerDep, database: DatabaseDep) -> NotificationsOut:
    with database.read() as session:
        inbox = list_notifications(session, user_id=caller.user.id)
    return NotificationsOut(
        notifications=[NotificationOut.of(row) for row in inbox.notifications],
        unread=inbox.unread,
    )


@me_router.post("/notifications/read-all", response_model=UnreadOut)
def read_all_notifications(caller: CallerDep, database: DatabaseDep) -> UnreadOut:
    with database.transaction() as session:
        do_mark_all_read(session, user_id=caller.user.id, now=utc_now())
    return UnreadOut(unread=0)


@me_router.post("/notifications/{notification_id}/read", response_model=UnreadOut)
def read_notification(
    notification_id: RowId, caller: CallerDep, database: DatabaseDep
) -> UnreadOut:
    """Mark one of the caller's notifications read (404 for anyone else's); the unread left."""
    with database.transaction() as session:
        do_mark_read(
            session, user_id=caller.user.id, notification_id=notification_id, now=utc_now()
        )
        unread = count_unread(session, user_id=caller.user.id)
    return UnreadOut(unread=unread)


@open_router.post(
    "/cgi-bin/message/subscribe/send",
    openapi_extra={
        "parameters": [ACCESS_TOKEN_PARAMETER],
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": SendIn.model_json_schema()}},
        },
    },
)
async def send(request: Request) -> JSONResponse:
    """Deliver one subscription message to one user (docs/subscriptions.md "Send").

    One of the open API's hot paths (openapi/hot_paths.py): the token check, the body and the
    send run in one transaction on a bare connection, on the event loop when it can
    (Database.run_raw), the token read with the user and the template. The token's errcodes
    come before the body's, as for every route that takes an access token."""
    raw = await request.body()
    store = app_bundle_store(request)
    limiter = app_rate_limiter(request)
    server_key = app_settings(request).server_key
    now = utc_now()

    def work(connection: RawConnection) -> int:
        try:
            body = check_json_body(raw, SendIn)
        except OpenApiError:
            access_open_app(request, connection)  # the token's errcodes, and the count, first
            raise
        return do_send_by_token(
            connection,
            token=access_token_given(request),
            server_key=server_key,
            count_call=lambda app_id: count_authenticated_call(request, app_id=app_id),
            touser=body.touser,
            template_id=body.template_id,
            page=body.page,
            data=body.data,
            store=store,
            now=now,
        )

    msgid = await app_database(request).run_raw(work, inline=limiter.local)
    return ok(msgid=msgid)
