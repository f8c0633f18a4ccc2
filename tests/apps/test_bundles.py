"""The bundle store: content-addressed files, manifests named by their hash, written once."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from miniapp.apps.bundles import (
    BundleNotFoundError,
    BundleStore,
    do_store_bundle,
    has_bundle,
    read_manifest,
    read_stored_manifest,
)
from miniapp.compiler.build import Bundle, compile_project, manifest_bytes

HELLO = Path(__file__).resolve().parents[2] / "examples" / "hello"


def file_key(data: bytes, extension: str) -> str:
    return f"files/{hashlib.sha256(data).hexdigest()[:20]}{extension}"


def small_bundle(text: str = "console.log(1)") -> Bundle:
    logic = text.encode()
    key = file_key(logic, ".js")
    manifest: dict[str, Any] = {"format": 1, "packages": {"__APP__": {"logic": key}}}
    return Bundle(manifest=manifest, files={key: logic})


def every_file(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_a_compiled_bundle_is_stored_under_the_names_its_manifest_uses(tmp_path: Path) -> None:
    result = compile_project(HELLO)
    assert result.bundle is not None
    store = BundleStore(tmp_path / "bundles")
    bundle_id = do_store_bundle(store, result.bundle)
    data = manifest_bytes(result.bundle.manifest)
    assert bundle_id == hashlib.sha256(data).hexdigest()[:20]
    assert (store.manifests_dir / f"{bundle_id}.json").read_bytes() == data
    for key, content in result.bundle.files.items():
        assert (store.root / key).read_bytes() == content
    referenced = {
        value
        for package in result.bundle.manifest["packages"].values()
        for value in (package["logic"], package["wxs"], package["css"])
        if value
    }
    assert referenced and all((store.root / key).is_file() for key in referenced)
    assert not [name for name in every_file(store.root) if ".incoming-" in name]


def test_storing_again_writes_nothing_and_gives_the_same_id(tmp_path: Path) -> None:
    store = BundleStore(tmp_path)
    first = do_store_bundle(store, small_bundle())
    before = {name: os.stat(tmp_path / name).st_ino for name in every_file(tmp_path)}
    assert do_store_bundle(store, small_bundle()) == first
    after = {name: os.stat(tmp_path / name).st_ino for name in every_file(tmp_path)}
    assert after == before


def test_an_existing_file_is_never_rewritten(tmp_path: Path) -> None:
    store = BundleStore(tmp_path)
    bundle = small_bundle()
    (key,) = bundle.files
    (tmp_path / "files").mkdir()
    (tmp_path / key).write_bytes(b"already here")
    do_store_bundle(store, bundle)
    assert (tmp_path / key).read_bytes() == b"already here"


def test_bundles_share_files_with_the_same_content(tmp_path: Path) -> None:
    store = BundleStore(tmp_path)
    shared = b"shared"
    key = file_key(shared, ".css")
    one = Bundle(manifest={"v": 1, "css": key}, files={key: shared})
    two = Bundle(manifest={"v": 2, "css": key}, files={key: shared})
    assert do_store_bundle(store, one) != do_store_bundle(store, two)
    assert every_file(tmp_path / "files") == [key.removeprefix("files/")]


@pytest.mark.parametrize(
    "key",
    ["files/0000000000000000000a.js", "../escape.js", "files/../x.js", "manifests/a.json"],
)
def test_a_file_not_named_by_its_hash_is_refused_before_anything_is_written(
    tmp_path: Path, key: str
) -> None:
    bundle = Bundle(manifest={"format": 1}, files={key: b"content"})
    with pytest.raises(ValueError, match="not named by its content's hash"):
        do_store_bundle(BundleStore(tmp_path / "store"), bundle)
    assert not (tmp_path / "store").exists()


def test_manifests_are_read_once_and_cached(tmp_path: Path) -> None:
    store = BundleStore(tmp_path)
    bundle = small_bundle()
    bundle_id = do_store_bundle(store, bundle)
    first = read_manifest(store, bundle_id)
    assert first == bundle.manifest
    (store.manifests_dir / f"{bundle_id}.json").unlink()
    assert read_manifest(store, bundle_id) is first  # immutable: never read again
    stored = read_stored_manifest(store, bundle_id)
    assert json.loads(stored.compact_json) == bundle.manifest
    assert b"\n" not in stored.compact_json
    assert not has_bundle(BundleStore(tmp_path), bundle_id)  # another process: not on disk


def test_another_store_on_the_same_folder_reads_what_was_stored(tmp_path: Path) -> None:
    bundle_id = do_store_bundle(BundleStore(tmp_path), small_bundle())
    assert read_manifest(BundleStore(tmp_path), bundle_id) == small_bundle().manifest


@pytest.mark.parametrize(
    "bundle_id", ["0123456789abcdef0123", "../manifests/x", "ABCDEF0123456789ABCD", "", "x" * 20]
)
def test_an_unknown_or_malformed_id_is_not_found(tmp_path: Path, bundle_id: str) -> None:
    store = BundleStore(tmp_path)
    with pytest.raises(BundleNotFoundError):
        read_manifest(store, bundle_id)
    assert not has_bundle(store, bundle_id)


def test_a_damaged_manifest_is_never_served(tmp_path: Path) -> None:
    bundle_id = do_store_bundle(BundleStore(tmp_path), small_bundle())
    (tmp_path / "manifests" / f"{bundle_id}.json").write_text('{"format": 1}')
    with pytest.raises(BundleNotFoundError):
        read_manifest(BundleStore(tmp_path), bundle_id)


@pytest.mark.parametrize(
    ("name", "served"),
    [
        ("0123456789abcdef0123.js", True),
        ("0123456789abcdef0123.woff2", True),
        ("0123456789abcdef0123", False),
        ("0123456789abcdef0123.JS", False),
        ("0123456789abcdef0123.toolongext", False),
        ("0123456789ABCDEF0123.js", False),
        ("0123456789abcdef012.js", False),
        ("../secret_key", False),
        ("0123456789abcdef0123.js/..", False),
        ("0123456789abcdef0123.j-s", False),
    ],
)
def test_only_hash_names_are_served(tmp_path: Path, name: str, served: bool) -> None:
    path = BundleStore(tmp_path).served_file(name)
    assert (path == tmp_path / "files" / name) if served else path is None
