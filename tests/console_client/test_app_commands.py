"""The app commands against a real server: app create → upload → versions → preview → trial."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from miniapp.apps.models import AppVersion
from tests.conftest import LiveServer
from tests.console_client.conftest import Cli, sign_up

ANA = "ana@example.com"
HELLO = Path(__file__).resolve().parents[2] / "examples" / "hello"


def admin_with_app(make_cli: Callable[[str], Cli], live_server: LiveServer) -> tuple[Cli, str]:
    sign_up(live_server, ANA, "Ana")
    cli = make_cli("ana")
    cli.login(ANA)
    org = cli.json("org", "create", "Acme Ltd")["organisation"]["id"]
    made = cli.json("app", "create", org, "Hello Acme", "--description", "Says hello")
    assert made["secret"] and made["app"]["name"] == "Hello Acme"
    listed = cli.json("app", "list", org)["apps"]
    assert [a["appid"] for a in listed] == [made["app"]["appid"]]
    return cli, made["app"]["appid"]


def decoded_terminal_qr(output: str) -> list[str]:
    """The texts of the QR codes in terminal output drawn with half blocks (two rows of modules
    a line; a block is a light module, as the quiet zone shows)."""
    lines = [line for line in output.splitlines() if line and set(line) <= set("█▀▄ ")]
    width = max(len(line) for line in lines)
    image = Image.new("L", (width, 2 * len(lines)), 0)
    for y, line in enumerate(lines):
        for x, block in enumerate(line):
            if block in "█▀":
                image.putpixel((x, 2 * y), 255)
            if block in "█▄":
                image.putpixel((x, 2 * y + 1), 255)
    scaled = image.resize((image.width * 8, image.height * 8), Image.Resampling.NEAREST)
    return [result.text for result in zxingcpp.read_barcodes(scaled)]


def versions_stored(live_server: LiveServer) -> int:
    with live_server.database.read() as session:
        return session.scalar(select(func.count()).select_from(AppVersion)) or 0


def test_upload_versions_preview_and_trial(
    make_cli: Callable[[str], Cli], live_server: LiveServer
) -> None:
    cli, appid = admin_with_app(make_cli, live_server)
    shown = cli.ok(
        "upload", str(HELLO), "--version", "1.0.0", "--desc", "First", "--app", appid
    ).stdout
    assert "Uploaded" in shown and "1.0.0" in shown
    assert "Package sizes" in shown  # the server's size report
    uploaded = cli.json(
        "upload", str(HELLO), "--version", "1.1.0", "--desc", "Second", "--app", appid
    )
    assert uploaded["version"]["version"] == "1.1.0"
    assert uploaded["version"]["state"] == "development"
    assert uploaded["report"]["total"] > 0
    listed = cli.json("versions", appid)["versions"]
    assert [v["version"] for v in listed] == ["1.1.0", "1.0.0"]
    assert "1.0.0" in cli.ok("versions", appid).stdout

    link = cli.json("preview", appid, "1.1.0")
    assert link["url"].startswith("http") and f"#app/{appid}" in link["url"]
    assert uploaded["version"]["id"] in link["url"]
    terminal = cli.ok("preview", appid, "1.1.0").stdout
    assert link["url"] in terminal
    # The QR code drawn in the terminal, read back by a real decoder as a phone camera would.
    assert decoded_terminal_qr(terminal) == [link["url"]]

    trial = cli.json("trial", appid, "1.0.0")["version"]
    assert trial["is_trial"] is True


def test_a_version_label_taken_is_refused_and_nothing_more_is_stored(
    make_cli: Callable[[str], Cli], live_server: LiveServer
) -> None:
    cli, appid = admin_with_app(make_cli, live_server)
    cli.ok("upload", str(HELLO), "--version", "1.0.0", "--app", appid, "--json")
    again = cli.run("upload", str(HELLO), "--version", "1.0.0", "--app", appid, "--json")
    assert again.exit_code == 1
    assert json.loads(again.stdout)["error"]["code"] == "version_exists"
    assert versions_stored(live_server) == 1


def test_a_project_that_does_not_compile_is_not_sent(
    make_cli: Callable[[str], Cli], live_server: LiveServer, tmp_path: Path
) -> None:
    cli, appid = admin_with_app(make_cli, live_server)
    broken = tmp_path / "broken"
    shutil.copytree(HELLO, broken)
    (broken / "app.json").write_text('{"pages": ["pages/missing/missing"]}')
    shown = cli.run("upload", str(broken), "--version", "1.0.0", "--app", appid)
    assert shown.exit_code == 1
    assert "app.json" in shown.stderr  # the diagnostics, file and line
    as_json = cli.run("upload", str(broken), "--version", "1.0.0", "--app", appid, "--json")
    error = json.loads(as_json.stdout)["error"]
    assert error["code"] == "package_invalid"
    assert error["params"]["diagnostics"][0]["file"]
    assert versions_stored(live_server) == 0


def test_the_appid_comes_from_project_config(
    make_cli: Callable[[str], Cli], live_server: LiveServer, tmp_path: Path
) -> None:
    cli, appid = admin_with_app(make_cli, live_server)
    project = tmp_path / "hello"
    shutil.copytree(HELLO, project)
    missing = cli.run("upload", str(project), "--version", "1.0.0", "--json")
    assert json.loads(missing.stdout)["error"]["code"] == "appid_missing"
    (project / "project.config.json").write_text(json.dumps({"appid": appid}))
    stored = cli.json("upload", str(project), "--version", "1.0.0")
    assert stored["version"]["version"] == "1.0.0"
    assert [v["version"] for v in cli.json("versions", appid)["versions"]] == ["1.0.0"]
