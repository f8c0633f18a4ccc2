"""The `miniapp` command. Thin: each command calls the same services as the HTTP routes."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from miniapp.settings import Settings, SettingsError, load_settings

console = Console()


def _settings(**overrides: Any) -> Settings:
    try:
        return load_settings(**overrides)
    except SettingsError as exc:
        console.print(f"[red]{exc}[/red]")
        sys.exit(2)


def _open_database(data_dir: Path | None, database_url: str | None) -> Any:
    from miniapp.db.session import Database

    settings = _settings(data_dir=data_dir, database_url=database_url)
    if settings.effective_database_url.startswith("sqlite"):
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Database(settings.effective_database_url)


def _database_options(function: Any) -> Any:
    function = click.option(
        "--database",
        "database_url",
        metavar="URL",
        help="Database URL (sqlite:///PATH or postgresql://...). Env: MINIAPP_DATABASE_URL.",
    )(function)
    return click.option(
        "--data",
        "data_dir",
        type=click.Path(file_okay=False, path_type=Path),
        help="Data folder (SQLite file, uploads, secret key). Default ./miniapp-data.",
    )(function)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Miniapp: a self-hosted mini-program platform."""


@main.command()
@click.option("--host", help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default 8000).")
@_database_options
@click.option("--demo", is_flag=True, help="Create demo accounts and data (once) and print them.")
@click.option("--no-worker", is_flag=True, help="Do not run a job worker inside the server.")
def serve(
    *,
    host: str | None,
    port: int | None,
    data_dir: Path | None,
    database_url: str | None,
    demo: bool,
    no_worker: bool,
) -> None:
    """Run the platform: host app, console, APIs and a job worker."""
    import uvicorn

    from miniapp.db.session import Database
    from miniapp.server import create_app, freeze_startup_heap

    settings = _settings(
        host=host,
        port=port,
        data_dir=data_dir,
        database_url=database_url,
        run_worker=False if no_worker else None,
    )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database(settings.effective_database_url)
    with console.status("Migrating the database…"):
        app = create_app(settings, database=database)
    if demo:
        _print_demo(database, settings)
    url = settings.effective_public_url
    table = Table(show_header=False, box=None)
    table.add_row("Host app", f"[bold green]{url}/[/]")
    table.add_row("Console", f"[bold]{url}/console[/]")
    table.add_row("API docs", f"{url}/docs")
    table.add_row("Database", _redacted(settings.effective_database_url))
    console.print(table)
    freeze_startup_heap()
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level)
    database.dispose()


@main.command()
@click.argument("project_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--host", help="Address to listen on (default 127.0.0.1).")
@click.option("--port", type=int, help="Port to listen on (default 8000).")
@click.option(
    "--data",
    "data_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Data folder to keep (default: a temporary one, removed on exit).",
)
def dev(*, project_dir: Path, host: str | None, port: int | None, data_dir: Path | None) -> None:
    """Develop PROJECT_DIR in the simulator (no account): rebuilt and relaunched on every save."""
    from miniapp.devtools.runner import run_dev

    sys.exit(
        run_dev(project_dir=project_dir, host=host, port=port, data_dir=data_dir, console=console)
    )


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _print_demo(database: Any, settings: Settings) -> None:
    from miniapp.apps.bundles import BundleStore
    from miniapp.demo import do_seed_demo

    report = do_seed_demo(
        database, store=BundleStore.for_settings(settings), server_key=settings.server_key
    )
    table = Table(title="Demo logins", title_justify="left")
    table.add_column("who")
    table.add_column("login")
    table.add_column("password")
    for login in report.logins:
        table.add_row(login.who, login.login, login.password)
    console.print(table)
    console.print(f"Demo organisation: [bold]{report.organisation}[/]")
    if report.apps:
        apps = Table(title="Example mini programs", title_justify="left")
        apps.add_column("example")
        apps.add_column("appid")
        apps.add_column("bundle")
        for app in report.apps:
            apps.add_row(app.example, app.appid, app.bundle)
        console.print(apps)
        base = settings.effective_public_url.rstrip("/")
        console.print(
            f"Open API: every example's AppSecret is [bold]{report.app_secret}[/]; try\n"
            f"  curl '{base}/cgi-bin/token?grant_type=client_credential"
            f"&appid={report.apps[0].appid}&secret={report.app_secret}'",
            highlight=False,
            soft_wrap=True,  # a command to copy: never broken across lines
        )
    elif not report.failures:
        console.print("Example mini programs: none ship yet.")
    for failure in report.failures:
        console.print(
            f"[red]Example {failure.example} was not released:[/red]", markup=True, highlight=False
        )
        for problem in failure.problems:
            console.print("  " + problem, markup=False, highlight=False)


@main.command()
@_database_options
def worker(data_dir: Path | None, database_url: str | None) -> None:
    """Run a job worker alone (several may run against one PostgreSQL database)."""
    from miniapp.accounts.housekeeping import do_schedule_housekeeping
    from miniapp.db import migrate
    from miniapp.db.session import Database
    from miniapp.jobs.catalogue import load_job_kinds
    from miniapp.jobs.queue import wake_event
    from miniapp.jobs.worker import Worker

    settings = _settings(data_dir=data_dir, database_url=database_url)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(message)s")
    database = Database(settings.effective_database_url)
    migrate.upgrade(database.engine)
    load_job_kinds()
    do_schedule_housekeeping(database)
    stop = threading.Event()

    def request_stop(*_: object) -> None:
        stop.set()
        wake_event().set()  # the worker sleeps on the wake event; stop it now, not at the next poll

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    job_worker = Worker(database, poll_seconds=settings.worker_poll_seconds, settings=settings)
    console.print(f"Worker [bold]{job_worker.worker_id}[/] running; Ctrl-C stops it.")
    job_worker.run_forever(stop)
    database.dispose()


@main.group()
def db() -> None:
    """Database schema: migrate up or down, show the revision."""


@db.command("upgrade")
@_database_options
@click.argument("revision", default="head")
def db_upgrade(data_dir: Path | None, database_url: str | None, revision: str) -> None:
    """Migrate the schema up to REVISION (default: head)."""
    from miniapp.db import migrate

    database = _open_database(data_dir, database_url)
    migrate.upgrade(database.engine, revision)
    console.print(f"Database at revision [bold]{migrate.current_revision(database.engine)}[/]")


@db.command("downgrade")
@_database_options
@click.argument("revision")
def db_downgrade(data_dir: Path | None, database_url: str | None, revision: str) -> None:
    """Migrate the schema down to REVISION ("base" removes every table)."""
    from miniapp.db import migrate

    database = _open_database(data_dir, database_url)
    migrate.downgrade(database.engine, revision)
    console.print(f"Database at revision [bold]{migrate.current_revision(database.engine)}[/]")


@db.command("current")
@_database_options
def db_current(data_dir: Path | None, database_url: str | None) -> None:
    """Show the schema revision and the newest one available."""
    from miniapp.db import migrate

    database = _open_database(data_dir, database_url)
    console.print(
        f"current: {migrate.current_revision(database.engine)}  "
        f"head: {migrate.head_revision(database.engine)}"
    )


@main.group()
def staff() -> None:
    """Platform staff (reviewers, platform admins), kept apart from organisation roles."""


def _staff_change(
    data_dir: Path | None, database_url: str | None, login: str, role: str, grant: bool
) -> None:
    from miniapp.accounts.staff import do_grant_staff_role, do_revoke_staff_role, user_staff_roles
    from miniapp.accounts.users import find_user_by_login
    from miniapp.db import migrate
    from miniapp.errors import UserError

    database = _open_database(data_dir, database_url)
    migrate.upgrade(database.engine)
    try:
        with database.transaction() as session:
            user = find_user_by_login(session, login=login)
            if grant:
                do_grant_staff_role(session, user=user, role=role)
            else:
                do_revoke_staff_role(session, user=user, role=role)
                session.refresh(user, ["staff_roles"])
            roles = user_staff_roles(user)
    except UserError as exc:
        console.print(f"[red]{exc.message}[/red]")
        sys.exit(1)
    console.print(f"{login}: staff roles {', '.join(roles) or 'none'}")


@staff.command("grant")
@_database_options
@click.argument("login")
@click.option("--role", type=click.Choice(["reviewer", "platform_admin"]), required=True)
def staff_grant(data_dir: Path | None, database_url: str | None, login: str, role: str) -> None:
    """Grant ROLE to the account LOGIN (email or mobile number)."""
    _staff_change(data_dir, database_url, login, role, grant=True)


@staff.command("revoke")
@_database_options
@click.argument("login")
@click.option("--role", type=click.Choice(["reviewer", "platform_admin"]), required=True)
def staff_revoke(data_dir: Path | None, database_url: str | None, login: str, role: str) -> None:
    """Take ROLE away from the account LOGIN."""
    _staff_change(data_dir, database_url, login, role, grant=False)


@main.command("compile")
@click.argument("project", type=click.Path(exists=False, path_type=Path))
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Folder to write the bundle to (replaced only when the compile succeeds).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option(
    "--package-limit",
    type=int,
    default=2 * 1024 * 1024,
    show_default=True,
    help="Largest package, in bytes.",
)
@click.option(
    "--total-limit",
    type=int,
    default=20 * 1024 * 1024,
    show_default=True,
    help="Largest app (all packages), in bytes.",
)
def compile_command(
    *, project: Path, out_dir: Path, as_json: bool, package_limit: int, total_limit: int
) -> None:
    """Compile a mini-program PROJECT (folder or zip) into a runtime bundle."""
    import json as json_module

    from miniapp.compiler.build import Limits, compile_project, write_bundle
    from miniapp.compiler.terminal_report import compile_with_progress

    limits = Limits(package_bytes=package_limit, total_bytes=total_limit)
    if as_json:
        result = compile_project(project, limits=limits)
    else:
        result = compile_with_progress(project, limits=limits, console=console)
    if result.bundle is not None:
        write_bundle(result.bundle, out_dir)
    if as_json:
        click.echo(
            json_module.dumps(
                {
                    "ok": result.ok,
                    "out": str(out_dir) if result.ok else None,
                    "errors": [d.to_dict() for d in result.diagnostics],
                    "report": result.report,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        _print_compile_result(result, out_dir)
    sys.exit(0 if result.ok else 1)


def _print_compile_result(result: Any, out_dir: Path) -> None:
    from miniapp.compiler.terminal_report import print_diagnostics, print_size_report

    print_diagnostics(console, [d.to_dict() for d in result.diagnostics])
    print_size_report(console, result.report)
    if result.ok:
        console.print(f"[green]Bundle written to[/] {out_dir}")
    else:
        console.print(f"[red]{len(result.diagnostics)} error(s); no bundle written.[/]")


def _register_remote_commands() -> None:
    # login, upload, release, ...: the console's actions over HTTP (console_client).
    from miniapp.console_client import register

    register(main)


_register_remote_commands()
