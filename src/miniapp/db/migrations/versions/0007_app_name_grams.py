"""app name grams: the index behind "did you mean" in exact-name search

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 12:12:50.816479
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_name_grams",
        sa.Column("app_id", sa.Integer(), nullable=False),
        sa.Column("gram", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["app_id"], ["apps.id"], name=op.f("fk_app_name_grams_app_id_apps"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("app_id", "gram", name=op.f("pk_app_name_grams")),
    )
    with op.batch_alter_table("app_name_grams", schema=None) as batch_op:
        batch_op.create_index("ix_app_name_grams_gram", ["gram"], unique=False)
    _fill_grams()


# A frozen copy of discovery.search_index.name_grams as it was when this migration was written:
# the migration must fill the same grams whatever that module becomes later.
_CJK = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}\U00020000-\U0003ffff]+")
_WORD_RUN = re.compile(f"(?:(?![{_CJK}\U00020000-\U0003ffff])[^\\W_])+")


def _name_grams(name_key: str) -> set[str]:
    grams: set[str] = set()
    for run in _CJK_RUN.findall(name_key):
        padded = f" {run} "
        grams |= {padded[i : i + 2] for i in range(len(padded) - 1)}
    for run in _WORD_RUN.findall(name_key):
        padded = f"  {run} "
        grams |= {padded[i : i + 3] for i in range(len(padded) - 2)}
    return grams


def _fill_grams() -> None:
    """Existing apps get the grams of their name key."""
    bind = op.get_bind()
    apps = sa.table("apps", sa.column("id", sa.Integer), sa.column("name_key", sa.String))
    grams = sa.table(
        "app_name_grams", sa.column("app_id", sa.Integer), sa.column("gram", sa.String)
    )
    rows = [
        {"app_id": app_id, "gram": gram}
        for app_id, name_key in bind.execute(sa.select(apps.c.id, apps.c.name_key))
        for gram in sorted(_name_grams(name_key))
    ]
    if rows:
        bind.execute(sa.insert(grams), rows)


def downgrade() -> None:
    with op.batch_alter_table("app_name_grams", schema=None) as batch_op:
        batch_op.drop_index("ix_app_name_grams_gram")

    op.drop_table("app_name_grams")
