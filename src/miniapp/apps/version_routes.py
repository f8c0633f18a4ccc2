"""/api/console/apps/{appid}/versions and /release: upload, trial, preview; release, widen,
rollback, history (docs/release-journey.md §3 and §5). Thin: each route calls one service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile, status

from miniapp.accounts.models import User
from miniapp.accounts.private_documents import PrivateStore
from miniapp.accounts.request_auth import CallerDep, DatabaseDep, SettingsDep
from miniapp.apps.console_schemas import ReleaseOut
from miniapp.apps.releases import do_release, do_rollback, do_widen, list_releases
from miniapp.apps.routes import BundleStoreDep
from miniapp.apps.version_schemas import (
    PreviewOut,
    ReleaseEnvelope,
    ReleaseEventOut,
    ReleaseHistory,
    ReleaseIn,
    UploadOut,
    VersionEnvelope,
    VersionList,
    VersionOut,
    VersionUserOut,
    WidenIn,
)
from miniapp.apps.versions import (
    access_version,
    do_set_trial,
    do_upload_version,
    list_versions,
    preview_link,
)
from miniapp.clock import utc_now

router = APIRouter(prefix="/api/console/apps/{appid}", tags=["versions"])


@router.post("/versions", response_model=UploadOut, status_code=status.HTTP_201_CREATED)
def upload_version(
    appid: str,
    *,
    caller: CallerDep,
    database: DatabaseDep,
    settings: SettingsDep,
    bundle_store: BundleStoreDep,
    version: Annotated[str, Form()],
    package: Annotated[UploadFile, File(description="A zip of the project folder.")],
    description: Annotated[str, Form()] = "",
) -> UploadOut:
    """Upload a version (developer): the server compiles the zip; a package that does not
    compile is refused (422 `package_invalid`, `params.diagnostics`) and nothing is stored."""
    uploaded = do_upload_version(
        database,
        user=caller.user,
        appid=appid,
        version=version,
        description=description,
        package=package.file.read(),  # the body limit (server.FILE_BODIES) caps its size
        bundle_store=bundle_store,
        private_store=PrivateStore.for_settings(settings),
    )
    return UploadOut(version=VersionOut.of(uploaded.version), report=uploaded.report)


@router.get("/versions", response_model=VersionList)
def versions(appid: str, caller: CallerDep, database: DatabaseDep) -> VersionList:
    """The app's versions, newest first (any member)."""
    with database.read() as session:
        found = list_versions(session, user=caller.user, appid=appid)
        return VersionList(versions=[VersionOut.of(version) for version in found])


@router.get("/versions/{version}", response_model=VersionEnvelope)
def version_detail(
    appid: str, version: str, caller: CallerDep, database: DatabaseDep
) -> VersionEnvelope:
    """One version (by label or id) with its findings and review reasons (any member)."""
    with database.read() as session:
        _access, found = access_version(session, user=caller.user, appid=appid, version=version)
        return VersionEnvelope(version=VersionOut.of(found))


@router.post("/versions/{version}/trial", response_model=VersionEnvelope)
def set_trial(
    appid: str, version: str, caller: CallerDep, database: DatabaseDep
) -> VersionEnvelope:
    """Make the version the app's trial version (admin); members with TRIAL_OPEN open it."""
    with database.transaction() as session:
        chosen = do_set_trial(session, user=caller.user, appid=appid, version=version)
        return VersionEnvelope(version=VersionOut.of(chosen))


@router.post("/versions/{version}/preview", response_model=PreviewOut)
def preview(
    appid: str, version: str, caller: CallerDep, database: DatabaseDep, settings: SettingsDep
) -> PreviewOut:
    """A link (and QR code) opening this build in the host, for members (developer, tester)."""
    with database.read() as session:
        link = preview_link(
            session,
            user=caller.user,
            appid=appid,
            version=version,
            public_url=settings.effective_public_url,
        )
    return PreviewOut(url=link.url, qr_svg=link.qr_svg)


@router.post("/release", response_model=ReleaseEnvelope)
def release(
    appid: str, body: ReleaseIn, caller: CallerDep, database: DatabaseDep
) -> ReleaseEnvelope:
    """Release an approved version to everyone (percent 100, the default) or a grey share."""
    with database.transaction() as session:
        app = do_release(
            session,
            user=caller.user,
            appid=appid,
            version=body.version,
            percent=body.percent,
            now=utc_now(),
        )
        return ReleaseEnvelope(release=ReleaseOut.of(app))


@router.post("/release/widen", response_model=ReleaseEnvelope)
def widen(appid: str, body: WidenIn, caller: CallerDep, database: DatabaseDep) -> ReleaseEnvelope:
    """Give the grey version to a larger share; 100 makes it everyone's."""
    with database.transaction() as session:
        app = do_widen(session, user=caller.user, appid=appid, percent=body.percent, now=utc_now())
        return ReleaseEnvelope(release=ReleaseOut.of(app))


@router.post("/release/rollback", response_model=ReleaseEnvelope)
def rollback(appid: str, caller: CallerDep, database: DatabaseDep) -> ReleaseEnvelope:
    """Withdraw the grey release, or else go back to the previous full release (one step)."""
    with database.transaction() as session:
        app = do_rollback(session, user=caller.user, appid=appid)
        return ReleaseEnvelope(release=ReleaseOut.of(app))


@router.get("/releases", response_model=ReleaseHistory)
def releases(appid: str, caller: CallerDep, database: DatabaseDep) -> ReleaseHistory:
    """What the app served, newest first (any member)."""
    with database.read() as session:
        events = list_releases(session, user=caller.user, appid=appid)
        return ReleaseHistory(
            releases=[
                ReleaseEventOut.of(event.release, actor=_user_out(event.actor)) for event in events
            ]
        )


def _user_out(user: User | None) -> VersionUserOut | None:
    return (
        None if user is None else VersionUserOut(id=user.public_id, display_name=user.display_name)
    )
