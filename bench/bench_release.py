"""Upload to "in review", and what grey release costs a launch.

One real server (uvicorn on loopback, in this process, with its job worker) on a fresh database.
An organisation admin and a platform reviewer are made directly in the database (the benchmark is
not about signing up); everything after that goes over HTTP with personal access tokens, as the
CLI does:

- upload → in review: zip the example (default: the largest, `bigapp`), POST it as a new version,
  submit it, and poll the version until the automated checks (a background job) have put it in
  the review queue. Baseline in the same run: compiling the same project in this process
  (`compile_project`), which the server does too on upload and again in the checks.
- warm launch with and without a grey release: SQL statements per launch request (counted on the
  server's engines), and requests/s of `GET /api/runtime/apps/{appid}/launch` with wrk, first
  with one version released to everyone, then with a second one released to 50 % of users.

    .venv/bin/python bench/bench_release.py [--rounds 5] [--app bigapp] [--postgres]
"""

from __future__ import annotations

import argparse
import io
import re
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from bench_servers import free_port, throwaway_database_url
from sqlalchemy import event

from miniapp.accounts.models import StaffRole, VerificationStatus
from miniapp.accounts.organisations import do_create_organisation
from miniapp.accounts.staff import do_grant_staff_role
from miniapp.accounts.users import do_activate_developer, do_sign_up
from miniapp.clock import utc_now
from miniapp.compiler.build import compile_project
from miniapp.db import migrate
from miniapp.db.session import Database
from miniapp.server import create_app
from miniapp.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Bench-Release-2026"  # noqa: S105  a throwaway account in a throwaway database


class Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()


class StatementCounter:
    """Counts SQL statements the server sends (the read-only engine is the same engine with
    other options, so one listener sees both), leaving out the job worker's polling of the jobs
    table, which runs beside the launches."""

    def __init__(self, database: Database) -> None:
        self.count = 0
        event.listen(database.engine, "before_cursor_execute", self._seen)

    def _seen(self, _connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if " jobs" not in statement:
            self.count += 1


def project_zip(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not any(part.startswith(".") for part in path.parts):
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def seed(database: Database) -> tuple[str, str]:
    """An admin of a verified organisation and a reviewer; returns the organisation's id."""
    with database.transaction() as session:
        admin = do_sign_up(
            session, login="admin@bench.example.com", password=PASSWORD, display_name="A"
        )
        reviewer = do_sign_up(
            session, login="reviewer@bench.example.com", password=PASSWORD, display_name="R"
        )
        do_activate_developer(session, user=admin, now=utc_now())
        do_grant_staff_role(session, user=reviewer, role=StaffRole.REVIEWER)
        organisation = do_create_organisation(session, creator=admin, name="Bench").organisation
        # Verification is not what is measured here: the organisation is verified directly.
        organisation.verification_status = VerificationStatus.VERIFIED.value
        organisation.verification_fee_paid = True
        organisation.verified_until = utc_now() + timedelta(days=365)
        session.flush()
        return str(organisation.public_id), "reviewer@bench.example.com"


def token(base: str, login: str) -> httpx.Client:
    answer = httpx.post(
        f"{base}/api/accounts/tokens/login",
        json={"login": login, "password": PASSWORD, "name": "bench"},
    )
    answer.raise_for_status()
    secret = answer.json()["secret"]
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {secret}"}, timeout=120)


def check(answer: httpx.Response) -> dict[str, Any]:
    if answer.status_code >= 400:
        raise SystemExit(f"{answer.request.method} {answer.request.url}: {answer.text}")
    return answer.json() if answer.content else {}


def upload_to_review(
    admin: httpx.Client, appid: str, label: str, package: bytes
) -> tuple[float, float]:
    """(seconds from starting the upload to "in review", of which the upload request)."""
    started = time.perf_counter()
    check(
        admin.post(
            f"/api/console/apps/{appid}/versions",
            data={"version": label, "description": "bench"},
            files={"package": ("package.zip", package, "application/zip")},
        )
    )
    uploaded = time.perf_counter()
    check(admin.post(f"/api/console/apps/{appid}/versions/{label}/submit"))
    while True:
        state = check(admin.get(f"/api/console/apps/{appid}/versions/{label}"))["version"]["state"]
        if state != "checking":
            break
        time.sleep(0.005)  # polling the API, as a CI script would
    done = time.perf_counter()
    if state != "in_review":
        raise SystemExit(f"{label} ended {state}: the example does not pass the checks")
    return done - started, uploaded - started


def wrk(url: str, cookie: str, duration: int) -> float:
    output = subprocess.run(
        ["wrk", "-t2", "-c32", f"-d{duration}s", "-H", f"Cookie: miniapp_grey={cookie}", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    assert match is not None, output
    return float(match.group(1))


@contextmanager
def database_for(postgres: bool, data: Path) -> Iterator[Database]:
    with throwaway_database_url(postgres=postgres, data=data) as url:
        database = Database(url)
        try:
            yield database
        finally:
            database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--app", default="bigapp", help="example folder under examples/")
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk (make bench does it)")
    folder = ROOT / "examples" / args.app
    data = Path(tempfile.mkdtemp(prefix="bench-release-"))
    with database_for(args.postgres, data) as database:
        migrate.upgrade(database.engine)
        org_id, reviewer_login = seed(database)
        port = free_port()
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=data,
            host="127.0.0.1",
            port=port,
            secret_key="bench-release-" + "k" * 32,
            worker_poll_seconds=0.05,
        )
        application = create_app(settings, database=database, run_migrations=False)
        server = Server(
            uvicorn.Config(
                application,
                host="127.0.0.1",
                port=port,
                log_level="warning",
                loop="uvloop",
                http="httptools",
            )
        )
        serving = threading.Thread(target=server.run, daemon=True)
        serving.start()
        assert server.ready.wait(30)
        base = f"http://127.0.0.1:{port}"
        admin = token(base, "admin@bench.example.com")
        reviewer = token(base, reviewer_login)
        appid = check(
            admin.post(
                f"/api/console/organisations/{org_id}/apps",
                json={"name": "Bench", "description": "A benchmark", "category": "tools"},
            )
        )["app"]["appid"]

        package = project_zip(folder)
        compile_times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            assert compile_project(folder).ok
            compile_times.append(time.perf_counter() - started)
        totals, uploads = [], []
        for index in range(args.rounds):
            label = f"1.0.{index}"
            total, upload = upload_to_review(admin, appid, label, package)
            totals.append(total)
            uploads.append(upload)
            if index < args.rounds - 1:
                check(admin.post(f"/api/console/apps/{appid}/versions/{label}/withdraw"))
        last = f"1.0.{args.rounds - 1}"
        compile_median = statistics.median(compile_times)
        total_median = statistics.median(totals)
        print(f"example {args.app}: package {len(package):,} bytes (zip)")
        print(f"  local compile (baseline)   median {compile_median * 1000:8.1f} ms")
        print(f"  upload request             median {statistics.median(uploads) * 1000:8.1f} ms")
        print(
            f"  upload → in review         median {total_median * 1000:8.1f} ms"
            f"  ({total_median / compile_median:.1f}× one compile)"
        )

        # Release it to everyone, then a second version to half of the users.
        version_id = check(admin.get(f"/api/console/apps/{appid}/versions/{last}"))["version"]["id"]
        check(reviewer.post(f"/api/review/versions/{version_id}/approve"))
        check(admin.post(f"/api/console/apps/{appid}/release", json={"version": last}))
        launch = f"{base}/api/runtime/apps/{appid}/launch"
        cookie = "bench-grey-key-0123456789"
        counter = StatementCounter(database)

        def statements_per_launch() -> float:
            with httpx.Client(cookies={"miniapp_grey": cookie}) as client:
                check(client.get(launch))  # warm: the manifest is cached after the first
                before = counter.count
                for _ in range(200):
                    client.get(launch).raise_for_status()
                return (counter.count - before) / 200

        full_statements = statements_per_launch()
        full_rps = wrk(launch, cookie, args.duration)
        second = f"1.1.{args.rounds}"
        upload_to_review(admin, appid, second, package)
        second_id = check(admin.get(f"/api/console/apps/{appid}/versions/{second}"))["version"][
            "id"
        ]
        check(reviewer.post(f"/api/review/versions/{second_id}/approve"))
        check(
            admin.post(
                f"/api/console/apps/{appid}/release", json={"version": second, "percent": 50}
            )
        )
        grey_statements = statements_per_launch()
        grey_rps = wrk(launch, cookie, args.duration)
        print("warm launch (GET …/launch, wrk -t2 -c32)")
        print(
            f"  released to everyone       {full_rps:8.0f} req/s  {full_statements:.2f} SQL/launch"
        )
        print(
            f"  grey release at 50 %       {grey_rps:8.0f} req/s  {grey_statements:.2f} SQL/launch"
            f"  (ratio {grey_rps / full_rps:.2f})"
        )
        # Stopped (with its worker) before the database is dropped under it.
        server.should_exit = True
        serving.join(timeout=30)
    shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
