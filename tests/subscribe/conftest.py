"""Fixtures of the subscription tests: the app's bundle store and a shop (an app with a released
bundle, an AppSecret and a one-time template)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI

from miniapp.apps.bundles import BundleStore
from miniapp.db.session import Database
from miniapp.settings import Settings
from tests.subscribe.helpers import Shop, make_shop


@pytest.fixture
def store(app: FastAPI) -> BundleStore:
    found: BundleStore = app.state.bundle_store
    return found


@pytest.fixture
def shop(database: Database, settings: Settings, store: BundleStore, tmp_path: Path) -> Shop:
    return make_shop(database, settings, store, tmp_path)
