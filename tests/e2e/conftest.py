"""Browser fixtures: contexts on the session's one Chromium (`browser`, in tests/conftest.py).

Every context a test makes is closed after it. A test fails if a page threw an uncaught exception
or logged a console error other than a failed HTTP request (4xx answers such as "not signed in" are
expected and shown in the page).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, WebError, expect

# A loaded CI machine and PostgreSQL may be slower than Playwright's 5 s default.
expect.set_options(timeout=15_000)


class NewContext:
    """Makes fresh browser contexts (own cookies and storage), English and phone-sized by default.

    A test fails if a page threw an uncaught exception or logged a console error, other than a
    failed HTTP request (4xx answers such as "not signed in" are expected and shown in the page)
    and the errors the test said to expect with `expect_console_error(text)`.
    """

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self.contexts: list[BrowserContext] = []
        self.problems: list[str] = []
        self.expected: list[str] = []

    def expect_console_error(self, text: str) -> None:
        self.expected.append(text)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error" or message.text.startswith("Failed to load resource"):
            return
        if any(text in message.text for text in self.expected):
            return
        self.problems.append(f"console error: {message.text}")

    def _on_page_error(self, error: WebError) -> None:
        # The stack and the page's address: a rare error must say where it came from.
        where = error.page.url if error.page else "a worker"
        self.problems.append(f"page error on {where}: {error.error.stack or error.error}")

    def __call__(self, **options: object) -> BrowserContext:
        settings: dict[str, object] = {"locale": "en-US", "viewport": {"width": 420, "height": 900}}
        settings.update(options)
        context = self.browser.new_context(**settings)  # type: ignore[arg-type]
        context.on("console", self._on_console)
        context.on("weberror", self._on_page_error)
        self.contexts.append(context)
        return context


@pytest.fixture
def new_context(browser: Browser) -> Iterator[NewContext]:
    maker = NewContext(browser)
    yield maker
    for context in maker.contexts:
        context.close()
    assert not maker.problems, "\n".join(maker.problems)


# --- a platform with every example released, for the runtime's browser tests ------------------

import threading  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import uvicorn  # noqa: E402
from playwright.sync_api import FrameLocator, Locator, Page  # noqa: E402
from websockets.sync.server import ServerConnection, serve  # noqa: E402

from miniapp.apps.bundles import BundleStore  # noqa: E402
from miniapp.db import migrate  # noqa: E402
from miniapp.db.session import Database  # noqa: E402
from miniapp.demo import DEMO_APP_SECRET, do_seed_demo  # noqa: E402
from miniapp.server import create_app  # noqa: E402
from miniapp.settings import Settings  # noqa: E402
from tests.conftest import _free_port, _SignallingServer  # noqa: E402


@dataclass
class RuntimePlatform:
    """A server (real HTTP on loopback) with every example under examples/ released."""

    url: str
    database: Database
    store: BundleStore
    settings: Settings
    appids: dict[str, str] = field(default_factory=dict)  # example folder → appid

    def register(
        self,
        name: str,
        folder: Path,
        *,
        request_domains: tuple[str, ...] = (),
        socket_domains: tuple[str, ...] = (),
        upload_domains: tuple[str, ...] = (),
        download_domains: tuple[str, ...] = (),
        webview_domains: tuple[str, ...] = (),
    ) -> str:
        """Compiles a mini program, registers and releases it; returns its appid."""
        from miniapp.apps.bundles import do_store_bundle
        from miniapp.apps.registry import do_register_app, do_release_bundle
        from miniapp.compiler.build import compile_project

        if name in self.appids:
            return self.appids[name]
        result = compile_project(folder)
        assert result.bundle is not None, [str(d) for d in result.diagnostics]
        bundle = do_store_bundle(self.store, result.bundle)
        with self.database.transaction() as session:
            app = do_register_app(
                session,
                name=name,
                request_domains=request_domains,
                socket_domains=socket_domains,
                upload_domains=upload_domains,
                download_domains=download_domains,
                webview_domains=webview_domains,
            )
            do_release_bundle(session, app=app, bundle_id=bundle)
            self.appids[name] = app.appid
        return self.appids[name]

    def open(self, page: Page, example: str, *, path: str = "", query: str = "") -> FrameLocator:
        """Opens an example by its link (`#app/<appid>?path=…&query=…`); returns its page."""
        link = f"{self.url}/#app/{self.appids[example]}"
        params = []
        if path:
            params.append(f"path={path}")
        if query:
            from urllib.parse import quote

            params.append(f"query={quote(query, safe='')}")
        if params:
            link += "?" + "&".join(params)
        page.goto(link)
        return current_page(page)


APP = ".miniapp-app:not([hidden])"


def current_page(page: Page) -> FrameLocator:
    """The mini program's page on top of the stack (its view frame)."""
    return page.frame_locator(f"{APP} .miniapp-page-frame.is-current")


def chrome(page: Page, selector: str) -> Locator:
    """An element of the running mini program's chrome (navigation bar, capsule, tab bar, …)."""
    return page.locator(f"{APP} {selector}")


def open_example_page(
    runtime_platform: RuntimePlatform,
    new_context: NewContext,
    example: str,
    name: str,
    *,
    query: str = "",
    **options: object,
) -> tuple[Page, FrameLocator]:
    """Opens `pages/<name>/<name>` of an example in a new context (made with `options`)."""
    page = new_context(**options).new_page()
    frame = runtime_platform.open(page, example, path=f"pages/{name}/{name}", query=query)
    return page, frame


@pytest.fixture(scope="module")
def echo_url() -> Iterator[str]:
    """A WebSocket echo server on loopback; its URL."""

    def handler(connection: ServerConnection) -> None:
        for message in connection:
            connection.send(message)

    server = serve(handler, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"ws://127.0.0.1:{server.socket.getsockname()[1]}/echo"
    server.shutdown()


@pytest.fixture(scope="session")
def runtime_platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RuntimePlatform]:
    """One server per test process. The runtime's browser tests exercise the browser side; the
    registry they read is tested on both database engines in tests/apps, so this one server
    runs on SQLite only."""
    data = tmp_path_factory.mktemp("runtime-platform")
    port = _free_port()
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data,
        host="127.0.0.1",
        port=port,
        secret_key="runtime-secret-key-" + "z" * 32,
        run_worker=False,
        dev_mode=True,
    )
    database = Database(f"sqlite:///{data / 'runtime.sqlite3'}")
    migrate.upgrade(database.engine)
    store = BundleStore.for_settings(settings)
    report = do_seed_demo(database, store=store, server_key=settings.server_key)
    assert not report.failures, report.failures
    application = create_app(settings, database=database, run_migrations=False, run_worker=False)
    server = _SignallingServer(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    if not server.ready.wait(timeout=15):
        raise RuntimeError("runtime platform did not start")
    platform = RuntimePlatform(
        url=f"http://127.0.0.1:{port}",
        database=database,
        store=store,
        settings=settings,
        appids={app.example: app.appid for app in report.apps},
    )
    try:
        yield platform
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        database.dispose()


def back_end_token(platform: RuntimePlatform, example: str) -> str:
    """An access token for the example app, as its back end gets one: with the demo AppSecret
    the platform was seeded with. Tests never change an app's secret on this shared platform:
    another test module may be using it."""
    import httpx

    answer = httpx.get(
        f"{platform.url}/cgi-bin/token",
        params={
            "grant_type": "client_credential",
            "appid": platform.appids[example],
            "secret": DEMO_APP_SECRET,
        },
    )
    token: str = answer.json()["access_token"]
    return token
