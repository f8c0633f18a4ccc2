"""Fixtures for the browser tests in this folder: the e2e folder's `new_context` (fresh contexts
on the session's one Chromium that fail the test on page errors and console errors)."""

from tests.e2e.conftest import new_context

__all__ = ["new_context"]
