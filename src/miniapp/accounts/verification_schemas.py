"""The verification API's shapes at the edge (pydantic): applications, decisions, documents."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from miniapp.accounts.models import Organisation, PrivateDocument
from miniapp.accounts.schemas import ActorOut, VerificationStateOut
from miniapp.accounts.verification import ApplicationEntry


def document_url(*, organisation: Organisation, document: PrivateDocument) -> str:
    """Where the organisation's admins and reviewers read a private document (never public)."""
    return f"/api/console/organisations/{organisation.public_id}/documents/{document.public_id}"


class DocumentOut(BaseModel):
    id: uuid.UUID
    kind: str = Field(description="licence | legal_rep_id | permit:<id>")
    file_name: str
    content_type: str
    size: int
    url: str = Field(description="Readable by the organisation's admins and by reviewers only.")

    @classmethod
    def of(cls, document: PrivateDocument, *, organisation: Organisation) -> DocumentOut:
        return cls(
            id=document.public_id,
            kind=document.kind,
            file_name=document.file_name,
            content_type=document.content_type,
            size=document.size,
            url=document_url(organisation=organisation, document=document),
        )


class ApplicationOrganisationOut(BaseModel):
    id: uuid.UUID
    name: str


class ApplicationOut(BaseModel):
    """One application for business verification and the platform's decision on it."""

    id: uuid.UUID
    organisation: ApplicationOrganisationOut
    status: str = Field(description="pending | approved | rejected | withdrawn")
    company_name: str
    registration_number: str
    legal_representative: str
    licence: DocumentOut
    legal_rep_id: DocumentOut
    submitted_by: ActorOut | None
    submitted_at: datetime
    decided_by: ActorOut | None
    decided_at: datetime | None
    reason: str | None = Field(description="Why it was rejected, for the organisation's admins.")

    @classmethod
    def of(cls, entry: ApplicationEntry) -> ApplicationOut:
        application = entry.application
        organisation = application.organisation
        return cls(
            id=application.public_id,
            organisation=ApplicationOrganisationOut(
                id=organisation.public_id, name=organisation.name
            ),
            status=application.status,
            company_name=application.company_name,
            registration_number=application.registration_number,
            legal_representative=application.legal_representative,
            licence=DocumentOut.of(application.licence_document, organisation=organisation),
            legal_rep_id=DocumentOut.of(application.id_document, organisation=organisation),
            submitted_by=ActorOut.of(entry.submitted_by),
            submitted_at=application.submitted_at,
            decided_by=ActorOut.of(entry.decided_by),
            decided_at=application.decided_at,
            reason=application.reason,
        )


class ApplicationEnvelope(BaseModel):
    """An application, and its organisation's verification after the change."""

    application: ApplicationOut
    verification: VerificationStateOut


class VerificationOverview(BaseModel):
    verification: VerificationStateOut
    applications: list[ApplicationOut] = Field(description="Newest first.")


class ApplicationList(BaseModel):
    applications: list[ApplicationOut] = Field(description="Oldest first.")


class ApproveIn(BaseModel):
    fee_paid: bool = Field(description="Whether the yearly verification fee has been paid.")
    verified_until: datetime | None = Field(
        default=None,
        description="The expiry (ISO date or time; UTC unless it says otherwise), in the future. "
        "Default: one year from now.",
    )


class RejectIn(BaseModel):
    reason: str = Field(max_length=2000, description="1 to 500 characters; the admins read it.")


class FeeIn(BaseModel):
    fee_paid: bool
    verified_until: datetime | None = Field(
        default=None,
        description="The new expiry, in the future. Omitted: unchanged (one year from now if "
        "there is none yet and the fee is paid).",
    )


class VerificationEnvelope(BaseModel):
    verification: VerificationStateOut
