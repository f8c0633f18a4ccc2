"""Performs one checked `wx.request` and reads its answer, within WeChat's limits.

- The connection goes to the pinned address of the `Target` (see targets.py), with the host name in
  the Host header and as the TLS server name, so the certificate is verified against the name.
- Each call gets its own client and connection: a pooled connection is keyed by address, so
  sharing one could carry a request for one name over a TLS session verified for another.
- Redirects are not followed: a 3xx comes back as it is (with its Location), like any status.
  A mini program that follows one makes a new request, which is checked again.
- The mini program's headers are sent except hop-by-hop ones, Host, Content-Length, Referer and
  Accept-Encoding; the Referer is the platform's (WeChat refuses to let apps set it). The proxy
  itself adds nothing of the user's: no cookies, no credentials.
- The whole exchange (connect, TLS, request, reading the body) must finish within the timeout.
"""

from __future__ import annotations

import asyncio
import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

import httpx

from miniapp.netproxy.errors import NetRequestError
from miniapp.netproxy.targets import Target

DEFAULT_TIMEOUT_MS = 60_000  # WeChat's default, and the most app.json's networkTimeout may ask
MAX_TIMEOUT_MS = 60_000
MAX_RESPONSE_BYTES = 10 * 1024 * 1024
MAX_REQUEST_HEADERS = 100
USER_AGENT = "Miniapp (wx.request)"

# wx.request's methods; CONNECT would turn the proxy into a tunnel and is refused.
METHODS = frozenset({"OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE"})

# Never taken from the mini program: hop-by-hop (RFC 9110 7.6.1), those the proxy computes, and
# Referer, which WeChat does not let an app set.
DROPPED_HEADERS = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
        "content-length",
        "referer",
        "accept-encoding",
    }
)
HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # an RFC 9110 token
# Any text but control characters (so no CR/LF: no header injection); sent as UTF-8, as WeChat does.
HEADER_VALUE = re.compile(r"[^\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]*")


@dataclass(frozen=True, kw_only=True)
class ForwardedResponse:
    status: int
    headers: list[tuple[str, str]]  # in the order received, names as the server spelled them
    body: bytes

    def header_map(self) -> dict[str, str]:
        """One value per name (the first spelling kept), repeated headers joined with ", "."""
        merged: dict[str, str] = {}
        spelling: dict[str, str] = {}
        for name, value in self.headers:
            key = spelling.setdefault(name.lower(), name)
            merged[key] = f"{merged[key]}, {value}" if key in merged else value
        return merged

    @property
    def cookies(self) -> list[str]:
        """Each Set-Cookie header's value, as WeChat's `cookies` lists them."""
        return [value for name, value in self.headers if name.lower() == "set-cookie"]


def effective_timeout_ms(requested: int | None) -> int:
    """WeChat's rule: unset (or nonsense) means the default; more than the maximum is capped."""
    if requested is None or requested <= 0:
        return DEFAULT_TIMEOUT_MS
    return min(requested, MAX_TIMEOUT_MS)


def outgoing_headers(
    headers: Mapping[str, str], *, target: Target, referer: str
) -> list[tuple[bytes, bytes]]:
    """The headers sent upstream: the mini program's (checked, minus the dropped ones), the Host,
    the platform's Referer, and WeChat's default `content-type: application/json`."""
    if len(headers) > MAX_REQUEST_HEADERS:
        raise NetRequestError("request_invalid_header", field="header")
    sent: list[tuple[bytes, bytes]] = [(b"Host", target.host_header.encode("ascii"))]
    has_content_type = False
    for name, value in headers.items():
        if not HEADER_NAME.fullmatch(name) or not HEADER_VALUE.fullmatch(value):
            raise NetRequestError("request_invalid_header", field="header")
        lower = name.lower()
        if lower in DROPPED_HEADERS:
            continue
        has_content_type = has_content_type or lower == "content-type"
        sent.append((name.encode("ascii"), value.encode("utf-8")))
    if not has_content_type:
        sent.append((b"content-type", b"application/json"))
    sent.append((b"Referer", referer.encode("utf-8")))
    return sent


@cache
def platform_ssl_context() -> ssl.SSLContext:
    """Verifying TLS context (certifi's roots, as httpx uses), built once: loading the roots costs
    milliseconds, and each request gets its own client."""
    return httpx.create_ssl_context(trust_env=False)


async def do_forward_request(
    *,
    target: Target,
    method: str,
    headers: Mapping[str, str],
    body: bytes,
    timeout_ms: int | None,
    referer: str,
    max_response_bytes: int = MAX_RESPONSE_BYTES,
    ssl_context: ssl.SSLContext | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ForwardedResponse:
    """Send the request to `target`'s pinned address and read the whole answer.

    Any HTTP status is an answer (WeChat calls `success` for 4xx and 5xx too). Raises
    `NetRequestError` for a refused method or header, a timeout, a failed connection or TLS
    handshake, and an answer larger than `max_response_bytes`. `ssl_context` replaces the
    platform's trust roots (tests use their own CA); `transport` replaces the network (tests).
    """
    verb = method.upper()
    if verb not in METHODS:
        raise NetRequestError("request_method_refused", field="method", method=verb[:16])
    sent_headers = outgoing_headers(headers, target=target, referer=referer)
    seconds = effective_timeout_ms(timeout_ms) / 1000
    client = httpx.AsyncClient(
        verify=ssl_context or platform_ssl_context(),
        trust_env=False,  # never an HTTP(S)_PROXY from the environment: we connect where we checked
        follow_redirects=False,
        timeout=httpx.Timeout(seconds),
        limits=httpx.Limits(max_connections=1, max_keepalive_connections=0),
        transport=transport,
        headers={"User-Agent": USER_AGENT},  # the mini program may set its own
    )
    try:
        async with client, asyncio.timeout(seconds):
            request = client.build_request(
                verb,
                target.connect_url,
                headers=sent_headers,
                content=body if body or verb not in ("GET", "HEAD", "OPTIONS", "TRACE") else None,
                extensions={"sni_hostname": target.host},
            )
            response = await client.send(request, stream=True)
            try:
                content = await _read_capped(response, max_bytes=max_response_bytes)
            finally:
                await response.aclose()
    except TimeoutError:
        raise NetRequestError("request_timeout") from None
    except httpx.TimeoutException:
        raise NetRequestError("request_timeout") from None
    except httpx.ConnectError as exc:
        code = "request_tls_failed" if _caused_by_tls(exc) else "request_connect_failed"
        raise NetRequestError(code) from None
    except httpx.InvalidURL:
        raise NetRequestError("request_invalid_url", field="url") from None
    except httpx.LocalProtocolError:  # what h11 refuses to send
        raise NetRequestError("request_invalid_header", field="header") from None
    except httpx.HTTPError:
        raise NetRequestError("request_network_error") from None
    return ForwardedResponse(
        status=response.status_code,
        headers=[
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in response.headers.raw
        ],
        body=content,
    )


async def _read_capped(response: httpx.Response, *, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise NetRequestError("request_response_too_large", max_bytes=max_bytes)
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():  # decoded: a compressed bomb is caught too
        size += len(chunk)
        if size > max_bytes:
            raise NetRequestError("request_response_too_large", max_bytes=max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _caused_by_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
