"""A signed-in user as one request sees them: an immutable snapshot, read in one round trip."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, Select, select
from sqlalchemy.orm import QueryableAttribute

from miniapp.accounts.models import StaffGrant, User


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


# What a principal is read from, in this order (see `select_with_principal`).
PRINCIPAL_COLUMNS = (
    User.id,
    User.public_id,
    User.email,
    User.phone,
    User.display_name,
    User.language,
    User.developer_since,
    StaffGrant.role,
)


def select_with_principal(
    *columns: QueryableAttribute[Any], user_id: QueryableAttribute[int]
) -> Select[Any]:
    """`columns`, then PRINCIPAL_COLUMNS of the user `user_id` names: one round trip for a
    session or a token and its user. The user's columns repeat on one row per staff role (none:
    one row with a NULL role); `principal_of_rows(rows, start=len(columns))` reads them back.
    The caller adds the WHERE that picks one session or token.
    """
    return (
        select(*columns, *PRINCIPAL_COLUMNS)
        .join(User, User.id == user_id)
        .outerjoin(StaffGrant, StaffGrant.user_id == User.id)
        .order_by(StaffGrant.role)
    )


def principal_of_rows(rows: Sequence[Row[Any]], *, start: int) -> Principal:
    """The principal in the rows of a `select_with_principal` query.

    Preconditions: `rows` is not empty, every row holds PRINCIPAL_COLUMNS from index `start` on,
    and all rows are of the same user (one per staff role, or one with a NULL role).
    """
    first = rows[0]
    role = start + 7
    return Principal(
        id=first[start],
        public_id=first[start + 1],
        email=first[start + 2],
        phone=first[start + 3],
        display_name=first[start + 4],
        language=first[start + 5],
        developer_since=first[start + 6],
        staff_roles=tuple(row[role] for row in rows if row[role] is not None),
    )
