"""Business verification (WeChat's 微信认证): an organisation's admin applies with the company's
details and two documents, a platform reviewer approves or rejects, and staff record the yearly
fee and its expiry.

An organisation has at most one pending application: applying takes the organisation's row lock
first, then looks for one. A decision locks the organisation, then the application, and re-reads
both (the fixed order of lock_objects.py), so two reviewers cannot both decide one application.
Whether a verification is in force is `verification_status.is_verified`, decided at the moment
of use, so expiry needs no job.

A renewal does not suspend a verification in force: while an organisation that is verified has
a new application pending, or when that application is rejected, it stays verified until its
expiry. Only an organisation that is not verified shows `pending` / `rejected`.

The documents are private (private_documents.py): only the organisation's admins and platform
staff read them, through `access_private_document`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, aliased, joinedload

from miniapp.accounts.credentials import is_plain_text
from miniapp.accounts.models import (
    Membership,
    Organisation,
    OrganisationVerification,
    PrivateDocument,
    StaffRole,
    User,
    VerificationDecision,
    VerificationStatus,
)
from miniapp.accounts.organisations import OrganisationAccess, do_record_audit
from miniapp.accounts.principal import UserRef
from miniapp.accounts.private_documents import (
    PrivateStore,
    check_document,
    do_store_private_document,
)
from miniapp.accounts.roles import Permission, least_role_for, role_allows
from miniapp.accounts.staff import access_staff, check_no_conflict, user_staff_roles
from miniapp.errors import Conflict, Forbidden, InvalidInput, NotFound

# How long an approval lasts when the reviewer names no date: WeChat's verification is yearly.
DEFAULT_VERIFIED_FOR = timedelta(days=365)
REASON_LENGTH = (1, 500)
# The company details an application carries: field -> (longest, error code); the columns' sizes.
TEXT_FIELDS: dict[str, tuple[int, str]] = {
    "company_name": (100, "company_name_invalid"),
    "registration_number": (64, "registration_number_invalid"),
    "legal_representative": (64, "legal_representative_invalid"),
}
# Staff who may read any organisation's private documents (they review them).
DOCUMENT_READERS = frozenset({StaffRole.REVIEWER, StaffRole.PLATFORM_ADMIN})


@dataclass(frozen=True, kw_only=True)
class UploadedDocument:
    """A file as the form carried it: its bytes and the name the browser gave it."""

    data: bytes
    file_name: str


@dataclass(frozen=True, kw_only=True)
class ApplicationEntry:
    """An application with who submitted and who decided it (None once they are deleted)."""

    application: OrganisationVerification
    submitted_by: User | None
    decided_by: User | None


def _public_id(raw: uuid.UUID | str) -> uuid.UUID:
    """A public id from a URL; anything else names a thing that does not exist."""
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise NotFound() from None


# --- checks -------------------------------------------------------------------------------------


def check_company_detail(raw: str, *, field: str) -> str:
    """A company detail (a TEXT_FIELDS name) with its whitespace collapsed: 1..N characters that
    read as what they are (reviewers compare them with the licence)."""
    longest, code = TEXT_FIELDS[field]
    value = " ".join(raw.split())
    if not 1 <= len(value) <= longest or not is_plain_text(value):
        raise InvalidInput(code, field=field, max_length=longest)
    return value


def check_reason(raw: str) -> str:
    """A rejection reason the organisation's admins will read: 1..500 characters of plain text.
    Line breaks are kept (a reviewer may list several points), other control characters not."""
    lines = [" ".join(line.split()) for line in raw.replace("\r\n", "\n").split("\n")]
    reason = "\n".join(lines).strip("\n")
    shortest, longest = REASON_LENGTH
    if not shortest <= len(reason) <= longest or not all(is_plain_text(line) for line in lines):
        raise InvalidInput("reason_invalid", field="reason", max_length=longest)
    return reason


def check_verified_until(raw: datetime, *, now: datetime) -> datetime:
    """An expiry as staff gave it (a naive time, or a bare date, is UTC), in UTC. It must be in
    the future: a verification that expired as it was recorded would be in force for nobody."""
    until = raw if raw.tzinfo is not None else raw.replace(tzinfo=UTC)
    if until <= now:
        raise InvalidInput("verified_until_invalid", field="verified_until")
    return until.astimezone(UTC)


def check_decision_filter(raw: str) -> VerificationDecision:
    try:
        return VerificationDecision(raw)
    except ValueError:
        raise InvalidInput("status_invalid", field="status") from None


# --- reading ------------------------------------------------------------------------------------


def _load_entries(
    session: Session, *conditions: ColumnElement[bool], newest_first: bool
) -> list[ApplicationEntry]:
    submitter = aliased(User)
    decider = aliased(User)
    order = (
        (OrganisationVerification.submitted_at.desc(), OrganisationVerification.id.desc())
        if newest_first
        else (OrganisationVerification.submitted_at, OrganisationVerification.id)
    )
    rows = session.execute(
        select(OrganisationVerification, submitter, decider)
        .options(
            joinedload(OrganisationVerification.organisation),
            joinedload(OrganisationVerification.licence_document),
            joinedload(OrganisationVerification.id_document),
        )
        .outerjoin(submitter, submitter.id == OrganisationVerification.submitted_by_id)
        .outerjoin(decider, decider.id == OrganisationVerification.decided_by_id)
        .where(*conditions)
        .order_by(*order)
        .execution_options(populate_existing=True)
    ).all()
    return [ApplicationEntry(application=a, submitted_by=s, decided_by=d) for a, s, d in rows]


def _entry(session: Session, *, application_id: int) -> ApplicationEntry:
    (entry,) = _load_entries(
        session, OrganisationVerification.id == application_id, newest_first=True
    )
    return entry


def list_verification_applications(
    session: Session, *, access: OrganisationAccess
) -> list[ApplicationEntry]:
    """The organisation's applications, newest first, with the reviewers' reasons. The caller
    checked `access` for VERIFICATION_MANAGE (admins)."""
    return _load_entries(
        session,
        OrganisationVerification.organisation_id == access.organisation.id,
        newest_first=True,
    )


def list_verification_queue(
    session: Session, *, user: UserRef, status: str = VerificationDecision.PENDING.value
) -> list[ApplicationEntry]:
    """Applications with `status` from every organisation, oldest first: the reviewers' queue."""
    access_staff(user, role=StaffRole.REVIEWER)
    decision = check_decision_filter(status)
    return _load_entries(session, OrganisationVerification.status == decision, newest_first=False)


# --- applying -----------------------------------------------------------------------------------


def _lock_organisation(session: Session, *, organisation_id: int) -> Organisation:
    """The organisation's row, locked and re-read: its verification may have changed since the
    request first read it."""
    return session.scalars(
        select(Organisation)
        .where(Organisation.id == organisation_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def _check_still_admin(session: Session, *, access: OrganisationAccess) -> None:
    """Under the organisation lock: the actor may have been demoted or removed since the access
    check."""
    role = session.scalar(select(Membership.role).where(Membership.id == access.membership.id))
    if role is None:
        raise NotFound()
    if not role_allows(role, Permission.VERIFICATION_MANAGE):
        raise Forbidden("role_required", role=least_role_for(Permission.VERIFICATION_MANAGE).value)


def do_apply_for_verification(
    session: Session,
    store: PrivateStore,
    *,
    access: OrganisationAccess,
    actor: UserRef,
    company_name: str,
    registration_number: str,
    legal_representative: str,
    licence: UploadedDocument,
    legal_rep_id: UploadedDocument,
) -> ApplicationEntry:
    """Apply for verification with the company's details, its business licence and its legal
    representative's ID (PNG, JPEG or PDF by content, ≤ 5 MB each).

    Precondition: `access` holds VERIFICATION_MANAGE (admins). Everything is checked before
    anything is stored; with an application already pending: 409 `verification_pending`, and
    nothing is stored (the files written are removed if the transaction rolls back).
    """
    details = {
        "company_name": check_company_detail(company_name, field="company_name"),
        "registration_number": check_company_detail(
            registration_number, field="registration_number"
        ),
        "legal_representative": check_company_detail(
            legal_representative, field="legal_representative"
        ),
    }
    uploads = {"licence": licence, "legal_rep_id": legal_rep_id}
    content_types = {kind: check_document(up.data, field=kind) for kind, up in uploads.items()}

    organisation = _lock_organisation(session, organisation_id=access.organisation.id)
    _check_still_admin(session, access=access)
    if _pending_application_id(session, organisation_id=organisation.id) is not None:
        raise Conflict("verification_pending")

    documents = {
        kind: do_store_private_document(
            session,
            store,
            organisation_id=organisation.id,
            kind=kind,
            data=upload.data,
            content_type=content_types[kind],
            file_name=upload.file_name,
            uploaded_by=actor,
        )
        for kind, upload in uploads.items()
    }
    application = OrganisationVerification(
        organisation_id=organisation.id,
        status=VerificationDecision.PENDING.value,
        licence_document_id=documents["licence"].id,
        id_document_id=documents["legal_rep_id"].id,
        submitted_by_id=actor.id,
        **details,
    )
    session.add(application)
    if organisation.verification_status != VerificationStatus.VERIFIED:
        organisation.verification_status = VerificationStatus.PENDING.value
    do_record_audit(
        session,
        organisation=organisation,
        actor=actor,
        action="verification.applied",
        company_name=details["company_name"],
        registration_number=details["registration_number"],
    )
    session.flush()
    return _entry(session, application_id=application.id)


def _pending_application_id(session: Session, *, organisation_id: int) -> int | None:
    return session.scalar(
        select(OrganisationVerification.id).where(
            OrganisationVerification.organisation_id == organisation_id,
            OrganisationVerification.status == VerificationDecision.PENDING,
        )
    )


# --- staff decisions ----------------------------------------------------------------------------


def _pending_for_decision(
    session: Session, *, user: UserRef, application_id: uuid.UUID | str
) -> tuple[Organisation, OrganisationVerification]:
    """The application and its organisation, locked in that order and re-read; 403
    `conflict_of_interest` if `user` is a member of it; 409 `verification_not_pending` if
    someone decided it first."""
    public_id = _public_id(application_id)
    organisation_id = session.scalar(
        select(OrganisationVerification.organisation_id).where(
            OrganisationVerification.public_id == public_id
        )
    )
    if organisation_id is None:
        raise NotFound()
    organisation = _lock_organisation(session, organisation_id=organisation_id)
    check_no_conflict(session, user=user, organisation_id=organisation.id)
    application = session.scalars(
        select(OrganisationVerification)
        .where(OrganisationVerification.public_id == public_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if application.status != VerificationDecision.PENDING:
        raise Conflict("verification_not_pending", status=application.status)
    return organisation, application


def do_approve_verification(
    session: Session,
    *,
    user: UserRef,
    application_id: uuid.UUID | str,
    fee_paid: bool,
    verified_until: datetime | None,
    now: datetime,
) -> ApplicationEntry:
    """Approve a pending application (reviewers): the organisation is verified until
    `verified_until` (default a year from `now`; it must be in the future), in force once the
    fee is paid."""
    access_staff(user, role=StaffRole.REVIEWER)
    until = (
        now + DEFAULT_VERIFIED_FOR
        if verified_until is None
        else check_verified_until(verified_until, now=now)
    )
    organisation, application = _pending_for_decision(
        session, user=user, application_id=application_id
    )
    application.status = VerificationDecision.APPROVED.value
    application.decided_by_id = user.id
    application.decided_at = now
    organisation.verification_status = VerificationStatus.VERIFIED.value
    organisation.verification_fee_paid = fee_paid
    organisation.verified_until = until
    do_record_audit(
        session,
        organisation=organisation,
        actor=user,
        action="verification.approved",
        application=str(application.public_id),
        fee_paid=fee_paid,
        verified_until=until.isoformat(),
    )
    session.flush()
    return _entry(session, application_id=application.id)


def do_reject_verification(
    session: Session, *, user: UserRef, application_id: uuid.UUID | str, reason: str, now: datetime
) -> ApplicationEntry:
    """Reject a pending application with a reason its organisation's admins read (reviewers).
    A verification already in force (this was a renewal) stays in force until it expires."""
    access_staff(user, role=StaffRole.REVIEWER)
    checked = check_reason(reason)
    organisation, application = _pending_for_decision(
        session, user=user, application_id=application_id
    )
    application.status = VerificationDecision.REJECTED.value
    application.decided_by_id = user.id
    application.decided_at = now
    application.reason = checked
    if organisation.verification_status != VerificationStatus.VERIFIED:
        organisation.verification_status = VerificationStatus.REJECTED.value
    do_record_audit(
        session,
        organisation=organisation,
        actor=user,
        action="verification.rejected",
        application=str(application.public_id),
        reason=checked,
    )
    session.flush()
    return _entry(session, application_id=application.id)


def do_record_verification_fee(
    session: Session,
    *,
    user: UserRef,
    organisation_id: uuid.UUID | str,
    fee_paid: bool,
    verified_until: datetime | None,
    now: datetime,
) -> Organisation:
    """Record the yearly fee as paid or unpaid, and the expiry (staff). Without
    `verified_until` the expiry stays as it is (a year from `now` if there is none yet and the
    fee is paid); a new expiry must be in the future."""
    access_staff(user, role=StaffRole.REVIEWER)
    until = None if verified_until is None else check_verified_until(verified_until, now=now)
    pk = session.scalar(
        select(Organisation.id).where(Organisation.public_id == _public_id(organisation_id))
    )
    if pk is None:
        raise NotFound()
    organisation = _lock_organisation(session, organisation_id=pk)
    check_no_conflict(session, user=user, organisation_id=organisation.id)
    if until is None and organisation.verified_until is None and fee_paid:
        until = now + DEFAULT_VERIFIED_FOR
    organisation.verification_fee_paid = fee_paid
    if until is not None:
        organisation.verified_until = until
    detail: dict[str, Any] = {"fee_paid": fee_paid}
    if organisation.verified_until is not None:
        detail["verified_until"] = organisation.verified_until.isoformat()
    do_record_audit(
        session, organisation=organisation, actor=user, action="verification.fee_recorded", **detail
    )
    session.flush()
    return organisation


# --- private documents --------------------------------------------------------------------------


def access_private_document(
    session: Session,
    *,
    user: UserRef,
    organisation_id: uuid.UUID | str,
    document_id: uuid.UUID | str,
) -> PrivateDocument:
    """A private document of the organisation, for its admins and for reviewing staff.

    Everyone else, members in other roles included, gets 404: that a document exists is not
    theirs to learn. A document id under another organisation's id is not found either.
    """
    document = session.scalars(
        select(PrivateDocument)
        .join(Organisation, Organisation.id == PrivateDocument.organisation_id)
        .where(
            Organisation.public_id == _public_id(organisation_id),
            PrivateDocument.public_id == _public_id(document_id),
        )
    ).one_or_none()
    if document is None:
        raise NotFound()
    if DOCUMENT_READERS.intersection(user_staff_roles(user)):
        return document
    role = session.scalar(
        select(Membership.role).where(
            Membership.organisation_id == document.organisation_id, Membership.user_id == user.id
        )
    )
    # An app's permits belong to its profile, the rest to the organisation's verification; both
    # permissions are the admins' alone.
    permission = (
        Permission.APP_MANAGE if document.app_id is not None else Permission.VERIFICATION_MANAGE
    )
    if role is None or not role_allows(role, permission):
        raise NotFound()
    return document


def read_private_document(store: PrivateStore, document: PrivateDocument) -> bytes:
    """The document's bytes (`document` came from `access_private_document`); 404 if the file
    is gone from the store."""
    try:
        return store.read(document.storage_key)
    except (FileNotFoundError, ValueError):
        raise NotFound() from None
