"""The review journey over HTTP: submit → checks → queue → approve or reject; withdraw; who may
do what. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from typing import Any

from miniapp.db.session import Database
from miniapp.settings import Settings
from tests.apps.version_helpers import hello_zip, upload, version_states
from tests.review.review_helpers import (
    audit_actions,
    make_reviewer,
    queued_checks,
    run_jobs,
    team_with_version,
    version_row,
    version_url,
)


def test_submit_check_approve(make_client: Any, database: Database, settings: Settings) -> None:
    team = team_with_version(make_client, database, "1.0.0")
    admin, appid = team["admin"], team["appid"]
    rita = make_reviewer(make_client, database)

    submitted = admin.post(version_url(appid, "1.0.0") + "/submit")
    assert submitted.status_code == 200, submitted.text
    version = submitted.json()["version"]
    assert version["state"] == "checking"
    assert version["submitted_at"] is not None and version["findings"] == []
    assert rita.get("/api/review/queue").json()["versions"] == []  # still being checked

    assert run_jobs(database, settings) >= 1
    shown = admin.get(version_url(appid, "1.0.0")).json()["version"]
    assert shown["state"] == "in_review"
    assert shown["checked_at"] is not None
    assert all(f["severity"] == "warning" for f in shown["findings"])

    [queued] = rita.get("/api/review/queue").json()["versions"]
    assert queued["id"] == version["id"]
    assert queued["version"] == "1.0.0"
    assert queued["app"]["appid"] == appid and queued["app"]["name"] == "Acme Cafe"
    assert queued["app"]["description"] and queued["app"]["category"] == "food"
    assert queued["preview_url"].endswith(f"/#app/{appid}?build={version['id']}")

    detail = rita.get(f"/api/review/versions/{version['id']}")
    assert detail.status_code == 200
    assert detail.json()["version"]["app"]["organisation"]["name"] == "Acme Coffee"

    approved = rita.post(f"/api/review/versions/{version['id']}/approve")
    assert approved.status_code == 200, approved.text
    assert approved.json()["version"]["state"] == "approved"
    assert approved.json()["version"]["decided_at"] is not None
    assert admin.get(version_url(appid, "1.0.0")).json()["version"]["state"] == "approved"
    assert rita.get("/api/review/queue").json()["versions"] == []
    assert audit_actions(database)[-3:] == [
        "version.submitted",
        "version.checked",
        "version.approved",
    ]


def test_reject_with_reasons_the_developer_sees(
    make_client: Any, database: Database, settings: Settings
) -> None:
    team = team_with_version(make_client, database, "1.0.0")
    admin, appid = team["admin"], team["appid"]
    rita = make_reviewer(make_client, database)
    version_id = admin.post(version_url(appid, "1.0.0") + "/submit").json()["version"]["id"]
    run_jobs(database, settings)

    for bad in ([], [""], ["ok", " "], ["x" * 501], ["fine"] * 11, ["bad\u202etext"]):
        refused = rita.post(f"/api/review/versions/{version_id}/reject", json={"reasons": bad})
        assert refused.status_code == 422, bad
        assert refused.json()["error"]["code"] == "review_reasons_invalid"
    assert version_states(database, appid) == {"1.0.0": "in_review"}

    rejected = rita.post(
        f"/api/review/versions/{version_id}/reject",
        json={"reasons": ["The privacy policy is missing.", "  The  logo is  blurry. "]},
    )
    assert rejected.status_code == 200, rejected.text
    seen = team["developer"].get(version_url(appid, "1.0.0")).json()["version"]
    assert seen["state"] == "rejected"
    assert seen["review_reasons"] == ["The privacy policy is missing.", "The logo is blurry."]
    assert audit_actions(database)[-1] == "version.rejected"

    # Fixed, it goes through review again.
    again = admin.post(version_url(appid, "1.0.0") + "/submit")
    assert again.status_code == 200
    assert again.json()["version"]["review_reasons"] == []
    assert again.json()["version"]["state"] == "checking"


def test_failing_checks_reject_automatically(
    make_client: Any, database: Database, settings: Settings
) -> None:
    team = team_with_version(make_client, database)
    admin, appid = team["admin"], team["appid"]
    bad_page = 'Page({ go() { wx.navigateTo({ url: "/pages/nowhere/nowhere" }); } });\n'
    package = hello_zip({"pages/index/index.js": bad_page})
    assert upload(team["developer"], appid, "1.1.0", package).status_code == 201
    admin.post(version_url(appid, "1.1.0") + "/submit")
    run_jobs(database, settings)
    shown = team["developer"].get(version_url(appid, "1.1.0")).json()["version"]
    assert shown["state"] == "rejected"
    assert shown["review_reasons"] == ["automated_checks_failed"]
    [finding] = [f for f in shown["findings"] if f["severity"] == "error"]
    assert finding == {
        "check": "navigation",
        "severity": "error",
        "file": "pages/index/index.js",
        "line": 1,
        "message": finding["message"],
    }
    assert "pages/nowhere/nowhere" in finding["message"]


def test_one_version_in_review_at_a_time(
    make_client: Any, database: Database, settings: Settings
) -> None:
    team = team_with_version(make_client, database, "1.0.0", "1.1.0")
    admin, appid = team["admin"], team["appid"]
    assert admin.post(version_url(appid, "1.0.0") + "/submit").status_code == 200
    before = (version_states(database, appid), audit_actions(database), queued_checks(database))

    second = admin.post(version_url(appid, "1.1.0") + "/submit")
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "review_in_progress"
    assert second.json()["error"]["params"]["version"] == "1.0.0"
    run_jobs(database, settings)
    third = admin.post(version_url(appid, "1.1.0") + "/submit")  # now in_review: still refused
    assert third.status_code == 409
    after = version_states(database, appid)
    assert after == {"1.0.0": "in_review", "1.1.0": "development"}
    assert before[2] == queued_checks(database) == 1
    assert audit_actions(database).count("version.submitted") == 1

    # The same version twice: it is not in a state that can be submitted.
    twice = admin.post(version_url(appid, "1.0.0") + "/submit")
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "version_state_invalid"


def test_withdraw(make_client: Any, database: Database, settings: Settings) -> None:
    team = team_with_version(make_client, database, "1.0.0")
    admin, appid = team["admin"], team["appid"]
    rita = make_reviewer(make_client, database)

    not_submitted = admin.post(version_url(appid, "1.0.0") + "/withdraw")
    assert not_submitted.status_code == 409
    assert not_submitted.json()["error"]["code"] == "version_state_invalid"

    # Withdrawn while the checks are still to run: the job then leaves it alone.
    admin.post(version_url(appid, "1.0.0") + "/submit")
    withdrawn = admin.post(version_url(appid, "1.0.0") + "/withdraw")
    assert withdrawn.status_code == 200 and withdrawn.json()["version"]["state"] == "development"
    run_jobs(database, settings)
    assert version_states(database, appid) == {"1.0.0": "development"}
    assert version_row(database, appid, "1.0.0").checked_at is None

    # Withdrawn from the queue.
    version_id = admin.post(version_url(appid, "1.0.0") + "/submit").json()["version"]["id"]
    run_jobs(database, settings)
    assert len(rita.get("/api/review/queue").json()["versions"]) == 1
    assert admin.post(version_url(appid, "1.0.0") + "/withdraw").status_code == 200
    assert rita.get("/api/review/queue").json()["versions"] == []
    late = rita.post(f"/api/review/versions/{version_id}/approve")
    assert late.status_code == 409 and late.json()["error"]["code"] == "version_state_invalid"
    assert version_states(database, appid) == {"1.0.0": "development"}
    assert audit_actions(database).count("version.withdrawn") == 2


def test_roles_and_outsiders(make_client: Any, database: Database) -> None:
    team = team_with_version(make_client, database, "1.0.0")
    appid = team["appid"]
    for role in ("developer", "operator", "analyst", "tester"):
        for action in ("submit", "withdraw"):
            refused = team[role].post(version_url(appid, "1.0.0") + f"/{action}")
            assert refused.status_code == 403, (role, action)
            assert refused.json()["error"]["code"] == "role_required"
            assert refused.json()["error"]["params"]["role"] == "admin"
    outsider = team["outsider"].post(version_url(appid, "1.0.0") + "/submit")
    assert outsider.status_code == 404 and outsider.json()["error"]["code"] == "not_found"
    rita = make_reviewer(make_client, database)
    assert rita.post(version_url(appid, "1.0.0") + "/submit").status_code == 404
    assert team["admin"].post(version_url(appid, "9.9.9") + "/submit").status_code == 404
    assert version_states(database, appid) == {"1.0.0": "development"}
    assert queued_checks(database) == 0


def test_only_staff_reviewers_see_the_queue(
    make_client: Any, database: Database, settings: Settings
) -> None:
    team = team_with_version(make_client, database, "1.0.0")
    admin, appid = team["admin"], team["appid"]
    version_id = admin.post(version_url(appid, "1.0.0") + "/submit").json()["version"]["id"]
    run_jobs(database, settings)
    for browser in (admin, team["developer"], team["outsider"]):
        assert browser.get("/api/review/queue").status_code == 403
        assert browser.get(f"/api/review/versions/{version_id}").status_code == 403
        approve = browser.post(f"/api/review/versions/{version_id}/approve")
        assert approve.status_code == 403 and approve.json()["error"]["code"] == "forbidden"
        reject = browser.post(f"/api/review/versions/{version_id}/reject", json={"reasons": ["no"]})
        assert reject.status_code == 403
    assert version_states(database, appid) == {"1.0.0": "in_review"}
    anonymous = make_client()
    assert anonymous.get("/api/review/queue").status_code == 401


def test_reviewers_cannot_decide_outside_review(
    make_client: Any, database: Database, settings: Settings
) -> None:
    team = team_with_version(make_client, database, "1.0.0", "1.1.0")
    admin, appid = team["admin"], team["appid"]
    rita = make_reviewer(make_client, database)
    never = team["developer"].get(version_url(appid, "1.1.0")).json()["version"]["id"]
    # Never submitted: not the reviewers' to see.
    assert rita.get(f"/api/review/versions/{never}").status_code == 404
    assert rita.post(f"/api/review/versions/{never}/approve").status_code == 404
    assert rita.get("/api/review/versions/not-a-uuid").status_code == 404

    checking = admin.post(version_url(appid, "1.0.0") + "/submit").json()["version"]["id"]
    early = rita.post(f"/api/review/versions/{checking}/approve")
    assert early.status_code == 409 and early.json()["error"]["code"] == "version_state_invalid"
    run_jobs(database, settings)
    assert rita.post(f"/api/review/versions/{checking}/approve").status_code == 200
    twice = rita.post(f"/api/review/versions/{checking}/reject", json={"reasons": ["late"]})
    assert twice.status_code == 409
    assert version_states(database, appid) == {"1.0.0": "approved", "1.1.0": "development"}
    # A decided version stays visible to reviewers, with its decision.
    shown = rita.get(f"/api/review/versions/{checking}").json()["version"]
    assert shown["state"] == "approved"
    assert "secret_hash" not in json.dumps(shown) and shown["app"]["secret_set"] is False
