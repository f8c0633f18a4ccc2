"""The `miniapp` command, run as a user runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from miniapp.cli import main

COMMANDS = ("serve", "worker", "db", "staff")


def test_help_lists_every_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "miniapp", "--help"], capture_output=True, text=True, check=True
    )
    for command in COMMANDS:
        assert command in result.stdout
    serve_help = CliRunner().invoke(main, ["serve", "--help"]).output
    for flag in ("--port", "--host", "--data", "--database", "--demo"):
        assert flag in serve_help


def test_db_upgrade_creates_the_schema_in_the_data_folder(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["db", "upgrade", "--data", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "d" / "miniapp.sqlite3").exists()
    current = runner.invoke(main, ["db", "current", "--data", str(tmp_path / "d")])
    head = current.output.split("head:")[1].strip()
    assert f"current: {head}" in current.output
    down = runner.invoke(main, ["db", "downgrade", "base", "--data", str(tmp_path / "d")])
    assert "revision None" in down.output


def test_bad_configuration_stops_with_the_key_name(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["db", "upgrade", "--data", str(tmp_path)], env={"MINIAPP_PORT": "not-a-port"}
    )
    assert result.exit_code == 2
    assert "MINIAPP_PORT" in result.output


def test_staff_grant_needs_an_existing_account(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["staff", "grant", "nobody@example.com", "--role", "reviewer", "--data", str(tmp_path)],
    )
    assert result.exit_code == 1
    assert "No account uses this email" in result.output


def test_serve_demo_prints_urls_and_logins_and_serves_the_host(tmp_path: Path) -> None:
    """What `make serve` runs: a real server process on a free port with demo data."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "miniapp",
            "serve",
            "--demo",
            "--port",
            str(port),
            "--data",
            str(tmp_path / "data"),
            "--no-worker",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        printed: list[str] = []
        for line in process.stdout:
            printed.append(line)
            if "Uvicorn running on" in line:  # printed once the socket listens
                break
        output = "".join(printed)
        assert f"http://127.0.0.1:{port}/" in output
        assert f"http://127.0.0.1:{port}/console" in output
        assert "admin@example.com" in output and "Run-Console-2026" in output
        assert (tmp_path / "data" / "miniapp.sqlite3").exists()
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10).read()
        assert b"<html" in page.lower()
    finally:
        process.terminate()
        process.wait(timeout=15)
        if process.stdout is not None:
            process.stdout.close()


SHOWCASE = Path(__file__).resolve().parents[1] / "examples" / "showcase"


def test_compile_writes_a_bundle_and_prints_sizes(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["compile", str(SHOWCASE), "--out", str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert "Package sizes" in result.output and "__APP__" in result.output
    assert (tmp_path / "b" / "manifest.json").exists()


def test_compile_json_lists_every_error_and_writes_nothing(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "pages" / "a").mkdir(parents=True)
    (project / "app.json").write_text('{"pages": ["pages/a/a", "pages/missing/missing"]}')
    (project / "app.js").write_text("App({})")
    (project / "pages" / "a" / "a.js").write_text("Page({")
    (project / "pages" / "a" / "a.wxml").write_text("<view>")
    result = CliRunner().invoke(
        main, ["compile", str(project), "--out", str(tmp_path / "b"), "--json"]
    )
    assert result.exit_code == 1
    import json

    printed = json.loads(result.output)
    assert printed["ok"] is False and printed["out"] is None
    codes = sorted(e["code"] for e in printed["errors"])
    assert codes == ["JS_SYNTAX", "PAGE_NOT_FOUND", "WXML_UNCLOSED_TAG"]
    assert all(e["file"] and e["line"] >= 1 for e in printed["errors"])
    assert not (tmp_path / "b").exists()
