"""The version a code or a link opens (discovery/entry_targets.py): the release, the trial
version or the newest upload, with its pages (subpackages' under their root), and 85079 when
there is none."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from miniapp.apps.bundles import BundleStore
from miniapp.db.session import Database
from miniapp.discovery.entry_targets import EnvVersion, access_entry_target, bundle_pages
from miniapp.openapi.envelope import OpenApiError
from tests.discovery.code_helpers import (
    DEVELOP_PAGES,
    TRIAL_PAGES,
    add_trial_and_develop,
    app_id_of,
    release_bundle,
)
from tests.discovery.helpers import PAGES, add_app, store_project, write_project


@pytest.fixture
def store(tmp_path: Path) -> BundleStore:
    return BundleStore(tmp_path / "bundles")


def target(
    database: Database, store: BundleStore, appid: str, env: EnvVersion
) -> tuple[tuple[str, ...], str, str | None]:
    with database.read() as session:
        found = access_entry_target(
            session, app_id=app_id_of(database, appid), env_version=env, store=store
        )
    return found.pages, found.home, found.build


def test_each_env_version_opens_its_own_version_with_its_pages(
    database: Database, store: BundleStore, tmp_path: Path
) -> None:
    appid = add_app(database, name="Tea", bundle_id=release_bundle(store, tmp_path))
    add_trial_and_develop(database, store, tmp_path, appid)

    assert target(database, store, appid, EnvVersion.RELEASE) == (
        tuple(PAGES),
        "pages/index/index",
        None,
    )
    assert target(database, store, appid, EnvVersion.TRIAL) == (
        tuple(TRIAL_PAGES),
        "pages/index/index",
        "trial",
    )
    assert target(database, store, appid, EnvVersion.DEVELOP) == (
        tuple(DEVELOP_PAGES),
        "pages/index/index",
        "develop",
    )


@pytest.mark.parametrize("env", list(EnvVersion))
def test_an_app_with_nothing_of_that_kind_answers_85079(
    database: Database, store: BundleStore, env: EnvVersion
) -> None:
    appid = add_app(database, name="Tea", bundle_id=None)
    with pytest.raises(OpenApiError) as refused:
        target(database, store, appid, env)
    assert refused.value.errcode == 85079
    assert env.value in refused.value.errmsg


def test_a_released_app_without_a_trial_version_has_no_trial_target(
    database: Database, store: BundleStore, tmp_path: Path
) -> None:
    appid = add_app(database, name="Tea", bundle_id=release_bundle(store, tmp_path))
    with pytest.raises(OpenApiError) as refused:
        target(database, store, appid, EnvVersion.TRIAL)
    assert refused.value.errcode == 85079


def test_subpackage_pages_are_listed_under_their_root(store: BundleStore, tmp_path: Path) -> None:
    project = write_project(tmp_path / "sub", pages=["pages/index/index"])
    app_json = json.loads((project / "app.json").read_text())
    app_json["subpackages"] = [{"root": "pkg", "pages": ["pages/deep/deep"]}]
    (project / "app.json").write_text(json.dumps(app_json))
    folder = project / "pkg" / "pages" / "deep"
    folder.mkdir(parents=True)
    (folder / "deep.wxml").write_text("<view>Deep</view>\n")
    (folder / "deep.js").write_text("Page({})\n")
    (folder / "deep.json").write_text("{}")

    assert bundle_pages(store, store_project(store, project)) == (
        "pages/index/index",
        "pkg/pages/deep/deep",
    )


def test_the_home_page_is_the_entry_page_app_json_names(
    database: Database, store: BundleStore, tmp_path: Path
) -> None:
    project = write_project(tmp_path / "entry")
    app_json = json.loads((project / "app.json").read_text())
    app_json["entryPagePath"] = "pages/cart/cart"
    (project / "app.json").write_text(json.dumps(app_json))
    appid = add_app(database, name="Tea", bundle_id=store_project(store, project))

    assert target(database, store, appid, EnvVersion.RELEASE)[1] == "pages/cart/cart"
