"""The service categories an app is filed under, and the permits some of them require.

A fixed list, as WeChat's "服务类目": an app names one category, and a category in a regulated
field (games, health, finance, news) needs a permit uploaded before the app can pass review.
Names are translated in the web apps through `category.<id>` and `permit.<id>` keys.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from miniapp.errors import InvalidInput
from miniapp.i18n import translate

# Permits a category may require: a licence issued by the regulator of that field.
GAME_LICENCE = "game_licence"
MEDICAL_LICENCE = "medical_licence"
FINANCIAL_LICENCE = "financial_licence"
NEWS_PERMIT = "news_permit"
PERMITS = (GAME_LICENCE, MEDICAL_LICENCE, FINANCIAL_LICENCE, NEWS_PERMIT)


@dataclass(frozen=True, kw_only=True)
class Category:
    id: str
    permits: tuple[str, ...] = ()

    def name(self, *, language: str = "en") -> str:
        return translate(f"category.{self.id}", language=language)


CATEGORIES: tuple[Category, ...] = (
    Category(id="tools"),
    Category(id="education"),
    Category(id="food"),
    Category(id="shopping"),
    Category(id="travel"),
    Category(id="lifestyle"),
    Category(id="sports"),
    Category(id="social"),
    Category(id="business"),
    Category(id="games", permits=(GAME_LICENCE,)),
    Category(id="health", permits=(MEDICAL_LICENCE,)),
    Category(id="finance", permits=(FINANCIAL_LICENCE,)),
    Category(id="news", permits=(NEWS_PERMIT,)),
)
_BY_ID = {category.id: category for category in CATEGORIES}


def find_category(category_id: str | None) -> Category | None:
    return _BY_ID.get(category_id) if category_id is not None else None


def check_category(raw: str) -> Category:
    """The category with id `raw`; anything else is `category_invalid`."""
    category = find_category(raw.strip())
    if category is None:
        raise InvalidInput("category_invalid", field="category", category=raw[:40])
    return category


def check_permit(raw: str) -> str:
    """A permit id from the list; anything else is `permit_invalid`."""
    permit = raw.strip()
    if permit not in PERMITS:
        raise InvalidInput("permit_invalid", field="permit", permit=raw[:40])
    return permit


def required_permits(category_id: str | None) -> tuple[str, ...]:
    """The permits an app in `category_id` needs (none without a category)."""
    category = find_category(category_id)
    return category.permits if category is not None else ()


def permits_missing_from(category_id: str | None, uploaded: Iterable[str]) -> list[str]:
    """The permits `category_id` requires that are not among `uploaded`, in the list's order."""
    have = set(uploaded)
    return [permit for permit in required_permits(category_id) if permit not in have]
