"""Users, organisations and apps with an AppSecret for the identity tests, made directly in the
database; and redeeming a code as a back end does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from miniapp.accounts.models import Organisation, User
from miniapp.apps.profile import app_secret_hash
from miniapp.apps.registry import do_register_app, do_release_bundle
from miniapp.db.session import Database
from miniapp.identity.logins import CodeSession, do_issue_login_code, do_redeem_login_code
from miniapp.openapi.envelope import OpenApiError
from miniapp.openapi.rate_limits import MemoryRateLimiter, RateLimiter
from miniapp.settings import Settings
from tests.discovery.entry_helpers import BUNDLE, make_user

T0 = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
SECRET = "s" * 32


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@dataclass(frozen=True)
class TestApp:
    __test__ = False
    id: int
    appid: str
    secret: str


def make_organisation(database: Database, name: str, *, created_by_id: int) -> int:
    with database.transaction() as session:
        organisation = Organisation(name=name, created_by_id=created_by_id)
        session.add(organisation)
        session.flush()
        return organisation.id


def make_app(
    database: Database,
    settings: Settings,
    name: str,
    *,
    organisation_id: int | None = None,
    released: bool = True,
    secret: str = SECRET,
) -> TestApp:
    """An app named `name` whose AppSecret is `secret`, released unless told otherwise."""
    with database.transaction() as session:
        organisation = (
            None if organisation_id is None else session.get(Organisation, organisation_id)
        )
        app = do_register_app(session, name=name, organisation=organisation)
        app.secret_hash = app_secret_hash(settings.server_key, secret)
        if released:
            do_release_bundle(session, app=app, bundle_id=BUNDLE)
        session.flush()
        return TestApp(id=app.id, appid=app.appid, secret=secret)


def user_id_of(database: Database, login: str) -> int:
    with database.read() as session:
        return session.scalars(select(User.id).where(User.email == login)).one()


def new_user(database: Database, login: str) -> int:
    return make_user(database, login).id


def issue(
    database: Database, settings: Settings, app: TestApp, user_id: int, now: datetime = T0
) -> str:
    with database.transaction() as session:
        return do_issue_login_code(
            session, app_id=app.id, user_id=user_id, server_key=settings.server_key, now=now
        )


def redeem(
    database: Database,
    settings: Settings,
    app: TestApp,
    code: str,
    now: datetime = T0,
    *,
    limiter: RateLimiter | None = None,
) -> CodeSession | int:
    """The session, or the errcode of the refusal (minute counts in `limiter`, else fresh)."""
    try:
        with database.transaction() as session:
            return do_redeem_login_code(
                session.connection(),
                appid=app.appid,
                secret=app.secret,
                js_code=code,
                server_key=settings.server_key,
                limiter=limiter or MemoryRateLimiter(),
                count_call=lambda _app_id: None,  # per-path counts: tests/openapi, over HTTP
                now=now,
            )
    except OpenApiError as error:
        return error.errcode
