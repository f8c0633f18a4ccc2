"""`miniapp dev PROJECT_DIR`: the platform in development mode around one project.

The server runs on SQLite in a throwaway data folder (removed on exit) unless `--data` names one
to keep. The project is compiled, registered and released before the server starts; a watcher
then rebuilds it on every change, and each build's report is printed as it lands.
"""

from __future__ import annotations

import shutil
import signal
import socket
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType

import uvicorn
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from miniapp.devtools.builds import BuildStatus, DevProject
from miniapp.devtools.watcher import ProjectWatcher
from miniapp.settings import Settings, SettingsError, load_settings

SIMULATOR_PATH = "/dev"


class DevServer(uvicorn.Server):
    """uvicorn that reports when it listens, and answers the simulator's long polls at once
    when asked to stop (they would otherwise hold the shutdown for up to 25 seconds)."""

    def __init__(
        self, config: uvicorn.Config, *, on_ready: Callable[[], None], on_exit: Callable[[], None]
    ) -> None:
        super().__init__(config)
        self.on_ready = on_ready
        self.on_exit = on_exit

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self.on_ready()

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.on_exit()
        super().handle_exit(sig, frame)


def diagnostic_lines(status: BuildStatus) -> list[str]:
    """`file:line:column code message`, one per diagnostic (the simulator's console shows the
    same)."""
    lines = []
    for item in status.diagnostics:
        where = item.file or "-"
        if item.line:
            where += f":{item.line}:{item.column or 1}"
        lines.append(f"{where} {item.code} {item.message}")
    return lines


def print_build(console: Console, status: BuildStatus) -> None:
    if status.ok:
        console.print(
            f"[green]Build {status.rev} ok[/] in {status.duration_ms} ms (bundle {status.bundle})",
            highlight=False,
        )
        return
    kept = " The last good build keeps running." if status.bundle else ""
    console.print(
        f"[red]Build {status.rev} failed[/] with {len(status.diagnostics)} error(s) "
        f"in {status.duration_ms} ms.{escape(kept)}",
        highlight=False,
    )
    for line in diagnostic_lines(status):
        console.print("  " + line, markup=False, highlight=False, soft_wrap=True)


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _settings(
    console: Console, *, host: str | None, port: int | None, data_dir: Path
) -> Settings | None:
    try:
        return load_settings(
            host=host,
            port=port,
            data_dir=data_dir,
            # Always SQLite in the data folder, whatever MINIAPP_DATABASE_URL says.
            database_url=f"sqlite:///{(data_dir / 'miniapp.sqlite3').resolve()}",
            dev_mode=True,
        )
    except SettingsError as exc:
        console.print(f"[red]{escape(str(exc))}[/red]")
        return None


def run_dev(
    *,
    project_dir: Path,
    host: str | None,
    port: int | None,
    data_dir: Path | None,
    console: Console,
) -> int:
    """Run until interrupted; the exit status."""
    folder = project_dir.resolve()
    if data_dir is not None and _inside(data_dir.resolve(), folder):
        console.print(
            "[red]--data must be outside the project folder[/] (the watcher would see the "
            "database change, and the compiler would package it).",
            highlight=False,
        )
        return 2
    temporary = data_dir is None
    data = Path(tempfile.mkdtemp(prefix="miniapp-dev-")) if data_dir is None else data_dir
    try:
        settings = _settings(console, host=host, port=port, data_dir=data)
        if settings is None:
            return 2
        return _serve(console, settings, folder, temporary=temporary)
    finally:
        if temporary:
            shutil.rmtree(data, ignore_errors=True)


def _serve(console: Console, settings: Settings, folder: Path, *, temporary: bool) -> int:
    from miniapp.apps.bundles import BundleStore
    from miniapp.db.session import Database
    from miniapp.server import create_app

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    database = Database(settings.effective_database_url)
    try:
        with console.status("Migrating the database…"):
            app = create_app(settings, database=database)
        project = DevProject(folder, database=database, store=BundleStore.for_settings(settings))
        app.state.dev_project = project
        watcher = ProjectWatcher(folder, lambda: print_build(console, project.build()))
        watcher.prime()  # before the first build: a save during it is built next
        with console.status(f"Compiling {escape(str(folder))}…"):
            status = project.build()
        print_build(console, status)

        def ready() -> None:
            table = Table(show_header=False, box=None)
            table.add_row("Simulator", f"[bold green]{settings.effective_public_url}/dev[/]")
            table.add_row("Project", escape(str(folder)))
            table.add_row("App id", project.appid)
            kept = " (temporary: removed on exit)" if temporary else ""
            table.add_row("Data", escape(f"{settings.data_dir}{kept}"))
            console.print(table)
            console.print("Watching for changes; Ctrl-C stops.", highlight=False)

        if settings.listens_everywhere:
            console.print(
                "[yellow]Development mode lets mini programs reach this machine's local "
                "network: listen on every address only on a network you trust.[/]"
            )
        config = uvicorn.Config(
            app,
            host=settings.host,
            port=settings.port,
            log_level=settings.log_level,
            access_log=False,
        )
        server = DevServer(config, on_ready=ready, on_exit=project.board.close)
        watcher.start()
        try:
            _run_quietly_interrupted(server)
        finally:
            project.board.close()
            watcher.stop()
    finally:
        database.dispose()
    return 0


def _run_quietly_interrupted(server: uvicorn.Server) -> None:
    """Run the server; Ctrl-C or SIGTERM stop it and return normally (so the temporary data
    folder is removed). uvicorn re-raises the signal it caught once it has stopped: here it
    reaches a handler that does nothing, instead of the default that would end the process."""
    if threading.current_thread() is not threading.main_thread():
        server.run()
        return
    signals = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda *_: None) for sig in signals}
    try:
        server.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
