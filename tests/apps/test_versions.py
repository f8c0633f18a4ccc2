"""Versions as services: labels, upload (compiled on the server), trial, preview, opening builds.

A version's review state is put in the database directly where a test needs one (the review
flow is tested in tests/review).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from miniapp.accounts.models import (
    AuditEvent,
    Membership,
    Organisation,
    OrgRole,
    StaffGrant,
    User,
)
from miniapp.accounts.private_documents import PrivateStore
from miniapp.apps.bundles import BundleStore, read_manifest
from miniapp.apps.models import AppVersion, VersionState
from miniapp.apps.registry import do_register_app
from miniapp.apps.versions import (
    access_launch_build,
    access_version,
    check_version_label,
    do_set_trial,
    do_upload_version,
    list_versions,
    preview_link,
)
from miniapp.db.session import Database
from miniapp.errors import Conflict, Forbidden, InvalidInput, NotFound, UserError
from tests.apps.version_helpers import broken_wxml_zip, hello_zip, labelled_zip


@dataclass(frozen=True)
class Setup:
    users: dict[str, int]
    appid: str
    bundles: BundleStore
    private: PrivateStore


@pytest.fixture
def setup(database: Database, tmp_path: Path) -> Setup:
    users: dict[str, int] = {}
    with database.transaction() as session:
        for name in ("admin", "developer", "tester", "analyst", "outsider", "reviewer"):
            row = User(email=f"{name}@example.org", password_hash="x", display_name=name.title())
            session.add(row)
            session.flush()
            users[name] = row.id
        org = Organisation(name="Tea House", created_by_id=users["admin"])
        session.add(org)
        session.flush()
        for role in ("admin", "developer", "tester", "analyst"):
            session.add(Membership(organisation_id=org.id, user_id=users[role], role=OrgRole(role)))
        session.add(StaffGrant(user_id=users["reviewer"], role="reviewer"))
        appid = do_register_app(session, name="Tea", organisation=org).appid
    return Setup(
        users=users,
        appid=appid,
        bundles=BundleStore(tmp_path / "bundles"),
        private=PrivateStore(tmp_path / "private"),
    )


def who(database: Database, setup: Setup, name: str) -> User:
    with database.read() as session:
        found = session.get(User, setup.users[name])
        assert found is not None
        found.staff_roles  # noqa: B018  loaded now, read after the session closes
        return found


def upload(
    database: Database, setup: Setup, label: str, package: bytes, *, by: str = "developer"
) -> AppVersion:
    return do_upload_version(
        database,
        user=who(database, setup, by),
        appid=setup.appid,
        version=label,
        description="",
        package=package,
        bundle_store=setup.bundles,
        private_store=setup.private,
    ).version


def stored_files(store: PrivateStore) -> list[Path]:
    return [p for p in store.root.rglob("*") if p.is_file()] if store.root.exists() else []


def row_counts(database: Database) -> tuple[int, int]:
    with database.read() as session:
        return (
            session.scalar(select(func.count()).select_from(AppVersion)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
        )


@pytest.mark.parametrize("label", ["0.0.1", "1.2.0", "10.20.30", "1.2.0-beta.1", "2.0.0-rc-1"])
def test_version_labels_are_semantic_versions(label: str) -> None:
    assert check_version_label(f" {label} ") == label


@pytest.mark.parametrize(
    "label", ["", "1", "1.2", "1.2.3.4", "v1.2.3", "1.02.3", "1.2.3-", "1.2.3-a..b", "1" * 33]
)
def test_other_labels_are_refused(label: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_version_label(label)
    assert (refused.value.code, refused.value.field) == ("version_invalid", "version")


def test_an_upload_is_compiled_and_stored_with_its_source_and_report(
    database: Database, setup: Setup
) -> None:
    package = hello_zip()
    version = upload(database, setup, "1.0.0", package)
    assert version.state == VersionState.DEVELOPMENT
    assert version.size_bytes == len(package)
    assert version.report["packages"]
    assert read_manifest(setup.bundles, version.bundle_id)["app"]["pages"] == ["pages/index/index"]
    assert setup.private.read(version.source_key) == package
    with database.read() as session:
        audit = session.scalars(select(AuditEvent)).one()
    assert audit.action == "version.uploaded"
    assert audit.detail["appid"] == setup.appid
    assert audit.detail["version"] == "1.0.0"


def test_a_broken_package_stores_nothing(database: Database, setup: Setup) -> None:
    with pytest.raises(InvalidInput) as refused:
        upload(database, setup, "1.0.0", broken_wxml_zip())
    assert refused.value.code == "package_invalid"
    diagnostics = refused.value.params["diagnostics"]
    assert diagnostics[0]["file"] == "pages/index/index.wxml"
    assert diagnostics[0]["line"] == 2
    assert row_counts(database) == (0, 0)
    assert stored_files(setup.private) == []


def test_a_duplicate_label_is_refused_and_leaves_no_file(database: Database, setup: Setup) -> None:
    upload(database, setup, "1.0.0", hello_zip())
    before = (row_counts(database), stored_files(setup.private))
    with pytest.raises(Conflict) as refused:
        upload(database, setup, "1.0.0", labelled_zip("other"))
    assert refused.value.code == "version_exists"
    assert (row_counts(database), stored_files(setup.private)) == before


def test_who_may_upload(database: Database, setup: Setup) -> None:
    for name in ("tester", "analyst"):
        with pytest.raises(Forbidden):
            upload(database, setup, "1.0.0", hello_zip(), by=name)
    with pytest.raises(NotFound):
        upload(database, setup, "1.0.0", hello_zip(), by="outsider")
    assert upload(database, setup, "1.0.0", hello_zip(), by="admin").version == "1.0.0"


def test_one_trial_version_per_app(database: Database, setup: Setup) -> None:
    upload(database, setup, "1.0.0", hello_zip())
    upload(database, setup, "1.1.0", labelled_zip("1.1.0"))
    admin = who(database, setup, "admin")
    with database.transaction() as session:
        do_set_trial(session, user=admin, appid=setup.appid, version="1.0.0")
    with database.transaction() as session:
        do_set_trial(session, user=admin, appid=setup.appid, version="1.1.0")
    with database.transaction() as session:  # again: nothing changes, nothing is recorded
        do_set_trial(session, user=admin, appid=setup.appid, version="1.1.0")
    with database.read() as session:
        trials = session.scalars(select(AppVersion.version).where(AppVersion.is_trial)).all()
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert trials == ["1.1.0"]
    assert actions.count("version.trial_set") == 2
    with pytest.raises(Forbidden), database.transaction() as session:
        do_set_trial(
            session, user=who(database, setup, "developer"), appid=setup.appid, version="1.0.0"
        )


def test_versions_are_found_by_label_or_id_and_listed_newest_first(
    database: Database, setup: Setup
) -> None:
    first = upload(database, setup, "1.0.0", hello_zip())
    upload(database, setup, "1.1.0", labelled_zip("1.1.0"))
    analyst = who(database, setup, "analyst")
    with database.read() as session:
        assert [v.version for v in list_versions(session, user=analyst, appid=setup.appid)] == [
            "1.1.0",
            "1.0.0",
        ]
        _access, found = access_version(
            session, user=analyst, appid=setup.appid, version=str(first.public_id)
        )
        assert found.version == "1.0.0"
        for missing in ("2.0.0", "00000000-0000-0000-0000-000000000000", "x" * 100):
            with pytest.raises(NotFound):
                access_version(session, user=analyst, appid=setup.appid, version=missing)


def test_a_preview_link_names_the_build(database: Database, setup: Setup) -> None:
    version = upload(database, setup, "1.0.0", hello_zip())
    with database.read() as session:
        link = preview_link(
            session,
            user=who(database, setup, "tester"),
            appid=setup.appid,
            version="1.0.0",
            public_url="https://mp.example.com/",
        )
        with pytest.raises(Forbidden):
            preview_link(
                session,
                user=who(database, setup, "analyst"),
                appid=setup.appid,
                version="1.0.0",
                public_url="https://mp.example.com",
            )
    assert link.url == f"https://mp.example.com/#app/{setup.appid}?build={version.public_id}"
    assert link.qr_svg.startswith("<svg") and "<path" in link.qr_svg


def test_who_may_open_a_build(database: Database, setup: Setup) -> None:
    version = upload(database, setup, "1.0.0", hello_zip())
    build = str(version.public_id)

    def opens(name: str | None, asked: str) -> bool:
        person = None if name is None else who(database, setup, name)
        refused: UserError | None = None
        with database.read() as session:
            try:
                access_launch_build(session, user=person, appid=setup.appid, build=asked)
            except UserError as error:
                refused = error
        if refused is None:
            return True
        assert (refused.code, refused.status_code) == ("app_not_found", 404)
        return False

    assert [opens(n, build) for n in ("developer", "tester", "admin")] == [True] * 3
    assert [opens(n, build) for n in ("analyst", "outsider", "reviewer", None)] == [False] * 4
    assert not opens("tester", "trial")  # no trial version yet
    with database.transaction() as session:
        do_set_trial(
            session, user=who(database, setup, "admin"), appid=setup.appid, version="1.0.0"
        )
    assert opens("tester", "trial")
    with database.read() as session:
        opened = access_launch_build(
            session, user=who(database, setup, "tester"), appid=setup.appid, build="trial"
        )
    assert (opened.version, opened.env_version, opened.bundle_id) == (
        "1.0.0",
        "trial",
        version.bundle_id,
    )
    with database.transaction() as session:
        row = session.get(AppVersion, version.id)
        assert row is not None
        row.state = VersionState.IN_REVIEW.value
    assert opens("reviewer", build)
    assert not opens("reviewer", "wx-not-a-build")


def test_the_develop_build_is_the_newest_upload_for_members_only(
    database: Database, setup: Setup
) -> None:
    upload(database, setup, "1.0.0", hello_zip())
    newest = upload(database, setup, "1.1.0", hello_zip({"pages/newer.txt": "newer"}))
    with database.read() as session:
        opened = access_launch_build(
            session, user=who(database, setup, "developer"), appid=setup.appid, build="develop"
        )
        assert (opened.version, opened.bundle_id) == ("1.1.0", newest.bundle_id)
        with pytest.raises(UserError):
            access_launch_build(
                session, user=who(database, setup, "outsider"), appid=setup.appid, build="develop"
            )
