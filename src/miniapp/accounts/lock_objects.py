"""Row locks taken in one fixed order (organisation before its memberships).

On PostgreSQL these are SELECT ... FOR UPDATE; on SQLite every writing transaction already holds
the database's write lock (BEGIN IMMEDIATE), so FOR UPDATE is dropped by the dialect.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from miniapp.accounts.models import Organisation


def lock_organisation(session: Session, *, organisation_id: int) -> Organisation:
    return session.scalars(
        select(Organisation).where(Organisation.id == organisation_id).with_for_update()
    ).one()
