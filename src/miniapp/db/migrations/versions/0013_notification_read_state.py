"""notification read state: an index of each user's unread service notifications

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 16:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # `read_at` exists since 0011; the unread count and "mark all read" now read it per user.
    with op.batch_alter_table("service_notifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_service_notifications_user_id_unread",
            ["user_id"],
            unique=False,
            sqlite_where=sa.text("read_at IS NULL"),
            postgresql_where=sa.text("read_at IS NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("service_notifications", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_service_notifications_user_id_unread",
            sqlite_where=sa.text("read_at IS NULL"),
            postgresql_where=sa.text("read_at IS NULL"),
        )
