"""The URL a code holds (discovery/code_urls.py): built in the contract's order and encoding,
read back exactly, refused when it is not one of ours, and turned into the host's route."""

from __future__ import annotations

import doctest
import string
from urllib.parse import parse_qsl, unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from miniapp.discovery import code_urls
from miniapp.discovery.code_urls import (
    CodeUrl,
    camera_scene,
    code_url,
    host_route,
    page_query,
    parse_code_params,
    parse_code_url,
)

PUBLIC = "https://mp.example.com"
APPID = "wx0123456789abcdef"
SCENE_CHARS = string.ascii_letters + string.digits + "!#$&'()*+,/:;=?@-._~"


def route_params(route: str) -> dict[str, str]:
    """What web/host/miniprograms.js `appRoute` reads from the route's fragment (one decode)."""
    assert route.startswith(f"/#app/{APPID}?")
    return dict(parse_qsl(route.partition("?")[2], keep_blank_values=True))


def test_the_module_docstring_example_holds() -> None:
    assert doctest.testmod(code_urls).failed == 0


@pytest.mark.parametrize(
    ("code", "url"),
    [
        (CodeUrl(appid=APPID, kind="b", scene="42"), f"{PUBLIC}/mp/{APPID}?k=b&s=42"),
        (
            CodeUrl(appid=APPID, kind="b", page="pages/a/a", scene="x", build="trial"),
            f"{PUBLIC}/mp/{APPID}?k=b&p=pages/a/a&s=x&v=trial",
        ),
        (
            CodeUrl(appid=APPID, kind="a", page="pages/a/a", query="id=1&n=2"),
            f"{PUBLIC}/mp/{APPID}?k=a&p=pages/a/a&q=id=1%26n=2",
        ),
        (
            CodeUrl(appid=APPID, kind="c", page="pages/a/a", build="develop"),
            f"{PUBLIC}/mp/{APPID}?k=c&p=pages/a/a&v=develop",
        ),
    ],
)
def test_parameters_come_in_order_and_defaults_are_left_out(code: CodeUrl, url: str) -> None:
    assert code_url(code, public_url=PUBLIC) == url
    assert code_url(code, public_url=PUBLIC + "/") == url
    assert parse_code_url(url, public_url=PUBLIC) == code


def test_what_means_something_in_a_query_is_encoded_and_the_rest_kept_short() -> None:
    code = CodeUrl(appid=APPID, kind="b", scene="a+b&c=d#e'f/g:h")
    url = code_url(code, public_url=PUBLIC)
    assert url.endswith("?k=b&s=a%2Bb%26c=d%23e%27f/g:h")
    query = CodeUrl(appid=APPID, kind="a", page="pages/a/a", query="q=茶 1&x=%41")
    url = code_url(query, public_url=PUBLIC)
    assert url.endswith("&q=q=%E8%8C%B6%201%26x=%2541")
    assert parse_code_url(url, public_url=PUBLIC) == query


@given(st.text(alphabet=SCENE_CHARS, min_size=1, max_size=32))
def test_every_scene_wechat_allows_comes_back_exactly(scene: str) -> None:
    code = CodeUrl(appid=APPID, kind="b", page="pages/a/a", scene=scene)
    assert parse_code_url(code_url(code, public_url=PUBLIC), public_url=PUBLIC) == code
    # The page gets it URI-encoded, as WeChat gives it; decoding gives the scene back.
    query = route_params(host_route(code))["query"]
    assert query.startswith("scene=") and "&" not in query
    assert unquote(query.removeprefix("scene=")) == scene


@pytest.mark.parametrize(
    "url",
    [
        f"https://evil.example/mp/{APPID}?k=b&s=1",  # another server
        f"http://mp.example.com/mp/{APPID}?k=b&s=1",  # another scheme
        f"{PUBLIC}/mq/{APPID}?k=b&s=1",
        f"{PUBLIC}/mp/{APPID}/x?k=b&s=1",
        f"{PUBLIC}/mp/{APPID}?k=d&s=1",  # no such kind
        f"{PUBLIC}/mp/{APPID}?s=1",
        f"{PUBLIC}/mp/{APPID}?k=b&s=1&v=beta",  # no such version
        f"{PUBLIC}/mp/{APPID}?k=b&s=1&k=a",  # a parameter twice
        f"{PUBLIC}/mp/{APPID}?k=b",  # a B code names a scene
        f"{PUBLIC}/mp/{APPID}?k=b&s=1&q=a%3D1",  # …and no query
        f"{PUBLIC}/mp/{APPID}?k=a&s=1",  # an A code names no scene
        f"{PUBLIC}/mp/{APPID}?k=a&p=pages/a/a%3Fx%3D1",  # a page with a query in it
        f"{PUBLIC}/mp/bad%20appid?k=a",
        f"{PUBLIC}/mp/{'w' * 33}?k=a",
        "not a url at all",
        "http://[::1",
    ],
)
def test_a_url_that_is_not_one_of_our_codes_is_none(url: str) -> None:
    assert parse_code_url(url, public_url=PUBLIC) is None


def test_unknown_parameters_are_ignored_and_a_leading_slash_of_the_page_is_dropped() -> None:
    code = parse_code_params(APPID, {"k": "a", "p": "/pages/a/a", "utm": "x"})
    assert code == CodeUrl(appid=APPID, kind="a", page="pages/a/a")


def test_the_host_route_of_a_b_code_gives_the_page_the_encoded_scene_with_the_camera_scene() -> (
    None
):
    code = CodeUrl(appid=APPID, kind="b", page="pages/a/a", scene="a=1&b=/", build="trial")
    assert host_route(code) == (
        f"/#app/{APPID}?path=pages%2Fa%2Fa&query=scene%3Da%253D1%2526b%253D%252F"
        "&scene=1047&build=trial"
    )  # what web/shared/code-urls.js `hostHash(codeRoute(code))` writes (tests/e2e too)
    assert route_params(host_route(code)) == {
        "path": "pages/a/a",
        "query": "scene=a%3D1%26b%3D%2F",
        "scene": "1047",
        "build": "trial",
    }
    # encodeURIComponent keeps !'()* (quote would not).
    assert page_query(CodeUrl(appid=APPID, kind="b", scene="(a)*!'~")) == "scene=(a)*!'~"


def test_the_host_route_of_a_c_code_passes_its_query_as_written_with_scene_1011() -> None:
    code = CodeUrl(appid=APPID, kind="c", page="pages/a/a", query="x=%E4&y=a b")
    assert route_params(host_route(code)) == {
        "path": "pages/a/a",
        "query": "x=%E4&y=a b",
        "scene": "1011",
    }
    home = CodeUrl(appid=APPID, kind="a")
    assert host_route(home) == f"/#app/{APPID}?scene=1047"
    assert host_route(home, scene=1049) == f"/#app/{APPID}?scene=1049"
    assert host_route(home, scene=1001) == f"/#app/{APPID}"  # as hostHash: 1001 is the default
    assert (camera_scene("a"), camera_scene("b"), camera_scene("c")) == (1047, 1047, 1011)
