"""/api/discovery/launches, /recents and /favourites over HTTP: signed in and out, each user's own
lists, the refusals (422 `launch_invalid`, 404 `app_not_found`, 401 `not_signed_in`), order,
removal, the 50 cap and idempotent PUT."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from miniapp.accounts.models import User
from miniapp.apps.models import App
from miniapp.db.session import Database
from miniapp.discovery.recents import MAX_RECENTS
from tests.discovery.entry_helpers import launches, make_app, make_trial_app

PASSWORD = "correct-horse-42"
LAUNCHES = "/api/discovery/launches"

ClientFactory = Callable[[], Any]


def signed_in(make_client: ClientFactory, login: str) -> Any:
    browser = make_client()
    response = browser.post(
        "/api/accounts/signup",
        json={"login": login, "password": PASSWORD, "display_name": login.partition("@")[0]},
    )
    assert response.status_code == 201, response.text
    return browser


def user_id(database: Database, login: str) -> int:
    with database.read() as session:
        return session.scalars(select(User.id).where(User.email == login)).one()


def launch(browser: Any, appid: str, scene: int = 1001, **more: Any) -> Any:
    return browser.post(LAUNCHES, json={"appid": appid, "scene": scene, "hot": False, **more})


def listed(browser: Any, which: str) -> list[str]:
    answer = browser.get(f"/api/discovery/{which}")
    assert answer.status_code == 200, answer.text
    return [app["appid"] for app in answer.json()["apps"]]


def error_of(answer: Any) -> tuple[int, str, str | None]:
    body = answer.json()["error"]
    return answer.status_code, body["code"], body["field"]


def test_a_signed_out_launch_is_recorded_without_a_user(
    make_client: ClientFactory, database: Database
) -> None:
    appid = make_app(database, "Cafe")
    browser = make_client()

    answer = browser.post(
        LAUNCHES, json={"appid": appid, "scene": 1047, "path": "pages/a/a", "hot": True}
    )

    assert answer.status_code == 204
    assert answer.content == b""
    assert launches(database) == [(None, 1047, "pages/a/a", True)]


def test_signed_out_the_lists_answer_401_not_signed_in(
    make_client: ClientFactory, database: Database
) -> None:
    appid = make_app(database, "Cafe")
    browser = make_client()

    for method, url in (
        ("GET", "/api/discovery/recents"),
        ("DELETE", f"/api/discovery/recents/{appid}"),
        ("GET", "/api/discovery/favourites"),
        ("PUT", f"/api/discovery/favourites/{appid}"),
        ("DELETE", f"/api/discovery/favourites/{appid}"),
    ):
        answer = browser.request(method, url)
        assert error_of(answer)[:2] == (401, "not_signed_in"), (method, url)


def test_recents_are_most_recent_first_as_entry_apps_and_only_ones_own(
    make_client: ClientFactory, database: Database
) -> None:
    ana = signed_in(make_client, "ana@example.com")
    bob = signed_in(make_client, "bob@example.com")
    cafe, books, toys = (
        make_app(database, "Cafe"),
        make_app(database, "Books"),
        make_app(database, "Toys"),
    )
    with database.transaction() as session:
        session.scalars(select(App).where(App.appid == books)).one().logo = "0123abcd.png"

    for appid in (cafe, books, cafe):
        assert launch(ana, appid).status_code == 204
    assert launch(bob, toys, scene=1089).status_code == 204

    answer = ana.get("/api/discovery/recents")
    apps = answer.json()["apps"]
    assert [(app["appid"], app["name"], app["logo_url"]) for app in apps] == [
        (cafe, "Cafe", None),
        (books, "Books", "/media/0123abcd.png"),
    ]
    assert set(apps[0]) == {"appid", "name", "logo_url", "at"}
    assert apps[0]["at"] > apps[1]["at"]
    assert listed(bob, "recents") == [toys]
    ana_id, bob_id = user_id(database, "ana@example.com"), user_id(database, "bob@example.com")
    assert launches(database) == [
        (ana_id, 1001, "", False),
        (ana_id, 1001, "", False),
        (ana_id, 1001, "", False),
        (bob_id, 1089, "", False),
    ]


def test_removing_a_recent_app_takes_it_off_that_users_list_only(
    make_client: ClientFactory, database: Database
) -> None:
    ana = signed_in(make_client, "ana@example.com")
    bob = signed_in(make_client, "bob@example.com")
    cafe, books = make_app(database, "Cafe"), make_app(database, "Books")
    for browser in (ana, bob):
        launch(browser, cafe)
    launch(ana, books)

    assert ana.delete(f"/api/discovery/recents/{cafe}").status_code == 204
    assert ana.delete(f"/api/discovery/recents/{cafe}").status_code == 204  # not there: fine
    assert bob.delete(f"/api/discovery/recents/{books}").status_code == 204  # not bob's

    assert listed(ana, "recents") == [books]
    assert listed(bob, "recents") == [cafe]


def test_recents_list_at_most_fifty_and_the_oldest_drops_off(
    make_client: ClientFactory, database: Database
) -> None:
    ana = signed_in(make_client, "ana@example.com")
    appids = [make_app(database, f"App {n:02d}") for n in range(MAX_RECENTS + 1)]

    for appid in appids:
        assert launch(ana, appid).status_code == 204

    assert listed(ana, "recents") == list(reversed(appids[1:]))


@pytest.mark.parametrize("which", ["unknown", "unreleased", "malformed"])
def test_a_launch_of_an_app_nobody_can_open_is_422_launch_invalid(
    make_client: ClientFactory, database: Database, which: str
) -> None:
    ana = signed_in(make_client, "ana@example.com")
    appid = {
        "unknown": "wx0000000000000000",
        "unreleased": make_app(database, "Draft", released=False),
        "malformed": "<script>",
    }[which]

    assert error_of(launch(ana, appid)) == (422, "launch_invalid", "appid")
    assert launches(database) == []
    assert listed(ana, "recents") == []


@pytest.mark.parametrize("scene", [999, 10000, 0])
def test_a_scene_outside_1000_to_9999_is_422_launch_invalid(
    make_client: ClientFactory, database: Database, scene: int
) -> None:
    appid = make_app(database, "Cafe")

    assert error_of(launch(make_client(), appid, scene=scene)) == (422, "launch_invalid", "scene")
    assert launches(database) == []


def test_a_malformed_body_is_422(make_client: ClientFactory, database: Database) -> None:
    appid = make_app(database, "Cafe")
    browser = make_client()

    not_a_number = browser.post(LAUNCHES, json={"appid": appid, "scene": "scan", "hot": False})
    without_hot = browser.post(LAUNCHES, json={"appid": appid, "scene": 1001})

    assert error_of(not_a_number) == (422, "invalid_input", "scene")
    assert error_of(without_hot) == (422, "invalid_input", "hot")
    assert launches(database) == []


def test_a_launch_needs_the_csrf_header_as_every_api_post(
    make_client: ClientFactory, database: Database
) -> None:
    appid = make_app(database, "Cafe")
    ana = signed_in(make_client, "ana@example.com")

    answer = ana.post(
        LAUNCHES,
        json={"appid": appid, "scene": 1001, "hot": False},
        headers={"X-CSRF-Token": "forged"},
    )

    assert answer.status_code == 403
    assert launches(database) == []


def test_a_members_trial_launch_is_recorded_and_an_outsiders_is_refused(
    make_client: ClientFactory, database: Database
) -> None:
    member = signed_in(make_client, "tess@example.com")
    tess_id = user_id(database, "tess@example.com")
    appid = make_trial_app(database, "Preview", tester_id=tess_id)
    outsider = signed_in(make_client, "out@example.com")

    assert launch(member, appid, build="trial").status_code == 204
    assert error_of(launch(outsider, appid, build="trial")) == (422, "launch_invalid", "appid")

    assert launches(database) == [(tess_id, 1001, "", False)]


def test_favourites_put_is_idempotent_and_the_list_is_most_recently_added_first(
    make_client: ClientFactory, database: Database
) -> None:
    ana = signed_in(make_client, "ana@example.com")
    bob = signed_in(make_client, "bob@example.com")
    cafe, books = make_app(database, "Cafe"), make_app(database, "Books")

    for appid in (cafe, books, cafe):
        answer = ana.put(f"/api/discovery/favourites/{appid}")
        assert answer.status_code == 204
        assert answer.content == b""

    apps = ana.get("/api/discovery/favourites").json()["apps"]
    assert [(app["appid"], app["name"], app["logo_url"]) for app in apps] == [
        (books, "Books", None),
        (cafe, "Cafe", None),
    ]
    assert listed(bob, "favourites") == []


def test_only_a_released_app_can_be_a_favourite(
    make_client: ClientFactory, database: Database
) -> None:
    ana = signed_in(make_client, "ana@example.com")
    draft = make_app(database, "Draft", released=False)

    for appid in (draft, "wx0000000000000000"):
        answer = ana.put(f"/api/discovery/favourites/{appid}")
        assert error_of(answer)[:2] == (404, "app_not_found")
    assert listed(ana, "favourites") == []


def test_removing_a_favourite_takes_it_off_that_users_list_only(
    make_client: ClientFactory, database: Database
) -> None:
    ana = signed_in(make_client, "ana@example.com")
    bob = signed_in(make_client, "bob@example.com")
    cafe, books = make_app(database, "Cafe"), make_app(database, "Books")
    for appid in (cafe, books):
        ana.put(f"/api/discovery/favourites/{appid}")
    bob.put(f"/api/discovery/favourites/{cafe}")

    assert ana.delete(f"/api/discovery/favourites/{cafe}").status_code == 204
    assert ana.delete(f"/api/discovery/favourites/{cafe}").status_code == 204
    assert bob.delete(f"/api/discovery/favourites/{books}").status_code == 204

    assert listed(ana, "favourites") == [books]
    assert listed(bob, "favourites") == [cafe]
