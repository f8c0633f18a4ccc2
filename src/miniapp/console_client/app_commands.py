"""`miniapp app | upload | versions | preview | trial | submit | withdraw | release | widen |
rollback | releases`: an app's profile, its versions, review submission and releases."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO, cast

import click
import segno
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TransferSpeedColumn,
)

from miniapp.compiler.build import Limits, compile_project
from miniapp.compiler.terminal_report import (
    compile_with_progress,
    print_diagnostics,
    print_size_report,
)
from miniapp.console_client.account_commands import file_part
from miniapp.console_client.api import ApiError, api_path
from miniapp.console_client.project_upload import project_appid, zip_project
from miniapp.console_client.remote import Remote, remote_command
from miniapp.console_client.version_findings import print_findings

DOMAIN_KINDS = ("request", "socket", "upload", "download", "webview")


def app_path(appid: str, *rest: str) -> str:
    return api_path("/api/console/apps", appid, *rest)


def version_path(appid: str, version: str, *rest: str) -> str:
    return app_path(appid, "versions", version, *rest)


def _release_text(release: Mapping[str, Any] | None) -> str:
    release = release or {}
    text = release.get("version") or "-"
    if release.get("grey_version"):
        text += f" (grey {release['grey_version']} to {release.get('grey_percent', 0)}%)"
    return text


APP_COLUMNS = (
    ("appid", "appid"),
    ("name", "name"),
    ("category", "category"),
    ("released", lambda app: _release_text(app.get("release"))),
)


def _app_fields(remote: Remote, app: Mapping[str, Any]) -> None:
    rows: list[tuple[str, Any]] = [
        ("appid", app.get("appid")),
        ("name", app.get("name")),
        ("description", app.get("description")),
        ("category", app.get("category")),
        ("organisation", (app.get("organisation") or {}).get("name")),
        ("logo", app.get("logo_url")),
    ]
    rows += [(f"{kind} domains", app.get(f"{kind}_domains")) for kind in DOMAIN_KINDS]
    rows += [
        ("permits", [p.get("permit") for p in app.get("permits") or []]),
        ("permits missing", app.get("permits_missing")),
        ("release", _release_text(app.get("release"))),
        ("AppSecret set", app.get("secret_set")),
        ("secret reset", app.get("secret_reset_at")),
    ]
    remote.out.fields(rows)


def _show_secret(remote: Remote, secret: str) -> None:
    remote.out.text("AppSecret:")
    remote.out.console.print(secret, markup=False, highlight=False)
    remote.out.text("[yellow]Copy it now: it is stored hashed and not shown again.[/]")


# --- the app's profile --------------------------------------------------------------------------


@click.group("app")
def app_group() -> None:
    """Apps: list, create, show, edit the profile, logo, permits, AppSecret."""


@app_group.command("list")
@click.argument("org")
@remote_command()
def app_list(*, remote: Remote, org: str) -> None:
    """The apps of organisation ORG."""
    answer = remote.api.get(api_path("/api/console/organisations", org, "apps"))
    remote.out.document_table(answer, "apps", APP_COLUMNS)


@app_group.command("create")
@click.argument("org")
@click.argument("name")
@click.option("--description", help="What the app does.")
@click.option("--category", help="A category id (see the console's list).")
@remote_command()
def app_create(
    *, remote: Remote, org: str, name: str, description: str | None, category: str | None
) -> None:
    """Register app NAME in ORG (admins). Its AppSecret is shown once."""
    body: dict[str, Any] = {"name": name}
    if description is not None:
        body["description"] = description
    if category is not None:
        body["category"] = category
    answer = remote.api.post(api_path("/api/console/organisations", org, "apps"), body)

    def render() -> None:
        _app_fields(remote, answer["app"])
        _show_secret(remote, answer["secret"])

    remote.out.document(answer, render)


@app_group.command("show")
@click.argument("appid")
@remote_command()
def app_show(*, remote: Remote, appid: str) -> None:
    """App APPID's profile and release state."""
    answer = remote.api.get(app_path(appid))
    remote.out.document(answer, lambda: _app_fields(remote, answer["app"]))


def _domains(values: tuple[str, ...]) -> list[str]:
    """Repeated options as a list; `--request-domain ''` alone clears the list."""
    return [value for value in values if value.strip()]


@app_group.command("set")
@click.argument("appid")
@click.option("--name")
@click.option("--description")
@click.option("--category")
@click.option("--request-domain", "request", multiple=True, metavar="D", help="Repeatable.")
@click.option("--socket-domain", "socket", multiple=True, metavar="D", help="Repeatable.")
@click.option("--upload-domain", "upload", multiple=True, metavar="D", help="Repeatable.")
@click.option("--download-domain", "download", multiple=True, metavar="D", help="Repeatable.")
@click.option("--webview-domain", "webview", multiple=True, metavar="D", help="Repeatable.")
@remote_command()
def app_set(
    *,
    remote: Remote,
    appid: str,
    name: str | None,
    description: str | None,
    category: str | None,
    **domains: tuple[str, ...],
) -> None:
    """Change APPID's profile (admins): only what is given changes; a domain option replaces
    that whole list (give it once with '' to empty it)."""
    body: dict[str, Any] = {
        key: value
        for key, value in (("name", name), ("description", description), ("category", category))
        if value is not None
    }
    for kind in DOMAIN_KINDS:
        if domains.get(kind):
            body[f"{kind}_domains"] = _domains(domains[kind])
    if not body:
        raise click.UsageError("Nothing to change: give at least one option.")
    answer = remote.api.patch(app_path(appid), body)
    remote.out.document(answer, lambda: _app_fields(remote, answer["app"]))


@app_group.command("logo")
@click.argument("appid")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@remote_command()
def app_logo(*, remote: Remote, appid: str, file: Path) -> None:
    """Set APPID's logo from FILE (PNG/JPEG/GIF/WebP/BMP, at least 144x144, 2 MB at most)."""
    answer = remote.api.send_form(
        "PUT", app_path(appid, "logo"), fields={}, files={"logo": file_part(file)}
    )
    remote.out.document(
        answer, lambda: remote.out.text(f"Logo set: {answer['app'].get('logo_url')}")
    )


@app_group.command("permit")
@click.argument("appid")
@click.argument("permit")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@remote_command()
def app_permit(*, remote: Remote, appid: str, permit: str, file: Path) -> None:
    """Upload FILE as APPID's permit PERMIT (its category may require some)."""
    answer = remote.api.send_form(
        "POST",
        app_path(appid, "permits"),
        fields={"permit": permit},
        files={"file": file_part(file)},
    )
    remote.out.document(answer, lambda: remote.out.text(f"Permit {permit} uploaded."))


@app_group.command("reset-secret")
@click.argument("appid")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@remote_command()
def app_reset_secret(*, remote: Remote, appid: str, yes: bool) -> None:
    """Make a new AppSecret for APPID (admins); the old one stops working at once."""
    if not yes and not remote.out.as_json and sys.stdin.isatty():
        click.confirm("The current AppSecret stops working at once. Continue?", abort=True)
    answer = remote.api.post(app_path(appid, "secret"))
    remote.out.document(answer, lambda: _show_secret(remote, answer["secret"]))


# --- versions -----------------------------------------------------------------------------------


VERSION_COLUMNS = (
    ("version", "version"),
    ("state", "state"),
    ("trial", "is_trial"),
    ("bytes", "size_bytes"),
    ("uploaded by", "uploaded_by"),
    ("uploaded", "created_at"),
    ("id", "id"),
)


def _version_fields(remote: Remote, version: Mapping[str, Any]) -> None:
    remote.out.fields(
        [
            ("version", version.get("version")),
            ("id", version.get("id")),
            ("description", version.get("description")),
            ("state", version.get("state")),
            ("trial", version.get("is_trial")),
            ("bytes", version.get("size_bytes")),
            ("uploaded by", version.get("uploaded_by")),
            ("uploaded", version.get("created_at")),
            ("review reasons", version.get("review_reasons")),
        ]
    )
    print_findings(remote.out, version)


def _compile_locally(remote: Remote, project: Path) -> None:
    """Compile before sending anything: the developer sees every problem at once, locally."""
    if remote.out.as_json:
        result = compile_project(project, limits=Limits())
    else:
        result = compile_with_progress(project, limits=Limits(), console=remote.out.console)
    if not result.ok:
        diagnostics = [d.to_dict() for d in result.diagnostics]
        if not remote.out.as_json:
            print_diagnostics(remote.out.errors, diagnostics)
        raise ApiError.local(
            "package_invalid",
            f"The project does not compile: {len(diagnostics)} error(s); nothing was uploaded.",
            diagnostics=diagnostics,
        )


def _send_package(
    remote: Remote, *, appid: str, version: str, description: str, package: bytes
) -> dict[str, Any]:
    path = app_path(appid, "versions")
    fields = {"version": version, "description": description}
    files = {"package": ("project.zip", package, "application/zip")}
    if remote.out.as_json:
        return remote.api.send_form("POST", path, fields=fields, files=files)
    with Progress(
        TextColumn("Uploading"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        console=remote.out.console,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=len(package))

        def advance(sent: int, total: int) -> None:
            bar.update(task, completed=sent, total=total)

        return remote.api.send_form("POST", path, fields=fields, files=files, progress=advance)


@click.command("upload")
@click.argument("project", type=click.Path(exists=True, path_type=Path))
@click.option("--version", "version", required=True, help="MAJOR.MINOR.PATCH, new for the app.")
@click.option("--desc", "description", default="", help="What changed in this version.")
@click.option("--app", "appid", help="The app (default: the appid in project.config.json).")
@remote_command()
def upload(
    *, remote: Remote, project: Path, version: str, description: str, appid: str | None
) -> None:
    """Compile PROJECT (a folder or zip) locally, then upload it as a development version."""
    appid = appid or project_appid(project)
    if appid is None:
        raise ApiError.local(
            "appid_missing",
            "Which app? Give --app APPID, or put the app's appid in project.config.json.",
        )
    _compile_locally(remote, project)
    try:
        answer = _send_package(
            remote,
            appid=appid,
            version=version,
            description=description,
            package=zip_project(project),
        )
    except ApiError as error:
        diagnostics = error.error["params"].get("diagnostics")
        if diagnostics and not remote.out.as_json:
            print_diagnostics(remote.out.errors, diagnostics)
        raise

    def render() -> None:
        stored = answer["version"]
        remote.out.text(f"[green]Uploaded[/] {appid} {stored['version']} ({stored['state']}).")
        _version_fields(remote, stored)
        print_size_report(remote.out.console, answer.get("report") or {})

    remote.out.document(answer, render)


@click.command("versions")
@click.argument("appid")
@remote_command()
def versions(*, remote: Remote, appid: str) -> None:
    """APPID's versions, newest first."""
    answer = remote.api.get(app_path(appid, "versions"))
    remote.out.document_table(answer, "versions", VERSION_COLUMNS)


@click.command("preview")
@click.argument("appid")
@click.argument("version")
@remote_command()
def preview(*, remote: Remote, appid: str, version: str) -> None:
    """A link and a QR code that open VERSION of APPID in the host (for members)."""
    answer = remote.api.post(version_path(appid, version, "preview"))
    url = remote.api.url(answer["url"])

    def render() -> None:
        remote.out.console.print(url, markup=False, highlight=False, soft_wrap=True)
        segno.make(url).terminal(out=cast(TextIO, remote.out.console.file), compact=True)

    remote.out.document({"url": url}, render)


def _version_action(action: str, summary: str) -> Any:
    @click.command(action, help=summary)
    @click.argument("appid")
    @click.argument("version")
    @remote_command()
    def command(*, remote: Remote, appid: str, version: str) -> None:
        answer = remote.api.post(version_path(appid, version, action))
        remote.out.document(
            answer,
            lambda: remote.out.text(
                f"{appid} {answer['version']['version']}: {answer['version']['state']}"
                + (" (trial)" if answer["version"].get("is_trial") else "")
            ),
        )

    return command


trial = _version_action("trial", "Make VERSION the trial version of APPID (admins).")
submit = _version_action(
    "submit", "Submit VERSION of APPID for review (admins): automated checks, then a reviewer."
)
withdraw = _version_action("withdraw", "Take VERSION of APPID out of review (admins).")


# --- releases -----------------------------------------------------------------------------------


def _release_state(remote: Remote, answer: Mapping[str, Any]) -> None:
    remote.out.text(f"Released: {_release_text(answer.get('release'))}")


@click.command("release")
@click.argument("appid")
@click.argument("version")
@click.option("--percent", type=click.IntRange(1, 100), help="A grey release to N% of users.")
@remote_command()
def release(*, remote: Remote, appid: str, version: str, percent: int | None) -> None:
    """Release approved VERSION of APPID to everyone, or --percent of users (admins)."""
    body: dict[str, Any] = {"version": version}
    if percent is not None:
        body["percent"] = percent
    answer = remote.api.post(app_path(appid, "release"), body)
    remote.out.document(answer, lambda: _release_state(remote, answer))


@click.command("widen")
@click.argument("appid")
@click.argument("percent", type=int)
@remote_command()
def widen(*, remote: Remote, appid: str, percent: int) -> None:
    """Give APPID's grey version to PERCENT of users; 100 makes it everyone's."""
    answer = remote.api.post(app_path(appid, "release", "widen"), {"percent": percent})
    remote.out.document(answer, lambda: _release_state(remote, answer))


@click.command("rollback")
@click.argument("appid")
@remote_command()
def rollback(*, remote: Remote, appid: str) -> None:
    """Withdraw APPID's grey release, or go back to the previous full release (one step)."""
    answer = remote.api.post(app_path(appid, "release", "rollback"))
    remote.out.document(answer, lambda: _release_state(remote, answer))


RELEASE_COLUMNS = (
    ("when", "created_at"),
    ("action", "action"),
    ("version", "version"),
    ("percent", "percent"),
    ("who", "actor"),
)


@click.command("releases")
@click.argument("appid")
@remote_command()
def releases(*, remote: Remote, appid: str) -> None:
    """APPID's release history, newest first."""
    answer = remote.api.get(app_path(appid, "releases"))
    remote.out.document_table(answer, "releases", RELEASE_COLUMNS)


COMMANDS = (
    app_group,
    upload,
    versions,
    preview,
    trial,
    submit,
    withdraw,
    release,
    widen,
    rollback,
    releases,
)
