"""The remote CLI against a real server: uvicorn on loopback (`live_server`), a home folder of
its own (credentials.json lands there), MINIAPP_SERVER pointing at the server."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from miniapp.cli import main
from tests.conftest import LiveServer

PASSWORD = "correct-horse-42"


def sign_up(server: LiveServer, login: str, name: str) -> str:
    """A developer account made through the browser API; its user id. The loopback server sets
    Secure __Host- cookies, which httpx keeps to https: they are sent back by hand."""
    with httpx.Client(base_url=server.url) as browser:
        csrf = browser.get("/api/accounts/csrf").json()["csrf_token"]
        made = browser.post(
            "/api/accounts/signup",
            json={"login": login, "password": PASSWORD, "display_name": name},
            headers={"X-CSRF-Token": csrf, "Cookie": f"__Host-miniapp_csrf={csrf}"},
        )
        assert made.status_code == 201, made.text
        session, session_csrf = (
            made.cookies["__Host-miniapp_session"],
            made.cookies["__Host-miniapp_csrf"],
        )
        developer = browser.post(
            "/api/console/developer",
            headers={
                "X-CSRF-Token": session_csrf,
                "Cookie": f"__Host-miniapp_session={session}; __Host-miniapp_csrf={session_csrf}",
            },
        )
        assert developer.status_code == 200, developer.text
        user_id: str = made.json()["user"]["id"]
        return user_id


@dataclass
class Cli:
    """`miniapp` as one person runs it: their HOME, the server in MINIAPP_SERVER."""

    home: Path
    server: LiveServer
    token: str | None = None

    def env(self) -> dict[str, str | None]:
        return {
            "HOME": str(self.home),
            "MINIAPP_SERVER": self.server.url,
            "MINIAPP_TOKEN": self.token,
            "COLUMNS": "200",
        }

    def run(self, *args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(main, list(args), env=self.env(), input=input)

    def ok(self, *args: str, input: str | None = None) -> Result:
        result = self.run(*args, input=input)
        assert result.exit_code == 0, (result.output, result.exception)
        return result

    def json(self, *args: str, input: str | None = None) -> Any:
        """The one JSON document a `--json` command prints."""
        return json.loads(self.ok(*args, "--json", input=input).stdout)

    def login(self, login: str) -> None:
        self.ok("login", "--login", login, input=PASSWORD + "\n")

    @property
    def credentials(self) -> Path:
        return self.home / ".config" / "miniapp" / "credentials.json"


@pytest.fixture
def make_cli(live_server: LiveServer, tmp_path: Path) -> Callable[[str], Cli]:
    def factory(person: str) -> Cli:
        home = tmp_path / f"home-{person}"
        home.mkdir()
        return Cli(home=home, server=live_server)

    return factory
