"""Business verification through HTTP, on SQLite and PostgreSQL: an admin applies, a reviewer
decides, staff record the fee; roles, outsiders and bad input are refused and change nothing; the
private documents reach only the organisation's admins and reviewers."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update

from miniapp.accounts.models import (
    AuditEvent,
    Organisation,
    OrganisationVerification,
    PrivateDocument,
)
from miniapp.accounts.staff import do_grant_staff_role
from miniapp.accounts.users import find_user_by_login
from miniapp.clock import utc_now
from miniapp.db.session import Database

PASSWORD = "correct-horse-42"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 256
PDF = b"%PDF-1.7\n" + b"%\xe2\xe3\xcf\xd3\n" * 32
HTML = b"<!doctype html><script>alert(1)</script>"
FIVE_MB = 5 * 1024 * 1024
DETAILS = {
    "company_name": "Acme Coffee Co., Ltd.",
    "registration_number": "91310000MA1FL0000X",
    "legal_representative": "Ada Lovelace",
}


# --- helpers ------------------------------------------------------------------------------------


def account(make_client: Any, login: str, name: str, *, developer: bool = False) -> Any:
    browser = make_client()
    response = browser.post(
        "/api/accounts/signup", json={"login": login, "password": PASSWORD, "display_name": name}
    )
    assert response.status_code == 201, response.text
    if developer:
        assert browser.post("/api/console/developer").status_code == 200
    return browser


def new_organisation(admin: Any, name: str) -> str:
    response = admin.post("/api/console/organisations", json={"name": name})
    assert response.status_code == 201, response.text
    org_id: str = response.json()["organisation"]["id"]
    return org_id


def join(admin: Any, member: Any, org: str, login: str, role: str) -> None:
    invited = admin.post(
        f"/api/console/organisations/{org}/members", json={"login": login, "role": role}
    )
    assert invited.status_code == 201, invited.text
    assert member.post(f"/api/console/invitations/{org}/accept").status_code == 200


def grant_staff(database: Database, login: str, role: str) -> None:
    with database.transaction() as session:
        do_grant_staff_role(session, user=find_user_by_login(session, login=login), role=role)


def apply(
    browser: Any,
    org: str,
    *,
    details: dict[str, str] | None = None,
    files: dict[str, tuple[str, bytes, str]] | None = None,
) -> Any:
    if files is None:
        files = {
            "licence": ("licence.pdf", PDF, "application/pdf"),
            "legal_rep_id": ("id.png", PNG, "image/png"),
        }
    return browser.post(
        f"/api/console/organisations/{org}/verification",
        data=DETAILS if details is None else details,
        files=files,
    )


def applied(browser: Any, org: str) -> dict[str, Any]:
    response = apply(browser, org)
    assert response.status_code == 201, response.text
    application: dict[str, Any] = response.json()["application"]
    return application


def verification_of(browser: Any, org: str) -> dict[str, Any]:
    response = browser.get(f"/api/console/organisations/{org}")
    assert response.status_code == 200, response.text
    state: dict[str, Any] = response.json()["organisation"]["verification"]
    return state


def overview(browser: Any, org: str) -> dict[str, Any]:
    response = browser.get(f"/api/console/organisations/{org}/verification")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def approve(reviewer: Any, application_id: str, **body: Any) -> Any:
    return reviewer.post(
        f"/api/staff/verifications/{application_id}/approve", json={"fee_paid": True, **body}
    )


def audit_actions(admin: Any, org: str) -> list[tuple[str, str | None]]:
    response = admin.get(f"/api/console/organisations/{org}/audit")
    assert response.status_code == 200, response.text
    return [
        (event["action"], event["actor"]["display_name"] if event["actor"] else None)
        for event in response.json()["events"]
    ]


def error(response: Any) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["code"]


def stored(database: Database, data_dir: Path) -> tuple[int, int, int, list[Path]]:
    """Applications, documents and audit entries in the database, and files in the store."""
    with database.read() as session:
        applications = session.scalar(select(func.count()).select_from(OrganisationVerification))
        documents = session.scalar(select(func.count()).select_from(PrivateDocument))
        audits = session.scalar(select(func.count()).select_from(AuditEvent))
    root = data_dir / "private"
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
    return applications or 0, documents or 0, audits or 0, files


def parse_time(raw: str) -> datetime:
    return datetime.fromisoformat(raw.replace("Z", "+00:00"))


@pytest.fixture
def acme(make_client: Any, database: Database) -> dict[str, Any]:
    """Acme Coffee: Ada its admin, Dev a developer, Ann an analyst; Rita a platform reviewer;
    Olga, the admin of another organisation; Pat, signed up and nothing else."""
    ada = account(make_client, "ada@example.com", "Ada", developer=True)
    org = new_organisation(ada, "Acme Coffee")
    dev = account(make_client, "dev@example.com", "Dev")
    join(ada, dev, org, "dev@example.com", "developer")
    ann = account(make_client, "ann@example.com", "Ann")
    join(ada, ann, org, "ann@example.com", "analyst")
    rita = account(make_client, "rita@example.com", "Rita")
    grant_staff(database, "rita@example.com", "reviewer")
    olga = account(make_client, "olga@example.com", "Olga", developer=True)
    other = new_organisation(olga, "Other Tea")
    pat = account(make_client, "pat@example.com", "Pat")
    return {
        "ada": ada,
        "org": org,
        "dev": dev,
        "ann": ann,
        "rita": rita,
        "olga": olga,
        "other": other,
        "pat": pat,
    }


# --- the journey --------------------------------------------------------------------------------


def test_a_new_organisation_is_unverified(acme: dict[str, Any]) -> None:
    assert verification_of(acme["ada"], acme["org"]) == {
        "status": "unverified",
        "fee_paid": False,
        "verified_until": None,
        "in_force": False,
    }
    listed = acme["dev"].get("/api/console/organisations").json()["organisations"]
    assert listed[0]["verification"]["status"] == "unverified"
    assert overview(acme["ada"], acme["org"])["applications"] == []


def test_apply_then_a_reviewer_approves_and_the_verification_is_in_force(
    acme: dict[str, Any],
) -> None:
    ada, org, rita = acme["ada"], acme["org"], acme["rita"]
    response = apply(ada, org)
    assert response.status_code == 201, response.text
    application = response.json()["application"]
    assert application["status"] == "pending"
    assert {k: application[k] for k in DETAILS} == DETAILS
    assert application["organisation"] == {"id": org, "name": "Acme Coffee"}
    assert application["submitted_by"]["display_name"] == "Ada"
    assert application["licence"]["file_name"] == "licence.pdf"
    assert application["licence"]["content_type"] == "application/pdf"
    assert application["legal_rep_id"]["content_type"] == "image/png"
    assert application["licence"]["url"].startswith(f"/api/console/organisations/{org}/documents/")
    assert response.json()["verification"]["status"] == "pending"
    assert verification_of(ada, org)["status"] == "pending"
    assert verification_of(ada, org)["in_force"] is False

    queue = rita.get("/api/staff/verifications").json()["applications"]
    assert [(a["id"], a["organisation"]["name"]) for a in queue] == [
        (application["id"], "Acme Coffee")
    ]

    before = utc_now()
    approved = approve(rita, application["id"])
    assert approved.status_code == 200, approved.text
    assert approved.json()["application"]["status"] == "approved"
    assert approved.json()["application"]["decided_by"]["display_name"] == "Rita"
    state = verification_of(ada, org)
    assert state["status"] == "verified"
    assert state["fee_paid"] is True
    assert state["in_force"] is True
    until = parse_time(state["verified_until"])
    assert before + timedelta(days=365) <= until <= utc_now() + timedelta(days=365)

    assert rita.get("/api/staff/verifications").json()["applications"] == []
    history = overview(ada, org)
    assert history["verification"] == state
    assert [(a["id"], a["status"]) for a in history["applications"]] == [
        (application["id"], "approved")
    ]
    assert audit_actions(ada, org)[:2] == [
        ("verification.approved", "Rita"),
        ("verification.applied", "Ada"),
    ]


def test_a_rejection_and_its_reason_reach_the_admin_who_may_apply_again(
    acme: dict[str, Any],
) -> None:
    ada, org, rita = acme["ada"], acme["org"], acme["rita"]
    application = applied(ada, org)
    reason = "The licence is blurred.\nPlease upload a clearer scan."
    rejected = rita.post(
        f"/api/staff/verifications/{application['id']}/reject", json={"reason": reason}
    )
    assert rejected.status_code == 200, rejected.text
    history = overview(ada, org)
    assert history["verification"]["status"] == "rejected"
    assert history["verification"]["in_force"] is False
    (shown,) = history["applications"]
    assert (shown["status"], shown["reason"]) == ("rejected", reason)
    assert shown["decided_by"]["display_name"] == "Rita"
    assert audit_actions(ada, org)[0] == ("verification.rejected", "Rita")

    again = applied(ada, org)
    assert verification_of(ada, org)["status"] == "pending"
    assert [a["id"] for a in overview(ada, org)["applications"]] == [
        again["id"],
        application["id"],
    ]


def test_approved_with_the_fee_unpaid_is_not_in_force_until_staff_record_it(
    acme: dict[str, Any],
) -> None:
    ada, org, rita = acme["ada"], acme["org"], acme["rita"]
    application = applied(ada, org)
    assert approve(rita, application["id"], fee_paid=False).status_code == 200
    state = verification_of(ada, org)
    assert (state["status"], state["fee_paid"], state["in_force"]) == ("verified", False, False)

    paid = rita.post(
        f"/api/staff/organisations/{org}/verification-fee",
        json={"fee_paid": True, "verified_until": "2099-12-31"},
    )
    assert paid.status_code == 200, paid.text
    assert paid.json()["verification"] == {
        "status": "verified",
        "fee_paid": True,
        "verified_until": "2099-12-31T00:00:00Z",
        "in_force": True,
    }
    assert verification_of(ada, org)["in_force"] is True
    assert audit_actions(ada, org)[0] == ("verification.fee_recorded", "Rita")

    unpaid = rita.post(f"/api/staff/organisations/{org}/verification-fee", json={"fee_paid": False})
    assert unpaid.status_code == 200, unpaid.text
    state = verification_of(ada, org)
    assert (state["fee_paid"], state["verified_until"], state["in_force"]) == (
        False,
        "2099-12-31T00:00:00Z",
        False,
    )


def test_an_expired_verification_is_not_in_force(acme: dict[str, Any], database: Database) -> None:
    ada, org, rita = acme["ada"], acme["org"], acme["rita"]
    assert approve(rita, applied(ada, org)["id"]).status_code == 200
    assert verification_of(ada, org)["in_force"] is True
    # Time passes: nothing runs at expiry, the next read decides.
    with database.transaction() as session:
        session.execute(
            update(Organisation).values(verified_until=utc_now() - timedelta(seconds=1))
        )
    state = verification_of(ada, org)
    assert (state["status"], state["fee_paid"], state["in_force"]) == ("verified", True, False)


def test_approval_takes_an_expiry_date_and_refuses_one_in_the_past(
    acme: dict[str, Any], database: Database, data_dir: Path
) -> None:
    ada, org, rita = acme["ada"], acme["org"], acme["rita"]
    application = applied(ada, org)
    before = stored(database, data_dir)
    past = approve(rita, application["id"], verified_until="2001-01-01")
    assert error(past) == (422, "verified_until_invalid")
    assert past.json()["error"]["field"] == "verified_until"
    assert stored(database, data_dir) == before
    assert verification_of(ada, org)["status"] == "pending"

    dated = approve(rita, application["id"], verified_until="2031-03-15T08:00:00+08:00")
    assert dated.status_code == 200, dated.text
    assert verification_of(ada, org)["verified_until"] == "2031-03-15T00:00:00Z"


# --- who may do what ----------------------------------------------------------------------------


def test_members_other_than_admins_are_refused_and_nothing_is_stored(
    acme: dict[str, Any], database: Database, data_dir: Path
) -> None:
    before = stored(database, data_dir)
    for member in ("dev", "ann"):
        refused = apply(acme[member], acme["org"])
        assert error(refused) == (403, "role_required")
        assert refused.json()["error"]["params"]["role"] == "admin"
        read = acme[member].get(f"/api/console/organisations/{acme['org']}/verification")
        assert error(read) == (403, "role_required")
        assert stored(database, data_dir) == before
    assert before[3] == []


def test_outsiders_get_not_found_and_nothing_is_stored(
    acme: dict[str, Any], database: Database, data_dir: Path
) -> None:
    before = stored(database, data_dir)
    # Another organisation's admin, a stranger, and a reviewer: staff are no organisation's admin.
    for who in ("olga", "pat", "rita"):
        assert error(apply(acme[who], acme["org"])) == (404, "not_found")
        read = acme[who].get(f"/api/console/organisations/{acme['org']}/verification")
        assert error(read) == (404, "not_found")
        assert stored(database, data_dir) == before
    assert verification_of(acme["ada"], acme["org"])["status"] == "unverified"


def test_signed_out_callers_are_refused(acme: dict[str, Any], make_client: Any) -> None:
    anonymous = make_client()
    assert apply(anonymous, acme["org"]).status_code == 401
    assert anonymous.get("/api/staff/verifications").status_code == 401


def test_staff_routes_refuse_everyone_but_staff_and_change_nothing(
    acme: dict[str, Any], database: Database, data_dir: Path
) -> None:
    application = applied(acme["ada"], acme["org"])
    before = stored(database, data_dir)
    for who in ("ada", "dev", "pat"):
        browser = acme[who]
        assert error(browser.get("/api/staff/verifications")) == (403, "forbidden")
        assert error(approve(browser, application["id"])) == (403, "forbidden")
        rejected = browser.post(
            f"/api/staff/verifications/{application['id']}/reject", json={"reason": "no"}
        )
        assert error(rejected) == (403, "forbidden")
        fee = browser.post(
            f"/api/staff/organisations/{acme['org']}/verification-fee", json={"fee_paid": True}
        )
        assert error(fee) == (403, "forbidden")
        assert stored(database, data_dir) == before
    assert verification_of(acme["ada"], acme["org"]) == {
        "status": "pending",
        "fee_paid": False,
        "verified_until": None,
        "in_force": False,
    }


def test_platform_admins_may_do_what_reviewers_do(
    acme: dict[str, Any], database: Database, make_client: Any
) -> None:
    boss = account(make_client, "boss@example.com", "Boss")
    grant_staff(database, "boss@example.com", "platform_admin")
    application = applied(acme["ada"], acme["org"])
    assert len(boss.get("/api/staff/verifications").json()["applications"]) == 1
    assert approve(boss, application["id"]).status_code == 200


# --- bad input ----------------------------------------------------------------------------------


def test_a_second_application_while_one_is_pending_is_refused_and_nothing_is_stored(
    acme: dict[str, Any], database: Database, data_dir: Path
) -> None:
    applied(acme["ada"], acme["org"])
    before = stored(database, data_dir)
    assert before[:2] == (1, 2)
    assert len(before[3]) == 2
    assert error(apply(acme["ada"], acme["org"])) == (409, "verification_pending")
    assert stored(database, data_dir) == before


BAD_FILES: list[tuple[dict[str, tuple[str, bytes, str] | None], str, str]] = [
    ({"licence": ("licence.pdf", HTML, "application/pdf")}, "licence", "document_invalid"),
    ({"licence": ("licence.png", b"", "image/png")}, "licence", "document_invalid"),
    (
        {"licence": ("virus.png", b"MZ\x90\x00" + b"\x00" * 64, "image/png")},
        "licence",
        "document_invalid",
    ),
    (
        {"licence": ("big.pdf", b"%PDF-" + b"\x00" * FIVE_MB, "application/pdf")},
        "licence",
        "document_too_large",
    ),
    ({"licence": None}, "licence", "document_invalid"),
    ({"legal_rep_id": ("id.html", HTML, "text/html")}, "legal_rep_id", "document_invalid"),
    ({"legal_rep_id": None}, "legal_rep_id", "document_invalid"),
]


def test_bad_files_are_refused_and_nothing_is_stored(
    acme: dict[str, Any], database: Database, data_dir: Path
) -> None:
    good = {
        "licence": ("licence.pdf", PDF, "application/pdf"),
        "legal_rep_id": ("id.png", PNG, "image/png"),
    }
    before = stored(database, data_dir)
    for files, field, code in BAD_FILES:
        sent = {**good, **files}
        refused = apply(
            acme["ada"], acme["org"], files={k: v for k, v in sent.items() if v is not None}
        )
        assert error(refused) == (422, code), (files, refused.text)
        assert refused.json()["error"]["field"] == field
        assert stored(database, data_dir) == before
    assert verification_of(acme["ada"], acme["org"])["status"] == "unverified"


BAD_DETAILS = [
    ("company_name", ""),
    ("company_name", "   "),
    ("company_name", "x" * 101),
    ("company_name", "Acme\u202egnp.exe"),
    ("registration_number", "9131\x00"),
    ("registration_number", "9" * 65),
    ("legal_representative", ""),
    ("legal_representative", None),
]


def test_bad_company_details_are_refused_and_nothing_is_stored(
    acme: dict[str, Any], database: Database, data_dir: Path
) -> None:
    before = stored(database, data_dir)
    for field, value in BAD_DETAILS:
        details = {k: v for k, v in {**DETAILS, field: value}.items() if v is not None}
        refused = apply(acme["ada"], acme["org"], details=details)
        assert error(refused) == (422, f"{field}_invalid"), (field, value)
        assert refused.json()["error"]["field"] == field
        assert stored(database, data_dir) == before


def test_company_details_have_their_whitespace_collapsed(acme: dict[str, Any]) -> None:
    response = apply(
        acme["ada"], acme["org"], details={**DETAILS, "company_name": "  Acme \t Coffee  "}
    )
    assert response.status_code == 201, response.text
    assert response.json()["application"]["company_name"] == "Acme Coffee"


def test_a_rejection_needs_a_readable_reason_and_a_bad_one_changes_nothing(
    acme: dict[str, Any], database: Database, data_dir: Path
) -> None:
    application = applied(acme["ada"], acme["org"])
    before = stored(database, data_dir)
    for reason in ("", "   ", "\n\n", "x" * 501, "bad\x07bell", "\u200b"):
        refused = acme["rita"].post(
            f"/api/staff/verifications/{application['id']}/reject", json={"reason": reason}
        )
        assert error(refused) == (422, "reason_invalid"), reason
        assert refused.json()["error"]["field"] == "reason"
        assert stored(database, data_dir) == before
    assert overview(acme["ada"], acme["org"])["applications"][0]["status"] == "pending"


def test_a_decided_application_cannot_be_decided_again(
    acme: dict[str, Any], database: Database, data_dir: Path
) -> None:
    application = applied(acme["ada"], acme["org"])
    assert approve(acme["rita"], application["id"]).status_code == 200
    before = stored(database, data_dir)
    state = verification_of(acme["ada"], acme["org"])
    assert error(approve(acme["rita"], application["id"], fee_paid=False)) == (
        409,
        "verification_not_pending",
    )
    rejected = acme["rita"].post(
        f"/api/staff/verifications/{application['id']}/reject", json={"reason": "changed mind"}
    )
    assert error(rejected) == (409, "verification_not_pending")
    assert stored(database, data_dir) == before
    assert verification_of(acme["ada"], acme["org"]) == state


def test_unknown_applications_and_organisations_are_not_found(acme: dict[str, Any]) -> None:
    for unknown in ("00000000-0000-0000-0000-000000000000", "nope"):
        assert error(approve(acme["rita"], unknown)) == (404, "not_found")
        fee = acme["rita"].post(
            f"/api/staff/organisations/{unknown}/verification-fee", json={"fee_paid": True}
        )
        assert error(fee) == (404, "not_found")


def test_the_queue_is_oldest_first_and_filters_by_status(acme: dict[str, Any]) -> None:
    first = applied(acme["ada"], acme["org"])
    second = applied(acme["olga"], acme["other"])
    rita = acme["rita"]
    queue = rita.get("/api/staff/verifications?status=pending").json()["applications"]
    assert [a["id"] for a in queue] == [first["id"], second["id"]]
    assert approve(rita, first["id"]).status_code == 200
    assert [a["id"] for a in rita.get("/api/staff/verifications").json()["applications"]] == [
        second["id"]
    ]
    approved = rita.get("/api/staff/verifications?status=approved").json()["applications"]
    assert [a["id"] for a in approved] == [first["id"]]
    assert error(rita.get("/api/staff/verifications?status=everything")) == (
        422,
        "status_invalid",
    )


# --- the private documents ----------------------------------------------------------------------


def test_documents_are_read_by_the_admin_and_by_a_reviewer_as_attachments(
    acme: dict[str, Any],
) -> None:
    application = applied(acme["ada"], acme["org"])
    for reader in ("ada", "rita"):
        response = acme[reader].get(application["licence"]["url"])
        assert response.status_code == 200, response.text
        assert response.content == PDF
        assert response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"] == 'attachment; filename="licence.pdf"'
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"] == "default-src 'none'; sandbox"
        id_document = acme[reader].get(application["legal_rep_id"]["url"])
        assert (id_document.status_code, id_document.content) == (200, PNG)
        assert id_document.headers["content-type"] == "image/png"


def test_a_non_ascii_file_name_is_sent_as_rfc_5987(acme: dict[str, Any]) -> None:
    files = {
        "licence": ("营业执照 (1).pdf", PDF, "application/pdf"),
        "legal_rep_id": ("id.png", PNG, "image/png"),
    }
    response = apply(acme["ada"], acme["org"], files=files)
    assert response.status_code == 201, response.text
    document = response.json()["application"]["licence"]
    assert document["file_name"] == "营业执照 (1).pdf"
    disposition = acme["ada"].get(document["url"]).headers["content-disposition"]
    assert disposition == (
        'attachment; filename="____ (1).pdf"; '
        "filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%20%281%29.pdf"
    )


def test_documents_are_hidden_from_everyone_else(acme: dict[str, Any]) -> None:
    application = applied(acme["ada"], acme["org"])
    # The organisation's developer and analyst, another organisation's admin, a stranger.
    for who in ("dev", "ann", "olga", "pat"):
        for document in ("licence", "legal_rep_id"):
            response = acme[who].get(application[document]["url"])
            assert error(response) == (404, "not_found")
            assert PDF not in response.content


def test_a_document_is_not_found_under_another_organisations_id(acme: dict[str, Any]) -> None:
    application = applied(acme["ada"], acme["org"])
    document_id = application["licence"]["id"]
    # Olga is the admin of "other": naming her own organisation does not reach Acme's document.
    for reader in ("olga", "rita"):
        response = acme[reader].get(
            f"/api/console/organisations/{acme['other']}/documents/{document_id}"
        )
        assert error(response) == (404, "not_found")
    assert error(acme["ada"].get(f"/api/console/organisations/{acme['org']}/documents/x")) == (
        404,
        "not_found",
    )


def test_signed_out_callers_cannot_read_documents(acme: dict[str, Any], make_client: Any) -> None:
    application = applied(acme["ada"], acme["org"])
    response = make_client().get(application["licence"]["url"])
    assert response.status_code == 401
    assert PDF not in response.content


def test_documents_are_never_served_under_a_public_path(
    acme: dict[str, Any], database: Database, data_dir: Path, make_client: Any
) -> None:
    applied(acme["ada"], acme["org"])
    with database.read() as session:
        keys = list(session.scalars(select(PrivateDocument.storage_key)))
    assert len(keys) == 2
    for key in keys:
        assert (data_dir / "private" / key).read_bytes() in (PDF, PNG)
        name = key.split("/")[1]
        paths = [
            f"/static/{key}",
            f"/static/../private/{key}",
            f"/static/console/..%2F..%2Fprivate%2F{key.replace('/', '%2F')}",
            f"/static/shared/%2e%2e/%2e%2e/private/{key}",
            f"/bundles/files/{name}",
            f"/bundles/files/{name}.js",
            f"/bundles/files/..%2Fprivate%2F{key.replace('/', '%2F')}",
            f"/media/{name}",
            f"/media/{name}.png",
            f"/media/../private/{key}",
            f"/private/{key}",
            f"/data/private/{key}",
        ]
        for browser in (make_client(), acme["ada"]):
            for path in paths:
                response = browser.get(path)
                assert response.status_code in (400, 404), (path, response.status_code)
                assert PDF not in response.content
                assert PNG not in response.content
