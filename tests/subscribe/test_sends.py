"""Credits and sends in the database (both engines): each accept is one send, a credit is used
once even under concurrent sends, and every refusal's errcode (docs/subscriptions.md)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from miniapp.apps.bundles import BundleStore
from miniapp.db.session import Database
from miniapp.openapi.envelope import OpenApiError
from miniapp.openapi.tokens import do_issue_token
from miniapp.settings import Settings
from miniapp.subscribe.models import ServiceNotification, SubscribeCredit
from miniapp.subscribe.notifications import list_notifications
from miniapp.subscribe.sends import (
    Decision,
    check_send_data,
    do_decide,
    do_send_by_token,
    send_form,
)
from miniapp.subscribe.templates import access_templates, do_add_template, do_delete_template
from tests.discovery.entry_helpers import make_user
from tests.subscribe.helpers import PAYMENT_DATA, T0, Shop, accept, make_shop, openid_of


def send(
    database: Database,
    store: BundleStore,
    shop: Shop,
    touser: str,
    *,
    template_id: str | None = None,
    data: dict[str, Any] | None = None,
    page: str = "",
) -> int:
    """The msgid, or the errcode of the refusal."""
    try:
        with database.transaction() as session:
            token = do_issue_token(
                session, appid=shop.appid, secret=shop.secret, server_key=shop.server_key, now=T0
            ).access_token
            session.flush()  # the send reads it on the session's connection
            return do_send_by_token(
                session.connection(),
                token=token,
                server_key=shop.server_key,
                count_call=lambda _app_id: None,  # per-path counts: tests/openapi, over HTTP
                touser=touser,
                template_id=template_id or shop.template_id,
                page=page,
                data=PAYMENT_DATA if data is None else data,
                store=store,
                now=T0,
            )
    except OpenApiError as error:
        return -error.errcode


def credits(database: Database, user_id: int) -> int | None:
    with database.read() as session:
        return session.scalar(
            select(SubscribeCredit.credits).where(SubscribeCredit.user_id == user_id)
        )


def test_each_accept_is_one_send_then_43101(
    database: Database, settings: Settings, store: BundleStore, shop: Shop
) -> None:
    ana = make_user(database, "ana@example.com").id
    openid = openid_of(database, settings, shop, ana)
    assert send(database, store, shop, openid) == -43101
    accept(database, shop, ana)
    accept(database, shop, ana)
    first = send(database, store, shop, openid, page="pages/cart/cart?id=7")
    second = send(database, store, shop, openid)
    assert first > 0 and second > first
    assert send(database, store, shop, openid) == -43101
    assert credits(database, ana) == 0
    with database.read() as session:
        found = list_notifications(session, user_id=ana).notifications
    assert [row.id for row in found] == [second, first]
    assert found[1].page == "pages/cart/cart?id=7"
    assert found[1].title == "Payment succeeded"
    assert found[1].fields == [
        {"name": "Amount", "value": "¥36.00"},
        {"name": "Merchant", "value": "Corner Café"},
        {"name": "Paid at", "value": "2030-12-01 09:30"},
    ]


def test_a_reject_grants_nothing_and_a_long_term_accept_is_not_consumed(
    database: Database, settings: Settings, store: BundleStore, shop: Shop
) -> None:
    ana = make_user(database, "ana@example.com").id
    openid = openid_of(database, settings, shop, ana)
    with database.transaction() as session:
        long_term = do_add_template(
            session, app_id=shop.app_id, tid=1004, kid_list=[2], scene_desc="Status", now=T0
        )
        one_time, long = access_templates(
            session, app_id=shop.app_id, pri_tmpl_ids=[shop.template_id, long_term.pri_tmpl_id]
        )
        do_decide(
            session,
            user_id=ana,
            app_id=shop.app_id,
            decisions=[(one_time, Decision.REJECT), (long, Decision.ACCEPT)],
            now=T0,
        )
    assert send(database, store, shop, openid) == -43101
    status = {"phrase2": {"value": "已受理"}}
    for _ in range(3):
        assert send(database, store, shop, openid, template_id=long.pri_tmpl_id, data=status) > 0
    with database.transaction() as session:
        do_decide(
            session, user_id=ana, app_id=shop.app_id, decisions=[(long, Decision.REJECT)], now=T0
        )
    assert send(database, store, shop, openid, template_id=long.pri_tmpl_id, data=status) == -43101


def test_concurrent_sends_of_one_credit_deliver_once(
    database: Database, settings: Settings, store: BundleStore, shop: Shop
) -> None:
    ana = make_user(database, "ana@example.com").id
    openid = openid_of(database, settings, shop, ana)
    accept(database, shop, ana)
    racers = 4
    barrier = threading.Barrier(racers)

    def race(_: int) -> int:
        barrier.wait()
        return send(database, store, shop, openid)

    with ThreadPoolExecutor(racers) as pool:
        answers = list(pool.map(race, range(racers)))
    assert sorted(answer > 0 for answer in answers) == [False] * (racers - 1) + [True]
    assert sorted(answer for answer in answers if answer < 0) == [-43101] * (racers - 1)
    with database.read() as session:
        delivered = session.scalars(select(ServiceNotification.id)).all()
    assert delivered == [max(answers)]
    assert credits(database, ana) == 0


def test_wrong_user_template_or_page(
    database: Database, settings: Settings, store: BundleStore, shop: Shop, tmp_path: Path
) -> None:
    ana = make_user(database, "ana@example.com").id
    openid = openid_of(database, settings, shop, ana)
    other = make_shop(database, settings, store, tmp_path, name="Cake")
    other_openid = openid_of(database, settings, other, ana)
    accept(database, shop, ana)
    assert send(database, store, shop, "o" + "x" * 27) == -40003
    assert send(database, store, shop, other_openid) == -40003  # the user, but another app's id
    assert send(database, store, shop, openid, template_id=other.template_id) == -40037
    assert send(database, store, shop, openid, page="pages/nowhere/nowhere") == -41030
    assert send(database, store, shop, openid, page="pages/cart/cart") > 0  # the credit stayed


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount1": {"value": "¥1"}, "thing2": {"value": "Café"}}, "data.time3 is missing"),
        ({**PAYMENT_DATA, "thing2": {"value": ""}}, "data.thing2.value is empty"),
        ({**PAYMENT_DATA, "thing2": {}}, "data.thing2.value is empty"),
        ({**PAYMENT_DATA, "thing2": {"value": "x" * 21}}, "data.thing2.value invalid"),
        ({**PAYMENT_DATA, "amount1": {"value": "lots"}}, "data.amount1.value invalid"),
        ({**PAYMENT_DATA, "time3": {"value": 1700000000}}, "data.time3.value invalid"),
        ({**PAYMENT_DATA, "thing9": {"value": "x"}}, "data.thing9 is unknown"),
    ],
)
def test_invalid_data_is_47003_naming_the_key(
    database: Database, shop: Shop, data: dict[str, Any], message: str
) -> None:
    with database.read() as session:
        (template,) = access_templates(session, app_id=shop.app_id, pri_tmpl_ids=[shop.template_id])
    form = send_form(template.tid, tuple(keyword.kid for keyword in template.keywords))
    with pytest.raises(OpenApiError) as raised:
        check_send_data(form, data)
    assert (raised.value.errcode, raised.value.errmsg) == (47003, f"argument invalid! {message}")


def test_deleting_a_template_takes_its_credits_and_keeps_what_was_delivered(
    database: Database, settings: Settings, store: BundleStore, shop: Shop
) -> None:
    ana = make_user(database, "ana@example.com").id
    openid = openid_of(database, settings, shop, ana)
    accept(database, shop, ana)
    accept(database, shop, ana)
    assert send(database, store, shop, openid) > 0
    with database.transaction() as session:
        do_delete_template(session, app_id=shop.app_id, pri_tmpl_id=shop.template_id)
    assert credits(database, ana) is None
    assert send(database, store, shop, openid) == -40037
    with database.read() as session:
        assert len(list_notifications(session, user_id=ana).notifications) == 1
