"""apps: socket, uploadFile, downloadFile and web-view domains beside the request domains

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 02:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = ("socket_domains", "upload_domains", "download_domains", "webview_domains")


def upgrade() -> None:
    with op.batch_alter_table("apps", schema=None) as batch_op:
        for name in COLUMNS:
            # Existing apps have none of these domains: an empty list, as new apps get.
            batch_op.add_column(sa.Column(name, sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("apps", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
