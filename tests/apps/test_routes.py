"""/api/runtime/apps and /bundles/files over HTTP: launch a released app, fetch its files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from miniapp.apps.bundles import BundleStore, do_store_bundle, read_manifest
from miniapp.apps.registry import do_register_app, do_release_bundle
from miniapp.compiler.build import Bundle, compile_project
from miniapp.db.session import Database

HELLO = Path(__file__).resolve().parents[2] / "examples" / "hello"
IMMUTABLE = "public, max-age=31536000, immutable"


def store_of(app: FastAPI) -> BundleStore:
    store: BundleStore = app.state.bundle_store
    return store


def register(database: Database, *, name: str, bundle_id: str | None, appid: str) -> None:
    with database.transaction() as session:
        app = do_register_app(session, name=name, appid=appid)
        if bundle_id is not None:
            do_release_bundle(session, app=app, bundle_id=bundle_id)


def hello_bundle() -> Bundle:
    result = compile_project(HELLO)
    assert result.bundle is not None
    return result.bundle


def test_a_released_app_is_listed_and_launches_with_its_manifest(
    client: Any, app: FastAPI, database: Database
) -> None:
    bundle = hello_bundle()
    bundle_id = do_store_bundle(store_of(app), bundle)
    register(database, name="Hello", bundle_id=bundle_id, appid="wx00000000000000a1")
    register(database, name="Draft", bundle_id=None, appid="wx00000000000000a2")

    listed = client.get("/api/runtime/apps")
    assert listed.status_code == 200
    assert listed.json() == {"apps": [{"appid": "wx00000000000000a1", "name": "Hello"}]}

    launched = client.get("/api/runtime/apps/wx00000000000000a1/launch")
    assert launched.status_code == 200
    assert launched.headers["content-type"] == "application/json"
    assert launched.headers["cache-control"] == "no-cache"
    assert launched.json() == {
        "appid": "wx00000000000000a1",
        "name": "Hello",
        "bundle": bundle_id,
        "version": None,  # released without a version (registry.do_release_bundle)
        "envVersion": "release",
        "webviewDomains": [],
        # Without the report (sizes, APIs and domains used): the runtime never reads it.
        "manifest": {k: v for k, v in bundle.manifest.items() if k != "report"},
    }
    # Every file the manifest names can be fetched, byte for byte.
    logic = bundle.manifest["packages"]["__APP__"]["logic"]
    fetched = client.get(f"/bundles/{logic}")
    assert fetched.status_code == 200
    assert fetched.content == bundle.files[logic]
    assert fetched.headers["content-type"] == "text/javascript; charset=utf-8"


def test_a_new_release_is_what_the_next_launch_gets(
    client: Any, app: FastAPI, database: Database
) -> None:
    bundle = hello_bundle()
    first = do_store_bundle(store_of(app), bundle)
    register(database, name="Hello", bundle_id=first, appid="wx00000000000000b1")
    changed = Bundle(manifest={**bundle.manifest, "format": 1, "extra": True}, files=bundle.files)
    second = do_store_bundle(store_of(app), changed)
    with database.transaction() as session:
        from miniapp.apps.registry import find_app

        found = find_app(session, appid="wx00000000000000b1")
        assert found is not None
        do_release_bundle(session, app=found, bundle_id=second)
    launched = client.get("/api/runtime/apps/wx00000000000000b1/launch").json()
    assert launched["bundle"] == second and launched["manifest"]["extra"] is True


@pytest.mark.parametrize("appid", ["wx00000000000000c1", "wx0000000000000000", "nope", "x" * 40])
def test_an_unknown_or_unreleased_app_answers_in_the_error_shape(
    client: Any, database: Database, appid: str
) -> None:
    register(database, name="Draft", bundle_id=None, appid="wx00000000000000c1")
    response = client.get(f"/api/runtime/apps/{appid}/launch")
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "app_not_found"
    assert error["message"] == "This mini program does not exist or is not available yet."


def test_a_release_missing_from_the_store_is_unavailable_not_a_crash(
    client: Any, database: Database
) -> None:
    register(database, name="Lost", bundle_id="0123456789abcdef0123", appid="wx00000000000000d1")
    response = client.get("/api/runtime/apps/wx00000000000000d1/launch")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "bundle_unavailable"


def test_the_launch_is_documented(client: Any) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/runtime/apps" in paths
    assert "/api/runtime/apps/{appid}/launch" in paths
    assert not any(path.startswith("/bundles") for path in paths)


def test_bundle_files_are_immutable_cors_readable_and_typed(client: Any, app: FastAPI) -> None:
    contents = {
        ".js": (b"console.log(1)", "text/javascript; charset=utf-8"),
        ".json": (b"{}", "application/json"),
        ".css": (b"a{}", "text/css; charset=utf-8"),
        ".png": (b"\x89PNG", "image/png"),
        ".svg": (b"<svg/>", "image/svg+xml"),
        ".woff2": (b"wOF2", "font/woff2"),
        ".bin": (b"\x00\x01", "application/octet-stream"),
    }
    files = {
        f"files/{hashlib.sha256(data).hexdigest()[:20]}{extension}": data
        for extension, (data, _) in contents.items()
    }
    do_store_bundle(store_of(app), Bundle(manifest={"format": 1}, files=files))
    for key, data in files.items():
        response = client.get(f"/bundles/{key}")
        assert response.status_code == 200, key
        assert response.content == data
        extension = "." + key.rsplit(".", 1)[1]
        assert response.headers["content-type"] == contents[extension][1]
        assert response.headers["cache-control"] == IMMUTABLE
        assert response.headers["access-control-allow-origin"] == "*"
        assert response.headers["cross-origin-resource-policy"] == "cross-origin"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in response.headers["content-security-policy"]
        etag = response.headers["etag"]
        assert etag == f'"{key[6:26]}"'
        again = client.get(f"/bundles/{key}", headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["cache-control"] == IMMUTABLE
        head = client.head(f"/bundles/{key}")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == str(len(data))


def test_bundle_files_answer_only_to_hash_names(client: Any, app: FastAPI, settings: Any) -> None:
    bundle_id = do_store_bundle(store_of(app), hello_bundle())
    assert read_manifest(store_of(app), bundle_id)
    stored = sorted(p.name for p in (store_of(app).files_dir).iterdir())
    real = stored[0]
    assert client.get(f"/bundles/files/{real}").status_code == 200
    (settings.data_dir / "bundles" / "files" / "0123456789abcdef0123").write_bytes(b"x")
    (settings.data_dir / "bundles" / "files" / "0123456789abcdef0123.abcdefghi").write_bytes(b"x")
    for name in [
        "0123456789abcdef0123",  # no extension (even though the file exists)
        "0123456789abcdef0123.abcdefghi",  # extension too long (even though the file exists)
        real.upper(),
        real[1:],
        "ffffffffffffffffffff.js",  # well-formed, not stored
        f"..%2fmanifests%2f{bundle_id}.json",
        f"%2e%2e%2fmanifests%2f{bundle_id}.json",
        "..%2f..%2fsecret_key",
        "%2e%2e%2f%2e%2e%2fminiapp.sqlite3",
        "..%5c..%5csecret_key",
        f"{real}%00.js",
        "",
    ]:
        response = client.get(f"/bundles/files/{name}")
        assert response.status_code == 404, name
        assert response.json()["error"]["code"] == "not_found"
    assert client.get(f"/bundles/manifests/{bundle_id}.json").status_code == 404


def test_the_launch_response_is_valid_json_for_any_name(
    client: Any, app: FastAPI, database: Database
) -> None:
    bundle_id = do_store_bundle(store_of(app), hello_bundle())
    name = 'Quote " back\\slash 你好 </script>'
    register(database, name=name, bundle_id=bundle_id, appid="wx00000000000000e1")
    body = client.get("/api/runtime/apps/wx00000000000000e1/launch").content
    assert json.loads(body)["name"] == name


def test_the_launch_carries_the_web_view_domains_and_no_other_kind(
    client: Any, app: FastAPI, database: Database
) -> None:
    bundle_id = do_store_bundle(store_of(app), hello_bundle())
    with database.transaction() as session:
        registered = do_register_app(
            session,
            name="Web",
            request_domains=["api.example.com"],
            webview_domains=["https://www.example.com/"],
        )
        do_release_bundle(session, app=registered, bundle_id=bundle_id)
        appid = registered.appid
    launched = client.get(f"/api/runtime/apps/{appid}/launch").json()
    assert launched["webviewDomains"] == ["www.example.com"]
    assert "api.example.com" not in json.dumps(
        {k: v for k, v in launched.items() if k != "manifest"}
    )


def test_only_a_development_server_says_its_domains_are_not_checked(
    client: Any, app: FastAPI, database: Database, settings: Any
) -> None:
    from miniapp.server import create_app
    from tests.conftest import ApiClient

    bundle_id = do_store_bundle(store_of(app), hello_bundle())
    register(database, name="Hello", bundle_id=bundle_id, appid="wx00000000000000b1")
    launched = client.get("/api/runtime/apps/wx00000000000000b1/launch").json()
    assert "urlCheck" not in launched
    dev = settings.model_copy(update={"dev_mode": True})
    dev_app = create_app(dev, database=database, run_migrations=False, run_worker=False)
    with ApiClient(dev_app, base_url="https://testserver") as dev_client:
        launched = dev_client.get("/api/runtime/apps/wx00000000000000b1/launch").json()
    assert launched["urlCheck"] is False
