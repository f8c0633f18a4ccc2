"""Demo data for `miniapp serve --demo`: created once, idempotently, and printed for the user.

Every example under examples/ is compiled, stored and released as an app of the demo
organisation on each start, under an appid that stays the same from one start to the next: a
changed example is released anew, an unchanged one is left as it is. An example that fails to
compile is reported with its diagnostics and skipped; the server starts anyway.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from miniapp.accounts.models import (
    Membership,
    Organisation,
    OrgRole,
    StaffRole,
    User,
    VerificationStatus,
)
from miniapp.accounts.organisations import (
    do_accept_invitation,
    do_create_organisation,
    do_invite_member,
)
from miniapp.accounts.private_documents import PrivateStore
from miniapp.accounts.staff import do_grant_staff_role
from miniapp.accounts.users import do_activate_developer, do_sign_up
from miniapp.accounts.verification_status import is_verified
from miniapp.apps.bundles import BundleStore, do_store_bundle
from miniapp.apps.models import App, AppVersion, VersionState
from miniapp.apps.profile import app_secret_hash
from miniapp.apps.project_identity import project_app_name, project_appid, read_project_config
from miniapp.apps.registry import (
    check_app_name_free,
    do_register_app,
    do_release_bundle,
    find_app,
)
from miniapp.apps.releases import do_release
from miniapp.apps.versions import do_upload_version
from miniapp.clock import utc_now
from miniapp.compiler.build import compile_project
from miniapp.console_client.project_upload import zip_project
from miniapp.db.session import Database
from miniapp.discovery.search_index import do_index_app_name
from miniapp.errors import UserError

DEMO_ORGANISATION = "Demo Organisation"
DEMO_VERSION = "1.0.0"
EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "examples"


@dataclass(frozen=True, kw_only=True)
class DemoLogin:
    who: str
    login: str
    password: str


# Well-known on purpose: demo data lives on the operator's own machine and is printed at start.
# ruff: noqa: S106
DEMO_USER = DemoLogin(who="host user", login="demo@example.com", password="Try-Miniapp-2026")
DEMO_ADMIN = DemoLogin(
    who="organisation admin (console)", login="admin@example.com", password="Run-Console-2026"
)
DEMO_REVIEWER = DemoLogin(
    who="platform reviewer (console)", login="reviewer@example.com", password="Check-Review-2026"
)
# Every example app's AppSecret, so the open API (`/cgi-bin/token`, codes, links) can be tried
# at once; an app whose secret was reset in the console keeps its own.
DEMO_APP_SECRET = "demo-app-secret-try-the-open-api"  # noqa: S105 (well-known demo data)


@dataclass(frozen=True, kw_only=True)
class DemoApp:
    """An example released as an app."""

    example: str  # the folder under examples/
    appid: str
    name: str
    bundle: str


@dataclass(frozen=True, kw_only=True)
class DemoFailure:
    """An example that could not be released, and why (compile diagnostics, one a line)."""

    example: str
    problems: list[str]


@dataclass(frozen=True, kw_only=True)
class DemoReport:
    logins: list[DemoLogin]
    app_secret: str
    organisation: str
    example_programs: list[str]
    created: bool
    apps: list[DemoApp]
    failures: list[DemoFailure]


def _user(session: Session, demo: DemoLogin, name: str) -> tuple[User, bool]:
    existing = session.scalars(select(User).where(User.email == demo.login)).one_or_none()
    if existing is not None:
        return existing, False
    return do_sign_up(session, login=demo.login, password=demo.password, display_name=name), True


def example_programs() -> list[str]:
    """Example mini programs shipped in examples/: folders with an app.json, or with a
    project.config.json that points at one (miniprogramRoot)."""
    if not EXAMPLES_DIR.is_dir():
        return []
    markers = (*EXAMPLES_DIR.glob("*/app.json"), *EXAMPLES_DIR.glob("*/project.config.json"))
    return sorted({marker.parent.name for marker in markers})


def example_appid(example: str, config: dict[str, Any]) -> str:
    """The example's own appid, else one derived from its folder name (the same everywhere)."""
    return project_appid(config, seed=f"miniapp-example:{example}")


def _build_examples(store: BundleStore) -> tuple[list[DemoApp], list[DemoFailure]]:
    """Compile and store every example (no database: bundles are files, named by content)."""
    built: list[DemoApp] = []
    failures: list[DemoFailure] = []
    for example in example_programs():
        folder = EXAMPLES_DIR / example
        result = compile_project(folder)
        if result.bundle is None:
            problems = [str(diagnostic) for diagnostic in result.diagnostics]
            failures.append(DemoFailure(example=example, problems=problems))
            continue
        config = read_project_config(folder)
        built.append(
            DemoApp(
                example=example,
                appid=example_appid(example, config),
                name=project_app_name(config, fallback=example),
                bundle=do_store_bundle(store, result.bundle),
            )
        )
    return built, failures


def _release_example(
    session: Session, *, organisation: Organisation, example: DemoApp, server_key: bytes
) -> DemoFailure | None:
    app = find_app(session, appid=example.appid)
    if app is None:
        app = do_register_app(
            session, name=example.name, appid=example.appid, organisation=organisation
        )
    if app.secret_hash is None:
        app.secret_hash = app_secret_hash(server_key, DEMO_APP_SECRET)
    elif app.organisation_id != organisation.id:
        problem = f"appid {example.appid} is registered to another organisation; not released"
        return DemoFailure(example=example.example, problems=[problem])
    if app.name != example.name:
        # A renamed example: through the same name check and search index as the console.
        try:
            app.name_key = check_app_name_free(session, name=example.name, except_app_id=app.id)
        except UserError as error:
            return DemoFailure(example=example.example, problems=[error.message])
        app.name = example.name
        do_index_app_name(session, app=app)
    if app.released_bundle != example.bundle:
        do_release_bundle(session, app=app, bundle_id=example.bundle)
    return None


def _verify_demo_organisation(organisation: Organisation) -> None:
    # The operator's own demo: the organisation is verified at once (fee paid, for a year), so
    # releases can be tried without playing the platform reviewer first.
    now = utc_now()
    if not is_verified(organisation, now=now):
        organisation.verification_status = VerificationStatus.VERIFIED.value
        organisation.verification_fee_paid = True
        organisation.verified_until = now + timedelta(days=365)


def _version_example(
    database: Database,
    *,
    admin: User,
    example: DemoApp,
    bundle_store: BundleStore,
    private_store: PrivateStore,
) -> None:
    """Give an example's app a real version 1.0.0, released to everyone, the first time only:
    the console then shows what a released app looks like. The demo approves it itself (no
    reviewer in the loop); everything else goes through the same services as the console."""
    with database.read() as session:
        app = find_app(session, appid=example.appid)
        if app is None or app.released_version is not None:
            return
        if session.scalars(select(AppVersion.id).where(AppVersion.app_id == app.id)).first():
            return
    do_upload_version(
        database,
        user=admin,
        appid=example.appid,
        version=DEMO_VERSION,
        description="Demo release",
        package=zip_project(EXAMPLES_DIR / example.example),
        bundle_store=bundle_store,
        private_store=private_store,
    )
    with database.transaction() as session:
        version = session.scalars(
            select(AppVersion)
            .join(App, App.id == AppVersion.app_id)
            .where(App.appid == example.appid, AppVersion.version == DEMO_VERSION)
        ).one()
        version.state = VersionState.APPROVED.value
        version.decided_at = utc_now()
        session.flush()
        do_release(
            session,
            user=admin,
            appid=example.appid,
            version=DEMO_VERSION,
            percent=100,
            now=utc_now(),
        )


def do_seed_demo(database: Database, *, store: BundleStore, server_key: bytes) -> DemoReport:
    examples, failures = _build_examples(store)
    released: list[DemoApp] = []
    with database.transaction() as session:
        user, created_user = _user(session, DEMO_USER, "Demo User")
        admin, created_admin = _user(session, DEMO_ADMIN, "Demo Admin")
        reviewer, _ = _user(session, DEMO_REVIEWER, "Demo Reviewer")
        do_activate_developer(session, user=admin, now=utc_now())
        do_grant_staff_role(session, user=reviewer, role=StaffRole.REVIEWER)
        organisation = session.scalars(
            select(Organisation)
            .join(Membership, Membership.organisation_id == Organisation.id)
            .where(Organisation.name == DEMO_ORGANISATION, Membership.user_id == admin.id)
        ).first()
        if organisation is None:
            access = do_create_organisation(session, creator=admin, name=DEMO_ORGANISATION)
            # Membership needs consent: the demo user accepts the admin's invitation at once.
            do_invite_member(
                session, access=access, actor=admin, login=DEMO_USER.login, role=OrgRole.TESTER
            )
            do_accept_invitation(session, user=user, organisation_id=access.organisation.public_id)
            organisation = access.organisation
        _verify_demo_organisation(organisation)
        for example in examples:
            failure = _release_example(
                session, organisation=organisation, example=example, server_key=server_key
            )
            if failure is None:
                released.append(example)
            else:
                failures.append(failure)
    private_store = PrivateStore(store.root.parent / "private")
    for example in released:
        _version_example(
            database,
            admin=admin,
            example=example,
            bundle_store=store,
            private_store=private_store,
        )
    return DemoReport(
        logins=[DEMO_USER, DEMO_ADMIN, DEMO_REVIEWER],
        app_secret=DEMO_APP_SECRET,
        organisation=DEMO_ORGANISATION,
        example_programs=example_programs(),
        created=created_user or created_admin,
        apps=released,
        failures=sorted(failures, key=lambda failure: failure.example),
    )
