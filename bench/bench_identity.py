"""Login code redemptions per second: `GET /sns/jscode2session` over HTTP, every request a real
redemption of a fresh code (HMAC lookup, AppSecret check, per-user quota, the conditional UPDATE
that spends the code), against the bare baseline measured in the same run: a bare Starlette
endpoint answering a small JSON (bench_apps.bare_app's `/api/accounts/me`: what HTTP alone
costs under uvicorn).

Before each round `--codes` codes (and half as many for the warm-up) are issued in the database
for `--codes / 50` users of one released app (50 each, under the 100-a-minute per-user limit);
wrk's Lua script walks through them, one per request, never twice. Any answer without an openid
fails the run (running out of codes included: raise `--codes`). Figures are medians over the
rounds. The ratio is printed both ways: of the medians, and the median of each round's ratio.

    .venv/bin/python bench/bench_identity.py [--rounds 3] [--duration 5] [--connections 16]
                                             [--codes 80000] [--postgres]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from bench_servers import (
    counting_wrk_script,
    print_medians,
    print_round,
    run_counting_wrk,
    serving,
    throwaway_database_url,
)

from miniapp.accounts.users import do_sign_up
from miniapp.apps.profile import app_secret_hash
from miniapp.apps.registry import do_register_app, do_release_bundle, find_app
from miniapp.clock import utc_now
from miniapp.db import migrate
from miniapp.db.session import Database
from miniapp.identity.logins import do_issue_login_code
from miniapp.settings import load_settings

SECRET = "bench-secret-" + "b" * 19
CODES_PER_USER = 50

# Thread `id` of `threads` takes codes id, id + threads, id + 2 * threads, ...; answers without
# an openid are counted (the open API answers its errors with HTTP 200).
WRK_SCRIPT = counting_wrk_script(
    data="local codes = {%(codes)s}",
    request="""  local index = counter * %(threads)d + id
  counter = counter + 1
  local code = codes[index] or "exhausted"
  return wrk.format("GET", "%(path)s" .. code)""",
    failed_when="""not string.find(body, '"%(expect)s"', 1, true)""",
    label="failed",
)
THREADS = 2


def prepare_app(data: Path, url: str) -> str:
    """Migrate and register one released app with an AppSecret; its appid."""
    settings = load_settings(data_dir=data, database_url=url)
    database = Database(url)
    migrate.upgrade(database.engine)
    with database.transaction() as session:
        app = do_register_app(session, name="Bench identity")
        app.secret_hash = app_secret_hash(settings.server_key, SECRET)
        do_release_bundle(session, app=app, bundle_id="0123456789abcdef0123")
        appid = app.appid
    database.dispose()
    return appid


def issue_codes(data: Path, url: str, *, appid: str, count: int, batch: int) -> list[str]:
    """`count` fresh codes for new users (CODES_PER_USER each) of the app."""
    settings = load_settings(data_dir=data, database_url=url)
    database = Database(url)
    codes: list[str] = []
    with database.transaction() as session:
        app = find_app(session, appid=appid)
        assert app is not None
        for n in range((count + CODES_PER_USER - 1) // CODES_PER_USER):
            user = do_sign_up(
                session,
                login=f"bench-{batch}-{n}@example.com",
                password="not-used-here",
                display_name=f"Bench {n}",
                password_hash="not-used-here",
            )
            session.flush()
            for _ in range(min(CODES_PER_USER, count - len(codes))):
                codes.append(
                    do_issue_login_code(
                        session,
                        app_id=app.id,
                        user_id=user.id,
                        server_key=settings.server_key,
                        now=utc_now(),
                    )
                )
    database.dispose()
    return codes


def wrk(base: str, script: Path, *, duration: int, connections: int) -> tuple[float, float]:
    """Requests/s and p99 latency (ms)."""
    return run_counting_wrk(
        base, script, label="failed", threads=THREADS, duration=duration, connections=connections
    )


def write_script(path: Path, *, codes: list[str], request_path: str, expect: str) -> Path:
    path.write_text(
        WRK_SCRIPT
        % {
            "codes": ", ".join(f'"{c}"' for c in codes),
            "threads": THREADS,
            "path": request_path,
            "expect": expect,
        }
    )
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--codes", type=int, default=80000, help="Codes issued per round.")
    parser.add_argument("--postgres", action="store_true", help="Use PostgreSQL, not SQLite.")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")

    data = Path(tempfile.mkdtemp(prefix="bench-identity-"))
    results: dict[str, list[tuple[float, float]]] = {"bare": [], "miniapp": []}
    try:
        with throwaway_database_url(postgres=args.postgres, data=data) as url:
            appid = prepare_app(data, url)
            env = {"BENCH_DATA_DIR": str(data), "BENCH_DATABASE_URL": url}
            bare_script = write_script(
                data / "bare.lua", codes=[], request_path="/api/accounts/me?c=", expect="user"
            )
            path = f"/sns/jscode2session?grant_type=authorization_code&appid={appid}"
            path += f"&secret={SECRET}&js_code="
            for round_number in range(1, args.rounds + 1):
                with serving("bare_app", env) as base:
                    wrk(base, bare_script, duration=2, connections=args.connections)  # warm-up
                    results["bare"].append(
                        wrk(base, bare_script, duration=args.duration, connections=args.connections)
                    )
                # Fresh codes for the warm-up and for the measured run: a code redeems once.
                warm_up = write_script(
                    data / "warm-up.lua",
                    codes=issue_codes(
                        data, url, appid=appid, count=args.codes // 2, batch=-round_number
                    ),
                    request_path=path,
                    expect="openid",
                )
                codes = issue_codes(data, url, appid=appid, count=args.codes, batch=round_number)
                script = write_script(
                    data / "identity.lua", codes=codes, request_path=path, expect="openid"
                )
                with serving("miniapp_app", env) as base:
                    # Warmed up as the bare server is.
                    wrk(base, warm_up, duration=2, connections=args.connections)
                    results["miniapp"].append(
                        wrk(base, script, duration=args.duration, connections=args.connections)
                    )
                print_round(round_number, results)
    finally:
        shutil.rmtree(data, ignore_errors=True)

    backend = "PostgreSQL" if args.postgres else "SQLite"
    labels = {
        "bare": "bare Starlette, small JSON",
        "miniapp": "miniapp (secret, code, quota, update)",
    }
    print_medians(
        (
            f"GET /sns/jscode2session, a fresh code per request ({backend}), wrk -t{THREADS} "
            f"-c{args.connections} -d{args.duration}s, medians of {args.rounds} rounds"
        ),
        labels,
        results,
    )


if __name__ == "__main__":
    main()
