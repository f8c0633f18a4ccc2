"""Uploaded versions of an app: upload (compiled on the server), list, trial, preview links.

A version is uploaded as a zip of the project folder. The server compiles it itself (it never
trusts a client's build): a package that does not compile is refused with every diagnostic and
leaves nothing behind. A compiled version keeps its bundle in the bundle store (content-addressed:
the same bundle as any other upload of the same code), its zip in the private document store (for
the automated checks and the reviewer) and the compiler's size report.

Launching a build other than the release (`?build=trial`, `?build=develop` for the newest upload,
or `?build=<version public id>`) is for
the app's members with TRIAL_OPEN or CODE_UPLOAD, and for platform reviewers while the version is
in review (`access_launch_build`); anyone else is told the app does not exist.
"""

from __future__ import annotations

import io
import re
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from miniapp.accounts.credentials import is_plain_text
from miniapp.accounts.models import Membership, StaffRole
from miniapp.accounts.organisations import do_record_audit
from miniapp.accounts.principal import UserRef
from miniapp.accounts.private_documents import PrivateStore, do_put_private_file
from miniapp.accounts.roles import Permission, role_allows
from miniapp.accounts.staff import has_staff_role
from miniapp.apps.access import AppAccess, access_app
from miniapp.apps.bundles import BundleStore, do_store_bundle
from miniapp.apps.models import (
    IN_REVIEW_STATES,
    VERSION_DESCRIPTION_LENGTH,
    VERSION_LENGTH,
    App,
    AppVersion,
    VersionState,
)
from miniapp.apps.registry import APPID_LOOKUP
from miniapp.compiler.build import BuildResult, compile_project
from miniapp.db.session import Database
from miniapp.errors import Conflict, InvalidInput, NotFound, UserError

# Semantic versioning's MAJOR.MINOR.PATCH with an optional pre-release ("1.2.0-beta.1").
VERSION_LABEL = re.compile(
    r"(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)"
    r"(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?"
)
# A refused package's error lists at most this many diagnostics (a broken project can have
# thousands; the first ones are what a developer fixes first).
MAX_REPORTED_DIAGNOSTICS = 200
TRIAL_BUILD = "trial"
# The newest uploaded version, as WeChat's "develop" version (codes and links made for it).
DEVELOP_BUILD = "develop"
PACKAGE_NAME = "package.zip"


@dataclass(frozen=True, kw_only=True)
class UploadedVersion:
    version: AppVersion
    report: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class PreviewLink:
    url: str
    qr_svg: str


@dataclass(frozen=True, kw_only=True)
class LaunchBuild:
    """A build a member (or reviewer) opens instead of the release."""

    name: str
    webview_domains: list[str]
    bundle_id: str
    version: str
    env_version: str  # "trial" for the trial version, "develop" for any other build


def check_version_label(raw: str) -> str:
    """`MAJOR.MINOR.PATCH` with an optional `-prerelease`, at most 32 characters."""
    label = raw.strip()
    if len(label) > VERSION_LENGTH or VERSION_LABEL.fullmatch(label) is None:
        raise InvalidInput("version_invalid", field="version")
    return label


def version_order(label: str) -> tuple[int, int, int, int, tuple[tuple[int, int | str], ...]]:
    """A sort key putting checked labels in semantic-versioning order: numbers compare as
    numbers, and a pre-release comes before its release (1.2.0-beta.2 < 1.2.0-beta.10 < 1.2.0).
    Precondition: `label` passed `check_version_label`."""
    core, _, pre = label.partition("-")
    major, minor, patch = (int(part) for part in core.split("."))
    # Numeric identifiers sort before alphanumeric ones, as semantic versioning says.
    identifiers = tuple(
        (0, int(part)) if part.isdigit() else (1, part) for part in pre.split(".") if pre
    )
    return major, minor, patch, 0 if pre else 1, identifiers


def check_version_description(raw: str) -> str:
    description = " ".join(raw.split())
    if len(description) > VERSION_DESCRIPTION_LENGTH or not is_plain_text(description):
        raise InvalidInput(
            "version_description_invalid",
            field="description",
            max_length=VERSION_DESCRIPTION_LENGTH,
        )
    return description


def compile_package(package: bytes) -> BuildResult:
    """Compile an uploaded zip exactly as `miniapp compile` reads one (zip limits, symlinks and
    paths leaving the folder refused, project.config.json's miniprogramRoot honoured)."""
    with tempfile.TemporaryDirectory(prefix="miniapp-upload-") as folder:
        path = Path(folder) / PACKAGE_NAME
        path.write_bytes(package)
        return compile_project(path)


def check_compiles(package: bytes) -> BuildResult:
    """The build of `package`; 422 `package_invalid` with `params.diagnostics` if it fails."""
    result = compile_package(package)
    if result.bundle is None:
        diagnostics = [item.to_dict() for item in result.diagnostics]
        # The zip's own name means nothing to the developer: say "package" instead.
        for item in diagnostics:
            if item["file"] == PACKAGE_NAME:
                item["file"] = "package"
        raise InvalidInput(
            "package_invalid",
            field="package",
            count=len(diagnostics),
            diagnostics=diagnostics[:MAX_REPORTED_DIAGNOSTICS],
        )
    return result


def _label_taken(session: Session, *, app: App, label: str) -> bool:
    found = session.scalars(
        select(AppVersion.id).where(AppVersion.app_id == app.id, AppVersion.version == label)
    ).first()
    return found is not None


def do_upload_version(
    database: Database,
    *,
    user: UserRef,
    appid: str,
    version: str,
    description: str,
    package: bytes,
    bundle_store: BundleStore,
    private_store: PrivateStore,
) -> UploadedVersion:
    """Compile `package` and store it as a new development version of `appid`.

    The caller must be a member with CODE_UPLOAD. The compile runs outside any transaction (it
    can take seconds); the checks are repeated under the app's lock before the row is added, and
    a failure after the zip was written removes it again (private_documents' rollback hook).
    """
    label = check_version_label(version)
    clean_description = check_version_description(description)
    with database.read() as session:
        access = access_app(session, user=user, appid=appid, permission=Permission.CODE_UPLOAD)
        if _label_taken(session, app=access.app, label=label):
            raise Conflict("version_exists", field="version", version=label)
    result = check_compiles(package)
    assert result.bundle is not None
    # Content-addressed and immutable: an unreferenced bundle (if the insert below fails) is
    # harmless, and a bundle shared with another version is the same bytes.
    bundle_id = do_store_bundle(bundle_store, result.bundle)
    try:
        with database.transaction() as session:
            access = access_app(
                session,
                user=user,
                appid=appid,
                permission=Permission.CODE_UPLOAD,
                for_update=True,
            )
            if _label_taken(session, app=access.app, label=label):
                raise Conflict("version_exists", field="version", version=label)
            row = AppVersion(
                app_id=access.app.id,
                version=label,
                description=clean_description,
                bundle_id=bundle_id,
                source_key=do_put_private_file(session, private_store, package),
                size_bytes=len(package),
                report=result.report,
                uploaded_by_id=user.id,
                state=VersionState.DEVELOPMENT.value,
            )
            session.add(row)
            session.flush()
            do_record_audit(
                session,
                organisation=access.organisation,
                actor=user,
                action="version.uploaded",
                appid=access.app.appid,
                version=label,
                size_bytes=len(package),
            )
            session.flush()
            session.refresh(row, ["uploaded_by"])
    except IntegrityError:
        # Two uploads of one label at once: the unique index settles it.
        raise Conflict("version_exists", field="version", version=label) from None
    return UploadedVersion(version=row, report=result.report)


def list_versions(session: Session, *, user: UserRef, appid: str) -> list[AppVersion]:
    """The app's versions, newest first, for any member."""
    access = access_app(session, user=user, appid=appid, permission=Permission.APPS_READ)
    return list(
        session.scalars(
            select(AppVersion)
            .options(joinedload(AppVersion.uploaded_by))
            .where(AppVersion.app_id == access.app.id)
            .order_by(AppVersion.created_at.desc(), AppVersion.id.desc())
        )
    )


def _version_condition(app: App, version: str) -> Any:
    """A version named by its label ("1.2.0") or its public id (preview links, review)."""
    try:
        public_id = uuid.UUID(version)
    except ValueError:
        if len(version) > VERSION_LENGTH:
            raise NotFound() from None
        return (AppVersion.app_id == app.id) & (AppVersion.version == version)
    return (AppVersion.app_id == app.id) & (AppVersion.public_id == public_id)


def find_version(
    session: Session, *, app: App, version: str, for_update: bool = False
) -> AppVersion:
    """The version of `app` named by label or public id; 404 `not_found` if there is none.

    With `for_update`, its row is locked (the caller locked the organisation and app first)."""
    query = (
        select(AppVersion)
        .options(joinedload(AppVersion.uploaded_by))
        .where(_version_condition(app, version))
    )
    if for_update:
        query = query.with_for_update(of=AppVersion)
    found = session.scalars(query).one_or_none()
    if found is None:
        raise NotFound()
    return found


def access_version(
    session: Session,
    *,
    user: UserRef,
    appid: str,
    version: str,
    permission: Permission = Permission.APPS_READ,
    for_update: bool = False,
) -> tuple[AppAccess, AppVersion]:
    """The app (see `access_app`) and its version named by label or public id."""
    access = access_app(
        session, user=user, appid=appid, permission=permission, for_update=for_update
    )
    return access, find_version(session, app=access.app, version=version, for_update=for_update)


def do_set_trial(session: Session, *, user: UserRef, appid: str, version: str) -> AppVersion:
    """Make `version` the app's trial version (admin); the previous one stops being it.

    One trial per app: the old one is unset and flushed before the new one is set, in the same
    transaction, under the app's lock (a partial unique index settles what the lock misses)."""
    access = access_app(
        session, user=user, appid=appid, permission=Permission.RELEASE_MANAGE, for_update=True
    )
    app = access.app
    chosen = find_version(session, app=app, version=version)
    # Lock the rows this touches in one statement, in id order (the fixed order: versions last).
    rows = session.scalars(
        select(AppVersion)
        .where(
            AppVersion.app_id == app.id,
            or_(AppVersion.is_trial.is_(True), AppVersion.id == chosen.id),
        )
        .order_by(AppVersion.id)
        .with_for_update()
    ).all()
    for row in rows:
        session.refresh(row)
    if chosen.is_trial:
        return chosen
    previous = [row for row in rows if row.is_trial]
    for row in previous:
        row.is_trial = False
    session.flush()
    chosen.is_trial = True
    do_record_audit(
        session,
        organisation=access.organisation,
        actor=user,
        action="version.trial_set",
        appid=app.appid,
        version=chosen.version,
        previous=previous[0].version if previous else None,
    )
    session.flush()
    return chosen


def preview_url(*, public_url: str, appid: str, version: AppVersion) -> str:
    return f"{public_url.rstrip('/')}/#app/{appid}?build={version.public_id}"


def qr_code_svg(text: str) -> str:
    """`text` as a QR code: a standalone SVG document (no XML declaration)."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", xmldecl=False, scale=4, border=2)
    return out.getvalue().decode()


def preview_link(
    session: Session, *, user: UserRef, appid: str, version: str, public_url: str
) -> PreviewLink:
    """The link (and its QR code) that opens `version` in the host, for the app's members with
    TRIAL_OPEN (developers, operators, testers, admins)."""
    _access, found = access_version(
        session, user=user, appid=appid, version=version, permission=Permission.TRIAL_OPEN
    )
    url = preview_url(public_url=public_url, appid=appid, version=found)
    return PreviewLink(url=url, qr_svg=qr_code_svg(url))


def _may_open_builds(session: Session, *, user: UserRef, app: App) -> bool:
    role = session.scalars(
        select(Membership.role).where(
            Membership.organisation_id == app.organisation_id, Membership.user_id == user.id
        )
    ).one_or_none()
    if role is None:
        return False
    return role_allows(role, Permission.TRIAL_OPEN) or role_allows(role, Permission.CODE_UPLOAD)


def access_launch_build(
    session: Session, *, user: UserRef | None, appid: str, build: str
) -> LaunchBuild:
    """The build a signed-in member opens with `?build=trial`, `?build=develop` (the newest
    upload) or `?build=<version public id>`.

    Members with TRIAL_OPEN or CODE_UPLOAD open the trial version and any version of their app;
    platform reviewers open a version while it is being checked or reviewed. Everyone else (and
    an unknown build) gets `app_not_found`, exactly as for an app nobody registered.
    """
    unknown = UserError("app_not_found", status_code=404)
    if user is None or APPID_LOOKUP.fullmatch(appid) is None:
        raise unknown
    app = session.scalars(select(App).where(App.appid == appid)).one_or_none()
    if app is None:
        raise unknown
    if build == TRIAL_BUILD:
        found = session.scalars(
            select(AppVersion).where(AppVersion.app_id == app.id, AppVersion.is_trial.is_(True))
        ).one_or_none()
    elif build == DEVELOP_BUILD:
        found = session.scalars(
            select(AppVersion)
            .where(AppVersion.app_id == app.id)
            .order_by(AppVersion.id.desc())
            .limit(1)
        ).one_or_none()
    else:
        try:
            public_id = uuid.UUID(build)
        except ValueError:
            raise unknown from None
        found = session.scalars(
            select(AppVersion).where(AppVersion.app_id == app.id, AppVersion.public_id == public_id)
        ).one_or_none()
    if found is None:
        raise unknown
    member = _may_open_builds(session, user=user, app=app)
    reviewing = found.state in IN_REVIEW_STATES and has_staff_role(user, role=StaffRole.REVIEWER)
    if not (member or reviewing):
        raise unknown
    return LaunchBuild(
        name=app.name,
        webview_domains=list(app.webview_domains),
        bundle_id=found.bundle_id,
        version=found.version,
        env_version="trial" if found.is_trial else "develop",
    )
