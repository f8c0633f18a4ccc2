"""Releases as services: who gets which version (buckets), release, grey, widen, rollback.

Versions are put in the database directly in the `approved` state, as a reviewer's approval
leaves them (the review flow is tested in tests/review), and the organisation's verification is
made in force directly (its flow is tested in tests/accounts).
"""

from __future__ import annotations

import secrets
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, update

from miniapp.accounts.models import (
    AuditEvent,
    Membership,
    Organisation,
    OrgRole,
    User,
    VerificationStatus,
)
from miniapp.apps.models import App, AppRelease, AppVersion, VersionState
from miniapp.apps.registry import do_register_app, do_release_bundle
from miniapp.apps.releases import (
    do_release,
    do_rollback,
    do_widen,
    grey_bucket,
    grey_key_for_user,
    list_releases,
    pick_bundle,
)
from miniapp.apps.versions import version_order
from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.errors import Conflict, Forbidden, InvalidInput, UserError


def bundle_of(label: str) -> str:
    return (label.replace(".", "") + "a" * 20)[:20]


@dataclass(frozen=True)
class Setup:
    admin_id: int
    developer_id: int
    appid: str


def make_setup(database: Database, *labels: str, verified: bool = True) -> Setup:
    with database.transaction() as session:
        admin = User(email="ada@example.org", password_hash="x", display_name="Ada")
        developer = User(email="dev@example.org", password_hash="x", display_name="Dev")
        session.add_all([admin, developer])
        session.flush()
        org = Organisation(name="Tea House", created_by_id=admin.id)
        if verified:
            org.verification_status = VerificationStatus.VERIFIED.value
            org.verification_fee_paid = True
            org.verified_until = utc_now() + timedelta(days=30)
        session.add(org)
        session.flush()
        session.add(Membership(organisation_id=org.id, user_id=admin.id, role=OrgRole.ADMIN))
        session.add(
            Membership(organisation_id=org.id, user_id=developer.id, role=OrgRole.DEVELOPER)
        )
        app = do_register_app(session, name="Tea", organisation=org)
        for label in labels:
            session.add(
                AppVersion(
                    app_id=app.id,
                    version=label,
                    bundle_id=bundle_of(label),
                    source_key="00/" + "0" * 32,
                    size_bytes=1,
                    state=VersionState.APPROVED.value,
                )
            )
        return Setup(admin_id=admin.id, developer_id=developer.id, appid=app.appid)


def user(database: Database, user_id: int) -> User:
    with database.read() as session:
        found = session.get(User, user_id)
        assert found is not None
        return found


def release(database: Database, setup: Setup, version: str, percent: int = 100) -> App:
    with database.transaction() as session:
        return do_release(
            session,
            user=user(database, setup.admin_id),
            appid=setup.appid,
            version=version,
            percent=percent,
            now=utc_now(),
        )


def widen(database: Database, setup: Setup, percent: int) -> App:
    with database.transaction() as session:
        return do_widen(
            session,
            user=user(database, setup.admin_id),
            appid=setup.appid,
            percent=percent,
            now=utc_now(),
        )


def rollback(database: Database, setup: Setup) -> App:
    with database.transaction() as session:
        return do_rollback(session, user=user(database, setup.admin_id), appid=setup.appid)


def serving(database: Database, setup: Setup) -> tuple[str | None, str | None, int]:
    with database.read() as session:
        app = session.scalars(select(App).where(App.appid == setup.appid)).one()
        return app.released_version, app.grey_version, app.grey_percent


def states(database: Database) -> dict[str, str]:
    with database.read() as session:
        rows = session.execute(select(AppVersion.version, AppVersion.state)).all()
        return dict(rows)


def snapshot(database: Database) -> tuple[object, ...]:
    """Everything a refused change must leave as it was."""
    with database.read() as session:
        app = session.scalars(select(App)).one()
        return (
            app.released_bundle,
            app.released_version,
            app.grey_bundle,
            app.grey_version,
            app.grey_percent,
            tuple(sorted(states(database).items())),
            session.scalar(select(func.count()).select_from(AppRelease)),
            session.scalar(select(func.count()).select_from(AuditEvent)),
        )


# --- buckets ------------------------------------------------------------------------------------


def test_buckets_are_stable_spread_and_independent_between_apps() -> None:
    keys = [secrets.token_urlsafe(24) for _ in range(1000)]
    buckets = [grey_bucket("wx0000000000000001", key) for key in keys]
    assert all(0 <= bucket < 100 for bucket in buckets)
    assert buckets == [grey_bucket("wx0000000000000001", key) for key in keys]
    assert buckets != [grey_bucket("wx0000000000000002", key) for key in keys]
    assert len(set(buckets)) == 100


def test_a_grey_share_reaches_about_its_percent_and_widening_only_adds_users() -> None:
    app = App(
        appid="wx0000000000000001",
        name="Tea",
        released_bundle=bundle_of("1.0.0"),
        released_version="1.0.0",
        grey_bundle=bundle_of("1.1.0"),
        grey_version="1.1.0",
        grey_percent=30,
    )
    keys = [secrets.token_urlsafe(24) for _ in range(1000)]

    def on_grey() -> set[str]:
        return {key for key in keys if pick_bundle(app, grey_bucket(app.appid, key))[1] == "1.1.0"}

    at_30 = on_grey()
    assert 230 <= len(at_30) <= 370  # binomial(1000, 0.3): 7 standard deviations either side
    app.grey_percent = 60
    at_60 = on_grey()
    assert at_30 < at_60  # the same users keep the new version: nobody goes back
    assert 520 <= len(at_60) <= 680
    assert pick_bundle(app, 59) == (bundle_of("1.1.0"), "1.1.0", "release")
    assert pick_bundle(app, 60) == (bundle_of("1.0.0"), "1.0.0", "release")


def test_a_users_grey_key_is_the_same_everywhere_and_secret() -> None:
    public_id = uuid.uuid4()
    key = grey_key_for_user(server_key=b"k" * 32, user_public_id=public_id)
    assert key == grey_key_for_user(server_key=b"k" * 32, user_public_id=public_id)
    assert key != grey_key_for_user(server_key=b"j" * 32, user_public_id=public_id)
    assert str(public_id) not in key


# --- release, widen, rollback -------------------------------------------------------------------


def test_a_full_release_supersedes_the_previous_one(database: Database) -> None:
    setup = make_setup(database, "1.0.0", "1.1.0")
    release(database, setup, "1.0.0")
    assert serving(database, setup) == ("1.0.0", None, 0)
    release(database, setup, "1.1.0")
    assert serving(database, setup) == ("1.1.0", None, 0)
    assert states(database) == {"1.0.0": "superseded", "1.1.0": "released"}
    with database.read() as session:
        app = session.scalars(select(App)).one()
        assert app.released_bundle == bundle_of("1.1.0")
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["release.released", "release.released"]


def test_refusals_change_nothing(database: Database) -> None:
    setup = make_setup(database, "1.0.0", "1.1.0", "1.2.0")
    with database.transaction() as session:
        session.execute(
            update(AppVersion)
            .where(AppVersion.version == "1.2.0")
            .values(state=VersionState.IN_REVIEW.value)
        )
    before = snapshot(database)
    with pytest.raises(Conflict) as unapproved:
        release(database, setup, "1.2.0")
    assert unapproved.value.code == "version_not_approved"
    with pytest.raises(Conflict) as first_grey:
        release(database, setup, "1.0.0", 50)
    assert first_grey.value.code == "grey_release_needs_full_release"
    with pytest.raises(Conflict) as nothing:
        rollback(database, setup)
    assert nothing.value.code == "nothing_to_roll_back"
    with pytest.raises(Conflict) as no_grey:
        widen(database, setup, 50)
    assert no_grey.value.code == "no_grey_release"
    with pytest.raises(Forbidden) as developer, database.transaction() as session:
        do_release(
            session,
            user=user(database, setup.developer_id),
            appid=setup.appid,
            version="1.0.0",
            percent=100,
            now=utc_now(),
        )
    assert developer.value.code == "role_required"
    assert snapshot(database) == before

    release(database, setup, "1.0.0")
    release(database, setup, "1.1.0", 40)
    before = snapshot(database)
    with pytest.raises(Conflict) as in_progress:
        release(database, setup, "1.2.0")
    assert in_progress.value.code == "grey_release_in_progress"
    for percent in (40, 10, 101):
        with pytest.raises(InvalidInput) as smaller:
            widen(database, setup, percent)
        assert smaller.value.code == "grey_percent_invalid"
    assert snapshot(database) == before


def test_an_unverified_organisation_cannot_release(database: Database) -> None:
    setup = make_setup(database, "1.0.0", verified=False)
    before = snapshot(database)
    with pytest.raises(Forbidden) as refused:
        release(database, setup, "1.0.0")
    assert refused.value.code == "verification_required"
    assert snapshot(database) == before


def test_grey_then_widen_to_everyone(database: Database) -> None:
    setup = make_setup(database, "1.0.0", "1.1.0")
    release(database, setup, "1.0.0")
    release(database, setup, "1.1.0", 30)
    assert serving(database, setup) == ("1.0.0", "1.1.0", 30)
    assert states(database) == {"1.0.0": "released", "1.1.0": "released"}
    widen(database, setup, 60)
    assert serving(database, setup) == ("1.0.0", "1.1.0", 60)
    widen(database, setup, 100)
    assert serving(database, setup) == ("1.1.0", None, 0)
    assert states(database) == {"1.0.0": "superseded", "1.1.0": "released"}


def test_rolling_back_a_grey_release_puts_everyone_on_the_full_release(
    database: Database,
) -> None:
    setup = make_setup(database, "1.0.0", "1.1.0")
    release(database, setup, "1.0.0")
    release(database, setup, "1.1.0", 30)
    rollback(database, setup)
    assert serving(database, setup) == ("1.0.0", None, 0)
    assert states(database) == {"1.0.0": "released", "1.1.0": "approved"}
    with database.read() as session:
        app = session.scalars(select(App)).one()
    assert all(pick_bundle(app, bucket)[1] == "1.0.0" for bucket in range(100))
    # Approved again: it may be released again later.
    release(database, setup, "1.1.0", 50)
    assert serving(database, setup) == ("1.0.0", "1.1.0", 50)


def test_rolling_back_full_releases_goes_back_one_step_at_a_time(database: Database) -> None:
    setup = make_setup(database, "1.0.0", "1.1.0", "1.2.0")
    for label in ("1.0.0", "1.1.0", "1.2.0"):
        release(database, setup, label)
    rollback(database, setup)
    assert serving(database, setup) == ("1.1.0", None, 0)
    assert states(database) == {"1.0.0": "superseded", "1.1.0": "released", "1.2.0": "approved"}
    rollback(database, setup)
    assert serving(database, setup) == ("1.0.0", None, 0)
    assert states(database) == {"1.0.0": "released", "1.1.0": "approved", "1.2.0": "approved"}
    before = snapshot(database)
    with pytest.raises(Conflict) as nothing:
        rollback(database, setup)
    assert nothing.value.code == "nothing_to_roll_back"
    assert snapshot(database) == before
    # Released again after a rollback, then rolled back: back to 1.0.0, not to a rolled-back one.
    release(database, setup, "1.2.0")
    rollback(database, setup)
    assert serving(database, setup) == ("1.0.0", None, 0)

    with database.read() as session:
        history = list_releases(session, user=user(database, setup.admin_id), appid=setup.appid)
        described = [(e.release.action, e.release.version.version) for e in history]
    assert described[:3] == [("rollback", "1.0.0"), ("release", "1.2.0"), ("rollback", "1.0.0")]
    assert history[0].actor is not None
    assert history[0].actor.display_name == "Ada"


def test_releasing_a_bundle_directly_ends_a_grey_release(database: Database) -> None:
    setup = make_setup(database, "1.0.0", "1.1.0")
    release(database, setup, "1.0.0")
    release(database, setup, "1.1.0", 30)
    with database.transaction() as session:
        app = session.scalars(select(App)).one()
        do_release_bundle(session, app=app, bundle_id="f" * 20)
    assert serving(database, setup) == (None, None, 0)
    with database.read() as session:
        app = session.scalars(select(App)).one()
    assert {pick_bundle(app, bucket) for bucket in range(100)} == {("f" * 20, None, "release")}


def test_pick_bundle_needs_a_release() -> None:
    with pytest.raises(ValueError, match="no release"):
        pick_bundle(App(appid="wx0000000000000001", name="Tea", grey_percent=0), 3)


def test_an_unknown_version_is_not_found(database: Database) -> None:
    setup = make_setup(database, "1.0.0")
    with pytest.raises(UserError) as missing:
        release(database, setup, "9.9.9")
    assert missing.value.status_code == 404


def test_a_release_sees_a_verification_revoked_while_it_waited_for_the_lock(
    database: Database,
) -> None:
    """Staff record the fee as unpaid (holding the organisation's lock) while a release waits for
    that lock: the release must judge the organisation as it is once it holds the lock, not as
    it read it before (403 `verification_required`).

    The order is made certain, not timed: the staff transaction commits right after the
    release's first, unlocked read of the organisation. (On SQLite a writing transaction holds
    the database's only write lock from its start, so the release can only come after.)"""
    setup = make_setup(database, "1.0.0")
    locked, read_before_lock, done = threading.Event(), threading.Event(), threading.Event()
    releasing = threading.get_ident()
    on_postgresql = database.engine.dialect.name == "postgresql"

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        # access_app's read joins the memberships; its locking reads come after it.
        if threading.get_ident() == releasing and "memberships" in statement:
            read_before_lock.set()

    def revoke() -> None:
        with database.transaction() as session:
            org = session.scalars(select(Organisation).with_for_update()).one()
            org.verification_fee_paid = False
            session.flush()
            locked.set()
            if on_postgresql:
                assert read_before_lock.wait(10)
        done.set()

    event.listen(database.engine, "after_cursor_execute", seen)
    thread = threading.Thread(target=revoke)
    thread.start()
    try:
        assert locked.wait(10)
        if not on_postgresql:
            assert done.wait(10)
        with pytest.raises(Forbidden) as refused:
            release(database, setup, "1.0.0")
    finally:
        thread.join(10)
        event.remove(database.engine, "after_cursor_execute", seen)
    assert done.is_set()
    assert refused.value.code == "verification_required"
    assert serving(database, setup) == (None, None, 0)


def test_an_older_version_is_never_released_over_a_newer_one(database: Database) -> None:
    # Users would go back to an older version without a rollback: refused, to everyone or grey.
    setup = make_setup(database, "1.0.0", "1.1.0-beta.1", "1.1.0", "1.2.0")
    release(database, setup, "1.1.0")
    before = snapshot(database)
    for label, percent in (("1.0.0", 100), ("1.0.0", 30), ("1.1.0-beta.1", 100)):
        with pytest.raises(Conflict) as older:
            release(database, setup, label, percent)
        assert older.value.code == "version_not_newer"
        assert older.value.params == {"version": label, "released": "1.1.0"}
    assert snapshot(database) == before
    release(database, setup, "1.2.0", 30)  # newer: fine
    assert serving(database, setup) == ("1.1.0", "1.2.0", 30)


def test_versions_order_as_semantic_versions() -> None:
    labels = ["1.10.0", "1.2.0", "1.2.0-beta.2", "1.2.0-beta.10", "0.9.9", "1.2.0-alpha", "2.0.0"]
    assert sorted(labels, key=version_order) == [
        "0.9.9",
        "1.2.0-alpha",
        "1.2.0-beta.2",
        "1.2.0-beta.10",
        "1.2.0",
        "1.10.0",
        "2.0.0",
    ]
