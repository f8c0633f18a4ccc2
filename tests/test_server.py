"""The assembled app: pages, static files, docs, error shape, security headers."""

from __future__ import annotations

from typing import Any


def test_host_and_console_pages_carry_a_strict_policy_and_a_csrf_cookie(client: Any) -> None:
    for path in ("/", "/console", "/console/organisations/x"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "__Host-miniapp_csrf=" in response.headers["set-cookie"]


def test_a_response_keeps_its_own_referrer_policy(client: Any) -> None:
    assert client.get("/").headers.get_list("referrer-policy") == ["same-origin"]
    # A link's address sets a stricter one (discovery/link_routes.py): it is not doubled.
    unknown = client.get("/ul/" + "A" * 32, follow_redirects=False)
    assert unknown.headers.get_list("referrer-policy") == ["no-referrer"]
    assert unknown.headers.get_list("x-content-type-options") == ["nosniff"]


def test_static_files_are_served_but_not_the_python_beside_them(client: Any) -> None:
    assert client.get("/static/shared/i18n.json").status_code == 200
    assert client.get("/static/pages.py").status_code == 404
    # httpx would resolve a literal "..", so send the encodings an attacker would.
    encodings = ("%2e%2e/pages.py", "..%2fpages.py", "..%5cpages.py", "%2e%2e%2f%2e%2e%2fcli.py")
    for path in encodings:
        assert client.get(f"/static/shared/{path}").status_code == 404, path


def test_openapi_documents_every_json_route(client: Any) -> None:
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for path in (
        "/api/accounts/signup",
        "/api/accounts/login",
        "/api/accounts/logout",
        "/api/accounts/me",
        "/api/accounts/password",
        "/api/console/organisations",
        "/api/console/organisations/{org_id}/members",
        "/api/console/organisations/{org_id}/members/{user_id}",
        "/api/console/organisations/{org_id}/audit",
        "/api/staff/members",
    ):
        assert path in paths, path
    assert "/" not in paths and "/console" not in paths


def test_unknown_routes_answer_in_the_error_shape(client: Any) -> None:
    response = client.get("/api/nothing-here")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    wrong_method = client.put("/api/accounts/me", json={})
    assert wrong_method.status_code == 405
    assert wrong_method.json()["error"]["code"] == "method_not_allowed"


def test_the_server_runs_a_job_worker_while_it_is_up(settings: Any, database: Any) -> None:
    """`miniapp serve` runs jobs in process: an enqueued job runs once its transaction commits."""
    import threading

    from fastapi.testclient import TestClient

    from miniapp.jobs import do_enqueue_job, register_job_kind, unregister_job_kind
    from miniapp.server import create_app

    ran = threading.Event()
    seen: list[dict[str, Any]] = []

    def handler(_ctx: Any, payload: dict[str, Any]) -> None:
        seen.append(payload)
        ran.set()

    register_job_kind("test.server_worker", handler)
    try:
        app = create_app(settings, database=database, run_migrations=False, run_worker=True)
        with TestClient(app, base_url="https://testserver"):  # lifespan starts the worker
            with database.transaction() as session:
                do_enqueue_job(session, kind="test.server_worker", payload={"n": 1})
            assert ran.wait(timeout=30)
        assert seen == [{"n": 1}]
    finally:
        unregister_job_kind("test.server_worker")
