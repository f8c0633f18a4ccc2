"""Exact-name search and its "did you mean" suggestions, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, insert, select

from miniapp.accounts.models import Membership, Organisation, OrgRole, User
from miniapp.apps.bundles import BundleStore
from miniapp.apps.models import App
from miniapp.apps.profile import ProfileChanges, do_create_app, do_update_profile
from miniapp.db.session import Database
from miniapp.discovery.models import AppNameGram
from miniapp.discovery.search import SearchResult, search_apps
from miniapp.discovery.search_index import name_grams
from miniapp.errors import InvalidInput
from tests.discovery.helpers import add_app, store_project, write_project


@pytest.fixture
def store(tmp_path: Path) -> BundleStore:
    return BundleStore(tmp_path / "bundles")


@pytest.fixture
def bundle_id(store: BundleStore, tmp_path: Path) -> str:
    return store_project(store, write_project(tmp_path / "project"))


def search(database: Database, store: BundleStore, query: str) -> SearchResult:
    with database.read() as session:
        return search_apps(session, query=query, store=store)


def names(result: SearchResult) -> tuple[list[str], list[str]]:
    return [r.name for r in result.results], [s.name for s in result.suggestions]


def test_a_released_app_is_found_by_its_exact_name_whatever_the_case_or_width(
    database: Database, store: BundleStore, bundle_id: str
) -> None:
    appid = add_app(database, name="Hello", bundle_id=bundle_id)
    add_app(database, name="Hello World", bundle_id=bundle_id)
    for query in ("Hello", "hello", "HELLO", "ＨＥＬＬＯ", "  hello "):
        result = search(database, store, query)
        assert [r.appid for r in result.results] == [appid], query
        assert result.suggestions == ()  # an exact hit needs no "did you mean"
    found = search(database, store, "ｈｅｌｌｏ").results[0]
    assert [(p.path, p.title) for p in found.pages] == [
        ("pages/index/index", "Index"),
        ("pages/about/about", "About"),
        ("pages/secret/secret", "Secret"),
        ("pages/cart/cart", "Cart"),
    ]


def test_an_unreleased_app_is_never_found_nor_suggested(
    database: Database, store: BundleStore
) -> None:
    add_app(database, name="Hello", bundle_id=None)
    assert names(search(database, store, "Hello")) == ([], [])
    assert names(search(database, store, "Helo")) == ([], [])


def test_a_near_miss_suggests_the_close_names_best_first(
    database: Database, store: BundleStore, bundle_id: str
) -> None:
    add_app(database, name="Hello", bundle_id=bundle_id)
    add_app(database, name="Help Desk", bundle_id=bundle_id)
    add_app(database, name="Weather", bundle_id=bundle_id)
    # Dice similarity of gram sets: "helo" shares 4 of its 5 grams with "hello" (0.73) and 3
    # with "help desk"'s 10 (0.4, just enough); none with "weather".
    assert names(search(database, store, "Helo")) == ([], ["Hello", "Help Desk"])
    assert names(search(database, store, "hellp")) == ([], ["Hello", "Help Desk"])
    assert names(search(database, store, "Zzyzx")) == ([], [])


def test_at_most_five_suggestions_ties_by_name(
    database: Database, store: BundleStore, bundle_id: str
) -> None:
    for name in ("Tea F", "Tea B", "Tea D", "Tea A", "Tea E", "Tea C", "Tea G"):
        add_app(database, name=name, bundle_id=bundle_id)
    assert names(search(database, store, "Tea")) == (
        [],
        ["Tea A", "Tea B", "Tea C", "Tea D", "Tea E"],
    )


def test_a_chinese_name_with_a_one_character_typo_is_suggested(
    database: Database, store: BundleStore, bundle_id: str
) -> None:
    add_app(database, name="星巴克咖啡", bundle_id=bundle_id)
    add_app(database, name="美团外卖", bundle_id=bundle_id)
    assert names(search(database, store, "星巴克咖非")) == ([], ["星巴克咖啡"])
    assert names(search(database, store, "美团外买")) == ([], ["美团外卖"])
    assert names(search(database, store, "美团外卖")) == (["美团外卖"], [])


def test_pages_the_sitemap_disallows_are_not_listed(
    database: Database, store: BundleStore, tmp_path: Path
) -> None:
    sitemap = {
        "rules": [
            {"action": "disallow", "page": "pages/secret/secret"},
            {"action": "allow", "page": "/pages/cart/cart", "priority": 2},
            {"action": "disallow", "page": "*", "priority": 1},
        ]
    }
    project = write_project(tmp_path / "mapped", sitemap=sitemap)
    add_app(database, name="Shop", bundle_id=store_project(store, project))
    found = search(database, store, "shop").results[0]
    assert [p.path for p in found.pages] == ["pages/cart/cart"]


def test_at_most_ten_pages_are_listed_in_app_json_order(
    database: Database, store: BundleStore, tmp_path: Path
) -> None:
    pages = [f"pages/p{n:02}/index" for n in range(12, 0, -1)]
    project = write_project(tmp_path / "many", pages=pages)
    add_app(database, name="Many", bundle_id=store_project(store, project))
    found = search(database, store, "many").results[0]
    assert [p.path for p in found.pages] == pages[:10]


def test_a_missing_bundle_still_finds_the_app_without_pages(
    database: Database, store: BundleStore
) -> None:
    add_app(database, name="Ghost", bundle_id="0" * 20)
    assert [(r.name, r.pages) for r in search(database, store, "ghost").results] == [("Ghost", ())]


@pytest.mark.parametrize("query", ["", "   ", "x" * 65])
def test_an_empty_or_overlong_query_is_refused(
    database: Database, store: BundleStore, query: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        search(database, store, query)
    assert (caught.value.code, caught.value.field) == ("search_query_invalid", "q")


def test_renaming_an_app_moves_it_in_the_index(
    database: Database, store: BundleStore, bundle_id: str
) -> None:
    with database.transaction() as session:
        admin = User(email="ada@example.org", password_hash="x", display_name="Ada")
        session.add(admin)
        session.flush()
        org = Organisation(name="Tea House", created_by_id=admin.id)
        session.add(org)
        session.flush()
        session.add(Membership(organisation_id=org.id, user_id=admin.id, role=OrgRole.ADMIN))
        org_id = str(org.public_id)
    with database.transaction() as session:
        created = do_create_app(
            session, user=admin, organisation_id=org_id, name="Hello", server_key=b"k" * 32
        )
        created.profile.app.released_bundle = bundle_id
        appid = created.profile.app.appid
    assert names(search(database, store, "hello")) == (["Hello"], [])

    with database.transaction() as session:
        do_update_profile(session, user=admin, appid=appid, changes=ProfileChanges(name="Bonjour"))
    assert names(search(database, store, "hello")) == ([], [])
    assert names(search(database, store, "Helo")) == ([], [])
    assert names(search(database, store, "bonjour")) == (["Bonjour"], [])
    assert names(search(database, store, "bonjur")) == ([], ["Bonjour"])
    with database.read() as session:
        app_id = session.scalars(select(App.id).where(App.appid == appid)).one()
        grams = set(session.scalars(select(AppNameGram.gram).where(AppNameGram.app_id == app_id)))
    assert grams == name_grams("bonjour")


@contextmanager
def counting_statements(database: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    # The read sessions' engine is an execution-options copy of this one: it fires its events.
    event.listen(database.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", count)


def _add_many(database: Database, *, count: int, bundle_id: str) -> None:
    """`count` released apps named "Hello 0", "Hello 1", …: all near "Hello" (in bulk)."""
    with database.transaction() as session:
        start = session.scalar(select(App.id).order_by(App.id.desc()).limit(1)) or 0
        rows = [
            {
                "id": start + n + 1,
                "appid": f"wx{start + n + 1:016x}",
                "name": f"Hello {start + n}",
                "name_key": f"hello {start + n}",
                "released_bundle": bundle_id,
            }
            for n in range(count)
        ]
        session.execute(insert(App), rows)
        session.execute(
            insert(AppNameGram),
            [{"app_id": r["id"], "gram": g} for r in rows for g in name_grams(r["name_key"])],
        )


def test_a_search_issues_the_same_few_statements_with_10_or_300_apps(
    database: Database, store: BundleStore, bundle_id: str
) -> None:
    counts = []
    for total in (10, 300):
        _add_many(database, count=total - len(counts) * 10, bundle_id=bundle_id)
        with counting_statements(database) as statements:
            exact = search(database, store, "hello 7")
            near = search(database, store, "helo 7")
        assert names(exact)[0] == ["Hello 7"]
        assert len(near.suggestions) == 5
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 4
