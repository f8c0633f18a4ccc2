"""Organisations, their members, invitations and roles, and the audit log of every change to them.

Nobody becomes a member without saying yes, as in WeChat, where an invited project member must
confirm: an admin invites an existing account with a role; the Invitation grants nothing (the
organisation stays hidden from its user, as from anyone outside) until the invited user accepts
it and it becomes a Membership. Any member may leave; an organisation always keeps an admin.

Every change to who belongs, and with which role, takes the organisation's row lock first
(lock_objects.py), then re-reads what it depends on.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from miniapp.accounts.credentials import is_plain_text
from miniapp.accounts.lock_objects import lock_organisation
from miniapp.accounts.models import (
    AuditEvent,
    Invitation,
    Membership,
    Organisation,
    OrgRole,
    User,
)
from miniapp.accounts.principal import UserRef
from miniapp.accounts.roles import Permission, least_role_for, role_allows
from miniapp.accounts.users import find_user_by_login
from miniapp.errors import Conflict, Forbidden, InvalidInput, NotFound

ORGANISATION_NAME_LENGTH = (2, 100)


class MemberStatus(enum.StrEnum):
    """Where a person in an organisation's member list stands."""

    ACTIVE = "active"  # a member: their role's permissions apply
    INVITED = "invited"  # invited, not yet accepted: nothing applies


@dataclass(frozen=True, kw_only=True)
class OrganisationAccess:
    organisation: Organisation
    membership: Membership

    @property
    def role(self) -> str:
        return self.membership.role


@dataclass(frozen=True, kw_only=True)
class MemberEntry:
    """One row of an organisation's member list, as the member asking may see it."""

    user: User
    login: str | None  # the email or mobile number; None unless the asker manages members
    role: str
    status: MemberStatus
    added_at: datetime  # when they joined, or when they were invited

    @classmethod
    def of_membership(cls, membership: Membership, *, show_login: bool) -> MemberEntry:
        return cls(
            user=membership.user,
            login=membership.user.login if show_login else None,
            role=membership.role,
            status=MemberStatus.ACTIVE,
            added_at=membership.created_at,
        )

    @classmethod
    def of_invitation(cls, invitation: Invitation) -> MemberEntry:
        # Only members who manage members ever see invitations, so the login is always shown.
        return cls(
            user=invitation.user,
            login=invitation.user.login,
            role=invitation.role,
            status=MemberStatus.INVITED,
            added_at=invitation.created_at,
        )


def _public_id(raw: uuid.UUID | str) -> uuid.UUID:
    """A public id from a URL; anything else is a thing that does not exist."""
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise NotFound() from None


def check_role(raw: str) -> OrgRole:
    try:
        return OrgRole(raw)
    except ValueError:
        raise InvalidInput("invalid_role", field="role") from None


def check_organisation_name(raw: str) -> str:
    """The name with its whitespace collapsed, if it is 2-100 characters others can read as is.

    Control, bidi-override and zero-width characters are refused: members and invited people
    read this name, and it must look like what it is (NUL would also break PostgreSQL).
    """
    name = " ".join(raw.split())
    shortest, longest = ORGANISATION_NAME_LENGTH
    if not shortest <= len(name) <= longest or not is_plain_text(name):
        raise InvalidInput("organisation_name_invalid", field="name")
    return name


def check_manages_members(access: OrganisationAccess) -> None:
    if not role_allows(access.role, Permission.MEMBERS_MANAGE):
        raise Forbidden("role_required", role=least_role_for(Permission.MEMBERS_MANAGE).value)


def access_organisation(
    session: Session,
    *,
    user: UserRef,
    organisation_id: uuid.UUID | str,
    permission: Permission = Permission.MEMBERS_READ,
) -> OrganisationAccess:
    """The organisation if `user` is a member whose role holds `permission`.

    Non-members get NotFound, not Forbidden: an organisation's existence is not theirs to learn.
    That includes people with a pending invitation: they see it only among their invitations.
    """
    public_id = _public_id(organisation_id)
    row = session.execute(
        select(Organisation, Membership)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Organisation.public_id == public_id, Membership.user_id == user.id)
    ).one_or_none()
    if row is None:
        raise NotFound()
    organisation, membership = row
    if not role_allows(membership.role, permission):
        raise Forbidden("role_required", role=least_role_for(permission).value)
    return OrganisationAccess(organisation=organisation, membership=membership)


def list_my_organisations(session: Session, *, user: UserRef) -> list[OrganisationAccess]:
    rows = session.execute(
        select(Organisation, Membership)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user.id)
        .order_by(Organisation.created_at, Organisation.id)
    ).all()
    return [OrganisationAccess(organisation=org, membership=m) for org, m in rows]


def list_my_invitations(session: Session, *, user: UserRef) -> list[Invitation]:
    """The invitations waiting for `user`'s answer, oldest first."""
    return list(
        session.scalars(
            select(Invitation)
            .options(joinedload(Invitation.organisation), joinedload(Invitation.invited_by))
            .where(Invitation.user_id == user.id)
            .order_by(Invitation.created_at, Invitation.id)
        )
    )


def do_record_audit(
    session: Session, *, organisation: Organisation, actor: UserRef, action: str, **detail: Any
) -> None:
    """Add an entry to the organisation's audit log, in the caller's transaction (so a change
    and its entry commit together or not at all). `detail` must be JSON: plain values only."""
    session.add(
        AuditEvent(organisation_id=organisation.id, actor_id=actor.id, action=action, detail=detail)
    )


def do_create_organisation(session: Session, *, creator: UserRef, name: str) -> OrganisationAccess:
    if creator.developer_since is None:
        raise Forbidden("not_a_developer")
    organisation = Organisation(name=check_organisation_name(name), created_by_id=creator.id)
    session.add(organisation)
    session.flush()
    membership = Membership(organisation_id=organisation.id, user_id=creator.id, role=OrgRole.ADMIN)
    session.add(membership)
    do_record_audit(
        session,
        organisation=organisation,
        actor=creator,
        action="organisation.created",
        name=organisation.name,
    )
    session.flush()
    return OrganisationAccess(organisation=organisation, membership=membership)


def list_members(session: Session, *, access: OrganisationAccess) -> list[MemberEntry]:
    """The members, then (for those who manage members) the people invited.

    Logins (email addresses, mobile numbers) are shown only to those who manage members; other
    members see display names.
    """
    manages = role_allows(access.role, Permission.MEMBERS_MANAGE)
    memberships = session.scalars(
        select(Membership)
        .options(joinedload(Membership.user))
        .where(Membership.organisation_id == access.organisation.id)
        .order_by(Membership.created_at, Membership.id)
    )
    entries = [MemberEntry.of_membership(m, show_login=manages) for m in memberships]
    if manages:
        invitations = session.scalars(
            select(Invitation)
            .options(joinedload(Invitation.user))
            .where(Invitation.organisation_id == access.organisation.id)
            .order_by(Invitation.created_at, Invitation.id)
        )
        entries += [MemberEntry.of_invitation(invitation) for invitation in invitations]
    return entries


def _lock_for_member_change(session: Session, *, access: OrganisationAccess) -> None:
    """Lock the organisation, then re-check that the actor still manages members.

    The access check ran before the lock; another admin may have demoted or removed the actor
    since.
    """
    check_manages_members(access)
    lock_organisation(session, organisation_id=access.organisation.id)
    role = session.scalar(select(Membership.role).where(Membership.id == access.membership.id))
    if role is None:
        raise NotFound()
    if not role_allows(role, Permission.MEMBERS_MANAGE):
        raise Forbidden("role_required", role=OrgRole.ADMIN.value)


def _target_for_update(
    session: Session, *, access: OrganisationAccess, user_id: uuid.UUID
) -> Membership | Invitation:
    """The member or invitation of the user `user_id`, read after the organisation lock."""
    _lock_for_member_change(session, access=access)
    membership = session.scalars(
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .options(joinedload(Membership.user))
        .where(Membership.organisation_id == access.organisation.id, User.public_id == user_id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if membership is not None:
        return membership
    invitation = session.scalars(
        select(Invitation)
        .join(User, User.id == Invitation.user_id)
        .options(joinedload(Invitation.user))
        .where(Invitation.organisation_id == access.organisation.id, User.public_id == user_id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if invitation is None:
        raise NotFound()
    return invitation


def _check_keeps_an_admin(session: Session, *, membership: Membership) -> None:
    """Refuse to take away the organisation's last admin. The caller holds the organisation lock.

    Invitations never count: an invited admin is nobody's admin until they accept.
    """
    if membership.role != OrgRole.ADMIN:
        return
    admins = session.scalar(
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.organisation_id == membership.organisation_id,
            Membership.role == OrgRole.ADMIN,
        )
    )
    if (admins or 0) <= 1:
        raise Conflict("last_admin")


def _check_not_yet_in(session: Session, *, organisation_id: int, user: User) -> None:
    """Refuse a second invitation for a member or for someone already invited (lock held)."""
    member = session.scalar(
        select(Membership.id).where(
            Membership.organisation_id == organisation_id, Membership.user_id == user.id
        )
    )
    invited = session.scalar(
        select(Invitation.id).where(
            Invitation.organisation_id == organisation_id, Invitation.user_id == user.id
        )
    )
    if member is not None or invited is not None:
        raise Conflict("already_member", field="login")


def do_invite_member(
    session: Session, *, access: OrganisationAccess, actor: UserRef, login: str, role: str
) -> MemberEntry:
    """Invite the account with `login` to join with `role`; it grants nothing until accepted.

    An admin needs to know whether the login names an account (unknown_user). Inviting oneself,
    a member or someone already invited is refused (already_member).
    """
    check_manages_members(access)
    checked_role = check_role(role)
    user = find_user_by_login(session, login=login)
    _lock_for_member_change(session, access=access)
    _check_not_yet_in(session, organisation_id=access.organisation.id, user=user)
    invitation = Invitation(
        organisation_id=access.organisation.id,
        user_id=user.id,
        role=checked_role,
        invited_by_id=actor.id,
    )
    invitation.user = user
    session.add(invitation)
    do_record_audit(
        session,
        organisation=access.organisation,
        actor=actor,
        action="member.invited",
        login=user.login,
        role=checked_role.value,
    )
    session.flush()
    return MemberEntry.of_invitation(invitation)


def do_change_member_role(
    session: Session,
    *,
    access: OrganisationAccess,
    actor: UserRef,
    user_id: uuid.UUID | str,
    role: str,
) -> MemberEntry:
    """Change a member's role, or the role an invitation offers; the last admin keeps theirs."""
    check_manages_members(access)
    checked_role = check_role(role)
    target = _target_for_update(session, access=access, user_id=_public_id(user_id))
    if isinstance(target, Invitation):
        if target.role != checked_role:
            do_record_audit(
                session,
                organisation=access.organisation,
                actor=actor,
                action="invitation.role_changed",
                login=target.user.login,
                old_role=target.role,
                new_role=checked_role.value,
            )
            target.role = checked_role
            session.flush()
        return MemberEntry.of_invitation(target)
    if target.role != checked_role:
        if checked_role != OrgRole.ADMIN:
            _check_keeps_an_admin(session, membership=target)
        do_record_audit(
            session,
            organisation=access.organisation,
            actor=actor,
            action="member.role_changed",
            login=target.user.login,
            old_role=target.role,
            new_role=checked_role.value,
        )
        target.role = checked_role
        session.flush()
    return MemberEntry.of_membership(target, show_login=True)


def do_remove_member(
    session: Session, *, access: OrganisationAccess, actor: UserRef, user_id: uuid.UUID | str
) -> None:
    """Take `user_id` out of the organisation.

    Anyone may remove themselves (leave), whatever their role; only those who manage members
    may remove someone else or cancel an invitation. Nobody may take away the last admin.
    """
    target_id = _public_id(user_id)
    if target_id == actor.public_id:
        _do_leave(session, access=access, actor=actor)
        return
    target = _target_for_update(session, access=access, user_id=target_id)
    action = "invitation.cancelled" if isinstance(target, Invitation) else "member.removed"
    if isinstance(target, Membership):
        _check_keeps_an_admin(session, membership=target)
    do_record_audit(
        session,
        organisation=access.organisation,
        actor=actor,
        action=action,
        login=target.user.login,
        role=target.role,
    )
    session.delete(target)
    session.flush()


def _do_leave(session: Session, *, access: OrganisationAccess, actor: UserRef) -> None:
    lock_organisation(session, organisation_id=access.organisation.id)
    membership = session.scalars(
        select(Membership)
        .where(Membership.id == access.membership.id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if membership is None:  # removed by an admin since the access check
        raise NotFound()
    _check_keeps_an_admin(session, membership=membership)
    do_record_audit(
        session,
        organisation=access.organisation,
        actor=actor,
        action="member.left",
        login=actor.login,
        role=membership.role,
    )
    session.delete(membership)
    session.flush()


def _invitation_for_update(
    session: Session, *, user: UserRef, organisation_id: uuid.UUID | str
) -> Invitation:
    """`user`'s own invitation to the organisation, read after the organisation lock.

    Anyone else, and anything that is not a pending invitation, gets NotFound.
    """
    public_id = _public_id(organisation_id)
    organisation_pk = session.scalar(
        select(Organisation.id)
        .join(Invitation, Invitation.organisation_id == Organisation.id)
        .where(Organisation.public_id == public_id, Invitation.user_id == user.id)
    )
    if organisation_pk is None:
        raise NotFound()
    lock_organisation(session, organisation_id=organisation_pk)
    invitation = session.scalars(
        select(Invitation)
        .options(joinedload(Invitation.organisation))
        .where(Invitation.organisation_id == organisation_pk, Invitation.user_id == user.id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if invitation is None:  # cancelled since
        raise NotFound()
    return invitation


def do_accept_invitation(
    session: Session, *, user: UserRef, organisation_id: uuid.UUID | str
) -> OrganisationAccess:
    """Join the organisation with the role `user`'s invitation offers (at the moment of joining)."""
    invitation = _invitation_for_update(session, user=user, organisation_id=organisation_id)
    membership = Membership(
        organisation_id=invitation.organisation_id, user_id=user.id, role=invitation.role
    )
    session.add(membership)
    do_record_audit(
        session,
        organisation=invitation.organisation,
        actor=user,
        action="member.joined",
        login=user.login,
        role=invitation.role,
    )
    session.delete(invitation)
    session.flush()
    return OrganisationAccess(organisation=invitation.organisation, membership=membership)


def do_decline_invitation(
    session: Session, *, user: UserRef, organisation_id: uuid.UUID | str
) -> None:
    invitation = _invitation_for_update(session, user=user, organisation_id=organisation_id)
    do_record_audit(
        session,
        organisation=invitation.organisation,
        actor=user,
        action="invitation.declined",
        login=user.login,
        role=invitation.role,
    )
    session.delete(invitation)
    session.flush()


def list_audit_events(
    session: Session, *, access: OrganisationAccess, limit: int = 200
) -> list[tuple[AuditEvent, User | None]]:
    rows = session.execute(
        select(AuditEvent, User)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.organisation_id == access.organisation.id)
        .order_by(AuditEvent.id.desc())
        .limit(limit)
    ).all()
    return [(event, actor) for event, actor in rows]
