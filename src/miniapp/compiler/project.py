"""Reading a project from a folder or a zip, defensively, into a SourceTree.

A zip comes from a developer's machine or a CI upload and is untrusted: entries that escape the
root (`..`, absolute paths, drive letters), symbolic links, too many files and too many
uncompressed bytes (zip bombs: counted while inflating, not taken from the headers) are refused.
`project.config.json`'s `miniprogramRoot` picks the folder that holds app.json.
"""

from __future__ import annotations

import json
import stat
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from miniapp.compiler.diagnostics import Diagnostics
from miniapp.compiler.sources import SourceTree

# Folders the WeChat devtools never package, and editor/OS litter.
IGNORED_PARTS = frozenset({".git", ".svn", ".hg", "node_modules", ".DS_Store", "__MACOSX"})
PROJECT_CONFIG = "project.config.json"
PRIVATE_CONFIG = "project.private.config.json"


@dataclass(frozen=True, kw_only=True)
class ReadLimits:
    max_files: int = 10_000
    max_total_bytes: int = 100 * 1024 * 1024


@dataclass(frozen=True, kw_only=True)
class Project:
    tree: SourceTree
    root: str  # miniprogramRoot, "" when app.json sits beside project.config.json
    config: dict[str, object]  # project.config.json merged with project.private.config.json


def _ignored(path: str) -> bool:
    return any(part in IGNORED_PARTS for part in PurePosixPath(path).parts)


def _read_folder(folder: Path, limits: ReadLimits, diagnostics: Diagnostics) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    total = 0
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        if _ignored(relative) or path.is_dir():
            continue
        if path.is_symlink():
            # A link could point anywhere on the machine; the devtools would not follow it either.
            diagnostics.error("ZIP_SYMLINK", relative, "symbolic links are not packaged")
            continue
        if len(files) >= limits.max_files:
            diagnostics.error("ZIP_TOO_MANY_FILES", relative, f"more than {limits.max_files} files")
            return files
        data = path.read_bytes()
        total += len(data)
        if total > limits.max_total_bytes:
            diagnostics.error(
                "ZIP_TOO_LARGE",
                relative,
                f"files add up to more than {limits.max_total_bytes} bytes",
            )
            return files
        files[relative] = data
    return files


def _safe_member_name(name: str) -> str | None:
    """The entry's path if it stays inside the project, else None."""
    if "\\" in name or name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return None
    parts = PurePosixPath(name).parts
    if any(part == ".." for part in parts):
        return None
    return PurePosixPath(*parts).as_posix() if parts else None


_END = struct.Struct("<4s4H2LH")  # end of central directory record
_END64_LOCATOR = struct.Struct("<4sLQL")
_END64 = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # one central directory entry, before its name


def _central_directory(data: bytes) -> tuple[int, int] | None:
    """(offset, size) of the zip's central directory, or None if there is none to be found."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - _END.size - 0xFFFF))
    if end < 0 or end + _END.size > len(data):
        return None
    fields = _END.unpack_from(data, end)
    size, offset = fields[5], fields[6]
    locator = end - _END64_LOCATOR.size
    if (offset == 0xFFFFFFFF or size == 0xFFFFFFFF) and locator >= 0:
        signature, _disk, end64, _disks = _END64_LOCATOR.unpack_from(data, locator)
        if signature != b"PK\x06\x07" or end64 + _END64.size > len(data):
            return None
        fields64 = _END64.unpack_from(data, end64)
        size, offset = fields64[8], fields64[9]
    return offset, size


def _more_entries_than(data: bytes, limit: int) -> bool:
    """Whether the zip's central directory lists more than `limit` entries, counted by walking
    its records without building them: zipfile would first build an object per entry, and a
    small upload can list hundreds of thousands of empty files."""
    found = _central_directory(data)
    if found is None:
        return False  # not a zip zipfile can read either: it reports that itself
    position, size = found
    stop = min(len(data), position + size)
    count = 0
    while position + _CENTRAL.size <= stop and data[position : position + 4] == b"PK\x01\x02":
        fields = _CENTRAL.unpack_from(data, position)
        name_length, extra_length, comment_length = fields[12], fields[13], fields[14]
        position += _CENTRAL.size + name_length + extra_length + comment_length
        count += 1
        if count > limit:
            return True
    return False


def _read_zip(path: Path, limits: ReadLimits, diagnostics: Diagnostics) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    label = path.name
    try:
        if _more_entries_than(path.read_bytes(), limits.max_files):
            diagnostics.error("ZIP_TOO_MANY_FILES", label, f"more than {limits.max_files} files")
            return files
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        diagnostics.error("ZIP_INVALID", label, f"not a readable zip file: {exc}")
        return files
    total = 0
    with archive:
        entries = [info for info in archive.infolist() if not info.is_dir()]
        if len(entries) > limits.max_files:
            diagnostics.error(
                "ZIP_TOO_MANY_FILES", label, f"{len(entries)} files; at most {limits.max_files}"
            )
            return files
        for info in entries:
            name = _safe_member_name(info.filename)
            if name is None:
                diagnostics.error(
                    "ZIP_UNSAFE_PATH", info.filename, "the path leaves the project folder"
                )
                continue
            if stat.S_ISLNK(info.external_attr >> 16):
                diagnostics.error("ZIP_SYMLINK", name, "symbolic links are not packaged")
                continue
            if _ignored(name):
                continue
            chunks: list[bytes] = []
            try:
                with archive.open(info) as member:
                    # Count what actually inflates: the sizes in the headers can lie.
                    while chunk := member.read(1 << 16):
                        total += len(chunk)
                        if total > limits.max_total_bytes:
                            diagnostics.error(
                                "ZIP_TOO_LARGE",
                                name,
                                f"files uncompress to more than {limits.max_total_bytes} bytes",
                            )
                            return files
                        chunks.append(chunk)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
                diagnostics.error("ZIP_INVALID", name, f"cannot be extracted: {exc}")
                continue
            files[name] = b"".join(chunks)
    return files


def _json_object(data: bytes, file: str, diagnostics: Diagnostics) -> dict[str, object]:
    try:
        loaded = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", 0)
        column = getattr(exc, "colno", 0)
        diagnostics.error("JSON_SYNTAX", file, f"not valid JSON: {exc}", line=line, column=column)
        return {}
    if not isinstance(loaded, dict):
        diagnostics.error("PROJECT_CONFIG_INVALID", file, "must be a JSON object")
        return {}
    return loaded


def read_project(
    source: Path, diagnostics: Diagnostics, *, limits: ReadLimits | None = None
) -> Project | None:
    """Read a project folder or zip; None (with diagnostics) if it cannot be read at all."""
    limits = limits or ReadLimits()
    if source.is_dir():
        files = _read_folder(source, limits, diagnostics)
    elif source.is_file():
        files = _read_zip(source, limits, diagnostics)
    else:
        diagnostics.error("PROJECT_NOT_FOUND", str(source), "no such folder or zip file")
        return None
    if diagnostics.items:
        return None
    # A zip made by zipping the project folder itself holds everything under one top folder.
    if PROJECT_CONFIG not in files and "app.json" not in files:
        tops = {name.split("/", 1)[0] for name in files}
        if len(tops) == 1 and all("/" in name for name in files):
            prefix = tops.pop() + "/"
            files = {name.removeprefix(prefix): data for name, data in files.items()}
    config: dict[str, object] = {}
    if PROJECT_CONFIG in files:
        config = _json_object(files[PROJECT_CONFIG], PROJECT_CONFIG, diagnostics)
    if PRIVATE_CONFIG in files:
        config = {**config, **_json_object(files[PRIVATE_CONFIG], PRIVATE_CONFIG, diagnostics)}
    if diagnostics.items:
        return None
    root_value = config.get("miniprogramRoot", "")
    if not isinstance(root_value, str) or (
        root_value.strip("./") and _safe_member_name(root_value) is None
    ):
        diagnostics.error(
            "PROJECT_CONFIG_INVALID", PROJECT_CONFIG, "miniprogramRoot must be a relative folder"
        )
        return None
    root = PurePosixPath(root_value).as_posix().strip("/") if root_value else ""
    if root in (".", ""):
        root = ""
    prefix = f"{root}/" if root else ""
    tree_files = {
        name.removeprefix(prefix): data
        for name, data in files.items()
        if name.startswith(prefix) and name not in (PROJECT_CONFIG, PRIVATE_CONFIG)
    }
    return Project(tree=SourceTree(tree_files), root=root, config=config)
