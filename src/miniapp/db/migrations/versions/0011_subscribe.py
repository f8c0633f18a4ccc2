"""subscribe: templates, credits and service notifications

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 14:42:54
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import miniapp.db.types

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pri_tmpl_id", sa.String(length=43), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("tid", sa.Integer(), nullable=False),
        sa.Column("kid_list", sa.JSON(), nullable=False),
        sa.Column("scene_desc", sa.String(length=32), nullable=False),
        sa.Column("created_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name=op.f("fk_app_templates_app_id_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_templates")),
        sa.UniqueConstraint("pri_tmpl_id", name=op.f("uq_app_templates_pri_tmpl_id")),
    )
    with op.batch_alter_table("app_templates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_app_templates_app_id"), ["app_id"], unique=False)

    op.create_table(
        "service_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("pri_tmpl_id", sa.String(length=43), nullable=False),
        sa.Column("title", sa.String(length=64), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("page", sa.String(length=512), nullable=False),
        sa.Column("created_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["app_id"],
            ["apps.id"],
            name=op.f("fk_service_notifications_app_id_apps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_service_notifications_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_notifications")),
    )
    with op.batch_alter_table("service_notifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_notifications_app_id"), ["app_id"], unique=False
        )
        batch_op.create_index(
            "ix_service_notifications_user_id_created_at", ["user_id", "created_at"], unique=False
        )

    op.create_table(
        "subscribe_credits",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("pri_tmpl_id", sa.String(length=43), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("credits", sa.Integer(), nullable=False),
        sa.Column("updated_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("credits >= 0", name=op.f("ck_subscribe_credits_credits_not_negative")),
        sa.ForeignKeyConstraint(
            ["app_id"],
            ["apps.id"],
            name=op.f("fk_subscribe_credits_app_id_apps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pri_tmpl_id"],
            ["app_templates.pri_tmpl_id"],
            name=op.f("fk_subscribe_credits_pri_tmpl_id_app_templates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_subscribe_credits_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "pri_tmpl_id", name=op.f("pk_subscribe_credits")),
    )
    with op.batch_alter_table("subscribe_credits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subscribe_credits_app_id"), ["app_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_subscribe_credits_pri_tmpl_id"), ["pri_tmpl_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("subscribe_credits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscribe_credits_pri_tmpl_id"))
        batch_op.drop_index(batch_op.f("ix_subscribe_credits_app_id"))

    op.drop_table("subscribe_credits")
    with op.batch_alter_table("service_notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_service_notifications_user_id_created_at")
        batch_op.drop_index(batch_op.f("ix_service_notifications_app_id"))

    op.drop_table("service_notifications")
    with op.batch_alter_table("app_templates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_app_templates_app_id"))

    op.drop_table("app_templates")
