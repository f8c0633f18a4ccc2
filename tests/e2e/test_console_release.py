"""The release journey in the console, in a real browser against the real server (SQLite and
PostgreSQL): sign-up → organisation → verification → app profile → upload → review → release.

Everything is asserted on what a user sees: headings, badges, form messages, table rows, and at
the end the released mini program running in the host. The live server runs no job worker, so the
test runs the queued jobs (the automated review checks) itself, as a worker process would.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from PIL import Image
from playwright.sync_api import BrowserContext, Locator, Page, expect
from sqlalchemy import select

from miniapp.accounts.models import Organisation, VerificationStatus
from miniapp.accounts.staff import do_grant_staff_role
from miniapp.accounts.users import find_user_by_login
from miniapp.clock import utc_now
from miniapp.db.session import Database
from miniapp.jobs.worker import Worker
from tests.conftest import LiveServer
from tests.e2e.conftest import current_page
from tests.e2e.test_host_console import PASSWORD, sign_up_in_host

NewContext = Callable[..., BrowserContext]

HELLO = Path(__file__).resolve().parents[2] / "examples" / "hello"
ADA = "ada@example.org"
GRACE = "grace@example.org"
REX = "rex@example.org"
WIDE = {"viewport": {"width": 1200, "height": 1000}}  # the console's tables need a desktop


# --- helpers --------------------------------------------------------------------------------


def hello_zip(folder: Path, *, greeting: str | None = None) -> Path:
    """examples/hello zipped as `miniapp upload` sends it; `greeting` replaces 'Miniapp' in the
    first page's data, so a test can tell two versions apart on screen."""
    target = folder / f"hello-{greeting or 'plain'}.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(HELLO.rglob("*")):
            if path.is_file():
                text = path.read_bytes()
                if greeting and path.name == "index.js":
                    text = text.replace(b"'Miniapp'", f"'{greeting}'".encode())
                archive.writestr(path.relative_to(HELLO).as_posix(), text)
    return target


def png_file(path: Path, *, size: int = 200, colour: str = "#07c160") -> Path:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), colour).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())
    return path


def pdf_file(path: Path) -> Path:
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
        b"trailer <</Root 1 0 R>>\n%%EOF\n"
    )
    return path


def make_reviewer(database: Database, login: str) -> None:
    """Platform staff are appointed by the operator with `miniapp staff grant`; the test does
    what that command does, straight in the database."""
    with database.transaction() as session:
        user = find_user_by_login(session, login=login)
        do_grant_staff_role(session, user=user, role="reviewer")


def verify_directly(database: Database, name: str) -> None:
    """The organisation's verification in force (the journey test goes through the queue)."""
    with database.transaction() as session:
        organisation = session.scalars(select(Organisation).where(Organisation.name == name)).one()
        organisation.verification_status = VerificationStatus.VERIFIED.value
        organisation.verification_fee_paid = True
        organisation.verified_until = utc_now() + timedelta(days=365)


def run_jobs(server: LiveServer) -> None:
    """What `miniapp worker` does: run every job that is due (here: the automated checks), with
    the server's settings."""
    Worker(server.database, settings=server.settings).run_until_idle()


def console_sign_in(page: Page, url: str, login: str) -> None:
    page.goto(f"{url}/console")
    form = page.get_by_role("form", name="Sign in to the console")
    form.get_by_label("Email or mobile number").fill(login)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Sign in").click()


def new_person(new_context: NewContext, url: str, *, login: str, name: str) -> Page:
    """Someone who signed up in the host (/#me) and now has the console open."""
    page = new_context(**WIDE).new_page()
    sign_up_in_host(page, url, login=login, name=name)
    expect(page.get_by_role("heading", name=name)).to_be_visible()
    page.goto(f"{url}/console")
    return page


def become_developer_with_organisation(page: Page, organisation: str) -> None:
    page.get_by_role("button", name="Activate developer account").click()
    create = page.get_by_role("form", name="Create organisation")
    create.get_by_label("Organisation name").fill(organisation)
    create.get_by_role("button", name="Create organisation").click()
    expect(page.get_by_role("heading", name=organisation, level=1)).to_be_visible()


def version_row(page: Page, version: str) -> Locator:
    table = page.get_by_role("table", name="Versions")
    return table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=version))


def upload_version(page: Page, package: Path, *, version: str, description: str) -> None:
    upload = page.get_by_role("form", name="Upload a version")
    upload.get_by_label("Version").fill(version)
    upload.get_by_label("What is new").fill(description)
    upload.get_by_label("Project zip").set_input_files(package)
    upload.get_by_role("button", name="Upload").click()
    expect(upload.get_by_role("status")).to_have_text(f"Version {version} was uploaded.")
    expect(version_row(page, version)).to_contain_text("In development")


def submit_and_check(page: Page, server: LiveServer, version: str) -> None:
    """Submit for review, run the automated checks, and see the version reach the queue."""
    row = version_row(page, version)
    row.get_by_role("button", name=f"Submit {version} for review").click()
    expect(row.get_by_text("Checking", exact=True)).to_be_visible()
    run_jobs(server)
    # The table looks again by itself while checks run.
    expect(row.get_by_text("In review", exact=True)).to_be_visible()


def approve_in_queue(reviewer: Page, title: str) -> None:
    reviewer.get_by_role("navigation", name="Console").get_by_role(
        "link", name="Review queue"
    ).click()
    item = reviewer.get_by_role("article", name=title)
    expect(item).to_be_visible()
    expect(item.get_by_text("The automated checks found nothing.")).to_be_visible()
    expect(item.get_by_role("link", name=f"Open the preview of {title}")).to_have_attribute(
        "href", re.compile(r"#app/wx[0-9a-f]{16}\?build=")
    )
    item.get_by_role("button", name=f"Approve {title}").click()
    expect(reviewer.get_by_role("status")).to_have_text(f"{title} was approved.")
    expect(reviewer.get_by_role("article", name=title)).to_have_count(0)


# --- the journey ----------------------------------------------------------------------------


def test_console_journey_from_sign_up_to_grey_release(
    live_server, new_context: NewContext, tmp_path: Path
) -> None:
    url = live_server.url
    database = live_server.database

    # --- Ada signs up in the host, becomes a developer and creates an organisation ---
    ada = new_person(new_context, url, login=ADA, name="Ada Lovelace")
    become_developer_with_organisation(ada, "Tea House")
    org_url = ada.url

    # --- Unverified: she applies with the licence (PNG) and her ID (PDF) ---
    verification = ada.get_by_role("region", name="Verification")
    expect(verification.get_by_text("Not verified", exact=True)).to_be_visible()
    expect(verification).to_contain_text("cannot release them")
    apply = verification.get_by_role("form", name="Apply for verification")
    apply.get_by_label("Company name").fill("Tea House Ltd")
    apply.get_by_label("Registration number").fill("91310000MA1K000001")
    apply.get_by_label("Legal representative", exact=True).fill("Ada Lovelace")
    apply.get_by_label("Business licence").set_input_files(png_file(tmp_path / "licence.png"))
    apply.get_by_label("Legal representative's ID").set_input_files(pdf_file(tmp_path / "id.pdf"))
    apply.get_by_role("button", name="Send application").click()
    expect(verification.get_by_role("status")).to_have_text(
        "Your application was sent. A platform reviewer will check it."
    )
    expect(verification.get_by_text("Verification pending", exact=True)).to_be_visible()
    expect(apply).to_be_hidden()  # one application at a time

    # --- Rex, a platform reviewer, approves it in his console ---
    rex = new_person(new_context, url, login=REX, name="Rex Reviewer")
    make_reviewer(database, REX)
    rex.reload()
    nav = rex.get_by_role("navigation", name="Console")
    nav.get_by_role("link", name="Verification queue").click()
    application = rex.get_by_role("article", name="Tea House")
    expect(application).to_contain_text("Tea House Ltd")
    expect(application).to_contain_text("91310000MA1K000001")
    expect(
        application.get_by_role("link", name="Business licence (licence.png)")
    ).to_have_attribute("href", re.compile(r"^/api/console/organisations/.+/documents/"))
    expect(
        application.get_by_role("link", name="Legal representative's ID (id.pdf)")
    ).to_be_visible()
    expect(application.get_by_label("Verification fee paid")).to_be_checked()
    application.get_by_role("button", name="Approve the verification of Tea House").click()
    expect(rex.get_by_role("status")).to_have_text("Tea House is verified.")
    expect(rex.get_by_text("No application is waiting.")).to_be_visible()

    # --- Ada sees her organisation verified ---
    ada.reload()
    expect(verification.get_by_text(re.compile(r"^Verified until "))).to_be_visible()

    # --- She registers a mini program: the AppSecret is shown once ---
    register = ada.get_by_role("form", name="Register a mini program")
    register.get_by_label("Mini program name").fill("Tea Timer")
    register.get_by_role("button", name="Register").click()
    secret_card = ada.get_by_role("region", name="“Tea Timer” is registered: its AppSecret")
    expect(secret_card.get_by_label("AppSecret")).to_have_value(re.compile(r"^\S{16,}$"))
    expect(secret_card).to_contain_text("it will not be shown again")
    secret_card.get_by_role("button", name="I have copied it").click()
    expect(secret_card).to_be_hidden()
    apps = ada.get_by_role("table", name="Mini programs")
    expect(apps.get_by_role("row").filter(has_text="Tea Timer")).to_contain_text("Not released")
    apps.get_by_role("link", name="Tea Timer").click()
    expect(ada.get_by_role("heading", name="Tea Timer", level=1)).to_be_visible()
    appid = ada.locator("#app-appid").inner_text()
    assert re.fullmatch(r"wx[0-9a-f]{16}", appid)

    # --- The profile: a plain-http domain is refused by its field; then it is saved ---
    profile = ada.get_by_role("form", name="Profile")
    profile.get_by_label("Description").fill("Brews tea at the right time.")
    profile.get_by_label("Service category").select_option(label="Tools")
    domains = profile.get_by_label("request domains")
    domains.fill("http://api.teahouse.example")
    profile.get_by_role("button", name="Save profile").click()
    expect(profile.get_by_role("alert")).to_have_text(
        "http://api.teahouse.example must use https: "
        "plain http and ws are not allowed for server domains."
    )
    expect(domains).to_have_attribute("aria-invalid", "true")
    expect(domains).to_be_focused()
    domains.fill("api.teahouse.example")
    profile.get_by_role("button", name="Save profile").click()
    expect(profile.get_by_role("status")).to_have_text("The profile was saved.")
    ada.reload()
    expect(profile.get_by_label("Description")).to_have_value("Brews tea at the right time.")
    expect(profile.get_by_label("request domains")).to_have_value("api.teahouse.example")

    # --- The logo: previewed when chosen, then uploaded ---
    logo = ada.get_by_role("form", name="Logo")
    logo.get_by_label("Logo image").set_input_files(png_file(tmp_path / "logo.png", size=300))
    expect(logo.get_by_role("img", name="Preview of the chosen logo")).to_be_visible()
    logo.get_by_role("button", name="Upload logo").click()
    expect(logo.get_by_role("status")).to_have_text("The logo was changed.")
    expect(logo.get_by_text("Current logo")).to_be_visible()
    expect(ada.locator("#app-logo")).to_have_attribute("src", re.compile(r"^/media/\w+\.png$"))

    # --- Version 1.0.0: uploaded, submitted, checked, approved by Rex, released ---
    expect(ada.get_by_role("region", name="Versions")).to_contain_text(
        "No version has been uploaded yet."
    )
    expect(ada.get_by_role("form", name="Upload a version")).to_contain_text("miniapp upload")
    upload_version(ada, hello_zip(tmp_path), version="1.0.0", description="First brew")
    release = ada.get_by_role("region", name="Release")
    expect(release.get_by_text("No approved version to release.")).to_be_visible()
    expect(release.get_by_role("form", name="Release a version")).to_have_count(0)
    submit_and_check(ada, live_server, "1.0.0")
    approve_in_queue(rex, "Tea Timer 1.0.0")

    ada.reload()
    expect(version_row(ada, "1.0.0").get_by_text("Approved", exact=True)).to_be_visible()
    release_form = release.get_by_role("form", name="Release a version")
    expect(release_form.get_by_label("Approved version")).to_have_value("1.0.0")
    expect(
        release_form.get_by_text(re.compile("^The first release goes to everyone"))
    ).to_be_visible()
    expect(release_form.get_by_label("Share of users (%)")).to_be_hidden()
    release_form.get_by_role("button", name="Release").click()
    expect(release.get_by_role("status")).to_have_text("Version 1.0.0 is released to everyone.")
    expect(release.get_by_text("Released to everyone: version 1.0.0")).to_be_visible()
    expect(version_row(ada, "1.0.0").get_by_text("Released", exact=True)).to_be_visible()

    # --- Version 1.1.0 goes to 50% of users first, then to everyone ---
    upload_version(ada, hello_zip(tmp_path, greeting="Tea"), version="1.1.0", description="Tea")
    submit_and_check(ada, live_server, "1.1.0")
    approve_in_queue(rex, "Tea Timer 1.1.0")
    ada.reload()
    release_form.get_by_label("Approved version").select_option("1.1.0")
    release_form.get_by_label("Share of users (%)").fill("50")
    release_form.get_by_role("button", name="Release").click()
    expect(release.get_by_role("status")).to_have_text("Version 1.1.0 is released to 50% of users.")
    expect(release.get_by_text("Grey release: version 1.1.0 reaches 50% of users.")).to_be_visible()
    expect(release.get_by_role("progressbar", name="Grey release share")).to_have_attribute(
        "value", "50"
    )
    expect(release_form).to_be_hidden()  # one grey release at a time
    expect(
        release.get_by_text("Withdraw the grey release of 1.1.0: everyone goes back to 1.0.0.")
    ).to_be_visible()

    widen = release.get_by_role("form", name="Widen the grey release")
    widen.get_by_label("Share of users (%)").fill("100")
    widen.get_by_role("button", name="Widen").click()
    expect(release.get_by_role("status")).to_have_text(
        "The grey release now reaches 100% of users."
    )
    expect(release.get_by_text("Released to everyone: version 1.1.0")).to_be_visible()
    expect(release.get_by_role("progressbar")).to_be_hidden()
    history = release.get_by_role("list", name="History").get_by_role("listitem")
    expect(history).to_contain_text(
        [
            "Ada Lovelace widened 1.1.0 to 100% of users",
            "Ada Lovelace released 1.1.0 to 50% of users",
            "Ada Lovelace released 1.0.0 to everyone",
        ]
    )
    expect(
        release.get_by_text("Go back from 1.1.0 to the previous release, 1.0.0.")
    ).to_be_visible()

    # --- The host starts the released version ---
    host = new_context().new_page()
    host.goto(f"{url}/#app/{appid}")
    expect(current_page(host).get_by_text("Hello, Tea!")).to_be_visible()

    # --- A rollback, confirmed in the page, brings 1.0.0 back for everyone ---
    rollback = release.get_by_role("button", name="Roll back")
    question = release.get_by_text("Roll back “Tea Timer” now?", exact=False)
    rollback.click()
    expect(question).to_be_visible()
    release.get_by_role("button", name="Cancel").click()
    expect(question).to_be_hidden()
    expect(release.get_by_text("Released to everyone: version 1.1.0")).to_be_visible()
    rollback.click()
    release.get_by_role("button", name="Roll back").last.click()
    expect(release.get_by_role("status")).to_have_text("Rolled back.")
    expect(release.get_by_text("Released to everyone: version 1.0.0")).to_be_visible()
    expect(history.first).to_have_text(re.compile(r"^Ada Lovelace rolled back to 1\.0\.0"))
    expect(release.get_by_role("button", name="Roll back")).to_have_count(0)  # one step only
    expect(version_row(ada, "1.1.0").get_by_text("Approved", exact=True)).to_be_visible()
    later = new_context().new_page()  # the next launch, in a browser that never ran it
    later.goto(f"{url}/#app/{appid}")
    expect(current_page(later).get_by_text("Hello, Miniapp!")).to_be_visible()

    # --- The organisation's audit log tells the story ---
    ada.goto(org_url)
    audit = ada.get_by_role("region", name="Audit log")
    expect(audit.get_by_role("listitem").first).to_contain_text(
        f"Ada Lovelace rolled back version 1.1.0 of {appid}"
    )
    expect(audit).to_contain_text(
        f"Ada Lovelace widened the release of version 1.1.0 of {appid} to 100% of users"
    )
    expect(audit).to_contain_text(f"Ada Lovelace uploaded version 1.0.0 of {appid}")
    expect(audit).to_contain_text("Ada Lovelace applied for business verification")
    expect(ada.get_by_role("table", name="Mini programs")).to_contain_text("1.0.0")


# --- what each role is offered --------------------------------------------------------------


def test_console_offers_each_role_only_what_it_may_do(
    live_server, new_context: NewContext, tmp_path: Path
) -> None:
    url = live_server.url
    database = live_server.database

    ada = new_person(new_context, url, login=ADA, name="Ada Lovelace")
    become_developer_with_organisation(ada, "Tea House")
    verify_directly(database, "Tea House")
    org_url = ada.url
    register = ada.get_by_role("form", name="Register a mini program")
    register.get_by_label("Mini program name").fill("Tea Timer")
    register.get_by_role("button", name="Register").click()
    ada.get_by_role("button", name="I have copied it").click()
    invite = ada.get_by_role("form", name="Invite member")

    grace = new_person(new_context, url, login=GRACE, name="Grace Hopper")
    grace.get_by_role("button", name="Activate developer account").click()
    invite.get_by_label("Email or mobile number").fill(GRACE)
    invite.get_by_label("Role").select_option(label="Developer")
    invite.get_by_role("button", name="Send invitation").click()
    expect(invite.get_by_role("status")).to_contain_text("Grace Hopper was invited")
    grace.reload()
    grace.get_by_role("button", name="Accept the invitation to Tea House").click()
    grace.get_by_role("link", name="Tea House").click()

    # --- Grace, a developer: reads the organisation, no verification form, no registration ---
    expect(grace.get_by_text("Your role: Developer")).to_be_visible()
    expect(grace.get_by_role("region", name="Verification")).to_contain_text("Verified until")
    expect(grace.get_by_role("form", name="Apply for verification")).to_have_count(0)
    expect(grace.get_by_role("form", name="Register a mini program")).to_have_count(0)
    expect(grace.get_by_role("navigation", name="Console").get_by_role("link")).to_have_text(
        ["Organisations"]
    )
    grace.get_by_role("table", name="Mini programs").get_by_role("link", name="Tea Timer").click()

    # --- On the app's page: a read-only profile, but she uploads and previews ---
    expect(grace.get_by_role("heading", name="Tea Timer", level=1)).to_be_visible()
    expect(grace.get_by_text("Tea House · your role: Developer")).to_be_visible()
    profile = grace.get_by_role("region", name="Profile")
    expect(profile).to_contain_text("No category")
    expect(grace.get_by_role("form", name="Profile")).to_have_count(0)
    expect(grace.get_by_role("form", name="Logo")).to_have_count(0)
    expect(grace.get_by_role("region", name="AppSecret")).to_have_count(0)
    expect(grace.get_by_role("button", name="Reset AppSecret")).to_have_count(0)
    upload_version(grace, hello_zip(tmp_path), version="0.1.0", description="Sketch")
    row = version_row(grace, "0.1.0")
    expect(row).to_contain_text("Grace Hopper")
    expect(row.get_by_role("button")).to_have_text(["Preview"])  # no submit, no trial
    row.get_by_role("button", name="Preview 0.1.0").click()
    preview = grace.get_by_role("region", name="Preview of 0.1.0")
    expect(preview.get_by_role("link")).to_have_text(re.compile(r"#app/wx[0-9a-f]{16}\?build="))
    expect(
        preview.get_by_role("img", name="QR code of the preview link of 0.1.0")
    ).to_have_attribute("src", re.compile(r"^data:image/svg\+xml;"))
    release = grace.get_by_role("region", name="Release")
    expect(release.get_by_text("Nothing is released yet.")).to_be_visible()
    expect(release.get_by_role("form")).to_have_count(0)
    expect(release.get_by_role("button")).to_have_count(0)
    expect(release.get_by_text("No approved version to release.")).to_be_hidden()

    # --- A bad package: the compiler's diagnostics by the form, nothing stored ---
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("app.json", '{"pages": ["pages/missing/missing"]}')
    upload = grace.get_by_role("form", name="Upload a version")
    upload.get_by_label("Version").fill("0.2.0")
    upload.get_by_label("Project zip").set_input_files(broken)
    upload.get_by_role("button", name="Upload").click()
    expect(upload.get_by_role("alert")).to_contain_text("The package does not compile")
    expect(
        upload.get_by_role("list", name="Problems found").get_by_role("listitem")
    ).not_to_have_count(0)
    expect(version_row(grace, "0.2.0")).to_have_count(0)

    # --- Ada, the admin: an unapproved version is not offered for release ---
    ada.goto(org_url)
    ada.get_by_role("table", name="Mini programs").get_by_role("link", name="Tea Timer").click()
    expect(version_row(ada, "0.1.0")).to_contain_text("In development")
    expect(version_row(ada, "0.1.0").get_by_role("button")).to_have_text(
        ["Preview", "Set as trial", "Submit for review"]
    )
    ada_release = ada.get_by_role("region", name="Release")
    expect(ada_release.get_by_text("No approved version to release.")).to_be_visible()
    expect(ada_release.get_by_role("form", name="Release a version")).to_have_count(0)
    expect(ada_release.get_by_role("button", name="Roll back")).to_have_count(0)

    # --- The automated checks reject an incomplete profile, each finding named ---
    first = version_row(ada, "0.1.0")
    first.get_by_role("button", name="Submit 0.1.0 for review").click()
    expect(first.get_by_text("Checking", exact=True)).to_be_visible()
    run_jobs(live_server)
    expect(first.get_by_text("Rejected", exact=True)).to_be_visible()
    expect(first.get_by_role("listitem").first).to_have_text(
        "The automated checks found errors: fix them and submit again."
    )
    expect(first.get_by_text("Automated checks:")).to_be_visible()
    expect(
        first.get_by_role("listitem").filter(has_text=re.compile("^Error · "))
    ).not_to_have_count(0)

    # --- Completed, it reaches a reviewer, who rejects it with reasons Ada reads ---
    profile = ada.get_by_role("form", name="Profile")
    profile.get_by_label("Description").fill("Brews tea at the right time.")
    profile.get_by_label("Service category").select_option(label="Tools")
    profile.get_by_role("button", name="Save profile").click()
    expect(profile.get_by_role("status")).to_have_text("The profile was saved.")
    submit_and_check(ada, live_server, "0.1.0")
    rex = new_person(new_context, url, login=REX, name="Rex Reviewer")
    make_reviewer(database, REX)
    rex.goto(f"{url}/console#/review")
    item = rex.get_by_role("article", name="Tea Timer 0.1.0")
    reject = item.get_by_role("form", name="Reject Tea Timer 0.1.0")
    reject.get_by_label("Reasons (one per line)").fill("The description is empty.\nAdd a logo.")
    reject.get_by_role("button", name="Reject Tea Timer 0.1.0").click()
    expect(rex.get_by_role("status")).to_have_text("Tea Timer 0.1.0 was rejected.")
    ada.reload()
    rejected = version_row(ada, "0.1.0")
    expect(rejected.get_by_text("Rejected", exact=True)).to_be_visible()
    expect(rejected.get_by_role("listitem")).to_have_text(
        ["The description is empty.", "Add a logo."]
    )
    expect(rejected.get_by_role("button", name="Submit 0.1.0 for review")).to_be_visible()
    expect(ada_release.get_by_text("No approved version to release.")).to_be_visible()

    # --- Grace makes an access token for the CLI: shown once, listed, revoked ---
    grace.get_by_role("link", name="Access tokens").click()
    tokens = grace.get_by_role("form", name="Create a token")
    tokens.get_by_label("Token name").fill("Laptop")
    tokens.get_by_role("button", name="Create token").click()
    once = grace.get_by_role("region", name="Your new token “Laptop”")
    expect(once.get_by_label("Token", exact=True)).to_have_value(re.compile(r"^mpat_\S+$"))
    once.get_by_role("button", name="I have copied it").click()
    expect(once).to_be_hidden()
    listed = grace.get_by_role("table", name="Your tokens").get_by_role(
        "row", name=re.compile("Laptop")
    )
    expect(listed).to_contain_text("Never")
    listed.get_by_role("button", name="Revoke Laptop").click()
    expect(grace.get_by_role("region", name="Your tokens").get_by_role("status")).to_have_text(
        "The token Laptop was revoked."
    )
    expect(grace.get_by_text("You have no access tokens.")).to_be_visible()

    # --- Grace cannot reach the staff queues: not offered, and refused by URL ---
    grace.goto(f"{url}/console#/review")
    expect(grace.get_by_role("heading", name="Review queue")).to_be_visible()
    expect(grace.get_by_role("alert")).to_have_text("You do not have permission to do this.")


# --- a refused verification, the AppSecret reset, and the console in Chinese ----------------


def test_console_rejected_verification_and_secret_reset(
    live_server, new_context: NewContext, tmp_path: Path
) -> None:
    url = live_server.url
    database = live_server.database

    ada = new_person(new_context, url, login=ADA, name="Ada Lovelace")
    become_developer_with_organisation(ada, "Tea House")
    verification = ada.get_by_role("region", name="Verification")
    apply = verification.get_by_role("form", name="Apply for verification")
    apply.get_by_label("Company name").fill("Tea House Ltd")
    apply.get_by_label("Registration number").fill("91310000MA1K000001")
    apply.get_by_label("Legal representative", exact=True).fill("Ada Lovelace")
    # A text file named .png is refused by its content, next to its field; nothing is sent.
    fake = tmp_path / "licence.png"
    fake.write_text("not an image")
    apply.get_by_label("Business licence").set_input_files(fake)
    apply.get_by_label("Legal representative's ID").set_input_files(pdf_file(tmp_path / "id.pdf"))
    apply.get_by_role("button", name="Send application").click()
    expect(apply.get_by_role("alert")).to_have_text(
        "The Business licence file must be a PNG, JPEG or PDF document."
    )
    expect(apply.get_by_label("Business licence")).to_have_attribute("aria-invalid", "true")
    expect(verification.get_by_text("Not verified", exact=True)).to_be_visible()
    apply.get_by_label("Business licence").set_input_files(png_file(tmp_path / "real.png"))
    apply.get_by_role("button", name="Send application").click()
    expect(verification.get_by_text("Verification pending", exact=True)).to_be_visible()

    rex = new_person(new_context, url, login=REX, name="Rex Reviewer")
    make_reviewer(database, REX)
    rex.goto(f"{url}/console#/verifications")
    application = rex.get_by_role("article", name="Tea House")
    reject = application.get_by_role("form", name="Reject Tea House")
    reject.get_by_label("Reason").fill("The licence photo is unreadable.")
    reject.get_by_role("button", name="Reject the verification of Tea House").click()
    expect(rex.get_by_role("status")).to_have_text("The application of Tea House was rejected.")

    # --- Ada reads the reason and may apply again; in Chinese too ---
    ada.reload()
    expect(verification.get_by_text("Verification rejected", exact=True)).to_be_visible()
    expect(
        verification.get_by_text("Reviewer's reason: The licence photo is unreadable.")
    ).to_be_visible()
    expect(apply).to_be_visible()
    ada.get_by_role("button", name="中文").click()
    verification_zh = ada.get_by_role("region", name="企业认证")
    expect(verification_zh.get_by_text("认证未通过", exact=True)).to_be_visible()
    expect(verification_zh.get_by_role("form", name="申请企业认证")).to_be_visible()
    ada.get_by_role("button", name="English").click()

    # --- The AppSecret: reset only after confirming in the page, shown once ---
    register = ada.get_by_role("form", name="Register a mini program")
    register.get_by_label("Mini program name").fill("Tea Timer")
    register.get_by_role("button", name="Register").click()
    once = ada.get_by_role("region", name="“Tea Timer” is registered: its AppSecret")
    first_secret = once.get_by_label("AppSecret").input_value()
    once.get_by_role("link", name="Open the mini program").click()
    secret = ada.get_by_role("region", name="AppSecret")
    expect(secret.get_by_text(re.compile("^An AppSecret is set"))).to_be_visible()
    expect(secret.get_by_label("AppSecret")).to_be_hidden()
    secret.get_by_role("button", name="Reset AppSecret").click()
    expect(secret.get_by_text(re.compile("^Reset the AppSecret?"))).to_be_visible()
    secret.get_by_role("button", name="Cancel").click()
    expect(secret.get_by_label("AppSecret")).to_be_hidden()
    secret.get_by_role("button", name="Reset AppSecret").click()
    secret.get_by_role("button", name="Reset", exact=True).click()
    expect(secret.get_by_label("AppSecret")).to_have_value(re.compile(r"^\S{16,}$"))
    assert secret.get_by_label("AppSecret").input_value() != first_secret
    expect(secret.get_by_text(re.compile("^AppSecret last reset"))).to_be_visible()
    ada.reload()
    expect(secret.get_by_label("AppSecret")).to_be_hidden()  # never shown again
    # Unverified (rejected): the release card says why nothing can be released.
    expect(
        ada.get_by_role("region", name="Release").get_by_text(
            "The organisation's verification was rejected: apply again before releasing."
        )
    ).to_be_visible()
