"""`wx.downloadFile` and `wx.uploadFile`: the same checked, pinned connection as `wx.request`.

- A download streams the upstream body back to the host page as it arrives (the host page shows
  progress from the declared length), capped at `MAX_DOWNLOAD_BYTES`: a declared length over the
  cap is refused before anything is sent, an undeclared one is cut off by breaking the stream (the
  host page sees a network error, never a truncated file reported as complete).
- An upload sends the file as `multipart/form-data` (the app's `formData` fields, then the file
  under `name`), as WeChat does, and reads the answer as text like `wx.request`.

Targets are checked by targets.py with the domain list of the right kind (`download_domains`,
`upload_domains`); failures carry WeChat's errMsg with the API's name (`downloadFile:fail url not
in domain list`). Connections are made as forward.py makes them: to the pinned address, TLS
verified against the name, no redirects followed, no proxy from the environment, nothing of the
user's (cookies, credentials) added.
"""

from __future__ import annotations

import asyncio
import mimetypes
import re
import ssl
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field

import httpx

from miniapp.netproxy.errors import NetRequestError
from miniapp.netproxy.forward import (
    USER_AGENT,
    ForwardedResponse,
    _caused_by_tls,
    do_forward_request,
    effective_timeout_ms,
    outgoing_headers,
    platform_ssl_context,
)
from miniapp.netproxy.targets import Target, check_request_target

MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_FORM_FIELDS = 100
CHUNK_BYTES = 64 * 1024


async def checked_target(
    url: str,
    *,
    api: str,
    domains: Sequence[str] | None,
    allow_private: bool,
    timeout_ms: int,
    scheme: str = "https",
) -> Target:
    """check_request_target in a worker thread, within the timeout, failing as `api` does."""
    try:
        async with asyncio.timeout(timeout_ms / 1000):
            return await asyncio.to_thread(
                check_request_target,
                url,
                domains=domains,
                allow_private=allow_private,
                scheme=scheme,
            )
    except TimeoutError:
        raise NetRequestError("request_timeout", api=api) from None
    except NetRequestError as error:
        raise error.for_api(api) from None


# --- download -----------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Download:
    """An upstream answer whose body is still to be read (`chunks()`); close it with `aclose()`."""

    status: int
    headers: list[tuple[str, str]]
    length: int | None  # the declared Content-Length, if any
    response: httpx.Response
    client: httpx.AsyncClient
    deadline: float  # loop time by which the whole body must have arrived
    max_bytes: int
    read: int = field(default=0)

    def header_map(self) -> dict[str, str]:
        return ForwardedResponse(status=self.status, headers=self.headers, body=b"").header_map()

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body as it arrives; raises NetRequestError past the cap or the deadline."""
        try:
            async with asyncio.timeout_at(self.deadline):
                async for chunk in self.response.aiter_bytes(CHUNK_BYTES):
                    self.read += len(chunk)
                    if self.read > self.max_bytes:
                        raise NetRequestError(
                            "request_response_too_large",
                            api="downloadFile",
                            max_bytes=self.max_bytes,
                        )
                    yield chunk
        except TimeoutError:
            raise NetRequestError("request_timeout", api="downloadFile") from None
        except httpx.HTTPError:
            raise NetRequestError("request_network_error", api="downloadFile") from None
        finally:
            await self.aclose()

    async def aclose(self) -> None:
        await self.response.aclose()
        await self.client.aclose()


async def do_open_download(
    *,
    target: Target,
    headers: Mapping[str, str],
    timeout_ms: int | None,
    referer: str,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    ssl_context: ssl.SSLContext | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Download:
    """GET `target` from its pinned address and wait for the answer's head.

    Any HTTP status is an answer (WeChat's downloadFile gives `statusCode` and a file for 404 too).
    Raises NetRequestError (downloadFile's errMsg) for a refused header, a timeout, a failed
    connection, or a declared length over `max_bytes`."""
    seconds = effective_timeout_ms(timeout_ms) / 1000
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    try:
        # A GET has no body: no default content-type (outgoing_headers adds request's).
        sent = [
            pair
            for pair in outgoing_headers(headers, target=target, referer=referer)
            if pair != (b"content-type", b"application/json")
        ]
    except NetRequestError as error:
        raise error.for_api("downloadFile") from None
    client = httpx.AsyncClient(
        verify=ssl_context or platform_ssl_context(),
        trust_env=False,
        follow_redirects=False,
        timeout=httpx.Timeout(seconds),
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=0),
        transport=transport,
        headers={"User-Agent": USER_AGENT.replace("wx.request", "wx.downloadFile")},
    )
    try:
        async with asyncio.timeout_at(deadline):
            request = client.build_request(
                "GET", target.connect_url, headers=sent, extensions={"sni_hostname": target.host}
            )
            response = await client.send(request, stream=True)
    except (TimeoutError, httpx.TimeoutException):
        await client.aclose()
        raise NetRequestError("request_timeout", api="downloadFile") from None
    except httpx.ConnectError as exc:
        await client.aclose()
        code = "request_tls_failed" if _caused_by_tls(exc) else "request_connect_failed"
        raise NetRequestError(code, api="downloadFile") from None
    except httpx.LocalProtocolError:
        await client.aclose()
        raise NetRequestError(
            "request_invalid_header", api="downloadFile", field="header"
        ) from None
    except httpx.HTTPError:
        await client.aclose()
        raise NetRequestError("request_network_error", api="downloadFile") from None
    declared = response.headers.get("content-length", "")
    length = int(declared) if declared.isdigit() else None
    # A compressed body's declared length is not what is stored: count the decoded bytes only.
    if response.headers.get("content-encoding", "identity").lower() not in ("", "identity"):
        length = None
    download = Download(
        status=response.status_code,
        headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw],
        length=length,
        response=response,
        client=client,
        deadline=deadline,
        max_bytes=max_bytes,
    )
    if length is not None and length > max_bytes:
        await download.aclose()
        raise NetRequestError(
            "request_response_too_large",
            api="downloadFile",
            reason="exceed max file size",
            max_bytes=max_bytes,
        )
    return download


# --- upload -------------------------------------------------------------------------------------

_UNSAFE_IN_QUOTES = re.compile(r'["\r\n]')


def _quoted(value: str) -> str:
    """A multipart parameter value, escaped as browsers do (HTML's form-data encoding)."""
    return _UNSAFE_IN_QUOTES.sub(lambda m: {'"': "%22", "\r": "%0D", "\n": "%0A"}[m[0]], value)


def multipart_body(
    *, name: str, filename: str, content: bytes, form: Mapping[str, str], boundary: str
) -> bytes:
    """`formData`'s fields, then the file part, as multipart/form-data."""
    parts: list[bytes] = []
    for key, value in form.items():
        parts.append(
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{_quoted(key)}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    parts.append(
        (
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{_quoted(name)}"; filename="{_quoted(filename)}"\r\n'
            f"Content-Type: {kind}\r\n\r\n"
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts)


async def do_upload(
    *,
    target: Target,
    name: str,
    filename: str,
    content: bytes,
    form: Mapping[str, str],
    headers: Mapping[str, str],
    timeout_ms: int | None,
    referer: str,
    boundary: str,
    ssl_context: ssl.SSLContext | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ForwardedResponse:
    """POST the file to `target` as multipart/form-data; the whole answer (capped as request's)."""
    if len(form) > MAX_FORM_FIELDS:
        raise NetRequestError("request_invalid_header", api="uploadFile", field="formData")
    body = multipart_body(
        name=name, filename=filename, content=content, form=form, boundary=boundary
    )
    own = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    own["Content-Type"] = f"multipart/form-data; boundary={boundary}"
    try:
        return await do_forward_request(
            target=target,
            method="POST",
            headers=own,
            body=body,
            timeout_ms=timeout_ms,
            referer=referer,
            ssl_context=ssl_context,
            transport=transport,
        )
    except NetRequestError as error:
        raise error.for_api("uploadFile") from None
