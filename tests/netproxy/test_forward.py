"""Forwarding a checked request to a real server on loopback (development mode lets a target be
private), and what comes back. Names are made up and answered by `fake_dns` (DNS lies outside the
platform); the connections are real."""

from __future__ import annotations

import asyncio
import json
import ssl
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from miniapp.netproxy.errors import NetRequestError
from miniapp.netproxy.forward import ForwardedResponse, do_forward_request
from miniapp.netproxy.targets import Target, check_request_target
from tests.netproxy.conftest import PNG_BYTES, FakeDNS, TLSUpstream, Upstream, free_port

REFERER = "https://mini.example.com/wx0123456789abcdef/page-frame.html"


def target_for(
    fake_dns: FakeDNS, upstream: Upstream, path: str, *, name: str = "up.test"
) -> Target:
    fake_dns.add(name, [upstream.host])
    return check_request_target(
        f"http://{name}:{upstream.port}{path}",
        domains=[f"{name}:{upstream.port}"],
        allow_private=True,
    )


def forward(target: Target, **options: Any) -> ForwardedResponse:
    arguments: dict[str, Any] = {
        "method": "GET",
        "headers": {},
        "body": b"",
        "timeout_ms": 10_000,
        "referer": REFERER,
    }
    arguments.update(options)
    # In a thread of its own: the session's browser fixture (Playwright's sync API) may keep an
    # event loop running in this one.
    with ThreadPoolExecutor(max_workers=1) as runner:
        return runner.submit(asyncio.run, do_forward_request(target=target, **arguments)).result()


def failure(target: Target, **options: Any) -> NetRequestError:
    with pytest.raises(NetRequestError) as failed:
        forward(target, **options)
    return failed.value


def test_method_headers_and_body_reach_the_server(fake_dns: FakeDNS, upstream: Upstream) -> None:
    target = target_for(fake_dns, upstream, "/echo?q=1&r=%E4%B8%AD")
    response = forward(
        target,
        method="put",
        headers={
            "X-Token": "abc",
            "Content-Type": "text/plain; charset=utf-8",
            "Cookie": "app_session=mini",  # the mini program's own cookie header is its to send
            "Referer": "https://spoofed.test/",  # WeChat does not let apps set it
            "Host": "evil.test",
            "Connection": "Upgrade",
            "Content-Length": "999",
        },
        body="数据 body".encode(),
    )
    assert response.status == 200
    echoed = json.loads(response.body)
    assert echoed["method"] == "PUT"
    assert echoed["path"] == "/echo?q=1&r=%E4%B8%AD"
    seen = upstream.seen[0]
    assert seen.body == "数据 body".encode()
    assert seen.header("Host") == f"up.test:{upstream.port}"
    assert seen.header("X-Token") == "abc"
    assert seen.header("Content-Type") == "text/plain; charset=utf-8"
    assert seen.header("Cookie") == "app_session=mini"
    assert seen.header("Referer") == REFERER
    assert seen.header("Content-Length") == str(len("数据 body".encode()))
    assert seen.header("Connection") != "Upgrade"
    assert seen.header("User-Agent") == "Miniapp (wx.request)"


def test_header_values_may_be_any_text_sent_as_utf8(fake_dns: FakeDNS, upstream: Upstream) -> None:
    forward(target_for(fake_dns, upstream, "/echo"), headers={"X-Name": "小程序 é\tx"})
    sent = upstream.seen[0].header("X-Name")
    assert sent is not None
    assert sent.encode("latin-1").decode("utf-8") == "小程序 é\tx"  # http.server reads latin-1


def test_content_type_defaults_to_json_as_in_wechat(fake_dns: FakeDNS, upstream: Upstream) -> None:
    forward(target_for(fake_dns, upstream, "/echo"), method="POST", body=b'{"a":1}')
    assert upstream.seen[0].header("Content-Type") == "application/json"
    assert upstream.seen[0].body == b'{"a":1}'


@pytest.mark.parametrize("method", ["OPTIONS", "GET", "HEAD", "POST", "PUT", "DELETE", "TRACE"])
def test_every_wechat_method_is_forwarded(
    fake_dns: FakeDNS, upstream: Upstream, method: str
) -> None:
    response = forward(target_for(fake_dns, upstream, "/binary"), method=method)
    assert response.status == 200
    assert upstream.seen[0].method == method
    assert response.body == (b"" if method == "HEAD" else PNG_BYTES)


@pytest.mark.parametrize("method", ["CONNECT", "connect", "PATCH", "PROPFIND", ""])
def test_other_methods_are_refused_before_connecting(
    fake_dns: FakeDNS, upstream: Upstream, method: str
) -> None:
    error = failure(target_for(fake_dns, upstream, "/echo"), method=method)
    assert error.code == "request_method_refused"
    assert error.err_msg == "request:fail method not supported"
    assert upstream.seen == []


def test_binary_bodies_come_back_byte_for_byte(fake_dns: FakeDNS, upstream: Upstream) -> None:
    response = forward(target_for(fake_dns, upstream, "/binary"))
    assert response.body == PNG_BYTES
    assert response.header_map()["Content-Type"] == "image/png"


@pytest.mark.parametrize("code", [204, 301, 404, 418, 500, 503])
def test_any_status_is_an_answer(fake_dns: FakeDNS, upstream: Upstream, code: int) -> None:
    response = forward(target_for(fake_dns, upstream, f"/status?code={code}"))
    assert response.status == code


def test_redirects_come_back_unfollowed(fake_dns: FakeDNS, upstream: Upstream) -> None:
    response = forward(target_for(fake_dns, upstream, "/redirect"))
    assert response.status == 302
    assert response.header_map()["Location"] == "https://elsewhere.test/"
    assert len(upstream.seen) == 1


def test_set_cookie_headers_become_cookies(fake_dns: FakeDNS, upstream: Upstream) -> None:
    response = forward(target_for(fake_dns, upstream, "/cookies"))
    assert response.cookies == ["a=1; Path=/; HttpOnly", "b=2; Path=/"]
    headers = response.header_map()
    assert headers["Set-Cookie"] == "a=1; Path=/; HttpOnly, b=2; Path=/"
    assert headers["X-Custom-Header"] == "Value"  # the server's spelling is kept


def test_a_server_that_does_not_answer_in_time_is_a_timeout(
    fake_dns: FakeDNS, upstream: Upstream
) -> None:
    # The server waits on an event the test only sets at teardown. The timeout leaves a loaded
    # machine time to deliver the request, so what times out is the answer.
    error = failure(target_for(fake_dns, upstream, "/wait"), timeout_ms=2000)
    assert error.code == "request_timeout"
    assert error.err_msg == "request:fail timeout"
    assert error.status_code == 504
    assert upstream.started_waiting.is_set()  # it was reached: the answer was what timed out


@pytest.mark.parametrize(
    "path",
    [
        "/big?n=2001",  # announced by Content-Length
        "/big?n=2001&length=no",  # not announced: counted while reading
        "/gzip?n=50000",  # small on the wire, too large once decompressed
    ],
)
def test_answers_over_the_limit_are_refused(
    fake_dns: FakeDNS, upstream: Upstream, path: str
) -> None:
    error = failure(target_for(fake_dns, upstream, path), max_response_bytes=2000)
    assert error.code == "request_response_too_large"
    assert error.err_msg == "request:fail response too large"


def test_answers_up_to_the_limit_are_read_whole(fake_dns: FakeDNS, upstream: Upstream) -> None:
    assert (
        len(
            forward(
                target_for(fake_dns, upstream, "/big?n=2000&length=no"), max_response_bytes=2000
            ).body
        )
        == 2000
    )
    assert (
        forward(target_for(fake_dns, upstream, "/gzip?n=1500"), max_response_bytes=2000).body
        == b"\x00" * 1500
    )


def test_nothing_listening_is_a_connection_failure(fake_dns: FakeDNS) -> None:
    fake_dns.add("down.test", ["127.0.0.1"])
    port = free_port()
    target = check_request_target(
        f"http://down.test:{port}/", domains=[f"down.test:{port}"], allow_private=True
    )
    error = failure(target)
    assert error.code == "request_connect_failed"
    assert error.err_msg == "request:fail connection failed"


@pytest.mark.parametrize(
    "headers",
    [
        {"X-Evil": "a\r\nInjected: 1"},
        {"X-Evil": "a\nb"},
        {"X-Evil": "a\n"},
        {"X-Evil\n": "a"},
        {"X-Evil": "a\x00"},
        {"X-Evil": "\ud800"},
        {"Bad Name": "x"},
        {"X-Evil:": "x"},
        {"": "x"},
    ],
)
def test_malformed_headers_are_refused(
    fake_dns: FakeDNS, upstream: Upstream, headers: dict[str, str]
) -> None:
    error = failure(target_for(fake_dns, upstream, "/echo"), headers=headers)
    assert error.code == "request_invalid_header"
    assert upstream.seen == []


def test_the_connection_goes_to_the_checked_address_not_a_rebound_one(
    fake_dns: FakeDNS, upstream: Upstream, second_upstream: Upstream
) -> None:
    # The name first resolves to 127.0.0.1, then to 127.0.0.2 (another server on the same
    # port). The request must reach the first: the address checked, never a second lookup.
    fake_dns.add("rebind.test", ["127.0.0.1"], ["127.0.0.2"])
    target = check_request_target(
        f"http://rebind.test:{upstream.port}/echo",
        domains=[f"rebind.test:{upstream.port}"],
        allow_private=True,
    )
    forward(target)
    forward(target)
    assert [seen.header("Host") for seen in upstream.seen] == [f"rebind.test:{upstream.port}"] * 2
    assert second_upstream.seen == []
    assert fake_dns.lookups == ["rebind.test"]


def test_production_rebinding_pins_the_public_address(fake_dns: FakeDNS) -> None:
    # Public first, loopback afterwards. A public address is never connected to from a test, so
    # the transport records the request instead of sending it.
    fake_dns.add("shop.test", ["93.184.216.34"], ["127.0.0.1"])
    target = check_request_target(
        "https://shop.test/api", domains=["shop.test"], allow_private=False
    )
    sent: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, content=b"ok")

    response = forward(target, transport=httpx.MockTransport(record))
    assert response.body == b"ok"
    (request,) = sent
    assert str(request.url) == "https://93.184.216.34/api"
    assert request.headers["host"] == "shop.test"
    assert request.extensions["sni_hostname"] == "shop.test"  # TLS server name and cert check
    assert fake_dns.lookups == ["shop.test"]


def tls_target(fake_dns: FakeDNS, tls: TLSUpstream, name: str) -> Target:
    fake_dns.add(name, ["127.0.0.1"])
    port = tls.upstream.port
    return check_request_target(
        f"https://{name}:{port}/echo", domains=[f"{name}:{port}"], allow_private=True
    )


def test_tls_uses_the_host_name_for_sni_and_certificate_checks(
    fake_dns: FakeDNS, tls_upstream: TLSUpstream
) -> None:
    trusted = ssl.create_default_context(cafile=str(tls_upstream.files.ca))
    target = tls_target(fake_dns, tls_upstream, tls_upstream.files.name)
    response = forward(target, ssl_context=trusted)
    assert response.status == 200
    assert tls_upstream.server_names == [tls_upstream.files.name]
    assert tls_upstream.upstream.seen[0].header("Host") == target.host_header


def test_tls_refuses_a_certificate_for_another_name_at_the_same_address(
    fake_dns: FakeDNS, tls_upstream: TLSUpstream
) -> None:
    # The certificate is valid for api.tls.test, and the address is the same: were the check made
    # against the IP we connect to, or skipped, this would pass.
    trusted = ssl.create_default_context(cafile=str(tls_upstream.files.ca))
    error = failure(tls_target(fake_dns, tls_upstream, "other.tls.test"), ssl_context=trusted)
    assert error.code == "request_tls_failed"
    assert error.err_msg == "request:fail ssl hand shake error"
    assert tls_upstream.server_names == ["other.tls.test"]
    assert tls_upstream.upstream.seen == []


def test_tls_refuses_a_certificate_from_an_untrusted_authority(
    fake_dns: FakeDNS, tls_upstream: TLSUpstream
) -> None:
    error = failure(tls_target(fake_dns, tls_upstream, tls_upstream.files.name))  # platform roots
    assert error.code == "request_tls_failed"
    assert tls_upstream.upstream.seen == []
