"""The library's keyword rules (server-api.md §4.3), and its catalogue's consistency."""

from __future__ import annotations

import pytest

from miniapp.subscribe.library import (
    CATEGORIES,
    CATEGORY_IDS,
    LIBRARY,
    RULES,
    TemplateType,
    find_template,
    titles_in,
    value_fits,
)


@pytest.mark.parametrize(
    ("rule", "value"),
    [
        ("thing", "x" * 20),
        ("thing", "乌龙茶 250 g"),
        ("number", "1" * 32),
        ("number", "3.14"),
        ("character_string", "SO-2030/12#42"),
        ("time", "2030-12-01 15:01"),
        ("time", "15:01:59"),
        ("date", "2030-12-24"),
        ("date", "2030-12-24 08:00"),
        ("amount", "¥36.00"),
        ("amount", "36.5元"),
        ("phone_number", "+86 138-0000-0000"),
        ("name", "张三"),
        ("name", "x" * 10),
        ("phrase", "已确认"),
    ],
)
def test_values_within_the_rule_fit(rule: str, value: str) -> None:
    assert value_fits(rule, value)


@pytest.mark.parametrize(
    ("rule", "value"),
    [
        ("thing", ""),
        ("thing", "x" * 21),
        ("number", "1" * 33),
        ("number", "12a"),
        ("character_string", "x" * 33),
        ("character_string", "中文"),
        ("time", "tomorrow"),
        ("time", "2030-12-01"),
        ("date", "24/12/2030"),
        ("amount", "36.005"),
        ("amount", "about 36"),
        ("phone_number", "call me"),
        ("phone_number", "1" * 18),
        ("name", "x" * 11),
        ("phrase", "已确认已确认"),
        ("phrase", "ok"),
    ],
)
def test_values_breaking_the_rule_do_not_fit(rule: str, value: str) -> None:
    assert not value_fits(rule, value)


def test_the_catalogue_is_consistent() -> None:
    assert len({template.tid for template in LIBRARY}) == len(LIBRARY)
    assert {template.type for template in LIBRARY} == set(TemplateType)
    for template in LIBRARY:
        assert find_template(template.tid) is template
        assert len({keyword.kid for keyword in template.keywords}) == len(template.keywords)
        for keyword in template.keywords:
            assert keyword.rule in RULES
            assert value_fits(keyword.rule, keyword.example), keyword
    assert find_template(1) is None


def test_every_title_is_in_one_category_and_each_category_has_titles() -> None:
    assert len(CATEGORY_IDS) == len(CATEGORIES)
    for category in CATEGORIES:
        titles = titles_in({category.id})
        assert titles, category
        assert all(title.category_id == category.id for title in titles)
    assert sum(len(titles_in({c.id})) for c in CATEGORIES) == len(LIBRARY)
    assert titles_in(set()) == []
