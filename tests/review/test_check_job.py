"""The review.check job: run by hand and by the worker; at-least-once safe; withdrawn versions
left alone; a lost package rejects the version."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import select

from miniapp.accounts.models import AuditEvent
from miniapp.accounts.private_documents import PrivateStore
from miniapp.apps.models import App
from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.jobs import Job, JobContext, JobStatus, get_job_kind
from miniapp.review import check_job
from miniapp.review.check_job import (
    AUTOMATED_CHECKS_FAILED,
    CHECK_KIND,
    check_submitted_version,
    do_check_version,
)
from miniapp.settings import Settings
from tests.review.review_helpers import (
    run_jobs,
    team_with_version,
    version_row,
    version_url,
)


def context(database: Database, settings: Settings) -> JobContext:
    return JobContext(
        database=database,
        job_public_id=uuid.uuid4(),
        kind=CHECK_KIND,
        attempt=1,
        max_attempts=5,
        clock=utc_now,
        settings=settings,
    )


def submitted(make_client: Any, database: Database) -> tuple[dict[str, Any], int]:
    team = team_with_version(make_client, database, "1.0.0")
    response = team["admin"].post(version_url(team["appid"], "1.0.0") + "/submit")
    assert response.status_code == 200, response.text
    return team, version_row(database, team["appid"], "1.0.0").id


def checked_audits(database: Database) -> list[dict[str, Any]]:
    with database.read() as session:
        return [
            event.detail
            for event in session.scalars(
                select(AuditEvent).where(AuditEvent.action == "version.checked")
            )
        ]


def test_the_kind_is_registered() -> None:
    kind = get_job_kind(CHECK_KIND)
    assert kind.handler is check_submitted_version
    assert kind.max_attempts > 1


def test_the_handler_moves_the_version_to_review_once(
    make_client: Any, database: Database, settings: Settings
) -> None:
    team, version_id = submitted(make_client, database)
    check_submitted_version(context(database, settings), {"version_id": version_id})
    row = version_row(database, team["appid"], "1.0.0")
    assert row.state == "in_review"
    assert row.checked_at is not None
    first_check = row.checked_at
    # At-least-once: a second run of the same job changes nothing.
    check_submitted_version(context(database, settings), {"version_id": version_id})
    again = version_row(database, team["appid"], "1.0.0")
    assert (again.state, again.checked_at) == ("in_review", first_check)
    [detail] = checked_audits(database)
    assert detail["outcome"] == "in_review" and detail["version"] == "1.0.0"
    assert detail["appid"] == team["appid"]


def test_the_worker_runs_it(make_client: Any, database: Database, settings: Settings) -> None:
    team, _ = submitted(make_client, database)
    run_jobs(database, settings)
    with database.read() as session:
        [job] = session.scalars(select(Job).where(Job.kind == CHECK_KIND))
    assert job.status == JobStatus.DONE
    assert version_row(database, team["appid"], "1.0.0").state == "in_review"


def test_errors_reject_the_version(
    make_client: Any, database: Database, settings: Settings
) -> None:
    team, version_id = submitted(make_client, database)
    # The profile became incomplete after the submission: the checks see it as it is now.
    with database.transaction() as session:
        app = session.scalars(select(App).where(App.appid == team["appid"])).one()
        app.category = None
    outcome = do_check_version(database, settings=settings, version_id=version_id, now=utc_now())
    assert outcome == "rejected"
    row = version_row(database, team["appid"], "1.0.0")
    assert row.state == "rejected"
    assert row.review_reasons == [AUTOMATED_CHECKS_FAILED]
    assert [(f["check"], f["severity"], f["file"]) for f in row.findings] == [
        ("profile", "error", "app.json")
    ]
    assert checked_audits(database)[0]["errors"] == 1


def test_a_withdrawn_version_stays_withdrawn(
    make_client: Any, database: Database, settings: Settings
) -> None:
    team, version_id = submitted(make_client, database)
    assert team["admin"].post(version_url(team["appid"], "1.0.0") + "/withdraw").status_code == 200
    assert (
        do_check_version(database, settings=settings, version_id=version_id, now=utc_now()) is None
    )
    row = version_row(database, team["appid"], "1.0.0")
    assert (row.state, row.checked_at, row.findings) == ("development", None, [])
    assert checked_audits(database) == []
    assert do_check_version(database, settings=settings, version_id=10**9, now=utc_now()) is None


def test_a_lost_package_rejects_the_version(
    make_client: Any, database: Database, settings: Settings
) -> None:
    team, version_id = submitted(make_client, database)
    row = version_row(database, team["appid"], "1.0.0")
    PrivateStore.for_settings(settings).delete(row.source_key)
    assert do_check_version(database, settings=settings, version_id=version_id, now=utc_now()) == (
        "rejected"
    )
    row = version_row(database, team["appid"], "1.0.0")
    assert row.state == "rejected"
    assert [(f["check"], f["file"]) for f in row.findings] == [("compile", "package")]


def test_checks_that_crash_are_retried_then_reject_the_version_on_the_last_attempt(
    make_client: Any, database: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bug in the checks is simulated (the checks raise); the version must not stay
    # "checking" for good, holding the app's only review slot.
    def broken(**_kwargs: Any) -> None:
        raise RuntimeError("a bug in the checks")

    monkeypatch.setattr(check_job, "run_checks", broken)
    team, version_id = submitted(make_client, database)
    with pytest.raises(RuntimeError):
        do_check_version(database, settings=settings, version_id=version_id, now=utc_now())
    assert version_row(database, team["appid"], "1.0.0").state == "checking"
    outcome = do_check_version(
        database, settings=settings, version_id=version_id, now=utc_now(), last_attempt=True
    )
    assert outcome == "rejected"
    row = version_row(database, team["appid"], "1.0.0")
    assert row.review_reasons == [AUTOMATED_CHECKS_FAILED]
    assert [(f["check"], f["file"], f["severity"]) for f in row.findings] == [
        ("compile", "package", "error")
    ]
