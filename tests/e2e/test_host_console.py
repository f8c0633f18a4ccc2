"""The host and the console in a real browser, against the real server (SQLite and PostgreSQL).

Everything is asserted on what a user sees: texts, headings, form messages, table rows.
"""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import APIResponse, BrowserContext, Locator, Page, Route, expect

NewContext = Callable[..., BrowserContext]

PASSWORD = "Tea-garden-2041"
NEW_PASSWORD = "Tea-garden-2042"
ADA = "ada@example.org"
GRACE = "grace@example.org"


def sign_up_in_host(page: Page, url: str, *, login: str, name: str) -> Locator:
    """Fill the host's sign-up form (Me tab) and send it; returns the form."""
    page.goto(f"{url}/#me")
    page.get_by_role("button", name="Sign up").click()
    form = page.get_by_role("form", name="Create your Miniapp account")
    form.get_by_label("Email or mobile number").fill(login)
    form.get_by_label("Name").fill(name)
    form.get_by_label("Password").fill(PASSWORD)
    form.get_by_role("button", name="Create account").click()
    return form


def member_row(table: Locator, login: str) -> Locator:
    return table.get_by_role("row").filter(has_text=login)


def selected_option(select: Locator) -> Locator:
    return select.locator("option:checked")


def test_host_sign_up_language_and_console_members(live_server, new_context: NewContext) -> None:
    url = live_server.url

    # --- Host: the tabs, honest empty states, and signing up ---
    host = new_context().new_page()
    host.goto(f"{url}/")
    tabs = host.get_by_role("navigation", name="Main sections")
    expect(tabs.get_by_role("link")).to_have_text(["Chats", "Discover", "Me"])
    expect(host.get_by_role("heading", name="No chats yet")).to_be_visible()
    tabs.get_by_role("link", name="Discover").click()
    expect(host.get_by_text("No mini program has been released yet.")).to_be_visible()

    sign_up_in_host(host, url, login=ADA, name="Ada Lovelace")
    expect(host.get_by_role("heading", name="Ada Lovelace")).to_be_visible()
    expect(host.get_by_text(f"Account: {ADA}")).to_be_visible()
    expect(host.get_by_role("button", name="Sign out")).to_be_visible()

    # --- Host: Me → Settings: change the password (a wrong current one is refused) ---
    host.get_by_role("link", name="Settings").click()
    expect(host.get_by_role("heading", name="Settings", level=1)).to_be_visible()
    password = host.get_by_role("form", name="Change password")
    password.get_by_label("Current password").fill("Not-my-password-1")
    password.get_by_label("New password").fill(NEW_PASSWORD)
    password.get_by_role("button", name="Change password").click()
    expect(password.get_by_role("alert")).to_have_text("The current password is wrong.")
    expect(password.get_by_label("Current password")).to_have_attribute("aria-invalid", "true")
    password.get_by_label("Current password").fill(PASSWORD)
    password.get_by_label("New password").fill(NEW_PASSWORD)
    password.get_by_role("button", name="Change password").click()
    expect(password.get_by_role("status")).to_have_text(
        "Password changed. Your other devices have been signed out."
    )

    # --- Host: Me → Settings → 中文; the choice is saved on the account ---
    host.get_by_role("button", name="中文").click()
    tabs_zh = host.get_by_role("navigation", name="主要栏目")
    expect(tabs_zh.get_by_role("link")).to_have_text(["聊天", "发现", "我"])
    expect(host.get_by_role("heading", name="设置", level=1)).to_be_visible()
    expect(host.get_by_role("heading", name="修改密码")).to_be_visible()

    # --- A second person signs up in another browser ---
    grace = new_context().new_page()
    sign_up_in_host(grace, url, login=GRACE, name="Grace Hopper")
    expect(grace.get_by_role("heading", name="Grace Hopper")).to_be_visible()

    # --- Signing up again with a taken email: translated error by the form, not signed in ---
    again = new_context().new_page()
    form = sign_up_in_host(again, url, login=ADA, name="Someone Else")
    expect(form.get_by_role("alert")).to_have_text(
        "An account with this email or mobile number already exists."
    )
    expect(form.get_by_label("Email or mobile number")).to_have_attribute("aria-invalid", "true")
    expect(again.get_by_role("button", name="Sign out")).to_be_hidden()
    again.reload()
    signin_host = again.get_by_role("form", name="Sign in to Miniapp")
    expect(signin_host).to_be_visible()

    # --- Signing in on the host: a wrong password is refused, the right one signs in ---
    signin_host.get_by_label("Email or mobile number").fill(GRACE)
    signin_host.get_by_label("Password").fill("Not-her-password-1")
    signin_host.get_by_role("button", name="Sign in").click()
    expect(signin_host.get_by_role("alert")).to_have_text("Wrong email, mobile number or password.")
    signin_host.get_by_label("Password").fill(PASSWORD)
    signin_host.get_by_role("button", name="Sign in").click()
    expect(again.get_by_role("heading", name="Grace Hopper")).to_be_visible()
    again.get_by_role("button", name="Sign out").click()
    expect(signin_host).to_be_visible()

    # --- Console: sign in in a fresh English browser; Ada's saved language (中文) wins ---
    console = new_context().new_page()
    console.goto(f"{url}/console")
    signin = console.get_by_role("form", name="Sign in to the console")
    signin.get_by_label("Email or mobile number").fill(ADA)
    signin.get_by_label("Password").fill(NEW_PASSWORD)
    signin.get_by_role("button", name="Sign in").click()
    expect(console.get_by_role("heading", name="成为开发者")).to_be_visible()
    expect(console.get_by_role("button", name="退出登录")).to_be_visible()
    console.get_by_role("button", name="English").click()
    expect(console.get_by_role("heading", name="Become a developer")).to_be_visible()
    expect(console.get_by_text("Ada Lovelace")).to_be_visible()

    console.get_by_role("button", name="Activate developer account").click()
    expect(console.get_by_role("heading", name="Organisations")).to_be_visible()
    expect(console.get_by_text("You are not a member of any organisation yet.")).to_be_visible()

    create = console.get_by_role("form", name="Create organisation")
    create.get_by_label("Organisation name").fill("Analytical Engines")
    create.get_by_role("button", name="Create organisation").click()
    expect(console.get_by_role("heading", name="Analytical Engines", level=1)).to_be_visible()
    expect(console.get_by_text("Your role: Admin")).to_be_visible()
    members = console.get_by_role("table", name="Members")
    expect(member_row(members, ADA)).to_contain_text("Ada Lovelace")
    expect(selected_option(member_row(members, ADA).get_by_role("combobox"))).to_have_text("Admin")

    # --- Inviting an unknown person: the translated error next to the form ---
    invite = console.get_by_role("form", name="Invite member")
    invite.get_by_label("Email or mobile number").fill("nobody@example.org")
    invite.get_by_role("button", name="Send invitation").click()
    expect(invite.get_by_role("alert")).to_have_text(
        "No account uses this email or mobile number. Ask them to sign up first."
    )

    # --- Inviting Grace as developer: listed as invited, not yet a member ---
    invite.get_by_label("Email or mobile number").fill(GRACE)
    invite.get_by_label("Role").select_option(label="Developer")
    invite.get_by_role("button", name="Send invitation").click()
    expect(invite.get_by_role("status")).to_have_text(
        "Grace Hopper was invited as Developer. They join once they accept."
    )
    grace_row = member_row(members, GRACE)
    expect(grace_row).to_contain_text("Grace Hopper")
    expect(grace_row.get_by_text("Invited", exact=True)).to_be_visible()
    grace_role = grace_row.get_by_role("combobox", name="Role of Grace Hopper")
    expect(selected_option(grace_role)).to_have_text("Developer")
    # Ada is the only admin: she cannot leave.
    expect(console.get_by_role("region", name="Leave organisation")).to_have_count(0)

    # --- Grace accepts the invitation in her console ---
    grace.goto(f"{url}/console")
    grace.get_by_role("button", name="Activate developer account").click()
    invitations = grace.get_by_role("region", name="Invitations")
    expect(invitations.get_by_role("listitem")).to_have_count(1)
    expect(invitations.get_by_role("listitem")).to_contain_text(
        "Ada Lovelace invited you to join “Analytical Engines” as Developer."
    )
    expect(grace.get_by_text("You are not a member of any organisation yet.")).to_be_visible()
    invitations.get_by_role("button", name="Accept the invitation to Analytical Engines").click()
    expect(invitations.get_by_role("status")).to_have_text(
        "You joined Analytical Engines as Developer."
    )
    expect(invitations.get_by_text("No invitations are waiting for you.")).to_be_visible()
    expect(grace.get_by_role("link", name="Analytical Engines")).to_contain_text("Developer")

    # --- Ada sees a member now, and makes her a tester ---
    console.reload()
    expect(grace_row.get_by_text("Invited", exact=True)).to_be_hidden()
    grace_role.select_option(label="Tester")
    member_section = console.get_by_role("region", name="Members")
    expect(member_section.get_by_role("status")).to_have_text("Grace Hopper is now Tester.")
    console.reload()
    expect(selected_option(member_row(members, GRACE).get_by_role("combobox"))).to_have_text(
        "Tester"
    )

    # --- The last admin cannot demote herself ---
    ada_role = member_row(members, ADA).get_by_role("combobox", name="Role of Ada Lovelace")
    ada_role.select_option(label="Analyst")
    expect(member_section.get_by_role("alert")).to_have_text(
        "An organisation needs at least one admin."
    )
    expect(selected_option(ada_role)).to_have_text("Admin")

    # --- The audit log, newest first ---
    audit = console.get_by_role("region", name="Audit log")
    expect(audit.get_by_role("listitem")).to_have_count(4)
    expect(audit.get_by_role("listitem")).to_contain_text(
        [
            f"Ada Lovelace changed the role of {GRACE} from Developer to Tester",
            f"{GRACE} accepted the invitation and joined as Developer",
            f"Ada Lovelace invited {GRACE} as Developer",
            "Ada Lovelace created the organisation “Analytical Engines”",
        ]
    )

    # --- Grace (a tester) sees names and roles read-only: no logins, no audit log ---
    grace.get_by_role("link", name="Analytical Engines").click()
    expect(grace.get_by_text("Your role: Tester")).to_be_visible()
    grace_members = grace.get_by_role("table", name="Members")
    expect(member_row(grace_members, "Ada Lovelace")).to_contain_text("Admin")
    expect(member_row(grace_members, "Grace Hopper")).to_contain_text("Tester")
    expect(grace_members).not_to_contain_text(ADA)
    expect(grace_members).not_to_contain_text(GRACE)
    expect(grace_members.get_by_role("columnheader", name="Email or mobile")).to_have_count(0)
    expect(grace_members.get_by_role("combobox")).to_have_count(0)
    expect(grace_members.get_by_role("button")).to_have_count(0)
    expect(grace.get_by_role("form", name="Invite member")).to_have_count(0)
    expect(grace.get_by_role("region", name="Audit log")).to_have_count(0)
    expect(grace.get_by_role("button", name="Leave organisation")).to_be_visible()

    # --- Ada removes Grace, confirming inside the page ---
    question = member_row(members, GRACE).get_by_text("Remove Grace Hopper from this organisation?")
    member_row(members, GRACE).get_by_role("button", name="Remove Grace Hopper").click()
    expect(question).to_be_visible()
    member_row(members, GRACE).get_by_role("button", name="Cancel").click()
    expect(question).to_be_hidden()
    member_row(members, GRACE).get_by_role("button", name="Remove Grace Hopper").click()
    member_row(members, GRACE).get_by_role("button", name="Remove", exact=True).click()
    expect(member_section.get_by_role("status")).to_have_text("Grace Hopper was removed.")
    expect(member_row(members, GRACE)).to_have_count(0)
    expect(audit.get_by_role("listitem").first).to_contain_text(f"Ada Lovelace removed {GRACE}")

    # --- Invited again, Grace accepts, then leaves by herself ---
    invite.get_by_label("Email or mobile number").fill(GRACE)
    invite.get_by_label("Role").select_option(label="Analyst")
    invite.get_by_role("button", name="Send invitation").click()
    expect(invite.get_by_role("status")).to_contain_text("Grace Hopper was invited as Analyst.")
    grace.goto(f"{url}/console#/")
    grace.get_by_role("region", name="Invitations").get_by_role(
        "button", name="Accept the invitation to Analytical Engines"
    ).click()
    grace.get_by_role("link", name="Analytical Engines").click()
    expect(grace.get_by_text("Your role: Analyst")).to_be_visible()
    leave = grace.get_by_role("region", name="Leave organisation")
    leave_question = leave.get_by_text("Leave Analytical Engines?")
    leave.get_by_role("button", name="Leave organisation").click()
    expect(leave_question).to_be_visible()
    leave.get_by_role("button", name="Cancel").click()
    expect(leave_question).to_be_hidden()
    leave.get_by_role("button", name="Leave organisation").click()
    leave.get_by_role("button", name="Leave", exact=True).click()
    expect(grace.get_by_role("heading", name="Organisations", level=1)).to_be_visible()
    expect(grace.get_by_role("status")).to_have_text("You left Analytical Engines.")
    expect(grace.get_by_text("You are not a member of any organisation yet.")).to_be_visible()
    console.reload()
    expect(member_row(members, ADA)).to_be_visible()
    expect(member_row(members, GRACE)).to_have_count(0)
    expect(audit.get_by_role("listitem").first).to_contain_text(f"{GRACE} left the organisation")

    # --- An invitation Ada no longer wants: she cancels it, confirming inside the page ---
    invite.get_by_label("Email or mobile number").fill(GRACE)
    invite.get_by_role("button", name="Send invitation").click()
    expect(invite.get_by_role("status")).to_contain_text("Grace Hopper was invited as")
    member_row(members, GRACE).get_by_role(
        "button", name="Cancel the invitation for Grace Hopper"
    ).click()
    expect(
        member_row(members, GRACE).get_by_text("Cancel the invitation for Grace Hopper?")
    ).to_be_visible()
    member_row(members, GRACE).get_by_role("button", name="Cancel invitation", exact=True).click()
    expect(member_section.get_by_role("status")).to_have_text(
        "The invitation for Grace Hopper was cancelled."
    )
    expect(member_row(members, GRACE)).to_have_count(0)
    expect(audit.get_by_role("listitem").first).to_contain_text(
        f"Ada Lovelace cancelled the invitation for {GRACE}"
    )

    # --- Signing out of the console shows the sign-in form again ---
    console.get_by_role("button", name="Sign out").click()
    expect(console.get_by_role("form", name="Sign in to the console")).to_be_visible()


def test_language_choice_survives_a_server_reply_sent_before_it_was_saved(
    live_server, new_context: NewContext
) -> None:
    """A reply carrying the saved language that was sent before the new choice reached the server
    (here: becoming a developer while the language change is still on its way) must not switch
    the page back. The PATCH is held in the browser so the order is certain, not timed."""
    url = live_server.url
    page = new_context().new_page()
    sign_up_in_host(page, url, login="lin@example.org", name="Lin")
    expect(page.get_by_role("heading", name="Lin")).to_be_visible()

    page.goto(f"{url}/console")
    held: list[object] = []
    page.route(
        "**/api/accounts/me",
        lambda route: held.append(route) if route.request.method == "PATCH" else route.continue_(),
    )
    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", name="成为开发者")).to_be_visible()
    page.get_by_role("button", name="开通开发者账号").click()
    expect(page.get_by_role("heading", name="组织", level=1)).to_be_visible()
    assert len(held) == 1
    held[0].continue_()  # type: ignore[attr-defined]
    expect(page.get_by_role("button", name="中文")).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.get_by_role("heading", name="组织", level=1)).to_be_visible()


def test_becoming_a_developer_survives_a_language_reply_that_arrives_after_it(
    live_server, new_context: NewContext
) -> None:
    """The converse: the language change is saved first, but its reply (the account as it was
    before becoming a developer) reaches the page after the activation's. The reply held in
    the browser makes the order certain (a CI run once met it by chance)."""
    url = live_server.url
    page = new_context().new_page()
    sign_up_in_host(page, url, login="mei@example.org", name="Mei")
    expect(page.get_by_role("heading", name="Mei")).to_be_visible()

    page.goto(f"{url}/console")
    held: list[tuple[Route, APIResponse]] = []

    def save_now_answer_later(route: Route) -> None:
        if route.request.method != "PATCH":
            route.continue_()
            return
        held.append((route, route.fetch()))  # the server has saved the language

    page.route("**/api/accounts/me", save_now_answer_later)
    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", name="成为开发者")).to_be_visible()
    page.get_by_role("button", name="开通开发者账号").click()
    expect(page.get_by_role("heading", name="组织", level=1)).to_be_visible()
    [(route, saved)] = held
    assert saved.json()["user"]["is_developer"] is False  # the account as the PATCH saw it
    route.fulfill(response=saved)
    expect(page.get_by_role("button", name="中文")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_text("你还不是任何组织的成员。")).to_be_visible()
    expect(page.get_by_role("heading", name="成为开发者")).to_be_hidden()
