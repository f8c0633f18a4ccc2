"""Apps with an AppSecret, for the open API tests: what a merchant's back end starts from."""

from __future__ import annotations

from dataclasses import dataclass

from miniapp.apps.profile import app_secret_hash
from miniapp.apps.registry import do_register_app, do_release_bundle
from miniapp.db.session import Database
from miniapp.settings import Settings


@dataclass(frozen=True)
class BackEnd:
    appid: str
    secret: str


def add_app_with_secret(
    database: Database,
    settings: Settings,
    *,
    name: str,
    bundle_id: str | None = None,
    secret: str = "s" * 32,
) -> BackEnd:
    """Register an app named `name` whose AppSecret is `secret`; release `bundle_id` unless
    None."""
    with database.transaction() as session:
        app = do_register_app(session, name=name)
        app.secret_hash = app_secret_hash(settings.server_key, secret)
        if bundle_id is not None:
            do_release_bundle(session, app=app, bundle_id=bundle_id)
        return BackEnd(appid=app.appid, secret=secret)
