"""A preview or trial link opens that build in the host, for members, and never takes the place of
the release: `#app/<appid>?build=trial` starts the trial version (wx.getAccountInfoSync says so),
and the plain link afterwards starts the release again, not a cached trial.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import BrowserContext, expect
from sqlalchemy import select

from miniapp.accounts.models import Membership, Organisation, OrgRole, User
from miniapp.apps.bundles import do_store_bundle
from miniapp.apps.models import AppVersion, VersionState
from miniapp.apps.registry import do_register_app, do_release_bundle
from miniapp.compiler.build import compile_project
from tests.e2e.conftest import NewContext, RuntimePlatform, current_page
from tests.e2e.gestures import readout

APIS = Path(__file__).resolve().parents[2] / "examples" / "apis"
SYSTEM = "path=pages/system/system"


def sign_up(context: BrowserContext, platform: RuntimePlatform, login: str) -> None:
    token = context.request.get(f"{platform.url}/api/accounts/csrf").json()["csrf_token"]
    response = context.request.post(
        f"{platform.url}/api/accounts/signup",
        data={"login": login, "password": "Tester-Pass-2026", "display_name": "Tess"},
        headers={"X-CSRF-Token": token},
    )
    assert response.ok, response.text()


def app_with_a_trial(platform: RuntimePlatform, tester_login: str) -> str:
    """An organisation whose tester is `tester_login`, with an app released (without a version
    label) and a trial version 2.0.0 (both the same code: what differs is what the launch says)."""
    result = compile_project(APIS)
    assert result.bundle is not None
    bundle = do_store_bundle(platform.store, result.bundle)
    with platform.database.transaction() as session:
        tester = session.scalars(select(User).where(User.email == tester_login)).one()
        organisation = Organisation(name=f"Builds {tester.id}", created_by_id=tester.id)
        session.add(organisation)
        session.flush()
        session.add(
            Membership(organisation_id=organisation.id, user_id=tester.id, role=OrgRole.TESTER)
        )
        app = do_register_app(session, name=f"Builds {tester.id}", organisation=organisation)
        do_release_bundle(session, app=app, bundle_id=bundle)
        session.add(
            AppVersion(
                app_id=app.id,
                version="2.0.0",
                bundle_id=bundle,
                source_key="00/" + "0" * 32,
                size_bytes=1,
                state=VersionState.DEVELOPMENT.value,
                is_trial=True,
            )
        )
        return app.appid


def account_info(platform: RuntimePlatform, context: BrowserContext, link: str) -> object:
    page = context.new_page()
    page.goto(f"{platform.url}/{link}")
    frame = current_page(page)
    expect(frame.locator("#account")).not_to_be_empty()
    info = readout(frame.locator("#account"))
    page.close()
    return info


def test_a_trial_link_opens_the_trial_for_a_member_and_the_release_stays_the_release(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    context = new_context()
    sign_up(context, runtime_platform, "tess-builds@example.com")
    appid = app_with_a_trial(runtime_platform, "tess-builds@example.com")

    trial = account_info(runtime_platform, context, f"#app/{appid}?{SYSTEM}&build=trial")
    assert trial == {
        "miniProgram": {"appId": appid, "envVersion": "trial", "version": "2.0.0"},
        "plugin": {},
    }
    # The release, just after the trial in the same browser: the trial never becomes it.
    release = account_info(runtime_platform, context, f"#app/{appid}?{SYSTEM}")
    assert release == {
        "miniProgram": {"appId": appid, "envVersion": "release", "version": ""},
        "plugin": {},
    }
    # Opened once more, now from the launch cache: still the release (the trial's launch is
    # cached under its own key), and the trial link still the trial.
    again = account_info(runtime_platform, context, f"#app/{appid}?{SYSTEM}")
    assert again == release
    trial_again = account_info(runtime_platform, context, f"#app/{appid}?{SYSTEM}&build=trial")
    assert trial_again == trial


def test_a_browser_that_ran_the_grey_version_keeps_it_when_its_bucket_changes(
    runtime_platform: RuntimePlatform, new_context: NewContext
) -> None:
    """The host tells the launch which bundle it started last, so signing in (a new bucket key)
    never takes someone back from the grey version they already ran."""
    from miniapp.apps.releases import GREY_COOKIE, grey_bucket

    result = compile_project(APIS)
    assert result.bundle is not None
    bundle = do_store_bundle(runtime_platform.store, result.bundle)
    with runtime_platform.database.transaction() as session:
        app = do_register_app(session, name="Grey keeper")
        do_release_bundle(session, app=app, bundle_id=bundle)
        # Set as releases.do_release / do_widen leave it: 1.0.0 to all, 1.1.0 to 30 %.
        app.released_version = "1.0.0"
        app.grey_bundle, app.grey_version, app.grey_percent = bundle, "1.1.0", 30
        appid = app.appid
    keys = [f"browser-key-{n:08d}" for n in range(1000)]
    inside = next(key for key in keys if grey_bucket(appid, key) < 30)
    outside = next(key for key in keys if grey_bucket(appid, key) >= 30)

    context = new_context()
    context.add_cookies([{"name": GREY_COOKIE, "value": inside, "url": runtime_platform.url}])
    link = f"#app/{appid}?{SYSTEM}"
    version = lambda info: info["miniProgram"]["version"]  # noqa: E731
    assert version(account_info(runtime_platform, context, link)) == "1.1.0"
    # Signed in now, say: the user's own key is outside the share.
    context.add_cookies([{"name": GREY_COOKIE, "value": outside, "url": runtime_platform.url}])
    assert version(account_info(runtime_platform, context, link)) == "1.1.0"  # from the cache
    assert version(account_info(runtime_platform, context, link)) == "1.1.0"  # fetched with ran
