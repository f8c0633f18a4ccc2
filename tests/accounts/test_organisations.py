"""Organisation services under concurrency: the last-admin rule holds when two admins race."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from miniapp.accounts.models import Membership, OrgRole, User
from miniapp.accounts.organisations import (
    OrganisationAccess,
    access_organisation,
    do_accept_invitation,
    do_change_member_role,
    do_create_organisation,
    do_invite_member,
    do_remove_member,
)
from miniapp.accounts.roles import Permission
from miniapp.accounts.users import do_activate_developer, do_sign_up
from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.errors import UserError

PASSWORD = "Tr0ub4dor&3"


def two_admins(database: Database) -> tuple[User, User, uuid.UUID]:
    """Ada creates Acme and invites Bob as admin; Bob accepts."""
    with database.transaction() as session:
        ada = do_sign_up(session, login="ada@example.com", password=PASSWORD, display_name="Ada")
        bob = do_sign_up(session, login="bob@example.com", password=PASSWORD, display_name="Bob")
        do_activate_developer(session, user=ada, now=utc_now())
        access = do_create_organisation(session, creator=ada, name="Acme")
        do_invite_member(
            session, access=access, actor=ada, login="bob@example.com", role=OrgRole.ADMIN
        )
        do_accept_invitation(session, user=bob, organisation_id=access.organisation.public_id)
        return ada, bob, access.organisation.public_id


def race(
    database: Database,
    org_id: uuid.UUID,
    work: list[tuple[User, Callable[[Session, OrganisationAccess, User], None]]],
) -> list[str]:
    """Run each (actor, action) in its own thread and transaction, all released at once."""
    barrier = threading.Barrier(len(work))
    outcomes: list[str] = []

    def run(actor: User, action: Callable[[Session, OrganisationAccess, User], None]) -> None:
        barrier.wait()
        try:
            with database.transaction() as session:
                access = access_organisation(session, user=actor, organisation_id=org_id)
                action(session, access, actor)
            outcomes.append("ok")
        except UserError as exc:
            outcomes.append(exc.code)

    threads = [threading.Thread(target=run, args=item) for item in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def admin_roles(database: Database) -> list[str]:
    with database.read() as session:
        return sorted(session.scalars(select(Membership.role)))


def test_two_admins_demoting_each_other_at_once_leave_one_admin(database: Database) -> None:
    ada, bob, org_id = two_admins(database)

    def demote(target: User) -> Callable[[Session, OrganisationAccess, User], None]:
        def action(session: Session, access: OrganisationAccess, actor: User) -> None:
            acting = access_organisation(
                session, user=actor, organisation_id=org_id, permission=Permission.MEMBERS_MANAGE
            )
            do_change_member_role(
                session, access=acting, actor=actor, user_id=target.public_id, role="developer"
            )

        return action

    outcomes = race(database, org_id, [(ada, demote(bob)), (bob, demote(ada))])
    # The second to take the organisation lock finds it is no longer an admin.
    assert outcomes == ["ok", "role_required"]
    assert admin_roles(database) == ["admin", "developer"]


def test_two_admins_leaving_at_once_leave_one_admin(database: Database) -> None:
    ada, bob, org_id = two_admins(database)

    def leave(session: Session, access: OrganisationAccess, actor: User) -> None:
        do_remove_member(session, access=access, actor=actor, user_id=actor.public_id)

    outcomes = race(database, org_id, [(ada, leave), (bob, leave)])
    # The second to take the organisation lock is the last admin by then.
    assert outcomes == ["last_admin", "ok"]
    assert admin_roles(database) == ["admin"]
