"""wx.downloadFile and wx.uploadFile through the proxy (transfer.py, transfer_routes.py).

As in test_routes.py, the upstream is a real server on loopback (reachable in development mode
only) under a made-up name answered by `fake_dns`.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest

from miniapp.db.session import Database
from miniapp.netproxy.transfer import multipart_body
from tests.conftest import CSRF_COOKIE, SESSION_COOKIE, ApiClient
from tests.netproxy.conftest import APPID, PNG_BYTES, FakeDNS, Upstream, register_app


@pytest.fixture
def files(database: Database, fake_dns: FakeDNS, upstream: Upstream) -> str:
    """An app whose download and upload domain is the loopback upstream (but no request domain)."""
    fake_dns.add("files.shop.test", ["127.0.0.1"])
    register_app(
        database,
        download_domains=[f"files.shop.test:{upstream.port}"],
        upload_domains=[f"files.shop.test:{upstream.port}"],
    )
    return f"http://files.shop.test:{upstream.port}"


def download(client: ApiClient, payload: dict[str, Any]) -> Any:
    return client.post(f"/api/runtime/apps/{APPID}/download", json=payload)


def upload(client: ApiClient, meta: dict[str, Any], content: bytes, **kwargs: Any) -> Any:
    body = json.dumps(meta).encode() + b"\n" + content
    return client.post(f"/api/runtime/apps/{APPID}/upload", content=body, **kwargs)


# --- download -----------------------------------------------------------------------------------


def test_download_streams_the_file_with_status_length_and_headers(
    dev_client: ApiClient, files: str, upstream: Upstream
) -> None:
    answer = download(dev_client, {"url": f"{files}/binary", "header": {"X-Token": "t1"}})
    assert answer.status_code == 200, answer.text
    assert answer.content == PNG_BYTES
    assert answer.headers["x-miniapp-status"] == "200"
    assert answer.headers["x-miniapp-length"] == str(len(PNG_BYTES))
    assert json.loads(answer.headers["x-miniapp-headers"])["Content-Type"] == "image/png"
    (seen,) = upstream.seen
    assert (seen.method, seen.path) == ("GET", "/binary")
    assert seen.header("X-Token") == "t1"
    assert seen.header("Content-Type") is None  # a GET: no default body type
    assert seen.header("Referer") == f"https://testserver/{APPID}/page-frame.html"


def test_download_of_an_error_status_is_a_file_too(dev_client: ApiClient, files: str) -> None:
    answer = download(dev_client, {"url": f"{files}/status?code=404"})
    assert answer.status_code == 200
    assert answer.headers["x-miniapp-status"] == "404"
    assert answer.content == b"status body"


def test_download_never_forwards_the_users_cookies(
    dev_client: ApiClient, files: str, upstream: Upstream
) -> None:
    dev_client.cookies.set(SESSION_COOKIE, "users-session-secret", domain="testserver.local")
    assert download(dev_client, {"url": f"{files}/binary"}).status_code == 200
    sent = json.dumps(upstream.seen[0].headers)
    assert "users-session-secret" not in sent
    csrf = dev_client.cookies.get(CSRF_COOKIE)
    assert csrf and csrf not in sent
    assert upstream.seen[0].header("Cookie") is None


def test_download_refusals_in_production(
    client: ApiClient, files: str, upstream: Upstream, fake_dns: FakeDNS
) -> None:
    other = download(client, {"url": f"https://elsewhere.test:{upstream.port}/binary"})
    assert other.status_code == 403
    assert other.json()["error"]["params"]["errMsg"] == "downloadFile:fail url not in domain list"
    plain = download(client, {"url": f"{files}/binary"})
    assert plain.status_code == 422
    assert plain.json()["error"]["params"]["errMsg"] == "downloadFile:fail invalid url"
    private = download(client, {"url": f"https://files.shop.test:{upstream.port}/binary"})
    assert private.status_code == 403
    assert private.json()["error"]["params"]["errMsg"] == "downloadFile:fail address not allowed"
    assert upstream.seen == []


def test_request_domains_do_not_allow_downloads(
    client: ApiClient, database: Database, fake_dns: FakeDNS, upstream: Upstream
) -> None:
    fake_dns.add("api.public.test", ["93.184.216.34"])
    register_app(database, name="Other", request_domains=["api.public.test"])
    answer = download(client, {"url": "https://api.public.test/file.png"})
    assert answer.status_code == 403
    assert answer.json()["error"]["params"]["errMsg"] == "downloadFile:fail url not in domain list"


def test_download_too_large_is_refused(
    dev_client: ApiClient, files: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from miniapp.netproxy import transfer_routes

    monkeypatch.setattr(transfer_routes, "MAX_DOWNLOAD_BYTES", 1000)
    answer = download(dev_client, {"url": f"{files}/big?n=5000"})
    assert answer.status_code == 502
    assert answer.json()["error"]["params"]["errMsg"] == "downloadFile:fail exceed max file size"


def test_download_timeout(dev_client: ApiClient, files: str, upstream: Upstream) -> None:
    answer = download(dev_client, {"url": f"{files}/wait", "timeout": 1500})
    assert answer.status_code == 504
    assert answer.json()["error"]["params"]["errMsg"] == "downloadFile:fail timeout"


# --- upload -------------------------------------------------------------------------------------


def test_upload_sends_multipart_with_form_data(
    dev_client: ApiClient, files: str, upstream: Upstream
) -> None:
    content = bytes(range(256)) * 10
    answer = upload(
        dev_client,
        {
            "url": f"{files}/echo",
            "name": "photo",
            "filename": "tmp_1.png",
            "header": {"X-Token": "t2", "Content-Type": "text/plain"},
            "formData": {"user": "小明", "n": "1"},
        },
        content,
    )
    assert answer.status_code == 200, answer.text
    result = answer.json()
    assert result["statusCode"] == 200
    echoed = json.loads(result["data"])  # WeChat's `data` is the answer's text
    assert echoed["method"] == "POST"
    (seen,) = upstream.seen
    kind = seen.header("Content-Type") or ""
    assert kind.startswith("multipart/form-data; boundary=")
    boundary = kind.split("boundary=", 1)[1]
    assert seen.body == multipart_body(
        name="photo",
        filename="tmp_1.png",
        content=content,
        form={"user": "小明", "n": "1"},
        boundary=boundary,
    )
    assert b'name="photo"; filename="tmp_1.png"\r\nContent-Type: image/png\r\n\r\n' in seen.body
    assert base64.b64decode(echoed["body"]) == seen.body
    assert seen.header("X-Token") == "t2"
    assert seen.header("Cookie") is None


def test_multipart_escapes_quotes_and_newlines() -> None:
    body = multipart_body(
        name='a"b', filename="x\r\ny.txt", content=b"", form={'k"\n': "v"}, boundary="B"
    )
    assert b'name="a%22b"; filename="x%0D%0Ay.txt"' in body
    assert b'name="k%22%0A"' in body


def test_upload_refusals(client: ApiClient, files: str, upstream: Upstream) -> None:
    meta = {"url": f"https://elsewhere.test:{upstream.port}/echo", "name": "f", "filename": "a"}
    other = upload(client, meta, b"x")
    assert other.status_code == 403
    assert other.json()["error"]["params"]["errMsg"] == "uploadFile:fail url not in domain list"
    plain = upload(client, {**meta, "url": f"{files}/echo"}, b"x")
    assert plain.json()["error"]["params"]["errMsg"] == "uploadFile:fail invalid url"
    assert upstream.seen == []


def test_upload_needs_the_csrf_token_and_our_origin(
    dev_client: ApiClient, files: str, upstream: Upstream
) -> None:
    meta = {"url": f"{files}/echo", "name": "f", "filename": "a"}
    forged = upload(dev_client, meta, b"x", headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 403 and forged.json()["error"]["code"] == "csrf_failed"
    cross = upload(dev_client, meta, b"x", headers={"Origin": "https://evil.test"})
    assert cross.status_code == 403
    assert upstream.seen == []


def test_upload_too_large(
    dev_client: ApiClient, files: str, upstream: Upstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    from miniapp.netproxy import transfer_routes

    monkeypatch.setattr(transfer_routes, "MAX_UPLOAD_BYTES", 100)
    meta = {"url": f"{files}/echo", "name": "f", "filename": "a"}
    answer = upload(dev_client, meta, b"x" * 101)
    assert answer.status_code == 502
    assert answer.json()["error"]["params"]["errMsg"] == "uploadFile:fail file too large"
    assert upload(dev_client, meta, b"x" * 100).status_code == 200
    assert len(upstream.seen) == 1


def test_upload_without_metadata_is_invalid(dev_client: ApiClient, files: str) -> None:
    answer = dev_client.post(f"/api/runtime/apps/{APPID}/upload", content=b"no newline")
    assert answer.status_code == 422
    assert answer.json()["error"]["code"] == "invalid_input"


def test_uploads_held_in_memory_together_are_capped(
    dev_client: ApiClient, files: str, upstream: Upstream, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each upload's body is read whole before it is sent on: without a cap on what uploads in
    # flight hold together, anyone could make the server hold any number of 50 MB bodies.
    import threading

    from miniapp.netproxy import transfer_routes

    monkeypatch.setattr(transfer_routes, "MAX_UPLOAD_BUFFER_BYTES", 1000)
    waiting = {"url": f"{files}/wait", "name": "f", "filename": "a"}
    first: list[Any] = []
    thread = threading.Thread(target=lambda: first.append(upload(dev_client, waiting, b"x" * 600)))
    thread.start()
    try:
        assert upstream.started_waiting.wait(timeout=10)
        meta = {"url": f"{files}/echo", "name": "f", "filename": "a"}
        refused = upload(dev_client, meta, b"x" * 600)
        assert refused.status_code == 429
        assert refused.json()["error"]["params"]["errMsg"] == (
            "uploadFile:fail exceed max task count"
        )
        assert upload(dev_client, meta, b"x" * 10).status_code == 200  # within what is left
    finally:
        upstream.release.set()
        thread.join(timeout=30)
    assert first[0].status_code == 200
    assert transfer_routes.UPLOAD_BUFFERS.used == {}
    assert upload(dev_client, waiting, b"x" * 600).status_code == 200


def test_upload_without_a_declared_length_is_refused(dev_client: ApiClient, files: str) -> None:
    meta = {"url": f"{files}/echo", "name": "f", "filename": "a"}

    def chunks() -> Iterator[bytes]:
        yield json.dumps(meta).encode() + b"\n"
        yield b"x" * 10

    answer = dev_client.post(f"/api/runtime/apps/{APPID}/upload", content=chunks())
    assert answer.status_code == 422
