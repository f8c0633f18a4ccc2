"""JavaScript and WXS analysis: syntax errors, requires, wx APIs, domains, output files."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from miniapp.compiler.diagnostics import Diagnostics
from miniapp.compiler.javascript import (
    JsModule,
    Position,
    WxsModule,
    analyse_js,
    analyse_wxs,
    javascript_parser,
    logic_file,
    logic_source_map,
    resolve_require,
    wxs_file,
)
from miniapp.compiler.sources import SourceTree

Found = list[tuple[str, str, int, int]]


def tree_of(files: dict[str, str | bytes]) -> SourceTree:
    return SourceTree(
        {name: text.encode() if isinstance(text, str) else text for name, text in files.items()}
    )


def run(files: dict[str, str | bytes], path: str = "a.js") -> tuple[JsModule | None, Found]:
    diagnostics = Diagnostics()
    module = analyse_js(tree_of(files), path, diagnostics)
    return module, [(d.code, d.file, d.line, d.column) for d in diagnostics.sorted()]


def ok(source: str, **files: str) -> JsModule:
    module, found = run({"a.js": source, **{k.replace("__", "/"): v for k, v in files.items()}})
    assert found == []
    assert module is not None
    return module


def where(position: Position) -> tuple[int, int]:
    return position.line, position.column


# -- modern syntax ---------------------------------------------------------------------------------

MODERN = """'use strict'
class Store extends Base {
  #items = new Map();
  static #count = 0;
  static { Store.#count++ }
  get size() { return this.#items.size }
  async *stream() { for await (const chunk of this.source) yield chunk }
}
const { a, b: [c, ...rest] = [], ...others } = options ?? {};
const total = list?.reduce((sum, { price = 0 }) => sum + price, 0) ?? 0;
label: for (const [key, value] of Object.entries({ ...defaults, [dynamic]: 1n })) {
  if (key === `skip-${value}`) continue label;
}
x ||= 1; y &&= 2; z ??= 3; n = 1_000_000 ** 2;
const re = /(?<year>\\d{4})-\\d{2}/giu;
async function main() { await Promise.all([load('./lazy.js')]) }
module.exports = { Store, main }
// the file ends in a line comment, without a newline"""


def test_modern_syntax_is_accepted_and_kept_byte_for_byte() -> None:
    module = ok(MODERN)
    assert module.source == MODERN
    assert module.path == "a.js"
    assert module.requires == {}


# -- syntax errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "line", "column", "message"),
    [
        ("var a = 1;\nvar b = 2 +;\n", 2, 11, 'unexpected "+"'),
        ("foo(1,\n  2", 1, 4, '"(" is never closed'),
        ("if (x) {\n  y(\n}", 2, 4, '"(" is never closed: expected ")" before "}"'),
        ("Page({\n  onLoad() {\n    this.setData({a: 1)\n  }\n})", 3, 23, 'missing "}"'),
        ('const s = "abc', 1, 11, "unterminated string"),
        ("/* never closed", 1, 1, "unclosed comment"),
        ("a = 1\n}\n", 2, 1, 'unexpected "}"'),
        ("const o = {a: 1,, b: 2}", 1, 17, 'unexpected ","'),
        ("const 中文 = 1; @", 1, 15, 'unexpected "@"'),  # columns count characters
        ("if (a) {\n  import x from './b'\n}", 2, 3, "only allowed at the top level"),
        ("{ export default 1 }", 1, 3, "only allowed at the top level"),
        ("import d from './b.js' with { type: 'json' }", 1, 1, "import attributes"),
        ("const u = import.meta.url", 1, 11, "import.meta is not supported"),
        ("async function f() {\n  await import('./b')\n}", 2, 9, "dynamic import()"),
        ("#!/usr/bin/env node\nmain()", 1, 1, "#!"),
        ("const el = <view>{name}</view>", 1, 12, "JSX"),
        ("const el = <image src={x} />", 1, 12, "JSX"),
        ("await load()", 1, 1, "await is only valid inside an async function"),
        ("function f() {\n  await load()\n}", 2, 3, "await is only valid inside an async function"),
    ],
)
def test_syntax_errors(source: str, line: int, column: int, message: str) -> None:
    diagnostics = Diagnostics()
    module = analyse_js(tree_of({"a.js": source}), "a.js", diagnostics)
    assert module is None
    found = [(d.code, d.line, d.column) for d in diagnostics.sorted()]
    assert ("JS_SYNTAX", line, column) in found
    assert any(message in d.message for d in diagnostics.items)


def test_every_syntax_error_is_reported() -> None:
    source = "const a = ;\nfunction ok() { return 1 }\nconst b = {c: 1,, d: 2}\nlet e = [1, 2\n"
    module, found = run({"a.js": source})
    assert module is None
    assert found == [
        ("JS_SYNTAX", "a.js", 1, 11),
        ("JS_SYNTAX", "a.js", 3, 17),
        ("JS_SYNTAX", "a.js", 4, 9),
    ]


def test_await_as_a_plain_name_and_inside_async_code_is_fine() -> None:
    ok("var await = 1; const f = async () => { await g() }; class A { async m() { await h() } }")


def test_invalid_utf8() -> None:
    module, found = run({"a.js": b"var a = '\xff';"})
    assert module is None
    assert found == [("TEXT_NOT_UTF8", "a.js", 1, 0)]


def test_a_path_outside_the_package_is_an_internal_error_not_an_exception() -> None:
    module, found = run({"a.js": ""}, "missing.js")
    assert module is None
    assert found == [("INTERNAL_ERROR", "missing.js", 0, 0)]


# -- require ---------------------------------------------------------------------------------------

PACKAGE = {
    "pages/index/index.js": "",
    "pages/index/helper.js": "",
    "pages/index/common.js": "",
    "utils/format.js": "",
    "utils/date/index.js": "",
    "config.js": "",
    "miniprogram_npm/dayjs/index.js": "",
    "miniprogram_npm/lodash/package.json": '{"main": "./lib/lodash"}',
    "miniprogram_npm/lodash/lib/lodash.js": "",
    "miniprogram_npm/lodash/fp/index.js": "",
    "miniprogram_npm/broken/package.json": "{not json",
    "miniprogram_npm/broken/index.js": "",
    "miniprogram_npm/@vant/weapp/button/index.js": "",
    "miniprogram_npm/@vant/weapp/index.js": "",
    "pages/miniprogram_npm/dayjs/index.js": "",  # nearer than the root's copy
    "miniprogram_npm/uuid.js": "",
}


@pytest.mark.parametrize(
    ("reference", "resolved"),
    [
        ("./helper", "pages/index/helper.js"),
        ("./helper.js", "pages/index/helper.js"),
        ("../../utils/format", "utils/format.js"),
        ("../../utils/date", "utils/date/index.js"),
        ("/utils/format.js", "utils/format.js"),
        ("/config", "config.js"),
        ("common.js", "pages/index/common.js"),  # WeChat's own example: a bare sibling name
        ("common", "pages/index/common.js"),
        ("dayjs", "pages/miniprogram_npm/dayjs/index.js"),  # the nearest miniprogram_npm wins
        ("lodash", "miniprogram_npm/lodash/lib/lodash.js"),  # package.json "main"
        ("lodash/fp", "miniprogram_npm/lodash/fp/index.js"),
        ("broken", "miniprogram_npm/broken/index.js"),  # unreadable package.json: index.js
        ("@vant/weapp", "miniprogram_npm/@vant/weapp/index.js"),
        ("@vant/weapp/button/index", "miniprogram_npm/@vant/weapp/button/index.js"),
        ("uuid", "miniprogram_npm/uuid.js"),
        ("./missing", None),
        ("../../../outside", None),
        ("/nope", None),
        ("left-pad", None),
        ("@vant", None),
        ("", None),
    ],
)
def test_require_resolution(reference: str, resolved: str | None) -> None:
    tree = tree_of(PACKAGE)
    assert resolve_require(tree, "pages/index/index.js", reference) == resolved


def test_requires_are_recorded_and_missing_ones_reported() -> None:
    source = (
        "const h = require('./helper')\n"
        'const d = require("dayjs"), f = require(`/utils/format`)\n'
        "const dynamic = require(name), joined = require('./' + name)\n"
        "// require('./in-a-comment')\n"
        "const text = \"require('./in-a-string')\"; obj.require('./method')\n"
        "const again = require('./helper'); require(/* why */ './helper.js')\n"
    )
    files = {**PACKAGE, "pages/index/index.js": source}
    module, found = run(files, "pages/index/index.js")
    assert found == []
    assert module is not None
    assert module.requires == {
        "./helper": "pages/index/helper.js",
        "dayjs": "pages/miniprogram_npm/dayjs/index.js",
        "/utils/format": "utils/format.js",
        "./helper.js": "pages/index/helper.js",
    }


def test_require_not_found_points_at_the_path() -> None:
    source = (
        "const a = require('./helper')\n  const b = require(\n    './nope')\nrequire('nope-pkg')"
    )
    files = {**PACKAGE, "pages/index/index.js": source}
    module, found = run(files, "pages/index/index.js")
    assert module is None
    assert found == [
        ("JS_REQUIRE_NOT_FOUND", "pages/index/index.js", 3, 5),
        ("JS_REQUIRE_NOT_FOUND", "pages/index/index.js", 4, 9),
    ]


# -- wx APIs ---------------------------------------------------------------------------------------


def test_wx_apis_with_positions() -> None:
    module = ok(
        "wx.request({ url })\n"
        "  wx['showToast']({}); wx?.login()\n"
        "const { getStorageSync, setStorage: save, 'scanCode': scan, chooseImage = f } = wx\n"
        "// wx.commented()\n"
        "const s = 'wx.inString()'; other.wx.nested(); const wxs = 1; wx\n"
    )
    assert [(name, where(p)) for name, p in module.apis] == [
        ("request", (1, 1)),
        ("showToast", (2, 3)),
        ("login", (2, 24)),
        ("getStorageSync", (3, 9)),
        ("setStorage", (3, 25)),
        ("scanCode", (3, 43)),
        ("chooseImage", (3, 61)),
    ]
    assert all(position.file == "a.js" for _, position in module.apis)


# -- domains ---------------------------------------------------------------------------------------


def test_domains_from_urls_and_hostnames() -> None:
    lines = [
        "const API = 'https://api.example.com/v1'",
        'const WS = "wss://Push.Example.COM:8443/socket", local = `http://localhost:3000/${p}`',
        "const CDN = 'cdn.example.cn', IP = 'http://192.168.1.10/x', host = `api.qq.com/${path}`",
        "const msg = '详见 https://help.example.org 或 ws://user@chat.example.net'",
    ]
    module = ok("\n".join(lines))

    def at(line: int, text: str) -> tuple[int, int]:
        return line, lines[line - 1].index(text) + 1

    assert [(domain, where(p)) for domain, p in module.domains] == [
        ("api.example.com", at(1, "https:")),  # a URL is reported where it starts
        ("push.example.com", at(2, "wss:")),
        ("localhost", at(2, "http:")),
        ("cdn.example.cn", at(3, "cdn.")),  # a bare host name where the name starts
        ("192.168.1.10", at(3, "http:")),
        ("api.qq.com", at(3, "api.qq")),
        ("help.example.org", at(4, "https:")),  # columns count characters, not UTF-8 bytes
        ("chat.example.net", at(4, "ws:")),
    ]
    assert at(4, "https:") == (4, 17)


def test_things_that_only_look_like_domains_are_not_domains() -> None:
    module = ok(
        "const files = ['index.js', 'app.wxss', 'data.json', 'README.md', 'a.zip', 'lib.rs']\n"
        "const values = ['1.5', '10.0.1', 'a.b', 'item.name', 'style.top', 'res.id', 'wx.cloud']\n"
        "const paths = ['list[0].name', 'user.info', 'this.data.app', '../utils/a.com.js']\n"
        "const camel = ['userInfo.nickName.com', 'page.avatarUrl.cn'], ports = 'a.b:c'\n"
        "const sentence = 'visit api.example.com today', email = 'me@example.com'\n"
        "const dynamic = `https://${host}/x`, partial = `http://a${b}.example.com`\n"
        "// https://in-a-comment.example.com\n"
        "const re = /https:\\/\\/regex.example.com/, x = api.example.com\n"
    )
    assert module.domains == []


# -- WXS -------------------------------------------------------------------------------------------

WXS_TREE = {"pages/index/index.wxml": "", "pages/index/tools.wxs": "", "common/fmt.wxs": ""}


def run_wxs(
    code: str, *, file: str = "pages/index/index.wxml", line: int = 1, column: int = 1
) -> tuple[WxsModule | None, Found]:
    diagnostics = Diagnostics()
    module = analyse_wxs(
        tree_of(WXS_TREE),
        id=f"{file}#m",
        file=file,
        code=code,
        line=line,
        column=column,
        diagnostics=diagnostics,
    )
    return module, [(d.code, d.file, d.line, d.column) for d in diagnostics.sorted()]


def test_wxs_module() -> None:
    code = (
        "var tools = require('./tools.wxs');\n"
        'var fmt = require("../../common/fmt.wxs");\n'
        "var o = { get size() { return 1 }, n: 1 };\n"
        "module.exports = { format: function (v) { return fmt.f(v) + tools.t } };\n"
    )
    module, found = run_wxs(code)
    assert found == []
    assert module == WxsModule(
        id="pages/index/index.wxml#m",
        code=code,
        requires={"./tools.wxs": "pages/index/tools.wxs", "../../common/fmt.wxs": "common/fmt.wxs"},
    )


def test_inline_wxs_errors_point_into_the_wxml() -> None:
    # The code starts at line 10, column 21 of the .wxml: line 1 of the code is shifted by both,
    # later lines only by the line.
    module, found = run_wxs("var a = ;\n  foo(", line=10, column=21)
    assert module is None
    assert found == [
        ("WXS_SYNTAX", "pages/index/index.wxml", 10, 27),
        ("WXS_SYNTAX", "pages/index/index.wxml", 11, 6),
    ]


@pytest.mark.parametrize(
    ("code", "column", "feature"),
    [
        ("let a = 1", 1, "let and const"),
        ("var f = x => x", 9, "arrow functions"),
        ("var s = `a${b}`", 9, "template strings"),
        ("var o = {a}", 10, "shorthand properties"),
        ("var o = {f() {}}", 10, "method shorthand"),
        ("var o = {[k]: 1}", 10, "computed property names"),
        ("var a = [...b]", 10, "spread"),
        ("var {a, b: [c]} = o", 5, "destructuring"),
        ("function f(a = 1) {}", 12, "default parameter values"),
        ("function f(...a) {}", 12, "rest"),
        ("var v = a?.b", 10, "optional chaining"),
        ("var v = a ?? b", 11, "the ?? operator"),
        ("var v = a ** b", 11, "the ** operator"),
        ("a ||= b", 3, "the ||= operator"),
        ("for (var k of o) {}", 1, "for...of"),
        ("for (let k in o) {}", 1, "let and const"),
        ("class A {}", 1, "classes"),
        ("async function f() {}", 1, "async"),
        ("function* g() { yield 1 }", 1, "generators"),
    ],
)
def test_wxs_is_es5(code: str, column: int, feature: str) -> None:
    diagnostics = Diagnostics()
    module = analyse_wxs(
        tree_of(WXS_TREE),
        id="t.wxs",
        file="t.wxs",
        code=code,
        line=1,
        column=1,
        diagnostics=diagnostics,
    )
    assert module is None
    assert ("WXS_SYNTAX", 1, column) in [(d.code, d.line, d.column) for d in diagnostics.items]
    assert any(feature in d.message for d in diagnostics.items)


def test_wxs_require_must_be_a_literal_relative_existing_wxs_path() -> None:
    code = (
        "var a = require('tools.wxs');\n"  # not relative
        "var b = require('/common/fmt.wxs');\n"  # root-absolute: not allowed in WXS
        "var c = require('./tools');\n"  # no .wxs
        "var d = require('./missing.wxs');\n"
        "var e = require(name);\n"
        "var f = require();\n"
        "var g = require('./tools.wxs');\n"
    )
    module, found = run_wxs(code)
    assert module is None
    file = "pages/index/index.wxml"
    assert found == [
        ("WXS_REQUIRE_INVALID", file, 1, 17),
        ("WXS_REQUIRE_INVALID", file, 2, 17),
        ("WXS_REQUIRE_INVALID", file, 3, 17),
        ("WXS_REQUIRE_INVALID", file, 4, 17),
        ("WXS_REQUIRE_INVALID", file, 5, 17),
        ("WXS_REQUIRE_INVALID", file, 6, 16),
    ]


# -- output files ----------------------------------------------------------------------------------


def modules_for_output() -> list[JsModule]:
    files = {
        "app.js": "const fmt = require('./utils/fmt')\nmodule.exports = fmt.twice(21)",
        "utils/fmt.js": "exports.twice = (n) => n * 2 // no newline, ends in a comment",
        "utils/late.js": "module.exports = 'late'\n/* a block comment */\n",
    }
    tree = tree_of(files)
    diagnostics = Diagnostics()
    modules = [analyse_js(tree, path, diagnostics) for path in files]
    assert diagnostics.ok
    return [module for module in modules if module is not None]


def test_logic_file_layout() -> None:
    text = logic_file(modules_for_output())
    assert text == (
        '__miniappDefine("app.js", function (module, exports, require) {\n'
        "const fmt = require('./utils/fmt')\nmodule.exports = fmt.twice(21)\n"
        "});\n"
        '__miniappDefine("utils/fmt.js", function (module, exports, require) {\n'
        "exports.twice = (n) => n * 2 // no newline, ends in a comment\n"
        "});\n"
        '__miniappDefine("utils/late.js", function (module, exports, require) {\n'
        "module.exports = 'late'\n/* a block comment */\n"
        "});\n"
        '__miniappRequires({"app.js":{"./utils/fmt":"utils/fmt.js"},"utils/fmt.js":{},'
        '"utils/late.js":{}});\n'
    )


def test_wxs_file_layout() -> None:
    modules = [
        WxsModule(
            id="a.wxml#m", code="module.exports = require('./t.wxs')", requires={"./t.wxs": "t.wxs"}
        ),
        WxsModule(id="t.wxs", code="module.exports = 1\n", requires={}),
    ]
    assert wxs_file(modules) == (
        '__miniappWxsDefine("a.wxml#m", function (module, exports, require) {\n'
        "module.exports = require('./t.wxs')\n"
        "});\n"
        '__miniappWxsDefine("t.wxs", function (module, exports, require) {\n'
        "module.exports = 1\n"
        "});\n"
        '__miniappWxsRequires({"a.wxml#m":{"./t.wxs":"t.wxs"},"t.wxs":{}});\n'
    )


def test_empty_output_files() -> None:
    assert logic_file([]) == "__miniappRequires({});\n"
    assert wxs_file([]) == "__miniappWxsRequires({});\n"


# Node.js is a test requirement (make test installs it): the generated logic must really run.
NODE = shutil.which("node")

HARNESS = """
const defined = {}, cache = {};
let table = {};
function __miniappDefine(path, factory) { defined[path] = factory; }
function __miniappRequires(requires) { table = requires; }
%s
function load(path) {
  if (!cache[path]) {
    const module = { exports: {} };
    cache[path] = module;
    defined[path](module, module.exports, (ref) => load(table[path][ref]));
  }
  return cache[path].exports;
}
console.log(JSON.stringify([load("app.js"), load("utils/late.js")]));
"""


def test_logic_file_runs() -> None:
    assert NODE is not None
    script = HARNESS % logic_file(modules_for_output())
    result = subprocess.run(
        [NODE, "-e", script], capture_output=True, text=True, check=True, timeout=30
    )
    assert json.loads(result.stdout) == [42, "late"]


def _decode_mappings(mappings: str) -> list[tuple[int, int] | None]:
    """(source index, source line) per generated line, from a Source Map v3 mappings string."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    source = line = 0
    lines: list[tuple[int, int] | None] = []
    for segment in mappings.split(";"):
        if not segment:
            lines.append(None)
            continue
        values, shift, value = [], 0, 0
        for char in segment:
            digit = alphabet.index(char)
            value += (digit & 31) << shift
            if digit & 32:
                shift += 5
                continue
            values.append(-(value >> 1) if value & 1 else value >> 1)
            shift = value = 0
        source += values[1]
        line += values[2]
        lines.append((source, line))
    return lines


LINE_BREAK = re.compile("\r\n?|[\n\u2028\u2029]")  # what JavaScript counts as a line break


def test_source_map_maps_each_line_back_to_its_file() -> None:
    modules = [
        *modules_for_output(),
        ok("const s = 'a\u2028b' // U+2028 breaks lines in JavaScript\nmodule.exports = s\n"),
    ]
    generated = LINE_BREAK.split(logic_file(modules))
    source_map = json.loads(logic_source_map(modules))
    assert source_map["sources"] == ["app.js", "utils/fmt.js", "utils/late.js", "a.js"]
    mapped = _decode_mappings(source_map["mappings"])
    # Unmapped: the wrapper lines, the final __miniappRequires line and the "" after the last "\n".
    assert len(mapped) == len(generated) - 2
    checked = 0
    for number, text in enumerate(generated[:-1]):
        target = mapped[number] if number < len(mapped) else None
        if target is None:
            assert text.startswith(("__miniapp", "});"))
            continue
        source_index, source_line = target
        assert text == LINE_BREAK.split(modules[source_index].source)[source_line]
        checked += 1
    assert checked == sum(len(LINE_BREAK.split(m.source.removesuffix("\n"))) for m in modules)
    assert mapped[1] == (0, 0)  # app.js line 1 is the logic file's line 2
    assert mapped[5] == (1, 0)


# -- ES modules ------------------------------------------------------------------------------------

ESM_PROLOGUE = '"use strict"; Object.defineProperty(exports, "__esModule", { value: true });'
ESM_FILES = {"m.js": "", "n/index.js": ""}


def esm(source: str) -> tuple[str, str]:
    """The converted code and what the prologue adds after the __esModule mark."""
    module, found = run({"a.js": source, **ESM_FILES})
    assert found == []
    assert module is not None
    assert module.source == source
    assert len(LINE_BREAK.split(module.code)) == len(LINE_BREAK.split(source))
    assert module.prologue.startswith(ESM_PROLOGUE)
    return module.code, module.prologue.removeprefix(ESM_PROLOGUE).strip()


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("import x from './m'", "const { default: x } = __miniappInterop(require('./m'));"),
        (
            "import {a, b as c} from './m';",
            "const { a: a, b: c } = __miniappInterop(require('./m'));",
        ),
        (
            "import {default as d, 'a-b' as e} from './m'",
            "const { default: d, \"a-b\": e } = __miniappInterop(require('./m'));",
        ),
        ("import * as ns from './n'", "const ns = __miniappInterop(require('./n'));"),
        (
            "import x, {a} from './m'",
            "const { default: x, a: a } = __miniappInterop(require('./m'));",
        ),
        (
            "import x, * as ns from './m'",
            "const ns = __miniappInterop(require('./m')), { default: x } = ns;",
        ),
        ("import './m'", "require('./m');"),
        ("import {} from './m'", "require('./m');"),
        (
            "export const a = 1, {b, c: [d, ...e]} = o",
            (
                "const a = 1, {b, c: [d, ...e]} = o;"
                " exports.a = a; exports.b = b; exports.d = d; exports.e = e;"
            ),
        ),
        ("export let a;", "let a; exports.a = a;"),
        ("export var v = 2", "var v = 2; exports.v = v;"),
        ("export class C {}", "class C {}; exports.C = C;"),
        ("export default class D extends B {}", "class D extends B {}; exports.default = D;"),
        ("export default class {}", "exports.default = class {};"),
        ("export default {a: 1};", "exports.default = {a: 1};"),
        ("export default a + b", "exports.default = a + b;"),
        ("export * from './m'", "__miniappExportFrom(exports, require('./m'), null);"),
        ("export * as ns from './n';", "exports.ns = __miniappInterop(require('./n'));"),
        (
            "export {x, y as z, default as w, 'a-b' as ab} from './m'",
            "__miniappExportFrom(exports, require('./m'),"
            ' {"x": "x", "z": "y", "w": "default", "ab": "a-b"});',
        ),
        (
            "export {x as default} from './m'",
            ('__miniappExportFrom(exports, require(\'./m\'), {"default": "x"});'),
        ),
        ("export * as 'a-b' from './n'", "exports[\"a-b\"] = __miniappInterop(require('./n'));"),
    ],
)
def test_es_module_statements_become_commonjs(source: str, code: str) -> None:
    assert esm(source) == (code, "")


@pytest.mark.parametrize(
    ("source", "code", "hoisted"),
    [
        ("export function f() {}", "function f() {}", "exports.f = f;"),
        ("export async function g() {}", "async function g() {}", "exports.g = g;"),
        ("export function* h() {}", "function* h() {}", "exports.h = h;"),
        ("export default function f() {}", "function f() {}", "exports.default = f;"),
        (
            "export default function () {}",
            "function  __miniappDefault() {}",
            "exports.default = __miniappDefault;",
        ),
        (
            "export default async function() {}",
            "async function __miniappDefault() {}",
            "exports.default = __miniappDefault;",
        ),
    ],
)
def test_exported_functions_are_exported_up_front(source: str, code: str, hoisted: str) -> None:
    assert esm(source) == (code, hoisted)


def test_export_lists_assign_after_each_declaration() -> None:
    source = (
        "import x from './m'\n"
        "export { x, late as default, f as 'g-h', y, undeclared }\n"
        "function f() {}\n"
        "const late = 1, y = 2\n"
    )
    assert esm(source) == (
        "const { default: x } = __miniappInterop(require('./m')); exports.x = x;\n"
        "; exports.undeclared = undeclared;\n"
        "function f() {}\n"
        "const late = 1, y = 2; exports.default = late; exports.y = y;\n",
        'exports["g-h"] = f;',
    )
    # A name no top-level statement declares is exported where the list stands.
    assert esm("if (a) { var v = 1 }\nexport {v}")[0] == "if (a) { var v = 1 }\n; exports.v = v;"


def test_es_module_keeps_every_line_in_place() -> None:
    source = (
        "import {\n"
        "  a, // a comment\n"
        "  b\n"
        "} from './m'; const c = 1\n"
        "export default {\n"
        "  a,\n"
        "}\n"
        "wx.request({ url: 'https://api.example.com' })\n"
    )
    module = ok(source, **ESM_FILES)
    assert module.code == (
        "const { a: a, b: b } = __miniappInterop(require('./m'));\n"
        "\n"
        "\n"
        " const c = 1\n"
        "exports.default = {\n"
        "  a,\n"
        "};\n"
        "wx.request({ url: 'https://api.example.com' })\n"
    )
    assert [(name, where(p)) for name, p in module.apis] == [("request", (8, 1))]
    assert [(name, where(p)) for name, p in module.domains] == [("api.example.com", (8, 20))]
    # An error after an import points at its own line.
    _, found = run({"a.js": "import {\n  a\n} from './m'\nvar b = 2 +;\n", **ESM_FILES})
    assert found == [("JS_SYNTAX", "a.js", 4, 11)]


def test_commonjs_modules_are_not_converted() -> None:
    module = ok("const x = require('./m')\nexports.y = x\n", **ESM_FILES)
    assert module.code == module.source
    assert module.prologue == ""


def test_import_sources_are_requires() -> None:
    module, found = run(
        {
            "pages/a.js": (
                "import x from '../utils/x'\n"
                "import {y} from 'lib'\n"
                "export * from '/utils/x.js'\n"
                "export {z} from '../missing'\n"
                "const w = require('../utils/x')\n"
                "  import v from './gone.js'\n"
            ),
            "utils/x.js": "",
            "miniprogram_npm/lib/index.js": "",
        },
        "pages/a.js",
    )
    assert module is None
    assert found == [
        ("JS_REQUIRE_NOT_FOUND", "pages/a.js", 4, 17),
        ("JS_REQUIRE_NOT_FOUND", "pages/a.js", 6, 17),
    ]


def test_import_requires_table() -> None:
    module, found = run(
        {
            "pages/a.js": (
                "import x from '../utils/x'\n"
                "import {y} from 'lib'\n"
                "export * from '/utils/x.js'\n"
                "const w = require('../utils/x')\n"
            ),
            "utils/x.js": "",
            "miniprogram_npm/lib/index.js": "",
        },
        "pages/a.js",
    )
    assert found == []
    assert module is not None
    assert module.requires == {
        "../utils/x": "utils/x.js",
        "lib": "miniprogram_npm/lib/index.js",
        "/utils/x.js": "utils/x.js",
    }


def test_logic_file_with_es_modules_has_a_prelude_line() -> None:
    modules = [ok("export default 1\n"), *modules_for_output()]
    text = logic_file(modules)
    lines = text.split("\n")
    assert lines[0].startswith("function __miniappInterop(m) {")
    assert lines[1] == (
        '__miniappDefine("a.js", function (module, exports, require) {' + ESM_PROLOGUE
    )
    assert lines[2] == "exports.default = 1;"
    assert lines[4] == '__miniappDefine("app.js", function (module, exports, require) {'
    mapped = _decode_mappings(json.loads(logic_source_map(modules))["mappings"])
    assert mapped[:4] == [None, None, (0, 0), None]
    assert mapped[5] == (1, 0)


ESM_APP = {
    "app.js": (
        "import greet, { shout as loud } from './utils/greet'\n"
        "import * as all from './utils/index'\n"
        "import legacy from './utils/legacy'\n"
        "import { count } from './utils/legacy'\n"
        "import Ring from './utils/a'\n"
        "import './utils/side'\n"
        "export default {\n"
        "  greeting: greet('wx'),\n"
        "  loud: loud('hi'),\n"
        "  keys: Object.keys(all).sort(),\n"
        "  ns: all.ns.shout('x'),\n"
        "  anon: all.anon(),\n"
        "  legacy: [legacy.count, count, all.default === undefined],\n"
        "  ring: new Ring().name(),\n"
        "  side: globalThis.sideEffect,\n"
        "}\n"
    ),
    "utils/greet.js": (
        "export default function greet(name) { return `hello ${name}` }\n"
        "export const shout = (text) => text.toUpperCase() + '!'\n"
    ),
    "utils/index.js": (
        "export * from './greet'\n"
        "export { default as hello } from './greet'\n"
        "export * as ns from './greet'\n"
        "export { default as anon } from './anon'\n"
        "export const local = 1\n"
    ),
    "utils/anon.js": "export default function () { return 'anonymous' }\n",
    "utils/legacy.js": "module.exports = { count: 3 }\n",
    # A require cycle: a.js loads b.js, which imports a.js back before a.js has finished.
    "utils/a.js": (
        "import { tag } from './b'\n"
        "export function name() { return tag() }\n"
        "export default class Ring { name() { return name() } }\n"
    ),
    "utils/b.js": (
        "import { name } from './a'\n"
        "export function tag() { return 'ring' }\n"
        "export const early = typeof name\n"
    ),
    "utils/side.js": "globalThis.sideEffect = 'ran'\n",
}

ESM_HARNESS = HARNESS.replace(
    'console.log(JSON.stringify([load("app.js"), load("utils/late.js")]));',
    'console.log(JSON.stringify([load("app.js").default, load("utils/b.js").early]));',
)


def test_es_modules_work_together_after_conversion() -> None:
    assert NODE is not None
    tree = tree_of(dict(ESM_APP))
    diagnostics = Diagnostics()
    modules = [analyse_js(tree, path, diagnostics) for path in ESM_APP]
    assert diagnostics.items == []
    script = ESM_HARNESS % logic_file([module for module in modules if module is not None])
    result = subprocess.run(
        [NODE, "-e", script], capture_output=True, text=True, check=True, timeout=30
    )
    assert json.loads(result.stdout) == [
        {
            "greeting": "hello wx",
            "loud": "HI!",
            "keys": ["anon", "hello", "local", "ns", "shout"],
            "ns": "X!",
            "anon": "anonymous",
            "legacy": [3, 3, True],
            "ring": "ring",
            "side": "ran",
        },
        "function",
    ]


# -- never raises ----------------------------------------------------------------------------------

JS_PIECES = [
    *"{}()[];:,.?!=+-*/%<>&|^~'\"`\\ \n\t#@$",
    "${",
    "//",
    "/*",
    "*/",
    "=>",
    "...",
    "?.",
    "??",
    "wx",
    "wx.request",
    "require(",
    "require('./a')",
    "'https://api.example.com'",
    "'a.example.com'",
    "await",
    "async",
    "function",
    "class",
    "import",
    "export",
    "import x from 'b'",
    "export default ",
    "export {x}",
    "export const ",
    "let",
    "const",
    "var",
    "x",
    "1",
    "<view>",
    "</view>",
    "中文",
    "\x00",
    "\r",
    "\u2028",
]


@settings(
    derandomize=True,
    database=None,
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.one_of(st.text(), st.lists(st.sampled_from(JS_PIECES), max_size=60).map("".join)))
def test_analysers_never_raise(source: str) -> None:
    module, found = run({"a.js": source, "a.wxs": "", "b.js": ""})
    codes = {code for code, *_ in found}
    assert "INTERNAL_ERROR" not in codes
    assert (module is None) == bool(found)
    if module is not None:
        assert module.source == source.removeprefix("\ufeff").replace("\r\n", "\n")
        assert len(LINE_BREAK.split(module.code)) == len(LINE_BREAK.split(module.source))
        converted = javascript_parser().parse(module.code.encode()).root_node
        assert not converted.has_error, module.code
        for _, position in [*module.apis, *module.domains]:
            assert position.line >= 1
            assert position.column >= 1
    wxs, wxs_found = run_wxs(source, line=3, column=7)
    assert "INTERNAL_ERROR" not in {code for code, *_ in wxs_found}
    assert (wxs is None) == bool(wxs_found)


@settings(derandomize=True, database=None, max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_analyse_js_never_raises_on_bytes(data: bytes) -> None:
    _, found = run({"a.js": data})
    assert "INTERNAL_ERROR" not in {code for code, *_ in found}
