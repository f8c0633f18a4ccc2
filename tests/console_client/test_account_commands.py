"""login, whoami, token, org, members and audit commands against a real server."""

from __future__ import annotations

import json
import stat
from collections.abc import Callable

from click.testing import CliRunner
from sqlalchemy import func, select

from miniapp.accounts.models import Organisation, PersonalAccessToken
from miniapp.cli import main
from tests.conftest import LiveServer
from tests.console_client.conftest import PASSWORD, Cli, sign_up

ANA = "ana@example.com"
BO = "bo@example.com"


def test_login_stores_a_private_token_and_whoami_uses_it(
    make_cli: Callable[[str], Cli], live_server: LiveServer
) -> None:
    sign_up(live_server, ANA, "Ana")
    cli = make_cli("ana")
    result = cli.ok("login", input=f"{ANA}\n{PASSWORD}\n")  # both asked for
    assert "Logged in" in result.stdout and PASSWORD not in result.output
    stored = json.loads(cli.credentials.read_text())
    assert stored["server"] == live_server.url and stored["token"].startswith("mpat_")
    assert stat.S_IMODE(cli.credentials.stat().st_mode) == 0o600
    assert stat.S_IMODE(cli.credentials.parent.stat().st_mode) == 0o700
    me = cli.json("whoami")
    assert me["user"]["email"] == ANA and me["server"] == live_server.url
    assert "Ana" in cli.ok("whoami").stdout


def test_a_wrong_password_is_shown_and_stores_nothing(
    make_cli: Callable[[str], Cli], live_server: LiveServer
) -> None:
    sign_up(live_server, ANA, "Ana")
    cli = make_cli("ana")
    result = cli.run("login", "--login", ANA, input="wrong-pass-1\n")
    assert result.exit_code == 1
    assert "Error:" in result.stderr and "password" in result.stderr.lower()
    as_json = cli.run("login", "--login", ANA, "--json", input="wrong-pass-1\n")
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["error"]["code"] == "invalid_credentials"
    assert not cli.credentials.exists()


def test_logout_revokes_the_token_and_forgets_it(
    make_cli: Callable[[str], Cli], live_server: LiveServer
) -> None:
    sign_up(live_server, ANA, "Ana")
    cli = make_cli("ana")
    cli.login(ANA)
    secret = json.loads(cli.credentials.read_text())["token"]
    assert cli.json("logout") == {"revoked": True, "forgotten": True}
    assert not cli.credentials.exists()
    cli.token = secret  # the old token, as a CI variable: the server refuses it now
    refused = cli.run("whoami", "--json")
    assert refused.exit_code == 1
    assert json.loads(refused.stdout)["error"]["code"] == "token_invalid"


def test_tokens_for_ci_are_made_with_the_password_listed_and_revoked(
    make_cli: Callable[[str], Cli], live_server: LiveServer
) -> None:
    sign_up(live_server, ANA, "Ana")
    cli = make_cli("ana")
    cli.login(ANA)
    made = cli.json("token", "create", "CI deploys", "--days", "30", input=PASSWORD + "\n")
    assert made["secret"].startswith("mpat_") and made["token"]["expires_at"]
    ci = make_cli("ci")
    ci.token = made["secret"]  # MINIAPP_TOKEN: no login, no credentials file
    assert ci.json("whoami")["user"]["email"] == ANA
    names = [t["name"] for t in cli.json("token", "list")["tokens"]]
    assert "CI deploys" in names and len(names) == 2
    cli.ok("token", "revoke", made["token"]["id"])
    assert ci.run("whoami").exit_code == 1
    assert [t["name"] for t in cli.json("token", "list")["tokens"]] != names


def test_org_create_list_show_members_and_audit(
    make_cli: Callable[[str], Cli], live_server: LiveServer
) -> None:
    sign_up(live_server, ANA, "Ana")
    bo_id = sign_up(live_server, BO, "Bo")
    ana = make_cli("ana")
    ana.login(ANA)
    created = ana.json("org", "create", "Acme Ltd")["organisation"]
    assert created["name"] == "Acme Ltd" and created["my_role"] == "admin"
    org = created["id"]
    listed = ana.json("org", "list")["organisations"]
    assert [o["id"] for o in listed] == [org]
    assert org in ana.ok("org", "list").stdout  # the table shows the id other commands take
    assert ana.json("org", "show", org)["organisation"]["verification"]["in_force"] is False

    invited = ana.json("members", "invite", org, BO, "--role", "tester")["member"]
    assert invited["status"] == "invited" and invited["user"]["id"] == bo_id
    bo = make_cli("bo")
    bo.login(BO)
    hidden = bo.run("org", "show", org, "--json")
    assert hidden.exit_code == 1  # not a member until accepted: the organisation is hidden
    assert json.loads(hidden.stdout)["error"]["code"] == "not_found"

    changed = ana.json("members", "role", org, bo_id, "developer")["member"]
    assert changed["role"] == "developer"
    members = ana.json("members", "list", org)["members"]
    assert {(m["user"]["id"], m["role"], m["status"]) for m in members} >= {
        (bo_id, "developer", "invited")
    }
    ana.ok("members", "remove", org, bo_id)
    assert bo_id not in [m["user"]["id"] for m in ana.json("members", "list", org)["members"]]

    events = ana.json("audit", org)["events"]
    assert [e["action"] for e in events][-3:] == [
        "invitation.role_changed",
        "member.invited",
        "organisation.created",
    ]
    assert "member.invited" in ana.ok("audit", org).stdout


def test_an_api_error_is_its_message_and_exit_status_1(
    make_cli: Callable[[str], Cli], live_server: LiveServer
) -> None:
    sign_up(live_server, ANA, "Ana")
    sign_up(live_server, BO, "Bo")
    ana = make_cli("ana")
    ana.login(ANA)
    org = ana.json("org", "create", "Acme Ltd")["organisation"]["id"]
    bo = make_cli("bo")
    bo.login(BO)
    shown = bo.run("audit", org)
    assert shown.exit_code == 1
    assert shown.stdout == ""
    assert "Error:" in shown.stderr
    as_json = bo.run("audit", org, "--json")
    assert as_json.exit_code == 1
    error = json.loads(as_json.stdout)["error"]
    assert error["code"] == "not_found" and error["message"]
    bad = ana.run("org", "create", "x", "--json")
    assert json.loads(bad.stdout)["error"]["code"] == "organisation_name_invalid"
    with live_server.database.read() as session:
        assert session.scalar(select(func.count()).select_from(Organisation)) == 1


def test_without_a_token_the_server_says_sign_in(make_cli: Callable[[str], Cli]) -> None:
    cli = make_cli("nobody")
    result = cli.run("org", "list", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"]["code"] == "not_signed_in"


def test_no_server_at_all_is_a_clear_error(make_cli: Callable[[str], Cli]) -> None:
    cli = make_cli("nobody")
    result = CliRunner().invoke(
        main,
        ["whoami", "--json"],
        env={"HOME": str(cli.home), "MINIAPP_SERVER": None, "MINIAPP_TOKEN": None},
    )
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"]["code"] == "server_missing"


def test_the_stored_token_goes_only_to_its_own_server(
    make_cli: Callable[[str], Cli], live_server: LiveServer
) -> None:
    sign_up(live_server, ANA, "Ana")
    cli = make_cli("ana")
    cli.login(ANA)
    # Another server (here: the same one under another name) never sees the stored token.
    other = live_server.url.replace("127.0.0.1", "localhost")
    result = cli.run("whoami", "--server", other, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["error"]["code"] == "not_signed_in"
    with live_server.database.read() as session:
        used = session.scalars(select(PersonalAccessToken.last_used_at)).all()
    assert used == [None]
