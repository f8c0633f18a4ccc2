"""Shared set-up for the version and release tests: a team in an organisation, an app, zips.

The review flow (helper modules in review/) decides whether a version is approved; these tests
put the `approved` state directly in the database (`approve`), and make an organisation's
verification in force directly too (`verify`): both flows have their own tests.
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from miniapp.accounts.models import Organisation, VerificationStatus
from miniapp.apps.models import App, AppVersion, VersionState
from miniapp.apps.registry import do_register_app
from miniapp.clock import utc_now
from miniapp.db.session import Database

HELLO = Path(__file__).resolve().parents[2] / "examples" / "hello"
PASSWORD = "correct-horse-42"


def hello_zip(overrides: dict[str, str | bytes] | None = None, *, folder: str = "") -> bytes:
    """examples/hello zipped as `miniapp upload` would, with files replaced or added."""
    overrides = dict(overrides or {})
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(HELLO.rglob("*")):
            if path.is_file():
                name = path.relative_to(HELLO).as_posix()
                data = overrides.pop(name, path.read_bytes())
                archive.writestr(folder + name, data)
        for name, data in overrides.items():
            archive.writestr(folder + name, data)
    return out.getvalue()


def labelled_zip(label: str) -> bytes:
    """hello whose first page names the version: each label compiles to its own bundle."""
    return hello_zip({"pages/index/index.wxml": f"<view><text>Hello {label}</text></view>\n"})


def missing_page_zip() -> bytes:
    app_json = json.loads((HELLO / "app.json").read_text())
    app_json["pages"].append("pages/missing/missing")
    return hello_zip({"app.json": json.dumps(app_json, indent=2)})


def broken_wxml_zip() -> bytes:
    return hello_zip({"pages/index/index.wxml": "<view>\n  <text>hi</view>\n"})


def account(make_client: Any, login: str, name: str, *, developer: bool = False) -> Any:
    browser = make_client()
    response = browser.post(
        "/api/accounts/signup", json={"login": login, "password": PASSWORD, "display_name": name}
    )
    assert response.status_code == 201, response.text
    browser.user_id = response.json()["user"]["id"]
    if developer:
        assert browser.post("/api/console/developer").status_code == 200
    return browser


def join(admin: Any, member: Any, org: str, login: str, role: str) -> None:
    invited = admin.post(
        f"/api/console/organisations/{org}/members", json={"login": login, "role": role}
    )
    assert invited.status_code == 201, invited.text
    accepted = member.post(f"/api/console/invitations/{org}/accept")
    assert accepted.status_code == 200, accepted.text


def make_team(make_client: Any, database: Database) -> dict[str, Any]:
    """An organisation with one member of each role, an outsider, and an app (made directly)."""
    admin = account(make_client, "ada@example.com", "Ada", developer=True)
    created = admin.post("/api/console/organisations", json={"name": "Acme Coffee"})
    assert created.status_code == 201, created.text
    org = created.json()["organisation"]["id"]
    team: dict[str, Any] = {"admin": admin, "org": org}
    for role in ("developer", "operator", "analyst", "tester"):
        login = f"{role}@example.com"
        team[role] = account(make_client, login, role.title())
        join(admin, team[role], org, login, role)
    team["outsider"] = account(make_client, "out@example.com", "Out", developer=True)
    with database.transaction() as session:
        organisation = session.scalars(
            select(Organisation).where(Organisation.public_id == uuid.UUID(org))
        ).one()
        team["appid"] = do_register_app(session, name="Acme Cafe", organisation=organisation).appid
    return team


def upload(client: Any, appid: str, version: str, package: bytes, description: str = "") -> Any:
    return client.post(
        f"/api/console/apps/{appid}/versions",
        data={"version": version, "description": description},
        files={"package": ("package.zip", package, "application/zip")},
    )


def verify(database: Database, appid: str, *, days: int = 365) -> None:
    """Put the app's organisation's verification in force (or expired, with days < 0)."""
    with database.transaction() as session:
        app = session.scalars(select(App).where(App.appid == appid)).one()
        organisation = session.get(Organisation, app.organisation_id)
        assert organisation is not None
        organisation.verification_status = VerificationStatus.VERIFIED.value
        organisation.verification_fee_paid = True
        organisation.verified_until = utc_now() + timedelta(days=days)


def approve(database: Database, appid: str, version: str) -> None:
    """Mark a version approved, as a reviewer's approval would (the review flow is tested in
    tests/review)."""
    set_state(database, appid, version, VersionState.APPROVED)


def set_state(database: Database, appid: str, version: str, state: VersionState) -> None:
    with database.transaction() as session:
        row = session.scalars(
            select(AppVersion)
            .join(App, App.id == AppVersion.app_id)
            .where(App.appid == appid, AppVersion.version == version)
        ).one()
        row.state = state.value
        row.decided_at = utc_now() if state == VersionState.APPROVED else row.decided_at


def app_row(database: Database, appid: str) -> App:
    with database.read() as session:
        return session.scalars(select(App).where(App.appid == appid)).one()


def version_states(database: Database, appid: str) -> dict[str, str]:
    with database.read() as session:
        rows = session.execute(
            select(AppVersion.version, AppVersion.state)
            .join(App, App.id == AppVersion.app_id)
            .where(App.appid == appid)
        ).all()
    return dict(rows)
