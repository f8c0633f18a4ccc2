"""The remote half of the `miniapp` command: every console action over HTTP with a personal
access token (docs/release-journey.md, "CLI"). It imports nothing from the server side but the
compiler (an upload is compiled locally first) and the error shape."""

from __future__ import annotations

import click


def register(group: click.Group) -> None:
    """Add the remote commands to the `miniapp` command."""
    from miniapp.console_client import account_commands, app_commands, staff_commands

    for module in (account_commands, app_commands, staff_commands):
        for command in module.COMMANDS:
            group.add_command(command)
