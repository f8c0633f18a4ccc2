"""/api/console: developer activation, organisations, members, invitations and roles, audit log."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from miniapp.accounts.organisations import (
    access_organisation,
    do_accept_invitation,
    do_change_member_role,
    do_create_organisation,
    do_decline_invitation,
    do_invite_member,
    do_remove_member,
    list_audit_events,
    list_members,
    list_my_invitations,
    list_my_organisations,
)
from miniapp.accounts.request_auth import CallerDep, DatabaseDep
from miniapp.accounts.roles import Permission
from miniapp.accounts.schemas import (
    AuditEventOut,
    AuditList,
    InvitationList,
    InvitationOut,
    MemberEnvelope,
    MemberIn,
    MemberList,
    MemberOut,
    OrganisationEnvelope,
    OrganisationIn,
    OrganisationList,
    OrganisationOut,
    RoleIn,
    UserEnvelope,
    UserOut,
)
from miniapp.accounts.users import do_activate_developer
from miniapp.clock import utc_now

router = APIRouter(prefix="/api/console", tags=["console"])


@router.post("/developer", response_model=UserEnvelope)
def activate_developer(caller: CallerDep, database: DatabaseDep) -> UserEnvelope:
    """Turn the signed-in host account into a developer account (idempotent)."""
    with database.transaction() as session:
        user = do_activate_developer(session, user=caller.user_row(session), now=utc_now())
        out = UserOut.of(user)
    return UserEnvelope(user=out)


@router.get("/organisations", response_model=OrganisationList)
def my_organisations(caller: CallerDep, database: DatabaseDep) -> OrganisationList:
    with database.read() as session:
        accesses = list_my_organisations(session, user=caller.user)
        return OrganisationList(organisations=[OrganisationOut.of(a) for a in accesses])


@router.post(
    "/organisations", response_model=OrganisationEnvelope, status_code=status.HTTP_201_CREATED
)
def create_organisation(
    body: OrganisationIn, caller: CallerDep, database: DatabaseDep
) -> OrganisationEnvelope:
    """Register an organisation; its creator becomes its first admin."""
    with database.transaction() as session:
        access = do_create_organisation(session, creator=caller.user, name=body.name)
        out = OrganisationOut.of(access)
    return OrganisationEnvelope(organisation=out)


@router.get("/organisations/{org_id}", response_model=OrganisationEnvelope)
def get_organisation(org_id: str, caller: CallerDep, database: DatabaseDep) -> OrganisationEnvelope:
    with database.read() as session:
        access = access_organisation(session, user=caller.user, organisation_id=org_id)
        return OrganisationEnvelope(organisation=OrganisationOut.of(access))


@router.get("/organisations/{org_id}/members", response_model=MemberList)
def get_members(org_id: str, caller: CallerDep, database: DatabaseDep) -> MemberList:
    """The members with their roles; admins also see pending invitations and everyone's login
    (email or mobile number), which is null for everybody else."""
    with database.read() as session:
        access = access_organisation(session, user=caller.user, organisation_id=org_id)
        return MemberList(members=[MemberOut.of(m) for m in list_members(session, access=access)])


@router.post(
    "/organisations/{org_id}/members",
    response_model=MemberEnvelope,
    status_code=status.HTTP_201_CREATED,
)
def invite_member(
    org_id: str, body: MemberIn, caller: CallerDep, database: DatabaseDep
) -> MemberEnvelope:
    """Invite an existing account with a role (admins only). The answer is the invitation
    (status "invited"): it grants nothing until the invited user accepts it."""
    with database.transaction() as session:
        access = access_organisation(
            session, user=caller.user, organisation_id=org_id, permission=Permission.MEMBERS_MANAGE
        )
        entry = do_invite_member(
            session, access=access, actor=caller.user, login=body.login, role=body.role
        )
        out = MemberOut.of(entry)
    return MemberEnvelope(member=out)


@router.patch("/organisations/{org_id}/members/{user_id}", response_model=MemberEnvelope)
def change_member_role(
    org_id: str, user_id: str, body: RoleIn, caller: CallerDep, database: DatabaseDep
) -> MemberEnvelope:
    """Change a member's role, or the role an invitation offers (admins only); the last admin
    cannot be demoted."""
    with database.transaction() as session:
        access = access_organisation(
            session, user=caller.user, organisation_id=org_id, permission=Permission.MEMBERS_MANAGE
        )
        entry = do_change_member_role(
            session, access=access, actor=caller.user, user_id=user_id, role=body.role
        )
        out = MemberOut.of(entry)
    return MemberEnvelope(member=out)


@router.delete("/organisations/{org_id}/members/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_member(org_id: str, user_id: str, caller: CallerDep, database: DatabaseDep) -> Response:
    """Leave (your own user id, any role), or remove a member or cancel an invitation (admins
    only). The last admin can neither leave nor be removed."""
    with database.transaction() as session:
        access = access_organisation(session, user=caller.user, organisation_id=org_id)
        do_remove_member(session, access=access, actor=caller.user, user_id=user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/organisations/{org_id}/audit", response_model=AuditList)
def get_audit(org_id: str, caller: CallerDep, database: DatabaseDep) -> AuditList:
    """Every change to the organisation, newest first (admins only)."""
    with database.read() as session:
        access = access_organisation(
            session, user=caller.user, organisation_id=org_id, permission=Permission.AUDIT_READ
        )
        events = list_audit_events(session, access=access)
        return AuditList(events=[AuditEventOut.of(event, actor) for event, actor in events])


@router.get("/invitations", response_model=InvitationList)
def my_invitations(caller: CallerDep, database: DatabaseDep) -> InvitationList:
    """Invitations waiting for the signed-in user's answer: the organisation, the role it offers
    and who invited them. Until accepted, an invitation grants nothing."""
    with database.read() as session:
        invitations = list_my_invitations(session, user=caller.user)
        return InvitationList(invitations=[InvitationOut.of(i) for i in invitations])


@router.post("/invitations/{org_id}/accept", response_model=OrganisationEnvelope)
def accept_invitation(
    org_id: str, caller: CallerDep, database: DatabaseDep
) -> OrganisationEnvelope:
    """Accept your invitation to organisation `org_id`: you become a member with the role it
    offers. Without an invitation of your own to it: 404."""
    with database.transaction() as session:
        access = do_accept_invitation(session, user=caller.user, organisation_id=org_id)
        out = OrganisationOut.of(access)
    return OrganisationEnvelope(organisation=out)


@router.post("/invitations/{org_id}/decline", status_code=status.HTTP_204_NO_CONTENT)
def decline_invitation(org_id: str, caller: CallerDep, database: DatabaseDep) -> Response:
    """Decline your invitation to organisation `org_id`; nothing else changes. Without an
    invitation of your own to it: 404."""
    with database.transaction() as session:
        do_decline_invitation(session, user=caller.user, organisation_id=org_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
