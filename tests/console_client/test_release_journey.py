"""The whole journey from the CLI, against a real server: verification, app, upload, submit, the
automated checks, review, release to everyone, a grey release, widening and a rollback.

The test server runs no job worker of its own (tests/conftest.py `live_server`): the test runs
the due jobs with the real worker where `miniapp serve` would have run them by itself.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx

from miniapp.jobs.worker import Worker
from tests.conftest import LiveServer
from tests.console_client.conftest import Cli, sign_up
from tests.console_client.test_staff_commands import documents, reviewer

ANA = "ana@example.com"
HELLO = Path(__file__).resolve().parents[2] / "examples" / "hello"


def run_jobs(live_server: LiveServer) -> None:
    Worker(
        live_server.database, worker_id="cli-journey", settings=live_server.settings
    ).run_until_idle()


def launched_version(live_server: LiveServer, appid: str, grey_key: str) -> str:
    answer = httpx.get(
        f"{live_server.url}/api/runtime/apps/{appid}/launch",
        cookies={"miniapp_grey": grey_key},
    )
    assert answer.status_code == 200, answer.text
    version: str = answer.json()["version"]
    return version


def test_from_verification_to_grey_release_and_rollback_with_the_cli(
    make_cli: Callable[[str], Cli], live_server: LiveServer, tmp_path: Path
) -> None:
    sign_up(live_server, ANA, "Ana")
    ana = make_cli("ana")
    ana.login(ANA)
    rita = reviewer(make_cli, live_server)
    org = ana.json("org", "create", "Acme Ltd")["organisation"]["id"]
    app = ana.json(
        "app", "create", org, "Hello Acme", "--description", "Says hello", "--category", "tools"
    )["app"]
    appid = app["appid"]

    ana.ok("upload", str(HELLO), "--version", "1.0.0", "--desc", "First", "--app", appid)
    ana.json("submit", appid, "1.0.0")
    run_jobs(live_server)
    queued = rita.json("review", "queue")["versions"]
    assert [(v["app"]["appid"], v["version"], v["state"]) for v in queued] == [
        (appid, "1.0.0", "in_review")
    ]
    assert rita.json("review", "approve", queued[0]["id"])["version"]["state"] == "approved"

    # Not verified yet: approved, but it cannot be released.
    refused = ana.run("release", appid, "1.0.0", "--json")
    assert refused.exit_code == 1
    assert json.loads(refused.stdout)["error"]["code"] == "verification_required"
    licence, id_card = documents(tmp_path)
    ana.json(
        "org", "verify", org,
        "--company", "Acme Ltd", "--registration", "91310000XXXX",
        "--representative", "Ana Li",
        "--licence", str(licence), "--id-document", str(id_card),
    )  # fmt: skip
    application = rita.json("verification", "queue")["applications"][0]["id"]
    rita.json("verification", "approve", application, "--fee-paid", "--until", "2099-01-01")

    released = ana.json("release", appid, "1.0.0")["release"]
    assert released == {"version": "1.0.0", "grey_version": None, "grey_percent": 0}
    assert launched_version(live_server, appid, "any-browser-key-00") == "1.0.0"

    ana.ok("upload", str(HELLO), "--version", "1.1.0", "--desc", "Second", "--app", appid)
    ana.json("submit", appid, "1.1.0")
    run_jobs(live_server)
    second = rita.json("review", "queue")["versions"][0]["id"]
    rita.json("review", "approve", second)
    grey = ana.json("release", appid, "1.1.0", "--percent", "40")["release"]
    assert grey == {"version": "1.0.0", "grey_version": "1.1.0", "grey_percent": 40}
    keys = [f"browser-key-{n:06d}" for n in range(200)]
    served = {key: launched_version(live_server, appid, key) for key in keys}
    assert 40 < sum(1 for v in served.values() if v == "1.1.0") < 120  # about 40 % of 200
    widened = ana.json("widen", appid, "100")["release"]
    assert widened == {"version": "1.1.0", "grey_version": None, "grey_percent": 0}
    assert {launched_version(live_server, appid, key) for key in keys[:20]} == {"1.1.0"}

    rolled = ana.json("rollback", appid)["release"]
    assert rolled["version"] == "1.0.0"
    assert launched_version(live_server, appid, keys[0]) == "1.0.0"
    history = ana.json("releases", appid)["releases"]
    assert [(h["action"], h["version"]) for h in history] == [
        ("rollback", "1.0.0"),
        ("widen", "1.1.0"),
        ("grey", "1.1.0"),
        ("release", "1.0.0"),
    ]
    assert "rollback" in ana.ok("releases", appid).stdout
    audit = [event["action"] for event in ana.json("audit", org)["events"]]
    for action in ("version.submitted", "version.checked", "version.approved", "release.grey"):
        assert action in audit
