"""The fixed list of service categories and the permits the regulated ones require."""

from __future__ import annotations

import pytest

from miniapp.apps.categories import (
    CATEGORIES,
    PERMITS,
    check_category,
    check_permit,
    find_category,
    permits_missing_from,
    required_permits,
)
from miniapp.errors import InvalidInput
from miniapp.i18n import has_key


def test_the_list_is_fixed_unique_and_translated() -> None:
    ids = [category.id for category in CATEGORIES]
    assert len(ids) == len(set(ids)) >= 12
    for category in CATEGORIES:
        assert has_key(f"category.{category.id}"), category.id
        assert set(category.permits) <= set(PERMITS)
    for permit in PERMITS:
        assert has_key(f"permit.{permit}"), permit


def test_names_come_in_both_languages() -> None:
    health = find_category("health")
    assert health is not None
    assert health.name() == "Health & medical"
    assert health.name(language="zh") == "医疗健康"


@pytest.mark.parametrize(
    ("category", "permits"),
    [
        ("games", ("game_licence",)),
        ("health", ("medical_licence",)),
        ("finance", ("financial_licence",)),
        ("news", ("news_permit",)),
        ("tools", ()),
        ("food", ()),
        (None, ()),
    ],
)
def test_regulated_categories_require_their_permit(
    category: str | None, permits: tuple[str, ...]
) -> None:
    assert required_permits(category) == permits


def test_missing_permits_are_those_required_and_not_uploaded() -> None:
    assert permits_missing_from("health", []) == ["medical_licence"]
    assert permits_missing_from("health", ["medical_licence"]) == []
    assert permits_missing_from("health", ["game_licence"]) == ["medical_licence"]
    assert permits_missing_from("tools", ["game_licence"]) == []
    assert permits_missing_from(None, []) == []
    assert permits_missing_from("no-longer-a-category", []) == []


def test_check_category_accepts_an_id_from_the_list() -> None:
    assert check_category("education").id == "education"
    assert check_category(" travel ").id == "travel"


@pytest.mark.parametrize("raw", ["", "Tools", "gambling", "health;", "x" * 100])
def test_check_category_refuses_anything_else(raw: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_category(raw)
    assert (refused.value.code, refused.value.field) == ("category_invalid", "category")


def test_check_permit() -> None:
    assert check_permit("news_permit") == "news_permit"
    for raw in ("", "licence", "../news_permit", "NEWS_PERMIT"):
        with pytest.raises(InvalidInput) as refused:
            check_permit(raw)
        assert (refused.value.code, refused.value.field) == ("permit_invalid", "permit")
