"""Submitting versions for review, withdrawing them, and the reviewers' decisions.

A version's review: `development | rejected → checking` (submit: the automated checks run as a
job, check_job.py) `→ in_review` (the reviewers' queue) `→ approved | rejected`; withdraw:
`checking | in_review → development`. At most one version of an app is in checking or in_review:
the submit refuses a second one (`review_in_progress`), and the partial unique index
`uq_app_versions_one_in_review` settles a race the check could miss.

Admins of the app's organisation submit and withdraw (`Permission.RELEASE_MANAGE`); platform
reviewers (and platform admins) decide, never for an organisation they belong to (403
`conflict_of_interest`). Reviewers are not members, so the decisions lock the rows themselves,
in the fixed order: organisation, app, version. Every change writes an audit entry on the app's
organisation in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from miniapp.accounts.credentials import is_plain_text
from miniapp.accounts.lock_objects import lock_organisation
from miniapp.accounts.models import Organisation, StaffRole
from miniapp.accounts.organisations import do_record_audit
from miniapp.accounts.principal import UserRef
from miniapp.accounts.roles import Permission
from miniapp.accounts.staff import access_staff, check_no_conflict
from miniapp.apps.models import IN_REVIEW_STATES, App, AppVersion, VersionState
from miniapp.apps.versions import access_version
from miniapp.clock import utc_now
from miniapp.errors import Conflict, InvalidInput, NotFound
from miniapp.jobs import do_enqueue_job
from miniapp.review.check_job import CHECK_KIND

SUBMITTABLE_STATES = (VersionState.DEVELOPMENT, VersionState.REJECTED)
MAX_REASONS = 10
REASON_LENGTH = 500


def check_review_reasons(raw: Sequence[str]) -> list[str]:
    """1 to 10 reasons, each 1 to 500 characters of plain text (whitespace runs made one space);
    else `review_reasons_invalid`."""
    reasons = [" ".join(reason.split()) for reason in raw]
    if not 1 <= len(reasons) <= MAX_REASONS or not all(
        1 <= len(reason) <= REASON_LENGTH and is_plain_text(reason) for reason in reasons
    ):
        raise InvalidInput(
            "review_reasons_invalid",
            field="reasons",
            max_reasons=MAX_REASONS,
            max_length=REASON_LENGTH,
        )
    return reasons


def _other_in_review(session: Session, *, version: AppVersion) -> str | None:
    return session.scalars(
        select(AppVersion.version).where(
            AppVersion.app_id == version.app_id,
            AppVersion.id != version.id,
            AppVersion.state.in_([state.value for state in IN_REVIEW_STATES]),
        )
    ).first()


def do_submit_version(
    session: Session, *, user: UserRef, appid: str, version: str, now: datetime | None = None
) -> AppVersion:
    """Submit `version` (label or public id) of `appid` for review and queue its checks.

    Preconditions: `user` is an admin of the app's organisation (else 404 / 403 as access_app);
    the version is `development` or `rejected` (else 409 `version_state_invalid`) and no other
    version of the app is in checking or in_review (else 409 `review_in_progress`). Findings,
    reasons and any earlier decision are cleared; the job runs once the transaction commits.
    """
    access, target = access_version(
        session,
        user=user,
        appid=appid,
        version=version,
        permission=Permission.RELEASE_MANAGE,
        for_update=True,
    )
    if target.state not in SUBMITTABLE_STATES:
        raise Conflict("version_state_invalid", version=target.version, state=target.state)
    other = _other_in_review(session, version=target)
    if other is not None:
        raise Conflict("review_in_progress", version=other)
    target.state = VersionState.CHECKING.value
    target.submitted_at = now or utc_now()
    target.submitted_by_id = user.id
    target.findings = []
    target.checked_at = None
    target.review_reasons = []
    target.decided_at = None
    target.decided_by_id = None
    try:
        session.flush()
    except IntegrityError:
        # Another submission got in between the check and the flush: the index said no.
        raise Conflict("review_in_progress", version=None) from None
    do_enqueue_job(session, kind=CHECK_KIND, payload={"version_id": target.id})
    do_record_audit(
        session,
        organisation=access.organisation,
        actor=user,
        action="version.submitted",
        appid=access.app.appid,
        version=target.version,
    )
    session.flush()
    return target


def do_withdraw_version(session: Session, *, user: UserRef, appid: str, version: str) -> AppVersion:
    """Take `version` out of review, back to `development` (admins; 409 `version_state_invalid`
    unless it is checking or in_review). A checks job still to run then changes nothing."""
    access, target = access_version(
        session,
        user=user,
        appid=appid,
        version=version,
        permission=Permission.RELEASE_MANAGE,
        for_update=True,
    )
    if target.state not in IN_REVIEW_STATES:
        raise Conflict("version_state_invalid", version=target.version, state=target.state)
    previous = target.state
    target.state = VersionState.DEVELOPMENT.value
    do_record_audit(
        session,
        organisation=access.organisation,
        actor=user,
        action="version.withdrawn",
        appid=access.app.appid,
        version=target.version,
        state=previous,
    )
    session.flush()
    return target


# -- the reviewers' side ---------------------------------------------------------------------------


def list_review_queue(session: Session, *, user: UserRef) -> list[AppVersion]:
    """The versions waiting for a reviewer, oldest submission first (reviewers only)."""
    access_staff(user, role=StaffRole.REVIEWER)
    return list(
        session.scalars(
            select(AppVersion)
            .options(
                joinedload(AppVersion.app).joinedload(App.organisation),
                joinedload(AppVersion.uploaded_by),
            )
            .where(AppVersion.state == VersionState.IN_REVIEW.value)
            .order_by(AppVersion.submitted_at, AppVersion.id)
        )
    )


def _public_id(raw: uuid.UUID | str) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise NotFound() from None


def access_review_version(
    session: Session, *, user: UserRef, version_id: uuid.UUID | str
) -> AppVersion:
    """A version that was submitted for review (reviewers only: 403 `forbidden` for anyone
    else), by public id; one never submitted is as unknown as one that does not exist."""
    access_staff(user, role=StaffRole.REVIEWER)
    found = session.scalars(
        select(AppVersion)
        .options(
            joinedload(AppVersion.app).joinedload(App.organisation),
            joinedload(AppVersion.uploaded_by),
        )
        .where(AppVersion.public_id == _public_id(version_id))
    ).one_or_none()
    if found is None or found.submitted_at is None:
        raise NotFound()
    return found


def _lock_for_decision(
    session: Session, *, user: UserRef, version_id: uuid.UUID | str
) -> tuple[Organisation, App, AppVersion]:
    """The version and its app and organisation, locked in the fixed order; the reviewer must not
    be a member of the organisation (403 `conflict_of_interest`) and the version must be
    in_review (409 `version_state_invalid`)."""
    found = access_review_version(session, user=user, version_id=version_id)
    app_id, organisation_id = found.app.id, found.app.organisation_id
    if organisation_id is None:
        raise NotFound()
    organisation = lock_organisation(session, organisation_id=organisation_id)
    check_no_conflict(session, user=user, organisation_id=organisation.id)
    app = session.scalars(
        select(App)
        .where(App.id == app_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    version = session.scalars(
        select(AppVersion)
        .where(AppVersion.id == found.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if version.state != VersionState.IN_REVIEW:
        raise Conflict("version_state_invalid", version=version.version, state=version.state)
    return organisation, app, version


def do_approve_version(
    session: Session, *, user: UserRef, version_id: uuid.UUID | str, now: datetime | None = None
) -> AppVersion:
    """Approve a version in review: its admins may then release it."""
    organisation, app, version = _lock_for_decision(session, user=user, version_id=version_id)
    version.state = VersionState.APPROVED.value
    version.decided_at = now or utc_now()
    version.decided_by_id = user.id
    version.review_reasons = []
    do_record_audit(
        session,
        organisation=organisation,
        actor=user,
        action="version.approved",
        appid=app.appid,
        version=version.version,
    )
    session.flush()
    return version


def do_reject_version(
    session: Session,
    *,
    user: UserRef,
    version_id: uuid.UUID | str,
    reasons: Sequence[str],
    now: datetime | None = None,
) -> AppVersion:
    """Reject a version in review with `reasons` (see check_review_reasons), which the app's
    members see; its admins may fix it and submit again."""
    checked = check_review_reasons(reasons)
    organisation, app, version = _lock_for_decision(session, user=user, version_id=version_id)
    version.state = VersionState.REJECTED.value
    version.decided_at = now or utc_now()
    version.decided_by_id = user.id
    version.review_reasons = checked
    do_record_audit(
        session,
        organisation=organisation,
        actor=user,
        action="version.rejected",
        appid=app.appid,
        version=version.version,
        reasons=checked,
    )
    session.flush()
    return version
