"""Reading projects from folders and untrusted zips."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from miniapp.compiler.diagnostics import Diagnostics
from miniapp.compiler.project import ReadLimits, read_project

APP = b'{"pages": ["pages/index/index"]}'


def make_zip(path: Path, entries: dict[str, bytes], *, symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, "/etc/passwd")
    return path


def test_folder_with_miniprogram_root(tmp_path: Path) -> None:
    (tmp_path / "project.config.json").write_text('{"miniprogramRoot": "src/"}')
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.json").write_bytes(APP)
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "x.js").write_text("ignored")
    (tmp_path / "README.md").write_text("outside the root")
    diagnostics = Diagnostics()
    project = read_project(tmp_path, diagnostics)
    assert project is not None and diagnostics.ok
    assert project.root == "src"
    assert project.tree.paths() == ["app.json"]


def test_private_config_overrides_the_shared_one(tmp_path: Path) -> None:
    (tmp_path / "project.config.json").write_text('{"miniprogramRoot": "a/"}')
    (tmp_path / "project.private.config.json").write_text('{"miniprogramRoot": "b/"}')
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "app.json").write_bytes(APP)
    project = read_project(tmp_path, Diagnostics())
    assert project is not None and project.tree.paths() == ["app.json"]


def test_zip_of_the_project_folder_itself_is_unwrapped(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "p.zip", {"myapp/app.json": APP, "myapp/app.js": b"App({})"})
    project = read_project(archive, Diagnostics())
    assert project is not None
    assert project.tree.paths() == ["app.js", "app.json"]


def test_missing_project(tmp_path: Path) -> None:
    diagnostics = Diagnostics()
    assert read_project(tmp_path / "nope", diagnostics) is None
    assert diagnostics.codes() == ["PROJECT_NOT_FOUND"]


def test_not_a_zip(tmp_path: Path) -> None:
    bogus = tmp_path / "p.zip"
    bogus.write_bytes(b"PK\x03\x04 definitely not a zip")
    diagnostics = Diagnostics()
    assert read_project(bogus, diagnostics) is None
    assert diagnostics.codes() == ["ZIP_INVALID"]


def test_zip_paths_that_escape_are_refused(tmp_path: Path) -> None:
    for name in ("../evil.js", "/etc/evil.js", "a/../../evil.js", "C:/evil.js", "a\\..\\evil.js"):
        archive = make_zip(tmp_path / "p.zip", {"app.json": APP, name: b"x"})
        diagnostics = Diagnostics()
        assert read_project(archive, diagnostics) is None, name
        assert diagnostics.codes() == ["ZIP_UNSAFE_PATH"], name
        assert not (tmp_path.parent / "evil.js").exists()


def test_zip_symlinks_are_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "p.zip", {"app.json": APP}, symlink="images/logo.png")
    diagnostics = Diagnostics()
    assert read_project(archive, diagnostics) is None
    assert diagnostics.sorted()[0].file == "images/logo.png"
    assert diagnostics.codes() == ["ZIP_SYMLINK"]


def test_folder_symlinks_are_refused(tmp_path: Path) -> None:
    (tmp_path / "app.json").write_bytes(APP)
    (tmp_path / "secret.txt").symlink_to("/etc/hostname")
    diagnostics = Diagnostics()
    assert read_project(tmp_path, diagnostics) is None
    assert diagnostics.codes() == ["ZIP_SYMLINK"]


def test_too_many_files(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "p.zip", {f"f{i}.txt": b"x" for i in range(11)})
    diagnostics = Diagnostics()
    assert read_project(archive, diagnostics, limits=ReadLimits(max_files=10)) is None
    assert diagnostics.codes() == ["ZIP_TOO_MANY_FILES"]


def test_zip_bomb_is_stopped_while_inflating(tmp_path: Path) -> None:
    """A small zip that inflates past the limit: counted while reading, whatever the headers say."""
    archive = make_zip(tmp_path / "bomb.zip", {"app.json": APP, "big.bin": b"\0" * 5_000_000})
    assert archive.stat().st_size < 20_000
    diagnostics = Diagnostics()
    limits = ReadLimits(max_total_bytes=1_000_000)
    assert read_project(archive, diagnostics, limits=limits) is None
    assert diagnostics.codes() == ["ZIP_TOO_LARGE"]


def test_folder_over_the_size_limit(tmp_path: Path) -> None:
    (tmp_path / "app.json").write_bytes(APP)
    (tmp_path / "big.bin").write_bytes(b"\0" * 2000)
    diagnostics = Diagnostics()
    assert read_project(tmp_path, diagnostics, limits=ReadLimits(max_total_bytes=1000)) is None
    assert diagnostics.codes() == ["ZIP_TOO_LARGE"]


def test_bad_project_config(tmp_path: Path) -> None:
    (tmp_path / "project.config.json").write_text('{"miniprogramRoot": "../outside"}')
    diagnostics = Diagnostics()
    assert read_project(tmp_path, diagnostics) is None
    assert diagnostics.codes() == ["PROJECT_CONFIG_INVALID"]
    (tmp_path / "project.config.json").write_text('{"miniprogramRoot": ')
    diagnostics = Diagnostics()
    assert read_project(tmp_path, diagnostics) is None
    assert diagnostics.codes() == ["JSON_SYNTAX"]


def test_too_many_entries_are_refused_before_zipfile_builds_one_object_per_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small upload can list hundreds of thousands of empty files: the entries are counted in
    # the central directory's bytes (whatever the end record claims) before zipfile reads it.
    path = make_zip(tmp_path / "many.zip", {f"f{i}.txt": b"" for i in range(30)})
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (1).to_bytes(2, "little") * 2  # the end record lies: "1 entry"
    path.write_bytes(bytes(data))

    def no_zipfile(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("zipfile was asked to read the whole directory")

    monkeypatch.setattr(zipfile, "ZipFile", no_zipfile)
    diagnostics = Diagnostics()
    assert read_project(path, diagnostics, limits=ReadLimits(max_files=5)) is None
    assert diagnostics.codes() == ["ZIP_TOO_MANY_FILES"]
