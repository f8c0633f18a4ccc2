"""`miniapp dev PROJECT_DIR`, run as a developer runs it: a real process on a free port, talked to
over HTTP while the test edits the project."""

from __future__ import annotations

import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from miniapp.cli import main
from miniapp.devtools.builds import dev_appid
from tests.devtools.conftest import SAMPLE_ROOT, edit

WAIT = 30  # seconds: the most any wait below may take; each ends as soon as its line or answer


class Output:
    """The process's output, read line by line in a thread."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            self._queue.put(line)
        self._queue.put(None)

    def wait_for(self, wanted: Callable[[str], bool]) -> str:
        deadline = time.monotonic() + WAIT
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("not printed:\n" + "".join(self.lines))
            try:
                line = self._queue.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                raise AssertionError("the process ended:\n" + "".join(self.lines))
            self.lines.append(line)
            if wanted(line):
                return line

    @property
    def text(self) -> str:
        return "".join(self.lines)


def get_json(url: str) -> Any:
    response = httpx.get(url, timeout=WAIT)
    response.raise_for_status()
    return response.json()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def dev_process(
    sample_project: Path, tmp_path: Path
) -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "miniapp", "dev", str(sample_project), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,  # no .env of the developer's
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "PYTHONUNBUFFERED": "1"},
    )
    try:
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=WAIT)
        if process.stdout is not None:
            process.stdout.close()


def test_dev_builds_serves_and_rebuilds_on_every_save(
    dev_process: tuple[subprocess.Popen[str], int], sample_project: Path
) -> None:
    process, port = dev_process
    output = Output(process)
    base = f"http://127.0.0.1:{port}"
    # The URL is printed once the socket listens; the first build's report came before it.
    output.wait_for(lambda line: f"{base}/dev" in line)
    assert re.search(r"Build 1 ok in \d+ ms", output.text)
    data_line = output.wait_for(lambda line: line.lstrip().startswith("Data"))
    data_dir = Path(data_line.split()[1])
    assert "temporary" in data_line and (data_dir / "miniapp.sqlite3").exists()

    first = get_json(f"{base}/api/dev/build")
    assert first["rev"] == 1 and first["ok"] is True
    assert first["name"] == "Dev Sample"
    # touristappid is not a real appid: one is derived from the project's path.
    assert first["appid"] == dev_appid(sample_project, {})
    assert 'src="/static/dev/dev.js"' in httpx.get(f"{base}/dev", timeout=WAIT).text

    index = sample_project / SAMPLE_ROOT / "pages" / "index"
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(get_json, f"{base}/api/dev/build?after=1")
        edit(index / "index.wxml", "Hello from the simulator", "Saved in an editor")
        second = waiting.result(timeout=WAIT)
    assert second["rev"] == 2 and second["ok"] is True and second["bundle"] != first["bundle"]
    launch = get_json(f"{base}/api/runtime/apps/{first['appid']}/launch")
    assert launch["bundle"] == second["bundle"]
    view = launch["manifest"]["pages"]["pages/index/index"]["view"]
    assert "Saved in an editor" in httpx.get(f"{base}/bundles/{view}", timeout=WAIT).text
    output.wait_for(lambda line: "Build 2 ok" in line)

    edit(index / "index.wxml", "Count: {{count}}", "Count: {{count")
    third = get_json(f"{base}/api/dev/build?after=2")
    assert third["rev"] == 3 and third["ok"] is False
    assert third["bundle"] == second["bundle"]  # still released
    assert third["diagnostics"][0]["file"] == "pages/index/index.wxml"
    assert third["diagnostics"][0]["line"] == 4
    output.wait_for(lambda line: "Build 3 failed" in line)
    printed = output.wait_for(lambda line: "pages/index/index.wxml:4:" in line)
    assert "WXML_UNTERMINATED_BINDING" in printed
    assert (
        get_json(f"{base}/api/runtime/apps/{first['appid']}/launch")["bundle"] == second["bundle"]
    )

    # Stopping answers a waiting simulator at once, and removes the temporary data folder. The
    # long poll is sent first; a second request answered after it means the server has read it.
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as poll:
        poll.sendall(b"GET /api/dev/build?after=3 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert get_json(f"{base}/api/dev/build")["rev"] == 3
        started = time.monotonic()
        process.send_signal(signal.SIGINT)
        answer = b""
        while chunk := poll.recv(65536):
            answer += chunk
    assert process.wait(timeout=WAIT) == 0
    assert time.monotonic() - started < 15  # not the long poll's 25 s
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert b'"rev":3' in answer
    assert not data_dir.exists()


def test_dev_stops_on_sigterm_and_keeps_a_named_data_folder(
    sample_project: Path, tmp_path: Path
) -> None:
    port = free_port()
    data = tmp_path / "kept"
    process = subprocess.Popen(
        [sys.executable, "-m", "miniapp", "dev", str(sample_project), "--port", str(port),
         "--data", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200", "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    try:
        output = Output(process)
        line = output.wait_for(lambda text: text.lstrip().startswith("Data"))
        assert str(data) in line and "temporary" not in line
        process.terminate()
        assert process.wait(timeout=WAIT) == 0
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=WAIT)
        if process.stdout is not None:
            process.stdout.close()
    assert (data / "miniapp.sqlite3").exists()
    assert list((data / "bundles" / "manifests").glob("*.json"))


def test_dev_refuses_a_data_folder_inside_the_project(sample_project: Path) -> None:
    result = CliRunner().invoke(
        main, ["dev", str(sample_project), "--data", str(sample_project / "data")]
    )
    assert result.exit_code == 2
    assert "outside the project folder" in result.output
    assert not (sample_project / "data").exists()


def test_dev_needs_an_existing_folder_and_is_in_the_help(tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["dev", str(tmp_path / "missing")]).exit_code == 2
    assert "dev" in runner.invoke(main, ["--help"]).output
    help_text = runner.invoke(main, ["dev", "--help"]).output
    for flag in ("PROJECT_DIR", "--host", "--port", "--data"):
        assert flag in help_text
