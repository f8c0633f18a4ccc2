"""Small server-rendered pages for someone who followed an address from outside the host (a
scanned code, a link in an SMS) and cannot be taken into it: the code is not ours, the link
has expired. One message in the visitor's language and a link to the host; nothing else runs."""

from __future__ import annotations

import html

from fastapi.responses import HTMLResponse

from miniapp.i18n import LANGUAGES, translate

# The resolvers' answers are per visitor and must not leak the address they came from.
NO_TRACE_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}
NOTICE_PAGE_CSP = "; ".join(
    (
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
HTML_LANG = {"en": "en", "zh": "zh-CN"}


def preferred_language(accept_language: str | None) -> str:
    """The first of our languages in the Accept-Language header by its q weight; English
    otherwise."""
    ranked: list[tuple[float, int, str]] = []
    for position, item in enumerate((accept_language or "").split(",")):
        tag, _, parameters = item.strip().partition(";")
        weight = 1.0
        name, _, value = parameters.strip().partition("=")
        if name.strip() == "q":
            try:
                weight = float(value)
            except ValueError:
                weight = 0.0
        primary = tag.strip().lower().partition("-")[0]
        if primary in LANGUAGES and weight > 0:
            ranked.append((-weight, position, primary))
    return min(ranked)[2] if ranked else "en"


def notice_page(*, message_key: str, status_code: int, accept_language: str | None) -> HTMLResponse:
    """The page saying `message_key` (a translation key), answered with `status_code`."""
    language = preferred_language(accept_language)
    message = html.escape(translate(message_key, language=language))
    title = html.escape(translate("host.title", language=language))
    open_host = html.escape(translate("links.open_host", language=language))
    page = f"""<!doctype html>
<html lang="{HTML_LANG[language]}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/static/shared/base.css">
</head>
<body>
<main class="card">
<p id="notice">{message}</p>
<p><a id="open-host" href="/">{open_host}</a></p>
</main>
</body>
</html>
"""
    return HTMLResponse(
        page,
        status_code=status_code,
        headers={
            **NO_TRACE_HEADERS,
            "Content-Security-Policy": NOTICE_PAGE_CSP,
            "Content-Language": HTML_LANG[language],
            "Vary": "Accept-Language",
        },
    )
