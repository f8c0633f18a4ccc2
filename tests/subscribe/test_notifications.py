"""Service notifications' read state on both databases: unread until opened, "mark all read",
the unread count with the list, another user's notification out of reach, CSRF as every host
route."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from miniapp.accounts.models import User
from miniapp.apps.bundles import BundleStore
from miniapp.db.session import Database
from miniapp.settings import Settings
from miniapp.subscribe.models import ServiceNotification
from miniapp.subscribe.notifications import (
    NOTIFICATIONS_LIMIT,
    do_mark_all_read,
    do_mark_read,
    list_notifications,
)
from tests.apps.version_helpers import account
from tests.subscribe.helpers import PAYMENT_DATA, T0, Shop, accept, make_shop, openid_of, token_for

NOTIFICATIONS = "/api/me/notifications"


@pytest.fixture
def shop(app: FastAPI, database: Database, settings: Settings, tmp_path: Path) -> Shop:
    store: BundleStore = app.state.bundle_store
    return make_shop(database, settings, store, tmp_path)


def deliver(client: Any, database: Database, settings: Settings, shop: Shop, user_id: int) -> int:
    """One message from the shop's back end to the user (who accepts once for it); its id."""
    accept(database, shop, user_id)
    body = {
        "touser": openid_of(database, settings, shop, user_id),
        "template_id": shop.template_id,
        "data": PAYMENT_DATA,
    }
    sent = client.post(
        "/cgi-bin/message/subscribe/send",
        params={"access_token": token_for(client, shop)},
        json=body,
    ).json()
    assert sent["errcode"] == 0, sent
    msgid: int = sent["msgid"]
    return msgid


def signed_up(make_client: Any, database: Database, login: str, name: str) -> Any:
    """A signed-in browser whose `user_id` is the user's row id."""
    browser = account(make_client, login, name)
    with database.read() as session:
        browser.user_id = session.scalars(select(User.id).where(User.email == login)).one()
    return browser


def read_at(database: Database, notification_id: int) -> Any:
    with database.read() as session:
        return session.scalar(
            select(ServiceNotification.read_at).where(ServiceNotification.id == notification_id)
        )


def test_unread_until_opened_then_all_read(
    client: Any, make_client: Any, database: Database, settings: Settings, shop: Shop
) -> None:
    ana = signed_up(make_client, database, "ana@example.com", "Ana")
    first = deliver(client, database, settings, shop, ana.user_id)
    second = deliver(client, database, settings, shop, ana.user_id)
    inbox = ana.get(NOTIFICATIONS).json()
    assert inbox["unread"] == 2
    assert [(row["id"], row["read"]) for row in inbox["notifications"]] == [
        (second, False),
        (first, False),
    ]
    opened = ana.post(f"{NOTIFICATIONS}/{first}/read")
    assert (opened.status_code, opened.json()) == (200, {"unread": 1})
    inbox = ana.get(NOTIFICATIONS).json()
    assert inbox["unread"] == 1
    assert [(row["id"], row["read"]) for row in inbox["notifications"]] == [
        (second, False),
        (first, True),
    ]
    # Opening it again keeps the first time it was read.
    when = read_at(database, first)
    assert ana.post(f"{NOTIFICATIONS}/{first}/read").json() == {"unread": 1}
    assert read_at(database, first) == when
    assert ana.post(f"{NOTIFICATIONS}/read-all").json() == {"unread": 0}
    inbox = ana.get(NOTIFICATIONS).json()
    assert inbox["unread"] == 0
    assert all(row["read"] for row in inbox["notifications"])
    assert read_at(database, first) == when


def test_another_users_notification_is_out_of_reach(
    client: Any, make_client: Any, database: Database, settings: Settings, shop: Shop
) -> None:
    ana = signed_up(make_client, database, "ana@example.com", "Ana")
    bo = signed_up(make_client, database, "bo@example.com", "Bo")
    anas = deliver(client, database, settings, shop, ana.user_id)
    bos = deliver(client, database, settings, shop, bo.user_id)
    refused = bo.post(f"{NOTIFICATIONS}/{anas}/read")
    assert (refused.status_code, refused.json()["error"]["code"]) == (404, "not_found")
    assert bo.post(f"{NOTIFICATIONS}/{anas + bos + 1}/read").status_code == 404
    for bad in (0, 2**40, "x"):  # never reaches the database
        assert bo.post(f"{NOTIFICATIONS}/{bad}/read").status_code == 422
    assert bo.post(f"{NOTIFICATIONS}/read-all").json() == {"unread": 0}
    assert ana.get(NOTIFICATIONS).json()["unread"] == 1  # Bo's "all" was his own only
    assert read_at(database, anas) is None
    signed_out = make_client()
    assert signed_out.post(f"{NOTIFICATIONS}/{anas}/read").status_code == 401
    assert signed_out.post(f"{NOTIFICATIONS}/read-all").status_code == 401
    # Without the CSRF token a page on another site cannot mark anything read.
    for path in (f"{NOTIFICATIONS}/{anas}/read", f"{NOTIFICATIONS}/read-all"):
        forged = ana.post(path, headers={"X-CSRF-Token": "forged"})
        assert forged.status_code == 403
    assert ana.get(NOTIFICATIONS).json()["unread"] == 1


def test_the_unread_count_covers_more_than_the_list(
    make_client: Any, database: Database, shop: Shop
) -> None:
    ana = signed_up(make_client, database, "ana@example.com", "Ana")
    with database.transaction() as session:
        for minute in range(NOTIFICATIONS_LIMIT + 2):
            session.add(
                ServiceNotification(
                    user_id=ana.user_id,
                    app_id=shop.app_id,
                    pri_tmpl_id=shop.template_id,
                    title="Payment succeeded",
                    fields=[],
                    page="",
                    created_at=T0 + timedelta(minutes=minute),
                )
            )
    inbox = ana.get(NOTIFICATIONS).json()
    assert (len(inbox["notifications"]), inbox["unread"]) == (
        NOTIFICATIONS_LIMIT,
        NOTIFICATIONS_LIMIT + 2,
    )
    with database.read() as session:
        oldest = session.scalar(
            select(ServiceNotification.id).order_by(ServiceNotification.created_at).limit(1)
        )
    assert oldest is not None
    assert ana.post(f"{NOTIFICATIONS}/{oldest}/read").json() == {"unread": NOTIFICATIONS_LIMIT + 1}


def test_read_times_are_the_callers_clock(database: Database, shop: Shop, make_client: Any) -> None:
    ana = signed_up(make_client, database, "ana@example.com", "Ana")
    with database.transaction() as session:
        rows = [
            ServiceNotification(
                user_id=ana.user_id,
                app_id=shop.app_id,
                pri_tmpl_id=shop.template_id,
                title="Payment succeeded",
                fields=[{"name": "Amount", "value": "¥1.00"}],
                page="",
                created_at=T0 + timedelta(minutes=index),
            )
            for index in range(2)
        ]
        session.add_all(rows)
        session.flush()
        older, newer = (row.id for row in rows)
    with database.transaction() as session:
        do_mark_read(
            session, user_id=ana.user_id, notification_id=older, now=T0 + timedelta(hours=1)
        )
        do_mark_all_read(session, user_id=ana.user_id, now=T0 + timedelta(hours=2))
    assert read_at(database, older) == T0 + timedelta(hours=1)
    assert read_at(database, newer) == T0 + timedelta(hours=2)
    with database.read() as session:
        inbox = list_notifications(session, user_id=ana.user_id)
    assert inbox.unread == 0
    assert [(row.id, row.read) for row in inbox.notifications] == [(newer, True), (older, True)]
