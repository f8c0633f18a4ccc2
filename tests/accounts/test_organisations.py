"""Organisation services under concurrency: the last-admin rule holds when two admins race."""

from __future__ import annotations

import threading

from sqlalchemy import select

from miniapp.accounts.models import Membership, OrgRole, User
from miniapp.accounts.organisations import (
    access_organisation,
    do_add_member,
    do_change_member_role,
    do_create_organisation,
)
from miniapp.accounts.roles import Permission
from miniapp.accounts.users import do_activate_developer, do_sign_up
from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.errors import UserError


def test_two_admins_demoting_each_other_at_once_leave_one_admin(database: Database) -> None:
    with database.transaction() as session:
        ada = do_sign_up(
            session, login="ada@example.com", password="Tr0ub4dor&3", display_name="Ada"
        )
        bob = do_sign_up(
            session, login="bob@example.com", password="Tr0ub4dor&3", display_name="Bob"
        )
        do_activate_developer(session, user=ada, now=utc_now())
        access = do_create_organisation(session, creator=ada, name="Acme")
        do_add_member(
            session, access=access, actor=ada, login="bob@example.com", role=OrgRole.ADMIN
        )
        org_id = access.organisation.public_id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def demote(actor: User, target: User) -> None:
        barrier.wait()
        try:
            with database.transaction() as session:
                acting = access_organisation(
                    session,
                    user=actor,
                    organisation_id=org_id,
                    permission=Permission.MEMBERS_MANAGE,
                )
                do_change_member_role(
                    session, access=acting, actor=actor, user_id=target.public_id, role="developer"
                )
            outcomes.append("ok")
        except UserError as exc:
            outcomes.append(exc.code)

    threads = [
        threading.Thread(target=demote, args=(ada, bob)),
        threading.Thread(target=demote, args=(bob, ada)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # The second to take the organisation lock finds it is no longer an admin.
    assert sorted(outcomes) == ["ok", "role_required"]
    with database.read() as session:
        roles = sorted(session.scalars(select(Membership.role)))
    assert roles == ["admin", "developer"]
