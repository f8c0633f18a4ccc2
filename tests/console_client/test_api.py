"""The HTTP client: which server and token, the API's errors as they came, the network's."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from miniapp.console_client.api import (
    ApiError,
    RemoteApi,
    Target,
    api_path,
    is_loopback,
    normalise_server,
    resolve_target,
)
from miniapp.console_client.credentials_store import StoredCredentials, save_credentials


@pytest.fixture(autouse=True)
def clean_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("MINIAPP_SERVER", raising=False)
    monkeypatch.delenv("MINIAPP_TOKEN", raising=False)


def stored(server: str = "https://mp.example.com") -> None:
    save_credentials(StoredCredentials(server=server, token="mpat_s", token_id="1", login="a"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://mp.example.com/", "https://mp.example.com"),
        (" http://127.0.0.1:8000 ", "http://127.0.0.1:8000"),
        ("https://example.com/miniapp", "https://example.com/miniapp"),
    ],
)
def test_servers_are_normalised(raw: str, expected: str) -> None:
    assert normalise_server(raw) == expected


@pytest.mark.parametrize("raw", ["mp.example.com", "ftp://x", "https://", "https://x/?a=1"])
def test_bad_servers_are_refused(raw: str) -> None:
    with pytest.raises(ApiError) as refused:
        normalise_server(raw)
    assert refused.value.error["code"] == "server_invalid"


def test_path_segments_are_quoted_whole() -> None:
    assert api_path("/api/console/apps", "../../accounts", "versions") == (
        "/api/console/apps/..%2F..%2Faccounts/versions"
    )


def test_loopback() -> None:
    assert is_loopback("http://127.0.0.1:8000") and is_loopback("http://localhost")
    assert not is_loopback("http://192.168.1.2:8000")


def test_option_beats_environment_beats_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    stored()
    assert resolve_target(None).server == "https://mp.example.com"
    assert resolve_target(None).token == "mpat_s"
    monkeypatch.setenv("MINIAPP_SERVER", "https://ci.example.com")
    assert resolve_target(None).server == "https://ci.example.com"
    assert resolve_target("https://x.example.com").server == "https://x.example.com"
    monkeypatch.setenv("MINIAPP_TOKEN", "mpat_env")
    assert resolve_target(None).token == "mpat_env"


def test_the_stored_token_is_never_sent_to_another_server() -> None:
    stored()
    assert resolve_target("https://other.example.com").token is None
    assert resolve_target("https://mp.example.com/").token == "mpat_s"


def test_no_server_anywhere() -> None:
    with pytest.raises(ApiError) as refused:
        resolve_target(None)
    assert refused.value.error["code"] == "server_missing"
    assert resolve_target(None, require_server=False).server == "http://127.0.0.1:8000"


def api(handler: httpx.MockTransport) -> RemoteApi:
    target = Target(server="https://mp.example.com", token="mpat_t", stored=None)
    return RemoteApi(target, transport=handler)


def test_the_token_goes_in_the_authorization_header_and_no_cookie_is_kept() -> None:
    seen: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"ok": True}, headers={"Set-Cookie": "a=b; Path=/"})

    with api(httpx.MockTransport(handle)) as client:
        assert client.get("/api/accounts/me") == {"ok": True}
        client.get("/api/accounts/me")
    assert seen[0].headers["Authorization"] == "Bearer mpat_t"
    assert "cookie" not in seen[1].headers


def test_api_errors_come_as_sent() -> None:
    error = {
        "code": "role_required",
        "message": "Admins only.",
        "field": None,
        "params": {"role": "admin"},
    }
    transport = httpx.MockTransport(lambda _r: httpx.Response(403, json={"error": error}))
    with api(transport) as client, pytest.raises(ApiError) as refused:
        client.post("/api/x", {"a": 1})
    assert refused.value.error == error and refused.value.status == 403


def test_a_non_api_answer_is_still_an_error() -> None:
    transport = httpx.MockTransport(lambda _r: httpx.Response(502, text="Bad gateway"))
    with api(transport) as client, pytest.raises(ApiError) as refused:
        client.get("/api/x")
    assert refused.value.error["code"] == "unexpected"
    assert "502" in refused.value.error["message"]


def test_the_network_failing_is_an_error_of_the_same_shape() -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with api(httpx.MockTransport(fail)) as client, pytest.raises(ApiError) as refused:
        client.get("/api/x")
    assert refused.value.error["code"] == "network"


def test_a_form_is_sent_whole_with_progress() -> None:
    received: list[bytes] = []

    def handle(request: httpx.Request) -> httpx.Response:
        received.append(request.read())
        assert int(request.headers["Content-Length"]) == len(received[0])
        assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
        return httpx.Response(201, json={"stored": True})

    progress: list[tuple[int, int]] = []
    package = b"z" * 200_000
    with api(httpx.MockTransport(handle)) as client:
        answer = client.send_form(
            "POST",
            "/api/up",
            fields={"version": "1.0.0"},
            files={"package": ("p.zip", package, "application/zip")},
            progress=lambda sent, total: progress.append((sent, total)),
        )
    assert answer == {"stored": True}
    assert package in received[0] and b"1.0.0" in received[0]
    assert progress[-1][0] == progress[-1][1] == len(received[0])
    assert len(progress) > 1


def test_relative_links_are_made_absolute() -> None:
    with api(httpx.MockTransport(lambda _r: httpx.Response(204))) as client:
        assert client.url("/#app/wx1?build=2") == "https://mp.example.com/#app/wx1?build=2"
        assert client.url("https://cdn.example.com/x") == "https://cdn.example.com/x"
        assert client.delete("/api/x") == {}
