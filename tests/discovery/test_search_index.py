"""The grams of app names, and the index kept in step with the names."""

from __future__ import annotations

from sqlalchemy import select, text

from miniapp.apps.names import app_name_key
from miniapp.apps.registry import do_register_app
from miniapp.db import migrate
from miniapp.db.session import Database
from miniapp.discovery.models import AppNameGram
from miniapp.discovery.search_index import name_grams


def test_a_latin_word_gives_its_padded_trigrams() -> None:
    assert name_grams("tea") == {"  t", " te", "tea", "ea "}
    assert name_grams("hello") == {"  h", " he", "hel", "ell", "llo", "lo "}


def test_each_word_gives_its_own_grams_and_punctuation_separates_words() -> None:
    assert name_grams("tea house") == name_grams("tea") | name_grams("house")
    assert name_grams("tea-house!") == name_grams("tea house")
    assert name_grams("a") == {"  a", " a "}


def test_cjk_text_gives_padded_bigrams() -> None:
    assert name_grams("星巴克") == {" 星", "星巴", "巴克", "克 "}
    assert name_grams("茶") == {" 茶", "茶 "}
    assert name_grams("すし") == {" す", "すし", "し "}


def test_a_mixed_name_gives_latin_trigrams_and_cjk_bigrams() -> None:
    assert name_grams("tea茶馆2") == name_grams("tea") | name_grams("茶馆") | name_grams("2")
    assert name_grams("tea 茶馆") == name_grams("tea茶馆")


def test_full_width_names_give_the_grams_of_their_half_width_forms() -> None:
    assert name_grams(app_name_key("ＨＥＬＬＯ　Ｗｏｒｌｄ")) == name_grams("hello world")


def test_nothing_to_index_gives_no_grams() -> None:
    assert name_grams("") == set()
    assert name_grams("!!! ---") == set()


def test_registering_an_app_indexes_its_name(database: Database) -> None:
    with database.transaction() as session:
        app = do_register_app(session, name="Ｔｅａ House")
        app_id = app.id
    with database.read() as session:
        stored = set(session.scalars(select(AppNameGram.gram).where(AppNameGram.app_id == app_id)))
    assert stored == name_grams("tea house")


def test_the_migration_indexes_the_apps_that_exist_already(database: Database) -> None:
    migrate.downgrade(database.engine, "0006")
    try:
        with database.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO apps (id, appid, name, name_key, request_domains, socket_domains,"
                    " upload_domains, download_domains, webview_domains, description,"
                    " grey_percent, public_id, created_at, updated_at)"
                    " VALUES (7, 'wx07', 'Tea 茶馆', 'tea 茶馆', '[]', '[]', '[]', '[]', '[]',"
                    " '', 0, :uuid, :now, :now)"
                ),
                {"uuid": "00000000-0000-0000-0000-000000000007", "now": "2026-01-01 00:00:00+00"},
            )
    finally:
        migrate.upgrade(database.engine)
    with database.read() as session:
        stored = set(session.scalars(select(AppNameGram.gram).where(AppNameGram.app_id == 7)))
    assert stored == name_grams("tea 茶馆")
