"""Mini-program codes per second: `POST /wxa/getwxacodeunlimit` (a B code, a new scene each
request, 430 px PNG) over HTTP, against two baselines measured in the same run:

- bare: a bare Starlette endpoint answering the same POST with one ready-made PNG (what HTTP
  alone costs under uvicorn);
- render: zxing-cpp + Pillow drawing the code in this process, one thread, no HTTP (what drawing
  alone costs: the ceiling for one server process).

Ours and the bare app run under uvicorn (one worker, uvloop + httptools, no access log) on
loopback, loaded by wrk (2 threads, `--connections` connections, a Lua script writing each
request's JSON body); each request carries the access token of one of `--apps` released apps in
turn, so the per-app quota (5000 a minute) is never what is measured. Any answer that is not a
PNG fails the run. Figures are medians over the rounds.

    .venv/bin/python bench/bench_codes.py [--rounds 3] [--duration 10] [--connections 16]
                                          [--apps 16] [--postgres]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench_servers import (
    counting_wrk_script,
    run_counting_wrk,
    serving,
    throwaway_database_url,
)

from miniapp.apps.bundles import BundleStore, do_store_bundle
from miniapp.apps.profile import app_secret_hash
from miniapp.apps.registry import do_register_app, do_release_bundle
from miniapp.clock import utc_now
from miniapp.compiler.build import compile_project
from miniapp.db import migrate
from miniapp.db.session import Database
from miniapp.discovery.codes import render_code_png
from miniapp.openapi.tokens import do_issue_token
from miniapp.settings import load_settings

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
SECRET = "bench-secret-" + "b" * 19
PAGE = "pages/index/index"

# One wrk script for both servers: a new scene per request (thread id and a counter), the
# tokens in turn, and every answer that is not a PNG counted (wrk counts only HTTP errors; the
# open API answers its errors with HTTP 200).
WRK_SCRIPT = counting_wrk_script(
    data="local tokens = {%(tokens)s}",
    request="""  counter = counter + 1
  local token = tokens[(counter %% #tokens) + 1]
  local body = string.format('{"scene":"id=%%d&t=%%d","page":"%(page)s"}', counter, id)
  return wrk.format("POST", "/wxa/getwxacodeunlimit?access_token=" .. token,
                    {["Content-Type"] = "application/json"}, body)""",
    failed_when='(headers["content-type"] or headers["Content-Type"]) ~= "image/png"',
    label="not png",
)


def prepare(data: Path, url: str, apps: int) -> list[str]:
    """Migrate, release examples/hello as `apps` apps with an AppSecret; their tokens."""
    settings = load_settings(data_dir=data, database_url=url)
    database = Database(url)
    migrate.upgrade(database.engine)
    built = compile_project(ROOT / "examples" / "hello")
    assert built.bundle is not None
    bundle_id = do_store_bundle(BundleStore.for_settings(settings), built.bundle)
    tokens = []
    with database.transaction() as session:
        for n in range(apps):
            app = do_register_app(session, name=f"Bench codes {n}")
            app.secret_hash = app_secret_hash(settings.server_key, SECRET)
            do_release_bundle(session, app=app, bundle_id=bundle_id)
            session.flush()
            issued = do_issue_token(
                session,
                appid=app.appid,
                secret=SECRET,
                server_key=settings.server_key,
                now=utc_now(),
            )
            tokens.append(issued.access_token)
    database.dispose()
    return tokens


def wrk(base: str, script: Path, *, duration: int, connections: int) -> tuple[float, float]:
    """Images/s and p99 latency (ms)."""
    return run_counting_wrk(
        f"{base}/wxa/getwxacodeunlimit",
        script,
        label="not png",
        threads=2,
        duration=duration,
        connections=connections,
    )


def render_rate(duration: float) -> float:
    """Codes drawn per second in this process (one thread), each with a new scene."""
    count = 0
    started = time.perf_counter()
    while time.perf_counter() - started < duration:
        count += 1
        render_code_png(f"http://127.0.0.1:8000/mp/wx0000000000000001?k=b&s=id={count}%26t=0")
    return count / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--apps", type=int, default=16, help="Apps whose tokens take turns.")
    parser.add_argument("--postgres", action="store_true", help="Use PostgreSQL, not SQLite.")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install -y wrk")

    data = Path(tempfile.mkdtemp(prefix="bench-codes-"))
    results: dict[str, list[tuple[float, float]]] = {"bare": [], "miniapp": []}
    rendered: list[float] = []
    try:
        with throwaway_database_url(postgres=args.postgres, data=data) as url:
            tokens = prepare(data, url, args.apps)
            script = data / "codes.lua"
            script.write_text(
                WRK_SCRIPT % {"tokens": ", ".join(f'"{t}"' for t in tokens), "page": PAGE}
            )
            env = {"BENCH_DATA_DIR": str(data), "BENCH_DATABASE_URL": url}
            for round_number in range(1, args.rounds + 1):
                for name, factory in (("bare", "bare_app"), ("miniapp", "miniapp_app")):
                    with serving(factory, env) as base:
                        wrk(base, script, duration=2, connections=args.connections)  # warm-up
                        results[name].append(
                            wrk(base, script, duration=args.duration, connections=args.connections)
                        )
                    rps, p99 = results[name][-1]
                    print(f"round {round_number} {name:8s} {rps:8.1f} images/s  p99 {p99:7.1f} ms")
                rendered.append(render_rate(min(args.duration, 5)))
                print(f"round {round_number} render   {rendered[-1]:8.1f} images/s (in process)")
    finally:
        shutil.rmtree(data, ignore_errors=True)

    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"\nPOST /wxa/getwxacodeunlimit, 430 px B codes ({backend}), wrk -t2 "
        f"-c{args.connections} -d{args.duration}s, {args.apps} apps, "
        f"medians of {args.rounds} rounds"
    )
    print(f"  {'':34s} {'images/s':>9s} {'p99 ms':>8s}")
    labels = {
        "bare": "bare Starlette, ready-made PNG",
        "miniapp": "miniapp (token, quota, drawing)",
    }
    medians = {}
    for name, runs in results.items():
        medians[name] = statistics.median(r for r, _ in runs)
        p99 = statistics.median(p for _, p in runs)
        print(f"  {labels[name]:34s} {medians[name]:9.1f} {p99:8.1f}")
    render = statistics.median(rendered)
    print(f"  {'drawing in process, no HTTP':34s} {render:9.1f} {'':>8s}")
    print(f"  miniapp / in-process drawing: {medians['miniapp'] / render:.2f}")
    print(f"  miniapp / bare Starlette:     {medians['miniapp'] / medians['bare']:.3f}")


if __name__ == "__main__":
    main()
