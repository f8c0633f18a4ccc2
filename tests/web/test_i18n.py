"""The one translation table (web/shared/i18n.json) and the pages and scripts that use it.

Pure: reads files only. Every string a user reads must come from the table, in English and
Simplified Chinese, so the HTML holds no literal text and every key the code names exists.
"""

from __future__ import annotations

import ast
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "miniapp"
WEB = SRC / "web"
TABLE_PATH = WEB / "shared" / "i18n.json"
CONSOLE = WEB / "console"
UI_DIRS = ("host", "console", "shared", "runtime/container", "runtime/container/apis", "dev")
HTML_FILES = sorted(path for name in UI_DIRS for path in (WEB / name).glob("*.html"))
JS_FILES = sorted(path for name in UI_DIRS for path in (WEB / name).glob("*.js"))

PARAM = re.compile(r"\{(\w+)\}")
I18N_ATTRIBUTE = re.compile(r"^data-i18n(?:-(?:placeholder|aria-label|title))?$")
TEXT_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt", "value")
STRING_LITERAL = re.compile(r"""(["'])([a-z_]+(?:\.[a-z0-9_]+)+)\1""")
# A key built in a script from a prefix and a value (`console.version.state.${state}`): a key
# under such a prefix, one more segment long, counts as used.
TEMPLATE_KEY_PREFIX = re.compile(r"`([a-z_]+(?:\.[a-z0-9_]+)*\.)\$\{")
KEY_SEGMENT = re.compile(r"[a-z0-9_]+")
# Keys built at run time from what the server sends: error.<code>, role.<role>, field.<field>.
DYNAMIC_NAMESPACES = ("error.", "field.")
ROLES = ("admin", "developer", "operator", "analyst", "tester")
# Calls that write an entry to an organisation's audit log; their `action=` is the action.
AUDIT_WRITERS = ("do_record_audit", "AuditEvent")
# Actions the server no longer writes but older audit entries still carry.
OLD_AUDIT_ACTIONS = ("member.added",)
AUDIT_ACTION = re.compile(r"[a-z_]+\.[a-z_]+")
CLIENT_ERROR_CODES = ("network", "unexpected")
VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


@pytest.fixture(scope="module")
def table() -> dict[str, dict[str, str]]:
    return json.loads(TABLE_PATH.read_text(encoding="utf-8"))


def namespaces(table: dict[str, dict[str, str]]) -> set[str]:
    return {key.split(".", 1)[0] for key in table["en"]}


def keys_in_js(table: dict[str, dict[str, str]]) -> dict[str, set[str]]:
    """Translation keys named as string literals in each script (e.g. t("host.tab.me"))."""
    known = namespaces(table)
    found: dict[str, set[str]] = {}
    for path in JS_FILES:
        for _quote, key in STRING_LITERAL.findall(path.read_text(encoding="utf-8")):
            if key.split(".", 1)[0] in known:
                found.setdefault(key, set()).add(path.name)
    return found


class PageScan(HTMLParser):
    """Collects the i18n keys of one page and everything that would show untranslated text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.keys: set[str] = set()
        self.problems: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, marked with data-i18n)

    def where(self) -> str:
        line, _ = self.getpos()
        return f"line {line}"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.check_element(tag, dict(attrs))
        if self.stack and self.stack[-1][1]:
            self.problems.append(f"{self.where()}: <{tag}> inside a data-i18n element is replaced")
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, "data-i18n" in dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.check_element(tag, dict(attrs))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            open_tag, _marked = self.stack.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.problems.append(f"{self.where()}: literal text {data.strip()!r}")

    def check_element(self, tag: str, attrs: dict[str, str | None]) -> None:
        for name, value in attrs.items():
            if I18N_ATTRIBUTE.match(name):
                if not value:
                    self.problems.append(f"{self.where()}: empty {name}")
                else:
                    self.keys.add(value)
            if name.startswith("on"):
                self.problems.append(f"{self.where()}: inline event handler {name}")
            if name == "style":
                self.problems.append(f"{self.where()}: inline style attribute")
        for name in TEXT_ATTRIBUTES:
            value = attrs.get(name)
            localized = f"data-i18n-{name}" in attrs
            # A form value, or the number a <progress>/<meter> shows: not text to translate.
            literal_allowed = tag in ("input", "option", "progress", "meter") and name == "value"
            if value and not localized and not literal_allowed:
                self.problems.append(f"{self.where()}: literal {name}={value!r}")
        if tag == "style":
            self.problems.append(f"{self.where()}: inline <style>")
        if tag == "script" and not attrs.get("src"):
            self.problems.append(f"{self.where()}: inline <script>")


def prefixes_built_in_js() -> set[str]:
    """The key prefixes the scripts complete at run time (`category.${id}` gives category.)."""
    return {
        prefix
        for path in JS_FILES
        for prefix in TEMPLATE_KEY_PREFIX.findall(path.read_text(encoding="utf-8"))
    }


def built_at_run_time(key: str, prefixes: set[str]) -> bool:
    return any(
        key.startswith(prefix) and KEY_SEGMENT.fullmatch(key.removeprefix(prefix))
        for prefix in prefixes
    )


def action_strings(node: ast.AST) -> set[str]:
    return {
        sub.value
        for sub in ast.walk(node)
        if isinstance(sub, ast.Constant)
        and isinstance(sub.value, str)
        and AUDIT_ACTION.fullmatch(sub.value)
    }


def audit_actions_written() -> set[str]:
    """Every action passed to an audit writer anywhere under src/miniapp: a literal, a local
    variable set from literals, or a parameter of the calling function that its callers in the
    same module pass as literals. An action this cannot follow fails the test."""
    actions: set[str] = set()
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        functions = [
            node
            for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        ]
        for function in functions:
            for call in ast.walk(function):
                if not (isinstance(call, ast.Call) and _called_name(call) in AUDIT_WRITERS):
                    continue
                value = next((kw.value for kw in call.keywords if kw.arg == "action"), None)
                where = f"{path.relative_to(SRC)}:{call.lineno}"
                assert value is not None, f"{where}: an audit entry without action="
                found = _resolve_action(value, function, tree)
                if found is None:  # the writer passing its own parameter on
                    continue
                assert found, f"{where}: cannot tell which action is written"
                actions |= found
    return actions


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _resolve_action(
    value: ast.expr, function: ast.FunctionDef | ast.AsyncFunctionDef, tree: ast.Module
) -> set[str] | None:
    if not isinstance(value, ast.Name):
        return action_strings(value)
    name = value.id
    arguments = function.args
    parameters = {arg.arg for arg in arguments.posonlyargs + arguments.args + arguments.kwonlyargs}
    if name in parameters:
        if function.name in AUDIT_WRITERS:
            return None
        return {
            text
            for call in ast.walk(tree)
            if isinstance(call, ast.Call) and _called_name(call) == function.name
            for kw in call.keywords
            if kw.arg == name
            for text in action_strings(kw.value)
        }
    return {
        text
        for node in ast.walk(function)
        if isinstance(node, ast.Assign)
        and any(isinstance(target, ast.Name) and target.id == name for target in node.targets)
        for text in action_strings(node.value)
    }


def scan(path: Path) -> PageScan:
    parser = PageScan()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def test_the_ui_files_exist() -> None:
    names = {f"{path.parent.name}/{path.name}" for path in HTML_FILES + JS_FILES}
    assert {"host/index.html", "console/index.html", "shared/i18n.js", "shared/api.js"} <= names


def test_languages_have_the_same_keys(table: dict[str, dict[str, str]]) -> None:
    assert set(table) == {"en", "zh"}
    assert set(table["en"]) - set(table["zh"]) == set(), "missing in zh"
    assert set(table["zh"]) - set(table["en"]) == set(), "missing in en"


def test_translations_have_the_same_params(table: dict[str, dict[str, str]]) -> None:
    different = {
        key: (sorted(PARAM.findall(text)), sorted(PARAM.findall(table["zh"][key])))
        for key, text in table["en"].items()
        if set(PARAM.findall(text)) != set(PARAM.findall(table["zh"].get(key, "")))
    }
    assert different == {}


def test_no_empty_translations(table: dict[str, dict[str, str]]) -> None:
    empty = [
        f"{lang}:{key}"
        for lang, texts in table.items()
        for key, text in texts.items()
        if not isinstance(text, str) or not text.strip()
    ]
    assert empty == []


def test_server_error_params_are_kept(table: dict[str, dict[str, str]]) -> None:
    # The server fills these parameters; the UI translates role and field names inside them.
    expected = {
        "error.invalid_input": {"field", "reason"},
        "error.weak_password": {"min_length"},
        "error.too_many_attempts": {"retry_after"},
        "error.role_required": {"role"},
    }
    for key, params in expected.items():
        for lang in ("en", "zh"):
            assert set(PARAM.findall(table[lang][key])) == params, f"{lang}:{key}"


@pytest.mark.parametrize("path", HTML_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_html_has_no_literal_text(path: Path) -> None:
    assert scan(path).problems == []


@pytest.mark.parametrize("path", HTML_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_html_keys_exist(path: Path, table: dict[str, dict[str, str]]) -> None:
    keys = scan(path).keys
    assert keys, "a page without translated text?"
    assert sorted(keys - set(table["en"])) == []


def test_js_keys_exist(table: dict[str, dict[str, str]]) -> None:
    missing = {
        key: sorted(files) for key, files in keys_in_js(table).items() if key not in table["en"]
    }
    assert missing == {}


def test_keys_built_at_run_time_exist(table: dict[str, dict[str, str]]) -> None:
    for path in JS_FILES:
        for prefix in TEMPLATE_KEY_PREFIX.findall(path.read_text(encoding="utf-8")):
            assert any(key.startswith(prefix) for key in table["en"]), f"{path.name}: {prefix}"
    for role in ROLES:
        assert f"role.{role}" in table["en"]
    for code in CLIENT_ERROR_CODES:
        assert f"error.{code}" in table["en"]


def test_every_audit_action_is_translated(table: dict[str, dict[str, str]]) -> None:
    written = audit_actions_written()
    # The scan sees the writers of each part of the journey.
    assert {"organisation.created", "member.removed", "version.checked", "release.grey"} <= written
    actions = written | set(OLD_AUDIT_ACTIONS)
    missing = sorted(action for action in actions if f"audit.{action}" not in table["en"])
    assert missing == []
    # The console names each action's key in AUDIT_KEYS, exactly these actions.
    audit_keys = dict(
        re.findall(
            r'"([a-z_]+\.[a-z_]+)": "(audit\.[a-z_.]+)"',
            (CONSOLE / "organisation.js").read_text(encoding="utf-8"),
        )
    )
    assert set(audit_keys) == actions
    assert {key for action, key in audit_keys.items() if key != f"audit.{action}"} == set()


def keys_in_python(table: dict[str, dict[str, str]]) -> set[str]:
    """Keys the server translates itself (the small pages it renders, e.g. a code's URL that
    is not one of ours): string literals in src/miniapp naming a key."""
    keys = set(table["en"])
    return {
        node.value
        for path in sorted(SRC.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in keys
    }


def test_every_ui_key_is_used(table: dict[str, dict[str, str]]) -> None:
    used = set(keys_in_js(table)) | keys_in_python(table)
    for path in HTML_FILES:
        used |= scan(path).keys
    built = prefixes_built_in_js()
    unused = [
        key
        for key in table["en"]
        if key not in used
        and not key.startswith(DYNAMIC_NAMESPACES)
        and not built_at_run_time(key, built)
    ]
    assert unused == []


@pytest.mark.parametrize("path", JS_FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_scripts_show_no_literal_text(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert "innerHTML" not in source
    assert "insertAdjacentHTML" not in source
    assert re.findall(r"""\.textContent\s*=\s*(["'`])(?!\1)""", source) == []
    for call in ("alert(", "confirm(", "prompt("):
        assert not re.search(rf"(?<![\w.]){re.escape(call)}|window\.{re.escape(call)}", source)
