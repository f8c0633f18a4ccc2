"""The runtime's frame documents and static files: policies for an opaque-origin sandbox."""

from __future__ import annotations

import urllib.request
from typing import Any

import pytest

from miniapp.web.pages import WEB_DIR

FRAMES = ("/runtime/logic.html", "/runtime/view.html")


def directives(policy: str) -> dict[str, str]:
    parsed: dict[str, str] = {}
    for part in policy.split(";"):
        name, _, value = part.strip().partition(" ")
        parsed[name] = value
    return parsed


def test_the_logic_frame_can_load_our_scripts_and_connect_nowhere(client: Any) -> None:
    response = client.get("/runtime/logic.html")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.content == (WEB_DIR / "runtime" / "logic" / "index.html").read_bytes()
    policy = directives(response.headers["content-security-policy"])
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == (
        "https://testserver/static/runtime/ https://testserver/bundles/files/ blob:"
    )
    assert policy["worker-src"] == "blob:"
    assert policy["connect-src"] == "'none'"
    assert policy["frame-ancestors"] == "'self'"


def test_the_view_frame_renders_but_connects_nowhere(client: Any) -> None:
    response = client.get("/runtime/view.html")
    assert response.status_code == 200
    assert response.content == (WEB_DIR / "runtime" / "view" / "index.html").read_bytes()
    policy = directives(response.headers["content-security-policy"])
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == "https://testserver/static/runtime/"
    assert policy["style-src"] == "https://testserver/static/runtime/ 'unsafe-inline'"
    assert policy["img-src"] == "https://testserver https: data: blob:"
    assert policy["media-src"] == "https://testserver https: blob:"
    assert policy["font-src"] == "https://testserver data:"
    assert policy["connect-src"] == "'none'"
    assert policy["form-action"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'self'"


@pytest.mark.parametrize("path", FRAMES)
def test_frame_documents_may_be_framed_by_our_pages_and_are_revalidated(
    client: Any, path: str
) -> None:
    response = client.get(path)
    assert "x-frame-options" not in response.headers
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "unsafe-eval" not in response.headers["content-security-policy"]
    # Opened any other way than our sandboxed iframe, it still runs at an opaque origin.
    assert directives(response.headers["content-security-policy"])["sandbox"] == "allow-scripts"
    assert "set-cookie" not in response.headers  # an opaque origin has no use for our cookies


def test_without_a_public_url_the_policy_names_the_origin_the_browser_used(
    live_server: Any,
) -> None:
    for path in FRAMES:
        with urllib.request.urlopen(live_server.url + path, timeout=10) as response:  # noqa: S310
            policy = directives(response.headers["content-security-policy"])
        assert policy["script-src"].startswith(f"{live_server.url}/static/runtime/")
        assert policy["connect-src"] == "'none'"


def test_runtime_scripts_are_served_to_any_origin(client: Any) -> None:
    scripts = sorted((WEB_DIR / "runtime").rglob("*.js"))
    assert scripts
    for script in scripts:
        path = script.relative_to(WEB_DIR / "runtime").as_posix()
        response = client.get(f"/static/runtime/{path}", headers={"Origin": "null"})
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/javascript")
        assert response.headers["access-control-allow-origin"] == "*"
        assert response.headers["cross-origin-resource-policy"] == "cross-origin"


def test_the_launch_button_alone_of_the_host_is_served_to_any_origin(client: Any) -> None:
    button = client.get("/static/host/launch-button.js", headers={"Origin": "https://shop.example"})
    assert button.status_code == 200
    assert button.headers["content-type"].startswith("text/javascript")
    assert button.headers["access-control-allow-origin"] == "*"
    assert button.headers["cross-origin-resource-policy"] == "cross-origin"
    for other in ("/static/host/app.js", "/static/host/launch-demo.html"):
        response = client.get(other, headers={"Origin": "https://shop.example"})
        assert response.status_code == 200, other
        assert "access-control-allow-origin" not in response.headers, other


def test_frame_documents_are_not_served_as_static_files(client: Any) -> None:
    for path in ("logic/index.html", "view/index.html", "view/INDEX.HTML", "..%2fhost%2fapp.js"):
        assert client.get(f"/static/runtime/{path}").status_code == 404, path
    assert client.get("/static/runtime/logic/%2e%2e%2f..%2fpages.py").status_code == 404


def test_the_host_may_frame_https_web_views_and_nothing_on_loopback(client: Any) -> None:
    policy = directives(client.get("/").headers["content-security-policy"])
    assert policy["frame-src"] == "'self' https:"


def test_a_development_server_also_frames_web_views_served_on_loopback(
    settings: Any, database: Any
) -> None:
    from miniapp.server import create_app
    from tests.conftest import ApiClient

    dev = settings.model_copy(update={"dev_mode": True})
    app = create_app(dev, database=database, run_migrations=False, run_worker=False)
    with ApiClient(app, base_url="https://testserver") as dev_client:
        policy = directives(dev_client.get("/").headers["content-security-policy"])
    assert policy["frame-src"] == "'self' https: http://127.0.0.1:* http://localhost:*"
