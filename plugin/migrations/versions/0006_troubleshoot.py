"""Troubleshooting: who last acted on an error and when, webhooks the poll found missing, e-mail notices.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_errors") as batch:
        batch.add_column(sa.Column("acted_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("acted_by", sa.String(128)))
    with op.batch_alter_table("poll_cursors") as batch:
        batch.add_column(sa.Column("missed_webhooks", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("missed_at", sa.DateTime(timezone=True)))
    op.create_table(
        "sync_notices",
        sa.Column("sync_id", sa.Integer, sa.ForeignKey("synchronizations.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("last_error_at", sa.DateTime(timezone=True)),
        sa.Column("notified_at", sa.DateTime(timezone=True)),
    )


def downgrade() -> None:
    op.drop_table("sync_notices")
    with op.batch_alter_table("poll_cursors") as batch:
        batch.drop_column("missed_at")
        batch.drop_column("missed_webhooks")
    with op.batch_alter_table("sync_errors") as batch:
        batch.drop_column("acted_by")
        batch.drop_column("acted_at")
