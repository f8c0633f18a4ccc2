"""Files and transfers in the browser runtime, on examples/apis (pages files, transfer, socket).

wx.getFileSystemManager's Sync and async methods, WeChat's errors and the quota, files kept per
user and per app across restarts; wx.downloadFile / saveFile / uploadFile against a local file
server, the downloaded file shown in an <image>; wx.connectSocket to a local echo server. The
runtime platform runs in development mode, so loopback servers are reachable (the domain checks
themselves are tested in tests/netproxy).
"""

from __future__ import annotations

import json
import re
import struct
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from playwright.sync_api import FrameLocator, Page, expect

from tests.e2e.conftest import NewContext, RuntimePlatform, current_page
from tests.e2e.gestures import readout

USR = "wxfile://usr"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def png(width: int, height: int) -> bytes:
    """A red RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


PICTURE = png(20, 12)


@dataclass
class FileServer:
    base: str
    uploads: list[tuple[str, bytes]] = field(default_factory=list)


@pytest.fixture(scope="module")
def file_server() -> Iterator[FileServer]:
    state = FileServer(base="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _reply(self, status: int, body: bytes, kind: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            if self.path == "/pic.png":
                self._reply(200, PICTURE, "image/png")
            else:
                self._reply(404, b"not here", "text/plain")

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            state.uploads.append((self.headers.get("Content-Type") or "", body))
            self._reply(200, f'{{"received": {len(body)}}}'.encode(), "application/json")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def open_page(
    runtime_platform: RuntimePlatform, page: Page, name: str, query: str = "", app: str = "apis"
) -> FrameLocator:
    return runtime_platform.open(page, app, path=f"pages/{name}/{name}", query=query)


def tap(frame: FrameLocator, selector: str) -> None:
    frame.locator(selector).click()


# --- FileSystemManager --------------------------------------------------------------------------


def test_sync_methods(runtime_platform: RuntimePlatform, new_context: NewContext) -> None:
    page = new_context().new_page()
    frame = open_page(runtime_platform, page, "files")
    expect(frame.locator("#user-path")).to_have_text(USR)
    tap(frame, "#run-sync")
    out = readout(frame.locator("#sync-result"))
    assert out == {
        "text": "你好 world",
        "hex": "e4bda0",
        "list": ["b", "moved.txt"],
        "size": len("你好 world".encode()),
        "isFile": True,
        "dirIsDirectory": True,
        "modified": "number",
        "after": ["b"],
        "gone": f"accessSync:fail no such file or directory {USR}/a",
    }


def test_async_methods(runtime_platform: RuntimePlatform, new_context: NewContext) -> None:
    page = new_context().new_page()
    frame = open_page(runtime_platform, page, "files")
    tap(frame, "#run-async")
    out = readout(frame.locator("#async-result"))
    assert out == {
        "mkdir": "mkdir:ok",
        "writeFile": "writeFile:ok",
        "base64": "AAEC+v8=",
        "isArrayBuffer": True,
        "bytes": [0, 1, 2, 250, 255],
        "stat": [["/", True, 0], ["/data.bin", False, 5]],
        "info": [5, "73fb0b3785a29d5e2ef0f102ad1cd1e8"],
        "rmdir": "rmdir:ok",
        "access": f"access:fail no such file or directory {USR}/bin",
    }


def test_errors_and_quota(runtime_platform: RuntimePlatform, new_context: NewContext) -> None:
    page = new_context().new_page()
    frame = open_page(runtime_platform, page, "files")
    tap(frame, "#run-errors")
    out = readout(frame.locator("#error-result"))
    assert out == {
        "readMissing": f"readFileSync:fail no such file or directory, open {USR}/missing.txt",
        "outside": "writeFileSync:fail permission denied, open wxfile://other/x.txt",
        "noParent": f"mkdirSync:fail no such file or directory {USR}/x/y",
        "notEmpty": "rmdirSync:fail directory not empty",
        "readFile": f"readFile:fail no such file or directory, open {USR}/missing.txt",
        "quota": "writeFile:fail the maximum size of the file storage limit is exceeded",
        "hugeExists": f"accessSync:fail no such file or directory {USR}/huge.bin",
        "unzip": "unzip:fail not supported",
    }


def test_files_persist_per_user_and_per_app(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    other_app = runtime_platform.register("apis-copy", EXAMPLES / "apis")
    context = new_context()
    page = context.new_page()
    frame = open_page(runtime_platform, page, "files")
    expect(frame.locator("#persisted")).to_have_text("none")
    tap(frame, "#write-note")
    assert "note.txt" in readout(frame.locator("#note-result"))
    # The same user opens the app again: the note is there (IndexedDB, read before app.js).
    page.reload()
    frame = open_page(runtime_platform, page, "files")
    expect(frame.locator("#persisted")).to_have_text("kept across restarts")
    # Another app of the same user does not see it.
    page.goto(f"{runtime_platform.url}/#app/{other_app}?path=pages/files/files")
    expect(current_page(page).locator("#persisted")).to_have_text("none")
    # Nor does another user (a fresh browser context).
    stranger = new_context().new_page()
    expect(open_page(runtime_platform, stranger, "files").locator("#persisted")).to_have_text(
        "none"
    )


# --- downloadFile, saveFile, uploadFile ---------------------------------------------------------


def test_download_show_save_and_upload(
    runtime_platform: RuntimePlatform, new_context: NewContext, file_server: FileServer
) -> None:
    page = new_context().new_page()
    frame = open_page(runtime_platform, page, "transfer", query=f"base={quote(file_server.base)}")
    tap(frame, "#download")
    assert readout(frame.locator("#download-result")) == {
        "errMsg": "downloadFile:ok",
        "statusCode": 200,
        "temp": True,
    }
    progress = readout(frame.locator("#progress"))
    assert progress == {
        "progress": 100,
        "totalBytesWritten": len(PICTURE),
        "totalBytesExpectedToWrite": len(PICTURE),
    }
    # The temp file shows in an <image> (its bindload reports the picture's own size).
    assert readout(frame.locator("#load-result")) == {"width": 20, "height": 12}
    expect(frame.locator("#pic img")).to_have_attribute(
        "src", re.compile(r"^data:image/png;base64,")
    )
    tap(frame, "#save")
    saved = readout(frame.locator("#save-result"))
    assert saved == {"errMsg": "saveFile:ok", "stored": True, "count": 1, "size": len(PICTURE)}
    assert readout(frame.locator("#load-result")) == {"width": 20, "height": 12}
    tap(frame, "#upload")
    uploaded = readout(frame.locator("#upload-result"))
    assert uploaded["errMsg"] == "uploadFile:ok" and uploaded["statusCode"] == 200
    (kind, body) = file_server.uploads[-1]
    assert json.loads(uploaded["data"]) == {"received": len(body)}
    assert kind.startswith("multipart/form-data; boundary=")
    assert PICTURE in body
    assert 'name="user"\r\n\r\n小明'.encode() in body
    assert b'name="photo"; filename="store_' in body


def test_download_of_a_missing_file_gives_its_status(
    runtime_platform: RuntimePlatform, new_context: NewContext, file_server: FileServer
) -> None:
    page = new_context().new_page()
    frame = open_page(runtime_platform, page, "transfer", query=f"base={quote(file_server.base)}")
    tap(frame, "#download-missing")
    assert readout(frame.locator("#download-result")) == {"statusCode": 404}


# --- connectSocket ------------------------------------------------------------------------------


def test_socket_echoes_text_and_binary_and_closes(
    runtime_platform: RuntimePlatform, new_context: NewContext, echo_url: str
) -> None:
    page = new_context().new_page()
    frame = open_page(runtime_platform, page, "socket", query=f"url={quote(echo_url)}")
    tap(frame, "#connect")
    expect(frame.locator("#status")).to_have_text("open object")
    tap(frame, "#send-text")
    expect(frame.locator("#messages")).to_have_text("hello 小程序;")
    tap(frame, "#send-binary")
    expect(frame.locator("#messages")).to_have_text("hello 小程序;binary:1,2,255;")
    tap(frame, "#close")
    expect(frame.locator("#status")).to_have_text("closed")
    assert readout(frame.locator("#close-result")) == {"code": 3001, "reason": "done"}


def test_the_sixth_socket_fails(
    runtime_platform: RuntimePlatform, new_context: NewContext, echo_url: str
) -> None:
    page = new_context().new_page()
    frame = open_page(runtime_platform, page, "socket", query=f"url={quote(echo_url)}")
    tap(frame, "#six")
    assert readout(frame.locator("#limit-result")) == [
        "open",
        "open",
        "open",
        "open",
        "open",
        "connectSocket:fail exceed max socket connect count",
    ]
