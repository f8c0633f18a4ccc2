"""The accounts API's shapes at the edge (pydantic)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from miniapp.accounts.models import AuditEvent, Invitation, Organisation, User
from miniapp.accounts.organisations import MemberEntry, MemberStatus, OrganisationAccess
from miniapp.accounts.principal import Principal
from miniapp.accounts.verification_status import is_verified
from miniapp.clock import utc_now


class SignUpIn(BaseModel):
    login: str = Field(max_length=254, description="An email address or a mobile number.")
    password: str = Field(max_length=256)
    display_name: str = Field(max_length=200)
    language: str | None = None


class LogInIn(BaseModel):
    login: str = Field(max_length=254)
    password: str = Field(max_length=256)


class PasswordChangeIn(BaseModel):
    current_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)


class ProfileIn(BaseModel):
    display_name: str | None = Field(default=None, max_length=200)
    language: str | None = None


class UserOut(BaseModel):
    id: uuid.UUID
    email: str | None
    phone: str | None
    display_name: str
    language: str | None
    is_developer: bool
    staff_roles: list[str]

    @classmethod
    def of(cls, user: User | Principal) -> UserOut:
        if isinstance(user, User):
            user = Principal.of(user)
        return cls(
            id=user.public_id,
            email=user.email,
            phone=user.phone,
            display_name=user.display_name,
            language=user.language,
            is_developer=user.developer_since is not None,
            staff_roles=list(user.staff_roles),
        )


class UserEnvelope(BaseModel):
    user: UserOut


class CSRFOut(BaseModel):
    csrf_token: str


class OrganisationIn(BaseModel):
    name: str = Field(max_length=300)


class VerificationStateOut(BaseModel):
    """Where an organisation's business verification stands (docs/release-journey.md §1)."""

    status: str = Field(description="unverified | pending | verified | rejected")
    fee_paid: bool = Field(description="Whether the yearly verification fee is recorded as paid.")
    verified_until: datetime | None
    in_force: bool = Field(
        description="Verified, fee paid and not expired now: the organisation may release."
    )

    @classmethod
    def of(cls, organisation: Organisation, *, now: datetime | None = None) -> VerificationStateOut:
        return cls(
            status=organisation.verification_status,
            fee_paid=organisation.verification_fee_paid,
            verified_until=organisation.verified_until,
            in_force=is_verified(organisation, now=now or utc_now()),
        )


class OrganisationOut(BaseModel):
    id: uuid.UUID
    name: str
    my_role: str
    created_at: datetime
    verification: VerificationStateOut

    @classmethod
    def of(cls, access: OrganisationAccess) -> OrganisationOut:
        return cls(
            id=access.organisation.public_id,
            name=access.organisation.name,
            my_role=access.role,
            created_at=access.organisation.created_at,
            verification=VerificationStateOut.of(access.organisation),
        )


class OrganisationEnvelope(BaseModel):
    organisation: OrganisationOut


class OrganisationList(BaseModel):
    organisations: list[OrganisationOut]


class MemberUserOut(BaseModel):
    id: uuid.UUID
    display_name: str
    login: str | None = Field(
        description="Email or mobile number; null unless the caller manages members (admins)."
    )


class MemberOut(BaseModel):
    user: MemberUserOut
    role: str
    status: MemberStatus = Field(
        description="active: a member. invited: invited, not yet accepted; grants nothing."
    )
    added_at: datetime = Field(description="When they joined, or when they were invited.")

    @classmethod
    def of(cls, entry: MemberEntry) -> MemberOut:
        user = entry.user
        return cls(
            user=MemberUserOut(
                id=user.public_id, display_name=user.display_name, login=entry.login
            ),
            role=entry.role,
            status=entry.status,
            added_at=entry.added_at,
        )


class MemberIn(BaseModel):
    login: str = Field(max_length=254, description="The email or mobile number of an account.")
    role: str = Field(max_length=32, description="The role the invitation offers.")


class RoleIn(BaseModel):
    role: str = Field(max_length=32)


class MemberEnvelope(BaseModel):
    member: MemberOut


class MemberList(BaseModel):
    members: list[MemberOut]


class ActorOut(BaseModel):
    id: uuid.UUID
    display_name: str

    @classmethod
    def of(cls, user: User | None) -> ActorOut | None:
        return cls(id=user.public_id, display_name=user.display_name) if user else None


class InvitationOrganisationOut(BaseModel):
    id: uuid.UUID
    name: str


class InvitationOut(BaseModel):
    organisation: InvitationOrganisationOut
    role: str = Field(description="The role the organisation offers.")
    invited_by: ActorOut | None = Field(description="Who invited you; null if since deleted.")
    invited_at: datetime

    @classmethod
    def of(cls, invitation: Invitation) -> InvitationOut:
        organisation = invitation.organisation
        return cls(
            organisation=InvitationOrganisationOut(
                id=organisation.public_id, name=organisation.name
            ),
            role=invitation.role,
            invited_by=ActorOut.of(invitation.invited_by),
            invited_at=invitation.created_at,
        )


class InvitationList(BaseModel):
    invitations: list[InvitationOut]


class AuditEventOut(BaseModel):
    id: int
    action: str
    actor: ActorOut | None
    detail: dict[str, Any]
    created_at: datetime

    @classmethod
    def of(cls, event: AuditEvent, actor: User | None) -> AuditEventOut:
        return cls(
            id=event.id,
            action=event.action,
            actor=ActorOut.of(actor),
            detail=event.detail,
            created_at=event.created_at,
        )


class AuditList(BaseModel):
    events: list[AuditEventOut]


class StaffIn(BaseModel):
    login: str = Field(max_length=254)
    role: str = Field(max_length=32)


class StaffList(BaseModel):
    staff: list[UserOut]
