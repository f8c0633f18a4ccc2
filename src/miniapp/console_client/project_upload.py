"""What `miniapp upload` sends: the project folder as a zip, as `miniapp compile` reads it, and
which app it is for (the project's project.config.json, when not given)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path, PurePosixPath

from miniapp.apps.project_identity import read_project_config
from miniapp.apps.registry import APPID
from miniapp.compiler.project import IGNORED_PARTS


def _skipped(relative: PurePosixPath, *, is_dir: bool) -> bool:
    """Version control, node_modules, editor litter, and every dot-folder (.git, .idea, ...)."""
    parts = relative.parts if is_dir else relative.parts[:-1]
    return any(part in IGNORED_PARTS for part in relative.parts) or any(
        part.startswith(".") for part in parts
    )


def project_files(folder: Path) -> list[tuple[str, Path]]:
    """(name in the zip, file) for every file of the project that is packaged, sorted."""
    found: list[tuple[str, Path]] = []
    for path in sorted(folder.rglob("*")):
        relative = PurePosixPath(path.relative_to(folder).as_posix())
        if _skipped(relative, is_dir=path.is_dir()) or path.is_dir() or path.is_symlink():
            continue  # the compiler reports links; they are never packaged
        found.append((relative.as_posix(), path))
    return found


def zip_project(project: Path) -> bytes:
    """The project as zip bytes: a zip file as it is, a folder zipped."""
    if project.is_file():
        return project.read_bytes()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, path in project_files(project):
            archive.write(path, name)
    return buffer.getvalue()


def project_appid(project: Path) -> str | None:
    """The appid in the folder's project.config.json, if it is a real one (not touristappid)."""
    if not project.is_dir():
        return None
    appid = read_project_config(project).get("appid")
    return appid if isinstance(appid, str) and APPID.fullmatch(appid) else None
