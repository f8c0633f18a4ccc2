"""Shared set-up for the review tests: a team with an app whose profile is complete, an uploaded
version, a platform reviewer, and running the jobs the submissions queue."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from miniapp.accounts.models import AuditEvent
from miniapp.accounts.staff import do_grant_staff_role
from miniapp.accounts.users import find_user_by_login
from miniapp.apps.models import App, AppVersion
from miniapp.db.session import Database
from miniapp.jobs import Job, Worker
from miniapp.settings import Settings
from tests.apps.version_helpers import account, hello_zip, make_team, upload


def make_reviewer(make_client: Any, database: Database, login: str = "rita@example.com") -> Any:
    browser = account(make_client, login, "Rita")
    with database.transaction() as session:
        do_grant_staff_role(session, user=find_user_by_login(session, login=login), role="reviewer")
    return browser


def complete_profile(database: Database, appid: str) -> None:
    """Fill what the profile check asks for (the profile routes have their own tests)."""
    with database.transaction() as session:
        app = session.scalars(select(App).where(App.appid == appid)).one()
        app.description = "Coffee to go, ordered ahead"
        app.category = "food"


def team_with_version(make_client: Any, database: Database, *labels: str) -> dict[str, Any]:
    """make_team's organisation and app, the profile complete, and `labels` uploaded (hello)."""
    team = make_team(make_client, database)
    complete_profile(database, team["appid"])
    for label in labels or ("1.0.0",):
        package = hello_zip(
            {"pages/index/index.wxml": f"<view><text>Hello {label}</text></view>\n"}
        )
        uploaded = upload(team["developer"], team["appid"], label, package)
        assert uploaded.status_code == 201, uploaded.text
    return team


def version_url(appid: str, version: str) -> str:
    return f"/api/console/apps/{appid}/versions/{version}"


def run_jobs(database: Database, settings: Settings) -> int:
    """Run every job that is due (the checks of submitted versions among them), as the server's
    worker does: with the server's settings."""
    return Worker(database, worker_id="review-tests", settings=settings).run_until_idle()


def queued_checks(database: Database) -> int:
    with database.read() as session:
        return (
            session.scalar(select(func.count()).select_from(Job).where(Job.kind == "review.check"))
            or 0
        )


def audit_actions(database: Database) -> list[str]:
    with database.read() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def version_row(database: Database, appid: str, version: str) -> AppVersion:
    with database.read() as session:
        return session.scalars(
            select(AppVersion)
            .join(App, App.id == AppVersion.app_id)
            .where(App.appid == appid, AppVersion.version == version)
        ).one()
