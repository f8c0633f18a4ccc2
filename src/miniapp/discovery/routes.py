"""/api/discovery: how the host's Discover tab finds mini programs. Public: signed-out users
search too (it reveals only released apps, which anyone can launch anyway)."""

from __future__ import annotations

from fastapi import APIRouter

from miniapp.accounts.request_auth import DatabaseDep
from miniapp.apps.routes import BundleStoreDep
from miniapp.discovery.schemas import SearchOut
from miniapp.discovery.search import search_apps

router = APIRouter(tags=["discovery"])


@router.get("/api/discovery/search", response_model=SearchOut)
def search(database: DatabaseDep, store: BundleStoreDep, q: str = "") -> SearchOut:
    """Released mini programs named exactly `q` (case- and full-width-insensitive), each with the
    pages its sitemap allows; with none, up to 5 "did you mean" suggestions.
    `search_query_invalid` (422) for an empty query or one over 64 characters."""
    with database.read() as session:
        return SearchOut.of(search_apps(session, query=q, store=store))
