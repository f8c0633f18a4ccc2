"""Organisations, members and roles through HTTP, including members acting beyond their role."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from miniapp.accounts.models import AuditEvent, Membership
from miniapp.db.session import Database

PASSWORD = "correct-horse-42"


def account(make_client: Any, login: str, name: str, *, developer: bool = False) -> Any:
    browser = make_client()
    response = browser.post(
        "/api/accounts/signup", json={"login": login, "password": PASSWORD, "display_name": name}
    )
    assert response.status_code == 201, response.text
    browser.user_id = response.json()["user"]["id"]
    if developer:
        assert browser.post("/api/console/developer").json()["user"]["is_developer"] is True
    return browser


def memberships(database: Database) -> list[tuple[str, str]]:
    from miniapp.accounts.models import User

    with database.read() as session:
        rows = session.execute(
            select(User.email, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .order_by(User.email)
        ).all()
    return [(email, role) for email, role in rows]


@pytest.fixture
def team(make_client: Any) -> dict[str, Any]:
    admin = account(make_client, "ada@example.com", "Ada", developer=True)
    org = admin.post("/api/console/organisations", json={"name": "Acme Coffee"})
    assert org.status_code == 201, org.text
    return {
        "admin": admin,
        "org": org.json()["organisation"]["id"],
        "dev": account(make_client, "dev@example.com", "Dev"),
        "outsider": account(make_client, "out@example.com", "Out", developer=True),
    }


def test_creating_an_organisation_needs_a_developer_account(make_client: Any) -> None:
    plain = account(make_client, "plain@example.com", "Plain")
    response = plain.post("/api/console/organisations", json={"name": "Acme"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "not_a_developer"
    assert plain.get("/api/console/organisations").json() == {"organisations": []}


def test_creator_is_admin_and_lists_the_organisation(team: dict[str, Any]) -> None:
    orgs = team["admin"].get("/api/console/organisations").json()["organisations"]
    assert [(o["name"], o["my_role"]) for o in orgs] == [("Acme Coffee", "admin")]
    bad = team["admin"].post("/api/console/organisations", json={"name": " x "})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "organisation_name_invalid"


def test_admin_adds_changes_and_removes_members(team: dict[str, Any], database: Database) -> None:
    admin, org = team["admin"], team["org"]
    added = admin.post(
        f"/api/console/organisations/{org}/members",
        json={"login": "DEV@example.com", "role": "developer"},
    )
    assert added.status_code == 201
    member = added.json()["member"]
    assert member["user"]["login"] == "dev@example.com" and member["role"] == "developer"
    # The new member sees the organisation with their role, and the member list.
    orgs = team["dev"].get("/api/console/organisations").json()["organisations"]
    assert [(o["name"], o["my_role"]) for o in orgs] == [("Acme Coffee", "developer")]
    listed = team["dev"].get(f"/api/console/organisations/{org}/members").json()["members"]
    assert [(m["user"]["login"], m["role"]) for m in listed] == [
        ("ada@example.com", "admin"),
        ("dev@example.com", "developer"),
    ]
    changed = admin.patch(
        f"/api/console/organisations/{org}/members/{team['dev'].user_id}", json={"role": "tester"}
    )
    assert changed.status_code == 200 and changed.json()["member"]["role"] == "tester"
    removed = admin.delete(f"/api/console/organisations/{org}/members/{team['dev'].user_id}")
    assert removed.status_code == 204
    assert memberships(database) == [("ada@example.com", "admin")]
    assert team["dev"].get(f"/api/console/organisations/{org}").status_code == 404
    audit = admin.get(f"/api/console/organisations/{org}/audit").json()["events"]
    assert [e["action"] for e in audit] == [
        "member.removed",
        "member.role_changed",
        "member.added",
        "organisation.created",
    ]
    assert audit[1]["detail"] == {
        "login": "dev@example.com",
        "old_role": "developer",
        "new_role": "tester",
    }
    assert audit[0]["actor"]["display_name"] == "Ada"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"login": "nobody@example.com", "role": "developer"}, 422, "unknown_user"),
        ({"login": "dev@example.com", "role": "owner"}, 422, "invalid_role"),
        ({"login": "ada@example.com", "role": "developer"}, 409, "already_member"),
        ({"login": "dev@example.com"}, 422, "invalid_input"),
    ],
)
def test_bad_member_input_changes_nothing(
    team: dict[str, Any], database: Database, body: dict[str, str], status: int, code: str
) -> None:
    before = memberships(database)
    response = team["admin"].post(f"/api/console/organisations/{team['org']}/members", json=body)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert memberships(database) == before
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEvent)) == 1


@pytest.mark.parametrize("role", ["developer", "operator", "analyst", "tester"])
def test_members_cannot_act_beyond_their_role(
    team: dict[str, Any], database: Database, role: str
) -> None:
    admin, org = team["admin"], team["org"]
    admin.post(
        f"/api/console/organisations/{org}/members", json={"login": "dev@example.com", "role": role}
    )
    member = team["dev"]
    before = memberships(database)
    attempts = [
        member.post(
            f"/api/console/organisations/{org}/members",
            json={"login": "out@example.com", "role": "admin"},
        ),
        member.patch(
            f"/api/console/organisations/{org}/members/{member.user_id}", json={"role": "admin"}
        ),
        member.delete(f"/api/console/organisations/{org}/members/{admin.user_id}"),
        member.get(f"/api/console/organisations/{org}/audit"),
    ]
    for response in attempts:
        assert response.status_code == 403, response.text
        error = response.json()["error"]
        assert error["code"] == "role_required" and error["params"] == {"role": "admin"}
        assert error["message"] == "Only an organisation admin can do this."
    assert memberships(database) == before


def test_outsiders_cannot_see_or_touch_an_organisation(
    team: dict[str, Any], database: Database
) -> None:
    outsider, org = team["outsider"], team["org"]
    for response in (
        outsider.get(f"/api/console/organisations/{org}"),
        outsider.get(f"/api/console/organisations/{org}/members"),
        outsider.post(
            f"/api/console/organisations/{org}/members",
            json={"login": "out@example.com", "role": "admin"},
        ),
        outsider.get("/api/console/organisations/not-a-uuid/members"),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"
    assert memberships(database) == [("ada@example.com", "admin")]


def test_signed_out_callers_are_refused(client: Any, team: dict[str, Any]) -> None:
    response = client.get(f"/api/console/organisations/{team['org']}/members")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_signed_in"


def test_the_last_admin_cannot_leave_or_be_demoted(
    team: dict[str, Any], database: Database
) -> None:
    admin, org = team["admin"], team["org"]
    demote = admin.patch(
        f"/api/console/organisations/{org}/members/{admin.user_id}", json={"role": "developer"}
    )
    assert demote.status_code == 409 and demote.json()["error"]["code"] == "last_admin"
    leave = admin.delete(f"/api/console/organisations/{org}/members/{admin.user_id}")
    assert leave.status_code == 409
    # With a second admin, the first may step down.
    admin.post(
        f"/api/console/organisations/{org}/members",
        json={"login": "dev@example.com", "role": "admin"},
    )
    ok = admin.patch(
        f"/api/console/organisations/{org}/members/{admin.user_id}", json={"role": "developer"}
    )
    assert ok.status_code == 200
    assert memberships(database) == [("ada@example.com", "developer"), ("dev@example.com", "admin")]
    # ...and has lost the power to manage members at once.
    again = admin.patch(
        f"/api/console/organisations/{org}/members/{team['dev'].user_id}", json={"role": "tester"}
    )
    assert again.status_code == 403
