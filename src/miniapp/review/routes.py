"""Review routes: the admins' submit and withdraw (/api/console/...), and the reviewers' queue
and decisions (/api/review/...). Thin: each route calls one service (submissions.py)."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.orm import Session

from miniapp.accounts.request_auth import CallerDep, DatabaseDep, SettingsDep
from miniapp.apps.models import AppVersion
from miniapp.apps.profile import AppProfile, uploaded_permits
from miniapp.apps.version_schemas import VersionEnvelope, VersionOut
from miniapp.apps.versions import preview_url
from miniapp.review.schemas import RejectIn, ReviewEnvelope, ReviewQueue, ReviewVersionOut
from miniapp.review.submissions import (
    access_review_version,
    do_approve_version,
    do_reject_version,
    do_submit_version,
    do_withdraw_version,
    list_review_queue,
)
from miniapp.settings import Settings

console_router = APIRouter(prefix="/api/console/apps/{appid}/versions", tags=["review"])
router = APIRouter(prefix="/api/review", tags=["review"])


@console_router.post("/{version}/submit", response_model=VersionEnvelope)
def submit_version(
    appid: str, version: str, caller: CallerDep, database: DatabaseDep
) -> VersionEnvelope:
    """Submit a version for review (admins): it goes to `checking` while the automated checks
    run, then to the reviewers' queue, or back as `rejected` if a check found an error."""
    with database.transaction() as session:
        submitted = do_submit_version(session, user=caller.user, appid=appid, version=version)
        out = VersionOut.of(submitted)
    return VersionEnvelope(version=out)


@console_router.post("/{version}/withdraw", response_model=VersionEnvelope)
def withdraw_version(
    appid: str, version: str, caller: CallerDep, database: DatabaseDep
) -> VersionEnvelope:
    """Take a version out of review, back to development (admins)."""
    with database.transaction() as session:
        withdrawn = do_withdraw_version(session, user=caller.user, appid=appid, version=version)
        out = VersionOut.of(withdrawn)
    return VersionEnvelope(version=out)


def _review_out(session: Session, version: AppVersion, *, settings: Settings) -> ReviewVersionOut:
    app = version.app
    assert app.organisation is not None  # every app a version can be submitted for has one
    profile = AppProfile(
        app=app, organisation=app.organisation, permits=uploaded_permits(session, app=app)
    )
    link = preview_url(public_url=settings.effective_public_url, appid=app.appid, version=version)
    return ReviewVersionOut.of_review(version, profile=profile, preview_url=link)


@router.get("/queue", response_model=ReviewQueue)
def review_queue(caller: CallerDep, database: DatabaseDep, settings: SettingsDep) -> ReviewQueue:
    """The versions waiting for a reviewer, oldest submission first (reviewers)."""
    with database.read() as session:
        queue = list_review_queue(session, user=caller.user)
        return ReviewQueue(versions=[_review_out(session, v, settings=settings) for v in queue])


@router.get("/versions/{version_id}", response_model=ReviewEnvelope)
def review_version(
    version_id: str, caller: CallerDep, database: DatabaseDep, settings: SettingsDep
) -> ReviewEnvelope:
    """One submitted version with its findings, its app's profile and a preview link."""
    with database.read() as session:
        found = access_review_version(session, user=caller.user, version_id=version_id)
        return ReviewEnvelope(version=_review_out(session, found, settings=settings))


@router.post("/versions/{version_id}/approve", response_model=ReviewEnvelope)
def approve_version(
    version_id: str, caller: CallerDep, database: DatabaseDep, settings: SettingsDep
) -> ReviewEnvelope:
    """Approve a version in review (reviewers): its admins may then release it."""
    with database.transaction() as session:
        approved = do_approve_version(session, user=caller.user, version_id=version_id)
        out = _review_out(session, approved, settings=settings)
    return ReviewEnvelope(version=out)


@router.post("/versions/{version_id}/reject", response_model=ReviewEnvelope)
def reject_version(
    version_id: str,
    body: RejectIn,
    caller: CallerDep,
    database: DatabaseDep,
    settings: SettingsDep,
) -> ReviewEnvelope:
    """Reject a version in review with reasons its developers see (reviewers)."""
    with database.transaction() as session:
        rejected = do_reject_version(
            session, user=caller.user, version_id=version_id, reasons=body.reasons
        )
        out = _review_out(session, rejected, settings=settings)
    return ReviewEnvelope(version=out)
