"""GET /api/discovery/search over HTTP: public, folded, with pages and suggestions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI

from miniapp.apps.bundles import BundleStore
from miniapp.db.session import Database
from tests.discovery.helpers import add_app, store_project, write_project


def store_of(app: FastAPI) -> BundleStore:
    store: BundleStore = app.state.bundle_store
    return store


def test_a_signed_out_user_finds_an_app_by_its_full_width_name(
    client: Any, app: FastAPI, database: Database, tmp_path: Path
) -> None:
    sitemap = {"rules": [{"action": "disallow", "page": "pages/secret/secret"}]}
    bundle_id = store_project(store_of(app), write_project(tmp_path / "p", sitemap=sitemap))
    appid = add_app(database, name="Hello", bundle_id=bundle_id)
    add_app(database, name="Hello Draft", bundle_id=None)

    answer = client.get("/api/discovery/search", params={"q": "ＨＥＬＬＯ"})
    assert answer.status_code == 200
    assert answer.json() == {
        "query": "ＨＥＬＬＯ",
        "results": [
            {
                "appid": appid,
                "name": "Hello",
                "description": "",
                "logo_url": None,
                "pages": [
                    {"path": "pages/index/index", "title": "Index"},
                    {"path": "pages/about/about", "title": "About"},
                    {"path": "pages/cart/cart", "title": "Cart"},
                ],
            }
        ],
        "suggestions": [],
    }


def test_a_near_miss_answers_did_you_mean(
    client: Any, app: FastAPI, database: Database, tmp_path: Path
) -> None:
    bundle_id = store_project(store_of(app), write_project(tmp_path / "p"))
    appid = add_app(database, name="Hello", bundle_id=bundle_id)
    add_app(database, name="Help", bundle_id=None)  # unreleased: never suggested

    answer = client.get("/api/discovery/search?q=Helo")
    assert answer.status_code == 200
    assert answer.json() == {
        "query": "Helo",
        "results": [],
        "suggestions": [{"appid": appid, "name": "Hello", "logo_url": None}],
    }


def test_an_empty_or_overlong_query_is_a_clear_422(client: Any) -> None:
    """The message is translated from its code; max_length tells the user the limit."""
    for url in (
        "/api/discovery/search",
        "/api/discovery/search?q=",
        f"/api/discovery/search?q={'x' * 65}",
    ):
        answer = client.get(url)
        assert answer.status_code == 422, url
        body = answer.json()["error"]
        assert body["code"] == "search_query_invalid"
        assert body["field"] == "q"
        assert body["params"]["max_length"] == 64
