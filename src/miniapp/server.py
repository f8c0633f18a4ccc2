"""The ASGI application factory: mounts each domain's router and the web apps."""

from __future__ import annotations

import gc
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.trustedhost import TrustedHostMiddleware

from miniapp.accounts import (
    account_routes,
    organisation_routes,
    staff_routes,
    token_routes,
    verification_routes,
)
from miniapp.accounts.housekeeping import do_schedule_housekeeping
from miniapp.apps import console_routes as app_console_routes
from miniapp.apps import routes as app_routes
from miniapp.apps import version_routes
from miniapp.apps.bundles import BundleStore
from miniapp.body_limit import BodyLimitMiddleware
from miniapp.consent import routes as consent_routes
from miniapp.csrf import CSRFMiddleware
from miniapp.db import migrate
from miniapp.db.session import Database
from miniapp.devtools import routes as dev_routes
from miniapp.discovery import code_routes as discovery_code_routes
from miniapp.discovery import entry_routes as discovery_entry_routes
from miniapp.discovery import link_routes as discovery_link_routes
from miniapp.discovery import routes as discovery_routes
from miniapp.http_errors import install_error_handlers
from miniapp.identity import open_routes as identity_open_routes
from miniapp.identity import routes as identity_routes
from miniapp.jobs.catalogue import load_job_kinds
from miniapp.jobs.worker import Worker
from miniapp.netproxy import routes as netproxy_routes
from miniapp.netproxy.transfer_routes import STREAMED_BODIES
from miniapp.openapi import quota_routes as open_quota_routes
from miniapp.openapi import token_routes as open_token_routes
from miniapp.openapi.access_log import install_access_log_redaction
from miniapp.openapi.hot_paths import HotPathsMiddleware, routed_endpoints
from miniapp.openapi.rate_limits import PathLimits, rate_limiter_for
from miniapp.review import open_routes as review_open_routes
from miniapp.review import routes as review_routes
from miniapp.security_headers import SecurityHeadersMiddleware
from miniapp.settings import Settings
from miniapp.subscribe import routes as subscribe_routes
from miniapp.subscribe import template_api_routes as subscribe_template_api_routes
from miniapp.web import pages

log = logging.getLogger(__name__)

MB = 1024 * 1024
# The console routes that take files, each with a cap above the JSON API's (a multipart body is
# its files plus a little): docs/release-journey.md lists them.
FILE_BODIES: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(r"/api/console/organisations/[^/]+/verification"), 11 * MB),
    (re.compile(r"/api/console/apps/[^/]+/logo"), 3 * MB),
    (re.compile(r"/api/console/apps/[^/]+/permits"), 6 * MB),
    (re.compile(r"/api/console/apps/[^/]+/versions"), 32 * MB),
    # The open API's content checks: an image, or up to 500 KB of text (review/open_routes.py).
    (re.compile(r"/wxa/img_sec_check"), review_open_routes.MAX_IMAGE_BODY),
    (re.compile(r"/wxa/msg_sec_check"), review_open_routes.MAX_TEXT_BODY),
)


def freeze_startup_heap() -> None:
    """Before serving, once the app is built: everything alive moves to the garbage collector's
    permanent generation, so a full collection while serving scans only what requests made.
    The app's startup objects (models, routes, schemas) made each full collection a pause of
    tens of milliseconds for every request in flight (bench/bench_identity.py: p99 41–73 ms,
    7 ms frozen)."""
    gc.collect()
    gc.freeze()


def create_app(
    settings: Settings,
    *,
    database: Database | None = None,
    run_migrations: bool = True,
    run_worker: bool | None = None,
) -> FastAPI:
    """Build the app. Without `database`, one is opened from the settings (and disposed at exit).

    The schema is migrated to head before the first request unless `run_migrations` is false;
    a job worker runs in a thread while the app is up if `run_worker` (default: the settings').
    """
    owns_database = database is None
    db = database or Database(settings.effective_database_url)
    with_worker = settings.run_worker if run_worker is None else run_worker
    limiter = rate_limiter_for(settings)

    load_job_kinds()
    # The open API's credentials travel in query strings: keep them out of the access log.
    install_access_log_redaction()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        do_schedule_housekeeping(db)
        worker: Worker | None = None
        if with_worker:
            worker = Worker(db, poll_seconds=settings.worker_poll_seconds, settings=settings)
            worker.start_thread()
        try:
            yield
        finally:
            if worker is not None:
                worker.stop_thread(timeout=10)
            if owns_database:
                db.dispose()
            limiter.close()

    if run_migrations:
        migrate.upgrade(db.engine)

    app = FastAPI(
        title="Miniapp",
        version="0.1.0",
        summary="Self-hosted mini-program platform: host app, console and WeChat-compatible APIs.",
        lifespan=lifespan,
        docs_url=None,  # served by web.pages from local files, under a strict CSP
        redoc_url=None,
        # The platform sets up no OpenTelemetry, and FastAPI's native telemetry otherwise asks
        # the global providers whether it is on, for every request: 17 µs of the open API's
        # hottest calls (bench/bench_identity.py).
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.settings = settings
    app.state.database = db
    app.state.bundle_store = BundleStore.for_settings(settings)
    app.state.rate_limiter = limiter
    app.state.path_limits = PathLimits()
    install_error_handlers(app)
    # Routes are matched in order: the open API's hottest calls (tokens, code2session, sends)
    # come first, so they are not matched against every console route before their own. Their
    # paths (/cgi-bin, /sns, /wxa) are no other router's, so the order changes no answer.
    for router in (
        open_token_routes.router,
        identity_open_routes.router,
        subscribe_routes.open_router,
        account_routes.router,
        token_routes.router,
        organisation_routes.router,
        staff_routes.router,
        verification_routes.router,
        app_console_routes.router,
        app_console_routes.media_router,
        version_routes.router,
        review_routes.console_router,
        review_routes.router,
        review_open_routes.router,
        app_routes.router,
        discovery_routes.router,
        discovery_entry_routes.router,
        discovery_code_routes.router,
        discovery_code_routes.console_router,
        discovery_link_routes.router,
        netproxy_routes.router,
        open_quota_routes.router,
        identity_routes.router,
        consent_routes.router,
        consent_routes.me_router,
        subscribe_routes.console_router,
        subscribe_routes.runtime_router,
        subscribe_routes.me_router,
        subscribe_template_api_routes.router,
    ):
        app.include_router(router)
    if settings.dev_mode:
        app.include_router(dev_routes.router)  # `miniapp dev` attaches app.state.dev_project
    app.include_router(pages.router)
    pages.mount_static(app)
    # Outermost last: the Host is checked first, then the body size, then CSRF, then the open
    # API's hottest calls leave for their endpoints (openapi/hot_paths.py).
    app.add_middleware(
        HotPathsMiddleware,
        endpoints=routed_endpoints(
            [*identity_open_routes.router.routes, *subscribe_routes.open_router.routes],
            [identity_open_routes.jscode2session, subscribe_routes.send],
        ),
    )
    app.add_middleware(CSRFMiddleware, settings=settings)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_api_body_bytes,
        streamed=STREAMED_BODIES,
        larger=FILE_BODIES,
    )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.trusted_hosts)
    app.add_middleware(SecurityHeadersMiddleware)
    return app
