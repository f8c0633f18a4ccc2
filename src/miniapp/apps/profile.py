"""An app's profile: name, description, category, logo, permits, server domains, AppSecret.

Only the organisation's admins change a profile (`Permission.APP_MANAGE`); any member reads it.
Each change locks the organisation's row, then the app's (apps/access.py), and writes one audit
entry on the organisation in the same transaction, with the appid in its detail.

The AppSecret is WeChat's: 32 hex digits the merchant's back end presents with its appid. It is
shown once, when made; only an HMAC of it with the server key is stored (accounts/tokens.py), so
a copy of the database does not let anyone call the open API as the app.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from miniapp.accounts.credentials import is_plain_text
from miniapp.accounts.lock_objects import lock_organisation
from miniapp.accounts.models import Organisation, PrivateDocument
from miniapp.accounts.organisations import access_organisation, do_record_audit
from miniapp.accounts.principal import UserRef
from miniapp.accounts.private_documents import (
    PrivateStore,
    check_document,
    do_store_private_document,
)
from miniapp.accounts.roles import Permission
from miniapp.accounts.tokens import token_hash, tokens_equal
from miniapp.apps.access import AppAccess, access_app
from miniapp.apps.categories import (
    check_category,
    check_permit,
    permits_missing_from,
    required_permits,
)
from miniapp.apps.logos import MediaStore, do_store_logo
from miniapp.apps.models import App
from miniapp.apps.registry import (
    DOMAIN_KINDS,
    check_app_name,
    check_app_name_free,
    check_domains,
    do_register_app,
)
from miniapp.clock import utc_now
from miniapp.discovery.search_index import do_index_app_name
from miniapp.errors import Conflict, InvalidInput

DESCRIPTION_LENGTH = 500
APP_SECRET_BYTES = 16  # 32 hex digits, as WeChat's AppSecret
PERMIT_KIND_PREFIX = "permit:"  # PrivateDocument.kind of a permit: "permit:<permit id>"
# Schemes a server domain may not be given with: the platform only talks https and wss.
INSECURE_SCHEMES = ("http://", "ws://")
DOMAIN_FIELDS = tuple(f"{kind}_domains" for kind in DOMAIN_KINDS)


@dataclass(frozen=True, kw_only=True)
class UploadedPermit:
    permit: str
    file_name: str
    uploaded_at: datetime


@dataclass(frozen=True, kw_only=True)
class AppProfile:
    """An app as its members see it in the console."""

    app: App
    organisation: Organisation
    permits: tuple[UploadedPermit, ...]

    @property
    def permits_missing(self) -> list[str]:
        return permits_missing_from(self.app.category, (p.permit for p in self.permits))


@dataclass(frozen=True, kw_only=True)
class CreatedApp:
    profile: AppProfile
    secret: str  # shown once: only its HMAC is stored


@dataclass(frozen=True, kw_only=True)
class ProfileChanges:
    """What a profile update sets; None leaves a field as it is."""

    name: str | None = None
    description: str | None = None
    category: str | None = None
    request_domains: Sequence[str] | None = None
    socket_domains: Sequence[str] | None = None
    upload_domains: Sequence[str] | None = None
    download_domains: Sequence[str] | None = None
    webview_domains: Sequence[str] | None = None

    def domains(self, kind: str) -> Sequence[str] | None:
        value: Sequence[str] | None = getattr(self, f"{kind}_domains")
        return value


# --- the AppSecret ------------------------------------------------------------------------------


def new_app_secret() -> str:
    return secrets.token_hex(APP_SECRET_BYTES)


def app_secret_hash(server_key: bytes, secret: str) -> str:
    return token_hash(server_key, "appsecret:" + secret)


def verify_app_secret(app: App, secret: str, *, server_key: bytes) -> bool:
    """True if `secret` is the app's current AppSecret (compared in constant time)."""
    return secret_matches(app.secret_hash, secret, server_key=server_key)


def secret_matches(secret_hash: str | None, secret: str, *, server_key: bytes) -> bool:
    """True if `secret` is the AppSecret whose stored hash is `secret_hash` (None: the app has
    no AppSecret yet), compared in constant time."""
    if secret_hash is None:
        return False
    return tokens_equal(app_secret_hash(server_key, secret), secret_hash)


# --- checks -------------------------------------------------------------------------------------


def check_description(raw: str) -> str:
    """A description of at most 500 characters of plain text; line breaks are kept."""
    text = "\n".join(line.rstrip() for line in raw.replace("\r\n", "\n").split("\n")).strip()
    if len(text) > DESCRIPTION_LENGTH or not is_plain_text(text.replace("\n", "")):
        raise InvalidInput(
            "app_description_invalid", field="description", max_length=DESCRIPTION_LENGTH
        )
    return text


def check_server_domains(raw: Iterable[str], *, kind: str) -> list[str]:
    """The domains of one kind as stored (registry.check_domains), refusing an explicit
    `http://` or `ws://` with `domain_not_https` rather than a generic "invalid" (the fix is
    to ask for TLS, not to retype the name)."""
    entries = list(raw)
    for entry in entries:
        if entry.strip().lower().startswith(INSECURE_SCHEMES):
            raise InvalidInput(
                "domain_not_https",
                field=f"{kind}_domains",
                domain=entry[:300],
                scheme=DOMAIN_KINDS[kind].removesuffix("://"),
            )
    return check_domains(entries, kind=kind)


def _flush_name(session: Session, *, name: str) -> None:
    """Flush, turning a lost race for the name's unique key into the same 409 as the check."""
    try:
        session.flush()
    except IntegrityError:
        raise Conflict("app_name_taken", field="name", name=name) from None


# --- reading ------------------------------------------------------------------------------------


def _latest_permits(documents: Iterable[PrivateDocument]) -> tuple[UploadedPermit, ...]:
    """One entry per permit, the latest upload of each, in the order of first upload."""
    latest: dict[str, UploadedPermit] = {}
    for document in documents:
        permit = document.kind.removeprefix(PERMIT_KIND_PREFIX)
        latest[permit] = UploadedPermit(
            permit=permit, file_name=document.file_name, uploaded_at=document.created_at
        )
    return tuple(latest.values())


def _permit_documents(session: Session, app_ids: Sequence[int]) -> list[PrivateDocument]:
    if not app_ids:
        return []
    return list(
        session.scalars(
            select(PrivateDocument)
            .where(
                PrivateDocument.app_id.in_(app_ids),
                PrivateDocument.kind.startswith(PERMIT_KIND_PREFIX, autoescape=True),
            )
            .order_by(PrivateDocument.created_at, PrivateDocument.id)
        )
    )


def uploaded_permits(session: Session, *, app: App) -> tuple[UploadedPermit, ...]:
    return _latest_permits(_permit_documents(session, [app.id]))


def permits_missing(session: Session, *, app: App) -> list[str]:
    """The permits the app's category requires that have not been uploaded."""
    return permits_missing_from(
        app.category, (p.permit for p in uploaded_permits(session, app=app))
    )


def _profile(session: Session, access: AppAccess) -> AppProfile:
    return AppProfile(
        app=access.app,
        organisation=access.organisation,
        permits=uploaded_permits(session, app=access.app),
    )


def access_app_profile(session: Session, *, user: UserRef, appid: str) -> AppProfile:
    """The profile of `appid` for any member of its organisation (others: 404)."""
    return _profile(session, access_app(session, user=user, appid=appid))


def list_organisation_apps(
    session: Session, *, user: UserRef, organisation_id: uuid.UUID | str
) -> list[AppProfile]:
    """The organisation's apps by name, for any of its members (others: 404)."""
    access = access_organisation(
        session, user=user, organisation_id=organisation_id, permission=Permission.APPS_READ
    )
    apps = list(
        session.scalars(
            select(App)
            .where(App.organisation_id == access.organisation.id)
            .order_by(App.name_key, App.appid)
        )
    )
    documents = _permit_documents(session, [app.id for app in apps])
    return [
        AppProfile(
            app=app,
            organisation=access.organisation,
            permits=_latest_permits(d for d in documents if d.app_id == app.id),
        )
        for app in apps
    ]


# --- changes ------------------------------------------------------------------------------------


def do_create_app(
    session: Session,
    *,
    user: UserRef,
    organisation_id: uuid.UUID | str,
    name: str,
    description: str = "",
    category: str | None = None,
    server_key: bytes,
) -> CreatedApp:
    """Register an app for the organisation (admins only) with a new AppSecret.

    The name must be free across the platform (`app_name_taken`, 409).
    """
    access = access_organisation(
        session, user=user, organisation_id=organisation_id, permission=Permission.APP_MANAGE
    )
    clean_name = check_app_name(name)
    clean_description = check_description(description)
    category_id = check_category(category).id if category else None
    organisation = lock_organisation(session, organisation_id=access.organisation.id)
    secret = new_app_secret()
    try:
        app = do_register_app(session, name=clean_name, organisation=organisation)
    except IntegrityError:
        raise Conflict("app_name_taken", field="name", name=clean_name) from None
    app.description = clean_description
    app.category = category_id
    app.secret_hash = app_secret_hash(server_key, secret)
    do_record_audit(
        session,
        organisation=organisation,
        actor=user,
        action="app.created",
        appid=app.appid,
        name=app.name,
    )
    session.flush()
    profile = AppProfile(app=app, organisation=organisation, permits=())
    return CreatedApp(profile=profile, secret=secret)


def _manage(session: Session, *, user: UserRef, appid: str) -> AppAccess:
    return access_app(
        session, user=user, appid=appid, permission=Permission.APP_MANAGE, for_update=True
    )


def do_update_profile(
    session: Session, *, user: UserRef, appid: str, changes: ProfileChanges
) -> AppProfile:
    """Change what `changes` names (admins only); one `app.updated` entry lists what changed.

    Everything is checked before anything is set: a refused update changes nothing.
    """
    access = _manage(session, user=user, appid=appid)
    app = access.app
    updates: dict[str, object] = {}
    if changes.name is not None:
        name = check_app_name(changes.name)
        if name != app.name:
            updates["name_key"] = check_app_name_free(session, name=name, except_app_id=app.id)
            updates["name"] = name
    if changes.description is not None:
        description = check_description(changes.description)
        if description != app.description:
            updates["description"] = description
    if changes.category is not None:
        category = check_category(changes.category).id
        if category != app.category:
            updates["category"] = category
    for kind in DOMAIN_KINDS:
        raw = changes.domains(kind)
        if raw is not None:
            domains = check_server_domains(raw, kind=kind)
            if domains != list(getattr(app, f"{kind}_domains")):
                updates[f"{kind}_domains"] = domains
    if updates:
        for field, value in updates.items():
            setattr(app, field, value)
        fields = [field for field in updates if field != "name_key"]
        do_record_audit(
            session,
            organisation=access.organisation,
            actor=user,
            action="app.updated",
            appid=app.appid,
            fields=fields,
        )
        _flush_name(session, name=app.name)
        if "name" in updates:
            do_index_app_name(session, app=app)
    return _profile(session, access)


def do_set_logo(
    session: Session, *, user: UserRef, appid: str, data: bytes, media: MediaStore
) -> AppProfile:
    """Check, normalise and store a new logo (admins only); a refused one keeps the old."""
    access = _manage(session, user=user, appid=appid)
    name = do_store_logo(media, data)
    if name != access.app.logo:
        access.app.logo = name
        do_record_audit(
            session,
            organisation=access.organisation,
            actor=user,
            action="app.logo_changed",
            appid=access.app.appid,
            logo=name,
        )
        session.flush()
    return _profile(session, access)


def do_add_permit(
    session: Session,
    *,
    user: UserRef,
    appid: str,
    permit: str,
    data: bytes,
    file_name: str | None,
    store: PrivateStore,
) -> AppProfile:
    """Store a permit the app's category requires (admins only), privately.

    A later upload of the same permit replaces it in the profile (the earlier file is kept,
    as a record of what was shown when). The file: PNG, JPEG or PDF, at most 5 MB.
    """
    access = _manage(session, user=user, appid=appid)
    permit_id = check_permit(permit)
    if permit_id not in required_permits(access.app.category):
        raise InvalidInput(
            "permit_not_required", field="permit", permit=permit_id, category=access.app.category
        )
    content_type = check_document(data, field="file")
    document = do_store_private_document(
        session,
        store,
        organisation_id=access.organisation.id,
        app_id=access.app.id,
        kind=PERMIT_KIND_PREFIX + permit_id,
        data=data,
        content_type=content_type,
        file_name=file_name or permit_id,
        uploaded_by=user,
    )
    do_record_audit(
        session,
        organisation=access.organisation,
        actor=user,
        action="app.permit_added",
        appid=access.app.appid,
        permit=permit_id,
        file_name=document.file_name,
    )
    session.flush()
    return _profile(session, access)


def do_reset_app_secret(session: Session, *, user: UserRef, appid: str, server_key: bytes) -> str:
    """A new AppSecret for the app (admins only); the old one stops working at once."""
    access = _manage(session, user=user, appid=appid)
    secret = new_app_secret()
    access.app.secret_hash = app_secret_hash(server_key, secret)
    access.app.secret_reset_at = utc_now()
    do_record_audit(
        session,
        organisation=access.organisation,
        actor=user,
        action="app.secret_reset",
        appid=access.app.appid,
    )
    session.flush()
    return secret
