"""identity: app users and login codes

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 14:25:45
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import miniapp.db.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("openid", sa.String(length=28), nullable=False),
        sa.Column("session_serial", sa.Integer(), nullable=False),
        sa.Column("session_issued_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name=op.f("fk_app_users_app_id_apps"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_app_users_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_users")),
        sa.UniqueConstraint("app_id", "user_id", name=op.f("uq_app_users_app_id_user_id")),
        sa.UniqueConstraint("openid", name=op.f("uq_app_users_openid")),
    )
    with op.batch_alter_table("app_users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_app_users_user_id"), ["user_id"], unique=False)

    op.create_table(
        "login_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("app_user_id", sa.Integer(), nullable=False),
        sa.Column("serial", sa.Integer(), nullable=False),
        sa.Column("issued_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["app_user_id"],
            ["app_users.id"],
            name=op.f("fk_login_codes_app_user_id_app_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_codes")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_login_codes_code_hash")),
    )
    with op.batch_alter_table("login_codes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_login_codes_app_user_id"), ["app_user_id"], unique=False
        )
        batch_op.create_index("ix_login_codes_expires_at", ["expires_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("login_codes", schema=None) as batch_op:
        batch_op.drop_index("ix_login_codes_expires_at")
        batch_op.drop_index(batch_op.f("ix_login_codes_app_user_id"))

    op.drop_table("login_codes")
    with op.batch_alter_table("app_users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_users_user_id"))

    op.drop_table("app_users")
