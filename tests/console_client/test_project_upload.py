"""What `miniapp upload` packs: the project as `miniapp compile` reads it, minus litter."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from miniapp.console_client.project_upload import project_appid, project_files, zip_project


def make_project(root: Path) -> Path:
    files = {
        "app.json": "{}",
        "pages/index/index.js": "Page({})",
        ".git/config": "x",
        "node_modules/lib/index.js": "x",
        ".idea/workspace.xml": "x",
        "pages/.cache/tmp": "x",
        "pages/.keep": "",
        "project.config.json": json.dumps({"appid": "wx0123456789abcdef"}),
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "link.js").symlink_to(root / "app.json")
    return root


def test_the_zip_skips_vcs_node_modules_dot_folders_and_links(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    names = [name for name, _ in project_files(project)]
    assert names == ["app.json", "pages/.keep", "pages/index/index.js", "project.config.json"]
    with zipfile.ZipFile(io.BytesIO(zip_project(project))) as archive:
        assert sorted(archive.namelist()) == sorted(names)
        assert archive.read("pages/index/index.js") == b"Page({})"


def test_a_zip_is_sent_as_it_is(tmp_path: Path) -> None:
    package = tmp_path / "p.zip"
    package.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    assert zip_project(package) == package.read_bytes()
    assert project_appid(package) is None


def test_the_appid_is_read_from_project_config(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    assert project_appid(project) == "wx0123456789abcdef"
    (project / "project.config.json").write_text(json.dumps({"appid": "touristappid"}))
    assert project_appid(project) is None
    (project / "project.config.json").unlink()
    assert project_appid(project) is None
