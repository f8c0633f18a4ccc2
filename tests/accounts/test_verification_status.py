"""Whether a verification is in force: verified, fee paid and not expired, at the moment asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from miniapp.accounts.models import Organisation, VerificationStatus
from miniapp.accounts.verification_status import check_verified, is_verified
from miniapp.errors import Forbidden

NOW = datetime(2030, 6, 1, 12, 0, tzinfo=UTC)
TICK = timedelta(microseconds=1)


def organisation(
    status: VerificationStatus = VerificationStatus.VERIFIED,
    *,
    fee_paid: bool = True,
    until: datetime | None = NOW + timedelta(days=30),
) -> Organisation:
    return Organisation(
        name="Acme",
        created_by_id=1,
        verification_status=status.value,
        verification_fee_paid=fee_paid,
        verified_until=until,
    )


def test_verified_paid_and_not_expired_is_in_force() -> None:
    org = organisation()
    assert is_verified(org, now=NOW) is True
    check_verified(org, now=NOW)  # does not raise


@pytest.mark.parametrize(
    "status",
    [VerificationStatus.UNVERIFIED, VerificationStatus.PENDING, VerificationStatus.REJECTED],
)
def test_any_other_status_is_not_in_force_even_paid_and_unexpired(
    status: VerificationStatus,
) -> None:
    assert is_verified(organisation(status), now=NOW) is False


def test_an_unpaid_fee_is_not_in_force() -> None:
    assert is_verified(organisation(fee_paid=False), now=NOW) is False


def test_no_expiry_is_not_in_force() -> None:
    assert is_verified(organisation(until=None), now=NOW) is False


@pytest.mark.parametrize(
    ("until", "in_force"),
    [
        (NOW + TICK, True),  # the last instant
        (NOW, False),  # expires at that very moment
        (NOW - TICK, False),
        (NOW - timedelta(days=1), False),
        (NOW + timedelta(days=365), True),
    ],
)
def test_expiry_around_the_boundary(until: datetime, in_force: bool) -> None:
    assert is_verified(organisation(until=until), now=NOW) is in_force


def test_expiry_is_decided_at_the_moment_of_use() -> None:
    org = organisation(until=NOW + timedelta(hours=1))
    assert is_verified(org, now=NOW) is True
    assert is_verified(org, now=NOW + timedelta(hours=1)) is False


def test_check_verified_refuses_with_verification_required() -> None:
    with pytest.raises(Forbidden) as refused:
        check_verified(organisation(fee_paid=False), now=NOW)
    assert refused.value.code == "verification_required"
    assert refused.value.status_code == 403
