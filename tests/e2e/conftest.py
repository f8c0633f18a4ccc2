"""Browser fixtures: contexts on the session's one Chromium (`browser`, in tests/conftest.py).

Every context a test makes is closed after it. A test fails if a page threw an uncaught exception
or logged a console error other than a failed HTTP request (4xx answers such as "not signed in" are
expected and shown in the page).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, expect

# A loaded CI machine and PostgreSQL may be slower than Playwright's 5 s default.
expect.set_options(timeout=15_000)


NewContext = Callable[..., BrowserContext]


@pytest.fixture
def new_context(browser: Browser) -> Iterator[NewContext]:
    """Make fresh browser contexts (own cookies and storage), English and phone-sized by default."""
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console error: {message.text}")

    def make(**options: object) -> BrowserContext:
        settings: dict[str, object] = {"locale": "en-US", "viewport": {"width": 420, "height": 900}}
        settings.update(options)
        context = browser.new_context(**settings)  # type: ignore[arg-type]
        context.on("console", on_console)
        context.on("weberror", lambda error: problems.append(f"page error: {error.error}"))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)
