"""What a compile looks like in a terminal: a progress bar, the diagnostics (file:line), the size
report. Shared by `miniapp compile` and `miniapp upload` (which also prints the server's report,
the same shape as `BuildResult.report`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from miniapp.compiler.build import BuildResult, Limits, compile_project


def compile_with_progress(project: Path, *, limits: Limits, console: Console) -> BuildResult:
    """Compile `project` with a progress bar that disappears when done."""
    with Progress(
        TextColumn("Compiling"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def advance(done: int, total: int, label: str) -> None:
            bar.update(task, completed=done, total=total, description=label)

        return compile_project(project, limits=limits, progress=advance)


def print_diagnostics(console: Console, diagnostics: Iterable[Mapping[str, Any]]) -> None:
    """One line per problem, `CODE file:line:column message` (`Diagnostic.to_dict()` shapes)."""
    for diagnostic in diagnostics:
        line, column = diagnostic.get("line"), diagnostic.get("column")
        console.print(
            f"[red]{diagnostic.get('code', '')}[/] {diagnostic.get('file', '')}"
            + (f":{line}" if line else "")
            + (f":{column}" if line and column else "")
            + f" {diagnostic.get('message', '')}",
            highlight=False,
            markup=True,
        )


def print_size_report(console: Console, report: Mapping[str, Any]) -> None:
    """Package sizes against their limits, and the largest source files."""
    if not report.get("packages"):
        return
    table = Table(title="Package sizes", title_justify="left")
    table.add_column("package")
    table.add_column("bytes", justify="right")
    table.add_column("of limit", justify="right")
    limit = report["limits"]["package"]
    for name, size in report["packages"].items():
        table.add_row(name, f"{size:,}", f"{size / limit:.0%}")
    table.add_row(
        "[bold]total[/]",
        f"{report['total']:,}",
        f"{report['total'] / report['limits']['total']:.0%}",
    )
    console.print(table)
    largest = Table(title="Largest source files", title_justify="left")
    largest.add_column("file")
    largest.add_column("package")
    largest.add_column("bytes", justify="right")
    for entry in report.get("files", [])[:10]:
        largest.add_row(entry["path"], entry["package"], f"{entry['bytes']:,}")
    console.print(largest)
