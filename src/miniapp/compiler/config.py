"""app.json, page and component .json, sitemap.json and theme.json: validated and merged.

WeChat's devtools refuse a package whose config is wrong; so do we, with the file and the line
of the offending key, and every problem at once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from miniapp.compiler.diagnostics import Diagnostics
from miniapp.compiler.sources import SourceTree, resolve_path

MAIN_PACKAGE = "__APP__"

DEFAULT_WINDOW: dict[str, Any] = {
    "navigationBarBackgroundColor": "#000000",
    "navigationBarTextStyle": "white",
    "navigationBarTitleText": "",
    "navigationStyle": "default",
    "backgroundColor": "#ffffff",
    "backgroundTextStyle": "dark",
    "enablePullDownRefresh": False,
    "onReachBottomDistance": 50,
    "pageOrientation": "portrait",
}
DEFAULT_SITEMAP: dict[str, Any] = {"rules": [{"action": "allow", "page": "*"}]}
STYLE_ISOLATIONS = (
    "isolated",
    "apply-shared",
    "shared",
    "page-isolated",
    "page-apply-shared",
    "page-shared",
)
_THEME_VARIABLE = re.compile(r"^@[A-Za-z_][\w-]*$")


@dataclass(frozen=True, kw_only=True)
class PackageSpec:
    name: str  # MAIN_PACKAGE for the main package
    root: str  # "" for the main package, else ends with "/"
    independent: bool
    pages: tuple[str, ...]


@dataclass(kw_only=True)
class AppConfig:
    app: dict[str, Any]  # normalised app.json, as the manifest carries it
    packages: list[PackageSpec]
    page_package: dict[str, str] = field(default_factory=dict)  # page path -> package name

    def package_for_file(self, path: str) -> PackageSpec:
        """The package a file belongs to: the subpackage whose root holds it, else main."""
        for package in self.packages:
            if package.root and path.startswith(package.root):
                return package
        return self.packages[0]


def key_position(text: str, key: str) -> tuple[int, int]:
    """Line and column of the first `"key"` in a JSON text (0, 0 if absent): good enough to point
    a developer at the offending entry without a position-keeping JSON parser."""
    index = text.find(json.dumps(key))
    if index < 0:
        return 0, 0
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def load_json_object(
    tree: SourceTree, path: str, diagnostics: Diagnostics, *, invalid_code: str
) -> tuple[dict[str, Any], str] | None:
    """The file's JSON object and its text, or None after reporting why not."""
    text = tree.text(path, diagnostics)
    if text is None:
        return None
    try:
        loaded = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        diagnostics.error(
            "JSON_SYNTAX", path, f"not valid JSON: {exc.msg}", line=exc.lineno, column=exc.colno
        )
        return None
    if not isinstance(loaded, dict):
        diagnostics.error(invalid_code, path, "must be a JSON object", line=1, column=1)
        return None
    return loaded, text


class _Checker:
    """Reports type errors for keys of one JSON file, pointing at the key's line."""

    def __init__(self, diagnostics: Diagnostics, path: str, text: str, code: str) -> None:
        self.diagnostics = diagnostics
        self.path = path
        self.text = text
        self.code = code

    def fail(self, key: str, message: str, *, code: str | None = None) -> None:
        line, column = key_position(self.text, key)
        self.diagnostics.error(code or self.code, self.path, message, line=line, column=column)

    def expect(self, data: dict[str, Any], key: str, kind: type, what: str) -> bool:
        if key not in data:
            return True
        value = data[key]
        # JSON true is a Python int too; a number field must not accept it.
        if isinstance(value, kind) and (kind is bool or not isinstance(value, bool)):
            return True
        self.fail(key, f'"{key}" must be {what}')
        return False

    def string_map(self, data: dict[str, Any], key: str) -> dict[str, str]:
        value = data.get(key, {})
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            self.fail(key, f'"{key}" must map names to path strings')
            return {}
        return value


def _page_exists(tree: SourceTree, page: str) -> bool:
    return tree.has(page + ".js") and tree.has(page + ".wxml")


def _check_pages(
    checker: _Checker, tree: SourceTree, *, pages: Any, key: str, root: str, seen: set[str]
) -> list[str]:
    if not isinstance(pages, list) or not all(isinstance(p, str) and p for p in pages):
        checker.fail(key, f'"{key}" must be a list of page paths')
        return []
    result: list[str] = []
    for page in pages:
        full = (root + page.lstrip("/")).removesuffix(".js")
        if full in seen:
            checker.fail(page, f'page "{full}" is listed twice', code="PAGE_DUPLICATE")
            continue
        seen.add(full)
        if not _page_exists(tree, full):
            missing = [ext for ext in (".js", ".wxml") if not tree.has(full + ext)]
            checker.fail(
                page, f'page "{full}" has no {" or ".join(missing)} file', code="PAGE_NOT_FOUND"
            )
        result.append(full)
    return result


def _subpackages(
    checker: _Checker, tree: SourceTree, app: dict[str, Any], seen: set[str]
) -> list[PackageSpec]:
    key = "subpackages" if "subpackages" in app else "subPackages"
    entries = app.get(key, [])
    if not isinstance(entries, list):
        checker.fail(key, f'"{key}" must be a list', code="SUBPACKAGE_INVALID")
        return []
    packages: list[PackageSpec] = []
    for entry in entries:
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("root"), str)
            or not entry["root"].strip("/")
        ):
            checker.fail(key, 'each subpackage needs a "root" folder', code="SUBPACKAGE_INVALID")
            continue
        root = entry["root"].strip("/") + "/"
        name = entry.get("name") if isinstance(entry.get("name"), str) else root.rstrip("/")
        clash = next(
            (p for p in packages if root.startswith(p.root) or p.root.startswith(root)), None
        )
        if clash is not None or name == MAIN_PACKAGE or any(p.name == name for p in packages):
            checker.fail(
                entry["root"],
                f'subpackage root "{root}" is nested in, equal to or named like another package',
                code="SUBPACKAGE_INVALID",
            )
            continue
        pages = _check_pages(
            checker, tree, pages=entry.get("pages", []), key=entry["root"], root=root, seen=seen
        )
        packages.append(
            PackageSpec(
                name=str(name),
                root=root,
                independent=entry.get("independent") is True,
                pages=tuple(pages),
            )
        )
    return packages


def _uses_theme(value: Any) -> bool:
    if isinstance(value, str):
        return bool(_THEME_VARIABLE.match(value))
    if isinstance(value, dict):
        return any(_uses_theme(v) for v in value.values())
    if isinstance(value, list):
        return any(_uses_theme(v) for v in value)
    return False


def _theme(
    checker: _Checker, tree: SourceTree, app: dict[str, Any], diagnostics: Diagnostics
) -> dict[str, Any] | None:
    location = app.get("themeLocation")
    if location is None:
        if _uses_theme({k: app.get(k) for k in ("window", "tabBar")}):
            checker.fail(
                "window", '@variables need "themeLocation" and a theme.json', code="THEME_INVALID"
            )
        return None
    path = resolve_path("app.json", location) if isinstance(location, str) else None
    if path is None or not tree.has(path):
        checker.fail(
            "themeLocation", f'theme file "{location}" does not exist', code="THEME_INVALID"
        )
        return None
    loaded = load_json_object(tree, path, diagnostics, invalid_code="THEME_INVALID")
    if loaded is None:
        return None
    theme, text = loaded
    for mode in ("light", "dark"):
        if mode in theme and not isinstance(theme[mode], dict):
            _Checker(diagnostics, path, text, "THEME_INVALID").fail(
                mode, f'"{mode}" must be an object'
            )
    return theme


def _sitemap(
    checker: _Checker, tree: SourceTree, app: dict[str, Any], diagnostics: Diagnostics
) -> dict[str, Any]:
    location = app.get("sitemapLocation", "sitemap.json")
    path = resolve_path("app.json", location) if isinstance(location, str) else None
    if path is None or not tree.has(path):
        if "sitemapLocation" in app:
            checker.fail(
                "sitemapLocation", f'sitemap "{location}" does not exist', code="SITEMAP_INVALID"
            )
        return DEFAULT_SITEMAP
    loaded = load_json_object(tree, path, diagnostics, invalid_code="SITEMAP_INVALID")
    if loaded is None:
        return DEFAULT_SITEMAP
    sitemap, text = loaded
    sitemap_checker = _Checker(diagnostics, path, text, "SITEMAP_INVALID")
    rules = sitemap.get("rules", [])
    valid = isinstance(rules, list) and all(
        isinstance(rule, dict)
        and rule.get("action", "allow") in ("allow", "disallow")
        and isinstance(rule.get("page", ""), str)
        and rule.get("matching", "inclusive") in ("exact", "inclusive", "exclusive", "partial")
        for rule in rules
    )
    if not valid:
        sitemap_checker.fail("rules", 'each rule needs "action" allow|disallow and a "page"')
        return DEFAULT_SITEMAP
    return sitemap


def _tab_bar(
    checker: _Checker, tree: SourceTree, app: dict[str, Any], main_pages: list[str]
) -> None:
    tab_bar = app.get("tabBar")
    if tab_bar is None:
        return
    items = tab_bar.get("list") if isinstance(tab_bar, dict) else None
    if not isinstance(items, list) or not 2 <= len(items) <= 5:
        checker.fail("tabBar", '"tabBar.list" must have 2 to 5 items', code="TABBAR_INVALID")
        return
    if tab_bar.get("position", "bottom") not in ("bottom", "top"):
        checker.fail(
            "position", '"tabBar.position" must be "bottom" or "top"', code="TABBAR_INVALID"
        )
    for item in items:
        page = item.get("pagePath") if isinstance(item, dict) else None
        if not isinstance(page, str) or page.lstrip("/") not in main_pages:
            checker.fail(
                str(page) if page else "list",
                f'tab page "{page}" must be a page of the main package',
                code="TABBAR_INVALID",
            )
            continue
        for icon_key in ("iconPath", "selectedIconPath"):
            icon = item.get(icon_key)
            if icon is None or (isinstance(icon, str) and _THEME_VARIABLE.match(icon)):
                continue
            icon_path = resolve_path("app.json", icon) if isinstance(icon, str) else None
            if icon_path is None or not tree.has(icon_path):
                checker.fail(str(icon), f'tab icon "{icon}" does not exist', code="ASSET_NOT_FOUND")


def _check_app_keys(checker: _Checker, app: dict[str, Any]) -> None:
    for key, kinds, what in (
        ("window", dict, "an object"),
        ("networkTimeout", dict, "an object of milliseconds"),
        ("permission", dict, "an object"),
        ("requiredPrivateInfos", list, "a list of API names"),
        ("lazyCodeLoading", str, '"requiredComponents"'),
        ("style", str, '"v2"'),
        ("preloadRule", dict, "an object"),
        ("entryPagePath", str, "a page path"),
        ("darkmode", bool, "true or false"),
    ):
        checker.expect(app, key, kinds, what)
    timeouts = app.get("networkTimeout")
    if isinstance(timeouts, dict):
        for name, value in timeouts.items():
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                checker.fail(name, f'"networkTimeout.{name}" must be a positive number of ms')


def _preload_rule(
    checker: _Checker, app: dict[str, Any], subpackages: list[PackageSpec], pages: dict[str, str]
) -> None:
    preload = app.get("preloadRule")
    if not isinstance(preload, dict):
        return
    names = {p.name for p in subpackages} | {p.root.rstrip("/") for p in subpackages}
    for page, rule in preload.items():
        wanted = rule.get("packages") if isinstance(rule, dict) else None
        if (
            page.lstrip("/") not in pages
            or not isinstance(wanted, list)
            or not all(w in names or w == MAIN_PACKAGE for w in wanted)
        ):
            checker.fail(page, f'preloadRule "{page}" must name a page and known subpackages')


def load_app_config(tree: SourceTree, diagnostics: Diagnostics) -> AppConfig | None:
    """Validate app.json and what it names; None if the app cannot be compiled at all."""
    if not tree.has("app.json"):
        diagnostics.error("APP_JSON_MISSING", "app.json", "every mini program needs an app.json")
        return None
    if not tree.has("app.js"):
        diagnostics.error("APP_JS_MISSING", "app.js", "every mini program needs an app.js")
    loaded = load_json_object(tree, "app.json", diagnostics, invalid_code="APP_JSON_INVALID")
    if loaded is None:
        return None
    app, text = loaded
    checker = _Checker(diagnostics, "app.json", text, "APP_JSON_INVALID")
    seen: set[str] = set()
    if "pages" not in app:
        checker.fail("pages", '"pages" is required', code="APP_JSON_INVALID")
    main_pages = _check_pages(
        checker, tree, pages=app.get("pages", []), key="pages", root="", seen=seen
    )
    if "pages" in app and not main_pages and isinstance(app["pages"], list) and not app["pages"]:
        checker.fail("pages", '"pages" must list at least one page')
    _check_app_keys(checker, app)
    checker.string_map(app, "usingComponents")
    subpackages = _subpackages(checker, tree, app, seen)
    packages = [
        PackageSpec(name=MAIN_PACKAGE, root="", independent=False, pages=tuple(main_pages)),
        *subpackages,
    ]
    all_pages = {page: package.name for package in packages for page in package.pages}
    entry = app.get("entryPagePath")
    if isinstance(entry, str) and entry.lstrip("/") not in all_pages:
        checker.fail("entryPagePath", f'entry page "{entry}" is not a listed page')
    _preload_rule(checker, app, subpackages, all_pages)
    _tab_bar(checker, tree, app, main_pages)
    theme = _theme(checker, tree, app, diagnostics)
    sitemap = _sitemap(checker, tree, app, diagnostics)
    normalised = {k: v for k, v in app.items() if k != "subPackages"}
    normalised["pages"] = main_pages
    normalised["window"] = (
        {**DEFAULT_WINDOW, **(app.get("window") or {})}
        if isinstance(app.get("window", {}), dict)
        else dict(DEFAULT_WINDOW)
    )
    normalised["subpackages"] = [
        {"root": p.root, "name": p.name, "pages": list(p.pages), "independent": p.independent}
        for p in subpackages
    ]
    normalised["entryPagePath"] = (
        entry.lstrip("/") if isinstance(entry, str) else (main_pages[0] if main_pages else "")
    )
    normalised["theme"] = theme
    normalised["sitemap"] = sitemap
    return AppConfig(app=normalised, packages=packages, page_package=all_pages)


def load_component_config(
    tree: SourceTree, path: str, diagnostics: Diagnostics, *, is_component: bool
) -> dict[str, Any]:
    """A page's or component's .json (empty if absent), its keys checked."""
    json_path = path + ".json"
    if not tree.has(json_path):
        return {}
    loaded = load_json_object(tree, json_path, diagnostics, invalid_code="PAGE_JSON_INVALID")
    if loaded is None:
        return {}
    config, text = loaded
    checker = _Checker(diagnostics, json_path, text, "PAGE_JSON_INVALID")
    checker.string_map(config, "usingComponents")
    checker.expect(config, "component", bool, "true or false")
    checker.expect(config, "externalClasses", list, "a list of class names")
    checker.expect(config, "componentPlaceholder", dict, "an object")
    isolation = config.get("styleIsolation")
    if isolation is not None and isolation not in STYLE_ISOLATIONS:
        checker.fail(
            "styleIsolation", f'"styleIsolation" must be one of {", ".join(STYLE_ISOLATIONS)}'
        )
    for key, kinds, what in (
        ("navigationBarTitleText", str, "a string"),
        ("enablePullDownRefresh", bool, "true or false"),
        ("disableScroll", bool, "true or false"),
        ("onReachBottomDistance", int, "a number"),
    ):
        checker.expect(config, key, kinds, what)
    return config


def page_window(app: AppConfig, page_config: dict[str, Any]) -> dict[str, Any]:
    """The page's effective window settings: app.json's window, then the page's own keys."""
    own = {k: v for k, v in page_config.items() if k not in ("usingComponents", "component")}
    return {**app.app["window"], **own}
