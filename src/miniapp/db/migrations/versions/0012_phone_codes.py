"""phone codes

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 16:00:36.497866
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import miniapp.db.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "phone_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("app_user_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["app_user_id"],
            ["app_users.id"],
            name=op.f("fk_phone_codes_app_user_id_app_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_phone_codes_code_hash")),
    )
    with op.batch_alter_table("phone_codes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_phone_codes_app_user_id"), ["app_user_id"], unique=False
        )
        batch_op.create_index("ix_phone_codes_expires_at", ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("phone_codes", schema=None) as batch_op:
        batch_op.drop_index("ix_phone_codes_expires_at")
        batch_op.drop_index(batch_op.f("ix_phone_codes_app_user_id"))

    op.drop_table("phone_codes")
