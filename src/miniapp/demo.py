"""Demo data for `miniapp serve --demo`: created once, idempotently, and printed for the user."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from miniapp.accounts.models import Membership, Organisation, OrgRole, StaffRole, User
from miniapp.accounts.organisations import (
    do_accept_invitation,
    do_create_organisation,
    do_invite_member,
)
from miniapp.accounts.staff import do_grant_staff_role
from miniapp.accounts.users import do_activate_developer, do_sign_up
from miniapp.clock import utc_now
from miniapp.db.session import Database

DEMO_ORGANISATION = "Demo Organisation"
EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"


@dataclass(frozen=True, kw_only=True)
class DemoLogin:
    who: str
    login: str
    password: str


# Well-known on purpose: demo data lives on the operator's own machine and is printed at start.
# ruff: noqa: S106
DEMO_USER = DemoLogin(who="host user", login="demo@example.com", password="Try-Miniapp-2026")
DEMO_ADMIN = DemoLogin(
    who="organisation admin (console)", login="admin@example.com", password="Run-Console-2026"
)
DEMO_REVIEWER = DemoLogin(
    who="platform reviewer (console)", login="reviewer@example.com", password="Check-Review-2026"
)


@dataclass(frozen=True, kw_only=True)
class DemoReport:
    logins: list[DemoLogin]
    organisation: str
    example_programs: list[str]
    created: bool


def _user(session: Session, demo: DemoLogin, name: str) -> tuple[User, bool]:
    existing = session.scalars(select(User).where(User.email == demo.login)).one_or_none()
    if existing is not None:
        return existing, False
    return do_sign_up(session, login=demo.login, password=demo.password, display_name=name), True


def example_programs() -> list[str]:
    """Example mini programs shipped in examples/: folders with an app.json, or with a
    project.config.json that points at one (miniprogramRoot)."""
    if not EXAMPLES_DIR.is_dir():
        return []
    markers = (*EXAMPLES_DIR.glob("*/app.json"), *EXAMPLES_DIR.glob("*/project.config.json"))
    return sorted({marker.parent.name for marker in markers})


def do_seed_demo(database: Database) -> DemoReport:
    with database.transaction() as session:
        user, created_user = _user(session, DEMO_USER, "Demo User")
        admin, created_admin = _user(session, DEMO_ADMIN, "Demo Admin")
        reviewer, _ = _user(session, DEMO_REVIEWER, "Demo Reviewer")
        do_activate_developer(session, user=admin, now=utc_now())
        do_grant_staff_role(session, user=reviewer, role=StaffRole.REVIEWER)
        organisation = session.scalars(
            select(Organisation)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Organisation.name == DEMO_ORGANISATION, Membership.user_id == admin.id)
        ).first()
        if organisation is None:
            access = do_create_organisation(session, creator=admin, name=DEMO_ORGANISATION)
            # Membership needs consent: the demo user accepts the admin's invitation at once.
            do_invite_member(
                session, access=access, actor=admin, login=DEMO_USER.login, role=OrgRole.TESTER
            )
            do_accept_invitation(session, user=user, organisation_id=access.organisation.public_id)
    return DemoReport(
        logins=[DEMO_USER, DEMO_ADMIN, DEMO_REVIEWER],
        organisation=DEMO_ORGANISATION,
        example_programs=example_programs(),
        created=created_user or created_admin,
    )
