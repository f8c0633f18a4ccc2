"""`miniapp review | verification`: the platform reviewers' queues (staff only)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import click

from miniapp.console_client.api import api_path
from miniapp.console_client.remote import Remote, remote_command
from miniapp.console_client.version_findings import print_findings

# --- the review queue ---------------------------------------------------------------------------


@click.group("review")
def review_group() -> None:
    """Versions waiting for a platform reviewer."""


REVIEW_COLUMNS = (
    ("id", "id"),
    ("app", "app.name"),
    ("appid", "app.appid"),
    ("version", "version"),
    ("submitted", "submitted_at"),
    ("findings", lambda v: len(v.get("findings") or [])),
)


def _review_fields(remote: Remote, version: Mapping[str, Any]) -> None:
    app = version.get("app") or {}
    remote.out.fields(
        [
            ("id", version.get("id")),
            ("app", f"{app.get('name')} ({app.get('appid')})"),
            ("version", version.get("version")),
            ("description", version.get("description")),
            ("state", version.get("state")),
            ("category", app.get("category")),
            ("submitted", version.get("submitted_at")),
            ("preview", version.get("preview_url")),
            ("review reasons", version.get("review_reasons")),
        ]
    )
    print_findings(remote.out, version)


def review_path(version_id: str, *rest: str) -> str:
    return api_path("/api/review/versions", version_id, *rest)


@review_group.command("queue")
@remote_command()
def review_queue(*, remote: Remote) -> None:
    """Versions in review, oldest submission first."""
    answer = remote.api.get("/api/review/queue")
    remote.out.document_table(answer, "versions", REVIEW_COLUMNS, empty="The queue is empty.")


@review_group.command("show")
@click.argument("version_id", metavar="ID")
@remote_command()
def review_show(*, remote: Remote, version_id: str) -> None:
    """One version in review: its findings, its app's profile, a preview link."""
    answer = remote.api.get(review_path(version_id))
    remote.out.document(answer, lambda: _review_fields(remote, answer["version"]))


@review_group.command("approve")
@click.argument("version_id", metavar="ID")
@remote_command()
def review_approve(*, remote: Remote, version_id: str) -> None:
    """Approve version ID: its admins may then release it."""
    answer = remote.api.post(review_path(version_id, "approve"))
    remote.out.document(answer, lambda: remote.out.text("Approved."))


@review_group.command("reject")
@click.argument("version_id", metavar="ID")
@click.option("--reason", "reasons", multiple=True, required=True, help="Repeatable.")
@remote_command()
def review_reject(*, remote: Remote, version_id: str, reasons: tuple[str, ...]) -> None:
    """Reject version ID with reasons its developers see."""
    answer = remote.api.post(review_path(version_id, "reject"), {"reasons": list(reasons)})
    remote.out.document(answer, lambda: remote.out.text("Rejected."))


# --- the verification queue ---------------------------------------------------------------------


@click.group("verification")
def verification_group() -> None:
    """Organisations' applications for business verification."""


APPLICATION_COLUMNS = (
    ("id", "id"),
    ("organisation", "organisation.name"),
    ("company", "company_name"),
    ("registration", "registration_number"),
    ("representative", "legal_representative"),
    ("submitted", "submitted_at"),
)


def application_path(application_id: str, *rest: str) -> str:
    return api_path("/api/staff/verifications", application_id, *rest)


@verification_group.command("queue")
@click.option(
    "--status",
    type=click.Choice(["pending", "approved", "rejected", "withdrawn"]),
    default="pending",
    show_default=True,
)
@remote_command()
def verification_queue(*, remote: Remote, status: str) -> None:
    """Applications with a status, oldest first."""
    answer = remote.api.get("/api/staff/verifications", status=status)
    remote.out.document_table(
        answer, "applications", APPLICATION_COLUMNS, empty="The queue is empty."
    )


@verification_group.command("approve")
@click.argument("application_id", metavar="ID")
@click.option("--fee-paid/--fee-unpaid", default=False, help="Whether the yearly fee is paid.")
@click.option(
    "--until",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Verified until DATE (default: a year from now).",
)
@remote_command()
def verification_approve(
    *, remote: Remote, application_id: str, fee_paid: bool, until: datetime | None
) -> None:
    """Approve application ID; in force once the fee is paid."""
    body: dict[str, Any] = {"fee_paid": fee_paid}
    if until is not None:
        body["verified_until"] = until.date().isoformat()
    answer = remote.api.post(application_path(application_id, "approve"), body)
    remote.out.document(answer, lambda: remote.out.text("Approved."))


@verification_group.command("reject")
@click.argument("application_id", metavar="ID")
@click.option("--reason", required=True, help="Shown to the organisation's admins.")
@remote_command()
def verification_reject(*, remote: Remote, application_id: str, reason: str) -> None:
    """Reject application ID with a reason."""
    answer = remote.api.post(application_path(application_id, "reject"), {"reason": reason})
    remote.out.document(answer, lambda: remote.out.text("Rejected."))


COMMANDS = (review_group, verification_group)
