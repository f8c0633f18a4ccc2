"""release journey: verification, private documents, personal access tokens, app profile,
versions, review and (grey) releases

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 10:37:28.924757
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

import miniapp.db.types

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "personal_access_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("prefix", sa.String(length=16), nullable=False),
        sa.Column("created_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_personal_access_tokens_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_access_tokens")),
        sa.UniqueConstraint("public_id", name=op.f("uq_personal_access_tokens_public_id")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_personal_access_tokens_token_hash")),
    )
    with op.batch_alter_table("personal_access_tokens", schema=None) as batch_op:
        batch_op.create_index("ix_personal_access_tokens_user_id", ["user_id"], unique=False)

    op.create_table(
        "app_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(length=32), nullable=False),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column("bundle_id", sa.String(length=20), nullable=False),
        sa.Column("source_key", sa.String(length=128), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("is_trial", sa.Boolean(), nullable=False),
        sa.Column("submitted_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("checked_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("review_reasons", sa.JSON(), nullable=False),
        sa.Column("released_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('development', 'checking', 'in_review', 'approved', 'rejected', 'released', 'superseded')",
            name=op.f("ck_app_versions_state"),
        ),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name=op.f("fk_app_versions_app_id_apps"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_app_versions_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["users.id"],
            name=op.f("fk_app_versions_submitted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_app_versions_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_versions")),
        sa.UniqueConstraint("app_id", "version", name=op.f("uq_app_versions_app_id_version")),
        sa.UniqueConstraint("public_id", name=op.f("uq_app_versions_public_id")),
    )
    with op.batch_alter_table("app_versions", schema=None) as batch_op:
        batch_op.create_index("ix_app_versions_state", ["state"], unique=False)
        batch_op.create_index(
            "uq_app_versions_one_in_review",
            ["app_id"],
            unique=True,
            sqlite_where=sa.text("state IN ('checking', 'in_review')"),
            postgresql_where=sa.text("state IN ('checking', 'in_review')"),
        )
        batch_op.create_index(
            "uq_app_versions_one_trial",
            ["app_id"],
            unique=True,
            sqlite_where=sa.text("is_trial"),
            postgresql_where=sa.text("is_trial"),
        )

    op.create_table(
        "private_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("file_name", sa.String(length=128), nullable=False),
        sa.Column("content_type", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_key", sa.String(length=128), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_id"],
            ["apps.id"],
            name=op.f("fk_private_documents_app_id_apps"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_private_documents_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["users.id"],
            name=op.f("fk_private_documents_uploaded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_private_documents")),
        sa.UniqueConstraint("public_id", name=op.f("uq_private_documents_public_id")),
    )
    with op.batch_alter_table("private_documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_private_documents_organisation_id", ["organisation_id"], unique=False
        )

    op.create_table(
        "app_releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "action IN ('release', 'grey', 'widen', 'rollback')",
            name=op.f("ck_app_releases_action"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_app_releases_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name=op.f("fk_app_releases_app_id_apps"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["app_versions.id"],
            name=op.f("fk_app_releases_version_id_app_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_app_releases")),
    )
    with op.batch_alter_table("app_releases", schema=None) as batch_op:
        batch_op.create_index("ix_app_releases_app_id_id", ["app_id", "id"], unique=False)

    op.create_table(
        "organisation_verifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("company_name", sa.String(length=100), nullable=False),
        sa.Column("registration_number", sa.String(length=64), nullable=False),
        sa.Column("legal_representative", sa.String(length=64), nullable=False),
        sa.Column("licence_document_id", sa.Integer(), nullable=False),
        sa.Column("id_document_id", sa.Integer(), nullable=False),
        sa.Column("submitted_by_id", sa.Integer(), nullable=True),
        sa.Column("submitted_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("public_id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'withdrawn')",
            name=op.f("ck_organisation_verifications_status"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["users.id"],
            name=op.f("fk_organisation_verifications_decided_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["id_document_id"],
            ["private_documents.id"],
            name=op.f("fk_organisation_verifications_id_document_id_private_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["licence_document_id"],
            ["private_documents.id"],
            name=op.f("fk_organisation_verifications_licence_document_id_private_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_verifications_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_id"],
            ["users.id"],
            name=op.f("fk_organisation_verifications_submitted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation_verifications")),
        sa.UniqueConstraint("public_id", name=op.f("uq_organisation_verifications_public_id")),
    )
    with op.batch_alter_table("organisation_verifications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_organisation_verifications_organisation_id", ["organisation_id"], unique=False
        )
        batch_op.create_index("ix_organisation_verifications_status", ["status"], unique=False)

    with op.batch_alter_table("apps", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name_key", sa.String(length=192), nullable=True))
        batch_op.add_column(sa.Column("description", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("category", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("logo", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("secret_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column("secret_reset_at", miniapp.db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("released_version", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("grey_bundle", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("grey_version", sa.String(length=32), nullable=True))
        batch_op.add_column(
            sa.Column("grey_percent", sa.Integer(), nullable=False, server_default="0")
        )
    _fill_name_keys()
    with op.batch_alter_table("apps", schema=None) as batch_op:
        batch_op.alter_column("name_key", existing_type=sa.String(length=192), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_apps_name_key"), ["name_key"])
        batch_op.create_check_constraint(
            batch_op.f("ck_apps_grey_percent"), "grey_percent >= 0 AND grey_percent <= 100"
        )

    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "verification_status",
                sa.String(length=16),
                nullable=False,
                server_default="unverified",
            )
        )
        batch_op.add_column(
            sa.Column(
                "verification_fee_paid", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
        batch_op.add_column(
            sa.Column("verified_until", miniapp.db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_organisations_verification"),
            "verification_status IN ('unverified', 'pending', 'verified', 'rejected')",
        )


def _fill_name_keys() -> None:
    """Existing apps get their name's key (a frozen copy of apps.registry.app_name_key); two
    existing apps whose names fold alike keep their names, and the later one's key is made
    unique with its id."""
    bind = op.get_bind()
    apps = sa.table("apps", sa.column("id", sa.Integer), sa.column("name", sa.String))
    keys = sa.table("apps", sa.column("id", sa.Integer), sa.column("name_key", sa.String))
    seen: set[str] = set()
    for app_id, name in bind.execute(sa.select(apps.c.id, apps.c.name).order_by(apps.c.id)):
        key = " ".join(unicodedata.normalize("NFKC", name).casefold().split())
        if key in seen:
            key = f"{key}#{app_id}"
        seen.add(key)
        bind.execute(sa.update(keys).where(keys.c.id == app_id).values(name_key=key))


def downgrade() -> None:
    with op.batch_alter_table("organisations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_organisations_verification"), type_="check")
        batch_op.drop_column("verified_until")
        batch_op.drop_column("verification_fee_paid")
        batch_op.drop_column("verification_status")

    with op.batch_alter_table("apps", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_apps_grey_percent"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_apps_name_key"), type_="unique")
        batch_op.drop_column("grey_percent")
        batch_op.drop_column("grey_version")
        batch_op.drop_column("grey_bundle")
        batch_op.drop_column("released_version")
        batch_op.drop_column("secret_reset_at")
        batch_op.drop_column("secret_hash")
        batch_op.drop_column("logo")
        batch_op.drop_column("category")
        batch_op.drop_column("description")
        batch_op.drop_column("name_key")

    with op.batch_alter_table("organisation_verifications", schema=None) as batch_op:
        batch_op.drop_index("ix_organisation_verifications_status")
        batch_op.drop_index("ix_organisation_verifications_organisation_id")

    op.drop_table("organisation_verifications")
    with op.batch_alter_table("app_releases", schema=None) as batch_op:
        batch_op.drop_index("ix_app_releases_app_id_id")

    op.drop_table("app_releases")
    with op.batch_alter_table("private_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_private_documents_organisation_id")

    op.drop_table("private_documents")
    with op.batch_alter_table("app_versions", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_app_versions_one_trial",
            sqlite_where=sa.text("is_trial"),
            postgresql_where=sa.text("is_trial"),
        )
        batch_op.drop_index(
            "uq_app_versions_one_in_review",
            sqlite_where=sa.text("state IN ('checking', 'in_review')"),
            postgresql_where=sa.text("state IN ('checking', 'in_review')"),
        )
        batch_op.drop_index("ix_app_versions_state")

    op.drop_table("app_versions")
    with op.batch_alter_table("personal_access_tokens", schema=None) as batch_op:
        batch_op.drop_index("ix_personal_access_tokens_user_id")

    op.drop_table("personal_access_tokens")
