"""What each organisation role may do. Checked by every console route and CLI command."""

from __future__ import annotations

import enum

from miniapp.accounts.models import OrgRole


class Permission(enum.StrEnum):
    MEMBERS_READ = "members.read"
    MEMBERS_MANAGE = "members.manage"
    AUDIT_READ = "audit.read"
    CODE_UPLOAD = "code.upload"
    RELEASE_MANAGE = "release.manage"
    TRIAL_OPEN = "trial.open"
    ANALYTICS_READ = "analytics.read"
    OPERATIONS_MANAGE = "operations.manage"
    # Admin only (ADMIN holds every permission): the organisation's business verification, and
    # its apps' profiles (name, logo, category, permits, domains, AppSecret).
    VERIFICATION_MANAGE = "verification.manage"
    APP_MANAGE = "app.manage"
    # Any member: see the organisation's apps, their versions and release state.
    APPS_READ = "apps.read"


ROLE_PERMISSIONS: dict[OrgRole, frozenset[Permission]] = {
    OrgRole.ADMIN: frozenset(Permission),
    OrgRole.DEVELOPER: frozenset(
        {
            Permission.MEMBERS_READ,
            Permission.APPS_READ,
            Permission.CODE_UPLOAD,
            Permission.TRIAL_OPEN,
        }
    ),
    OrgRole.OPERATOR: frozenset(
        {
            Permission.MEMBERS_READ,
            Permission.APPS_READ,
            Permission.OPERATIONS_MANAGE,
            Permission.TRIAL_OPEN,
        }
    ),
    OrgRole.ANALYST: frozenset(
        {Permission.MEMBERS_READ, Permission.APPS_READ, Permission.ANALYTICS_READ}
    ),
    OrgRole.TESTER: frozenset(
        {Permission.MEMBERS_READ, Permission.APPS_READ, Permission.TRIAL_OPEN}
    ),
}


# The least role that holds a permission, named in the error a refused member sees.
def least_role_for(permission: Permission) -> OrgRole:
    for role in (OrgRole.TESTER, OrgRole.ANALYST, OrgRole.OPERATOR, OrgRole.DEVELOPER):
        if permission in ROLE_PERMISSIONS[role]:
            return role
    return OrgRole.ADMIN


def role_allows(role: str, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[OrgRole(role)]
