"""subscribe preferences: the choices a user keeps ("always keep this choice") and the main
switch of each app's subscription messages

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 17:05:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import miniapp.db.types

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscribe_switches",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("main_switch", sa.Boolean(), nullable=False),
        sa.Column("updated_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_id"],
            ["apps.id"],
            name=op.f("fk_subscribe_switches_app_id_apps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_subscribe_switches_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "app_id", name=op.f("pk_subscribe_switches")),
    )
    with op.batch_alter_table("subscribe_switches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subscribe_switches_app_id"), ["app_id"], unique=False)

    op.create_table(
        "subscribe_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("pri_tmpl_id", sa.String(length=43), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("decided_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "decision IN ('accept', 'reject')", name=op.f("ck_subscribe_preferences_decision_known")
        ),
        sa.ForeignKeyConstraint(
            ["app_id"],
            ["apps.id"],
            name=op.f("fk_subscribe_preferences_app_id_apps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pri_tmpl_id"],
            ["app_templates.pri_tmpl_id"],
            name=op.f("fk_subscribe_preferences_pri_tmpl_id_app_templates"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_subscribe_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "pri_tmpl_id", name=op.f("pk_subscribe_preferences")),
    )
    with op.batch_alter_table("subscribe_preferences", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_subscribe_preferences_app_id"), ["app_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_subscribe_preferences_pri_tmpl_id"), ["pri_tmpl_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("subscribe_preferences", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscribe_preferences_pri_tmpl_id"))
        batch_op.drop_index(batch_op.f("ix_subscribe_preferences_app_id"))

    op.drop_table("subscribe_preferences")
    with op.batch_alter_table("subscribe_switches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscribe_switches_app_id"))

    op.drop_table("subscribe_switches")
