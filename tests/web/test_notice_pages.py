"""The pages shown to someone who followed an outside address the host cannot open."""

from __future__ import annotations

import pytest

from miniapp.web.notice_pages import notice_page, preferred_language


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "en"),
        ("", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("en-GB,en;q=0.9,zh;q=0.8", "en"),
        ("fr-FR,zh;q=0.5", "zh"),  # the first of ours, not the first overall
        ("en;q=0.2, zh;q=0.7", "zh"),  # by weight, not by position
        ("zh;q=0, en;q=0.1", "en"),  # q=0 means "not this one"
        ("zh;q=abc", "en"),
        ("de", "en"),
    ],
)
def test_the_language_follows_accept_language(header: str | None, language: str) -> None:
    assert preferred_language(header) == language


def test_a_notice_page_says_its_message_and_leads_to_the_host() -> None:
    page = notice_page(message_key="error.link_expired", status_code=410, accept_language="zh-CN")
    body = bytes(page.body).decode()
    assert page.status_code == 410
    assert 'lang="zh-CN"' in body and "此链接已过期" in body
    assert '<a id="open-host" href="/">' in body
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'none'
