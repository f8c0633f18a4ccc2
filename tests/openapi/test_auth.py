"""openapi/auth.py: the access token read from the query string without parsing the rest of it
reads exactly what a whole parse of the query reads."""

from __future__ import annotations

import pytest
from starlette.datastructures import QueryParams
from starlette.requests import Request

from miniapp.openapi.auth import access_token_given


@pytest.mark.parametrize(
    ("query", "token"),
    [
        (b"", None),
        (b"access_token=abc", "abc"),
        (b"appid=wx1&access_token=abc&secret=s", "abc"),
        (b"access_token=first&access_token=second", "second"),  # the last one, as Starlette
        (b"access_token", ""),
        (b"access_token=", ""),
        (b"access_token=a=b", "a=b"),
        (b"&&access_token=x&&", "x"),
        (b"xaccess_token=1&access_token_2=2", None),
        (b"access_token=%41bc", "Abc"),  # escapes: the general parse
        (b"access%5Ftoken=abc", "abc"),
        (b"access_token=a+b", "a b"),
        (b"access_token=caf\xe9", "caf\xe9"),  # a raw byte, as Latin-1
        (b"access_token=abc;x=1", "abc;x=1"),  # only & separates
    ],
)
def test_the_token_is_read_as_a_whole_parse_of_the_query_reads_it(
    query: bytes, token: str | None
) -> None:
    request = Request({"type": "http", "query_string": query, "headers": []})
    assert access_token_given(request) == token
    assert QueryParams(query).get("access_token") == token
