"""Business verification over HTTP: the admins' console routes (apply, read the state and the
history, read a private document) and the staff routes (queue, approve, reject, fee)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status

from miniapp.accounts.organisations import access_organisation
from miniapp.accounts.private_documents import MAX_DOCUMENT_BYTES, PrivateStore
from miniapp.accounts.request_auth import CallerDep, DatabaseDep, SettingsDep
from miniapp.accounts.roles import Permission
from miniapp.accounts.schemas import VerificationStateOut
from miniapp.accounts.verification import (
    ApplicationEntry,
    UploadedDocument,
    access_private_document,
    do_apply_for_verification,
    do_approve_verification,
    do_record_verification_fee,
    do_reject_verification,
    list_verification_applications,
    list_verification_queue,
    read_private_document,
)
from miniapp.accounts.verification_schemas import (
    ApplicationEnvelope,
    ApplicationList,
    ApplicationOut,
    ApproveIn,
    FeeIn,
    RejectIn,
    VerificationEnvelope,
    VerificationOverview,
)
from miniapp.clock import utc_now
from miniapp.errors import InvalidInput

router = APIRouter(tags=["verification"])

# A document is handed out as a download that nothing renders in our origin: no sniffing (the
# security headers middleware adds nosniff to every response), no caching, and a sandbox should
# a browser show it anyway.
DOCUMENT_HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}

# Every part of the form is optional here so that a missing one gets the same error as a bad one
# (company_name_invalid, document_invalid, ...) rather than a generic validation error.
TextPart = Annotated[str, Form()]
FilePart = Annotated[UploadFile | None, File()]


def _uploaded(upload: UploadFile | None, *, field: str) -> UploadedDocument:
    """The upload's bytes, read no further than one byte past the limit (enough to refuse it)."""
    if upload is None:
        raise InvalidInput("document_invalid", field=field)
    return UploadedDocument(
        data=upload.file.read(MAX_DOCUMENT_BYTES + 1), file_name=upload.filename or field
    )


def _envelope(entry: ApplicationEntry) -> ApplicationEnvelope:
    return ApplicationEnvelope(
        application=ApplicationOut.of(entry),
        verification=VerificationStateOut.of(entry.application.organisation),
    )


def attachment_disposition(file_name: str) -> str:
    """`attachment` with the name: plain for ASCII, plus RFC 5987's filename* otherwise."""
    fallback = file_name.encode("ascii", "replace").decode("ascii").replace("?", "_")
    header = f'attachment; filename="{fallback}"'
    if fallback != file_name:
        header += f"; filename*=UTF-8''{quote(file_name, safe='')}"
    return header


# --- console: the organisation's admins ---------------------------------------------------------


@router.post(
    "/api/console/organisations/{org_id}/verification",
    response_model=ApplicationEnvelope,
    status_code=status.HTTP_201_CREATED,
)
def apply_for_verification(
    org_id: str,
    *,
    caller: CallerDep,
    database: DatabaseDep,
    settings: SettingsDep,
    company_name: TextPart = "",
    registration_number: TextPart = "",
    legal_representative: TextPart = "",
    licence: FilePart = None,
    legal_rep_id: FilePart = None,
) -> ApplicationEnvelope:
    """Apply for business verification (admins; multipart). The licence and the legal
    representative's ID must be PNG, JPEG or PDF (by content), ≤ 5 MB each. While an
    application is pending: 409 verification_pending."""
    with database.transaction() as session:
        access = access_organisation(
            session,
            user=caller.user,
            organisation_id=org_id,
            permission=Permission.VERIFICATION_MANAGE,
        )
        entry = do_apply_for_verification(
            session,
            PrivateStore.for_settings(settings),
            access=access,
            actor=caller.user,
            company_name=company_name,
            registration_number=registration_number,
            legal_representative=legal_representative,
            licence=_uploaded(licence, field="licence"),
            legal_rep_id=_uploaded(legal_rep_id, field="legal_rep_id"),
        )
        return _envelope(entry)


@router.get("/api/console/organisations/{org_id}/verification", response_model=VerificationOverview)
def get_verification(org_id: str, caller: CallerDep, database: DatabaseDep) -> VerificationOverview:
    """The verification's state and every application, newest first, with reviewers' reasons
    (admins)."""
    with database.read() as session:
        access = access_organisation(
            session,
            user=caller.user,
            organisation_id=org_id,
            permission=Permission.VERIFICATION_MANAGE,
        )
        entries = list_verification_applications(session, access=access)
        return VerificationOverview(
            verification=VerificationStateOut.of(access.organisation),
            applications=[ApplicationOut.of(entry) for entry in entries],
        )


@router.get("/api/console/organisations/{org_id}/documents/{doc_id}", response_class=Response)
def get_document(
    org_id: str, doc_id: str, caller: CallerDep, database: DatabaseDep, settings: SettingsDep
) -> Response:
    """A private document, as a download (the organisation's admins, and reviewing staff;
    anyone else: 404)."""
    with database.read() as session:
        document = access_private_document(
            session, user=caller.user, organisation_id=org_id, document_id=doc_id
        )
    data = read_private_document(PrivateStore.for_settings(settings), document)
    return Response(
        content=data,
        media_type=document.content_type,
        headers={
            **DOCUMENT_HEADERS,
            "Content-Disposition": attachment_disposition(document.file_name),
        },
    )


# --- staff: reviewers and platform admins -------------------------------------------------------


@router.get("/api/staff/verifications", response_model=ApplicationList)
def get_verification_queue(
    caller: CallerDep,
    database: DatabaseDep,
    decision: Annotated[str, Query(alias="status", max_length=16)] = "pending",
) -> ApplicationList:
    """Applications with `status` (default pending), oldest first (reviewers)."""
    with database.read() as session:
        entries = list_verification_queue(session, user=caller.user, status=decision)
        return ApplicationList(applications=[ApplicationOut.of(entry) for entry in entries])


@router.post(
    "/api/staff/verifications/{application_id}/approve", response_model=ApplicationEnvelope
)
def approve_verification(
    application_id: str, body: ApproveIn, caller: CallerDep, database: DatabaseDep
) -> ApplicationEnvelope:
    """Approve a pending application: verified until `verified_until` (default a year from
    now), in force once the fee is paid (reviewers)."""
    with database.transaction() as session:
        entry = do_approve_verification(
            session,
            user=caller.user,
            application_id=application_id,
            fee_paid=body.fee_paid,
            verified_until=body.verified_until,
            now=utc_now(),
        )
        return _envelope(entry)


@router.post("/api/staff/verifications/{application_id}/reject", response_model=ApplicationEnvelope)
def reject_verification(
    application_id: str, body: RejectIn, caller: CallerDep, database: DatabaseDep
) -> ApplicationEnvelope:
    """Reject a pending application with a reason the organisation's admins read (reviewers)."""
    with database.transaction() as session:
        entry = do_reject_verification(
            session,
            user=caller.user,
            application_id=application_id,
            reason=body.reason,
            now=utc_now(),
        )
        return _envelope(entry)


@router.post(
    "/api/staff/organisations/{org_id}/verification-fee", response_model=VerificationEnvelope
)
def record_verification_fee(
    org_id: str, body: FeeIn, caller: CallerDep, database: DatabaseDep
) -> VerificationEnvelope:
    """Record the yearly verification fee as paid or unpaid, and its expiry (staff)."""
    with database.transaction() as session:
        organisation = do_record_verification_fee(
            session,
            user=caller.user,
            organisation_id=org_id,
            fee_paid=body.fee_paid,
            verified_until=body.verified_until,
            now=utc_now(),
        )
        return VerificationEnvelope(verification=VerificationStateOut.of(organisation))
