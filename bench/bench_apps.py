"""ASGI apps the benchmarks load with uvicorn: ours, configured from the environment, and bare
Starlette endpoints as the baselines measured in the same run."""

from __future__ import annotations

import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from miniapp.discovery.codes import render_code_png
from miniapp.openapi.rate_limits import PathLimit, PathLimits
from miniapp.server import create_app, freeze_startup_heap
from miniapp.settings import load_settings


def miniapp_app():  # type: ignore[no-untyped-def]
    settings = load_settings(
        data_dir=os.environ["BENCH_DATA_DIR"],
        database_url=os.environ.get("BENCH_DATABASE_URL") or None,
        run_worker=False,
        log_level="warning",
    )
    app = create_app(settings, run_migrations=False)
    # One app's back end calls as fast as the server answers; the per-app limits (20 000
    # code2session calls a minute) would refuse a benchmark's calls past the first seconds.
    # The benchmarks measure the calls, so they lift the per-path limits.
    app.state.path_limits = PathLimits(
        paths={}, default=PathLimit(per_minute=10**9, per_day=10**12)
    )
    freeze_startup_heap()  # as `miniapp serve` does
    return app


async def _hello(_request: Request) -> JSONResponse:
    return JSONResponse({"user": {"id": "00000000-0000-0000-0000-000000000000", "name": "bare"}})


def bare_app() -> Starlette:
    # bench_codes.py: the same POST answered with one PNG of a code drawn at start (HTTP only).
    png = render_code_png("http://127.0.0.1:8000/mp/wx0000000000000001?k=b&s=id=1%26t=0")

    async def code(request: Request) -> Response:
        await request.body()
        return Response(png, media_type="image/png")

    return Starlette(
        routes=[
            Route("/api/accounts/me", _hello),
            Route("/wxa/getwxacodeunlimit", code, methods=["POST"]),
        ]
    )
