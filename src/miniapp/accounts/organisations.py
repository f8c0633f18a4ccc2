"""Organisations, their members and roles, and the audit log of every change to them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from miniapp.accounts.lock_objects import lock_organisation
from miniapp.accounts.models import AuditEvent, Membership, Organisation, OrgRole, User
from miniapp.accounts.principal import UserRef
from miniapp.accounts.roles import Permission, least_role_for, role_allows
from miniapp.accounts.users import find_user_by_login
from miniapp.errors import Conflict, Forbidden, InvalidInput, NotFound


@dataclass(frozen=True, kw_only=True)
class OrganisationAccess:
    organisation: Organisation
    membership: Membership

    @property
    def role(self) -> str:
        return self.membership.role


def check_role(raw: str) -> OrgRole:
    try:
        return OrgRole(raw)
    except ValueError:
        raise InvalidInput("invalid_role", field="role") from None


def check_organisation_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not 2 <= len(name) <= 100:
        raise InvalidInput("organisation_name_invalid", field="name")
    return name


def access_organisation(
    session: Session,
    *,
    user: UserRef,
    organisation_id: uuid.UUID | str,
    permission: Permission = Permission.MEMBERS_READ,
) -> OrganisationAccess:
    """The organisation if `user` is a member whose role holds `permission`.

    Non-members get NotFound, not Forbidden: an organisation's existence is not theirs to learn.
    """
    try:
        public_id = uuid.UUID(str(organisation_id))
    except ValueError:
        raise NotFound() from None
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


def _audit(
    session: Session, *, organisation: Organisation, actor: UserRef, action: str, **detail: Any
) -> None:
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
    _audit(
        session,
        organisation=organisation,
        actor=creator,
        action="organisation.created",
        name=organisation.name,
    )
    session.flush()
    return OrganisationAccess(organisation=organisation, membership=membership)


def list_members(session: Session, *, access: OrganisationAccess) -> list[Membership]:
    return list(
        session.scalars(
            select(Membership)
            .options(joinedload(Membership.user))
            .where(Membership.organisation_id == access.organisation.id)
            .order_by(Membership.created_at, Membership.id)
        )
    )


def _lock_for_member_change(session: Session, *, access: OrganisationAccess) -> None:
    """Lock the organisation, then re-check that the actor still manages members.

    The access check ran before the lock; another admin may have demoted the actor since.
    """
    lock_organisation(session, organisation_id=access.organisation.id)
    role = session.scalar(select(Membership.role).where(Membership.id == access.membership.id))
    if role is None or not role_allows(role, Permission.MEMBERS_MANAGE):
        raise Forbidden("role_required", role=OrgRole.ADMIN.value)


def _member_for_update(
    session: Session, *, access: OrganisationAccess, user_id: uuid.UUID | str
) -> Membership:
    try:
        public_id = uuid.UUID(str(user_id))
    except ValueError:
        raise NotFound() from None
    _lock_for_member_change(session, access=access)
    membership = session.scalars(
        select(Membership)
        .join(User, User.id == Membership.user_id)
        .options(joinedload(Membership.user))
        .where(Membership.organisation_id == access.organisation.id, User.public_id == public_id)
    ).one_or_none()
    if membership is None:
        raise NotFound()
    return membership


def _check_keeps_an_admin(session: Session, *, membership: Membership) -> None:
    """Refuse to take away the organisation's last admin. The caller holds the organisation lock."""
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


def do_add_member(
    session: Session, *, access: OrganisationAccess, actor: UserRef, login: str, role: str
) -> Membership:
    checked_role = check_role(role)
    user = find_user_by_login(session, login=login)
    _lock_for_member_change(session, access=access)
    exists = session.scalar(
        select(Membership.id).where(
            Membership.organisation_id == access.organisation.id, Membership.user_id == user.id
        )
    )
    if exists is not None:
        raise Conflict("already_member", field="login")
    membership = Membership(
        organisation_id=access.organisation.id, user_id=user.id, role=checked_role
    )
    membership.user = user
    session.add(membership)
    _audit(
        session,
        organisation=access.organisation,
        actor=actor,
        action="member.added",
        login=user.login,
        role=checked_role.value,
    )
    session.flush()
    return membership


def do_change_member_role(
    session: Session,
    *,
    access: OrganisationAccess,
    actor: UserRef,
    user_id: uuid.UUID | str,
    role: str,
) -> Membership:
    checked_role = check_role(role)
    membership = _member_for_update(session, access=access, user_id=user_id)
    if membership.role == checked_role:
        return membership
    if checked_role != OrgRole.ADMIN:
        _check_keeps_an_admin(session, membership=membership)
    old_role = membership.role
    membership.role = checked_role
    _audit(
        session,
        organisation=access.organisation,
        actor=actor,
        action="member.role_changed",
        login=membership.user.login,
        old_role=old_role,
        new_role=checked_role.value,
    )
    session.flush()
    return membership


def do_remove_member(
    session: Session, *, access: OrganisationAccess, actor: UserRef, user_id: uuid.UUID | str
) -> None:
    membership = _member_for_update(session, access=access, user_id=user_id)
    _check_keeps_an_admin(session, membership=membership)
    _audit(
        session,
        organisation=access.organisation,
        actor=actor,
        action="member.removed",
        login=membership.user.login,
        role=membership.role,
    )
    session.delete(membership)
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
