"""Where a `wx.request` may go: a registered domain, resolved once, to a public address.

`check_request_target` is the only gate between mini-program code and the network. It accepts a URL
when:
- the scheme is https (plain http too when `allow_private`, the development switch);
- there is no userinfo (`user:pass@`), and the host is a name, not an IP literal (unless
  `allow_private`);
- host and port equal one of the app's registered domains: case-insensitive, exact (no wildcard,
  no parent domain); an entry without a port matches only the scheme's default port (443 for
  https), so `api.example.com` and `api.example.com:443` are the same entry;
- every address the name resolves to is public: none is loopback, private, link-local, multicast,
  reserved, unspecified, shared (CGNAT), nor an IPv6 form embedding such an IPv4 address
  (IPv4-mapped, NAT64, 6to4). `allow_private` lifts this check, for development.

The answer pins the address that was checked: the proxy connects to that IP while sending the
host name in the Host header and as the TLS server name (SNI and certificate verification), so a
DNS answer that changes between the check and the connection (rebinding) cannot redirect it.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from miniapp.netproxy.errors import NetRequestError

DEFAULT_PORTS = {"https": 443, "http": 80, "wss": 443, "ws": 80}
# The scheme a kind of target must use, and the plain one development allows instead.
PLAIN_SCHEMES = {"https": "http", "wss": "ws"}
MAX_URL_LENGTH = 8192

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# 64:ff9b::/96 is NAT64's well-known prefix, 64:ff9b:1::/48 its local-use one (RFC 6052, 8215):
# the last 32 bits are the IPv4 address the translator will reach.
NAT64_PREFIXES = (
    ipaddress.IPv6Network("64:ff9b::/96"),
    ipaddress.IPv6Network("64:ff9b:1::/48"),
)


@dataclass(frozen=True, kw_only=True)
class Target:
    """A checked request target: the URL, and the one address the connection must go to."""

    url: str  # as checked, without the fragment
    scheme: str  # "https", or "http" in development
    host: str  # ASCII (IDNA), lower case; an IPv6 literal without brackets
    port: int  # explicit or the scheme's default
    path: str  # path and query, as sent in the request line ("/" when empty)
    address: str  # the pinned IP

    @property
    def host_header(self) -> str:
        """The Host header: the name, with the port unless it is the scheme's default."""
        name = f"[{self.host}]" if ":" in self.host else self.host
        return name if self.port == DEFAULT_PORTS[self.scheme] else f"{name}:{self.port}"

    @property
    def connect_url(self) -> str:
        """The URL with the pinned address in place of the name: what the client connects to."""
        address = f"[{self.address}]" if ":" in self.address else self.address
        return f"{self.scheme}://{address}:{self.port}{self.path}"


def check_request_target(
    url: str, *, domains: Sequence[str] | None, allow_private: bool, scheme: str = "https"
) -> Target:
    """Validate `url` against the app's registered `domains`, resolve its host and pin an address.

    Blocking (it resolves the name): call it in a worker thread from async code. Raises
    `NetRequestError` with WeChat's errMsg (`request:fail invalid url`,
    `request:fail url not in domain list`, `request:fail address not allowed`,
    `request:fail host not found`). `domains` None skips the domain list (the simulator: a
    project there has no registration, as WeChat's devtools with "do not verify domains").
    `scheme` is the secure scheme the kind of target needs: "https" (request, uploadFile,
    downloadFile) or "wss" (connectSocket); `allow_private` also allows its plain form.
    """
    parts = _split(url, allow_private=allow_private, secure=scheme)
    scheme = parts.scheme.lower()
    host = _ascii_host(parts.hostname or "")
    port = _port(parts, scheme)
    if _ip_literal(host) is not None and not allow_private:
        # A registered domain is a name; WeChat answers an IP this way too.
        raise NetRequestError("request_domain_refused", field="url")
    if domains is not None and not any(
        _entry_matches(entry, host=host, port=port, scheme=scheme) for entry in domains
    ):
        raise NetRequestError("request_domain_refused", field="url")
    addresses = resolve(host, port)
    if not allow_private:
        for address in addresses:
            if not address_is_public(address):
                raise NetRequestError("request_address_refused", field="url")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    checked = parts._replace(fragment="").geturl()
    return Target(
        url=checked, scheme=scheme, host=host, port=port, path=path, address=str(addresses[0])
    )


def resolve(host: str, port: int) -> list[IPAddress]:
    """The addresses `host` resolves to, in the resolver's order (an IP literal: itself)."""
    literal = _ip_literal(host)
    if literal is not None:
        return [literal]
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        raise NetRequestError("request_host_not_found", field="url") from None
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canonical, sockaddr in answers:
        try:
            address = ipaddress.ip_address(str(sockaddr[0]))
        except ValueError:  # not an IP socket address; nothing to connect to
            continue
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise NetRequestError("request_host_not_found", field="url")
    return addresses


def address_is_public(address: IPAddress) -> bool:
    """True for a globally routable unicast address; IPv6 forms that embed an IPv4 address are
    judged by the IPv4 address they lead to."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return False
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and any(address in prefix for prefix in NAT64_PREFIXES):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return address_is_public(embedded)
        if address.teredo is not None or address.is_site_local:
            return False
    if (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    ):
        return False
    return address.is_global  # also refuses what is neither private nor global (100.64.0.0/10)


def _split(url: str, *, allow_private: bool, secure: str = "https") -> SplitResult:
    if len(url) > MAX_URL_LENGTH or any(ord(char) <= 0x20 or ord(char) == 0x7F for char in url):
        raise NetRequestError("request_invalid_url", field="url")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  raises ValueError for a port that is not a number in range
    except ValueError:
        raise NetRequestError("request_invalid_url", field="url") from None
    allowed = (secure, PLAIN_SCHEMES[secure]) if allow_private else (secure,)
    if parts.scheme.lower() not in allowed or not parts.hostname:
        raise NetRequestError("request_invalid_url", field="url")
    if "@" in parts.netloc:  # userinfo: credentials in a URL are refused outright
        raise NetRequestError("request_invalid_url", field="url")
    return parts


def _ascii_host(host: str) -> str:
    """The host name in ASCII (IDNA for an internationalised name), lower case, never empty."""
    if not host:
        raise NetRequestError("request_invalid_url", field="url")
    if host.isascii():
        return host.lower()
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise NetRequestError("request_invalid_url", field="url") from None


def _port(parts: SplitResult, scheme: str) -> int:
    port = parts.port
    if port is None:
        return DEFAULT_PORTS[scheme]
    if port == 0:
        raise NetRequestError("request_invalid_url", field="url")
    return port


def _ip_literal(host: str) -> IPAddress | None:
    """The address when `host` is an IP literal, including the short and numeric IPv4 forms the
    resolver would accept (`127.1`, `2130706433`, `0x7f.0.0.1`)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def _entry_matches(entry: str, *, host: str, port: int, scheme: str) -> bool:
    """Whether a registered domain entry names this host and port.

    An entry is a host name with an optional port (`api.example.com`, `api.example.com:8443`);
    a leading `https://` and a trailing `/` are tolerated, as WeChat's console writes them.
    """
    text = entry.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text.rstrip("/"))
        entry_port = parts.port
    except ValueError:
        return False
    if not parts.hostname or parts.path or parts.query or "@" in parts.netloc:
        return False
    try:
        entry_host = _ascii_host(parts.hostname)
    except NetRequestError:
        return False
    return entry_host == host and (entry_port or DEFAULT_PORTS[scheme]) == port
