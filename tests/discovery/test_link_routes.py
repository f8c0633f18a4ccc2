"""POST /wxa/generatescheme and /wxa/generate_urllink over HTTP, as a merchant's back end calls
them (WeChat's bodies, errcodes with HTTP 200), and the public addresses of the links: 302 to
the host route with scene 1065 / 1194 on our own origin, 410 / 404 pages in the user's language,
never cached and sending no Referer. A trial link opens the trial build, for members only."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from miniapp.accounts.models import Membership, Organisation, OrgRole, User
from miniapp.apps.bundles import BundleStore
from miniapp.apps.models import App, AppVersion
from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.discovery.models import AppLink
from miniapp.settings import Settings
from tests.discovery.helpers import PAGES, store_project, write_project
from tests.openapi.helpers import BackEnd, add_app_with_secret

SCHEME_URL = re.compile(r"https://testserver/dl/business/\?t=([A-Za-z0-9_-]{32})")
URL_LINK_URL = re.compile(r"https://testserver/ul/([A-Za-z0-9_-]{32})")

ClientFactory = Callable[[], Any]


@pytest.fixture
def store(app: FastAPI) -> BundleStore:
    found: BundleStore = app.state.bundle_store
    return found


@pytest.fixture
def back_end(database: Database, settings: Settings, store: BundleStore, tmp_path: Path) -> BackEnd:
    bundle = store_project(store, write_project(tmp_path / "release"))
    return add_app_with_secret(database, settings, name="Tea", bundle_id=bundle)


def token_of(client: Any, back_end: BackEnd) -> str:
    answer = client.get(
        "/cgi-bin/token",
        params={
            "grant_type": "client_credential",
            "appid": back_end.appid,
            "secret": back_end.secret,
        },
    )
    token: str = answer.json()["access_token"]
    return token


def call(client: Any, api: str, body: dict[str, Any], *, token: str | None) -> dict[str, Any]:
    params = {} if token is None else {"access_token": token}
    answer = client.post(f"/wxa/{api}", params=params, json=body)
    assert answer.status_code == 200
    found: dict[str, Any] = answer.json()
    return found


def url_link(client: Any, token: str, **body: Any) -> str:
    answer = call(client, "generate_urllink", body, token=token)
    assert answer["errcode"] == 0, answer
    return str(answer["url_link"])


def scheme(client: Any, token: str, **body: Any) -> str:
    answer = call(client, "generatescheme", body, token=token)
    assert answer["errcode"] == 0, answer
    return str(answer["openlink"])


def opened(client: Any, link: str, **headers: str) -> Any:
    """GET a link as a browser would, without following the redirect."""
    parts = urlsplit(link)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    return client.get(target, headers=headers, follow_redirects=False)


def host_route(answer: Any) -> tuple[str, dict[str, list[str]]]:
    """The appid and parameters of a redirect to the host's `/#app/<appid>?...` route."""
    assert answer.status_code == 302, answer.text
    location = answer.headers["location"]
    match = re.fullmatch(r"/#app/([^?/#]+)\?(.*)", location)
    assert match, location
    return match.group(1), parse_qs(match.group(2), keep_blank_values=True)


def expect_untraceable(answer: Any) -> None:
    assert answer.headers.get_list("cache-control") == ["no-store"]
    assert answer.headers.get_list("referrer-policy") == ["no-referrer"]


# --- making links -------------------------------------------------------------------------------


def test_generate_urllink_answers_wechats_shape(client: Any, back_end: BackEnd) -> None:
    token = token_of(client, back_end)
    answer = call(
        client,
        "generate_urllink",
        {"path": "pages/about/about", "query": "id=42", "expire_type": 1, "expire_interval": 7},
        token=token,
    )
    assert set(answer) == {"errcode", "errmsg", "url_link"}
    assert (answer["errcode"], answer["errmsg"]) == (0, "ok")
    assert URL_LINK_URL.fullmatch(answer["url_link"])


def test_generatescheme_answers_wechats_shape(client: Any, back_end: BackEnd) -> None:
    token = token_of(client, back_end)
    answer = call(
        client,
        "generatescheme",
        {
            "jump_wxa": {"path": "/pages/about/about", "query": "id=42", "env_version": "release"},
            "is_expire": True,
            "expire_type": 0,
            "expire_time": int((utc_now() + timedelta(days=2)).timestamp()),
        },
        token=token,
    )
    assert set(answer) == {"errcode", "errmsg", "openlink"}
    assert (answer["errcode"], answer["errmsg"]) == (0, "ok")
    assert SCHEME_URL.fullmatch(answer["openlink"])


def test_an_empty_body_links_the_home_page_for_30_days(
    client: Any, back_end: BackEnd, database: Database
) -> None:
    token = token_of(client, back_end)
    before = utc_now()
    for link in (url_link(client, token), scheme(client, token)):
        appid, params = host_route(opened(client, link))
        assert appid == back_end.appid
        assert "path" not in params and "query" not in params
    with database.read() as session:
        lifetimes = [link.expires_at - before for link in session.scalars(select(AppLink))]
    assert [timedelta(days=30) <= life < timedelta(days=30, minutes=1) for life in lifetimes] == [
        True,
        True,
    ]


@pytest.mark.parametrize(
    ("token", "errcode"),
    [(None, 41001), ("not a token", 40014), ("A" * 120, 40001)],
)
def test_calls_without_a_valid_token_get_the_token_errcodes(
    client: Any, back_end: BackEnd, token: str | None, errcode: int
) -> None:
    for api in ("generate_urllink", "generatescheme"):
        answer = call(client, api, {}, token=token)
        assert answer["errcode"] == errcode, (api, answer)
        assert " rid: " in answer["errmsg"]


@pytest.mark.parametrize(
    ("body", "errcode"),
    [
        ({"path": "pages/missing/missing"}, 40165),
        ({"path": "pages/about/about?id=1"}, 40165),
        ({"query": "name=tea leaves"}, 40212),
        ({"query": "x" * 1025}, 40212),
        ({"env_version": "beta"}, 40097),
        ({"expire_type": 1, "expire_interval": 0}, 85401),
        ({"expire_type": 0, "expire_time": 1_000_000_000}, 85401),
        ({"expire_type": 2}, 40097),
        ({"path": 5}, 40097),
        ({"expire_interval": "7"}, 40097),
        ({"is_expire": "yes"}, 40097),
    ],
)
def test_refusals_carry_wechats_errcodes(
    client: Any, back_end: BackEnd, body: dict[str, Any], errcode: int
) -> None:
    token = token_of(client, back_end)
    assert call(client, "generate_urllink", body, token=token)["errcode"] == errcode
    expiry = {key: value for key, value in body.items() if key.startswith(("expire", "is_"))}
    jump = {key: value for key, value in body.items() if key not in expiry}
    assert (
        call(client, "generatescheme", {"jump_wxa": jump, **expiry}, token=token)["errcode"]
        == errcode
    )


def test_a_malformed_body_is_47001(client: Any, back_end: BackEnd) -> None:
    token = token_of(client, back_end)
    for api in ("generate_urllink", "generatescheme"):
        answer = client.post(
            f"/wxa/{api}",
            params={"access_token": token},
            content=b"{not json",
            headers={"content-type": "application/json"},
        )
        assert answer.json()["errcode"] == 47001


def test_an_app_with_nothing_released_gets_85079(
    client: Any, database: Database, settings: Settings
) -> None:
    back_end = add_app_with_secret(database, settings, name="Unreleased")
    token = token_of(client, back_end)
    assert call(client, "generate_urllink", {}, token=token)["errcode"] == 85079
    assert call(client, "generatescheme", {"jump_wxa": {}}, token=token)["errcode"] == 85079


def test_null_fields_read_as_not_sent(client: Any, back_end: BackEnd) -> None:
    token = token_of(client, back_end)
    link = scheme(
        client,
        token,
        jump_wxa={"path": None, "query": None, "env_version": None},
        is_expire=None,
        expire_time=None,
        cloud_base=None,
    )
    assert host_route(opened(client, link))[0] == back_end.appid


# --- opening links ------------------------------------------------------------------------------


def test_a_url_link_redirects_to_its_page_and_query_with_scene_1194(
    client: Any, back_end: BackEnd
) -> None:
    token = token_of(client, back_end)
    link = url_link(client, token, path="pages/about/about", query="id=42&name=a%20b&x=1+2")
    answer = opened(client, link)
    appid, params = host_route(answer)
    assert appid == back_end.appid
    assert params == {
        "path": ["pages/about/about"],
        "query": ["id=42&name=a%20b&x=1+2"],  # the query string, for the host to parse
        "scene": ["1194"],
    }
    expect_untraceable(answer)


def test_a_scheme_redirects_with_scene_1065(client: Any, back_end: BackEnd) -> None:
    token = token_of(client, back_end)
    link = scheme(client, token, jump_wxa={"path": "pages/cart/cart", "query": "from=sms"})
    answer = opened(client, link)
    appid, params = host_route(answer)
    assert appid == back_end.appid
    assert params == {"path": ["pages/cart/cart"], "query": ["from=sms"], "scene": ["1065"]}
    expect_untraceable(answer)


def test_the_redirect_stays_on_our_origin(client: Any, back_end: BackEnd) -> None:
    token = token_of(client, back_end)
    link = url_link(client, token, query="next=//evil.example/&u=https://evil.example")
    location = opened(client, link).headers["location"]
    assert location.startswith("/#app/")
    assert urlsplit(location).netloc == ""
    for ticket in ("//evil.example", "https:%2F%2Fevil.example", "..%2F..%2Fevil"):
        answer = client.get(f"/ul/{ticket}", follow_redirects=False)
        assert answer.status_code == 404 and "location" not in answer.headers
        answer = client.get("/dl/business/", params={"t": ticket}, follow_redirects=False)
        assert answer.status_code == 404 and "location" not in answer.headers


def expire(database: Database) -> None:
    with database.transaction() as session:
        session.execute(update(AppLink).values(expires_at=utc_now() - timedelta(seconds=1)))


def test_an_expired_link_answers_410_with_a_page_in_the_users_language(
    client: Any, back_end: BackEnd, database: Database
) -> None:
    token = token_of(client, back_end)
    links = [url_link(client, token), scheme(client, token)]
    expire(database)
    for link in links:
        answer = opened(client, link, **{"accept-language": "en-GB,en;q=0.9"})
        assert answer.status_code == 410
        assert answer.headers["content-type"].startswith("text/html")
        assert "This link has expired." in answer.text
        assert 'href="/"' in answer.text and "Open Miniapp" in answer.text
        assert "location" not in answer.headers
        expect_untraceable(answer)
        assert "default-src 'none'" in answer.headers["content-security-policy"]

        chinese = opened(client, link, **{"accept-language": "fr;q=0.9, zh-CN;q=0.8, en;q=0.5"})
        assert chinese.status_code == 410
        assert "此链接已过期" in chinese.text and 'lang="zh-CN"' in chinese.text


def test_an_unknown_link_answers_404_with_a_page(client: Any, back_end: BackEnd) -> None:
    token = token_of(client, back_end)
    link = url_link(client, token)
    ticket = URL_LINK_URL.fullmatch(link).group(1)  # type: ignore[union-attr]
    for answer in (
        client.get(f"/ul/{ticket[::-1]}", follow_redirects=False),
        client.get("/dl/business/", params={"t": ticket}, follow_redirects=False),  # other kind
        client.get("/dl/business/", follow_redirects=False),
    ):
        assert answer.status_code == 404
        assert "This link does not lead to a mini program." in answer.text
        expect_untraceable(answer)
    chinese = client.get(
        f"/ul/{ticket[::-1]}", headers={"accept-language": "zh"}, follow_redirects=False
    )
    assert "此链接没有指向任何小程序" in chinese.text


# --- trial links ---------------------------------------------------------------------------------


def test_a_trial_link_opens_the_trial_build_for_members_only(
    *,
    client: Any,
    make_client: ClientFactory,
    back_end: BackEnd,
    database: Database,
    store: BundleStore,
    tmp_path: Path,
) -> None:
    trial_bundle = store_project(
        store, write_project(tmp_path / "trial", pages=[*PAGES, "pages/new/new"])
    )
    tester = make_client()
    signup = tester.post(
        "/api/accounts/signup",
        json={"login": "tester@example.com", "password": "correct-horse-42", "display_name": "T"},
    )
    assert signup.status_code == 201, signup.text
    with database.transaction() as session:
        tester_id = session.scalars(select(User.id).where(User.email == "tester@example.com")).one()
        app = session.scalars(select(App).where(App.appid == back_end.appid)).one()
        organisation = Organisation(name="Tea Ltd", created_by_id=tester_id)
        session.add(organisation)
        session.flush()
        app.organisation_id = organisation.id
        session.add(
            Membership(organisation_id=organisation.id, user_id=tester_id, role=OrgRole.TESTER)
        )
        session.add(
            AppVersion(
                app_id=app.id,
                version="1.1.0",
                bundle_id=trial_bundle,
                source_key="00/" + "0" * 32,
                size_bytes=1,
                is_trial=True,
            )
        )
    token = token_of(client, back_end)
    refused = call(
        client, "generate_urllink", {"path": "pages/new/new", "env_version": "release"}, token=token
    )
    assert refused["errcode"] == 40165  # the released version has no such page
    link = url_link(client, token, path="pages/new/new", query="id=1", env_version="trial")

    appid, params = host_route(opened(client, link))
    assert params["build"] == ["trial"] and params["scene"] == ["1194"]
    launch = f"/api/runtime/apps/{appid}/launch"
    stranger = make_client()
    assert stranger.get(launch, params={"build": "trial"}).status_code == 404
    member = tester.get(launch, params={"build": "trial"})
    assert member.status_code == 200, member.text
    assert (member.json()["bundle"], member.json()["envVersion"]) == (trial_bundle, "trial")
