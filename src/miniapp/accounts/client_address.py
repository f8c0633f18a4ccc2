"""Who is on the other end: the client's address, through trusted proxies, and the key that
rate limits count it under."""

from __future__ import annotations

import ipaddress
from functools import cache

from starlette.requests import HTTPConnection

from miniapp.settings import Settings

# One IPv6 customer usually holds a whole /64; counting each /128 apart would hand an attacker
# 2^64 separate budgets.
IPV6_PREFIX = 64


@cache
def _networks(
    entries: tuple[str, ...],
) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _trusted(address: str, settings: Settings) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in _networks(tuple(settings.trusted_proxies)))


def client_address(request: HTTPConnection, settings: Settings) -> str:
    """The peer address, or, when the peer is a trusted proxy, the nearest untrusted address in
    X-Forwarded-For (the rightmost one: entries left of it were written by the client)."""
    peer = request.client.host if request.client else ""
    if not settings.trusted_proxies or not _trusted(peer, settings):
        return peer
    hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if not _trusted(hop, settings):
            return hop
    return peer


def throttle_key(address: str) -> str:
    """The unit rate limits count: an IPv4 address, or an IPv6 /64 (IPv4-mapped IPv6 is IPv4)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:45]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, IPV6_PREFIX), strict=False))
    return str(ip)
