"""The app profile through HTTP (docs/release-journey.md §2), on SQLite and PostgreSQL.

Admins register apps and change their profile; every other member reads; outsiders learn nothing.
The AppSecret is shown once and stored hashed; logos are served publicly from /media/ only.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from miniapp.accounts.models import AuditEvent, PrivateDocument
from miniapp.apps.models import App
from miniapp.apps.profile import verify_app_secret
from miniapp.db.session import Database
from miniapp.settings import Settings

PASSWORD = "correct-horse-42"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MEMBER_ROLES = ["developer", "operator", "analyst", "tester"]


def account(make_client: Any, login: str, name: str, *, developer: bool = False) -> Any:
    browser = make_client()
    response = browser.post(
        "/api/accounts/signup", json={"login": login, "password": PASSWORD, "display_name": name}
    )
    assert response.status_code == 201, response.text
    if developer:
        assert browser.post("/api/console/developer").status_code == 200
    return browser


def png(width: int = 300, height: int = 200, colour: str = "green") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format="PNG")
    return out.getvalue()


def jpeg(width: int = 300, height: int = 200) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(out, format="JPEG")
    return out.getvalue()


def error(response: Any) -> tuple[int, str, str | None]:
    body = response.json()["error"]
    return response.status_code, body["code"], body["field"]


class Team(dict[str, Any]):
    """An organisation ("org") with its admin; members of the other roles ("developer", ...)
    and an "outsider" are signed up when a test first asks for them (sign-ups are slow: argon2)."""

    def __init__(self, make_client: Any) -> None:
        super().__init__()
        self.make_client = make_client
        admin = account(make_client, "ada@example.com", "Ada", developer=True)
        created = admin.post("/api/console/organisations", json={"name": "Acme Tea"})
        assert created.status_code == 201, created.text
        self["admin"], self["org"] = admin, created.json()["organisation"]["id"]

    def __missing__(self, who: str) -> Any:
        if who == "outsider":
            self[who] = account(self.make_client, "out@example.com", "Out", developer=True)
            return self[who]
        assert who in MEMBER_ROLES, who
        member = account(self.make_client, f"{who}@example.com", who.title())
        invited = self["admin"].post(
            f"/api/console/organisations/{self['org']}/members",
            json={"login": f"{who}@example.com", "role": who},
        )
        assert invited.status_code == 201, invited.text
        assert member.post(f"/api/console/invitations/{self['org']}/accept").status_code == 200
        self[who] = member
        return member


@pytest.fixture
def team(make_client: Any) -> Team:
    return Team(make_client)


def create(admin: Any, org: str, **body: Any) -> Any:
    return admin.post(f"/api/console/organisations/{org}/apps", json={"name": "Tea", **body})


@pytest.fixture
def app_created(team: dict[str, Any]) -> dict[str, Any]:
    response = create(team["admin"], team["org"], description="Tea, delivered.", category="food")
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def url(appid: str, tail: str = "") -> str:
    return f"/api/console/apps/{appid}{tail}"


def state(database: Database) -> dict[str, Any]:
    """What a refused request must leave as it was."""
    with database.read() as session:
        apps = session.scalars(select(App).order_by(App.id)).all()
        return {
            "apps": [
                {c.key: getattr(a, c.key) for c in App.__table__.columns if c.key != "updated_at"}
                for a in apps
            ],
            "audit": session.scalar(select(func.count()).select_from(AuditEvent)),
            "documents": session.scalar(select(func.count()).select_from(PrivateDocument)),
        }


def app_events(team: dict[str, Any]) -> list[dict[str, Any]]:
    """The audit log's entries about apps, oldest first (members joining are left out)."""
    events = team["admin"].get(f"/api/console/organisations/{team['org']}/audit").json()["events"]
    return [event for event in reversed(events) if event["action"].startswith("app.")]


def actions(team: dict[str, Any]) -> list[str]:
    return [event["action"] for event in app_events(team)]


# --- categories ---------------------------------------------------------------------------------


def test_categories_list_their_permits(team: dict[str, Any], client: Any) -> None:
    response = team["tester"].get("/api/console/categories")
    assert response.status_code == 200
    categories = {c["id"]: c for c in response.json()["categories"]}
    assert categories["health"] == {
        "id": "health",
        "name": "Health & medical",
        "permits": ["medical_licence"],
    }
    assert categories["tools"]["permits"] == []
    assert client.get("/api/console/categories").status_code == 401


# --- create and read ----------------------------------------------------------------------------


def test_create_shows_the_secret_once_and_stores_only_its_hash(
    team: dict[str, Any], app_created: dict[str, Any], database: Database, settings: Settings
) -> None:
    app, secret = app_created["app"], app_created["secret"]
    assert re.fullmatch(r"wx[0-9a-f]{16}", app["appid"])
    assert re.fullmatch(r"[0-9a-f]{32}", secret)
    assert app == {
        "appid": app["appid"],
        "name": "Tea",
        "description": "Tea, delivered.",
        "category": "food",
        "logo_url": None,
        "request_domains": [],
        "socket_domains": [],
        "upload_domains": [],
        "download_domains": [],
        "webview_domains": [],
        "permits": [],
        "permits_missing": [],
        "organisation": {"id": team["org"], "name": "Acme Tea"},
        "release": {"version": None, "grey_version": None, "grey_percent": 0},
        "secret_set": True,
        "secret_reset_at": None,
    }
    for who in ("admin", *MEMBER_ROLES):
        shown = team[who].get(url(app["appid"]))
        assert shown.status_code == 200
        assert shown.json() == {"app": app}
        assert secret not in shown.text
        listed = team[who].get(f"/api/console/organisations/{team['org']}/apps")
        assert listed.json() == {"apps": [app]}
        assert secret not in listed.text
    with database.read() as session:
        row = session.scalars(select(App)).one()
        assert secret not in repr([getattr(row, c.key) for c in App.__table__.columns])
        assert verify_app_secret(row, secret, server_key=settings.server_key)
    [created] = app_events(team)
    assert (created["action"], created["detail"]) == (
        "app.created",
        {"appid": app["appid"], "name": "Tea"},
    )
    assert created["actor"]["display_name"] == "Ada"


@pytest.mark.parametrize("name", ["tea", "TEA", "Ｔｅａ", " tea "])
def test_a_clashing_name_is_refused_and_nothing_changes(
    team: dict[str, Any], app_created: dict[str, Any], database: Database, name: str
) -> None:
    before = state(database)
    response = create(team["admin"], team["org"], name=name)
    assert error(response) == (409, "app_name_taken", "name")
    assert "already taken" in response.json()["error"]["message"]
    assert state(database) == before


def test_renaming_onto_another_apps_name_is_refused(
    team: dict[str, Any], app_created: dict[str, Any], database: Database
) -> None:
    other = create(team["admin"], team["org"], name="Coffee").json()["app"]["appid"]
    before = state(database)
    response = team["admin"].patch(url(other), json={"name": "ＴＥＡ", "description": "new"})
    assert error(response) == (409, "app_name_taken", "name")
    assert state(database) == before


def test_create_refuses_an_unknown_category(team: dict[str, Any], database: Database) -> None:
    before = state(database)
    assert error(create(team["admin"], team["org"], category="casino")) == (
        422,
        "category_invalid",
        "category",
    )
    assert state(database) == before


# --- update -------------------------------------------------------------------------------------


def test_admin_updates_the_profile(team: dict[str, Any], app_created: dict[str, Any]) -> None:
    appid = app_created["app"]["appid"]
    response = team["admin"].patch(
        url(appid),
        json={
            "name": "Tea Time",
            "category": "health",
            "request_domains": ["https://api.example.com/", "cdn.example.com"],
            "socket_domains": ["wss://live.example.com"],
            "upload_domains": ["up.example.com"],
            "download_domains": ["down.example.com"],
            "webview_domains": ["www.example.com"],
        },
    )
    assert response.status_code == 200, response.text
    app = response.json()["app"]
    assert (app["name"], app["description"], app["category"]) == (
        "Tea Time",
        "Tea, delivered.",
        "health",
    )
    assert app["request_domains"] == ["api.example.com", "cdn.example.com"]
    assert app["socket_domains"] == ["live.example.com"]
    assert app["webview_domains"] == ["www.example.com"]
    assert app["permits_missing"] == ["medical_licence"]
    assert team["analyst"].get(url(appid)).json() == {"app": app}
    assert actions(team) == ["app.created", "app.updated"]
    assert app_events(team)[-1]["detail"]["appid"] == appid
    assert app_events(team)[-1]["detail"]["fields"] == [
        "name",
        "category",
        "request_domains",
        "socket_domains",
        "upload_domains",
        "download_domains",
        "webview_domains",
    ]


@pytest.mark.parametrize(
    ("body", "code", "field"),
    [
        ({"request_domains": ["http://api.example.com"]}, "domain_not_https", "request_domains"),
        ({"socket_domains": ["ws://live.example.com"]}, "domain_not_https", "socket_domains"),
        ({"request_domains": ["https://203.0.113.7"]}, "request_domain_invalid", "request_domains"),
        ({"request_domains": ["localhost:8080"]}, "request_domain_invalid", "request_domains"),
        ({"webview_domains": ["[::1]"]}, "server_domain_invalid", "webview_domains"),
        ({"description": "x" * 501}, "app_description_invalid", "description"),
        ({"category": "casino"}, "category_invalid", "category"),
        ({"name": ""}, "app_name_invalid", "name"),
        ({"request_domains": "api.example.com"}, "invalid_input", "request_domains"),
    ],
)
def test_bad_input_is_refused_with_the_field_named_and_nothing_changes(
    *,
    team: dict[str, Any],
    app_created: dict[str, Any],
    database: Database,
    body: dict[str, Any],
    code: str,
    field: str,
) -> None:
    appid = app_created["app"]["appid"]
    before = state(database)
    response = team["admin"].patch(url(appid), json={"name": "Changed", **body})
    assert error(response) == (422, code, field)
    assert state(database) == before


def test_a_non_https_domain_message_says_what_to_do(
    team: dict[str, Any], app_created: dict[str, Any]
) -> None:
    response = team["admin"].patch(
        url(app_created["app"]["appid"]), json={"request_domains": ["http://api.example.com"]}
    )
    assert response.json()["error"]["message"] == (
        "http://api.example.com must use https: plain http and ws are not allowed for server "
        "domains."
    )


# --- logo and /media ----------------------------------------------------------------------------


def put_logo(browser: Any, appid: str, data: bytes, name: str = "logo.png") -> Any:
    return browser.put(url(appid, "/logo"), files={"logo": (name, data, "image/png")})


def test_logo_is_resized_stored_and_served_publicly(
    team: dict[str, Any], app_created: dict[str, Any], client: Any
) -> None:
    appid = app_created["app"]["appid"]
    response = put_logo(team["admin"], appid, jpeg(), "photo.jpg")
    assert response.status_code == 200, response.text
    logo_url = response.json()["app"]["logo_url"]
    assert re.fullmatch(r"/media/[0-9a-f]{20}\.png", logo_url)
    served = client.get(logo_url)  # public: nobody signed in
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/png"
    assert served.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert served.headers["cross-origin-resource-policy"] == "cross-origin"
    image = Image.open(io.BytesIO(served.content))
    assert (image.format, image.size) == ("PNG", (144, 144))
    cached = client.get(logo_url, headers={"If-None-Match": served.headers["etag"]})
    assert cached.status_code == 304
    assert client.head(logo_url).status_code == 200
    assert actions(team)[-1] == "app.logo_changed"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"just some text, not a picture\n", "logo_invalid"),
        (png(100, 100), "logo_too_small"),
        (png(300, 300) + b"\0" * (2 * 1024 * 1024 + 100_000), "logo_too_large"),
    ],
    ids=["text-named-png", "100x100", "over-2-MB"],
)
def test_a_bad_logo_is_refused_and_the_old_one_kept(
    *,
    team: dict[str, Any],
    app_created: dict[str, Any],
    database: Database,
    settings: Settings,
    data: bytes,
    code: str,
) -> None:
    appid = app_created["app"]["appid"]
    old = put_logo(team["admin"], appid, png()).json()["app"]["logo_url"]
    before = state(database)
    assert error(put_logo(team["admin"], appid, data)) == (422, code, "logo")
    assert state(database) == before
    assert team["admin"].get(url(appid)).json()["app"]["logo_url"] == old
    assert [p.name for p in (settings.data_dir / "media").iterdir()] == [old.rpartition("/")[2]]


@pytest.mark.parametrize(
    "path",
    [
        "/media/" + "0" * 20 + ".png",  # a fine name nobody stored
        "/media/" + "0" * 20 + ".svg",
        "/media/secret_key",
        "/media/..%2Fsecret_key",
        "/media/%2E%2E/private",
        "/media/",
    ],
)
def test_media_serves_nothing_but_stored_logos(client: Any, data_dir: Path, path: str) -> None:
    (data_dir / "media").mkdir()
    (data_dir / "media" / ("0" * 20 + ".svg")).write_text("<svg>DECOY</svg>")
    (data_dir / "secret_key").write_text("DECOY")
    (data_dir / "private").mkdir()
    response = client.get(path)
    assert response.status_code == 404
    assert b"DECOY" not in response.content


# --- permits ------------------------------------------------------------------------------------


def post_permit(browser: Any, appid: str, permit: str, data: bytes = PDF) -> Any:
    return browser.post(
        url(appid, "/permits"),
        data={"permit": permit},
        files={"file": ("licence.pdf", data, "application/pdf")},
    )


def test_permits_are_missing_until_uploaded(
    team: dict[str, Any], app_created: dict[str, Any], database: Database, settings: Settings
) -> None:
    appid = app_created["app"]["appid"]
    team["admin"].patch(url(appid), json={"category": "health"})
    assert team["tester"].get(url(appid)).json()["app"]["permits_missing"] == ["medical_licence"]

    before = state(database)
    refused = post_permit(team["admin"], appid, "game_licence")
    assert error(refused) == (422, "permit_not_required", "permit")
    assert error(post_permit(team["admin"], appid, "medical_licence", b"MZ\x90\0")) == (
        422,
        "document_invalid",
        "file",
    )
    assert state(database) == before
    assert not (settings.data_dir / "private").exists() or not [
        p for p in (settings.data_dir / "private").rglob("*") if p.is_file()
    ]

    response = post_permit(team["admin"], appid, "medical_licence")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["permits_missing"] == []
    [permit] = body["permits"]
    assert (permit["permit"], permit["file_name"]) == ("medical_licence", "licence.pdf")
    app = team["tester"].get(url(appid)).json()["app"]
    assert (app["permits"], app["permits_missing"]) == (body["permits"], [])
    assert actions(team)[-1] == "app.permit_added"


# --- the AppSecret ------------------------------------------------------------------------------


def test_reset_secret_voids_the_old_one(
    team: dict[str, Any], app_created: dict[str, Any], database: Database, settings: Settings
) -> None:
    appid, old = app_created["app"]["appid"], app_created["secret"]
    response = team["admin"].post(url(appid, "/secret"))
    assert response.status_code == 200, response.text
    new = response.json()["secret"]
    assert re.fullmatch(r"[0-9a-f]{32}", new) and new != old
    with database.read() as session:
        row = session.scalars(select(App)).one()
        assert verify_app_secret(row, new, server_key=settings.server_key)
        assert not verify_app_secret(row, old, server_key=settings.server_key)
    shown = team["admin"].get(url(appid))
    assert shown.json()["app"]["secret_reset_at"] is not None
    assert new not in shown.text
    audit = team["admin"].get(f"/api/console/organisations/{team['org']}/audit")
    assert audit.json()["events"][0]["action"] == "app.secret_reset"
    assert new not in audit.text and old not in audit.text


# --- who may do what ----------------------------------------------------------------------------


def _changes(appid: str, org: str) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        ("POST", f"/api/console/organisations/{org}/apps", {"json": {"name": "Mine"}}),
        ("PATCH", url(appid), {"json": {"description": "mine now"}}),
        ("PUT", url(appid, "/logo"), {"files": {"logo": ("l.png", png(), "image/png")}}),
        (
            "POST",
            url(appid, "/permits"),
            {"data": {"permit": "game_licence"}, "files": {"file": ("p.pdf", PDF)}},
        ),
        ("POST", url(appid, "/secret"), {}),
    ]


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_members_other_than_admins_cannot_change_anything(
    team: dict[str, Any], app_created: dict[str, Any], database: Database, role: str
) -> None:
    appid = app_created["app"]["appid"]
    team["admin"].patch(url(appid), json={"category": "games"})
    member = team[role]
    before = state(database)
    for method, path, kwargs in _changes(appid, team["org"]):
        response = member.request(method, path, **kwargs)
        assert error(response) == (403, "role_required", None), (method, path)
        assert response.json()["error"]["params"] == {"role": "admin"}
    assert state(database) == before
    assert member.get(url(appid)).status_code == 200


def test_outsiders_and_strangers_learn_nothing(
    team: dict[str, Any], app_created: dict[str, Any], database: Database, client: Any
) -> None:
    appid = app_created["app"]["appid"]
    outsider = team["outsider"]
    before = state(database)
    for method, path, kwargs in _changes(appid, team["org"]):
        assert error(outsider.request(method, path, **kwargs)) == (404, "not_found", None)
    assert error(outsider.get(url(appid))) == (404, "not_found", None)
    assert error(outsider.get(f"/api/console/organisations/{team['org']}/apps")) == (
        404,
        "not_found",
        None,
    )
    for unknown in ("wx" + "0" * 16, "../../etc", "x" * 40):
        assert team["admin"].get(url(unknown)).status_code == 404
    for method, path, kwargs in _changes(appid, team["org"]):
        assert client.request(method, path, **kwargs).status_code in (401, 403)
    assert client.get(url(appid)).status_code == 401
    assert state(database) == before
