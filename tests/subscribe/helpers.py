"""A released app with an AppSecret, a compiled bundle (tests.discovery.helpers.PAGES) and a
subscription template, and a user known to it by openid: what a send starts from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from miniapp.apps.bundles import BundleStore
from miniapp.apps.models import App
from miniapp.apps.registry import do_release_bundle
from miniapp.db.session import Database
from miniapp.identity.logins import do_issue_login_code
from miniapp.identity.models import AppUser
from miniapp.settings import Settings
from miniapp.subscribe.sends import Decision, do_decide
from miniapp.subscribe.templates import access_templates, do_add_template
from tests.discovery.code_helpers import release_bundle
from tests.openapi.helpers import BackEnd, add_app_with_secret

T0 = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
# tid 1002 "Payment succeeded" with amount1, thing2, time3.
PAYMENT_KIDS = [1, 2, 3]
PAYMENT_DATA = {
    "amount1": {"value": "¥36.00"},
    "thing2": {"value": "Corner Café"},
    "time3": {"value": "2030-12-01 09:30"},
}


@dataclass(frozen=True)
class Shop:
    appid: str
    app_id: int
    secret: str
    template_id: str
    server_key: bytes = field(default=b"", repr=False)  # the settings' (tokens for sends)

    @property
    def back_end(self) -> BackEnd:
        return BackEnd(appid=self.appid, secret=self.secret)


def make_shop(
    database: Database,
    settings: Settings,
    store: BundleStore,
    folder: Path,
    *,
    name: str = "Tea",
    tid: int = 1002,
    kid_list: list[int] | None = None,
) -> Shop:
    back_end = add_app_with_secret(database, settings, name=name)
    bundle_id = release_bundle(store, folder / name)
    with database.transaction() as session:
        app = session.scalars(select(App).where(App.appid == back_end.appid)).one()
        do_release_bundle(session, app=app, bundle_id=bundle_id)
        template = do_add_template(
            session,
            app_id=app.id,
            tid=tid,
            kid_list=PAYMENT_KIDS if kid_list is None else kid_list,
            scene_desc="After you pay",
            now=T0,
        )
        return Shop(
            appid=app.appid,
            app_id=app.id,
            secret=back_end.secret,
            template_id=template.pri_tmpl_id,
            server_key=settings.server_key,
        )


def token_for(client: Any, shop: Shop) -> str:
    """An access token for the shop's back end (GET /cgi-bin/token)."""
    params = {"grant_type": "client_credential", "appid": shop.appid, "secret": shop.secret}
    token: str = client.get("/cgi-bin/token", params=params).json()["access_token"]
    return token


def openid_of(database: Database, settings: Settings, shop: Shop, user_id: int) -> str:
    """The user's openid in the shop (made as their first wx.login makes it)."""
    with database.transaction() as session:
        do_issue_login_code(
            session, app_id=shop.app_id, user_id=user_id, server_key=settings.server_key, now=T0
        )
        return session.scalars(
            select(AppUser.openid).where(AppUser.app_id == shop.app_id, AppUser.user_id == user_id)
        ).one()


def accept(database: Database, shop: Shop, user_id: int, template_id: str | None = None) -> None:
    """The user accepts the template once in the subscribe sheet."""
    with database.transaction() as session:
        (template,) = access_templates(
            session, app_id=shop.app_id, pri_tmpl_ids=[template_id or shop.template_id]
        )
        do_decide(
            session,
            user_id=user_id,
            app_id=shop.app_id,
            decisions=[(template, Decision.ACCEPT)],
            now=T0,
        )
