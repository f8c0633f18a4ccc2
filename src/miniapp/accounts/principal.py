"""A signed-in user as one request sees them: an immutable snapshot, read in one round trip."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from miniapp.accounts.models import User


@dataclass(frozen=True, kw_only=True)
class Principal:
    id: int
    public_id: uuid.UUID
    email: str | None
    phone: str | None
    display_name: str
    language: str | None
    developer_since: datetime | None
    staff_roles: tuple[str, ...]

    @property
    def login(self) -> str:
        return self.email or self.phone or ""

    @classmethod
    def of(cls, user: User) -> Principal:
        return cls(
            id=user.id,
            public_id=user.public_id,
            email=user.email,
            phone=user.phone,
            display_name=user.display_name,
            language=user.language,
            developer_since=user.developer_since,
            staff_roles=tuple(sorted(grant.role for grant in user.staff_roles)),
        )


# Who a service acts for: the ORM row when it changes the user, the snapshot when it only reads.
UserRef = User | Principal
