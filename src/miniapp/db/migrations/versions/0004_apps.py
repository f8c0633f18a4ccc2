"""apps: the mini-program registry (appid, name, owner, request domains, released bundle)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:12:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import miniapp.db.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "apps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("appid", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("request_domains", sa.JSON(), nullable=False),
        sa.Column("released_bundle", sa.String(length=20), nullable=True),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_apps_organisation_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_apps")),
        sa.UniqueConstraint("appid", name=op.f("uq_apps_appid")),
        sa.UniqueConstraint("public_id", name=op.f("uq_apps_public_id")),
    )
    with op.batch_alter_table("apps", schema=None) as batch_op:
        batch_op.create_index("ix_apps_organisation_id", ["organisation_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("apps", schema=None) as batch_op:
        batch_op.drop_index("ix_apps_organisation_id")
    op.drop_table("apps")
