"""The bundle store: compiled bundles on disk, content-addressed and immutable.

Layout under `<data_dir>/bundles/` (see docs/bundle-format.md for what a bundle holds):

    files/<sha256 hex, first 20>.<ext>    every file of every bundle, named by its content's hash,
                                          exactly as the manifests reference them ("files/…")
    manifests/<bundle id>.json            a manifest; the bundle id is the first 20 hex digits of
                                          the sha256 of its bytes (`compiler.build.manifest_bytes`)

Nothing is ever rewritten: a name is the hash of its content, so a file that exists already holds
these very bytes. Each write goes to a temporary file beside its target and is renamed over it
(`os.replace`), so a reader sees a whole file or none; a manifest is written after its files, so a
stored manifest never names a missing file. Manifests are immutable too, so parsed ones are kept
in memory by id.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from miniapp.atomic_files import write_once
from miniapp.compiler.build import Bundle, manifest_bytes
from miniapp.settings import Settings

BUNDLE_ID = re.compile(r"[0-9a-f]{20}")
# The names /bundles/files serves. A stored file with another extension (none, or an unusual
# one) is kept but not served.
SERVED_FILE_NAME = re.compile(r"[0-9a-f]{20}\.[a-z0-9]{1,8}")
# What a bundle's file key must look like to be stored: one path component after "files/",
# starting with the content's hash (so it can never be "." or "..").
STORED_FILE_KEY = re.compile(r"files/([0-9a-f]{20})([^/\\\x00]{0,32})")
CACHED_MANIFESTS = 512
FILE_MODE = 0o644


class BundleNotFoundError(LookupError):
    """No manifest with this id is stored (or it is damaged)."""


@dataclass(frozen=True, kw_only=True)
class StoredManifest:
    bundle_id: str
    manifest: dict[str, Any]  # shared between readers: never mutate it
    compact_json: bytes  # the manifest as compact JSON, to splice into responses
    # What the runtime needs, for the launch route: the manifest without its size and API report
    # (about half of it), which only review and people read.
    launch_json: bytes


class BundleStore:
    """Bundles under one folder; holds the cache of parsed manifests."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files_dir = root / "files"
        self.manifests_dir = root / "manifests"
        self._manifests: dict[str, StoredManifest] = {}
        self._lock = threading.Lock()

    @classmethod
    def for_settings(cls, settings: Settings) -> BundleStore:
        return cls(settings.data_dir / "bundles")

    def served_file(self, name: str) -> Path | None:
        """The path of a servable file `name` ("<hash>.<ext>"), or None if the name is not one."""
        if SERVED_FILE_NAME.fullmatch(name) is None:
            return None
        return self.files_dir / name

    def manifest_path(self, bundle_id: str) -> Path:
        if BUNDLE_ID.fullmatch(bundle_id) is None:
            raise BundleNotFoundError(bundle_id)
        return self.manifests_dir / f"{bundle_id}.json"

    def remember(self, stored: StoredManifest) -> None:
        with self._lock:
            if len(self._manifests) >= CACHED_MANIFESTS:
                self._manifests.pop(next(iter(self._manifests)))
            self._manifests[stored.bundle_id] = stored

    def cached(self, bundle_id: str) -> StoredManifest | None:
        return self._manifests.get(bundle_id)


def bundle_id_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]


def _compact(manifest: dict[str, Any]) -> bytes:
    return json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode()


def do_store_bundle(store: BundleStore, bundle: Bundle) -> str:
    """Store a compiled bundle's files, then its manifest; return the bundle id.

    Storing the same bundle again writes nothing and returns the same id. A file whose name is
    not its content's hash is refused (ValueError) before anything is written.
    """
    checked: list[tuple[Path, bytes]] = []
    for key, data in sorted(bundle.files.items()):
        match = STORED_FILE_KEY.fullmatch(key)
        if match is None or hashlib.sha256(data).hexdigest()[:20] != match.group(1):
            raise ValueError(f"bundle file {key!r} is not named by its content's hash")
        checked.append((store.root / key, data))
    data = manifest_bytes(bundle.manifest)
    bundle_id = bundle_id_of(data)
    store.files_dir.mkdir(parents=True, exist_ok=True)
    store.manifests_dir.mkdir(parents=True, exist_ok=True)
    for path, content in checked:
        write_once(path, content, mode=FILE_MODE)
    write_once(store.manifest_path(bundle_id), data, mode=FILE_MODE)
    return bundle_id


def read_stored_manifest(store: BundleStore, bundle_id: str) -> StoredManifest:
    """A stored manifest, parsed once per process; BundleNotFoundError if none has this id."""
    cached = store.cached(bundle_id)
    if cached is not None:
        return cached
    path = store.manifest_path(bundle_id)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BundleNotFoundError(bundle_id) from None
    if bundle_id_of(data) != bundle_id:
        raise BundleNotFoundError(bundle_id)  # damaged on disk: never serve it
    manifest: dict[str, Any] = json.loads(data)
    stored = StoredManifest(
        bundle_id=bundle_id,
        manifest=manifest,
        compact_json=_compact(manifest),
        launch_json=_compact({k: v for k, v in manifest.items() if k != "report"}),
    )
    store.remember(stored)
    return stored


def read_manifest(store: BundleStore, bundle_id: str) -> dict[str, Any]:
    """The manifest of a stored bundle (shared, cached: do not mutate it)."""
    return read_stored_manifest(store, bundle_id).manifest


def has_bundle(store: BundleStore, bundle_id: str) -> bool:
    try:
        read_stored_manifest(store, bundle_id)
    except BundleNotFoundError:
        return False
    return True
