"""A version's check findings as the CLI shows them: one table, for its developers (`miniapp
versions`) and for reviewers (`miniapp review show`) alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from miniapp.console_client.output import Column, Output

FINDING_COLUMNS: tuple[Column, ...] = (
    ("severity", "severity"),
    ("check", "check"),
    ("where", lambda f: f"{f.get('file')}:{f.get('line')}"),
    ("message", "message"),
)


def print_findings(out: Output, version: Mapping[str, Any]) -> None:
    """The table of `version`'s findings under the title "Findings"; nothing if it has none.

    Precondition: `version` is a version as the API answers it (`findings` a list, or missing).
    """
    findings = version.get("findings") or []
    if findings:
        out.table(findings, FINDING_COLUMNS, title="Findings")
