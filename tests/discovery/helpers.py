"""Apps made for the search tests: registered, and released with a compiled bundle."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from miniapp.apps.bundles import BundleStore, do_store_bundle
from miniapp.apps.registry import do_register_app, do_release_bundle
from miniapp.compiler.build import compile_project
from miniapp.db.session import Database

PAGES = ["pages/index/index", "pages/about/about", "pages/secret/secret", "pages/cart/cart"]


def write_project(
    root: Path, *, pages: list[str] = PAGES, sitemap: dict[str, Any] | None = None
) -> Path:
    """A small project: each page titled after its folder, and `sitemap` as its sitemap.json."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "app.json").write_text(json.dumps({"pages": pages}))
    (root / "app.js").write_text("App({})\n")
    for page in pages:
        folder = root / page.rpartition("/")[0]
        folder.mkdir(parents=True, exist_ok=True)
        base = root / page
        title = page.split("/")[1].title()
        base.with_suffix(".json").write_text(json.dumps({"navigationBarTitleText": title}))
        base.with_suffix(".wxml").write_text(f"<view>{title}</view>\n")
        base.with_suffix(".js").write_text("Page({})\n")
    if sitemap is not None:
        (root / "sitemap.json").write_text(json.dumps(sitemap))
    return root


def store_project(store: BundleStore, project: Path) -> str:
    result = compile_project(project)
    assert result.bundle is not None, result.diagnostics
    return do_store_bundle(store, result.bundle)


def add_app(database: Database, *, name: str, bundle_id: str | None) -> str:
    """Register an app named `name`; release `bundle_id` for it unless None. Its appid."""
    with database.transaction() as session:
        app = do_register_app(session, name=name)
        if bundle_id is not None:
            do_release_bundle(session, app=app, bundle_id=bundle_id)
        return app.appid
