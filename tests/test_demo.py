"""`miniapp serve --demo` data: created once, idempotently, with working logins."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from miniapp import demo
from miniapp.accounts.models import Membership, Organisation, User
from miniapp.accounts.verification_status import is_verified
from miniapp.apps.bundles import BundleStore
from miniapp.apps.models import App, AppVersion
from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.demo import (
    DEMO_ADMIN,
    DEMO_ORGANISATION,
    DEMO_USER,
    do_seed_demo,
    example_appid,
    example_programs,
)
from miniapp.settings import Settings


def test_demo_is_idempotent_and_its_logins_work(
    database: Database, settings: Settings, make_client: Any
) -> None:
    first = do_seed_demo(database, store=demo_store(settings), server_key=settings.server_key)
    second = do_seed_demo(database, store=demo_store(settings), server_key=settings.server_key)
    assert first.created and not second.created
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 3
        assert session.scalar(select(func.count()).select_from(Organisation)) == 1
        assert session.scalar(select(func.count()).select_from(Membership)) == 2
    admin = make_client()
    signed_in = admin.post(
        "/api/accounts/login", json={"login": DEMO_ADMIN.login, "password": DEMO_ADMIN.password}
    )
    assert signed_in.status_code == 200
    orgs = admin.get("/api/console/organisations").json()["organisations"]
    assert [(o["name"], o["my_role"]) for o in orgs] == [("Demo Organisation", "admin")]
    user = make_client()
    assert (
        user.post(
            "/api/accounts/login", json={"login": DEMO_USER.login, "password": DEMO_USER.password}
        ).status_code
        == 200
    )


def test_every_shipped_example_is_listed() -> None:
    from miniapp.demo import example_programs

    assert example_programs() == [
        "apis",
        "bigapp",
        "components",
        "hello",
        "lifecycle",
        "listbench",
        "navigation",
        "scrollbench",
        "showcase",
    ]


def demo_store(settings: Settings) -> BundleStore:
    return BundleStore.for_settings(settings)


def test_demo_releases_every_example_under_a_stable_appid(
    database: Database, settings: Settings, client: Any
) -> None:
    report = do_seed_demo(database, store=demo_store(settings), server_key=settings.server_key)
    assert report.failures == []
    assert sorted(app.example for app in report.apps) == example_programs()
    for app in report.apps:
        assert app.appid == example_appid(app.example, {})  # no example has a real appid
        launched = client.get(f"/api/runtime/apps/{app.appid}/launch")
        assert launched.status_code == 200, app.example
        assert launched.json()["bundle"] == app.bundle
        assert launched.json()["manifest"]["format"] == 1
        # Released through a real version, as the console shows it.
        assert (launched.json()["version"], launched.json()["envVersion"]) == ("1.0.0", "release")
    listed = client.get("/api/runtime/apps").json()["apps"]
    assert sorted(entry["appid"] for entry in listed) == sorted(a.appid for a in report.apps)
    with database.read() as session:
        organisations = {app.organisation for app in session.scalars(select(App))}
        assert {organisation.name for organisation in organisations} == {DEMO_ORGANISATION}
        assert all(is_verified(org, now=utc_now()) for org in organisations)
        versions = session.scalars(select(AppVersion)).all()
        assert {(v.version, v.state) for v in versions} == {("1.0.0", "released")}
        assert len(versions) == len(report.apps)

    again = do_seed_demo(database, store=demo_store(settings), server_key=settings.server_key)
    assert again.apps == report.apps and again.failures == []
    with database.read() as session:
        assert session.scalar(select(func.count()).select_from(App)) == len(report.apps)
        assert session.scalar(select(func.count()).select_from(AppVersion)) == len(report.apps)


def test_example_appids_are_their_own_when_real_else_derived_from_the_folder() -> None:
    assert example_appid("hello", {"appid": "wx0123456789abcdef"}) == "wx0123456789abcdef"
    derived = example_appid("hello", {"appid": "touristappid"})
    assert re.fullmatch(r"wx[0-9a-f]{16}", derived)
    assert derived == example_appid("hello", {}) != example_appid("showcase", {})


@pytest.fixture
def examples_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "examples"
    shutil.copytree(demo.EXAMPLES_DIR / "hello", copy / "hello")
    monkeypatch.setattr(demo, "EXAMPLES_DIR", copy)
    return copy


def test_a_changed_example_is_released_anew_under_the_same_appid(
    database: Database, settings: Settings, examples_copy: Path
) -> None:
    (first,) = do_seed_demo(
        database, store=demo_store(settings), server_key=settings.server_key
    ).apps
    with (examples_copy / "hello" / "app.wxss").open("a") as handle:
        handle.write("\n.changed { color: red; }\n")
    (second,) = do_seed_demo(
        database, store=demo_store(settings), server_key=settings.server_key
    ).apps
    assert second.appid == first.appid and second.bundle != first.bundle
    with database.read() as session:
        app = session.scalars(select(App)).one()
        assert app.released_bundle == second.bundle


def test_an_example_that_fails_to_compile_is_reported_and_skipped(
    database: Database, settings: Settings, examples_copy: Path
) -> None:
    broken = examples_copy / "broken"
    (broken / "pages" / "index").mkdir(parents=True)
    (broken / "app.json").write_text('{"pages": ["pages/index/index"]}')
    (broken / "app.js").write_text("App({})")
    (broken / "pages" / "index" / "index.js").write_text("Page({")
    (broken / "pages" / "index" / "index.wxml").write_text("<view>")
    report = do_seed_demo(database, store=demo_store(settings), server_key=settings.server_key)
    assert [app.example for app in report.apps] == ["hello"]
    (failure,) = report.failures
    assert failure.example == "broken"
    assert any(p.startswith("JS_SYNTAX pages/index/index.js:") for p in failure.problems)
    assert any(p.startswith("WXML_UNCLOSED_TAG pages/index/index.wxml") for p in failure.problems)


def test_a_renamed_example_keeps_its_app_and_is_found_by_its_new_name(
    database: Database, settings: Settings, examples_copy: Path, client: Any
) -> None:
    (first,) = do_seed_demo(
        database, store=demo_store(settings), server_key=settings.server_key
    ).apps
    (examples_copy / "hello" / "project.config.json").write_text('{"projectname": "Hi There"}')
    (second,) = do_seed_demo(
        database, store=demo_store(settings), server_key=settings.server_key
    ).apps
    assert (second.appid, second.name) == (first.appid, "Hi There")
    found = client.get("/api/discovery/search", params={"q": "ｈｉ ｔｈｅｒｅ"}).json()
    assert [result["appid"] for result in found["results"]] == [first.appid]
    assert client.get("/api/discovery/search", params={"q": first.name}).json()["results"] == []
