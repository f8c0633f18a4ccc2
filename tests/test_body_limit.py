"""Request bodies sent to the JSON API are capped before anything parses them."""

from __future__ import annotations

from typing import Any


def test_an_oversized_body_is_refused_with_413(client: Any) -> None:
    huge = {"login": "a@example.com", "password": "x" * 70_000}
    response = client.post("/api/accounts/login", json=huge)
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["code"] == "payload_too_large"
    assert error["params"]["max_bytes"] == 64 * 1024


def test_a_body_without_content_length_is_counted_as_it_streams(client: Any) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(100):
            yield b"x" * 1000

    response = client.post(
        "/api/accounts/login", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_normal_bodies_pass_through(client: Any) -> None:
    response = client.post("/api/accounts/login", json={"login": "a@example.com", "password": "x"})
    assert response.status_code == 401


def test_only_a_streaming_route_is_passed_through_and_its_neighbours_are_not(client: Any) -> None:
    big = b"x" * 70_000
    # wx.uploadFile's proxy reads its body as a stream under its own cap: the route itself
    # answers (the body has no metadata line), not the body limit.
    upload = client.post("/api/runtime/apps/wx0000000000000000/upload", content=big)
    assert upload.status_code == 422
    assert upload.json()["error"]["code"] == "invalid_input"
    for path in (
        "/api/runtime/apps/wx0000000000000000/upload/more",
        "/api/runtime/apps/wx0000000000000000/request",
    ):
        assert client.post(path, content=big).status_code == 413


def test_file_routes_have_their_own_larger_caps_and_nothing_else_does(client: Any) -> None:
    # A 1 MB logo passes the body limit (the route's own checks answer: not signed in), a 4 MB
    # one is refused by the logo route's cap, and a neighbour path keeps the JSON API's cap.
    logo = "/api/console/apps/wx0000000000000000/logo"
    assert client.put(logo, content=b"x" * 1024 * 1024).status_code != 413
    refused = client.put(logo, content=b"x" * 4 * 1024 * 1024)
    assert refused.status_code == 413
    assert refused.json()["error"]["params"]["max_bytes"] == 3 * 1024 * 1024
    neighbour = client.put("/api/console/apps/wx0000000000000000/logo/x", content=b"x" * 70_000)
    assert neighbour.status_code == 413


def test_open_api_bodies_are_capped_too_and_refused_in_wechats_envelope(client: Any) -> None:
    # /cgi-bin/stable_token reads its JSON body before anything authenticates the caller: without
    # the cap, anyone could make the process hold a body of any size in memory.
    padded = b"{" + b" " * 70_000 + b"}"
    for path in (
        "/cgi-bin/stable_token",
        "/wxa/getwxacodeunlimit?access_token=" + "t" * 86,
        "/sns/any",
    ):
        response = client.post(path, content=padded, headers={"content-type": "application/json"})
        # WeChat's clients read errors from the envelope only (openapi/envelope.py).
        assert response.status_code == 200, path
        body = response.json()
        assert body["errcode"] == 47001, path
        assert "65536 bytes" in body["errmsg"]


def test_an_open_api_body_without_content_length_is_counted_as_it_streams(client: Any) -> None:
    def chunks():  # type: ignore[no-untyped-def]
        yield b"{"
        for _ in range(100):
            yield b" " * 1000
        yield b"}"

    response = client.post(
        "/cgi-bin/stable_token", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 200
    assert response.json()["errcode"] == 47001


def test_open_api_bodies_under_the_cap_reach_the_route(client: Any) -> None:
    response = client.post("/cgi-bin/stable_token", json={"grant_type": "password"})
    assert response.json()["errcode"] == 40002
