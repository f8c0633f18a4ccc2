"""Compile errors: every problem found in a package, each with a stable code and a position.

A compiler stage never raises on bad input: it reports a `Diagnostic` to the `Diagnostics`
collector and carries on where it can, so the developer sees every error at once. A bundle is
written only when no error was reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Every code the compiler can report, with a one-line meaning. Tests assert that each code has a
# test that triggers it (tests/compiler/test_error_codes.py), so keep this list exact.
CODES: dict[str, str] = {
    # Reading the project
    "PROJECT_NOT_FOUND": "the project folder or zip does not exist",
    "PROJECT_CONFIG_INVALID": "project.config.json is not valid",
    "ZIP_INVALID": "the zip file cannot be read",
    "ZIP_UNSAFE_PATH": "a zip entry's path escapes the project (.., absolute, drive letter)",
    "ZIP_SYMLINK": "a zip entry is a symbolic link",
    "ZIP_TOO_MANY_FILES": "the zip holds more files than allowed",
    "ZIP_TOO_LARGE": "the zip's files uncompress to more than allowed",
    "TEXT_NOT_UTF8": "a source file is not valid UTF-8",
    # Configuration
    "JSON_SYNTAX": "a JSON file does not parse",
    "APP_JSON_MISSING": "app.json is missing",
    "APP_JSON_INVALID": "a key of app.json has a wrong type or value",
    "APP_JS_MISSING": "app.js is missing",
    "PAGE_NOT_FOUND": "a page listed in app.json has no .js or .wxml file",
    "PAGE_DUPLICATE": "a page is listed twice",
    "PAGE_JSON_INVALID": "a page's or component's .json has a wrong type or value",
    "SUBPACKAGE_INVALID": "a subpackage entry is wrong (root missing, nested roots, duplicate)",
    "TABBAR_INVALID": "tabBar is wrong (item count, page not in main package, icon missing)",
    "SITEMAP_INVALID": "sitemap.json is wrong",
    "THEME_INVALID": "theme.json is missing or wrong where app.json uses @variables",
    # Components
    "COMPONENT_NOT_FOUND": "a usingComponents path does not resolve to a component",
    "COMPONENT_NOT_DECLARED": 'a usingComponents target\'s .json lacks "component": true',
    "COMPONENT_PLUGIN_UNSUPPORTED": "plugin:// components are not supported",
    "PACKAGE_CROSS_REFERENCE": "a file uses code, templates or components of another subpackage",
    # WXML
    "WXML_SYNTAX": "WXML does not parse (bad tag, attribute or entity)",
    "WXML_UNCLOSED_TAG": "a tag is opened and never closed",
    "WXML_UNEXPECTED_CLOSE_TAG": "a closing tag matches no open tag",
    "WXML_UNTERMINATED_BINDING": "{{ without a matching }}",
    "WXML_EXPRESSION_SYNTAX": "an expression inside {{ }} does not parse",
    "WXML_UNSUPPORTED_EXPRESSION": "an expression uses what WXML forbids (assignment, new, arrow)",
    "WXML_ELSE_WITHOUT_IF": "wx:elif or wx:else does not follow a wx:if or wx:elif sibling",
    "WXML_TEMPLATE_NOT_FOUND": "<template is> names a template not visible in this file",
    "WXML_TEMPLATE_DUPLICATE": "two templates with one name in one file",
    "WXML_IMPORT_NOT_FOUND": "<import src> or <include src> names a missing file",
    "WXML_INCLUDE_CYCLE": "files include each other in a cycle",
    "WXML_WXS_NOT_FOUND": "<wxs src> names a missing .wxs file",
    "WXML_WXS_DUPLICATE_MODULE": "two <wxs> modules with one name in one file",
    "WXML_WXS_INVALID": "a <wxs> tag lacks module, or has both src and inline code",
    "WXML_MODEL_NOT_PATH": "model: binds something other than a plain data path",
    "WXML_BAD_DIRECTIVE": "a wx: attribute is unknown or has a bad value",
    # WXSS
    "WXSS_SYNTAX": "WXSS does not parse",
    "WXSS_IMPORT_NOT_FOUND": "@import names a missing file",
    "WXSS_IMPORT_CYCLE": "files @import each other in a cycle",
    # JS and WXS
    "JS_SYNTAX": "JavaScript does not parse",
    "JS_REQUIRE_NOT_FOUND": "require() names a module that does not exist",
    "WXS_SYNTAX": "WXS does not parse",
    "WXS_REQUIRE_INVALID": "WXS require() must name a relative .wxs file that exists",
    # Assets and limits
    "ASSET_NOT_FOUND": "a local image or file referenced by config does not exist",
    "SIZE_LIMIT": "a package or the whole app is larger than the limit",
    "INTERNAL_ERROR": "the compiler failed on this file; please report it",
}


@dataclass(frozen=True, order=True, kw_only=True)
class Diagnostic:
    """One problem. `file` is relative to the mini-program root; line and column count from 1."""

    file: str
    line: int = 0
    column: int = 0
    code: str
    message: str

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown diagnostic code {self.code!r}")

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        return f"{self.code} {where} {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class Diagnostics:
    """Collects diagnostics from every stage; sorted by file, line, column when read."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, code: str, file: str, message: str, *, line: int = 0, column: int = 0) -> None:
        self.items.append(
            Diagnostic(code=code, file=file, line=line, column=column, message=message)
        )

    def extend(self, other: Diagnostics) -> None:
        self.items.extend(other.items)

    @property
    def ok(self) -> bool:
        return not self.items

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.items))

    def codes(self) -> list[str]:
        return sorted({item.code for item in self.items})


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset in `text`."""
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1
