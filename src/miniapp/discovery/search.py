"""Exact-name search, as WeChat's, with "did you mean" suggestions beyond it.

A released mini program is found by its exact name, case- and full-width/half-width-insensitive:
the query is folded as names are (`app_name_key`), and the hit is one lookup on the unique
`apps.name_key` index. When nothing has that name, up to `MAX_SUGGESTIONS` released apps whose
names are close are suggested: candidates come from the gram index (app_name_grams) — the apps
sharing the most grams with the query, grouped in the database and cut to `CANDIDATES` — and are
ranked in Python by Dice similarity of gram sets, then by name. Nothing ever scans all apps.

Unreleased apps are never found nor suggested: to users they do not exist yet.
"""

from __future__ import annotations

import functools
import logging
import math
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from miniapp.apps.bundles import BundleNotFoundError, BundleStore, read_stored_manifest
from miniapp.apps.models import App
from miniapp.apps.names import app_name_key
from miniapp.discovery.models import AppNameGram
from miniapp.discovery.search_index import name_grams
from miniapp.discovery.sitemap import ListedPage, listed_pages
from miniapp.errors import InvalidInput

log = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 64  # an app name's longest
MAX_SUGGESTIONS = 5
MIN_SIMILARITY = 0.4
# How many of the apps sharing the most grams with the query are ranked. Similarity needs both
# the shared grams and the name's own count, so the database's order (shared grams) and the final
# one (Dice) can differ; ranking 50 for 5 suggestions leaves room for that.
CANDIDATES = 50


@dataclass(frozen=True, kw_only=True)
class FoundApp:
    appid: str
    name: str
    description: str
    logo: str | None
    pages: tuple[ListedPage, ...]


@dataclass(frozen=True, kw_only=True)
class SuggestedApp:
    appid: str
    name: str
    logo: str | None


@dataclass(frozen=True, kw_only=True)
class SearchResult:
    query: str
    results: tuple[FoundApp, ...]
    suggestions: tuple[SuggestedApp, ...]


def check_search_query(raw: str) -> str:
    """The query folded as names are; `search_query_invalid` if empty or over 64 characters."""
    if len(raw) > MAX_QUERY_LENGTH:
        raise InvalidInput("search_query_invalid", field="q", max_length=MAX_QUERY_LENGTH)
    key = app_name_key(raw)
    if not key:
        raise InvalidInput("search_query_invalid", field="q", max_length=MAX_QUERY_LENGTH)
    return key


def dice_similarity(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return 2 * len(a & b) / (len(a) + len(b))


@functools.lru_cache(maxsize=1024)
def _bundle_pages(store: BundleStore, bundle_id: str) -> tuple[ListedPage, ...]:
    # Bundles are immutable, so what search lists of one never changes.
    return listed_pages(read_stored_manifest(store, bundle_id).manifest)


def _pages_of(store: BundleStore, *, appid: str, bundle_id: str) -> tuple[ListedPage, ...]:
    try:
        return _bundle_pages(store, bundle_id)
    except BundleNotFoundError:
        # Found by name all the same: the launch will report the missing bundle.
        log.error("app %s: bundle %s is missing from the store", appid, bundle_id)
        return ()


def _suggestions(session: Session, *, key: str) -> tuple[SuggestedApp, ...]:
    grams = name_grams(key)
    if not grams:
        return ()
    # Dice >= MIN_SIMILARITY needs shared >= MIN_SIMILARITY * (|query| + |name|) / 2, and
    # |name| >= shared, so shared >= |query| * s / (2 - s): fewer shared grams cannot qualify.
    least_shared = max(1, math.ceil(len(grams) * MIN_SIMILARITY / (2 - MIN_SIMILARITY) - 1e-9))
    shared = func.count().label("shared")
    candidates = (
        select(AppNameGram.app_id, shared)
        .join(App, App.id == AppNameGram.app_id)
        .where(AppNameGram.gram.in_(sorted(grams)), App.released_bundle.is_not(None))
        .group_by(AppNameGram.app_id)
        .having(func.count() >= least_shared)
        .order_by(shared.desc(), AppNameGram.app_id)
        .limit(CANDIDATES)
        .subquery()
    )
    rows = session.execute(
        select(App.appid, App.name, App.name_key, App.logo).join(
            candidates, candidates.c.app_id == App.id
        )
    ).all()
    ranked = sorted(
        (
            (dice_similarity(grams, name_grams(row.name_key)), row)
            for row in rows
            if row.name_key != key
        ),
        key=lambda scored: (-scored[0], scored[1].name_key, scored[1].appid),
    )
    return tuple(
        SuggestedApp(appid=row.appid, name=row.name, logo=row.logo)
        for similarity, row in ranked[:MAX_SUGGESTIONS]
        if similarity >= MIN_SIMILARITY
    )


def search_apps(session: Session, *, query: str, store: BundleStore) -> SearchResult:
    """Released apps named `query` (folded), with their pages the sitemap allows; when there are
    none, "did you mean" suggestions. Invalid queries raise `search_query_invalid` (422)."""
    key = check_search_query(query)
    exact = session.execute(
        select(App.appid, App.name, App.description, App.logo, App.released_bundle).where(
            App.name_key == key, App.released_bundle.is_not(None)
        )
    ).all()
    results = tuple(
        FoundApp(
            appid=row.appid,
            name=row.name,
            description=row.description,
            logo=row.logo,
            pages=_pages_of(store, appid=row.appid, bundle_id=row.released_bundle),
        )
        for row in exact
    )
    suggestions = () if results else _suggestions(session, key=key)
    return SearchResult(query=query, results=results, suggestions=suggestions)
