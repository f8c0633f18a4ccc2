"""ASGI apps the benchmarks load with uvicorn: ours, configured from the environment, and a bare
Starlette endpoint as the baseline measured in the same run."""

from __future__ import annotations

import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from miniapp.server import create_app
from miniapp.settings import load_settings


def miniapp_app():  # type: ignore[no-untyped-def]
    settings = load_settings(
        data_dir=os.environ["BENCH_DATA_DIR"],
        database_url=os.environ.get("BENCH_DATABASE_URL") or None,
        run_worker=False,
        log_level="warning",
    )
    return create_app(settings, run_migrations=False)


async def _hello(_request: Request) -> JSONResponse:
    return JSONResponse({"user": {"id": "00000000-0000-0000-0000-000000000000", "name": "bare"}})


def bare_app() -> Starlette:
    return Starlette(routes=[Route("/api/accounts/me", _hello)])
