"""sitemap.json's rules, as WeChat applies them to the pages search may show."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from miniapp.compiler.build import compile_project
from miniapp.discovery.sitemap import listed_pages, ordered_rules, page_allowed
from tests.discovery.helpers import write_project


def allowed(sitemap: dict[str, Any], path: str) -> bool:
    return page_allowed(ordered_rules(sitemap), path)


def test_every_page_is_allowed_by_default() -> None:
    assert allowed({}, "pages/a/a")
    assert allowed({"rules": []}, "pages/a/a")
    assert allowed({"rules": [{"action": "disallow", "page": "pages/b/b"}]}, "pages/a/a")


def test_the_first_matching_rule_by_priority_decides() -> None:
    sitemap = {
        "rules": [
            {"action": "disallow", "page": "*"},
            {"action": "allow", "page": "pages/a/a", "priority": 5},
        ]
    }
    assert allowed(sitemap, "pages/a/a")
    assert not allowed(sitemap, "pages/b/b")
    same_priority = {
        "rules": [{"action": "allow", "page": "/pages/a/a"}, {"action": "disallow", "page": "*"}]
    }
    assert allowed(same_priority, "pages/a/a")
    assert not allowed(same_priority, "pages/b/b")


def test_a_rule_with_params_applies_to_a_bare_page_only_when_exclusive() -> None:
    for matching, applies in (
        ("exact", False),
        ("inclusive", False),
        ("partial", False),
        ("exclusive", True),
    ):
        rule = {"action": "disallow", "page": "*", "params": ["id"], "matching": matching}
        assert allowed({"rules": [rule]}, "pages/a/a") is not applies, matching


def test_pages_are_listed_in_app_json_order_with_their_titles() -> None:
    manifest = {
        "app": {
            "pages": ["pages/z/z", "pages/a/a"],
            "subpackages": [{"root": "shop/", "pages": ["shop/pages/cart"]}],
            "sitemap": {"rules": [{"action": "disallow", "page": "pages/a/a"}]},
        },
        "pages": {
            "pages/a/a": {"config": {"navigationBarTitleText": "A"}},
            "pages/z/z": {"config": {"navigationBarTitleText": "Zed"}},
            "shop/pages/cart": {"config": {}},
        },
    }
    assert [(p.path, p.title) for p in listed_pages(manifest)] == [
        ("pages/z/z", "Zed"),
        ("shop/pages/cart", ""),
    ]


def test_subpackage_pages_of_a_compiled_bundle_are_listed_once_with_their_root(
    tmp_path: Path,
) -> None:
    project = write_project(tmp_path / "p", pages=["pages/index/index"])
    config = json.loads((project / "app.json").read_text())
    config["subpackages"] = [{"root": "shop", "pages": ["cart/cart"]}]
    (project / "app.json").write_text(json.dumps(config))
    (project / "shop/cart").mkdir(parents=True)
    for suffix, text in ((".wxml", "<view>Cart</view>"), (".js", "Page({})"), (".json", "{}")):
        (project / "shop/cart/cart").with_suffix(suffix).write_text(text)
    result = compile_project(project)
    assert result.bundle is not None, result.diagnostics
    manifest = result.bundle.manifest
    assert [page.path for page in listed_pages(manifest)] == ["pages/index/index", "shop/cart/cart"]
