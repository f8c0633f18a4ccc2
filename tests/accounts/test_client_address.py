"""The client address rate limits count: proxies, IPv6 prefixes, IPv4-mapped addresses."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.requests import Request

from miniapp.accounts.client_address import client_address, throttle_key
from miniapp.settings import Settings


def request_from(peer: str, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "client": (peer, 1234), "headers": headers})


def settings(tmp_path: Path, proxies: list[str]) -> Settings:
    return Settings(_env_file=None, data_dir=tmp_path, trusted_proxies=proxies)  # type: ignore[call-arg]


def test_without_trusted_proxies_the_peer_is_the_client(tmp_path: Path) -> None:
    spoofed = request_from("203.0.113.9", forwarded="1.1.1.1")
    assert client_address(spoofed, settings(tmp_path, [])) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_nearest_untrusted_hop_is_the_client(tmp_path: Path) -> None:
    config = settings(tmp_path, ["10.0.0.0/8"])
    # The client wrote "6.6.6.6" itself; the proxy appended the real address.
    request = request_from("10.0.0.5", forwarded="6.6.6.6, 198.51.100.7, 10.0.0.9")
    assert client_address(request, config) == "198.51.100.7"
    assert client_address(request_from("198.51.100.1", forwarded="6.6.6.6"), config) == (
        "198.51.100.1"
    )


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
        ("testclient", "testclient"),
    ],
)
def test_throttle_keys(address: str, key: str) -> None:
    assert throttle_key(address) == key


def test_bad_proxy_setting_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="trusted_proxies"):
        settings(tmp_path, ["not-a-network"])
