"""The reviewers' commands against a real server: an organisation applies for verification with
`org verify`, a reviewer works the queue with `verification`; `review queue` is theirs only."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from miniapp.accounts.staff import do_grant_staff_role
from miniapp.accounts.users import find_user_by_login
from tests.conftest import LiveServer
from tests.console_client.conftest import Cli, sign_up

ANA = "ana@example.com"
REVIEWER = "rita@example.com"


def reviewer(make_cli: Callable[[str], Cli], live_server: LiveServer) -> Cli:
    sign_up(live_server, REVIEWER, "Rita")
    with live_server.database.transaction() as session:
        do_grant_staff_role(
            session, user=find_user_by_login(session, login=REVIEWER), role="reviewer"
        )
    cli = make_cli("rita")
    cli.login(REVIEWER)
    return cli


def documents(folder: Path) -> tuple[Path, Path]:
    licence = folder / "licence.pdf"
    licence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    id_card = folder / "id.png"
    id_card.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    return licence, id_card


def test_verification_applied_for_and_approved_from_the_cli(
    make_cli: Callable[[str], Cli], live_server: LiveServer, tmp_path: Path
) -> None:
    sign_up(live_server, ANA, "Ana")
    ana = make_cli("ana")
    ana.login(ANA)
    org = ana.json("org", "create", "Acme Ltd")["organisation"]["id"]
    licence, id_card = documents(tmp_path)
    applied = ana.json(
        "org", "verify", org,
        "--company", "Acme Ltd", "--registration", "91310000XXXX",
        "--representative", "Ana Li",
        "--licence", str(licence), "--id-document", str(id_card),
    )  # fmt: skip
    assert applied["application"]["status"] == "pending"

    rita = reviewer(make_cli, live_server)
    queue = rita.json("verification", "queue")["applications"]
    assert [a["organisation"]["id"] for a in queue] == [org]
    assert "Acme Ltd" in rita.ok("verification", "queue").stdout
    approved = rita.json(
        "verification", "approve", queue[0]["id"], "--fee-paid", "--until", "2099-01-01"
    )
    assert approved["verification"]["in_force"] is True
    assert approved["verification"]["verified_until"].startswith("2099-01-01")
    assert rita.json("verification", "queue")["applications"] == []
    assert ana.json("org", "show", org)["organisation"]["verification"]["status"] == "verified"


def test_a_rejection_needs_a_reason(
    make_cli: Callable[[str], Cli], live_server: LiveServer, tmp_path: Path
) -> None:
    rita = reviewer(make_cli, live_server)
    missing = rita.run("verification", "reject", "some-id")
    assert missing.exit_code == 2 and "--reason" in missing.output
    unknown = rita.run("verification", "reject", "some-id", "--reason", "Blurred", "--json")
    assert unknown.exit_code == 1
    assert json.loads(unknown.stdout)["error"]["code"] == "not_found"


def test_the_review_queue_is_for_reviewers_only(
    make_cli: Callable[[str], Cli], live_server: LiveServer
) -> None:
    rita = reviewer(make_cli, live_server)
    assert rita.json("review", "queue") == {"versions": []}
    assert "empty" in rita.ok("review", "queue").stdout
    sign_up(live_server, ANA, "Ana")
    ana = make_cli("ana")
    ana.login(ANA)
    refused = ana.run("review", "queue", "--json")
    assert refused.exit_code == 1
    assert json.loads(refused.stdout)["error"]["code"] == "forbidden"
    assert ana.run("verification", "queue").exit_code == 1
