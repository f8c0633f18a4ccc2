"""The `review.check` job: runs the automated checks on a submitted version.

Submitting a version (submissions.py) puts it in `checking` and enqueues this job in the same
transaction. The job reads the version's package from the private store, runs the checks
(checks.py, outside any transaction: they can take seconds), then in one transaction stores the
findings and moves the version on: to `in_review` (the reviewers' queue), or to `rejected` with
the reason `automated_checks_failed` when any finding is an error.

At-least-once delivery makes the job run again after a crash, and a withdrawn and resubmitted
version may have two jobs: the outcome is written only while the version is still `checking`,
so a second run, or one for a withdrawn version, changes nothing.

The job needs the settings (the private store's folder, the word list, the image limit): the
worker carries its process's settings in the job context (`serve` and `miniapp worker` make it
with them); a worker made without them fails the job loudly rather than guess.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from miniapp.accounts.lock_objects import lock_organisation
from miniapp.accounts.models import AuditEvent, Organisation, User
from miniapp.accounts.organisations import do_record_audit
from miniapp.accounts.private_documents import PrivateStore
from miniapp.apps.models import App, AppVersion, VersionState
from miniapp.apps.profile import permits_missing
from miniapp.db.session import Database
from miniapp.jobs import JobContext, job_kind
from miniapp.review.checks import Check, Finding, Severity, has_errors, run_checks
from miniapp.settings import Settings

log = logging.getLogger(__name__)

CHECK_KIND = "review.check"
AUTOMATED_CHECKS_FAILED = "automated_checks_failed"

PACKAGE_MISSING = Finding(
    check=Check.COMPILE,
    severity=Severity.ERROR,
    file="package",
    line=0,
    message="the uploaded package can no longer be read: upload the version again",
)

CHECKS_CRASHED = Finding(
    check=Check.COMPILE,
    severity=Severity.ERROR,
    file="package",
    line=0,
    message="the automated checks could not finish on this package: upload it again, or ask "
    "the platform's operators",
)


@dataclass(frozen=True, kw_only=True)
class _Submitted:
    version_id: int
    app: App
    source_key: str
    permits_missing: list[str]


def _read_submitted(session: Session, *, version_id: int) -> _Submitted | None:
    version = session.get(AppVersion, version_id)
    if version is None or version.state != VersionState.CHECKING:
        return None
    app = session.get(App, version.app_id)
    if app is None:
        return None
    return _Submitted(
        version_id=version.id,
        app=app,
        source_key=version.source_key,
        permits_missing=permits_missing(session, app=app),
    )


def _lock(session: Session, *, version_id: int) -> tuple[Organisation, App, AppVersion] | None:
    """The version's organisation, app and version rows, locked in that order."""
    ids = session.execute(
        select(App.organisation_id, App.id)
        .join(AppVersion, AppVersion.app_id == App.id)
        .where(AppVersion.id == version_id)
    ).one_or_none()
    if ids is None or ids.organisation_id is None:
        return None
    organisation = lock_organisation(session, organisation_id=ids.organisation_id)
    app = session.scalars(
        select(App)
        .where(App.id == ids.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    version = session.scalars(
        select(AppVersion)
        .where(AppVersion.id == version_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return organisation, app, version


def do_check_version(
    database: Database,
    *,
    settings: Settings,
    version_id: int,
    now: datetime,
    last_attempt: bool = False,
) -> str | None:
    """Run the checks on version `version_id` and record the outcome.

    Returns the state it moved the version to (`in_review` or `rejected`), or None when the
    version is no longer `checking` (withdrawn, or already checked by an earlier run). If the
    checks themselves fail (a bug), the job is retried; on its `last_attempt` the version is
    rejected with that finding instead, so it never stays "checking" for good, holding the
    app's one review slot.
    """
    with database.read() as session:
        submitted = _read_submitted(session, version_id=version_id)
    if submitted is None:
        return None
    try:
        package = PrivateStore.for_settings(settings).read(submitted.source_key)
    except FileNotFoundError:
        # Gone for good (a retry would not bring it back): the version cannot pass.
        log.error("review checks: the package of version %s is missing", version_id)
        findings = [PACKAGE_MISSING]
    else:
        try:
            findings = run_checks(
                package_zip=package,
                app=submitted.app,
                settings=settings,
                permits_missing=submitted.permits_missing,
            )
        except Exception:
            if not last_attempt:
                raise
            log.exception("review checks of version %s failed for good", version_id)
            findings = [CHECKS_CRASHED]
    failed = has_errors(findings)
    outcome = VersionState.REJECTED if failed else VersionState.IN_REVIEW
    with database.transaction() as session:
        locked = _lock(session, version_id=version_id)
        if locked is None:
            return None
        organisation, app, version = locked
        if version.state != VersionState.CHECKING:
            return None
        version.findings = [finding.to_dict() for finding in findings]
        version.checked_at = now
        version.state = outcome.value
        if failed:
            version.review_reasons = [AUTOMATED_CHECKS_FAILED]
            version.decided_at = now
            version.decided_by_id = None
        detail: dict[str, Any] = {
            "appid": app.appid,
            "version": version.version,
            "outcome": outcome.value,
            "errors": sum(1 for finding in findings if finding.severity == "error"),
            "warnings": sum(1 for finding in findings if finding.severity == "warning"),
        }
        # The checks act for whoever submitted the version.
        submitter = session.get(User, version.submitted_by_id) if version.submitted_by_id else None
        if submitter is not None:
            do_record_audit(
                session,
                organisation=organisation,
                actor=submitter,
                action="version.checked",
                **detail,
            )
        else:
            session.add(
                AuditEvent(
                    organisation_id=organisation.id,
                    actor_id=None,
                    action="version.checked",
                    detail=detail,
                )
            )
    log.info("review checks of %s %s: %s", detail["appid"], detail["version"], outcome.value)
    return outcome.value


@job_kind(CHECK_KIND, retry_ladder=(15, 60, 300, 1800))
def check_submitted_version(ctx: JobContext, payload: dict[str, Any]) -> None:
    """Payload: `{"version_id": <AppVersion.id>}`. Precondition: the worker has settings."""
    if ctx.settings is None:
        raise RuntimeError("review.check runs only in a worker made with the server's settings")
    do_check_version(
        ctx.database,
        settings=ctx.settings,
        version_id=int(payload["version_id"]),
        now=ctx.clock(),
        last_attempt=ctx.is_last_attempt,
    )
