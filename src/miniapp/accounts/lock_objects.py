"""Row locks taken in one fixed order (organisation before its memberships).

On PostgreSQL these are SELECT ... FOR UPDATE; on SQLite every writing transaction already holds
the database's write lock (BEGIN IMMEDIATE), so FOR UPDATE is dropped by the dialect.
"""

from __future__ import annotations

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from miniapp.accounts.models import Organisation


def lock_organisation(session: Session, *, organisation_id: int) -> Organisation:
    return session.scalars(
        select(Organisation).where(Organisation.id == organisation_id).with_for_update()
    ).one()


def lock_names(session: Session, *names: str) -> None:
    """Serialise work on named things (a login name, a client address) across processes.

    PostgreSQL: transaction-scoped advisory locks, taken in the order given (callers pass a fixed
    order). SQLite: the writing transaction already holds the database's only write lock.
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    for name in names:
        session.execute(
            text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))"), {"name": name}
        )
