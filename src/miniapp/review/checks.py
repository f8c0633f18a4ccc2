"""The automated checks a version goes through before a reviewer sees it (release-journey.md §4).

Pure: the uploaded package's bytes, the app's profile and the settings in, findings out (no
database, no network). Each finding names the file and the line it is about; line 0 and file
"app.json" when it is about the app as a whole. A finding of severity "error" sends the version
back to the developer (`automated_checks_failed`); warnings are for the reviewer's eye.

The checks, each a `check` name on its findings:
- `compile`: the package compiles within the size limits (the compiler's diagnostics);
- `pages`: every page app.json lists (subpackages too) exists and compiles;
- `navigation`: every literal `<navigator url>` and `wx.navigateTo / redirectTo / reLaunch /
  switchTab({url})` points to a page of the app (query strings stripped; urls built at run time
  are not checked);
- `apis`: only `wx.*` APIs the runtime provides (runtime_apis.py reads them from the runtime);
- `domains`: every network domain the code names is registered for the app;
- `profile`: description and category filled, the category's permits uploaded;
- `content`: WXML text, JSON string values and JS string literals pass the word list
  (content_security.py, the checker the open API's msg_sec_check uses too);
- `images`: every image within `Settings.review_image_bytes` (a warning), and none matching the
  image hash list (content_security.py, as img_sec_check).
"""

from __future__ import annotations

import bisect
import enum
import json
import posixpath
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tree_sitter_javascript
from tree_sitter import Language, Node, Query, QueryCursor

from miniapp.apps.models import App
from miniapp.compiler.build import Limits, compile_tree
from miniapp.compiler.config import AppConfig, load_app_config
from miniapp.compiler.diagnostics import Diagnostics
from miniapp.compiler.javascript import javascript_parser
from miniapp.compiler.project import read_project
from miniapp.compiler.sources import SourceTree
from miniapp.compiler.wxml_parser import Binding, Element, Text, parse_wxml
from miniapp.compiler.wxml_parser import Node as WxmlNode
from miniapp.review.content_security import (
    ImageHashList,
    ImageProblem,
    WordList,
    frame_hashes,
    image_hash_list,
    word_list,
)
from miniapp.review.runtime_apis import runtime_apis
from miniapp.settings import Settings

# A package with thousands of problems is rejected all the same; the list stays readable.
MAX_FINDINGS = 500
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg"})
NAVIGATION_APIS = ("navigateTo", "redirectTo", "reLaunch", "switchTab")
# Navigator open-types that name no page of this app.
NAVIGATOR_WITHOUT_PAGE = frozenset({"navigateBack", "exit"})
APP_WIDE = "app.json"


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Check(enum.StrEnum):
    COMPILE = "compile"
    PAGES = "pages"
    NAVIGATION = "navigation"
    APIS = "apis"
    DOMAINS = "domains"
    PROFILE = "profile"
    CONTENT = "content"
    IMAGES = "images"


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One problem: `file` is relative to the mini program's root; `line` counts from 1 (0: the
    file, or the app, as a whole)."""

    check: Check
    severity: Severity
    file: str
    line: int
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "check": self.check.value,
            "severity": self.severity.value,
            "file": self.file,
            "line": self.line,
            "message": self.message,
        }


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(finding.severity is Severity.ERROR for finding in findings)


# -- the entry point -------------------------------------------------------------------------------


def run_checks(
    *,
    package_zip: bytes,
    app: App,
    settings: Settings,
    permits_missing: Sequence[str] = (),
    limits: Limits | None = None,
) -> list[Finding]:
    """Every automated check on the uploaded package `package_zip` of `app`.

    `permits_missing` lists the permits the app's category requires that are not uploaded
    (the caller reads them: apps/categories.permits_missing_from). `limits` are the compiler's
    (its defaults, the ones an upload is held to, unless given). Findings come in the order of
    the checks, each check's sorted by file and line; at most MAX_FINDINGS of them.
    """
    findings: list[Finding] = []
    findings += _profile(app, permits_missing=permits_missing)
    diagnostics = Diagnostics()
    with tempfile.TemporaryDirectory(prefix="miniapp-review-") as folder:
        package = Path(folder) / "package.zip"
        package.write_bytes(package_zip)
        project = read_project(package, diagnostics, limits=(limits or Limits()).read)
    if project is None:
        findings += [
            Finding(
                check=Check.COMPILE,
                severity=Severity.ERROR,
                file=item.file,
                line=item.line,
                message=f"{item.code}: {item.message}",
            )
            for item in diagnostics.sorted()
        ]
        return _bounded(findings)
    tree = project.tree
    config = load_app_config(tree, Diagnostics())
    pages = {page for package in config.packages for page in package.pages} if config else set()
    result = compile_tree(tree, limits=limits)
    findings += _compile(result.diagnostics, pages=pages)
    findings += _window_title(tree, config)
    findings += _navigation(tree, pages)
    findings += _apis(result.report.get("apis", {}))
    findings += _domains(tree, result.report.get("domains", {}), app=app)
    findings += _content(tree, words=word_list(settings.review_word_list))
    findings += _images(
        tree,
        max_bytes=settings.review_image_bytes,
        hashes=image_hash_list(settings.review_image_hash_list),
    )
    return _bounded(findings)


def _bounded(findings: list[Finding]) -> list[Finding]:
    if len(findings) <= MAX_FINDINGS:
        return findings
    kept = findings[: MAX_FINDINGS - 1]
    left = len(findings) - len(kept)
    worst = Severity.ERROR if has_errors(findings[len(kept) :]) else Severity.WARNING
    last = findings[len(kept)]
    return [
        *kept,
        Finding(
            check=last.check,
            severity=worst,
            file=APP_WIDE,
            line=0,
            message=f"{left} more findings are not listed",
        ),
    ]


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.file, f.line, f.message))


# -- 1, 2: the compile and the pages ---------------------------------------------------------------


def _compile(diagnostics: Sequence[Any], *, pages: set[str]) -> list[Finding]:
    """The compiler's diagnostics as errors: about a page's own files under `pages`."""
    findings = []
    for item in diagnostics:
        stem = posixpath.splitext(item.file)[0]
        about_page = item.code == "PAGE_NOT_FOUND" or stem in pages
        findings.append(
            Finding(
                check=Check.PAGES if about_page else Check.COMPILE,
                severity=Severity.ERROR,
                file=item.file,
                line=item.line,
                message=f"{item.code}: {item.message}",
            )
        )
    return findings


def _window_title(tree: SourceTree, config: AppConfig | None) -> list[Finding]:
    if config is None:
        return []
    window = config.app.get("window")
    title = window.get("navigationBarTitleText") if isinstance(window, dict) else None
    if isinstance(title, str) and title.strip():
        return []
    return [
        Finding(
            check=Check.PROFILE,
            severity=Severity.WARNING,
            file=APP_WIDE,
            line=0,
            message="app.json sets no window.navigationBarTitleText: pages show an empty title",
        )
    ]


# -- 3: navigation targets -------------------------------------------------------------------------

_JS_LANGUAGE = Language(tree_sitter_javascript.language())
_NAVIGATION_QUERY = Query(
    _JS_LANGUAGE,
    """
    (call_expression
      function: (member_expression
        object: (identifier) @object
        property: (property_identifier) @method)
      arguments: (arguments . (object) @options)
      (#eq? @object "wx")
      (#any-of? @method """
    + " ".join(f'"{name}"' for name in NAVIGATION_APIS)
    + "))",
)
_STRINGS_QUERY = Query(_JS_LANGUAGE, "(string) @string (template_string) @template")
_JS_ESCAPE = re.compile(r"\\(u\{[0-9A-Fa-f]{1,6}\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|\n|[\s\S])")
_JS_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def _js_unescape(match: re.Match[str]) -> str:
    body = match.group(1)
    if body[0] in "ux" and len(body) > 1:
        code = int(body.strip("ux{}"), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    if body == "\n":
        return ""  # a line continuation
    return _JS_SIMPLE_ESCAPES.get(body, body)


def _node_text(node: Node | None) -> str:
    return (node.text or b"").decode("utf-8", errors="replace") if node is not None else ""


def _literal(node: Node | None) -> str | None:
    """The value of a string literal, or of a template string without substitutions."""
    if node is None or node.type not in ("string", "template_string"):
        return None
    if any(child.type == "template_substitution" for child in node.named_children):
        return None
    return _JS_ESCAPE.sub(_js_unescape, _node_text(node)[1:-1])


def _target_page(url: str, *, from_file: str) -> str | None:
    """The page path `url` names, relative urls resolved against `from_file`'s folder, query
    and fragment stripped; None when there is no path to check."""
    path = url.split("?", 1)[0].split("#", 1)[0].strip()
    if not path:
        return None
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(from_file), path)
    return posixpath.normpath(joined)


def _navigation_finding(
    url: str, *, file: str, line: int, pages: set[str], what: str
) -> Finding | None:
    stem = posixpath.splitext(file)[0]
    # A relative url is relative to the page showing it: known for a page's own files only (a
    # component or a template can be shown by pages in other folders).
    if not url.startswith("/") and stem not in pages:
        return None
    target = _target_page(url, from_file=file)
    if target is None or target in pages:
        return None
    return Finding(
        check=Check.NAVIGATION,
        severity=Severity.ERROR,
        file=file,
        line=line,
        message=f'{what} url "{url}" names no page of this app ({target})',
    )


def _navigation(tree: SourceTree, pages: set[str]) -> list[Finding]:
    findings: list[Finding] = []
    for path in tree.paths():
        if path.endswith(".wxml"):
            text = tree.text(path, Diagnostics())
            if text is None:
                continue
            document = parse_wxml(text, path, Diagnostics())
            for element in document.elements:
                url = _navigator_url(element)
                if url is not None:
                    found = _navigation_finding(
                        url, file=path, line=element.line, pages=pages, what="<navigator>"
                    )
                    if found is not None:
                        findings.append(found)
        elif path.endswith(".js"):
            root = _parse_js(tree, path)
            if root is None:
                continue
            for _, captures in QueryCursor(_NAVIGATION_QUERY).matches(root):
                [method] = captures["method"]
                [options] = captures["options"]
                url_node = _url_value(options)
                url = _literal(url_node)
                if url is None or url_node is None:
                    continue
                found = _navigation_finding(
                    url,
                    file=path,
                    line=url_node.start_point.row + 1,
                    pages=pages,
                    what=f"wx.{_node_text(method)}",
                )
                if found is not None:
                    findings.append(found)
    return _sorted(findings)


def _navigator_url(element: Element) -> str | None:
    """A `<navigator>`'s literal url to a page of this app, if it has one."""
    if element.tag != "navigator":
        return None
    target = element.attribute("target")
    if target is not None and target.parts and "miniProgram" in target.parts:
        return None
    open_type = element.attribute("open-type")
    if open_type is not None and any(
        isinstance(part, str) and part in NAVIGATOR_WITHOUT_PAGE for part in open_type.parts or []
    ):
        return None
    url = element.attribute("url")
    if url is None or not url.parts or any(isinstance(part, Binding) for part in url.parts):
        return None
    return "".join(part for part in url.parts if isinstance(part, str))


def _url_value(options: Node) -> Node | None:
    for pair in options.named_children:
        if pair.type != "pair":
            continue
        key = pair.child_by_field_name("key")
        name = _node_text(key)
        if key is not None and key.type == "string":
            name = name[1:-1]
        if name == "url":
            return pair.child_by_field_name("value")
    return None


def _parse_js(tree: SourceTree, path: str) -> Node | None:
    cache = tree.memo("review.js")
    if path not in cache:
        text = tree.text(path, Diagnostics())
        cache[path] = None if text is None else javascript_parser().parse(text.encode()).root_node
    root: Node | None = cache[path]
    return root


# -- 4: supported APIs -----------------------------------------------------------------------------


def _position(raw: str) -> tuple[str, int]:
    """("file", line) of the compiler report's "file:line:column"."""
    file, line, _column = raw.rsplit(":", 2)
    return file, int(line)


def _apis(used: dict[str, list[str]]) -> list[Finding]:
    provided = runtime_apis()
    findings: list[Finding] = []
    for name, positions in used.items():
        if name in provided.supported:
            continue
        if name in provided.not_yet:
            severity = Severity.WARNING
            message = f"wx.{name} is not provided by this platform yet: calls fail as unsupported"
        else:
            severity = Severity.ERROR
            message = f"wx.{name} is not an API this platform provides"
        for raw in positions:
            file, line = _position(raw)
            findings.append(
                Finding(check=Check.APIS, severity=severity, file=file, line=line, message=message)
            )
    return _sorted(findings)


# -- 5: network domains ----------------------------------------------------------------------------


def _host(entry: str) -> str:
    return entry.rsplit(":", 1)[0] if ":" in entry else entry


def _domains(tree: SourceTree, named: dict[str, list[str]], *, app: App) -> list[Finding]:
    """Each domain in the code against the app's registered domains of its kind: ws:// and
    wss:// urls against the socket domains, any other against request, upload and download."""
    socket = {_host(entry) for entry in app.socket_domains or []}
    http = {
        _host(entry)
        for entry in [
            *(app.request_domains or []),
            *(app.upload_domains or []),
            *(app.download_domains or []),
        ]
    }
    findings: list[Finding] = []
    for domain, positions in named.items():
        for raw in positions:
            file, line, column = raw.rsplit(":", 2)
            is_socket = _is_socket_url(tree, file, int(line), int(column))
            if domain in (socket if is_socket else http):
                continue
            kind = "socket" if is_socket else "request"
            findings.append(
                Finding(
                    check=Check.DOMAINS,
                    severity=Severity.ERROR,
                    file=file,
                    line=int(line),
                    message=f'the domain "{domain}" is not registered as a {kind} domain',
                )
            )
    return _sorted(findings)


def _is_socket_url(tree: SourceTree, file: str, line: int, column: int) -> bool:
    if not tree.has(file):
        return False
    text = tree.text(file, Diagnostics()) or ""
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        return False
    return lines[line - 1][column - 1 :].lower().startswith(("ws://", "wss://"))


# -- 6: the profile --------------------------------------------------------------------------------


def _profile(app: App, *, permits_missing: Sequence[str]) -> list[Finding]:
    def error(message: str) -> Finding:
        return Finding(
            check=Check.PROFILE, severity=Severity.ERROR, file=APP_WIDE, line=0, message=message
        )

    findings = []
    if not app.name.strip():
        findings.append(error("the app has no name"))
    if not app.description.strip():
        findings.append(error("the app's profile has no description"))
    if not app.category:
        findings.append(error("the app's profile names no service category"))
    for permit in permits_missing:
        findings.append(error(f'the category "{app.category}" needs the permit "{permit}"'))
    return findings


# -- 7: content security ---------------------------------------------------------------------------


def _content(tree: SourceTree, *, words: WordList) -> list[Finding]:
    if words.pattern is None:
        return []
    findings: list[Finding] = []
    for path in tree.paths():
        extension = posixpath.splitext(path)[1]
        if extension == ".wxml":
            texts = _wxml_texts(tree, path)
        elif extension == ".json":
            texts = _json_texts(tree, path)
        elif extension == ".js":
            texts = _js_texts(tree, path)
        else:
            continue
        for line, text in texts:
            word = words.find(text)
            if word is not None:
                findings.append(
                    Finding(
                        check=Check.CONTENT,
                        severity=Severity.ERROR,
                        file=path,
                        line=line,
                        message=f'the text contains "{word}", which the content rules forbid',
                    )
                )
    return findings


def _lines_of(text: str, first_line: int) -> Iterator[tuple[int, str]]:
    for index, line in enumerate(text.split("\n")):
        if line.strip():
            yield first_line + index, line


def _wxml_texts(tree: SourceTree, path: str) -> Iterator[tuple[int, str]]:
    text = tree.text(path, Diagnostics())
    if text is None:
        return
    document = parse_wxml(text, path, Diagnostics())
    stack: list[WxmlNode] = list(reversed(document.children))
    while stack:
        node = stack.pop()
        if isinstance(node, Element):
            if node.tag != "wxs":
                stack.extend(reversed(node.children))
        elif isinstance(node, Text):
            line = node.line
            for part in node.parts:
                if isinstance(part, Binding):
                    line += document.text.count("\n", part.start, part.end)
                else:
                    yield from _lines_of(part, line)
                    line += part.count("\n")


_JSON_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_NEXT_TOKEN = re.compile(r"\s*(.)", re.DOTALL)


def _json_texts(tree: SourceTree, path: str) -> Iterator[tuple[int, str]]:
    """Each string value of a JSON file (not its keys), with its line."""
    text = tree.text(path, Diagnostics())
    if text is None:
        return
    line_starts = [0, *(match.end() for match in re.finditer("\n", text))]
    for match in _JSON_STRING.finditer(text):
        following = _NEXT_TOKEN.match(text, match.end())
        if following is not None and following.group(1) == ":":
            continue  # a key
        try:
            value = json.loads(match.group(0))
        except ValueError:
            continue
        if isinstance(value, str) and value.strip():
            yield bisect.bisect_right(line_starts, match.start()), value


def _js_texts(tree: SourceTree, path: str) -> Iterator[tuple[int, str]]:
    """Each string literal of a JS file (a template string's literal parts), with its line."""
    root = _parse_js(tree, path)
    if root is None:
        return
    captures = QueryCursor(_STRINGS_QUERY).captures(root)
    for node in captures.get("string", []):
        value = _literal(node)
        if value:
            yield node.start_point.row + 1, value
    for node in captures.get("template", []):
        for fragment in node.named_children:
            if fragment.type == "string_fragment":
                raw = _JS_ESCAPE.sub(_js_unescape, _node_text(fragment))
                yield from _lines_of(raw, fragment.start_point.row + 1)


# -- 8: images -------------------------------------------------------------------------------------


# Package images are held to the image hash list at any size a phone can show.
REVIEW_IMAGE_FORMATS = ("PNG", "JPEG", "GIF", "WEBP", "BMP")
REVIEW_IMAGE_SIDE = 4096


def _images(tree: SourceTree, *, max_bytes: int, hashes: ImageHashList) -> list[Finding]:
    findings = []
    for path in tree.paths():
        extension = posixpath.splitext(path)[1].lower()
        if extension not in IMAGE_EXTENSIONS:
            continue
        size = tree.size(path)
        if size > max_bytes:
            findings.append(
                Finding(
                    check=Check.IMAGES,
                    severity=Severity.WARNING,
                    file=path,
                    line=0,
                    message=f"the image is {size:,} bytes; images should be at most {max_bytes:,}",
                )
            )
        if hashes.hashes and extension != ".svg":
            try:
                verdict = hashes.check(
                    frame_hashes(
                        tree.data(path),
                        formats=REVIEW_IMAGE_FORMATS,
                        max_width=REVIEW_IMAGE_SIDE,
                        max_height=REVIEW_IMAGE_SIDE,
                    )
                )
            except ImageProblem:
                continue  # an image a phone cannot show either: not a content question
            if verdict.risky:
                findings.append(
                    Finding(
                        check=Check.IMAGES,
                        severity=Severity.ERROR,
                        file=path,
                        line=0,
                        message=f"the image matches a forbidden image (label {verdict.label})",
                    )
                )
    return findings
