"""The console API over HTTP: one httpx client, the bearer token, and the API's errors.

Every error the server sends (`{"error": {code, message, field, params}}`) is raised as
`ApiError` with that object as it came, so the CLI shows the server's translated `message` and
`--json` passes the whole object on. Problems the server never saw (no server configured, the
network) take the same shape.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from types import TracebackType
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from miniapp.console_client.credentials_store import (
    SERVER_ENV,
    TOKEN_ENV,
    StoredCredentials,
    load_credentials,
)
from miniapp.i18n import translate

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
# An upload may take a while on a slow line; each chunk must still move within the timeout.
UPLOAD_CHUNK = 64 * 1024


class ApiError(Exception):
    """An error in the API's shape: `error` is `{code, message, field, params}`."""

    def __init__(self, error: Mapping[str, Any], *, status: int | None = None) -> None:
        self.error: dict[str, Any] = {
            "code": str(error.get("code", "unexpected")),
            "message": str(error.get("message", "")),
            "field": error.get("field"),
            "params": dict(error.get("params") or {}),
        }
        self.status = status
        super().__init__(self.error["message"])

    @classmethod
    def local(cls, code: str, message: str, **params: Any) -> ApiError:
        """An error found before (or instead of) asking the server."""
        return cls({"code": code, "message": message, "params": params})


def api_path(base: str, *segments: str) -> str:
    """`base` followed by each segment, each quoted whole: an id typed by a person can never
    reach another route (`..`, `/`, `?`)."""
    return "/".join((base, *(quote(segment, safe="") for segment in segments)))


def normalise_server(raw: str) -> str:
    """`https://host[:port][/prefix]` without a trailing slash, or ApiError."""
    url = raw.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ApiError.local(
            "server_invalid", f"Give the server as https://host[:port], not {raw!r}.", server=raw
        )
    return url


def is_loopback(server: str) -> bool:
    host = urlsplit(server).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, kw_only=True)
class Target:
    """Which server to talk to, and the token to show it (None: not signed in)."""

    server: str
    token: str | None
    stored: StoredCredentials | None  # what `miniapp login` stored, if anything


def resolve_target(server_option: str | None, *, require_server: bool = True) -> Target:
    """--server, else MINIAPP_SERVER, else the stored server; MINIAPP_TOKEN, else the stored
    token, which is only ever sent to the server it was issued by."""
    stored = load_credentials()
    raw = server_option or os.environ.get(SERVER_ENV) or (stored.server if stored else None)
    if raw is None:
        if require_server:
            raise ApiError.local(
                "server_missing",
                "No server: run `miniapp login --server URL` or set MINIAPP_SERVER.",
            )
        raw = "http://127.0.0.1:8000"
    server = normalise_server(raw)
    token = os.environ.get(TOKEN_ENV) or None
    if token is None and stored is not None and normalise_server(stored.server) == server:
        token = stored.token
    return Target(server=server, token=token, stored=stored)


def _error_of(response: httpx.Response) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return ApiError(body["error"], status=response.status_code)
    return ApiError(
        {
            "code": "unexpected",
            "message": translate("error.unexpected") + f" (HTTP {response.status_code})",
            "params": {"status": response.status_code},
        },
        status=response.status_code,
    )


UploadProgress = Callable[[int, int], None]


class RemoteApi:
    """A session with one server. Use as a context manager (it holds a connection pool)."""

    def __init__(self, target: Target, *, transport: httpx.BaseTransport | None = None) -> None:
        self.target = target
        headers = {"User-Agent": "miniapp-cli", "Accept": "application/json"}
        if target.token:
            headers["Authorization"] = f"Bearer {target.token}"
        # No cookie jar is ever sent back: a request with cookies would need CSRF headers, and
        # the CLI has no business holding a browser session.
        self.client = httpx.Client(
            base_url=target.server,
            headers=headers,
            timeout=TIMEOUT,
            transport=transport,
            follow_redirects=False,
        )

    def __enter__(self) -> RemoteApi:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.client.close()

    def url(self, path: str) -> str:
        """An absolute URL on the server for a path the API gave (a link, a QR code target)."""
        if urlsplit(path).scheme:
            return path
        return self.target.server + "/" + path.lstrip("/")

    def request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """The answer's JSON object ({} for 204), or ApiError."""
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise ApiError.local(
                "network", f"{translate('error.network')} ({self.target.server}: {exc})"
            ) from exc
        finally:
            self.client.cookies.clear()
        if response.status_code >= 400:
            raise _error_of(response)
        if response.status_code == 204 or not response.content:
            return {}
        try:
            body = response.json()
        except ValueError:
            raise _error_of(response) from None
        return body if isinstance(body, dict) else {"data": body}

    def get(self, path: str, **params: Any) -> dict[str, Any]:
        query = {key: value for key, value in params.items() if value is not None}
        return self.request("GET", path, params=query)

    def post(self, path: str, body: Mapping[str, Any] | None = None) -> dict[str, Any]:
        return self.request("POST", path, json=dict(body) if body is not None else None)

    def patch(self, path: str, body: Mapping[str, Any]) -> dict[str, Any]:
        return self.request("PATCH", path, json=dict(body))

    def delete(self, path: str) -> dict[str, Any]:
        return self.request("DELETE", path)

    def send_form(
        self,
        method: str,
        path: str,
        *,
        fields: Mapping[str, str],
        files: Mapping[str, tuple[str, bytes, str]],
        progress: UploadProgress | None = None,
    ) -> dict[str, Any]:
        """A multipart form, sent in chunks so `progress(sent, total)` can follow it."""
        built = self.client.build_request(method, path, data=dict(fields), files=dict(files))
        body = built.read()

        def chunks() -> Iterator[bytes]:
            for start in range(0, len(body), UPLOAD_CHUNK):
                chunk = body[start : start + UPLOAD_CHUNK]
                yield chunk
                if progress is not None:
                    progress(start + len(chunk), len(body))

        return self.request(
            method,
            path,
            content=chunks(),
            headers={
                "Content-Type": built.headers["Content-Type"],
                "Content-Length": str(len(body)),
            },
        )
