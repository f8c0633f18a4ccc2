"""Apps with released, trial and uploaded versions for the code tests, and reading codes back
with a real decoder (zxing-cpp)."""

from __future__ import annotations

import io
from pathlib import Path

import zxingcpp
from PIL import Image
from sqlalchemy import select

from miniapp.apps.bundles import BundleStore
from miniapp.apps.models import App, AppVersion, VersionState
from miniapp.db.session import Database
from tests.discovery.helpers import PAGES, store_project, write_project

TRIAL_PAGES = [*PAGES, "pages/trial/trial"]
DEVELOP_PAGES = [*PAGES, "pages/trial/trial", "pages/newest/newest"]


def release_bundle(store: BundleStore, folder: Path) -> str:
    """A bundle with tests.discovery.helpers.PAGES (home: pages/index/index)."""
    return store_project(store, write_project(folder / "release"))


def add_version(
    database: Database, appid: str, *, version: str, bundle_id: str, trial: bool = False
) -> None:
    """An uploaded version of the app (the trial one with `trial`), made directly."""
    with database.transaction() as session:
        app_id = session.scalars(select(App.id).where(App.appid == appid)).one()
        session.add(
            AppVersion(
                app_id=app_id,
                version=version,
                bundle_id=bundle_id,
                source_key="00/" + "0" * 32,
                size_bytes=1,
                state=VersionState.DEVELOPMENT.value,
                is_trial=trial,
            )
        )


def add_trial_and_develop(database: Database, store: BundleStore, folder: Path, appid: str) -> None:
    """A trial version with TRIAL_PAGES, and a newer upload with DEVELOP_PAGES."""
    trial = store_project(store, write_project(folder / "trial", pages=TRIAL_PAGES))
    newest = store_project(store, write_project(folder / "newest", pages=DEVELOP_PAGES))
    add_version(database, appid, version="1.1.0", bundle_id=trial, trial=True)
    add_version(database, appid, version="1.2.0", bundle_id=newest)


def app_id_of(database: Database, appid: str) -> int:
    with database.read() as session:
        return session.scalars(select(App.id).where(App.appid == appid)).one()


def decoded(png: bytes) -> list[str]:
    """The texts of the QR codes in a PNG (a transparent one is laid on white first, as a
    phone sees it on a page)."""
    image = Image.open(io.BytesIO(png)).convert("RGBA")
    flat = Image.new("RGB", image.size, "white")
    flat.paste(image, mask=image)
    return [barcode.text for barcode in zxingcpp.read_barcodes(flat)]
