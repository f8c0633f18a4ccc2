"""Requests/s of a signed-in host API call (GET /api/accounts/me) against a bare Starlette endpoint.

Both run under uvicorn (one worker, uvloop + httptools, no access log) on loopback and are loaded
by wrk in alternating rounds in the same run; the figures are medians over the rounds.

    .venv/bin/python bench/bench_host_api.py [--rounds 3] [--duration 10] [--postgres]
"""

from __future__ import annotations

import argparse
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
from bench_servers import serving

from miniapp.accounts.request_auth import session_cookie_name
from miniapp.accounts.sessions import do_create_session
from miniapp.accounts.users import do_sign_up
from miniapp.clock import utc_now
from miniapp.db import migrate
from miniapp.db.session import Database
from miniapp.settings import load_settings

BENCH_DIR = Path(__file__).resolve().parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def wrk(base: str, duration: int, cookie: str) -> tuple[float, float]:
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            "-c64",
            f"-d{duration}s",
            "--latency",
            "-H",
            f"Cookie: {cookie}",
            f"{base}/api/accounts/me",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p99_value, p99_unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", output).groups()  # type: ignore[union-attr]
    p99_ms = float(p99_value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99_unit]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if non2xx:
        raise RuntimeError(f"{non2xx.group(1)} requests failed:\n{output}")
    return rps, p99_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--postgres", action="store_true", help="Use PostgreSQL, not SQLite.")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")

    data_dir = Path(tempfile.mkdtemp(prefix="miniapp-bench-"))
    database_url = ""
    pg_name = ""
    if args.postgres:
        pg_name = f"miniapp_bench_{secrets.token_hex(4)}"
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{pg_name}"')
        database_url = f"postgresql://postgres@127.0.0.1:5432/{pg_name}"
    settings = load_settings(data_dir=data_dir, database_url=database_url or None)
    database = Database(settings.effective_database_url)
    migrate.upgrade(database.engine)
    with database.transaction() as session:
        user = do_sign_up(
            session, login="bench@example.com", password="Load-Test-2026", display_name="Bench"
        )
        issued = do_create_session(
            session, user=user, server_key=settings.server_key, ttl_seconds=3600, now=utc_now()
        )
    database.dispose()
    cookie = f"{session_cookie_name(settings)}={issued.token}"
    env = {"BENCH_DATA_DIR": str(data_dir), "BENCH_DATABASE_URL": database_url}

    results: dict[str, list[tuple[float, float]]] = {"bare": [], "miniapp": []}
    try:
        for round_number in range(1, args.rounds + 1):
            for name, factory in (("bare", "bare_app"), ("miniapp", "miniapp_app")):
                with serving(factory, env) as base:
                    wrk(base, 2, cookie)  # warm-up: connections, caches, JIT-free but still
                    results[name].append(wrk(base, args.duration, cookie))
                rps, p99 = results[name][-1]
                print(f"round {round_number} {name:8s} {rps:10.0f} req/s  p99 {p99:7.1f} ms")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
        if pg_name:
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')

    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"\nGET /api/accounts/me signed in ({backend}), wrk -t2 -c64 -d{args.duration}s, "
        f"medians of {args.rounds} rounds"
    )
    medians = {}
    for name, runs in results.items():
        rps = statistics.median(r for r, _ in runs)
        p99 = statistics.median(p for _, p in runs)
        medians[name] = rps
        print(f"  {name:8s} {rps:10.0f} req/s   p99 {p99:7.1f} ms")
    print(f"  ratio miniapp / bare Starlette: {medians['miniapp'] / medians['bare']:.3f}")


if __name__ == "__main__":
    main()
