"""Registering mini programs, releasing a stored bundle, and finding what users may launch.

An app is launchable once a bundle is released for it; until then it is as unknown to users as
an appid nobody registered (the same `app_not_found`), so the registry reveals nothing.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from miniapp.accounts.credentials import is_plain_text
from miniapp.accounts.models import Organisation
from miniapp.apps.bundles import BUNDLE_ID
from miniapp.apps.models import APP_NAME_LENGTH, App
from miniapp.apps.names import app_name_key
from miniapp.discovery.search_index import do_index_app_name
from miniapp.errors import Conflict, InvalidInput, UserError

# WeChat's appids: "wx" and 16 lower-case hex digits. Appids are generated in that form.
APPID = re.compile(r"wx[0-9a-f]{16}")
# What a launch may look up: anything longer or stranger is unknown without asking the database.
APPID_LOOKUP = re.compile(r"[A-Za-z0-9_-]{1,32}")
MAX_REQUEST_DOMAINS = 200  # WeChat's limit per kind of server domain
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_TOP_LABEL = r"[a-z][a-z0-9-]{0,61}[a-z0-9]"  # never all digits: no IP addresses
HOST_NAME = re.compile(rf"(?=[^:]{{1,253}}(?::|$))(?:{_LABEL}\.)+{_TOP_LABEL}(?::[0-9]{{1,5}})?")


def new_appid() -> str:
    return "wx" + secrets.token_hex(8)


def check_app_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not 1 <= len(name) <= APP_NAME_LENGTH or not is_plain_text(name):
        raise InvalidInput("app_name_invalid", field="name")
    return name


def check_app_name_free(session: Session, *, name: str, except_app_id: int | None = None) -> str:
    """The name's key, if no other app has a name that folds to it; else `app_name_taken`."""
    key = app_name_key(name)
    query = select(App.id).where(App.name_key == key)
    if except_app_id is not None:
        query = query.where(App.id != except_app_id)
    if session.scalars(query).first() is not None:
        raise Conflict("app_name_taken", field="name", name=name)
    return key


def check_appid(appid: str) -> str:
    if APPID.fullmatch(appid) is None:
        raise InvalidInput("appid_invalid", field="appid")
    return appid


# Each kind of server domain: the scheme WeChat's console shows before it (accepted and dropped).
DOMAIN_KINDS = {
    "request": "https://",
    "socket": "wss://",
    "upload": "https://",
    "download": "https://",
    "webview": "https://",
}


def check_domain(raw: str, *, kind: str = "request") -> str:
    """A server domain as stored: a lower-case host name, with a port if one was given.

    `https://api.example.com/` (`wss://…` for socket domains) is accepted and stored as
    `api.example.com`. As in WeChat, IP addresses and localhost are refused (the name needs a
    dot and a top-level label that is not a number).
    """
    domain = raw.strip().lower().removeprefix(DOMAIN_KINDS[kind]).rstrip("/")
    port = domain.rpartition(":")[2] if ":" in domain else None
    if HOST_NAME.fullmatch(domain) is None or (port is not None and not 0 < int(port) < 65536):
        if kind == "request":
            raise InvalidInput("request_domain_invalid", field="request_domains", domain=raw)
        raise InvalidInput("server_domain_invalid", field=f"{kind}_domains", domain=raw, kind=kind)
    return domain


def check_request_domain(raw: str) -> str:
    return check_domain(raw, kind="request")


def check_domains(raw: Iterable[str], *, kind: str = "request") -> list[str]:
    """The domains of one kind checked, without duplicates, in the order given."""
    domains = list(dict.fromkeys(check_domain(entry, kind=kind) for entry in raw))
    if len(domains) > MAX_REQUEST_DOMAINS:
        if kind == "request":
            raise InvalidInput(
                "too_many_request_domains",
                field="request_domains",
                max_domains=MAX_REQUEST_DOMAINS,
            )
        raise InvalidInput(
            "too_many_server_domains",
            field=f"{kind}_domains",
            max_domains=MAX_REQUEST_DOMAINS,
            kind=kind,
        )
    return domains


def check_request_domains(raw: Iterable[str]) -> list[str]:
    return check_domains(raw, kind="request")


def check_bundle_id(bundle_id: str) -> str:
    if BUNDLE_ID.fullmatch(bundle_id) is None:
        raise InvalidInput("bundle_invalid", field="bundle_id")
    return bundle_id


def find_app(session: Session, *, appid: str) -> App | None:
    if APPID_LOOKUP.fullmatch(appid) is None:
        return None
    return session.scalars(select(App).where(App.appid == appid)).one_or_none()


def do_register_app(
    session: Session,
    *,
    name: str,
    appid: str | None = None,
    organisation: Organisation | None = None,
    request_domains: Iterable[str] = (),
    socket_domains: Iterable[str] = (),
    upload_domains: Iterable[str] = (),
    download_domains: Iterable[str] = (),
    webview_domains: Iterable[str] = (),
) -> App:
    """Register a mini program (not launchable until a bundle is released).

    Without `appid`, a new WeChat-style one is generated. A taken appid is a Conflict.
    """
    clean_name = check_app_name(name)
    domains = check_request_domains(request_domains)
    other_domains = {
        "socket_domains": check_domains(socket_domains, kind="socket"),
        "upload_domains": check_domains(upload_domains, kind="upload"),
        "download_domains": check_domains(download_domains, kind="download"),
        "webview_domains": check_domains(webview_domains, kind="webview"),
    }
    if appid is None:
        appid = new_appid()
        while find_app(session, appid=appid) is not None:  # 2^64 appids: practically never
            appid = new_appid()
    else:
        check_appid(appid)
        if find_app(session, appid=appid) is not None:
            raise Conflict("appid_taken", field="appid")
    name_key = check_app_name_free(session, name=clean_name)
    app = App(
        appid=appid,
        name=clean_name,
        name_key=name_key,
        organisation=organisation,
        request_domains=domains,
        **other_domains,
        released_bundle=None,
    )
    session.add(app)
    session.flush()
    do_index_app_name(session, app=app)
    return app


def do_release_bundle(session: Session, *, app: App, bundle_id: str) -> App:
    """Release a stored bundle: the next launch of `app` loads it, for everyone.

    The caller stores the bundle first (`bundles.do_store_bundle` returns the id). For demos,
    the development server and tests: it bypasses versions and review, so the bundle has no
    version label, and a grey release in progress ends (everyone gets this bundle).
    """
    app.released_bundle = check_bundle_id(bundle_id)
    app.released_version = None
    app.grey_bundle = None
    app.grey_version = None
    app.grey_percent = 0
    session.flush()
    return app


def access_launchable_app(session: Session, *, appid: str) -> App:
    """The app users launch under `appid`; `app_not_found` (404) unless it has a release."""
    app = find_app(session, appid=appid)
    if app is None or app.released_bundle is None:
        raise UserError("app_not_found", status_code=404)
    return app


def list_launchable_apps(session: Session) -> Sequence[App]:
    """Every app with a release, by name then appid."""
    return session.scalars(
        select(App).where(App.released_bundle.is_not(None)).order_by(App.name, App.appid)
    ).all()
