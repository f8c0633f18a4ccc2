"""/api/staff: platform admins manage the platform's reviewers and admins."""

from __future__ import annotations

from fastapi import APIRouter, status

from miniapp.accounts.models import StaffRole
from miniapp.accounts.request_auth import CallerDep, DatabaseDep
from miniapp.accounts.schemas import StaffIn, StaffList, UserEnvelope, UserOut
from miniapp.accounts.staff import (
    access_staff,
    do_grant_staff_role,
    do_revoke_staff_role,
    list_staff,
)
from miniapp.accounts.users import find_user_by_login

router = APIRouter(prefix="/api/staff", tags=["staff"])


@router.get("/members", response_model=StaffList)
def get_staff(caller: CallerDep, database: DatabaseDep) -> StaffList:
    access_staff(caller.user, role=StaffRole.PLATFORM_ADMIN)
    with database.read() as session:
        return StaffList(staff=[UserOut.of(user) for user in list_staff(session)])


@router.post("/members", response_model=UserEnvelope, status_code=status.HTTP_201_CREATED)
def grant_staff(body: StaffIn, caller: CallerDep, database: DatabaseDep) -> UserEnvelope:
    """Grant a platform role (reviewer or platform_admin) to an account (platform admins only)."""
    access_staff(caller.user, role=StaffRole.PLATFORM_ADMIN)
    with database.transaction() as session:
        user = find_user_by_login(session, login=body.login)
        do_grant_staff_role(session, user=user, role=body.role)
        out = UserOut.of(user)
    return UserEnvelope(user=out)


@router.post("/members/revoke", response_model=UserEnvelope)
def revoke_staff(body: StaffIn, caller: CallerDep, database: DatabaseDep) -> UserEnvelope:
    access_staff(caller.user, role=StaffRole.PLATFORM_ADMIN)
    with database.transaction() as session:
        user = find_user_by_login(session, login=body.login)
        do_revoke_staff_role(session, user=user, role=body.role)
        session.refresh(user, ["staff_roles"])
        out = UserOut.of(user)
    return UserEnvelope(user=out)
