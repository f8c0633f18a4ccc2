"""Versions and releases over HTTP, on SQLite and PostgreSQL: upload, trial, preview, launch of a
build, release, grey release, widening and rollback, each refused where it must be.

Approval is put in the database directly (tests/apps/version_helpers.approve): the review flow
is tested in tests/review. So is an organisation's verification (`verify`).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import event, func, select

from miniapp.accounts.models import AuditEvent, PrivateDocument
from miniapp.apps.models import AppRelease, AppVersion, VersionState
from miniapp.apps.releases import GREY_COOKIE, grey_bucket, grey_key_for_user
from miniapp.db.session import Database
from tests.apps.version_helpers import (
    account,
    app_row,
    approve,
    broken_wxml_zip,
    hello_zip,
    labelled_zip,
    make_team,
    missing_page_zip,
    set_state,
    upload,
    verify,
    version_states,
)


@pytest.fixture
def team(make_client: Any, database: Database) -> dict[str, Any]:
    return make_team(make_client, database)


def error(response: Any) -> dict[str, Any]:
    found: dict[str, Any] = response.json()["error"]
    return found


def counts(database: Database) -> tuple[int, int, int]:
    """(versions, audit entries, release history rows)."""
    with database.read() as session:
        return (
            session.scalar(select(func.count()).select_from(AppVersion)) or 0,
            session.scalar(select(func.count()).select_from(AuditEvent)) or 0,
            session.scalar(select(func.count()).select_from(AppRelease)) or 0,
        )


def private_files(app: FastAPI) -> list[str]:
    root = app.state.settings.data_dir / "private"
    return sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []


def launch(client: Any, appid: str, build: str | None = None) -> Any:
    query = "" if build is None else f"?build={build}"
    return client.get(f"/api/runtime/apps/{appid}/launch{query}")


# --- upload -------------------------------------------------------------------------------------


def test_a_developer_uploads_a_version_and_members_see_it_listed(
    team: dict[str, Any], app: FastAPI, database: Database
) -> None:
    appid = team["appid"]
    uploaded = upload(team["developer"], appid, "1.0.0", hello_zip(), "First cut")
    assert uploaded.status_code == 201, uploaded.text
    body = uploaded.json()
    version = body["version"]
    assert version["version"] == "1.0.0"
    assert version["description"] == "First cut"
    assert version["state"] == "development"
    assert version["is_trial"] is False
    assert version["uploaded_by"]["display_name"] == "Developer"
    assert version["size_bytes"] == len(hello_zip())
    assert body["report"]["packages"]  # the compiler's size report
    # The zip is kept privately; the bundle is in the bundle store.
    assert len(private_files(app)) == 1
    with database.read() as session:
        row = session.scalars(select(AppVersion)).one()
    assert (app.state.bundle_store.manifests_dir / f"{row.bundle_id}.json").exists()

    assert upload(team["admin"], appid, "1.1.0-beta.1", labelled_zip("b")).status_code == 201
    for reader in ("analyst", "tester", "admin"):
        listed = team[reader].get(f"/api/console/apps/{appid}/versions")
        assert listed.status_code == 200, listed.text
        assert [v["version"] for v in listed.json()["versions"]] == ["1.1.0-beta.1", "1.0.0"]
    one = team["tester"].get(f"/api/console/apps/{appid}/versions/1.0.0")
    assert one.json()["version"]["id"] == version["id"]
    assert one.json()["version"]["findings"] == []
    by_id = team["tester"].get(f"/api/console/apps/{appid}/versions/{version['id']}")
    assert by_id.json()["version"]["version"] == "1.0.0"
    audit = team["admin"].get(f"/api/console/organisations/{team['org']}/audit").json()["events"]
    uploads = [e for e in audit if e["action"] == "version.uploaded"]
    assert len(uploads) == 2


def test_a_zip_of_the_project_folder_itself_is_read_like_the_folder(team: dict[str, Any]) -> None:
    response = upload(team["developer"], team["appid"], "1.0.0", hello_zip(folder="hello/"))
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    ("package", "file", "line", "code"),
    [
        (missing_page_zip, "app.json", 4, "PAGE_NOT_FOUND"),
        (broken_wxml_zip, "pages/index/index.wxml", 2, "WXML_UNCLOSED_TAG"),
        (lambda: b"not a zip at all", "package", 0, "ZIP_INVALID"),
    ],
)
def test_a_package_that_does_not_compile_is_refused_with_file_and_line_and_nothing_is_stored(
    *,
    team: dict[str, Any],
    app: FastAPI,
    database: Database,
    package: Any,
    file: str,
    line: int,
    code: str,
) -> None:
    before = counts(database)
    response = upload(team["developer"], team["appid"], "1.0.0", package())
    assert response.status_code == 422, response.text
    refused = error(response)
    assert refused["code"] == "package_invalid"
    assert refused["field"] == "package"
    diagnostics = refused["params"]["diagnostics"]
    assert {"file": file, "line": line, "code": code} in [
        {k: d[k] for k in ("file", "line", "code")} for d in diagnostics
    ]
    assert set(diagnostics[0]) == {"file", "line", "column", "code", "message"}
    assert counts(database) == before
    assert private_files(app) == []
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(PrivateDocument)) == 0


def test_a_label_the_app_already_has_is_refused(team: dict[str, Any], database: Database) -> None:
    assert upload(team["developer"], team["appid"], "1.0.0", hello_zip()).status_code == 201
    before = counts(database)
    again = upload(team["developer"], team["appid"], "1.0.0", labelled_zip("x"))
    assert again.status_code == 409
    assert (error(again)["code"], error(again)["field"]) == ("version_exists", "version")
    assert counts(database) == before


@pytest.mark.parametrize("label", ["1.0", "v1.0.0", "01.0.0", "1.0.0-", "1.0.0+build", "9" * 33])
def test_a_malformed_version_label_is_refused(
    team: dict[str, Any], database: Database, label: str
) -> None:
    before = counts(database)
    response = upload(team["developer"], team["appid"], label, hello_zip())
    assert response.status_code == 422
    assert (error(response)["code"], error(response)["field"]) == ("version_invalid", "version")
    assert counts(database) == before


def test_only_developers_and_admins_upload_and_outsiders_learn_nothing(
    team: dict[str, Any], make_client: Any, database: Database
) -> None:
    before = counts(database)
    for role in ("tester", "analyst", "operator"):
        refused = upload(team[role], team["appid"], "1.0.0", hello_zip())
        assert refused.status_code == 403, role
        assert error(refused)["code"] == "role_required"
        assert error(refused)["params"]["role"] == "developer"
    outsider = upload(team["outsider"], team["appid"], "1.0.0", hello_zip())
    assert (outsider.status_code, error(outsider)["code"]) == (404, "not_found")
    unknown = upload(team["developer"], "wx" + "0" * 16, "1.0.0", hello_zip())
    assert unknown.status_code == 404
    assert team["outsider"].get(f"/api/console/apps/{team['appid']}/versions").status_code == 404
    signed_out = make_client().get(f"/api/console/apps/{team['appid']}/versions")
    assert signed_out.status_code == 401
    assert counts(database) == before


# --- trial and preview --------------------------------------------------------------------------


def test_the_admin_sets_one_trial_version_at_a_time(
    team: dict[str, Any], database: Database
) -> None:
    appid = team["appid"]
    for label in ("1.0.0", "1.1.0"):
        assert upload(team["developer"], appid, label, labelled_zip(label)).status_code == 201
    before = counts(database)
    refused = team["developer"].post(f"/api/console/apps/{appid}/versions/1.0.0/trial")
    assert (refused.status_code, error(refused)["code"]) == (403, "role_required")
    assert counts(database) == before

    first = team["admin"].post(f"/api/console/apps/{appid}/versions/1.0.0/trial")
    assert first.status_code == 200, first.text
    assert first.json()["version"]["is_trial"] is True
    second = team["admin"].post(f"/api/console/apps/{appid}/versions/1.1.0/trial")
    assert second.json()["version"]["is_trial"] is True
    listed = team["tester"].get(f"/api/console/apps/{appid}/versions").json()["versions"]
    assert {v["version"]: v["is_trial"] for v in listed} == {"1.1.0": True, "1.0.0": False}
    missing = team["admin"].post(f"/api/console/apps/{appid}/versions/9.9.9/trial")
    assert missing.status_code == 404


def test_members_open_the_trial_others_are_told_the_app_does_not_exist(
    team: dict[str, Any], make_client: Any
) -> None:
    appid = team["appid"]
    assert upload(team["developer"], appid, "1.0.0", hello_zip()).status_code == 201
    assert team["admin"].post(f"/api/console/apps/{appid}/versions/1.0.0/trial").status_code == 200

    for role in ("tester", "developer", "operator", "admin"):
        opened = launch(team[role], appid, "trial")
        assert opened.status_code == 200, (role, opened.text)
        info = opened.json()
        assert (info["version"], info["envVersion"]) == ("1.0.0", "trial")
        assert info["manifest"]["app"]["pages"] == ["pages/index/index"]
        assert "no-store" in opened.headers["cache-control"]
    for who in (team["analyst"], team["outsider"], make_client()):
        refused = launch(who, appid, "trial")
        assert (refused.status_code, error(refused)["code"]) == (404, "app_not_found")
    # Nothing is released: without `build` the app is unknown, even to its members.
    for who in (team["tester"], make_client()):
        assert error(launch(who, appid))["code"] == "app_not_found"
    assert team["tester"].get("/api/runtime/apps").json()["apps"] == []
    assert launch(team["tester"], appid, "not-a-build").status_code == 404


def test_a_preview_link_opens_that_build_for_members_and_reviewers_in_review(
    team: dict[str, Any], make_client: Any, database: Database
) -> None:
    appid = team["appid"]
    uploaded = upload(team["developer"], appid, "1.0.0", hello_zip())
    version_id = uploaded.json()["version"]["id"]
    preview = team["tester"].post(f"/api/console/apps/{appid}/versions/1.0.0/preview")
    assert preview.status_code == 200, preview.text
    assert preview.json()["url"] == f"https://testserver/#app/{appid}?build={version_id}"
    assert preview.json()["qr_svg"].startswith("<svg")
    refused = team["analyst"].post(f"/api/console/apps/{appid}/versions/1.0.0/preview")
    assert refused.status_code == 403
    assert (
        team["outsider"].post(f"/api/console/apps/{appid}/versions/1.0.0/preview").status_code
        == 404
    )

    opened = launch(team["developer"], appid, version_id)
    assert opened.status_code == 200
    assert (opened.json()["version"], opened.json()["envVersion"]) == ("1.0.0", "develop")

    # A platform reviewer opens it while it is in review, and not otherwise.
    reviewer = account(make_client, "rev@example.com", "Rev")
    from miniapp.accounts.models import User
    from miniapp.accounts.staff import do_grant_staff_role

    with database.transaction() as session:
        user = session.scalars(select(User).where(User.email == "rev@example.com")).one()
        do_grant_staff_role(session, user=user, role="reviewer")
    assert launch(reviewer, appid, version_id).status_code == 404
    set_state(database, appid, "1.0.0", VersionState.IN_REVIEW)
    assert launch(reviewer, appid, version_id).status_code == 200
    assert launch(team["outsider"], appid, version_id).status_code == 404


# --- release ------------------------------------------------------------------------------------


def _ready(team: dict[str, Any], database: Database, *labels: str) -> None:
    for label in labels:
        response = upload(team["developer"], team["appid"], label, labelled_zip(label))
        assert response.status_code == 201, response.text
        approve(database, team["appid"], label)


def release(client: Any, appid: str, version: str, percent: int | None = None) -> Any:
    body: dict[str, Any] = {"version": version}
    if percent is not None:
        body["percent"] = percent
    return client.post(f"/api/console/apps/{appid}/release", json=body)


def test_releasing_needs_an_approved_version_an_admin_and_a_verified_organisation(
    team: dict[str, Any], database: Database
) -> None:
    appid = team["appid"]
    assert upload(team["developer"], appid, "1.0.0", hello_zip()).status_code == 201
    before = counts(database)

    unverified = release(team["admin"], appid, "1.0.0")
    assert (unverified.status_code, error(unverified)["code"]) == (403, "verification_required")
    verify(database, appid)
    unapproved = release(team["admin"], appid, "1.0.0")
    assert (unapproved.status_code, error(unapproved)["code"]) == (409, "version_not_approved")
    approve(database, appid, "1.0.0")
    developer = release(team["developer"], appid, "1.0.0")
    assert (developer.status_code, error(developer)["code"]) == (403, "role_required")
    assert release(team["outsider"], appid, "1.0.0").status_code == 404
    for percent in (0, 101):
        bad = release(team["admin"], appid, "1.0.0", percent)
        assert (bad.status_code, error(bad)["code"]) == (422, "grey_percent_invalid")
    assert counts(database) == before
    assert version_states(database, appid) == {"1.0.0": "approved"}
    assert app_row(database, appid).released_bundle is None

    released = release(team["admin"], appid, "1.0.0")
    assert released.status_code == 200, released.text
    assert released.json() == {
        "release": {"version": "1.0.0", "grey_version": None, "grey_percent": 0}
    }
    assert version_states(database, appid) == {"1.0.0": "released"}
    info = launch(team["outsider"], appid).json()
    assert (info["version"], info["envVersion"]) == ("1.0.0", "release")
    assert [a["appid"] for a in team["outsider"].get("/api/runtime/apps").json()["apps"]] == [appid]


def test_an_expired_verification_stops_releases(team: dict[str, Any], database: Database) -> None:
    _ready(team, database, "1.0.0")
    verify(database, team["appid"], days=-1)
    refused = release(team["admin"], team["appid"], "1.0.0")
    assert (refused.status_code, error(refused)["code"]) == (403, "verification_required")


def test_grey_release_widen_and_rollback_over_http(
    team: dict[str, Any], make_client: Any, database: Database
) -> None:
    appid = team["appid"]
    verify(database, appid)
    _ready(team, database, "1.0.0", "1.1.0", "1.2.0")
    assert release(team["admin"], appid, "1.0.0").status_code == 200
    grey = release(team["admin"], appid, "1.1.0", 30)
    assert grey.json()["release"] == {
        "version": "1.0.0",
        "grey_version": "1.1.0",
        "grey_percent": 30,
    }

    # Browsers whose bucket is below 30 get 1.1.0; the others 1.0.0.
    browser = make_client()
    first = launch(browser, appid)
    key = browser.cookies.get(GREY_COOKIE)
    assert key
    expected = "1.1.0" if grey_bucket(appid, key) < 30 else "1.0.0"
    assert first.json()["version"] == expected
    assert launch(browser, appid).json()["version"] == expected  # the same on the next launch
    assert browser.cookies.get(GREY_COOKIE) == key

    before = counts(database)
    second = release(team["admin"], appid, "1.2.0")
    assert (second.status_code, error(second)["code"]) == (409, "grey_release_in_progress")
    shrink = team["admin"].post(f"/api/console/apps/{appid}/release/widen", json={"percent": 20})
    assert (shrink.status_code, error(shrink)["code"]) == (422, "grey_percent_invalid")
    assert counts(database) == before

    widened = team["admin"].post(f"/api/console/apps/{appid}/release/widen", json={"percent": 100})
    assert widened.json()["release"] == {
        "version": "1.1.0",
        "grey_version": None,
        "grey_percent": 0,
    }
    assert version_states(database, appid)["1.0.0"] == "superseded"
    assert launch(browser, appid).json()["version"] == "1.1.0"

    rolled = team["admin"].post(f"/api/console/apps/{appid}/release/rollback")
    assert rolled.json()["release"]["version"] == "1.0.0"
    assert launch(browser, appid).json()["version"] == "1.0.0"
    assert version_states(database, appid) == {
        "1.0.0": "released",
        "1.1.0": "approved",
        "1.2.0": "approved",
    }
    nothing = team["admin"].post(f"/api/console/apps/{appid}/release/rollback")
    assert (nothing.status_code, error(nothing)["code"]) == (409, "nothing_to_roll_back")

    history = team["analyst"].get(f"/api/console/apps/{appid}/releases").json()["releases"]
    assert [(h["action"], h["version"], h["percent"]) for h in history] == [
        ("rollback", "1.0.0", 100),
        ("widen", "1.1.0", 100),
        ("grey", "1.1.0", 30),
        ("release", "1.0.0", 100),
    ]
    assert history[0]["actor"]["display_name"] == "Ada"
    audit = team["admin"].get(f"/api/console/organisations/{team['org']}/audit").json()["events"]
    actions = [e["action"] for e in audit]
    for action in ("release.released", "release.grey", "release.widened", "release.rolled_back"):
        assert action in actions
    assert team["outsider"].get(f"/api/console/apps/{appid}/releases").status_code == 404


def test_who_ran_the_grey_version_keeps_it_when_their_bucket_changes_until_a_rollback(
    team: dict[str, Any], make_client: Any, database: Database
) -> None:
    """Signing in on a browser where the app was used signed out changes the bucket key; the
    host says which bundle it started last (`ran`), and that keeps the grey version."""
    appid = team["appid"]
    verify(database, appid)
    _ready(team, database, "1.0.0", "1.1.0")
    release(team["admin"], appid, "1.0.0")
    release(team["admin"], appid, "1.1.0", 30)
    inside = next(f"key-{n:012d}" for n in range(1000) if grey_bucket(appid, f"key-{n:012d}") < 30)
    outside = next(
        f"key-{n:012d}" for n in range(1000) if grey_bucket(appid, f"key-{n:012d}") >= 30
    )
    browser = make_client()
    browser.cookies.set(GREY_COOKIE, inside)
    grey = launch(browser, appid).json()
    assert grey["version"] == "1.1.0"
    browser.cookies.set(GREY_COOKIE, outside)  # e.g. signed in: the user's own key
    assert launch(browser, appid).json()["version"] == "1.0.0"  # a new user out of the share
    ran = f"/api/runtime/apps/{appid}/launch?ran={grey['bundle']}"
    assert browser.get(ran).json()["version"] == "1.1.0"  # but not one who ran 1.1.0
    rolled = team["admin"].post(f"/api/console/apps/{appid}/release/rollback")
    assert rolled.status_code == 200
    assert browser.get(ran).json()["version"] == "1.0.0"  # a rollback takes everyone back


# --- the grey cookie, and what a launch costs ---------------------------------------------------


def test_sign_up_and_sign_in_set_the_users_own_grey_key(
    make_client: Any, app: FastAPI, database: Database
) -> None:
    browser = account(make_client, "g@example.com", "G")
    key = browser.cookies.get(GREY_COOKIE)
    other_device = make_client()
    signed_in = other_device.post(
        "/api/accounts/login", json={"login": "g@example.com", "password": "correct-horse-42"}
    )
    assert signed_in.status_code == 200
    assert other_device.cookies.get(GREY_COOKIE) == key  # the same bucket on every device
    import uuid

    expected = grey_key_for_user(
        server_key=app.state.settings.server_key, user_public_id=uuid.UUID(browser.user_id)
    )
    assert key == expected
    cookie = next(h for h in signed_in.headers.get_list("set-cookie") if h.startswith(GREY_COOKIE))
    assert "HttpOnly" in cookie
    assert "Secure" in cookie
    assert "SameSite=lax" in cookie
    assert "Max-Age=31536000" in cookie


def test_a_warm_public_launch_costs_one_sql_statement_with_a_grey_release(
    team: dict[str, Any], make_client: Any, database: Database
) -> None:
    appid = team["appid"]
    verify(database, appid)
    _ready(team, database, "1.0.0", "1.1.0")
    assert release(team["admin"], appid, "1.0.0").status_code == 200
    assert release(team["admin"], appid, "1.1.0", 50).status_code == 200
    browser = make_client()
    assert launch(browser, appid).status_code == 200  # warm: cookie set, manifest cached

    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        assert launch(browser, appid).status_code == 200
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    assert len(statements) == 1, statements
