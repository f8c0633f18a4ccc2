"""The review services: the one-in-review guard down to the database, the queue's order, who
reviews, and what a reason may be."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from miniapp.accounts.models import User
from miniapp.accounts.principal import Principal
from miniapp.accounts.staff import do_grant_staff_role
from miniapp.accounts.users import find_user_by_login
from miniapp.apps.models import App
from miniapp.apps.registry import do_register_app
from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.errors import Conflict, Forbidden, InvalidInput
from miniapp.review import submissions
from miniapp.review.check_job import do_check_version
from miniapp.review.submissions import (
    access_review_version,
    check_review_reasons,
    do_approve_version,
    do_reject_version,
    do_submit_version,
    list_review_queue,
)
from miniapp.settings import Settings
from tests.apps.version_helpers import account, hello_zip, upload
from tests.review.review_helpers import (
    audit_actions,
    complete_profile,
    queued_checks,
    team_with_version,
    version_row,
)


def user(database: Database, login: str) -> Principal:
    with database.read() as session:
        return Principal.of(session.scalars(select(User).where(User.email == login)).one())


def test_the_unique_index_is_the_final_guard(
    make_client: Any, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = team_with_version(make_client, database, "1.0.0", "1.1.0")
    ada = user(database, "ada@example.com")
    with database.transaction() as session:
        do_submit_version(session, user=ada, appid=team["appid"], version="1.0.0")
    # A racing request that read before the first one committed sees no other submission.
    monkeypatch.setattr(submissions, "_other_in_review", lambda session, version: None)
    with pytest.raises(Conflict) as refused, database.transaction() as session:
        do_submit_version(session, user=ada, appid=team["appid"], version="1.1.0")
    assert refused.value.code == "review_in_progress"
    assert version_row(database, team["appid"], "1.1.0").state == "development"
    assert version_row(database, team["appid"], "1.1.0").submitted_at is None
    assert queued_checks(database) == 1
    assert audit_actions(database).count("version.submitted") == 1


def test_the_queue_is_oldest_submission_first(
    make_client: Any, database: Database, settings: Settings
) -> None:
    team = team_with_version(make_client, database, "1.0.0")
    ada = user(database, "ada@example.com")
    # A second app of the same organisation, with a version of its own.
    with database.transaction() as session:
        organisation = session.get(App, version_row(database, team["appid"], "1.0.0").app_id)
        assert organisation is not None
        second = do_register_app(
            session, name="Acme Beans", organisation=organisation.organisation
        ).appid
    complete_profile(database, second)
    assert upload(team["developer"], second, "2.0.0", hello_zip()).status_code == 201
    now = utc_now()
    with database.transaction() as session:
        do_submit_version(session, user=ada, appid=second, version="2.0.0", now=now)
    with database.transaction() as session:
        do_submit_version(
            session, user=ada, appid=team["appid"], version="1.0.0", now=now - timedelta(hours=1)
        )
    for appid, label in ((second, "2.0.0"), (team["appid"], "1.0.0")):
        version_id = version_row(database, appid, label).id
        assert do_check_version(database, settings=settings, version_id=version_id, now=now)

    account(make_client, "boss@example.com", "Boss")
    with database.transaction() as session:
        boss = find_user_by_login(session, login="boss@example.com")
        do_grant_staff_role(session, user=boss, role="platform_admin")
    boss = user(database, "boss@example.com")
    with database.read() as session:
        queue = list_review_queue(session, user=boss)
        assert [(v.app.appid, v.version) for v in queue] == [
            (team["appid"], "1.0.0"),
            (second, "2.0.0"),
        ]
    # Platform admins may do all a reviewer does.
    with database.transaction() as session:
        do_approve_version(session, user=boss, version_id=queue[0].public_id)
    assert version_row(database, team["appid"], "1.0.0").state == "approved"


def test_only_staff_review(make_client: Any, database: Database) -> None:
    team = team_with_version(make_client, database, "1.0.0")
    ada = user(database, "ada@example.com")
    with database.transaction() as session:
        version = do_submit_version(session, user=ada, appid=team["appid"], version="1.0.0")
        public_id = version.public_id
    with database.read() as session:
        with pytest.raises(Forbidden):
            list_review_queue(session, user=ada)
        with pytest.raises(Forbidden):
            access_review_version(session, user=ada, version_id=public_id)


def test_reasons() -> None:
    assert check_review_reasons(["  Fix\tthe  title ", "中文理由"]) == ["Fix the title", "中文理由"]
    assert check_review_reasons(["x" * 500] * 10) == ["x" * 500] * 10
    for bad in ([], [""], ["\n"], ["x" * 501], ["ok"] * 11, ["zero\u200bwidth"], ["a\x00b"]):
        with pytest.raises(InvalidInput) as refused:
            check_review_reasons(bad)
        assert refused.value.code == "review_reasons_invalid"
        assert refused.value.field == "reasons"


def test_a_reviewer_who_is_a_member_cannot_decide_on_their_own_app(
    make_client: Any, database: Database, settings: Settings
) -> None:
    """Conflict of interest: staff who belong to the app's organisation neither approve nor
    reject its versions (403 `conflict_of_interest`); an outside reviewer still does."""
    team = team_with_version(make_client, database, "1.0.0")
    ada = user(database, "ada@example.com")
    with database.transaction() as session:
        version = do_submit_version(session, user=ada, appid=team["appid"], version="1.0.0")
        public_id, version_id = version.public_id, version.id
    assert do_check_version(database, settings=settings, version_id=version_id, now=utc_now())
    with database.transaction() as session:
        do_grant_staff_role(
            session,
            user=find_user_by_login(session, login="developer@example.com"),
            role="reviewer",
        )
        do_grant_staff_role(
            session,
            user=find_user_by_login(session, login="ada@example.com"),
            role="platform_admin",
        )
    for login in ("developer@example.com", "ada@example.com"):
        staff = user(database, login)
        with pytest.raises(Forbidden) as refused, database.transaction() as session:
            do_approve_version(session, user=staff, version_id=public_id)
        assert refused.value.code == "conflict_of_interest"
        with pytest.raises(Forbidden) as refused, database.transaction() as session:
            do_reject_version(session, user=staff, version_id=public_id, reasons=["Fine by me"])
        assert refused.value.code == "conflict_of_interest"
    assert version_row(database, team["appid"], "1.0.0").state == "in_review"
    account(make_client, "rita@example.com", "Rita")
    with database.transaction() as session:
        do_grant_staff_role(
            session, user=find_user_by_login(session, login="rita@example.com"), role="reviewer"
        )
    with database.transaction() as session:
        do_approve_version(session, user=user(database, "rita@example.com"), version_id=public_id)
    assert version_row(database, team["appid"], "1.0.0").state == "approved"
