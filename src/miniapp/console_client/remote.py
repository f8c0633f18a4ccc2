"""The options every remote command takes (`--json`, `--server`) and the session it runs in."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import click

from miniapp.console_client.api import ApiError, RemoteApi, Target, is_loopback, resolve_target
from miniapp.console_client.output import Output


@dataclass(frozen=True, kw_only=True)
class Remote:
    """What a remote command works with: the API, its target, and where to print."""

    api: RemoteApi
    out: Output

    @property
    def target(self) -> Target:
        return self.api.target


def remote_command(*, require_server: bool = True) -> Callable[[Callable[..., None]], Any]:
    """Give a click command `--json` and `--server`, and call it with `remote=` (a Remote).

    Errors from the API, or met on the way, end the command with status 1 (see Output.fail).
    """

    def decorate(function: Callable[..., None]) -> Any:
        @click.option("--json", "as_json", is_flag=True, help="Print one JSON document.")
        @click.option(
            "--server",
            metavar="URL",
            help="The Miniapp server (default: MINIAPP_SERVER, else the one you logged in to).",
        )
        @functools.wraps(function)
        def run(*args: Any, as_json: bool, server: str | None, **kwargs: Any) -> None:
            out = Output(as_json=as_json)
            try:
                target = resolve_target(server, require_server=require_server)
                if target.server.startswith("http://") and not is_loopback(target.server):
                    out.warn(
                        f"Warning: {target.server} is plain http: passwords and tokens cross "
                        "the network unencrypted."
                    )
                with RemoteApi(target) as api:
                    function(*args, remote=Remote(api=api, out=out), **kwargs)
            except ApiError as error:
                out.fail(error.error)

        return run

    return decorate
