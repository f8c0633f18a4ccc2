"""`miniapp login | logout | whoami | token | org | members | audit`: the account and
organisation commands, each one call (or two) to the console API."""

from __future__ import annotations

import json
import mimetypes
import socket
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import click

from miniapp.console_client.api import ApiError, api_path
from miniapp.console_client.credentials_store import (
    StoredCredentials,
    forget_credentials,
    save_credentials,
)
from miniapp.console_client.remote import Remote, remote_command

ROLES = ("admin", "developer", "operator", "analyst", "tester")
# What the API keeps of a token to tell it apart (personal_tokens.SHOWN_PREFIX_LENGTH).
TOKEN_PREFIX_LENGTH = 12


def read_password() -> str:
    """Asked for, hidden, at a terminal; the first line of stdin otherwise (scripts)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password: str = click.prompt("Password", hide_input=True)
    return password


def default_token_name() -> str:
    return f"miniapp CLI on {socket.gethostname()}"[:64]


def file_part(path: Path) -> tuple[str, bytes, str]:
    """(name, bytes, content type) for a multipart upload; the server checks the content."""
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return (path.name, path.read_bytes(), content_type)


def org_path(org: str, *rest: str) -> str:
    return api_path("/api/console/organisations", org, *rest)


# --- signing in ---------------------------------------------------------------------------------


@click.command("login")
@click.option("--login", "login_name", metavar="LOGIN", help="Email or mobile number.")
@click.option("--name", "token_name", help="What to call the token (default: this machine).")
@remote_command(require_server=False)
def login(*, remote: Remote, login_name: str | None, token_name: str | None) -> None:
    """Sign in with your password and store a token for the other commands.

    Without --login both are asked for; with it, the password is read from stdin when stdin is
    not a terminal (scripts). The token is kept in ~/.config/miniapp/credentials.json (0600)."""
    login_name = login_name or click.prompt("Login (email or mobile number)")
    password = read_password()
    answer = remote.api.post(
        "/api/accounts/tokens/login",
        {"login": login_name, "password": password, "name": token_name or default_token_name()},
    )
    server = remote.target.server
    path = save_credentials(
        StoredCredentials(
            server=server,
            token=answer["secret"],
            token_id=str(answer["token"]["id"]),
            login=login_name,
        )
    )
    remote.out.document(
        {"server": server, "token": answer["token"], "credentials": str(path)},
        lambda: remote.out.text(
            f"Logged in to [bold]{server}[/] as [bold]{login_name}[/]; token saved in {path}."
        ),
    )


def _token_id_of(remote: Remote, token: str) -> str | None:
    stored = remote.target.stored
    if stored is not None and stored.token == token:
        return stored.token_id
    for listed in remote.api.get("/api/accounts/tokens")["tokens"]:
        if listed["prefix"] == token[:TOKEN_PREFIX_LENGTH]:
            return str(listed["id"])
    return None


@click.command("logout")
@remote_command()
def logout(*, remote: Remote) -> None:
    """Revoke the token in use and forget it."""
    token = remote.target.token
    revoked = False
    if token is not None:
        try:
            token_id = _token_id_of(remote, token)
            if token_id is not None:
                remote.api.delete(api_path("/api/accounts/tokens", token_id))
                revoked = True
        except ApiError as error:
            if error.error["code"] != "token_invalid":  # already dead: just forget it
                raise
    stored = remote.target.stored
    forgotten = stored is not None and stored.token == token and forget_credentials()
    remote.out.document(
        {"revoked": revoked, "forgotten": forgotten},
        lambda: remote.out.text("Logged out." if token else "Not logged in."),
    )


@click.command("whoami")
@remote_command()
def whoami(*, remote: Remote) -> None:
    """Who the token acts for, on which server."""
    answer = remote.api.get("/api/accounts/me")
    user = answer["user"]
    remote.out.document(
        {"server": remote.target.server, **answer},
        lambda: remote.out.fields(
            [
                ("server", remote.target.server),
                ("name", user["display_name"]),
                ("login", user.get("email") or user.get("phone")),
                ("id", user["id"]),
                ("developer", user.get("is_developer")),
                ("staff roles", user.get("staff_roles")),
            ]
        ),
    )


# --- personal access tokens ---------------------------------------------------------------------


@click.group("token")
def token_group() -> None:
    """Personal access tokens, for CI and scripts (MINIAPP_TOKEN)."""


@token_group.command("create")
@click.argument("name")
@click.option("--days", type=int, help="Expire after N days (default: never, until revoked).")
@click.option("--login", "login_name", metavar="LOGIN", help="Whose (default: who you are).")
@remote_command()
def token_create(*, remote: Remote, name: str, days: int | None, login_name: str | None) -> None:
    """Make a token NAME. Making a token needs your password (a token cannot make tokens):
    it is asked for, or read from stdin. The secret is shown once."""
    if login_name is None:
        user = remote.api.get("/api/accounts/me")["user"]
        login_name = user.get("email") or user.get("phone")
    answer = remote.api.post(
        "/api/accounts/tokens/login",
        {
            "login": login_name,
            "password": read_password(),
            "name": name,
            "expires_in_days": days,
        },
    )

    def render() -> None:
        remote.out.text(f"Token [bold]{answer['token']['name']}[/] ({answer['token']['id']}):")
        remote.out.console.print(answer["secret"], markup=False, highlight=False)
        remote.out.text("[yellow]Copy it now: it is not shown again.[/]")

    remote.out.document(answer, render)


TOKEN_COLUMNS = (
    ("id", "id"),
    ("name", "name"),
    ("prefix", "prefix"),
    ("created", "created_at"),
    ("expires", "expires_at"),
    ("last used", "last_used_at"),
)


@token_group.command("list")
@remote_command()
def token_list(*, remote: Remote) -> None:
    """Your tokens that still work."""
    answer = remote.api.get("/api/accounts/tokens")
    remote.out.document_table(answer, "tokens", TOKEN_COLUMNS)


@token_group.command("revoke")
@click.argument("token_id")
@remote_command()
def token_revoke(*, remote: Remote, token_id: str) -> None:
    """Revoke token TOKEN_ID: it stops working at once."""
    remote.api.delete(api_path("/api/accounts/tokens", token_id))
    remote.out.document({"revoked": token_id}, lambda: remote.out.text("Token revoked."))


# --- organisations ------------------------------------------------------------------------------


@click.group("org")
def org_group() -> None:
    """Your organisations: list, create, show, apply for verification."""


ORG_COLUMNS = (
    ("id", "id"),
    ("name", "name"),
    ("my role", "my_role"),
    ("verification", "verification.status"),
    ("in force", "verification.in_force"),
)


def _org_fields(remote: Remote, organisation: dict[str, Any]) -> None:
    remote.out.fields(
        [
            ("id", organisation["id"]),
            ("name", organisation["name"]),
            ("my role", organisation.get("my_role")),
            ("verification", (organisation.get("verification") or {}).get("status")),
            ("fee paid", (organisation.get("verification") or {}).get("fee_paid")),
            ("verified until", (organisation.get("verification") or {}).get("verified_until")),
            ("in force", (organisation.get("verification") or {}).get("in_force")),
            ("created", organisation.get("created_at")),
        ]
    )


@org_group.command("list")
@remote_command()
def org_list(*, remote: Remote) -> None:
    """Organisations you belong to, with their ids (other commands take the id)."""
    answer = remote.api.get("/api/console/organisations")
    remote.out.document_table(
        answer, "organisations", ORG_COLUMNS, empty="You belong to no organisation yet."
    )


@org_group.command("create")
@click.argument("name")
@remote_command()
def org_create(*, remote: Remote, name: str) -> None:
    """Register organisation NAME; you become its first admin."""
    answer = remote.api.post("/api/console/organisations", {"name": name})
    remote.out.document(answer, lambda: _org_fields(remote, answer["organisation"]))


@org_group.command("show")
@click.argument("org")
@remote_command()
def org_show(*, remote: Remote, org: str) -> None:
    """One organisation (ORG is its id)."""
    answer = remote.api.get(org_path(org))
    remote.out.document(answer, lambda: _org_fields(remote, answer["organisation"]))


@org_group.command("verify")
@click.argument("org")
@click.option("--company", required=True, help="The company's registered name.")
@click.option("--registration", required=True, help="Its registration number.")
@click.option("--representative", required=True, help="Its legal representative.")
@click.option(
    "--licence",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="The business licence: PNG, JPEG or PDF, 5 MB at most.",
)
@click.option(
    "--id-document",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    required=True,
    help="The legal representative's ID: PNG, JPEG or PDF, 5 MB at most.",
)
@remote_command()
def org_verify(
    *,
    remote: Remote,
    org: str,
    company: str,
    registration: str,
    representative: str,
    licence: Path,
    id_document: Path,
) -> None:
    """Apply for business verification of ORG (admins); a platform reviewer decides."""
    answer = remote.api.send_form(
        "POST",
        org_path(org, "verification"),
        fields={
            "company_name": company,
            "registration_number": registration,
            "legal_representative": representative,
        },
        files={"licence": file_part(licence), "legal_rep_id": file_part(id_document)},
    )
    remote.out.document(
        answer, lambda: remote.out.text("Application sent; a platform reviewer will decide.")
    )


# --- members and the audit log ------------------------------------------------------------------


@click.group("members")
def members_group() -> None:
    """Members of an organisation and their roles."""


MEMBER_COLUMNS = (
    ("user id", "user.id"),
    ("name", "user.display_name"),
    ("login", "user.login"),
    ("role", "role"),
    ("status", "status"),
)


@members_group.command("list")
@click.argument("org")
@remote_command()
def members_list(*, remote: Remote, org: str) -> None:
    """Members of ORG (admins also see invitations and everyone's login)."""
    answer = remote.api.get(org_path(org, "members"))
    remote.out.document_table(answer, "members", MEMBER_COLUMNS)


@members_group.command("invite")
@click.argument("org")
@click.argument("login_name", metavar="LOGIN")
@click.option("--role", type=click.Choice(ROLES), required=True)
@remote_command()
def members_invite(*, remote: Remote, org: str, login_name: str, role: str) -> None:
    """Invite the account LOGIN to ORG with a role; it grants nothing until accepted."""
    answer = remote.api.post(org_path(org, "members"), {"login": login_name, "role": role})
    remote.out.document(
        answer,
        lambda: remote.out.text(f"Invited {login_name} as {role}; they must accept it."),
    )


@members_group.command("role")
@click.argument("org")
@click.argument("user")
@click.argument("role", type=click.Choice(ROLES))
@remote_command()
def members_role(*, remote: Remote, org: str, user: str, role: str) -> None:
    """Give member USER (their id) of ORG the role ROLE."""
    answer = remote.api.patch(org_path(org, "members", user), {"role": role})
    remote.out.document(answer, lambda: remote.out.text(f"Role changed to {role}."))


@members_group.command("remove")
@click.argument("org")
@click.argument("user")
@remote_command()
def members_remove(*, remote: Remote, org: str, user: str) -> None:
    """Remove member USER from ORG, or cancel their invitation (your own id: leave)."""
    remote.api.delete(org_path(org, "members", user))
    remote.out.document({"removed": user}, lambda: remote.out.text("Removed."))


def _detail(event: Mapping[str, Any]) -> str:
    return json.dumps(event.get("detail") or {}, ensure_ascii=False)


AUDIT_COLUMNS = (
    ("when", "created_at"),
    ("who", "actor"),
    ("action", "action"),
    ("detail", _detail),
)


@click.command("audit")
@click.argument("org")
@remote_command()
def audit(*, remote: Remote, org: str) -> None:
    """Every change to ORG, newest first (admins)."""
    answer = remote.api.get(org_path(org, "audit"))
    remote.out.document_table(answer, "events", AUDIT_COLUMNS)


COMMANDS = (login, logout, whoami, token_group, org_group, members_group, audit)
