"""The URL a mini-program code holds, and the host route it opens (docs/entry-points.md
"Mini-program codes").

A code holds `<public_url>/mp/<appid>?k=<a|b|c>&p=<page>&q=<query>&s=<scene>&v=<trial|develop>`:
parameters in that order, each left out when empty or the default (`p` for the home page, `q`
for a B code, `s` for A and C codes, `v` for the release). Values are percent-encoded with
`urllib.parse.quote`, keeping the characters that mean nothing inside a query value
(`/:@!$()*,;=?` and the unreserved ones) so codes stay short and coarse; `&`, `+`, `#`, `%` and
`'` are always encoded, so that a browser's URLSearchParams and `parse_qsl` read back exactly what
was written (a `+` would come back as a space, and browsers re-encode `'` in a query).

`web/shared/code-urls.js` reads the same URL in the browser (the host's scanner) and
`host_route` here answers what its `hostHash(codeRoute(...))` computes, byte for byte:

>>> code = CodeUrl(appid="wx0123456789abcdef", kind="b", page="pages/shop/shop",
...                scene="id=42&from=qr")
>>> url = code_url(code, public_url="https://mp.example.com")
>>> url
'https://mp.example.com/mp/wx0123456789abcdef?k=b&p=pages/shop/shop&s=id=42%26from=qr'
>>> parse_code_url(url, public_url="https://mp.example.com") == code
True
>>> host_route(code)
'/#app/wx0123456789abcdef?path=pages%2Fshop%2Fshop&query=scene%3Did%253D42%2526from%253Dqr&scene=1047'

The page of a B code gets `query.scene = encodeURIComponent(scene)` ("id%3D42%26from%3Dqr"),
exactly as WeChat gives it, so `decodeURIComponent(options.scene)` is the scene the back end
asked for; the host decodes the route's `query` once and hands the page its values as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

from miniapp.apps.registry import APPID_LOOKUP

CodeKind = Literal["a", "b", "c"]
KINDS: tuple[CodeKind, ...] = ("a", "b", "c")
BUILDS = ("trial", "develop")
# WeChat's scenes for a code read by a camera: a mini-program code (A, B) / a plain QR code (C).
CAMERA_CODE_SCENE = 1047
CAMERA_QR_SCENE = 1011
DEFAULT_SCENE = 1001
# Inside a query value these mean nothing special to URLSearchParams nor to parse_qsl.
VALUE_SAFE = "/:@!$()*,;=?"
# encodeURIComponent leaves these (besides letters, digits and `-_.~`) as they are.
URI_COMPONENT_SAFE = "!'()*"
CODE_PATH = re.compile(r"/mp/([^/]+)")
PARAMETERS = ("k", "p", "q", "s", "v")


@dataclass(frozen=True, slots=True, kw_only=True)
class CodeUrl:
    """What a code says: `page` "" for the home page; `query` the query string an A or C code's
    page gets ("" for B); `scene` a B code's scene as the back end gave it ("" for A and C);
    `build` None for the release, "trial" or "develop"."""

    appid: str
    kind: CodeKind
    page: str = ""
    query: str = ""
    scene: str = ""
    build: str | None = None


def _value(text: str) -> str:
    return quote(text, safe=VALUE_SAFE)


def code_url(code: CodeUrl, *, public_url: str) -> str:
    """The URL the code holds (module docstring). Precondition: `code` was checked (codes.py)."""
    parts = [f"k={code.kind}"]
    if code.page:
        parts.append(f"p={_value(code.page)}")
    if code.query and code.kind != "b":
        parts.append(f"q={_value(code.query)}")
    if code.scene and code.kind == "b":
        parts.append(f"s={_value(code.scene)}")
    if code.build:
        parts.append(f"v={code.build}")
    return f"{public_url.rstrip('/')}/mp/{quote(code.appid, safe='')}?{'&'.join(parts)}"


def parse_code_params(appid: str, params: Mapping[str, str]) -> CodeUrl | None:
    """The code that `/mp/<appid>?<params>` names, or None when it is not one we make: an appid
    of another shape, an unknown kind or version, a page with a query, a scene on an A or C code
    or a query on a B one. Unknown parameters are ignored (a scanner app may add its own)."""
    kind = params.get("k")
    build = params.get("v")
    if APPID_LOOKUP.fullmatch(appid) is None or kind not in KINDS:
        return None
    if build is not None and build not in BUILDS:
        return None
    page = params.get("p", "").lstrip("/")
    query = params.get("q", "")
    scene = params.get("s", "")
    if "?" in page or "#" in page:
        return None
    if (kind == "b" and (query or not scene)) or (kind != "b" and scene):
        return None
    return CodeUrl(appid=appid, kind=kind, page=page, query=query, scene=scene, build=build)


def parse_code_url(url: str, *, public_url: str) -> CodeUrl | None:
    """The code `url` is, if it is one of ours (on `public_url`'s origin); else None. A repeated
    parameter makes it none of ours."""
    try:
        parts = urlsplit(url.strip())
        ours = urlsplit(public_url)
    except ValueError:
        return None
    if (parts.scheme, parts.netloc) != (ours.scheme, ours.netloc):
        return None
    match = CODE_PATH.fullmatch(parts.path)
    if match is None:
        return None
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    params = dict(pairs)
    if len(params) != len(pairs):
        return None
    return parse_code_params(match.group(1), params)


def camera_scene(kind: CodeKind) -> int:
    """The scene a code of `kind` opens with when a camera (or a browser) reads it."""
    return CAMERA_QR_SCENE if kind == "c" else CAMERA_CODE_SCENE


def page_query(code: CodeUrl) -> str:
    """The query string the code's page gets: a B code's `scene=<encodeURIComponent(scene)>`,
    an A or C code's own query."""
    if code.kind == "b":
        return "scene=" + quote(code.scene, safe=URI_COMPONENT_SAFE)
    return code.query


def _form(text: str) -> str:
    # What URLSearchParams writes: letters, digits and `*-._` kept, space as "+".
    return quote_plus(text, safe="*").replace("~", "%7E")


def host_route(code: CodeUrl, *, scene: int | None = None) -> str:
    """The host's route for the code (`/#app/<appid>?path=&query=&scene=[&build=]`, read by
    web/host/miniprograms.js `appRoute`), opened with `scene` (default: the camera's,
    `camera_scene`). Always a path on our own origin."""
    params = []
    if code.page:
        params.append(f"path={_form(code.page)}")
    query = page_query(code)
    if query:
        params.append(f"query={_form(query)}")
    chosen = camera_scene(code.kind) if scene is None else scene
    if chosen != DEFAULT_SCENE:  # as hostHash: 1001 is what a route without a scene means
        params.append(f"scene={chosen}")
    if code.build:
        params.append(f"build={_form(code.build)}")
    search = "&".join(params)
    return f"/#app/{quote(code.appid, safe='')}{'?' + search if search else ''}"
