"""open api tokens and quotas, links, launches, recents and favourites

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 13:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import miniapp.db.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "access_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('token', 'stable')", name=op.f("ck_access_tokens_kind")),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name=op.f("fk_access_tokens_app_id_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_access_tokens_token_hash")),
    )
    with op.batch_alter_table("access_tokens", schema=None) as batch_op:
        batch_op.create_index(
            "ix_access_tokens_app_kind_issued", ["app_id", "kind", "issued_at"], unique=False
        )

    op.create_table(
        "api_quotas",
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("window_start", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.CheckConstraint("used >= 0", name=op.f("ck_api_quotas_used")),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name=op.f("fk_api_quotas_app_id_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("app_id", "name", "window_start", name=op.f("pk_api_quotas")),
    )
    op.create_table(
        "app_launches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("scene", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=256), nullable=False),
        sa.Column("hot", sa.Boolean(), nullable=False),
        sa.Column("occurred_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("scene >= 1000 AND scene <= 9999", name=op.f("ck_app_launches_scene")),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name=op.f("fk_app_launches_app_id_apps"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_app_launches_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_launches")),
    )
    with op.batch_alter_table("app_launches", schema=None) as batch_op:
        batch_op.create_index(
            "ix_app_launches_app_id_occurred_at", ["app_id", "occurred_at"], unique=False
        )

    op.create_table(
        "app_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket", sa.String(length=32), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("path", sa.String(length=256), nullable=False),
        sa.Column("query", sa.String(length=1024), nullable=False),
        sa.Column("env_version", sa.String(length=16), nullable=False),
        sa.Column("created_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "env_version IN ('release', 'trial', 'develop')", name=op.f("ck_app_links_env_version")
        ),
        sa.CheckConstraint("kind IN ('scheme', 'urllink')", name=op.f("ck_app_links_kind")),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name=op.f("fk_app_links_app_id_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_links")),
        sa.UniqueConstraint("ticket", name=op.f("uq_app_links_ticket")),
    )
    with op.batch_alter_table("app_links", schema=None) as batch_op:
        batch_op.create_index(
            "ix_app_links_app_id_created_at", ["app_id", "created_at"], unique=False
        )

    op.create_table(
        "favourite_apps",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("added_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name=op.f("fk_favourite_apps_app_id_apps"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_favourite_apps_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "app_id", name=op.f("pk_favourite_apps")),
    )
    with op.batch_alter_table("favourite_apps", schema=None) as batch_op:
        batch_op.create_index(
            "ix_favourite_apps_user_id_added_at", ["user_id", "added_at"], unique=False
        )

    op.create_table(
        "recent_apps",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("used_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name=op.f("fk_recent_apps_app_id_apps"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_recent_apps_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "app_id", name=op.f("pk_recent_apps")),
    )
    with op.batch_alter_table("recent_apps", schema=None) as batch_op:
        batch_op.create_index(
            "ix_recent_apps_user_id_used_at", ["user_id", "used_at"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("recent_apps", schema=None) as batch_op:
        batch_op.drop_index("ix_recent_apps_user_id_used_at")

    op.drop_table("recent_apps")
    with op.batch_alter_table("favourite_apps", schema=None) as batch_op:
        batch_op.drop_index("ix_favourite_apps_user_id_added_at")

    op.drop_table("favourite_apps")
    with op.batch_alter_table("app_links", schema=None) as batch_op:
        batch_op.drop_index("ix_app_links_app_id_created_at")

    op.drop_table("app_links")
    with op.batch_alter_table("app_launches", schema=None) as batch_op:
        batch_op.drop_index("ix_app_launches_app_id_occurred_at")

    op.drop_table("app_launches")
    op.drop_table("api_quotas")
    with op.batch_alter_table("access_tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_access_tokens_app_kind_issued")

    op.drop_table("access_tokens")
