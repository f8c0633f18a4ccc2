"""The search API's shapes at the edge (pydantic)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from miniapp.apps.logos import media_url
from miniapp.discovery.search import FoundApp, SearchResult, SuggestedApp


class SearchPageOut(BaseModel):
    path: str = Field(description="The page's path, as in app.json (no leading slash).")
    title: str = Field(description='Its navigationBarTitleText ("" if it has none).')


class SearchHitOut(BaseModel):
    appid: str
    name: str
    description: str
    logo_url: str | None = Field(description="`/media/<hash>.png`; null without a logo.")
    pages: list[SearchPageOut] = Field(
        description="The pages its sitemap.json lets search show, in app.json order, at most 10."
    )

    @classmethod
    def of(cls, found: FoundApp) -> SearchHitOut:
        return cls(
            appid=found.appid,
            name=found.name,
            description=found.description,
            logo_url=media_url(found.logo),
            pages=[SearchPageOut(path=page.path, title=page.title) for page in found.pages],
        )


class SearchSuggestionOut(BaseModel):
    appid: str
    name: str
    logo_url: str | None

    @classmethod
    def of(cls, suggested: SuggestedApp) -> SearchSuggestionOut:
        return cls(appid=suggested.appid, name=suggested.name, logo_url=media_url(suggested.logo))


class SearchOut(BaseModel):
    query: str
    results: list[SearchHitOut] = Field(description="Released apps with exactly this name.")
    suggestions: list[SearchSuggestionOut] = Field(
        description='"Did you mean": close names, best first (only when there is no result).'
    )

    @classmethod
    def of(cls, result: SearchResult) -> SearchOut:
        return cls(
            query=result.query,
            results=[SearchHitOut.of(found) for found in result.results],
            suggestions=[SearchSuggestionOut.of(s) for s in result.suggestions],
        )
