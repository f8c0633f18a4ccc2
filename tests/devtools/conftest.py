"""Fixtures for the simulator's tests: a temporary copy of the sample project (project/), and a
live server in development mode running it with its watcher, on SQLite (as `miniapp dev` always
does)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn

from miniapp.db.session import Database
from miniapp.devtools.builds import DevProject
from miniapp.devtools.watcher import ProjectWatcher
from miniapp.server import create_app
from miniapp.settings import Settings
from tests.conftest import _free_port, _SignallingServer

SAMPLE_PROJECT = Path(__file__).resolve().parent / "project"
# Where app.json sits (project.config.json's miniprogramRoot).
SAMPLE_ROOT = "miniprogram"


@pytest.fixture
def sample_project(tmp_path: Path) -> Path:
    """A copy of the sample project the test may edit."""
    copy = tmp_path / "project"
    shutil.copytree(SAMPLE_PROJECT, copy)
    return copy


def write(path: Path, text: str) -> None:
    """Write a project file at once, as editors save: a watcher never sees it half written (the
    new content is written beside the project folder, then renamed over the file)."""
    project = next(folder for folder in path.parents if (folder / "project.config.json").exists())
    temporary = project.parent / f".{path.name}.saving"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` (which must be there) by `new` in a project file."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    write(path, text.replace(old, new, 1))


@dataclass(frozen=True)
class DevServer:
    url: str
    project: DevProject
    folder: Path  # the project folder

    def source(self, relative: str) -> Path:
        """A file of the mini program (relative to its root, as diagnostics name it)."""
        return self.folder / SAMPLE_ROOT / relative


@pytest.fixture
def dev_server(sample_project: Path, tmp_path: Path) -> Iterator[DevServer]:
    """What `miniapp dev` runs, in this process: the app in development mode with the sample
    project built, released and watched (polled every 50 ms), served on a free loopback port."""
    port = _free_port()
    data_dir = tmp_path / "data"
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        host="127.0.0.1",
        port=port,
        secret_key="dev-secret-key-" + "z" * 32,
        run_worker=False,
        dev_mode=True,
    )
    database = Database(f"sqlite:///{data_dir / 'miniapp.sqlite3'}")
    application = create_app(settings, database=database, run_worker=False)
    project = DevProject(sample_project, database=database, store=application.state.bundle_store)
    application.state.dev_project = project
    watcher = ProjectWatcher(sample_project, project.build, interval=0.05, settle=0.02)
    watcher.prime()
    assert project.build().ok
    watcher.start()
    server = _SignallingServer(
        uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    if not server.ready.wait(timeout=15):
        raise RuntimeError("dev server did not start")
    try:
        yield DevServer(url=f"http://127.0.0.1:{port}", project=project, folder=sample_project)
    finally:
        project.board.close()  # answers the simulator's long poll, so the server stops at once
        server.should_exit = True
        thread.join(timeout=10)
        watcher.stop()
        database.dispose()
