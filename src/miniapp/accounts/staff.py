"""Platform staff (reviewers, platform admins): kept apart from every organisation's roles.

Being an organisation's admin grants nothing here, and being staff grants nothing inside an
organisation.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from miniapp.accounts.models import Membership, StaffGrant, StaffRole, User
from miniapp.accounts.principal import Principal, UserRef
from miniapp.errors import Forbidden, InvalidInput


def check_staff_role(raw: str) -> StaffRole:
    try:
        return StaffRole(raw)
    except ValueError:
        raise InvalidInput("invalid_role", field="role") from None


def user_staff_roles(user: UserRef) -> list[str]:
    if isinstance(user, Principal):
        return list(user.staff_roles)
    return sorted(grant.role for grant in user.staff_roles)


def has_staff_role(user: UserRef, *, role: StaffRole) -> bool:
    """Platform admins may do everything staff can do, reviewers only reviewing."""
    roles = set(user_staff_roles(user))
    return StaffRole.PLATFORM_ADMIN in roles or role in roles


def access_staff(user: UserRef, *, role: StaffRole) -> None:
    if not has_staff_role(user, role=role):
        raise Forbidden("forbidden")


def check_no_conflict(session: Session, *, user: UserRef, organisation_id: int) -> None:
    """Staff do not decide for an organisation they belong to (its verification, its fee, its
    apps' versions): 403 `conflict_of_interest`; another reviewer decides."""
    member = session.scalar(
        select(Membership.id).where(
            Membership.organisation_id == organisation_id, Membership.user_id == user.id
        )
    )
    if member is not None:
        raise Forbidden("conflict_of_interest")


def do_grant_staff_role(session: Session, *, user: User, role: str) -> None:
    checked = check_staff_role(role)
    if checked in user_staff_roles(user):
        return
    user.staff_roles.append(StaffGrant(role=checked))
    session.flush()


def do_revoke_staff_role(session: Session, *, user: User, role: str) -> None:
    checked = check_staff_role(role)
    session.execute(
        delete(StaffGrant).where(StaffGrant.user_id == user.id, StaffGrant.role == checked)
    )
    session.expire(user, ["staff_roles"])


def list_staff(session: Session) -> list[User]:
    return list(
        session.scalars(
            select(User)
            .options(selectinload(User.staff_roles))
            .where(User.id.in_(select(StaffGrant.user_id)))
            .order_by(User.id)
        )
    )
