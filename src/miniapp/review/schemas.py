"""The review API's shapes at the edge (pydantic): docs/release-journey.md §4."""

from __future__ import annotations

from pydantic import BaseModel, Field

from miniapp.apps.console_schemas import AppOut
from miniapp.apps.models import AppVersion
from miniapp.apps.profile import AppProfile
from miniapp.apps.version_schemas import VersionOut


class ReviewVersionOut(VersionOut):
    """A version as a reviewer sees it: the version, its app's profile and a preview link."""

    app: AppOut
    preview_url: str = Field(
        description="Opens this build in the host (for reviewers while it is in review)."
    )

    @classmethod
    def of_review(
        cls, version: AppVersion, *, profile: AppProfile, preview_url: str
    ) -> ReviewVersionOut:
        return cls(
            **VersionOut.of(version).model_dump(),
            app=AppOut.of(profile),
            preview_url=preview_url,
        )


class ReviewQueue(BaseModel):
    versions: list[ReviewVersionOut] = Field(description="In review, oldest submission first.")


class ReviewEnvelope(BaseModel):
    version: ReviewVersionOut


class RejectIn(BaseModel):
    reasons: list[str] = Field(
        description="1 to 10 reasons, each 1 to 500 characters; the app's members see them.",
    )
