"""The simulator's routes (devtools/routes.py): only in development mode with a project; the page
under the pages' policy; the build status answered at once or long-polled. Both backends."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from miniapp.db.session import Database
from miniapp.devtools.builds import DevProject
from miniapp.server import create_app
from miniapp.settings import Settings
from miniapp.web.pages import DEV_PAGE_CSP
from tests.conftest import ApiClient
from tests.devtools.conftest import SAMPLE_ROOT, edit

WAIT = 15


@pytest.fixture
def dev_settings(data_dir: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        secret_key="test-secret-key-" + "x" * 32,
        public_url="https://testserver",
        run_worker=False,
        dev_mode=True,
    )


@pytest.fixture
def dev_app(dev_settings: Settings, database: Database) -> Any:
    return create_app(dev_settings, database=database, run_migrations=False, run_worker=False)


@pytest.fixture
def dev_client(dev_app: Any, sample_project: Path, database: Database) -> Iterator[ApiClient]:
    project = DevProject(sample_project, database=database, store=dev_app.state.bundle_store)
    dev_app.state.dev_project = project
    project.build()
    with ApiClient(dev_app, base_url="https://testserver") as client:
        yield client


def project_of(client: ApiClient) -> DevProject:
    project = client.app.state.dev_project  # type: ignore[attr-defined]
    assert isinstance(project, DevProject)
    return project


def test_nothing_is_served_outside_development_mode(client: ApiClient) -> None:
    for path in ("/dev", "/api/dev/build", "/api/dev/build?after=0"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_nothing_is_served_without_a_project(dev_app: Any) -> None:
    with ApiClient(dev_app, base_url="https://testserver") as client:
        assert client.get("/dev").status_code == 404
        assert client.get("/api/dev/build").status_code == 404


def test_the_simulator_page_has_the_pages_policy(dev_client: ApiClient) -> None:
    response = dev_client.get("/dev?path=pages/detail/detail&query=id%3D1")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == DEV_PAGE_CSP
    assert response.headers["x-frame-options"] == "DENY"
    html = response.text
    assert '<script type="module" src="/static/dev/dev.js"></script>' in html
    assert "/static/runtime/container/chrome.css" in html
    assert "<style" not in html and "style=" not in html
    for name in ("dev.js", "dev.css"):
        assert dev_client.get(f"/static/dev/{name}").status_code == 200


def test_the_build_status_is_answered_at_once_when_newer(dev_client: ApiClient) -> None:
    project = project_of(dev_client)
    for after in ("", "?after=-1", "?after=0", "?after=9"):  # 9: a previous run of the command
        response = dev_client.get(f"/api/dev/build{after}")
        assert response.status_code == 200
        assert response.headers["cache-control"] == "no-store"
        body = response.json()
        assert body == {
            "rev": 1,
            "ok": True,
            "appid": project.appid,
            "name": "Dev Sample",
            "bundle": project.board.current.bundle,
            "diagnostics": [],
            "durationMs": body["durationMs"],
        }
        assert isinstance(body["durationMs"], int)
    assert dev_client.get("/api/dev/build?after=x").status_code == 422
    assert dev_client.get("/api/dev/build?after=-2").status_code == 422


def test_the_build_status_waits_for_the_next_build(dev_client: ApiClient) -> None:
    project = project_of(dev_client)
    index = project.folder / SAMPLE_ROOT / "pages" / "index" / "index.js"
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(dev_client.get, "/api/dev/build?after=1")
        assert project.board.wait_for_waiters(1, timeout=WAIT)
        assert not waiting.done()
        edit(index, "  boom() {", "  boom( {")
        project.build()
        body = waiting.result(timeout=WAIT).json()
    assert body["rev"] == 2
    assert body["ok"] is False
    assert body["bundle"] == project.board.current.bundle  # the last good one
    [problem] = body["diagnostics"]
    assert problem["file"] == "pages/index/index.js"
    assert problem["line"] == 12
    assert problem["code"] == "JS_SYNTAX"
    assert set(problem) == {"file", "line", "column", "code", "message"}


def test_a_long_poll_ends_with_the_same_revision(dev_client: ApiClient) -> None:
    project_of(dev_client).long_poll_seconds = 0.05
    body = dev_client.get("/api/dev/build?after=1").json()
    assert body["rev"] == 1  # nothing new: the simulator asks again


def test_launching_the_released_app(dev_client: ApiClient) -> None:
    project = project_of(dev_client)
    launch = dev_client.get(f"/api/runtime/apps/{project.appid}/launch").json()
    assert launch["bundle"] == project.board.current.bundle
    assert set(launch["manifest"]["pages"]) == {"pages/index/index", "pages/detail/detail"}
