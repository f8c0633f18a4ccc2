"""The access log never holds an open API credential: WeChat's API puts the AppSecret
(`GET /cgi-bin/token?secret=`) and every call's `?access_token=` in the query string, which
uvicorn's access log writes out with each request."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from miniapp.db.session import Database
from miniapp.openapi.access_log import redact_credentials
from miniapp.server import create_app
from miniapp.settings import Settings
from tests.conftest import _free_port, _SignallingServer

SECRET = "0123456789abcdef0123456789abcdef"
TOKEN = "T" * 86


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def logged_server(data_dir: Path, database: Database) -> Iterator[tuple[str, Lines]]:
    """The app under uvicorn with its access log on (log level info, as `miniapp serve` runs),
    and the lines that log writes."""
    port = _free_port()
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        host="127.0.0.1",
        port=port,
        secret_key="log-secret-key-" + "z" * 32,
        run_worker=False,
    )
    application = create_app(settings, database=database, run_migrations=False, run_worker=False)
    # uvicorn configures its loggers when its Config is made, after the app exists (cli.serve).
    config = uvicorn.Config(application, host="127.0.0.1", port=port, log_level="info")
    server = _SignallingServer(config)
    lines = Lines()
    access = logging.getLogger("uvicorn.access")
    access.addHandler(lines)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        if not server.ready.wait(timeout=15):
            raise RuntimeError("server did not start")
        yield f"http://127.0.0.1:{port}", lines
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        access.removeHandler(lines)


def test_the_access_log_never_holds_an_app_secret_or_an_access_token(
    logged_server: tuple[str, Lines],
) -> None:
    url, lines = logged_server
    with httpx.Client(base_url=url) as http:
        http.get(
            "/cgi-bin/token",
            params={
                "grant_type": "client_credential",
                "appid": "wx0000000000000000",
                "secret": SECRET,
            },
        )
        http.post(f"/wxa/generate_urllink?access_token={TOKEN}", json={})
        http.get(f"/cgi-bin/token?grant_type=client_credential&secr%65t={SECRET}")
    # uvicorn logs each request once its answer starts: all three are in before the client
    # has read them.
    logged = [line for line in lines.lines if "/cgi-bin/" in line or "/wxa/" in line]
    assert len(logged) == 3, lines.lines
    assert all(SECRET not in line and TOKEN not in line for line in logged), logged
    assert "appid=wx0000000000000000&secret=[redacted]" in logged[0]
    assert "/wxa/generate_urllink?access_token=[redacted]" in logged[1]
    assert "secr%65t=[redacted]" in logged[2]


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/cgi-bin/token?appid=a&secret=s3&x=1", "/cgi-bin/token?appid=a&secret=[redacted]&x=1"),
        (
            "/wxa/x?access_token=t&access_token=u",
            "/wxa/x?access_token=[redacted]&access_token=[redacted]",
        ),
        ("/api/x?secretive=1&q=secret%3D2", "/api/x?secretive=1&q=secret%3D2"),
        ("/cgi-bin/token?secret", "/cgi-bin/token?secret"),
        (  # a login code is a credential too, for its five minutes
            "/sns/jscode2session?appid=a&secret=s&js_code=c0de&grant_type=authorization_code",
            "/sns/jscode2session?appid=a&secret=[redacted]&js_code=[redacted]"
            "&grant_type=authorization_code",
        ),
        ("/static/a.js", "/static/a.js"),
    ],
)
def test_only_credential_values_are_redacted(path: str, logged: str) -> None:
    assert redact_credentials(path) == logged
