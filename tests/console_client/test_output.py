"""What the CLI prints for people: text other people chose (names, reasons, file names) is shown
as it is, never read as rich markup."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from miniapp.console_client.output import Output


def recording() -> tuple[Output, io.StringIO, io.StringIO]:
    out, err = io.StringIO(), io.StringIO()
    output = Output(as_json=False)
    output.console = Console(file=out, width=200, highlight=False, color_system=None)
    output.errors = Console(file=err, width=200, highlight=False, color_system=None)
    return output, out, err


def test_server_text_in_tables_is_not_markup() -> None:
    output, out, _ = recording()
    # A member's display name, an app's name: chosen by someone else, shown to everyone.
    rows = [{"name": "[/]"}, {"name": "[link=https://evil.example]Sign in again[/link]"}]
    output.table(rows, [("Name", "name")])
    output.fields([("Name", "[bold]x[/bold]")])
    printed = out.getvalue()
    assert "[/]" in printed
    assert "[link=https://evil.example]Sign in again[/link]" in printed
    assert "[bold]x[/bold]" in printed


def test_an_error_message_from_the_server_is_not_markup() -> None:
    output, _, err = recording()
    with pytest.raises(SystemExit):
        output.fail({"code": "app_name_taken", "message": "Name [/] is taken", "field": "name"})
    assert "Name [/] is taken" in err.getvalue()
