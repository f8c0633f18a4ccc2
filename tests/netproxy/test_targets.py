"""Where wx.request may go: registered domains only, public addresses only, one pinned address.

The resolver cases use `fake_dns` (see conftest): DNS lies outside the platform, so the tests
answer lookups of made-up names themselves. Nothing here connects anywhere.
"""

from __future__ import annotations

import ipaddress

import pytest

from miniapp.i18n import has_key
from miniapp.netproxy.errors import FAILURES, NetRequestError
from miniapp.netproxy.targets import address_is_public, check_request_target
from tests.netproxy.conftest import FakeDNS

PUBLIC = "93.184.216.34"
PUBLIC_V6 = "2606:2800:220:1:248:1893:25c8:1946"


def refusal(url: str, *, domains: list[str], allow_private: bool = False) -> NetRequestError:
    with pytest.raises(NetRequestError) as refused:
        check_request_target(url, domains=domains, allow_private=allow_private)
    return refused.value


def test_registered_domain_is_accepted_and_its_checked_address_pinned(fake_dns: FakeDNS) -> None:
    fake_dns.add("api.shop.test", [PUBLIC, PUBLIC_V6])
    target = check_request_target(
        "https://api.shop.test/v1/items?page=2#top", domains=["api.shop.test"], allow_private=False
    )
    assert target.url == "https://api.shop.test/v1/items?page=2"
    assert (target.scheme, target.host, target.port) == ("https", "api.shop.test", 443)
    assert target.path == "/v1/items?page=2"
    assert target.address == PUBLIC
    assert target.host_header == "api.shop.test"
    assert target.connect_url == f"https://{PUBLIC}:443/v1/items?page=2"


def test_rebinding_cannot_move_the_connection(fake_dns: FakeDNS) -> None:
    # The first answer is public, every later one loopback: the target keeps the checked one,
    # and the name is looked up exactly once.
    fake_dns.add("rebind.test", [PUBLIC], ["127.0.0.1"])
    target = check_request_target(
        "https://rebind.test/", domains=["rebind.test"], allow_private=False
    )
    assert target.address == PUBLIC
    assert fake_dns.lookups == ["rebind.test"]
    assert PUBLIC in target.connect_url and "rebind" not in target.connect_url


@pytest.mark.parametrize(
    ("url", "entry"),
    [
        ("https://API.Shop.TEST/x", "api.shop.test"),
        ("https://api.shop.test/x", "API.SHOP.TEST"),
        ("https://api.shop.test:443/x", "api.shop.test"),
        ("https://api.shop.test/x", "api.shop.test:443"),
        ("https://api.shop.test:8443/x", "api.shop.test:8443"),
        ("https://api.shop.test/x", "https://api.shop.test/"),
    ],
)
def test_domain_matching_is_exact_but_case_and_default_port_blind(
    fake_dns: FakeDNS, url: str, entry: str
) -> None:
    fake_dns.add("api.shop.test", [PUBLIC])
    target = check_request_target(url, domains=["other.test", entry], allow_private=False)
    assert target.host == "api.shop.test"


@pytest.mark.parametrize(
    ("url", "entry"),
    [
        ("https://evil.test/", "api.shop.test"),
        ("https://shop.test/", "api.shop.test"),  # a parent domain is another domain
        ("https://www.api.shop.test/", "api.shop.test"),  # and so is a subdomain: no wildcard
        ("https://api.shop.test.evil.test/", "api.shop.test"),
        ("https://api.shop.testx/", "api.shop.test"),
        ("https://api.shop.test:8443/", "api.shop.test"),  # another port
        ("https://api.shop.test/", "api.shop.test:8443"),
        ("https://api.shop.test:443/", "api.shop.test:8443"),
        ("https://api.shop.test/", "*.shop.test"),
    ],
)
def test_unregistered_hosts_and_ports_are_refused(fake_dns: FakeDNS, url: str, entry: str) -> None:
    fake_dns.add("api.shop.test", [PUBLIC])
    error = refusal(url, domains=[entry])
    assert error.code == "request_domain_refused"
    assert error.err_msg == "request:fail url not in domain list"
    assert error.status_code == 403
    assert fake_dns.lookups == []  # refused before any lookup


def test_no_registered_domains_means_nothing_is_reachable() -> None:
    assert refusal("https://api.shop.test/", domains=[]).code == "request_domain_refused"
    dev = refusal("https://api.shop.test/", domains=[], allow_private=True)
    assert dev.code == "request_domain_refused"


@pytest.mark.parametrize(
    "url",
    [
        "http://api.shop.test/",  # plain http: development only
        "ws://api.shop.test/",
        "wss://api.shop.test/",
        "ftp://api.shop.test/",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "//api.shop.test/",
        "api.shop.test/x",
        "https://",
        "https:///path",
        "https://user:secret@api.shop.test/",  # userinfo
        "https://@api.shop.test/",
        "https://api.shop.test:99999/",
        "https://api.shop.test:0/",
        "https://api.shop.test:port/",
        "https://api.shop.test/a b",
        "https://api.shop.test/\r\nX-Injected: 1",
        "",
    ],
)
def test_invalid_urls_are_refused(url: str) -> None:
    error = refusal(url, domains=["api.shop.test"])
    assert error.code == "request_invalid_url"
    assert error.err_msg == "request:fail invalid url"


def test_plain_http_is_allowed_in_development(fake_dns: FakeDNS) -> None:
    fake_dns.add("api.shop.test", ["127.0.0.1"])
    target = check_request_target(
        "http://api.shop.test:8080/x", domains=["api.shop.test:8080"], allow_private=True
    )
    assert (target.scheme, target.port, target.address) == ("http", 8080, "127.0.0.1")
    assert target.host_header == "api.shop.test:8080"
    default_port = check_request_target(
        "http://api.shop.test/", domains=["api.shop.test"], allow_private=True
    )
    assert default_port.port == 80 and default_port.host_header == "api.shop.test"


@pytest.mark.parametrize(
    ("url", "entry"),
    [
        ("https://127.0.0.1/", "127.0.0.1"),
        ("https://8.8.8.8/", "8.8.8.8"),
        ("https://[::1]/", "[::1]"),
        ("https://[2001:4860:4860::8888]/", "[2001:4860:4860::8888]"),
        ("https://2130706433/", "2130706433"),  # 127.0.0.1 as one number
        ("https://0x7f.1/", "0x7f.1"),  # and in hex shorthand
        ("https://127.1/", "127.1"),
    ],
)
def test_ip_literals_are_refused_even_if_registered(url: str, entry: str) -> None:
    error = refusal(url, domains=[entry])
    assert error.code == "request_domain_refused"


def test_ip_literals_are_allowed_in_development() -> None:
    target = check_request_target(
        "http://127.0.0.1:8000/x", domains=["127.0.0.1:8000"], allow_private=True
    )
    assert target.address == "127.0.0.1"
    v6 = check_request_target("http://[::1]:8000/", domains=["[::1]:8000"], allow_private=True)
    assert v6.host == "::1" and v6.host_header == "[::1]:8000"
    assert v6.connect_url == "http://[::1]:8000/"


@pytest.mark.parametrize(
    "answer",
    [
        ["127.0.0.1"],
        ["127.8.9.10"],
        ["10.1.2.3"],
        ["172.16.0.1"],
        ["192.168.1.1"],
        ["169.254.169.254"],  # cloud metadata
        ["100.64.0.1"],  # shared address space (CGNAT)
        ["0.0.0.0"],
        ["224.0.0.1"],
        ["240.0.0.1"],
        ["255.255.255.255"],
        ["::1"],
        ["::"],
        ["fe80::1"],
        ["fc00::1"],
        ["fd12:3456::1"],
        ["ff02::1"],
        ["::ffff:127.0.0.1"],  # IPv4-mapped loopback
        ["::ffff:10.0.0.1"],
        ["64:ff9b::a9fe:a9fe"],  # NAT64 of 169.254.169.254
        ["64:ff9b::7f00:1"],  # NAT64 of 127.0.0.1
        ["2002:7f00:1::"],  # 6to4 of 127.0.0.1
        ["2001:db8::1"],  # documentation
        [PUBLIC, "10.0.0.1"],  # one bad address among good ones is enough
        [PUBLIC_V6, "::1"],
    ],
)
def test_names_resolving_to_non_public_addresses_are_refused(
    fake_dns: FakeDNS, answer: list[str]
) -> None:
    fake_dns.add("inside.test", answer)
    error = refusal("https://inside.test/", domains=["inside.test"])
    assert error.code == "request_address_refused"
    assert error.err_msg == "request:fail address not allowed"
    assert error.status_code == 403
    # Development lets them through, pinned to the first answer.
    fake_dns.add("inside.test", answer)
    target = check_request_target(
        "https://inside.test/", domains=["inside.test"], allow_private=True
    )
    assert ipaddress.ip_address(target.address) == ipaddress.ip_address(answer[0])


@pytest.mark.parametrize(
    "address",
    [PUBLIC, PUBLIC_V6, "1.1.1.1", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"],
)
def test_public_addresses_and_embeddings_of_them_are_allowed(address: str) -> None:
    assert address_is_public(ipaddress.ip_address(address))


def test_a_name_that_does_not_resolve_fails_like_a_network_error(fake_dns: FakeDNS) -> None:
    fake_dns.missing.add("gone.test")
    error = refusal("https://gone.test/", domains=["gone.test"])
    assert error.code == "request_host_not_found"
    assert error.err_msg == "request:fail host not found"
    assert error.status_code == 502


def test_international_names_match_their_punycode(fake_dns: FakeDNS) -> None:
    fake_dns.add("xn--fiqs8s.test", [PUBLIC])
    target = check_request_target(
        "https://中国.test/x", domains=["xn--fiqs8s.test"], allow_private=False
    )
    assert target.host == "xn--fiqs8s.test" and target.host_header == "xn--fiqs8s.test"


def test_every_failure_has_a_translated_message_and_a_wechat_err_msg() -> None:
    for code, (status, err_msg) in FAILURES.items():
        assert has_key(f"error.{code}"), code
        assert err_msg.startswith("request:fail ")
        assert 400 <= status < 600
        error = NetRequestError(code, method="X", max_bytes=1)
        assert error.to_dict()["params"]["errMsg"] == err_msg
        assert "{" not in error.message
