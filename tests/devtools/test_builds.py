"""The project under development (devtools/builds.py) and its watcher (devtools/watcher.py):
every change is built; a good build is released, a broken one is reported and changes nothing
users get. On both database backends."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from miniapp.apps.bundles import BundleStore, read_manifest
from miniapp.apps.registry import access_launchable_app, find_app
from miniapp.db.session import Database
from miniapp.devtools.builds import BuildBoard, BuildStatus, DevProject, dev_app_name, dev_appid
from miniapp.devtools.watcher import ProjectWatcher, snapshot
from tests.devtools.conftest import SAMPLE_ROOT, edit, write

WAIT = 15  # seconds: the most any wait below may take (they end as soon as the build lands)


@pytest.fixture
def project(sample_project: Path, database: Database, tmp_path: Path) -> DevProject:
    return DevProject(sample_project, database=database, store=BundleStore(tmp_path / "bundles"))


@pytest.fixture
def watched(project: DevProject) -> Iterator[DevProject]:
    """The project built once, then rebuilt by a watcher polling every 50 ms."""
    watcher = ProjectWatcher(project.folder, project.build, interval=0.05, settle=0.02)
    watcher.prime()
    assert project.build().rev == 1
    watcher.start()
    yield project
    watcher.stop()


def page_view_text(project: DevProject, bundle: str | None, page: str) -> str:
    assert bundle is not None
    manifest = read_manifest(project.store, bundle)
    return (project.store.root / manifest["pages"][page]["view"]).read_text(encoding="utf-8")


def released_bundle(project: DevProject) -> str | None:
    with project.database.read() as session:
        return access_launchable_app(session, appid=project.appid).released_bundle


def next_build(project: DevProject, after: int) -> BuildStatus:
    status = project.board.wait_sync(after, timeout=WAIT)
    assert status.rev == after + 1, "no new build"
    return status


def test_the_first_build_registers_and_releases_the_app(project: DevProject) -> None:
    assert project.board.current.rev == 0
    status = project.build()
    assert status.ok and status.rev == 1 and status.diagnostics == ()
    assert status.appid == project.appid
    assert status.name == "Dev Sample"  # projectname, URL-decoded as the devtools write it
    assert released_bundle(project) == status.bundle
    # miniprogramRoot is honoured: the pages come from miniprogram/.
    assert "Hello from the simulator" in page_view_text(project, status.bundle, "pages/index/index")
    assert project.board.current == status
    json.dumps(status.to_json())  # plain JSON


def test_an_edit_a_break_and_a_fix_each_make_a_revision(watched: DevProject) -> None:
    project = watched
    index = project.folder / SAMPLE_ROOT / "pages" / "index"
    first = project.board.current

    edit(index / "index.wxml", "Hello from the simulator", "Edited while watched")
    edited = next_build(project, 1)
    assert edited.ok
    assert edited.bundle != first.bundle
    assert "Edited while watched" in page_view_text(project, edited.bundle, "pages/index/index")
    assert released_bundle(project) == edited.bundle

    edit(index / "index.js", "this.setData({ count: this.data.count + 1", "this.setData({ count: ;")
    broken = next_build(project, 2)
    assert not broken.ok
    assert broken.bundle == edited.bundle  # the last good bundle stays released
    assert released_bundle(project) == edited.bundle
    [problem] = broken.diagnostics
    assert (problem.file, problem.line, problem.code) == ("pages/index/index.js", 9, "JS_SYNTAX")
    assert broken.to_json()["diagnostics"][0]["file"] == "pages/index/index.js"

    edit(index / "index.js", "this.setData({ count: ;", "this.setData({ count: this.data.count + 1")
    fixed = next_build(project, 3)
    assert fixed.ok and fixed.diagnostics == ()
    assert released_bundle(project) == fixed.bundle == edited.bundle  # same content, same id


def test_a_wxml_error_names_the_file_and_line(watched: DevProject) -> None:
    wxml = watched.folder / SAMPLE_ROOT / "pages" / "index" / "index.wxml"
    edit(wxml, "Count: {{count}}", "Count: {{count")
    broken = next_build(watched, 1)
    assert not broken.ok
    [problem] = broken.diagnostics
    assert (problem.file, problem.line, problem.column) == ("pages/index/index.wxml", 4, 27)
    assert problem.code == "WXML_UNTERMINATED_BINDING"


def test_a_new_file_and_a_removed_file_are_changes(watched: DevProject) -> None:
    extra = watched.folder / SAMPLE_ROOT / "notes.txt"
    write(extra, "not code")
    assert next_build(watched, 1).ok
    extra.unlink()
    assert next_build(watched, 2).ok


def test_the_watcher_skips_folders_the_compiler_ignores(sample_project: Path) -> None:
    (sample_project / "node_modules" / "x").mkdir(parents=True)
    (sample_project / "node_modules" / "x" / "index.js").write_text("x", encoding="utf-8")
    (sample_project / ".git").mkdir()
    (sample_project / ".git" / "HEAD").write_text("ref", encoding="utf-8")
    listed = snapshot(sample_project)
    assert "miniprogram/app.json" in listed
    assert not [path for path in listed if path.startswith(("node_modules/", ".git/"))]
    watcher = ProjectWatcher(sample_project, lambda: None)
    watcher.prime()
    (sample_project / "node_modules" / "x" / "index.js").write_text("changed", encoding="utf-8")
    assert not watcher.changed()
    (sample_project / "miniprogram" / "app.wxss").write_text("page {}", encoding="utf-8")
    assert watcher.changed()
    assert not watcher.changed()  # the change is counted once


def test_a_project_that_never_compiled_has_no_bundle(
    sample_project: Path, database: Database, tmp_path: Path
) -> None:
    (sample_project / SAMPLE_ROOT / "app.json").write_text("{ not json", encoding="utf-8")
    project = DevProject(sample_project, database=database, store=BundleStore(tmp_path / "b"))
    status = project.build()
    assert not status.ok and status.bundle is None
    assert status.diagnostics[0].file == "app.json"
    with database.read() as session:
        assert find_app(session, appid=project.appid) is None


def test_a_second_run_reuses_the_app(project: DevProject, database: Database) -> None:
    first = project.build()
    again = DevProject(project.folder, database=database, store=project.store)
    second = again.build()
    assert (second.appid, second.rev, second.bundle) == (first.appid, 1, first.bundle)


def test_appid_and_name(tmp_path: Path) -> None:
    folder = tmp_path / "shop"
    real = {"appid": "wx0123456789abcdef", "projectname": "%E5%95%86%E5%BA%97"}
    assert dev_appid(folder, real) == "wx0123456789abcdef"
    assert dev_app_name(folder, real) == "商店"
    derived = dev_appid(folder, {"appid": "touristappid"})
    assert derived.startswith("wx") and len(derived) == 18
    assert derived == dev_appid(folder, {})  # stable for one folder
    assert derived != dev_appid(tmp_path / "other", {})
    assert dev_app_name(folder, {}) == "shop"
    assert dev_app_name(tmp_path / ("x" * 80), {"projectname": 3}) == "Mini program"


def _status(rev: int) -> BuildStatus:
    return BuildStatus(
        rev=rev, ok=True, appid="wx0", name="n", bundle=None, diagnostics=(), duration_ms=0
    )


def test_the_board_wakes_threads_and_tasks() -> None:
    board = BuildBoard(_status(1))
    assert board.wait_sync(0, timeout=WAIT).rev == 1  # another revision: at once
    assert board.wait_sync(7, timeout=WAIT).rev == 1  # a newer one (an earlier run): at once
    assert board.wait_sync(1, timeout=0.01).rev == 1  # the same: at the timeout

    async def wait_async() -> int:
        return (await board.wait(1, timeout=WAIT)).rev

    answers: list[int] = []
    waiter = threading.Thread(target=lambda: answers.append(asyncio.run(wait_async())))
    waiter.start()
    assert board.wait_for_waiters(1, timeout=WAIT)
    board.publish(_status(2))
    waiter.join(WAIT)
    assert answers == [2]

    async def wait_async_same() -> int:
        return (await board.wait(2, timeout=WAIT)).rev

    closing = threading.Thread(target=lambda: answers.append(asyncio.run(wait_async_same())))
    closing.start()
    assert board.wait_for_waiters(1, timeout=WAIT)
    board.close()  # the server stops: waiters answer now
    closing.join(WAIT)
    assert answers == [2, 2]
    assert board.wait_sync(2, timeout=WAIT).rev == 2  # and later ones do not wait
