"""Which of a released bundle's pages a mini program's sitemap.json lets search show.

WeChat's rules (`{"rules": [{"action", "page", "params", "matching", "priority"}]}`): rules are
tried from the highest `priority` down (equal priorities in the order written) and the first rule
that matches a page decides; a page no rule matches may be shown (the implicit lowest rule is
`{"action": "allow", "page": "*"}`). Search lists pages without a query, so a rule with `params`
matches a bare page only under `matching: "exclusive"` (the page's parameters share none with
the rule's); under exact, inclusive and partial it needs parameters the page does not have.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

MAX_LISTED_PAGES = 10


@dataclass(frozen=True, kw_only=True)
class ListedPage:
    path: str
    title: str


def _int(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _rule_matches(rule: dict[str, Any], path: str) -> bool:
    page = rule.get("page", "*")
    if page != "*" and (not isinstance(page, str) or page.lstrip("/") != path):
        return False
    params = rule.get("params")
    if params:
        return bool(rule.get("matching", "inclusive") == "exclusive")
    return True


def page_allowed(rules: list[dict[str, Any]], path: str) -> bool:
    """Whether search may show `path` under `rules` (already ordered: see `ordered_rules`)."""
    for rule in rules:
        if _rule_matches(rule, path):
            return bool(rule.get("action", "allow") != "disallow")
    return True


def ordered_rules(sitemap: object) -> list[dict[str, Any]]:
    """The sitemap's rules, the first to try first: by priority, highest first, stable."""
    rules = sitemap.get("rules") if isinstance(sitemap, dict) else None
    if not isinstance(rules, list):
        return []
    valid = [rule for rule in rules if isinstance(rule, dict)]
    return sorted(valid, key=lambda rule: -_int(rule.get("priority")))


def _pages_in_app_order(manifest: dict[str, Any]) -> Iterator[str]:
    app = manifest.get("app") or {}
    yield from app.get("pages") or []
    for package in app.get("subpackages") or []:
        # The compiler lists a subpackage's pages with their root already (compiler/config.py).
        yield from package.get("pages") or []


def listed_pages(manifest: dict[str, Any]) -> tuple[ListedPage, ...]:
    """The pages of a bundle search may show, in app.json's order, at most `MAX_LISTED_PAGES`,
    each with its navigation bar title ("" if it has none)."""
    rules = ordered_rules((manifest.get("app") or {}).get("sitemap"))
    page_entries: dict[str, Any] = manifest.get("pages") or {}
    listed: list[ListedPage] = []
    for path in _pages_in_app_order(manifest):
        if len(listed) == MAX_LISTED_PAGES:
            break
        if path not in page_entries or not page_allowed(rules, path):
            continue
        title = (page_entries[path].get("config") or {}).get("navigationBarTitleText", "")
        listed.append(ListedPage(path=path, title=title if isinstance(title, str) else ""))
    return tuple(listed)
