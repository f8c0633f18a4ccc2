"""Kept choices and the main switch ("always keep this choice", subscribe/preferences.py): a
kept accept answers later requests without asking and still grants one send per request, a kept
reject grants none, a request with any template not kept asks, the main switch off refuses every
request, the settings page changes or forgets a choice, and one user's choices are out of
another's (and a signed-out browser's, and another site's) reach."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from miniapp.accounts.models import User
from miniapp.apps.bundles import BundleStore
from miniapp.db.session import Database
from miniapp.errors import UserError
from miniapp.settings import Settings
from miniapp.subscribe.models import SubscribeCredit
from miniapp.subscribe.preferences import (
    do_answer_kept,
    do_answer_sheet,
    do_set_main_switch,
    read_subscriptions_setting,
)
from miniapp.subscribe.sends import Decision
from miniapp.subscribe.templates import access_templates, do_add_template, do_delete_template
from tests.apps.version_helpers import account
from tests.discovery.entry_helpers import make_user
from tests.subscribe.helpers import PAYMENT_DATA, T0, Shop, make_shop, openid_of, token_for

SEND = "/cgi-bin/message/subscribe/send"


@pytest.fixture
def shop(app: FastAPI, database: Database, settings: Settings, tmp_path: Path) -> Shop:
    store: BundleStore = app.state.bundle_store
    return make_shop(database, settings, store, tmp_path)


def second_template(database: Database, shop: Shop) -> str:
    """Another one-time template of the shop (tid 1001); its id."""
    with database.transaction() as session:
        return do_add_template(
            session, app_id=shop.app_id, tid=1001, kid_list=[1], scene_desc="Shipping", now=T0
        ).pri_tmpl_id


def signed_up(make_client: Any, database: Database, login: str) -> Any:
    browser = account(make_client, login, login.partition("@")[0])
    with database.read() as session:
        browser.user_id = session.scalars(select(User.id).where(User.email == login)).one()
    return browser


def sends_allowed(
    client: Any, database: Database, settings: Settings, shop: Shop, user_id: int
) -> int:
    """How many messages the shop's back end can send the user now (sending them all)."""
    body = {
        "touser": openid_of(database, settings, shop, user_id),
        "template_id": shop.template_id,
        "data": PAYMENT_DATA,
    }
    token = token_for(client, shop)
    sent = 0
    while True:
        answer = client.post(SEND, params={"access_token": token}, json=body).json()
        if answer["errcode"] == 43101:
            return sent
        assert answer["errcode"] == 0, answer
        sent += 1


def test_a_kept_accept_answers_without_asking_and_grants_one_send_per_request(
    client: Any, make_client: Any, database: Database, settings: Settings, shop: Shop
) -> None:
    ana = signed_up(make_client, database, "ana@example.com")
    runtime = f"/api/runtime/apps/{shop.appid}"
    kept = {"tmplIds": [shop.template_id]}
    # Nothing kept yet: the sheet must ask.
    assert ana.post(f"{runtime}/subscribe/kept", json=kept).json() == {"decisions": None}
    answered = ana.post(
        f"{runtime}/subscribe", json={"decisions": {shop.template_id: "accept"}, "keep": True}
    )
    assert answered.json() == {shop.template_id: "accept"}
    for _ in range(2):
        silent = ana.post(f"{runtime}/subscribe/kept", json=kept)
        assert silent.json() == {"decisions": {shop.template_id: "accept"}}
    # The sheet's accept and the two kept answers: three sends, then none.
    assert sends_allowed(client, database, settings, shop, ana.user_id) == 3
    assert ana.get(f"{runtime}/subscriptions").json() == {
        "mainSwitch": True,
        "itemSettings": {shop.template_id: "accept"},
        "items": [
            {
                "priTmplId": shop.template_id,
                "title": "Payment succeeded",
                "type": 2,
                "decision": "accept",
            }
        ],
    }


def test_a_kept_reject_answers_reject_and_grants_nothing(
    client: Any, make_client: Any, database: Database, settings: Settings, shop: Shop
) -> None:
    ana = signed_up(make_client, database, "ana@example.com")
    runtime = f"/api/runtime/apps/{shop.appid}"
    ana.post(f"{runtime}/subscribe", json={"decisions": {shop.template_id: "reject"}, "keep": True})
    silent = ana.post(f"{runtime}/subscribe/kept", json={"tmplIds": [shop.template_id]})
    assert silent.json() == {"decisions": {shop.template_id: "reject"}}
    assert sends_allowed(client, database, settings, shop, ana.user_id) == 0
    assert ana.get(f"{runtime}/subscriptions").json()["itemSettings"] == {
        shop.template_id: "reject"
    }


def test_an_answer_without_keep_is_not_kept(
    client: Any, make_client: Any, database: Database, settings: Settings, shop: Shop
) -> None:
    ana = signed_up(make_client, database, "ana@example.com")
    runtime = f"/api/runtime/apps/{shop.appid}"
    ana.post(f"{runtime}/subscribe", json={"decisions": {shop.template_id: "accept"}})
    assert ana.post(f"{runtime}/subscribe/kept", json={"tmplIds": [shop.template_id]}).json() == {
        "decisions": None
    }
    assert ana.get(f"{runtime}/subscriptions").json()["itemSettings"] == {}
    assert sends_allowed(client, database, settings, shop, ana.user_id) == 1


def test_a_request_with_any_template_not_kept_asks_and_grants_nothing(
    client: Any, make_client: Any, database: Database, settings: Settings, shop: Shop
) -> None:
    ana = signed_up(make_client, database, "ana@example.com")
    other = second_template(database, shop)
    runtime = f"/api/runtime/apps/{shop.appid}"
    ana.put(f"{runtime}/subscriptions/{shop.template_id}", json={"decision": "accept"})
    both = {"tmplIds": [shop.template_id, other]}
    assert ana.post(f"{runtime}/subscribe/kept", json=both).json() == {"decisions": None}
    assert sends_allowed(client, database, settings, shop, ana.user_id) == 0
    # Another app's template, or one that never was, is refused as the sheet refuses it.
    unknown = ana.post(f"{runtime}/subscribe/kept", json={"tmplIds": ["nope"]})
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (
        404,
        "subscribe_template_unknown",
    )
    assert ana.post(f"{runtime}/subscribe/kept", json={"tmplIds": []}).status_code == 422


def test_the_main_switch_off_refuses_every_request_without_granting(
    client: Any, make_client: Any, database: Database, settings: Settings, shop: Shop
) -> None:
    ana = signed_up(make_client, database, "ana@example.com")
    runtime = f"/api/runtime/apps/{shop.appid}"
    ana.post(f"{runtime}/subscribe", json={"decisions": {shop.template_id: "accept"}, "keep": True})
    off = ana.put(f"{runtime}/subscriptions", json={"mainSwitch": False})
    assert off.json()["mainSwitch"] is False
    assert off.json()["itemSettings"] == {shop.template_id: "accept"}  # kept, not forgotten
    for refused in (
        ana.post(f"{runtime}/subscribe/kept", json={"tmplIds": [shop.template_id]}),
        ana.post(f"{runtime}/subscribe", json={"decisions": {shop.template_id: "accept"}}),
    ):
        assert (refused.status_code, refused.json()["error"]["code"]) == (
            409,
            "subscribe_main_switch_off",
        )
    assert sends_allowed(client, database, settings, shop, ana.user_id) == 1  # the first only
    assert ana.put(f"{runtime}/subscriptions", json={"mainSwitch": True}).status_code == 200
    silent = ana.post(f"{runtime}/subscribe/kept", json={"tmplIds": [shop.template_id]})
    assert silent.json() == {"decisions": {shop.template_id: "accept"}}
    assert sends_allowed(client, database, settings, shop, ana.user_id) == 1


def test_the_settings_page_changes_and_forgets_a_choice(
    make_client: Any, database: Database, shop: Shop
) -> None:
    ana = signed_up(make_client, database, "ana@example.com")
    runtime = f"/api/runtime/apps/{shop.appid}"
    ana.post(f"{runtime}/subscribe", json={"decisions": {shop.template_id: "accept"}, "keep": True})
    changed = ana.put(f"{runtime}/subscriptions/{shop.template_id}", json={"decision": "reject"})
    assert changed.json()["itemSettings"] == {shop.template_id: "reject"}
    kept = {"tmplIds": [shop.template_id]}
    assert ana.post(f"{runtime}/subscribe/kept", json=kept).json() == {
        "decisions": {shop.template_id: "reject"}
    }
    forgotten = ana.delete(f"{runtime}/subscriptions/{shop.template_id}")
    assert forgotten.status_code == 200
    assert forgotten.json() == {"mainSwitch": True, "itemSettings": {}, "items": []}
    assert ana.post(f"{runtime}/subscribe/kept", json=kept).json() == {"decisions": None}
    # Forgetting again changes nothing; a bad decision is refused.
    assert ana.delete(f"{runtime}/subscriptions/{shop.template_id}").status_code == 200
    bad = ana.put(f"{runtime}/subscriptions/{shop.template_id}", json={"decision": "ban"})
    assert bad.status_code == 422


def test_one_users_choices_are_out_of_anothers_reach(  # noqa: PLR0917 (fixtures)
    client: Any,
    make_client: Any,
    database: Database,
    settings: Settings,
    app: FastAPI,
    shop: Shop,
    tmp_path: Path,
) -> None:
    ana = signed_up(make_client, database, "ana@example.com")
    bo = signed_up(make_client, database, "bo@example.com")
    runtime = f"/api/runtime/apps/{shop.appid}"
    ana.post(f"{runtime}/subscribe", json={"decisions": {shop.template_id: "accept"}, "keep": True})
    ana.put(f"{runtime}/subscriptions", json={"mainSwitch": False})
    # Bo sees nothing of Ana's, and his requests still ask him.
    assert bo.get(f"{runtime}/subscriptions").json() == {
        "mainSwitch": True,
        "itemSettings": {},
        "items": [],
    }
    assert bo.post(f"{runtime}/subscribe/kept", json={"tmplIds": [shop.template_id]}).json() == {
        "decisions": None
    }
    # Bo forgetting or changing "the" template changes his own choice only.
    bo.delete(f"{runtime}/subscriptions/{shop.template_id}")
    bo.put(f"{runtime}/subscriptions/{shop.template_id}", json={"decision": "reject"})
    assert ana.get(f"{runtime}/subscriptions").json()["itemSettings"] == {
        shop.template_id: "accept"
    }
    assert sends_allowed(client, database, settings, shop, bo.user_id) == 0
    # Another app's template through this app's path: unknown here.
    store: BundleStore = app.state.bundle_store
    coffee = make_shop(database, settings, store, tmp_path, name="Coffee")
    for response in (
        bo.put(f"{runtime}/subscriptions/{coffee.template_id}", json={"decision": "accept"}),
        bo.delete(f"{runtime}/subscriptions/{coffee.template_id}"),
    ):
        assert response.status_code == 404
    assert bo.get(f"/api/runtime/apps/{coffee.appid}/subscriptions").json()["itemSettings"] == {}
    assert bo.get("/api/runtime/apps/wx0000000000000000/subscriptions").status_code == 404


def test_signed_out_nothing_is_kept_and_another_site_cannot_change_it(
    make_client: Any, database: Database, shop: Shop
) -> None:
    runtime = f"/api/runtime/apps/{shop.appid}"
    signed_out = make_client()
    for response in (
        signed_out.get(f"{runtime}/subscriptions"),
        signed_out.put(f"{runtime}/subscriptions", json={"mainSwitch": False}),
        signed_out.put(f"{runtime}/subscriptions/{shop.template_id}", json={"decision": "accept"}),
        signed_out.delete(f"{runtime}/subscriptions/{shop.template_id}"),
        signed_out.post(f"{runtime}/subscribe/kept", json={"tmplIds": [shop.template_id]}),
        signed_out.post(
            f"{runtime}/subscribe", json={"decisions": {shop.template_id: "accept"}, "keep": True}
        ),
    ):
        assert (response.status_code, response.json()["error"]["code"]) == (401, "not_signed_in")
    ana = signed_up(make_client, database, "ana@example.com")
    forged = {"X-CSRF-Token": "forged"}
    for response in (
        ana.put(f"{runtime}/subscriptions", json={"mainSwitch": False}, headers=forged),
        ana.put(
            f"{runtime}/subscriptions/{shop.template_id}",
            json={"decision": "accept"},
            headers=forged,
        ),
        ana.post(f"{runtime}/subscribe/kept", json={"tmplIds": [shop.template_id]}, headers=forged),
    ):
        assert response.status_code == 403
    assert ana.get(f"{runtime}/subscriptions").json() == {
        "mainSwitch": True,
        "itemSettings": {},
        "items": [],
    }


def test_a_kept_choice_goes_with_its_template(
    make_client: Any, database: Database, shop: Shop
) -> None:
    ana = signed_up(make_client, database, "ana@example.com")
    runtime = f"/api/runtime/apps/{shop.appid}"
    ana.post(f"{runtime}/subscribe", json={"decisions": {shop.template_id: "accept"}, "keep": True})
    with database.transaction() as session:
        do_delete_template(session, app_id=shop.app_id, pri_tmpl_id=shop.template_id)
    assert ana.get(f"{runtime}/subscriptions").json()["itemSettings"] == {}


def test_a_refused_answer_leaves_nothing_half_written(database: Database, shop: Shop) -> None:
    """The main switch is checked before anything is written: a refused sheet answer neither
    grants nor keeps."""
    user_id = make_user(database, "cy@example.com").id
    with database.transaction() as session:
        do_set_main_switch(session, user_id=user_id, app_id=shop.app_id, on=False, now=T0)
    with database.read() as session:
        (template,) = access_templates(session, app_id=shop.app_id, pri_tmpl_ids=[shop.template_id])
    with pytest.raises(UserError) as refused, database.transaction() as session:
        do_answer_sheet(
            session,
            user_id=user_id,
            app_id=shop.app_id,
            decisions=[(template, Decision.ACCEPT)],
            keep=True,
            now=T0,
        )
    assert refused.value.code == "subscribe_main_switch_off"
    with database.transaction() as session:
        setting = read_subscriptions_setting(session, user_id=user_id, app_id=shop.app_id)
        assert (setting.main_switch, setting.kept) == (False, [])
        credits = session.scalars(
            select(SubscribeCredit.credits).where(SubscribeCredit.user_id == user_id)
        ).all()
        assert credits == []


def test_a_kept_long_term_accept_stays_on_without_piling_up(
    database: Database, settings: Settings, app: FastAPI, tmp_path: Path
) -> None:
    store: BundleStore = app.state.bundle_store
    news = make_shop(database, settings, store, tmp_path, name="News", tid=1004, kid_list=[1])
    user_id = make_user(database, "cy@example.com").id
    with database.transaction() as session:
        templates = access_templates(session, app_id=news.app_id, pri_tmpl_ids=[news.template_id])
        do_answer_sheet(
            session,
            user_id=user_id,
            app_id=news.app_id,
            decisions=[(templates[0], Decision.ACCEPT)],
            keep=True,
            now=T0,
        )
    for _ in range(2):
        with database.transaction() as session:
            answered = do_answer_kept(
                session, user_id=user_id, app_id=news.app_id, templates=templates, now=T0
            )
        assert answered == {news.template_id: Decision.ACCEPT}
    with database.read() as session:
        credits = session.scalars(
            select(SubscribeCredit.credits).where(SubscribeCredit.user_id == user_id)
        ).all()
    assert credits == [1]
