"""How remote commands answer: rich tables and text for people, or (`--json`) exactly one JSON
document on stdout for scripts; errors as the API's `message` on stderr, or as
`{"error": {...}}` on stdout with --json; exit status 1 either way."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

# A column: its header, and how to read the cell from a row (a key, or a function).
Column = tuple[str, str | Callable[[Mapping[str, Any]], Any]]


def _plain(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value) or "-"
    if isinstance(value, dict):
        return str(value.get("display_name") or value.get("name") or value.get("id") or value)
    return str(value)


def _cell(value: Any) -> Text:
    """A cell as plain text: names, reasons and file names are other people's words, never
    markup (`[/]` would crash the table, `[link=…]` would make a link)."""
    return Text(_plain(value))


def pick(row: Mapping[str, Any], path: str) -> Any:
    """`row["a"]["b"]` for "a.b"; None where a step is missing."""
    value: Any = row
    for step in path.split("."):
        value = value.get(step) if isinstance(value, Mapping) else None
    return value


@dataclass
class Output:
    as_json: bool
    console: Console = field(default_factory=lambda: Console(highlight=False, soft_wrap=True))
    errors: Console = field(default_factory=lambda: Console(stderr=True, highlight=False))

    def document(self, document: Mapping[str, Any], render: Callable[[], None]) -> None:
        """With --json the document, else what `render` prints."""
        if self.as_json:
            click.echo(json.dumps(document, ensure_ascii=False, indent=1, default=str))
        else:
            render()

    def document_table(
        self,
        document: Mapping[str, Any],
        key: str,
        columns: Sequence[Column],
        *,
        empty: str = "Nothing here yet.",
    ) -> None:
        """With --json the document, else its list `document[key]` as a table of `columns`.

        Precondition: without --json, `document[key]` is a list of rows (mappings).
        """
        self.document(document, lambda: self.table(document[key], columns, empty=empty))

    def text(self, message: str) -> None:
        if not self.as_json:
            self.console.print(message, markup=True)

    def fields(self, rows: Sequence[tuple[str, Any]], *, title: str | None = None) -> None:
        table = Table(show_header=False, box=None, title=title, title_justify="left")
        table.add_column(style="bold")
        table.add_column(overflow="fold")
        for label, value in rows:
            table.add_row(label, _cell(value))
        self.console.print(table)

    def table(
        self,
        rows: Iterable[Mapping[str, Any]],
        columns: Sequence[Column],
        *,
        title: str | None = None,
        empty: str = "Nothing here yet.",
    ) -> None:
        listed = list(rows)
        if not listed:
            self.console.print(empty)
            return
        table = Table(title=title, title_justify="left")
        for header, _ in columns:
            table.add_column(header, overflow="fold")
        for row in listed:
            table.add_row(
                *(
                    _cell(reader(row) if callable(reader) else pick(row, reader))
                    for _, reader in columns
                )
            )
        self.console.print(table)

    def warn(self, message: str) -> None:
        self.errors.print(f"[yellow]{message}[/]", markup=True)

    def fail(self, error: Mapping[str, Any]) -> NoReturn:
        """Report an error and exit with status 1."""
        if self.as_json:
            click.echo(json.dumps({"error": dict(error)}, ensure_ascii=False, indent=1))
        else:
            # The server's message quotes what people typed (a name, a domain): not markup.
            message = escape(str(error.get("message") or error.get("code")))
            field_name = error.get("field")
            suffix = f" [dim]({escape(str(field_name))})[/]" if field_name else ""
            self.errors.print(f"[red]Error:[/] {message}{suffix}", markup=True)
        sys.exit(1)
