"""Platform staff are kept apart from organisation roles."""

from __future__ import annotations

from typing import Any

from miniapp.accounts.staff import do_grant_staff_role
from miniapp.accounts.users import find_user_by_login
from miniapp.db.session import Database
from tests.accounts.test_organisation_routes import account


def make_platform_admin(database: Database, login: str) -> None:
    with database.transaction() as session:
        do_grant_staff_role(
            session, user=find_user_by_login(session, login=login), role="platform_admin"
        )


def test_organisation_admin_is_not_platform_staff(make_client: Any) -> None:
    ada = account(make_client, "ada@example.com", "Ada", developer=True)
    ada.post("/api/console/organisations", json={"name": "Acme"})
    assert ada.get("/api/staff/members").status_code == 403
    grant = ada.post("/api/staff/members", json={"login": "ada@example.com", "role": "reviewer"})
    assert grant.status_code == 403
    assert ada.get("/api/accounts/me").json()["user"]["staff_roles"] == []


def test_platform_admin_grants_reviewer_who_gains_no_organisation_access(
    make_client: Any, database: Database
) -> None:
    ada = account(make_client, "ada@example.com", "Ada", developer=True)
    org = ada.post("/api/console/organisations", json={"name": "Acme"}).json()["organisation"]["id"]
    boss = account(make_client, "boss@example.com", "Boss")
    make_platform_admin(database, "boss@example.com")
    rita = account(make_client, "rita@example.com", "Rita")
    granted = boss.post(
        "/api/staff/members", json={"login": "rita@example.com", "role": "reviewer"}
    )
    assert granted.status_code == 201
    assert granted.json()["user"]["staff_roles"] == ["reviewer"]
    assert rita.get("/api/accounts/me").json()["user"]["staff_roles"] == ["reviewer"]
    staff = boss.get("/api/staff/members").json()["staff"]
    assert sorted(u["email"] for u in staff) == ["boss@example.com", "rita@example.com"]
    # Staff roles open nothing inside an organisation.
    for browser in (rita, boss):
        assert browser.get(f"/api/console/organisations/{org}/members").status_code == 404
    # A reviewer cannot manage staff.
    assert (
        rita.post(
            "/api/staff/members", json={"login": "rita@example.com", "role": "platform_admin"}
        ).status_code
        == 403
    )
    bad = boss.post("/api/staff/members", json={"login": "rita@example.com", "role": "admin"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_role"
    revoked = boss.post(
        "/api/staff/members/revoke", json={"login": "rita@example.com", "role": "reviewer"}
    )
    assert revoked.json()["user"]["staff_roles"] == []
