"""The view layer's expression evaluator (web/runtime/logic/expressions.js) in a real browser.

One page for the whole file: the runtime folder is served over loopback, the module imported once.
Values come back from the page tagged (see ENCODE) so undefined, NaN, -0 and key order survive the
trip. The key check is agreement: the AST the Python compiler makes for an expression, evaluated
by the module, gives what JavaScript itself gives for the same text.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page

from miniapp.compiler.expressions import parse_expression

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ROOT / "src" / "miniapp" / "web" / "runtime"
MODULE = RUNTIME / "logic" / "expressions.js"
GOLDEN = ROOT / "tests" / "compiler" / "golden" / "showcase.bundle.json"

UNDEFINED = {"$": "undefined"}
FUNCTION = {"$": "function"}

# Runs once in the page: imports the module and defines the test's WXS module `m` and helpers.
SETUP = """async () => {
  await new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "/logic/expressions.js";
    script.onload = resolve;
    script.onerror = reject;
    document.head.append(script);
  });
  const X = self.MiniappExpressions;
  const calls = [];
  const m = {
    yuan: (cents) => "¥" + (cents / 100).toFixed(2),
    add: (...xs) => xs.reduce((a, b) => a + b, 0),
    count: (...xs) => xs.length,
    isSelf() { return this === m; },
    record(x) { calls.push(x); return x; },
    nested: { twice: (x) => x * 2 },
    notFn: 7,
    get boom() { throw new Error("getter"); },
  };
  // JSON cannot carry undefined, NaN, -0, infinities or functions, nor say an object is not an
  // array: tag them.
  const encode = (v) => {
    if (v === undefined) return { $: "undefined" };
    if (typeof v === "function") return { $: "function" };
    if (typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0))) {
      return { $: "number", v: Object.is(v, -0) ? "-0" : String(v) };
    }
    if (Array.isArray(v)) return v.map(encode);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
    }
    return v;
  };
  const out = (v) => JSON.stringify(encode(v));
  window.T = { X, m, calls, encode, out };
}"""

DATA: dict[str, Any] = {
    "a": 6,
    "b": 3,
    "c": 2,
    "s": "42",
    "word": "héllo😀",
    "empty": "",
    "zero": 0,
    "f": 3.7,
    "neg": -5,
    "n": None,
    "t": True,
    "arr": [1, 2, 3],
    "pair": [2, 3],
    "obj": {"x": 1, "y": {"z": "deep"}, "key with space": True, "list": [{"name": "n0"}]},
    "price": 1234,
    "big": 4294967297,
}


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def runtime_url() -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(RUNTIME))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(browser: Browser, runtime_url: str) -> Iterator[Page]:
    context = browser.new_context()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    context.on("console", on_console)
    context.on("weberror", lambda error: problems.append(f"page error: {error.error}"))
    # The folder has no icon; answering here keeps the browser's 404 out of the error check.
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    opened = context.new_page()
    opened.goto(runtime_url)
    opened.evaluate(SETUP)
    yield opened
    context.close()
    assert not problems, "\n".join(problems)


def run(page: Page, expr: Any, data: Any = None, vars_: Any = None) -> Any:
    """Evaluates an AST (or expression text, parsed with `m` as the WXS module) in the page."""
    if isinstance(expr, str):
        expr = parse_expression(expr, wxs_modules={"m"})
    text = page.evaluate(
        "([expr, data, vars]) => T.out(T.X.evaluate(expr, {data, vars, wxs: {m: T.m}}))",
        [expr, DATA if data is None else data, vars_],
    )
    return json.loads(text)


def render(page: Page, value: Any, data: Any = None) -> Any:
    text = page.evaluate(
        "([value, data]) => T.out(T.X.renderValue(value, {data, wxs: {m: T.m}}))",
        [value, DATA if data is None else data],
    )
    return json.loads(text)


# -- every form -------------------------------------------------------------------------------

FORMS = [
    (["lit", "text"], "text"),
    (["lit", 1.5], 1.5),
    (["lit", None], None),
    (["lit", False], False),
    (["undef"], UNDEFINED),
    ("a", 6),
    ("obj.y.z", "deep"),
    ("obj['key with space']", True),
    ("arr[c]", 3),
    ("word.length", 7),
    ("typeof m", "object"),
    ("m.yuan", FUNCTION),
    ("!a", False),
    ("-s", -42),
    ("+s", 42),
    ("~a", -7),
    ("typeof n", "object"),
    ("a * b / c % 5", 4),
    ("a + '' + b", "63"),
    ("a - b < c", False),
    ("a > b && a >= 6 && b <= 3", True),
    ("zero == '' && zero != n && s !== 42 && s === '42'", True),
    ("a & b", 2),
    ("a ^ b", 5),
    ("a | b", 7),
    ("big | 0", 1),
    ("zero && 'no'", 0),
    ("zero || 'yes'", "yes"),
    ("n ?? 'dflt'", "dflt"),
    ("zero ?? 'dflt'", 0),
    ("t ? 'y' : 'n'", "y"),
    ("[1, ...pair, 'x']", [1, 2, 3, "x"]),
    ("[...'ab😀']", ["a", "b", "😀"]),
    ("{a: 1, ...obj.y, a: 2}", {"a": 2, "z": "deep"}),
    ("{...pair}", {"0": 2, "1": 3}),
    ("m.yuan(price)", "¥12.34"),
    ("m.add(1, ...arr)", 7),
    ("m.nested.twice(a)", 12),
    ("m.isSelf()", True),
]


@pytest.mark.parametrize(("expr", "expected"), FORMS, ids=json.dumps)
def test_each_form(page: Page, expr: Any, expected: Any) -> None:
    assert run(page, expr) == expected


def test_object_keys_keep_javascript_order(page: Page) -> None:
    result = run(page, "{b: 1, 2: 'two', a: 3, b: 4, ...obj.y}")
    # Integer keys first, then insertion order; a repeated key keeps its first place.
    assert list(result) == ["2", "b", "a", "z"]
    assert result == {"2": "two", "b": 4, "a": 3, "z": "deep"}


def test_loop_variables_shadow_data(page: Page) -> None:
    data = {"item": "data", "x": 1}
    assert run(page, "item", data, {"item": "loop"}) == "loop"
    assert run(page, "x", data, {"item": "loop"}) == 1
    # A loop variable whose value is undefined still shadows the data field.
    shadowed = page.evaluate(
        "() => T.X.evaluate(['id', 'x'], {data: {x: 1}, vars: {x: undefined}})"
    )
    assert shadowed is None


# -- never throwing, and what it gives instead ----------------------------------------------------

MISSING = [
    "missing",
    "missing.a.b[0].c",
    "n.x",
    "n[0]",
    "obj.nothing.deeper",
    "arr[10].name",
    "empty.x.y",
    "m.nope(1)",
    "m.notFn()",
    "m.nope.deeper(1)(2)",
    "m.boom",  # a getter that throws
    "typeof missing.a",
]


@pytest.mark.parametrize("text", MISSING)
def test_missing_paths_give_undefined(page: Page, text: str) -> None:
    expected = "undefined" if text.startswith("typeof") else UNDEFINED
    assert run(page, text) == expected


def test_scope_parts_are_optional(page: Page) -> None:
    results = page.evaluate("""() => [
      T.X.evaluate(["id", "x"], {}),
      T.X.evaluate(["wxs", "m"], {data: {}}),
      T.X.evaluate(["call", ["mem", ["wxs", "m"], ["lit", "f"]], []], {data: null}),
    ]""")
    assert results == [None, None, None]


def test_spreading_a_non_iterable_gives_nothing(page: Page) -> None:
    # JavaScript throws here; the view renders on.
    assert run(page, "[0, ...n, ...missing, ...a, ...obj, 1]") == [0, 1]
    assert run(page, "m.count(...n, ...a, 1)") == 1
    assert run(page, "{...n, ...missing, ...a, ...t, k: 1}") == {"k": 1}


def test_only_wxs_functions_are_called(page: Page) -> None:
    # Loop variables are runtime values and may hold anything, even a function: still not called.
    result = page.evaluate("""() => {
      const vars = {f: () => "called", o: {g: () => "called"}};
      return [
        T.X.evaluate(["call", ["id", "f"], []], {data: {}, vars}),
        T.X.evaluate(["call", ["mem", ["id", "o"], ["lit", "g"]], []], {data: {}, vars}),
      ];
    }""")
    assert result == [None, None]


def test_short_circuit_skips_the_other_side(page: Page) -> None:
    skipped = [
        "zero && m.record(1)",
        "t || m.record(2)",
        "zero ?? m.record(3)",
        "t ? 1 : m.record(4)",
        "zero ? m.record(5) : 1",
    ]
    for text in skipped:
        run(page, text)
    assert page.evaluate("() => T.calls.slice()") == []
    assert run(page, "t && m.record(6)") == 6
    assert run(page, "n ?? m.record(7)") == 7
    assert page.evaluate("() => T.calls.splice(0)") == [6, 7]


def test_malformed_ir_is_a_type_error(page: Page) -> None:
    names = page.evaluate("""() => [
      ["nope"], ["un", "delete", ["lit", 1]], ["bin", "**", ["lit", 1], ["lit", 2]],
    ].map((expr) => {
      try { T.X.evaluate(expr, {data: {}}); return "none"; } catch (e) { return e.name; }
    })""")
    assert names == ["TypeError", "TypeError", "TypeError"]


# -- the prototype chain is out of reach --------------------------------------------------------

PROTOTYPE_NAMES = [
    "obj.__proto__",
    "obj.constructor",
    "m.yuan.prototype",
    "m.yuan.constructor",
    "m.yuan.constructor('return 1')()",
    "s.constructor",
    "arr.__proto__.constructor",
    "obj['__pro' + 'to__']",
    "obj[['constructor']]",  # the key converts to the string "constructor"
    "constructor",
    "__proto__",
    "toString",  # inherited, so not a field of the data
]


@pytest.mark.parametrize("text", PROTOTYPE_NAMES)
def test_prototype_names_give_undefined(page: Page, text: str) -> None:
    assert run(page, text) == UNDEFINED


def test_prototype_names_from_data(page: Page) -> None:
    result = page.evaluate("""() => {
      // JSON.parse makes `__proto__` an own property, as data from the logic layer would have.
      const data = JSON.parse('{"o": {"__proto__": {"polluted": 1}}, "k": "__proto__"}');
      const scope = {data, wxs: {}};
      const copied = T.X.evaluate(["obj", [[null, ["id", "o"]]]], scope);
      const polluting = ["obj", [["polluted", ["lit", 2]]]];
      const literal = T.X.evaluate(["obj", [["__proto__", polluting]]], scope);
      const plain = (o) => Object.getPrototypeOf(o) === Object.prototype && !("polluted" in o);
      return {
        viaKey: T.X.evaluate(["mem", ["id", "o"], ["id", "k"]], scope) === undefined,
        inherited: T.X.evaluate(["mem", ["id", "o"], ["lit", "polluted"]], scope) === undefined,
        copiedProto: plain(copied),
        literalProto: plain(literal),
        global: !("polluted" in {}),
      };
    }""")
    assert result == dict.fromkeys(
        ("viaKey", "inherited", "copiedProto", "literalProto", "global"), True
    )


# -- Values -------------------------------------------------------------------------------------


def test_values(page: Page) -> None:
    assert render(page, "a {{b}}") == "a {{b}}"  # a static string is never evaluated
    assert render(page, ["x", ["lit", False]]) is False
    assert render(page, ["x", ["id", "missing"]]) == UNDEFINED
    assert render(page, ["x", ["id", "arr"]]) == [1, 2, 3]
    # `wx:for="{{[1,2]}} "`: the space makes it a string.
    assert render(page, ["cat", [["arr", [["lit", 1], ["lit", 2]]], " "]]) == "1,2 "
    parts = [
        ["id", "missing"],
        "|",
        ["lit", None],
        "|",
        ["lit", 1.5],
        "|",
        ["id", "t"],
        "|",
        ["obj", []],
        "|",
        ["bin", "/", ["lit", 0], ["lit", 0]],
    ]
    assert render(page, ["cat", parts]) == "|null|1.5|true|[object Object]|NaN"
    texts = page.evaluate("() => [T.X.toText(undefined), T.X.toText(null), T.X.toText([1, [2]])]")
    assert texts == ["", "null", "1,2"]


def _values_in(nodes: list[Any]) -> Iterator[Any]:
    """Every Value of a View IR node list (Exprs wrapped as `["x", expr]`)."""
    for node in nodes:
        if isinstance(node, str):
            continue
        groups = ("attrs", "data", "marks") if node["k"] == "el" else ()
        for group in groups:
            yield from node.get(group, {}).values()
        yield from (handler for _event, _kind, handler in node.get("events", []))
        yield from (["x", expr] for expr in node.get("model", {}).values())
        for key in ("v", "list", "is", "slot", "name"):
            if key in node:
                yield node[key]
        if "data" in node and node["k"] == "tpl":
            yield ["x", node["data"]]
        for condition, branch in node.get("branches", []):
            if condition is not None:
                yield condition
            yield from _values_in(branch)
        yield from _values_in(node.get("children", []))


def test_real_ir_renders_against_empty_data(page: Page) -> None:
    files = json.loads(GOLDEN.read_text(encoding="utf-8"))["files"]
    views = [view for path, view in files.items() if path.endswith(".json")]
    values: list[Any] = []
    for view in views:
        values.extend(_values_in(view["root"]))
        for template in view["templates"].values():
            values.extend(_values_in(template["body"]))
    assert len(values) > 20
    rendered = page.evaluate(
        "(values) => values.map((v) => T.encode(T.X.renderValue(v, {data: {}, wxs: {}})))", values
    )
    # Nothing threw; a text binding of a missing path shows nothing.
    assert len(rendered) == len(values)
    greeting = ["cat", [["id", "greeting"], ", ", ["mem", ["id", "user"], ["lit", "name"]], "!"]]
    assert greeting in values
    assert rendered[values.index(["x", ["id", "message"]])] == UNDEFINED


# -- agreement with JavaScript ------------------------------------------------------------------

AGREEMENT = [
    "a + b * c",
    "(a + b) * c",
    "a - b / c % 4",
    "a / 0",
    "-a / 0",
    "zero * -1",
    "a % 0",
    "0.1 + 0.2",
    "1e21 + ''",
    ".5 * 2",
    "0x1f + 0b11 + 0o7",
    "9007199254740993",
    "1 + '2'",
    "'3' * '4'",
    "s - 2",
    "s + 2",
    "a + b + '' + a + b",
    "'10' < '9'",
    "10 < 9",
    "a >= 6",
    "b <= 2",
    "null == undefined",
    "null === undefined",
    "zero == ''",
    "n != undefined",
    "n !== undefined",
    "arr == '1,2,3'",
    "[1] == 1",
    "[] == false",
    "!a == b",
    "a & b | c ^ 1",
    "big | 0",
    "big & 255",
    "~a",
    "~~f",
    "~~neg",
    "~s",
    "-s",
    "+s",
    "+'x'",
    "+empty",
    "+n",
    "-(-a)",
    "+-a",
    "a - -b",
    "!s",
    "!!empty",
    "!n",
    "typeof a",
    "typeof s",
    "typeof n",
    "typeof arr",
    "typeof t",
    "typeof undefined",
    "typeof m.yuan",
    "typeof typeof a",
    "a && b",
    "empty || 'fallback'",
    "s || 'fallback'",
    "n ?? 'dflt'",
    "zero ?? 5",
    "undefined ?? empty",
    "(zero || n) ?? 'x'",
    "t ? 'yes' : 'no'",
    "zero ? 'yes' : empty ? 'e' : 'neither'",
    "[1, ...arr, 2]",
    "[...word]",
    "[...pair, ...pair]",
    "[]",
    "[n, undefined, t]",
    "[arr][0][2]",
    "{a: 1, ...obj, b: 2}",
    "{...arr}",
    "{...s}",
    "{...n}",
    "{...t}",
    "{x: 1, y: 2, x: 3}",
    "{...obj, x: 9}",
    "{a, b}",
    "{b: 1, 2: 'two', a: 3}",
    "{'quoted key': [a]}",
    "obj.y.z",
    "obj['key with space']",
    "obj.list[0].name",
    "obj.missing",
    "obj.missing === undefined",
    "arr[arr.length - 1]",
    "arr.length",
    "arr[1 + 0]",
    "word.length",
    "word[1]",
    "s[0]",
    "'😀'.length",
    "'a\\nb'",
    "'\\u00e9\\x41'",
    '"q\'uote"',
    "[1, 2] + ''",
    "({}) + ''",
    "arr + obj",
    "n + ''",
    "undefined + 1",
    "m.yuan(price)",
    "m.add(...pair)",
    "m.add(1, ...arr, 10)",
    "m.count(...word)",
    "m.nested.twice(a)",
    "m['nested'].twice(b)",
    "m.isSelf()",
    "m.add(a, b) * 2 + ''",
    "m.notFn + 1",
]


def test_agrees_with_javascript(page: Page) -> None:
    cases = [[text, parse_expression(text, wxs_modules={"m"})] for text in AGREEMENT]
    results = page.evaluate(
        """([cases, data]) => {
          const names = Object.keys(data);
          const values = names.map((name) => data[name]);
          const scope = {data, wxs: {m: T.m}};
          return cases.map(([text, ast]) => {
            // The test page may compile the text; the module never does.
            const direct = new Function(...names, "m", `return (${text});`)(...values, T.m);
            const ours = T.X.evaluate(ast, scope);
            return [JSON.stringify(T.encode(ours)), JSON.stringify(T.encode(direct))];
          });
        }""",
        [cases, DATA],
    )
    differ = [
        f"{text}: evaluate {ours} != JavaScript {theirs}"
        for text, (ours, theirs) in zip(AGREEMENT, results, strict=True)
        if ours != theirs
    ]
    assert differ == []
    assert page.evaluate("() => T.calls.length") == 0


# -- the module stays pure and compiles nothing ---------------------------------------------------


def test_module_compiles_no_code_and_touches_no_dom() -> None:
    source = MODULE.read_text(encoding="utf-8")
    code = re.sub(r"//[^\n]*|/\*.*?\*/", "", source, flags=re.DOTALL)
    forbidden_words = (
        r"\beval\b",
        r"\bFunction\s*\(",
        r"\bwith\s*\(",
        r"\bdocument\b",
        r"\bwindow\b",
    )
    for forbidden in forbidden_words:
        assert not re.search(forbidden, code), forbidden
    assert "self.MiniappExpressions = Object.freeze({ evaluate, toText, renderValue })" in code
