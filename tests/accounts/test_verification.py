"""Verification services: the checks, renewals, who reads a private document, and what holds when
two requests race (one pending application per organisation, one decision per application)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from miniapp.accounts.models import (
    AuditEvent,
    Membership,
    Organisation,
    OrganisationVerification,
    OrgRole,
    PrivateDocument,
    User,
)
from miniapp.accounts.organisations import (
    access_organisation,
    do_accept_invitation,
    do_create_organisation,
    do_invite_member,
)
from miniapp.accounts.principal import Principal
from miniapp.accounts.private_documents import PrivateStore, do_store_private_document
from miniapp.accounts.roles import Permission
from miniapp.accounts.staff import do_grant_staff_role
from miniapp.accounts.users import do_activate_developer, do_sign_up
from miniapp.accounts.verification import (
    DEFAULT_VERIFIED_FOR,
    UploadedDocument,
    access_private_document,
    check_company_detail,
    check_reason,
    check_verified_until,
    do_apply_for_verification,
    do_approve_verification,
    do_record_verification_fee,
    do_reject_verification,
    list_verification_queue,
)
from miniapp.accounts.verification_status import is_verified
from miniapp.apps.models import App
from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.errors import UserError

PASSWORD = "Tr0ub4dor&3"
PDF = b"%PDF-1.7\n" + b"0" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64
NOW = datetime(2030, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class World:
    org: uuid.UUID
    ada: Principal  # admin
    bob: Principal  # admin
    dev: Principal  # developer
    rita: Principal  # reviewer
    boss: Principal  # platform admin
    olga: Principal  # admin of another organisation


def user(session: Session, login: str, name: str) -> User:
    made = do_sign_up(session, login=login, password=PASSWORD, display_name=name)
    do_activate_developer(session, user=made, now=utc_now())
    return made


@pytest.fixture
def world(database: Database) -> World:
    with database.transaction() as session:
        ada = user(session, "ada@example.com", "Ada")
        bob = user(session, "bob@example.com", "Bob")
        dev = user(session, "dev@example.com", "Dev")
        rita = user(session, "rita@example.com", "Rita")
        boss = user(session, "boss@example.com", "Boss")
        olga = user(session, "olga@example.com", "Olga")
        do_grant_staff_role(session, user=rita, role="reviewer")
        do_grant_staff_role(session, user=boss, role="platform_admin")
        access = do_create_organisation(session, creator=ada, name="Acme")
        org = access.organisation.public_id
        for member, role in ((bob, OrgRole.ADMIN), (dev, OrgRole.DEVELOPER)):
            do_invite_member(session, access=access, actor=ada, login=member.login, role=role)
            do_accept_invitation(session, user=member, organisation_id=org)
        do_create_organisation(session, creator=olga, name="Other")
        people = [Principal.of(u) for u in (ada, bob, dev, rita, boss, olga)]
    return World(org, *people)


@pytest.fixture
def store(data_dir: Path) -> PrivateStore:
    return PrivateStore(data_dir / "private")


def apply_as(
    session: Session, store: PrivateStore, *, actor: Principal, org: uuid.UUID
) -> uuid.UUID:
    access = access_organisation(
        session, user=actor, organisation_id=org, permission=Permission.VERIFICATION_MANAGE
    )
    entry = do_apply_for_verification(
        session,
        store,
        access=access,
        actor=actor,
        company_name="Acme Ltd",
        registration_number="91310000",
        legal_representative="Ada",
        licence=UploadedDocument(data=PDF, file_name="licence.pdf"),
        legal_rep_id=UploadedDocument(data=PNG, file_name="id.png"),
    )
    return entry.application.public_id


def organisation(database: Database, org: uuid.UUID) -> Organisation:
    with database.read() as session:
        return session.scalars(select(Organisation).where(Organisation.public_id == org)).one()


def count(database: Database, model: type[object]) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def stored_files(data_dir: Path) -> list[Path]:
    root = data_dir / "private"
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def race(database: Database, work: list[Callable[[Session], object]]) -> list[str]:
    """Run each piece of work in its own thread and transaction, all released at once; the
    outcome of each is "ok" or the error code."""
    barrier = threading.Barrier(len(work))
    outcomes: list[str] = []

    def run(action: Callable[[Session], object]) -> None:
        barrier.wait()
        try:
            with database.transaction() as session:
                action(session)
            outcomes.append("ok")
        except UserError as error:
            outcomes.append(error.code)

    threads = [threading.Thread(target=run, args=(action,)) for action in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


# --- checks -------------------------------------------------------------------------------------


def test_company_details_are_collapsed_and_limited_to_their_columns() -> None:
    assert check_company_detail(" Acme \n Ltd ", field="company_name") == "Acme Ltd"
    assert check_company_detail("x" * 100, field="company_name") == "x" * 100
    with pytest.raises(UserError) as refused:
        check_company_detail("x" * 65, field="legal_representative")
    assert (refused.value.code, refused.value.field) == (
        "legal_representative_invalid",
        "legal_representative",
    )
    assert refused.value.params["max_length"] == 64


def test_a_reason_keeps_its_line_breaks_and_nothing_else_invisible() -> None:
    assert check_reason("  First.\r\n  Second.  \n") == "First.\nSecond."
    assert check_reason("x" * 500) == "x" * 500
    for bad in ("", "\n \n", "x" * 501, "a\tb\x1b[31m", "a\u202eb", "\ufeff"):
        with pytest.raises(UserError) as refused:
            check_reason(bad)
        assert (refused.value.code, refused.value.field) == ("reason_invalid", "reason")


def test_an_expiry_is_utc_and_in_the_future() -> None:
    assert check_verified_until(datetime.fromisoformat("2031-01-01"), now=NOW) == datetime(
        2031, 1, 1, tzinfo=UTC
    )
    shanghai = datetime.fromisoformat("2031-01-01T08:00:00+08:00")
    assert check_verified_until(shanghai, now=NOW) == datetime(2031, 1, 1, tzinfo=UTC)
    assert check_verified_until(shanghai, now=NOW).tzinfo == UTC
    for past in (NOW, NOW - timedelta(seconds=1), datetime.fromisoformat("2029-12-31")):
        with pytest.raises(UserError) as refused:
            check_verified_until(past, now=NOW)
        assert refused.value.code == "verified_until_invalid"


# --- applying and deciding ----------------------------------------------------------------------


def test_approval_defaults_to_a_year_and_records_the_decision(
    database: Database, store: PrivateStore, world: World
) -> None:
    with database.transaction() as session:
        application = apply_as(session, store, actor=world.ada, org=world.org)
    now = utc_now()
    with database.transaction() as session:
        entry = do_approve_verification(
            session,
            user=world.rita,
            application_id=application,
            fee_paid=True,
            verified_until=None,
            now=now,
        )
        assert entry.decided_by is not None
        assert entry.decided_by.id == world.rita.id
    org = organisation(database, world.org)
    assert org.verified_until == now + DEFAULT_VERIFIED_FOR
    assert is_verified(org, now=now)
    with database.read() as session:
        events = session.execute(
            select(AuditEvent.action, AuditEvent.actor_id, AuditEvent.detail)
            .where(AuditEvent.action.like("verification.%"))
            .order_by(AuditEvent.id)
        ).all()
    assert [(action, actor) for action, actor, _ in events] == [
        ("verification.applied", world.ada.id),
        ("verification.approved", world.rita.id),
    ]
    assert events[0][2] == {"company_name": "Acme Ltd", "registration_number": "91310000"}
    assert events[1][2]["fee_paid"] is True


def test_a_renewal_does_not_suspend_a_verification_in_force(
    database: Database, store: PrivateStore, world: World
) -> None:
    with database.transaction() as session:
        first = apply_as(session, store, actor=world.ada, org=world.org)
    with database.transaction() as session:
        do_approve_verification(
            session,
            user=world.rita,
            application_id=first,
            fee_paid=True,
            verified_until=None,
            now=utc_now(),
        )
    with database.transaction() as session:
        renewal = apply_as(session, store, actor=world.bob, org=world.org)
    org = organisation(database, world.org)
    assert org.verification_status == "verified"
    assert is_verified(org, now=utc_now())
    with database.transaction() as session:
        do_reject_verification(
            session, user=world.boss, application_id=renewal, reason="Blurred.", now=utc_now()
        )
    org = organisation(database, world.org)
    assert org.verification_status == "verified"
    assert is_verified(org, now=utc_now())


def test_the_queue_is_for_staff_only(database: Database, store: PrivateStore, world: World) -> None:
    with database.transaction() as session:
        application = apply_as(session, store, actor=world.ada, org=world.org)
    with database.read() as session:
        for staff in (world.rita, world.boss):
            queue = list_verification_queue(session, user=staff)
            assert [entry.application.public_id for entry in queue] == [application]
        with pytest.raises(UserError) as refused:
            list_verification_queue(session, user=world.ada)
        assert refused.value.code == "forbidden"


def test_an_admin_demoted_after_the_access_check_stores_nothing(
    database: Database, store: PrivateStore, data_dir: Path, world: World
) -> None:
    with database.read() as session:
        stale = access_organisation(
            session,
            user=world.bob,
            organisation_id=world.org,
            permission=Permission.VERIFICATION_MANAGE,
        )
    with database.transaction() as session:
        session.execute(
            update(Membership)
            .where(Membership.user_id == world.bob.id)
            .values(role=OrgRole.DEVELOPER.value)
        )
    with pytest.raises(UserError) as refused, database.transaction() as session:
        do_apply_for_verification(
            session,
            store,
            access=stale,
            actor=world.bob,
            company_name="Acme Ltd",
            registration_number="91310000",
            legal_representative="Ada",
            licence=UploadedDocument(data=PDF, file_name="licence.pdf"),
            legal_rep_id=UploadedDocument(data=PNG, file_name="id.png"),
        )
    assert refused.value.code == "role_required"
    assert count(database, OrganisationVerification) == 0
    assert count(database, PrivateDocument) == 0
    assert stored_files(data_dir) == []
    assert organisation(database, world.org).verification_status == "unverified"


# --- races --------------------------------------------------------------------------------------


def test_two_admins_applying_at_once_leave_one_pending_application(
    database: Database, store: PrivateStore, data_dir: Path, world: World
) -> None:
    outcomes = race(
        database,
        [
            lambda session: apply_as(session, store, actor=world.ada, org=world.org),
            lambda session: apply_as(session, store, actor=world.bob, org=world.org),
        ],
    )
    assert outcomes == ["ok", "verification_pending"]
    assert count(database, OrganisationVerification) == 1
    assert count(database, PrivateDocument) == 2
    assert len(stored_files(data_dir)) == 2  # the loser's files were removed with its rollback


def test_two_reviewers_deciding_at_once_leave_one_decision(
    database: Database, store: PrivateStore, world: World
) -> None:
    with database.transaction() as session:
        application = apply_as(session, store, actor=world.ada, org=world.org)
    now = utc_now()
    outcomes = race(
        database,
        [
            lambda session: do_approve_verification(
                session,
                user=world.rita,
                application_id=application,
                fee_paid=True,
                verified_until=None,
                now=now,
            ),
            lambda session: do_reject_verification(
                session, user=world.boss, application_id=application, reason="No.", now=now
            ),
        ],
    )
    assert outcomes == ["ok", "verification_not_pending"]
    with database.read() as session:
        decided = session.scalars(select(OrganisationVerification)).one()
        decisions = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action.in_(["verification.approved", "verification.rejected"]))
        )
    assert decisions == 1
    org = organisation(database, world.org)
    expected = "verified" if decided.status == "approved" else "rejected"
    assert org.verification_status == expected


# --- private documents --------------------------------------------------------------------------


def test_who_reads_a_private_document(
    database: Database, store: PrivateStore, world: World
) -> None:
    with database.transaction() as session:
        apply_as(session, store, actor=world.ada, org=world.org)
        licence = session.scalars(
            select(PrivateDocument).where(PrivateDocument.kind == "licence")
        ).one()
        doc = licence.public_id
        other = session.scalars(
            select(Organisation.public_id).where(Organisation.name == "Other")
        ).one()
    with database.read() as session:
        for reader in (world.ada, world.bob, world.rita, world.boss):
            found = access_private_document(
                session, user=reader, organisation_id=world.org, document_id=doc
            )
            assert found.public_id == doc
        for outsider in (world.dev, world.olga):
            with pytest.raises(UserError) as refused:
                access_private_document(
                    session, user=outsider, organisation_id=world.org, document_id=doc
                )
            assert refused.value.code == "not_found"
        for org_id, doc_id in ((other, doc), (world.org, "x"), ("x", doc)):
            with pytest.raises(UserError) as refused:
                access_private_document(
                    session, user=world.rita, organisation_id=org_id, document_id=doc_id
                )
            assert refused.value.code == "not_found"


def test_an_apps_permit_is_read_by_admins_and_reviewers_only(
    database: Database, store: PrivateStore, world: World
) -> None:
    with database.transaction() as session:
        org = session.scalars(select(Organisation).where(Organisation.public_id == world.org)).one()
        app = App(appid="wx0123456789abcdef", name="Shop", name_key="shop", organisation_id=org.id)
        session.add(app)
        session.flush()
        permit = do_store_private_document(
            session,
            store,
            organisation_id=org.id,
            app_id=app.id,
            kind="permit:medical_licence",
            data=PDF,
            content_type="application/pdf",
            file_name="permit.pdf",
            uploaded_by=world.ada,
        ).public_id
    with database.read() as session:
        for reader in (world.ada, world.rita):
            access_private_document(
                session, user=reader, organisation_id=world.org, document_id=permit
            )
        with pytest.raises(UserError) as refused:
            access_private_document(
                session, user=world.dev, organisation_id=world.org, document_id=permit
            )
        assert refused.value.code == "not_found"


def test_a_reviewer_who_is_a_member_cannot_decide_for_their_own_organisation(
    database: Database, store: PrivateStore, world: World
) -> None:
    """Conflict of interest: a member with a staff role neither approves, rejects nor records the
    fee of their own organisation's verification (403 `conflict_of_interest`)."""
    with database.transaction() as session:
        do_grant_staff_role(session, user=session.get_one(User, world.dev.id), role="reviewer")
        dev = Principal.of(session.get_one(User, world.dev.id))
        do_grant_staff_role(
            session, user=session.get_one(User, world.bob.id), role="platform_admin"
        )
        bob = Principal.of(session.get_one(User, world.bob.id))
        application = apply_as(session, store, actor=world.ada, org=world.org)
    decisions: list[Callable[[Session, Principal], object]] = [
        lambda session, staff: do_approve_verification(
            session,
            user=staff,
            application_id=application,
            fee_paid=True,
            verified_until=None,
            now=utc_now(),
        ),
        lambda session, staff: do_reject_verification(
            session, user=staff, application_id=application, reason="Mine.", now=utc_now()
        ),
        lambda session, staff: do_record_verification_fee(
            session,
            user=staff,
            organisation_id=world.org,
            fee_paid=True,
            verified_until=None,
            now=utc_now(),
        ),
    ]
    for staff in (dev, bob):
        for decide in decisions:
            with pytest.raises(UserError) as refused, database.transaction() as session:
                decide(session, staff)
            assert refused.value.code == "conflict_of_interest"
            assert refused.value.status_code == 403
    org = organisation(database, world.org)
    assert org.verification_status == "pending"
    assert not org.verification_fee_paid
    # A reviewer from outside decides as usual.
    with database.transaction() as session:
        do_approve_verification(
            session,
            user=world.rita,
            application_id=application,
            fee_paid=True,
            verified_until=None,
            now=utc_now(),
        )
    assert is_verified(organisation(database, world.org), now=utc_now())
