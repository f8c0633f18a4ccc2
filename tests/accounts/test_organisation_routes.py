"""Organisations, invitations, members and roles through HTTP, on SQLite and PostgreSQL.

Nobody becomes a member without accepting an invitation; members acting beyond their role,
outsiders and invited people who have not accepted yet are refused.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from miniapp.accounts.models import AuditEvent, Invitation, Membership, Organisation, User
from miniapp.db.session import Database

PASSWORD = "correct-horse-42"
ROLES = ["admin", "developer", "operator", "analyst", "tester"]


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
    with database.read() as session:
        rows = session.execute(
            select(User.email, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .order_by(User.email)
        ).all()
    return [(email, role) for email, role in rows]


def invitations(database: Database) -> list[tuple[str, str]]:
    with database.read() as session:
        rows = session.execute(
            select(User.email, Invitation.role)
            .join(Invitation, Invitation.user_id == User.id)
            .order_by(User.email)
        ).all()
    return [(email, role) for email, role in rows]


def audit_count(database: Database) -> int:
    with database.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def members_url(org: str, user_id: str | None = None) -> str:
    base = f"/api/console/organisations/{org}/members"
    return base if user_id is None else f"{base}/{user_id}"


def invite(admin: Any, org: str, login: str, role: str) -> Any:
    return admin.post(members_url(org), json={"login": login, "role": role})


def join(admin: Any, member: Any, org: str, login: str, role: str) -> None:
    """Invite `member` with `role` and have them accept."""
    invited = invite(admin, org, login, role)
    assert invited.status_code == 201, invited.text
    accepted = member.post(f"/api/console/invitations/{org}/accept")
    assert accepted.status_code == 200, accepted.text


def audit(admin: Any, org: str) -> list[dict[str, Any]]:
    response = admin.get(f"/api/console/organisations/{org}/audit")
    assert response.status_code == 200, response.text
    events: list[dict[str, Any]] = response.json()["events"]
    return events


def error_code(response: Any) -> str:
    code: str = response.json()["error"]["code"]
    return code


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


# --- organisations ------------------------------------------------------------------------------


def test_creating_an_organisation_needs_a_developer_account(make_client: Any) -> None:
    plain = account(make_client, "plain@example.com", "Plain")
    response = plain.post("/api/console/organisations", json={"name": "Acme"})
    assert response.status_code == 403
    assert error_code(response) == "not_a_developer"
    assert plain.get("/api/console/organisations").json() == {"organisations": []}


def test_creator_is_admin_and_lists_the_organisation(team: dict[str, Any]) -> None:
    orgs = team["admin"].get("/api/console/organisations").json()["organisations"]
    assert [(o["name"], o["my_role"]) for o in orgs] == [("Acme Coffee", "admin")]


@pytest.mark.parametrize(
    "name",
    [
        " x ",
        "x" * 101,
        "Acme\x00Coffee",  # NUL: PostgreSQL cannot store it in text
        "Acme\x07Coffee",  # a control character
        "Acme\u202eeeffoC",  # RIGHT-TO-LEFT OVERRIDE: reads as something else
        "Acme\u200bCoffee",  # ZERO WIDTH SPACE: looks like another organisation's name
        "Acme\ufeffCoffee",  # zero-width no-break space
        "Acme\ue000Coffee",  # private use
    ],
    ids=["short", "long", "nul", "bell", "rlo", "zwsp", "bom", "private"],
)
def test_organisation_names_must_be_plain_text(
    team: dict[str, Any], database: Database, name: str
) -> None:
    response = team["admin"].post("/api/console/organisations", json={"name": name})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("organisation_name_invalid", "name")
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(Organisation)) == 1


def test_organisation_names_have_their_whitespace_collapsed(team: dict[str, Any]) -> None:
    response = team["admin"].post(
        "/api/console/organisations", json={"name": "  Tea \t\n  House\u3000Two "}
    )
    assert response.status_code == 201, response.text
    assert response.json()["organisation"]["name"] == "Tea House Two"


# --- invitations --------------------------------------------------------------------------------


def test_an_invitation_grants_nothing_until_it_is_accepted(
    team: dict[str, Any], database: Database
) -> None:
    admin, dev, org = team["admin"], team["dev"], team["org"]
    invited = invite(admin, org, "DEV@example.com", "developer")
    assert invited.status_code == 201, invited.text
    member = invited.json()["member"]
    assert member["status"] == "invited" and member["role"] == "developer"
    assert member["user"] == {"id": dev.user_id, "display_name": "Dev", "login": "dev@example.com"}
    assert memberships(database) == [("ada@example.com", "admin")]
    assert invitations(database) == [("dev@example.com", "developer")]

    # The invited user sees the invitation, and nothing of the organisation itself.
    assert dev.get("/api/console/organisations").json() == {"organisations": []}
    for response in (
        dev.get(f"/api/console/organisations/{org}"),
        dev.get(members_url(org)),
        dev.get(f"/api/console/organisations/{org}/audit"),
        dev.patch(members_url(org, dev.user_id), json={"role": "admin"}),
        dev.delete(members_url(org, dev.user_id)),
    ):
        assert response.status_code == 404, response.text
        assert error_code(response) == "not_found"
    pending = dev.get("/api/console/invitations").json()["invitations"]
    assert len(pending) == 1
    assert pending[0]["organisation"] == {"id": org, "name": "Acme Coffee"}
    assert pending[0]["role"] == "developer"
    assert pending[0]["invited_by"] == {"id": admin.user_id, "display_name": "Ada"}
    assert pending[0]["invited_at"]

    # The admin sees the invited person in the member list, marked as invited.
    listed = admin.get(members_url(org)).json()["members"]
    assert [(m["user"]["login"], m["role"], m["status"]) for m in listed] == [
        ("ada@example.com", "admin", "active"),
        ("dev@example.com", "developer", "invited"),
    ]

    # Accepting makes them a member with that role.
    accepted = dev.post(f"/api/console/invitations/{org}/accept")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["organisation"]["my_role"] == "developer"
    assert accepted.json()["organisation"]["name"] == "Acme Coffee"
    assert memberships(database) == [("ada@example.com", "admin"), ("dev@example.com", "developer")]
    assert invitations(database) == []
    orgs = dev.get("/api/console/organisations").json()["organisations"]
    assert [(o["name"], o["my_role"]) for o in orgs] == [("Acme Coffee", "developer")]
    assert dev.get("/api/console/invitations").json() == {"invitations": []}
    assert dev.get(f"/api/console/organisations/{org}").status_code == 200
    listed = admin.get(members_url(org)).json()["members"]
    assert [(m["user"]["login"], m["status"]) for m in listed] == [
        ("ada@example.com", "active"),
        ("dev@example.com", "active"),
    ]
    # An invitation is answered once.
    again = dev.post(f"/api/console/invitations/{org}/accept")
    assert again.status_code == 404

    events = audit(admin, org)
    assert [e["action"] for e in events] == [
        "member.joined",
        "member.invited",
        "organisation.created",
    ]
    assert events[0]["actor"]["display_name"] == "Dev"
    assert events[0]["detail"] == {"login": "dev@example.com", "role": "developer"}
    assert events[1]["actor"]["display_name"] == "Ada"
    assert events[1]["detail"] == {"login": "dev@example.com", "role": "developer"}


def test_declining_an_invitation_changes_nothing_else(
    team: dict[str, Any], database: Database
) -> None:
    admin, dev, org = team["admin"], team["dev"], team["org"]
    assert invite(admin, org, "dev@example.com", "tester").status_code == 201
    declined = dev.post(f"/api/console/invitations/{org}/decline")
    assert declined.status_code == 204
    assert memberships(database) == [("ada@example.com", "admin")]
    assert invitations(database) == []
    assert dev.get("/api/console/invitations").json() == {"invitations": []}
    assert dev.get("/api/console/organisations").json() == {"organisations": []}
    assert dev.post(f"/api/console/invitations/{org}/accept").status_code == 404
    assert dev.get(f"/api/console/organisations/{org}").status_code == 404
    events = audit(admin, org)
    assert [e["action"] for e in events][:2] == ["invitation.declined", "member.invited"]
    assert events[0]["actor"]["display_name"] == "Dev"
    assert events[0]["detail"] == {"login": "dev@example.com", "role": "tester"}
    # A declined person may be invited again.
    assert invite(admin, org, "dev@example.com", "tester").status_code == 201


def test_only_the_invited_user_can_answer_an_invitation(
    team: dict[str, Any], database: Database
) -> None:
    admin, outsider, org = team["admin"], team["outsider"], team["org"]
    assert invite(admin, org, "dev@example.com", "admin").status_code == 201
    before = audit_count(database)
    for browser in (outsider, admin):
        for answer in ("accept", "decline"):
            response = browser.post(f"/api/console/invitations/{org}/{answer}")
            assert response.status_code == 404, response.text
            assert error_code(response) == "not_found"
    for bad_id in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        assert team["dev"].post(f"/api/console/invitations/{bad_id}/accept").status_code == 404
    assert outsider.get("/api/console/invitations").json() == {"invitations": []}
    assert admin.get("/api/console/invitations").json() == {"invitations": []}
    assert memberships(database) == [("ada@example.com", "admin")]
    assert invitations(database) == [("dev@example.com", "admin")]
    assert audit_count(database) == before


def test_admins_change_an_invitations_role_then_it_is_the_role_joined_with(
    team: dict[str, Any], database: Database
) -> None:
    admin, dev, org = team["admin"], team["dev"], team["org"]
    assert invite(admin, org, "dev@example.com", "tester").status_code == 201
    changed = admin.patch(members_url(org, dev.user_id), json={"role": "analyst"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["member"]["role"], changed.json()["member"]["status"]) == (
        "analyst",
        "invited",
    )
    assert dev.get("/api/console/invitations").json()["invitations"][0]["role"] == "analyst"
    assert memberships(database) == [("ada@example.com", "admin")]
    accepted = dev.post(f"/api/console/invitations/{org}/accept")
    assert accepted.json()["organisation"]["my_role"] == "analyst"
    events = audit(admin, org)
    assert [e["action"] for e in events][:2] == ["member.joined", "invitation.role_changed"]
    assert events[1]["detail"] == {
        "login": "dev@example.com",
        "old_role": "tester",
        "new_role": "analyst",
    }


def test_admins_cancel_an_invitation(team: dict[str, Any], database: Database) -> None:
    admin, dev, org = team["admin"], team["dev"], team["org"]
    assert invite(admin, org, "dev@example.com", "developer").status_code == 201
    cancelled = admin.delete(members_url(org, dev.user_id))
    assert cancelled.status_code == 204
    assert invitations(database) == []
    assert memberships(database) == [("ada@example.com", "admin")]
    assert dev.get("/api/console/invitations").json() == {"invitations": []}
    assert dev.post(f"/api/console/invitations/{org}/accept").status_code == 404
    assert admin.delete(members_url(org, dev.user_id)).status_code == 404
    events = audit(admin, org)
    assert events[0]["action"] == "invitation.cancelled"
    assert events[0]["actor"]["display_name"] == "Ada"
    assert events[0]["detail"] == {"login": "dev@example.com", "role": "developer"}


def test_nobody_is_invited_twice_nor_while_a_member(
    team: dict[str, Any], database: Database
) -> None:
    admin, dev, org = team["admin"], team["dev"], team["org"]
    yourself = invite(admin, org, "ada@example.com", "developer")
    assert yourself.status_code == 409 and error_code(yourself) == "already_member"
    assert yourself.json()["error"]["field"] == "login"
    assert invite(admin, org, "dev@example.com", "developer").status_code == 201
    twice = invite(admin, org, "dev@example.com", "admin")
    assert twice.status_code == 409 and error_code(twice) == "already_member"
    assert dev.post(f"/api/console/invitations/{org}/accept").status_code == 200
    member = invite(admin, org, "Dev@Example.com", "tester")
    assert member.status_code == 409 and error_code(member) == "already_member"
    assert memberships(database) == [("ada@example.com", "admin"), ("dev@example.com", "developer")]
    assert invitations(database) == []
    assert [e["action"] for e in audit(admin, org)] == [
        "member.joined",
        "member.invited",
        "organisation.created",
    ]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"login": "nobody@example.com", "role": "developer"}, 422, "unknown_user"),
        ({"login": "not a login", "role": "developer"}, 422, "invalid_login"),
        ({"login": "dev@example.com", "role": "owner"}, 422, "invalid_role"),
        ({"login": "ada@example.com", "role": "developer"}, 409, "already_member"),
        ({"login": "dev@example.com"}, 422, "invalid_input"),
    ],
)
def test_bad_invitations_change_nothing(
    team: dict[str, Any], database: Database, body: dict[str, str], status: int, code: str
) -> None:
    response = team["admin"].post(members_url(team["org"]), json=body)
    assert response.status_code == status
    assert error_code(response) == code
    assert memberships(database) == [("ada@example.com", "admin")]
    assert invitations(database) == []
    assert audit_count(database) == 1


# --- members ------------------------------------------------------------------------------------


def test_admin_changes_and_removes_members(team: dict[str, Any], database: Database) -> None:
    admin, dev, org = team["admin"], team["dev"], team["org"]
    join(admin, dev, org, "dev@example.com", "developer")
    changed = admin.patch(members_url(org, dev.user_id), json={"role": "tester"})
    assert changed.status_code == 200
    assert changed.json()["member"]["role"] == "tester"
    assert changed.json()["member"]["status"] == "active"
    assert changed.json()["member"]["user"]["login"] == "dev@example.com"
    removed = admin.delete(members_url(org, dev.user_id))
    assert removed.status_code == 204
    assert memberships(database) == [("ada@example.com", "admin")]
    assert dev.get(f"/api/console/organisations/{org}").status_code == 404
    events = audit(admin, org)
    assert [e["action"] for e in events] == [
        "member.removed",
        "member.role_changed",
        "member.joined",
        "member.invited",
        "organisation.created",
    ]
    assert events[0]["detail"] == {"login": "dev@example.com", "role": "tester"}
    assert events[1]["detail"] == {
        "login": "dev@example.com",
        "old_role": "developer",
        "new_role": "tester",
    }
    assert events[0]["actor"]["display_name"] == "Ada"


@pytest.mark.parametrize("role", ["developer", "operator", "analyst", "tester"])
def test_only_admins_see_logins_and_invitations(team: dict[str, Any], role: str) -> None:
    admin, dev, org = team["admin"], team["dev"], team["org"]
    join(admin, dev, org, "dev@example.com", role)
    assert invite(admin, org, "out@example.com", "tester").status_code == 201
    seen_by_member = dev.get(members_url(org)).json()["members"]
    assert [(m["user"]["display_name"], m["user"]["login"], m["role"]) for m in seen_by_member] == [
        ("Ada", None, "admin"),
        ("Dev", None, role),
    ]
    seen_by_admin = admin.get(members_url(org)).json()["members"]
    assert [(m["user"]["login"], m["status"]) for m in seen_by_admin] == [
        ("ada@example.com", "active"),
        ("dev@example.com", "active"),
        ("out@example.com", "invited"),
    ]


@pytest.mark.parametrize("role", ["developer", "operator", "analyst", "tester"])
def test_members_cannot_act_beyond_their_role(
    team: dict[str, Any], database: Database, role: str
) -> None:
    admin, member, org = team["admin"], team["dev"], team["org"]
    join(admin, member, org, "dev@example.com", role)
    assert invite(admin, org, "out@example.com", "tester").status_code == 201
    outsider_id = team["outsider"].user_id
    before = (memberships(database), invitations(database), audit_count(database))
    attempts = [
        invite(member, org, "out@example.com", "admin"),
        member.patch(members_url(org, member.user_id), json={"role": "admin"}),
        member.patch(members_url(org, admin.user_id), json={"role": "tester"}),
        member.patch(members_url(org, outsider_id), json={"role": "admin"}),
        member.delete(members_url(org, admin.user_id)),
        member.delete(members_url(org, outsider_id)),
        member.get(f"/api/console/organisations/{org}/audit"),
    ]
    for response in attempts:
        assert response.status_code == 403, response.text
        error = response.json()["error"]
        assert error["code"] == "role_required" and error["params"] == {"role": "admin"}
        assert error["message"] == "Only an organisation admin can do this."
    assert (memberships(database), invitations(database), audit_count(database)) == before


def test_outsiders_cannot_see_or_touch_an_organisation(
    team: dict[str, Any], database: Database
) -> None:
    admin, outsider, org = team["admin"], team["outsider"], team["org"]
    for response in (
        outsider.get(f"/api/console/organisations/{org}"),
        outsider.get(members_url(org)),
        invite(outsider, org, "out@example.com", "admin"),
        outsider.patch(members_url(org, admin.user_id), json={"role": "tester"}),
        outsider.delete(members_url(org, admin.user_id)),
        outsider.delete(members_url(org, outsider.user_id)),
        outsider.get("/api/console/organisations/not-a-uuid/members"),
    ):
        assert response.status_code == 404
        assert error_code(response) == "not_found"
    assert memberships(database) == [("ada@example.com", "admin")]
    assert invitations(database) == []


def test_signed_out_callers_are_refused(client: Any, team: dict[str, Any]) -> None:
    org = team["org"]
    for response in (
        client.get(members_url(org)),
        client.get("/api/console/invitations"),
        client.post(f"/api/console/invitations/{org}/accept"),
        client.post(f"/api/console/invitations/{org}/decline"),
    ):
        assert response.status_code == 401
        assert error_code(response) == "not_signed_in"


# --- leaving and the last admin -----------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_every_member_can_leave(team: dict[str, Any], database: Database, role: str) -> None:
    admin, dev, org = team["admin"], team["dev"], team["org"]
    join(admin, dev, org, "dev@example.com", role)
    left = dev.delete(members_url(org, dev.user_id))
    assert left.status_code == 204, left.text
    assert memberships(database) == [("ada@example.com", "admin")]
    assert dev.get("/api/console/organisations").json() == {"organisations": []}
    assert dev.get(f"/api/console/organisations/{org}").status_code == 404
    assert dev.delete(members_url(org, dev.user_id)).status_code == 404
    event = audit(admin, org)[0]
    assert event["action"] == "member.left"
    assert event["actor"]["display_name"] == "Dev"
    assert event["detail"] == {"login": "dev@example.com", "role": role}


def test_the_last_admin_cannot_leave_or_be_demoted(
    team: dict[str, Any], database: Database
) -> None:
    admin, dev, org = team["admin"], team["dev"], team["org"]
    demote = admin.patch(members_url(org, admin.user_id), json={"role": "developer"})
    assert demote.status_code == 409 and error_code(demote) == "last_admin"
    leave = admin.delete(members_url(org, admin.user_id))
    assert leave.status_code == 409 and error_code(leave) == "last_admin"
    # An invited admin is nobody's admin until they accept.
    assert invite(admin, org, "dev@example.com", "admin").status_code == 201
    assert admin.delete(members_url(org, admin.user_id)).status_code == 409
    assert admin.patch(members_url(org, admin.user_id), json={"role": "tester"}).status_code == 409
    # With a second admin, the first may step down...
    assert dev.post(f"/api/console/invitations/{org}/accept").status_code == 200
    ok = admin.patch(members_url(org, admin.user_id), json={"role": "developer"})
    assert ok.status_code == 200
    assert memberships(database) == [("ada@example.com", "developer"), ("dev@example.com", "admin")]
    # ...and has lost the power to manage members at once.
    again = admin.patch(members_url(org, dev.user_id), json={"role": "tester"})
    assert again.status_code == 403
    # The new admin is now the last one: they cannot leave, but may remove the other.
    assert dev.delete(members_url(org, dev.user_id)).status_code == 409
    assert dev.delete(members_url(org, admin.user_id)).status_code == 204
    assert memberships(database) == [("dev@example.com", "admin")]


def test_an_admin_may_leave_when_another_admin_remains(
    team: dict[str, Any], database: Database
) -> None:
    admin, dev, org = team["admin"], team["dev"], team["org"]
    join(admin, dev, org, "dev@example.com", "admin")
    assert admin.delete(members_url(org, admin.user_id)).status_code == 204
    assert memberships(database) == [("dev@example.com", "admin")]
    assert admin.get("/api/console/organisations").json() == {"organisations": []}
    assert audit(dev, org)[0]["action"] == "member.left"


def test_the_console_api_documents_invitations(client: Any) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path, method in (
        ("/api/console/invitations", "get"),
        ("/api/console/invitations/{org_id}/accept", "post"),
        ("/api/console/invitations/{org_id}/decline", "post"),
        ("/api/console/organisations/{org_id}/members", "post"),
        ("/api/console/organisations/{org_id}/members/{user_id}", "delete"),
    ):
        assert paths[path][method]["description"], path
