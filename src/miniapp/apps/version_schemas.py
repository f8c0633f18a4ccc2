"""The versions and releases API's shapes at the edge (pydantic): docs/release-journey.md §3, §5.

`VersionOut` is shared with the review routes (review/routes.py), which show the same versions.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from miniapp.apps.console_schemas import ReleaseOut
from miniapp.apps.models import AppRelease, AppVersion


class FindingOut(BaseModel):
    """One finding of the automated checks, naming the file and line it is about."""

    check: str
    severity: Literal["error", "warning"]
    file: str
    line: int
    message: str

    @classmethod
    def of(cls, raw: dict[str, Any]) -> FindingOut:
        severity = "error" if raw.get("severity") == "error" else "warning"
        return cls(
            check=str(raw.get("check", "")),
            severity=severity,
            file=str(raw.get("file", "")),
            line=int(raw.get("line") or 0),
            message=str(raw.get("message", "")),
        )


class VersionUserOut(BaseModel):
    id: uuid.UUID
    display_name: str


class VersionOut(BaseModel):
    """A version as the console shows it. `id` is the version's public id (preview links and
    the review routes name versions by it); `version` is its label, e.g. "1.2.0"."""

    id: uuid.UUID
    version: str
    description: str
    state: str
    is_trial: bool
    size_bytes: int
    uploaded_by: VersionUserOut | None  # None once the uploader's account is deleted
    created_at: datetime
    submitted_at: datetime | None
    checked_at: datetime | None
    findings: list[FindingOut]
    decided_at: datetime | None
    review_reasons: list[str]
    released_at: datetime | None

    @classmethod
    def of(cls, version: AppVersion) -> VersionOut:
        """Precondition: `version.uploaded_by` is loaded or loadable (an open session)."""
        uploader = version.uploaded_by
        return cls(
            id=version.public_id,
            version=version.version,
            description=version.description,
            state=version.state,
            is_trial=version.is_trial,
            size_bytes=version.size_bytes,
            uploaded_by=None
            if uploader is None
            else VersionUserOut(id=uploader.public_id, display_name=uploader.display_name),
            created_at=version.created_at,
            submitted_at=version.submitted_at,
            checked_at=version.checked_at,
            findings=[FindingOut.of(finding) for finding in version.findings or []],
            decided_at=version.decided_at,
            review_reasons=list(version.review_reasons or []),
            released_at=version.released_at,
        )


class VersionEnvelope(BaseModel):
    version: VersionOut


class VersionList(BaseModel):
    versions: list[VersionOut]


class UploadOut(BaseModel):
    version: VersionOut
    report: dict[str, Any] = Field(description="The compiler's size report.")


class PreviewOut(BaseModel):
    url: str = Field(description="Opens this build in the host, for members (and reviewers).")
    qr_svg: str = Field(description="The link as a QR code, an SVG document.")


class ReleaseIn(BaseModel):
    version: str = Field(max_length=64)
    percent: int = Field(default=100, description="1..100; below 100 is a grey release.")


class WidenIn(BaseModel):
    percent: int


class ReleaseEnvelope(BaseModel):
    release: ReleaseOut


class ReleaseEventOut(BaseModel):
    """One entry of the release history: `action` is release | grey | widen | rollback."""

    version: str
    action: str
    percent: int
    actor: VersionUserOut | None
    created_at: datetime

    @classmethod
    def of(cls, release: AppRelease, *, actor: VersionUserOut | None) -> ReleaseEventOut:
        return cls(
            version=release.version.version,
            action=release.action,
            percent=release.percent,
            actor=actor,
            created_at=release.created_at,
        )


class ReleaseHistory(BaseModel):
    releases: list[ReleaseEventOut]
