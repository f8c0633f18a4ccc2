"""Fetching an app for a member of its organisation, with a permission check.

Every console route about one app starts here. Someone who is not a member of the app's
organisation gets 404 (`not_found`) exactly as for an appid nobody registered: whether an app
exists is not theirs to learn. A member whose role lacks the permission gets 403
`role_required` naming the least role that has it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from miniapp.accounts.models import Membership, Organisation
from miniapp.accounts.principal import UserRef
from miniapp.accounts.roles import Permission, least_role_for, role_allows
from miniapp.apps.models import App
from miniapp.apps.registry import APPID_LOOKUP
from miniapp.errors import Forbidden, NotFound


@dataclass(frozen=True, kw_only=True)
class AppAccess:
    app: App
    organisation: Organisation
    membership: Membership

    @property
    def role(self) -> str:
        return self.membership.role


def access_app(
    session: Session,
    *,
    user: UserRef,
    appid: str,
    permission: Permission = Permission.APPS_READ,
    for_update: bool = False,
) -> AppAccess:
    """The app `appid` if `user` is a member of its organisation whose role holds `permission`.

    With `for_update`, the organisation's row and then the app's row are locked (the fixed
    order: organisation, app, versions) and re-read, and the role checked again, for changes
    that must not race.
    """
    if APPID_LOOKUP.fullmatch(appid) is None:
        raise NotFound()
    row = session.execute(
        select(App, Organisation, Membership)
        .join(Organisation, Organisation.id == App.organisation_id)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(App.appid == appid, Membership.user_id == user.id)
    ).one_or_none()
    if row is None:
        raise NotFound()
    app, organisation, membership = row
    if not role_allows(membership.role, permission):
        raise Forbidden("role_required", role=least_role_for(permission).value)
    if for_update:
        # Re-read under the locks: the rows read above may have changed while this waited (the
        # organisation's verification revoked, the member demoted or removed).
        organisation = session.scalars(
            select(Organisation)
            .where(Organisation.id == organisation.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).one()
        locked = session.scalars(select(App).where(App.id == app.id).with_for_update()).one()
        session.refresh(locked)
        app = locked
        role = session.scalar(select(Membership.role).where(Membership.id == membership.id))
        if role is None:
            raise NotFound()
        if not role_allows(role, permission):
            raise Forbidden("role_required", role=least_role_for(permission).value)
    return AppAccess(app=app, organisation=organisation, membership=membership)
