"""Whether an organisation's business verification is in force (read by release and payments)."""

from __future__ import annotations

from datetime import datetime

from miniapp.accounts.models import Organisation, VerificationStatus
from miniapp.errors import Forbidden


def is_verified(organisation: Organisation, *, now: datetime) -> bool:
    """Verified, with the yearly fee paid, and not expired at `now`. Expiry needs no job: it is
    enforced at the moment of use."""
    return (
        organisation.verification_status == VerificationStatus.VERIFIED
        and organisation.verification_fee_paid
        and organisation.verified_until is not None
        and organisation.verified_until > now
    )


def check_verified(organisation: Organisation, *, now: datetime) -> None:
    """For what an unverified organisation may not do (release, payments): 403
    `verification_required`."""
    if not is_verified(organisation, now=now):
        raise Forbidden("verification_required")
