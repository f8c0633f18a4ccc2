"""Links (discovery/links.py): the checks of path, query, env_version and expiry with WeChat's
errcodes, the expiry computed from an injected `now` (boundaries included), tickets, the daily
quota, and resolving a ticket to what it opens, or to "expired" / "unknown"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from miniapp.apps.bundles import BundleStore
from miniapp.apps.models import App, AppVersion
from miniapp.db.session import Database
from miniapp.discovery.entry_targets import EntryTarget, EnvVersion
from miniapp.discovery.links import (
    LINK_QUOTA,
    LINKS_PER_DAY,
    LinkExpiry,
    LinkKind,
    LinkProblem,
    OpenedLink,
    access_link,
    check_env_version,
    check_expiry,
    check_link_path,
    check_link_query,
    do_create_link,
    do_delete_expired_links,
    new_ticket,
)
from miniapp.discovery.models import TICKET_LENGTH, AppLink
from miniapp.openapi.envelope import OpenApiError
from miniapp.openapi.models import ApiQuota
from miniapp.openapi.quotas import Window, window_start
from tests.discovery.helpers import PAGES, add_app, store_project, write_project

T0 = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
TARGET = EntryTarget(
    bundle_id="b", pages=(*PAGES, "pkg/pages/deep/deep"), home=PAGES[0], build=None
)
ALLOWED = "0123456789abcxyzABCXYZ!#$&'()*+,/:;=?@-._~%"


def errcode_of(call: object) -> int:
    assert callable(call)
    with pytest.raises(OpenApiError) as refused:
        call()
    return refused.value.errcode


@pytest.fixture
def store(tmp_path: Path) -> BundleStore:
    return BundleStore(tmp_path / "bundles")


@pytest.fixture
def bundle_id(store: BundleStore, tmp_path: Path) -> str:
    return store_project(store, write_project(tmp_path / "release"))


def app_id_of(database: Database, appid: str) -> int:
    with database.read() as session:
        found = session.scalar(select(App.id).where(App.appid == appid))
        assert found is not None
        return found


def add_version(database: Database, *, app_id: int, label: str, bundle: str, trial: bool) -> None:
    with database.transaction() as session:
        session.add(
            AppVersion(
                app_id=app_id,
                version=label,
                bundle_id=bundle,
                source_key="00/" + "0" * 32,
                size_bytes=1,
                is_trial=trial,
            )
        )


def create(
    database: Database,
    store: BundleStore,
    app_id: int,
    *,
    kind: LinkKind = LinkKind.URL_LINK,
    path: str = "",
    query: str = "",
    env_version: str = "release",
    expiry: LinkExpiry | None = None,
    now: datetime = T0,
) -> str:
    """Make a link; its ticket."""
    with database.transaction() as session:
        link = do_create_link(
            session,
            app_id=app_id,
            kind=kind,
            path=path,
            query=query,
            env_version=env_version,
            expiry=expiry or LinkExpiry(),
            store=store,
            now=now,
        )
        return link.ticket


def resolve(
    database: Database, ticket: str, *, kind: LinkKind = LinkKind.URL_LINK, now: datetime = T0
) -> OpenedLink | LinkProblem:
    with database.read() as session:
        return access_link(session, kind=kind, ticket=ticket, now=now)


# --- checks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["release", "trial", "develop"])
def test_the_three_env_versions_are_accepted(raw: str) -> None:
    assert check_env_version(raw) is EnvVersion(raw)


@pytest.mark.parametrize("raw", ["", "Release", "beta", "online"])
def test_another_env_version_is_40097(raw: str) -> None:
    assert errcode_of(lambda: check_env_version(raw)) == 40097


@pytest.mark.parametrize("raw", ["", "a=1", "id=42&name=alpha", ALLOWED, "x" * 1024])
def test_a_query_of_wechats_characters_up_to_1024_is_kept(raw: str) -> None:
    assert check_link_query(raw) == raw


@pytest.mark.parametrize(
    "raw", ["x" * 1025, "a=1 2", "a=<b>", "name=茶", 'a="1"', "a=^", "a=1\n", "a=[1]", "a=`1`"]
)
def test_a_longer_query_or_another_character_is_40212(raw: str) -> None:
    assert errcode_of(lambda: check_link_query(raw)) == 40212


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ("", ""),
        ("pages/about/about", "pages/about/about"),
        ("/pages/about/about", "pages/about/about"),
        ("pkg/pages/deep/deep", "pkg/pages/deep/deep"),
    ],
)
def test_a_page_of_the_version_is_kept_without_one_leading_slash(raw: str, path: str) -> None:
    assert check_link_path(raw, target=TARGET) == path


@pytest.mark.parametrize(
    "raw",
    [
        "//pages/about/about",
        "pages/about/about?id=1",
        "pages/about/about.html",
        "pages/About/About",
        "pages/missing/missing",
        "pages/about",
        "?id=1",
    ],
)
def test_anything_else_as_path_is_40165(raw: str) -> None:
    assert errcode_of(lambda: check_link_path(raw, target=TARGET)) == 40165


# --- expiry -----------------------------------------------------------------------------------


def unix(moment: datetime) -> int:
    return int(moment.timestamp())


@pytest.mark.parametrize(
    "expiry",
    [
        LinkExpiry(),
        LinkExpiry(is_expire=True),
        LinkExpiry(is_expire=True, expire_type=0),
        LinkExpiry(is_expire=True, expire_type=1),
        # is_expire false: WeChat makes an expiring link anyway, for the longest time, and reads
        # no other field.
        LinkExpiry(is_expire=False, expire_type=1, expire_interval=400),
        LinkExpiry(is_expire=False, expire_type=0, expire_time=1),
        # A field of the other type is not read.
        LinkExpiry(expire_type=1, expire_time=unix(T0 + DAY)),
        LinkExpiry(expire_type=0, expire_interval=3),
    ],
)
def test_without_a_usable_expiry_a_link_lasts_30_days(expiry: LinkExpiry) -> None:
    assert check_expiry(expiry, now=T0) == T0 + 30 * DAY


@pytest.mark.parametrize("days", [1, 2, 29, 30])
def test_expire_interval_counts_days_from_now(days: int) -> None:
    now = T0 + timedelta(seconds=7, microseconds=250)
    expiry = LinkExpiry(expire_type=1, expire_interval=days)
    assert check_expiry(expiry, now=now) == now + days * DAY


@pytest.mark.parametrize("days", [0, -1])
def test_expire_interval_under_a_day_is_85401(days: int) -> None:
    expiry = LinkExpiry(is_expire=True, expire_type=1, expire_interval=days)
    assert errcode_of(lambda: check_expiry(expiry, now=T0)) == 85401


@pytest.mark.parametrize("days", [31, 365, 10**9])
def test_expire_interval_beyond_30_days_is_cut_to_30_as_wechat_does(days: int) -> None:
    expiry = LinkExpiry(is_expire=True, expire_type=1, expire_interval=days)
    assert check_expiry(expiry, now=T0) == T0 + 30 * DAY


@pytest.mark.parametrize("ahead", [timedelta(seconds=1), DAY, 30 * DAY])
def test_expire_time_after_now_and_at_most_30_days_ahead_is_the_expiry(ahead: timedelta) -> None:
    expiry = LinkExpiry(is_expire=True, expire_type=0, expire_time=unix(T0 + ahead))
    assert check_expiry(expiry, now=T0) == T0 + ahead


@pytest.mark.parametrize("when", [unix(T0), unix(T0) - 1, 0, -5])
def test_expire_time_not_after_now_is_85401(when: int) -> None:
    expiry = LinkExpiry(expire_type=0, expire_time=when)
    assert errcode_of(lambda: check_expiry(expiry, now=T0)) == 85401


@pytest.mark.parametrize(
    "when",
    [
        unix(T0 + 30 * DAY) + 1,  # one second too far
        unix(T0 + 365 * DAY),
        10**20,  # beyond any date: cut, not an overflow
        unix(T0) * 1000,  # milliseconds by mistake
    ],
)
def test_expire_time_beyond_30_days_is_cut_to_30_as_wechat_does(when: int) -> None:
    expiry = LinkExpiry(expire_type=0, expire_time=when)
    assert check_expiry(expiry, now=T0) == T0 + 30 * DAY


def test_expire_time_bounds_hold_with_a_fraction_of_a_second_in_now() -> None:
    now = T0 + timedelta(microseconds=500_000)
    # The whole second now falls in is already past; the next one is the first accepted.
    assert errcode_of(lambda: check_expiry(LinkExpiry(expire_time=unix(T0)), now=now)) == 85401
    assert check_expiry(LinkExpiry(expire_time=unix(T0) + 1), now=now) == T0 + timedelta(seconds=1)
    last = unix(T0 + 30 * DAY)  # 30 days after now is half a second later still
    assert check_expiry(LinkExpiry(expire_time=last), now=now) == T0 + 30 * DAY


# --- tickets --------------------------------------------------------------------------------


def test_tickets_fill_the_column_with_url_safe_random_characters() -> None:
    tickets = {new_ticket() for _ in range(2000)}
    assert len(tickets) == 2000
    for ticket in tickets:
        assert len(ticket) == TICKET_LENGTH == 32  # 192 random bits
        assert set(ticket) <= set(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        )


# --- making links -----------------------------------------------------------------------------


def test_a_link_keeps_its_page_query_version_kind_and_expiry(
    database: Database, store: BundleStore, bundle_id: str
) -> None:
    app_id = app_id_of(database, add_app(database, name="Tea", bundle_id=bundle_id))
    ticket = create(
        database,
        store,
        app_id,
        kind=LinkKind.SCHEME,
        path="/pages/about/about",
        query="id=42&name=alpha",
        expiry=LinkExpiry(expire_type=1, expire_interval=7),
    )
    with database.read() as session:
        link = session.scalars(select(AppLink).where(AppLink.ticket == ticket)).one()
        assert (link.app_id, link.kind, link.path, link.query, link.env_version) == (
            app_id,
            "scheme",
            "pages/about/about",
            "id=42&name=alpha",
            "release",
        )
        assert (link.created_at, link.expires_at) == (T0, T0 + 7 * DAY)


def test_each_link_gets_its_own_ticket(
    database: Database, store: BundleStore, bundle_id: str
) -> None:
    app_id = app_id_of(database, add_app(database, name="Tea", bundle_id=bundle_id))
    tickets = {create(database, store, app_id, path="pages/cart/cart") for _ in range(20)}
    assert len(tickets) == 20


def test_an_app_with_nothing_released_gets_85079(database: Database, store: BundleStore) -> None:
    app_id = app_id_of(database, add_app(database, name="Tea", bundle_id=None))
    assert errcode_of(lambda: create(database, store, app_id)) == 85079
    assert errcode_of(lambda: create(database, store, app_id, env_version="trial")) == 85079
    assert errcode_of(lambda: create(database, store, app_id, env_version="develop")) == 85079


def test_the_path_is_checked_against_the_version_the_link_opens(
    database: Database, store: BundleStore, bundle_id: str, tmp_path: Path
) -> None:
    app_id = app_id_of(database, add_app(database, name="Tea", bundle_id=bundle_id))
    trial = store_project(store, write_project(tmp_path / "trial", pages=[*PAGES, "pages/new/new"]))
    newest = store_project(
        store, write_project(tmp_path / "newest", pages=["pages/index/index", "pages/beta/beta"])
    )
    add_version(database, app_id=app_id, label="1.1.0", bundle=trial, trial=True)
    add_version(database, app_id=app_id, label="1.2.0", bundle=newest, trial=False)

    assert errcode_of(lambda: create(database, store, app_id, path="pages/new/new")) == 40165
    create(database, store, app_id, path="pages/new/new", env_version="trial")
    assert (
        errcode_of(
            lambda: create(database, store, app_id, path="pages/new/new", env_version="develop")
        )
        == 40165
    )
    create(database, store, app_id, path="pages/beta/beta", env_version="develop")


def test_a_refused_link_is_not_made(database: Database, store: BundleStore, bundle_id: str) -> None:
    app_id = app_id_of(database, add_app(database, name="Tea", bundle_id=bundle_id))
    refusals = [
        {"env_version": "beta"},
        {"query": "a b"},
        {"path": "pages/missing/missing"},
        {"expiry": LinkExpiry(expire_type=1, expire_interval=0)},
    ]
    for arguments in refusals:
        with pytest.raises(OpenApiError):
            create(database, store, app_id, **arguments)  # type: ignore[arg-type]
    with database.read() as session:
        assert session.scalars(select(AppLink)).all() == []
        assert session.scalars(select(ApiQuota)).all() == []  # refusals cost no quota


def test_links_of_both_kinds_share_a_daily_quota_of_500000(
    database: Database, store: BundleStore, bundle_id: str
) -> None:
    app_id = app_id_of(database, add_app(database, name="Tea", bundle_id=bundle_id))
    create(database, store, app_id, kind=LinkKind.SCHEME)
    create(database, store, app_id, kind=LinkKind.URL_LINK)
    day = window_start(Window.DAY, T0)
    with database.transaction() as session:
        quota = session.get(ApiQuota, (app_id, LINK_QUOTA, day))
        assert quota is not None and quota.used == 2
        quota.used = LINKS_PER_DAY - 1  # as after a busy day

    create(database, store, app_id, kind=LinkKind.SCHEME, now=T0 + timedelta(hours=11))
    late = T0 + timedelta(hours=11, minutes=59)
    assert errcode_of(lambda: create(database, store, app_id, now=late)) == 45009
    assert (
        errcode_of(lambda: create(database, store, app_id, kind=LinkKind.SCHEME, now=late)) == 45009
    )
    create(database, store, app_id, now=T0 + 12 * timedelta(hours=1))  # the next UTC day

    other = app_id_of(database, add_app(database, name="Cafe", bundle_id=bundle_id))
    create(database, store, other, now=late)  # every app has its own quota


# --- resolving a ticket -----------------------------------------------------------------------


def test_a_live_link_opens_its_page_and_query_with_its_scene(
    database: Database, store: BundleStore, bundle_id: str
) -> None:
    appid = add_app(database, name="Tea", bundle_id=bundle_id)
    app_id = app_id_of(database, appid)
    url_link = create(database, store, app_id, path="pages/about/about", query="id=42")
    scheme = create(database, store, app_id, kind=LinkKind.SCHEME)

    assert resolve(database, url_link) == OpenedLink(
        appid=appid, path="pages/about/about", query="id=42", scene=1194, build=None
    )
    assert resolve(database, scheme, kind=LinkKind.SCHEME) == OpenedLink(
        appid=appid, path="", query="", scene=1065, build=None
    )


def test_trial_and_develop_links_open_those_builds(
    database: Database, store: BundleStore, bundle_id: str
) -> None:
    app_id = app_id_of(database, add_app(database, name="Tea", bundle_id=bundle_id))
    add_version(database, app_id=app_id, label="1.1.0", bundle=bundle_id, trial=True)
    trial = create(database, store, app_id, env_version="trial")
    develop = create(database, store, app_id, env_version="develop")
    assert isinstance(opened := resolve(database, trial), OpenedLink) and opened.build == "trial"
    assert isinstance(opened := resolve(database, develop), OpenedLink)
    assert opened.build == "develop"


def test_a_link_expires_at_its_expiry_exactly(
    database: Database, store: BundleStore, bundle_id: str
) -> None:
    app_id = app_id_of(database, add_app(database, name="Tea", bundle_id=bundle_id))
    short = create(database, store, app_id, expiry=LinkExpiry(expire_type=1, expire_interval=1))
    longest = create(database, store, app_id)

    assert isinstance(
        resolve(database, short, now=T0 + DAY - timedelta(microseconds=1)), OpenedLink
    )
    assert resolve(database, short, now=T0 + DAY) is LinkProblem.EXPIRED
    assert isinstance(
        resolve(database, longest, now=T0 + 30 * DAY - timedelta(seconds=1)), OpenedLink
    )
    assert resolve(database, longest, now=T0 + 30 * DAY) is LinkProblem.EXPIRED


def test_an_unknown_or_malformed_ticket_or_one_of_the_other_kind_is_unknown(
    database: Database, store: BundleStore, bundle_id: str
) -> None:
    app_id = app_id_of(database, add_app(database, name="Tea", bundle_id=bundle_id))
    scheme = create(database, store, app_id, kind=LinkKind.SCHEME)
    for ticket in [new_ticket(), "", "short", scheme + "x", scheme[:-1], "/" * 32, "%2F" * 11]:
        assert resolve(database, ticket) is LinkProblem.UNKNOWN, ticket
    assert resolve(database, scheme, kind=LinkKind.URL_LINK) is LinkProblem.UNKNOWN
    assert isinstance(resolve(database, scheme, kind=LinkKind.SCHEME), OpenedLink)


def test_a_deleted_apps_links_are_gone(
    database: Database, store: BundleStore, bundle_id: str
) -> None:
    app_id = app_id_of(database, add_app(database, name="Tea", bundle_id=bundle_id))
    ticket = create(database, store, app_id)
    with database.transaction() as session:
        app = session.get(App, app_id)
        assert app is not None
        session.delete(app)
    assert resolve(database, ticket) is LinkProblem.UNKNOWN


def test_a_link_says_expired_for_30_days_then_is_forgotten(
    database: Database, store: BundleStore, bundle_id: str
) -> None:
    app_id = app_id_of(database, add_app(database, name="Tea", bundle_id=bundle_id))
    ticket = create(database, store, app_id, expiry=LinkExpiry(expire_type=1, expire_interval=1))
    fresh = create(database, store, app_id, now=T0 + 40 * DAY)

    def opened(at: datetime, which: str = ticket) -> object:
        with database.read() as session:
            return access_link(session, kind=LinkKind.URL_LINK, ticket=which, now=at)

    with database.transaction() as session:
        do_delete_expired_links(session, now=T0 + 31 * DAY)
    assert opened(T0 + 31 * DAY) is LinkProblem.EXPIRED
    with database.transaction() as session:
        do_delete_expired_links(session, now=T0 + 32 * DAY)
    assert opened(T0 + 32 * DAY) is LinkProblem.UNKNOWN
    assert isinstance(opened(T0 + 41 * DAY, fresh), OpenedLink)
