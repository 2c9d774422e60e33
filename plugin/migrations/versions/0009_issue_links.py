"""Issue links carried between synced issues: each link and its mirror, stored as an intent before Jira is asked.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-10
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "issue_link_mirrors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sync_id", sa.Integer, sa.ForeignKey("synchronizations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("owner_link_id", sa.Integer, sa.ForeignKey("links.id", ondelete="CASCADE"), nullable=False),
        sa.Column("origin_side", sa.Integer, nullable=False),
        sa.Column("origin_id", sa.String(32), nullable=False),
        sa.Column("type_id", sa.String(32), nullable=False),
        sa.Column("source_id", sa.String(32), nullable=False),
        sa.Column("destination_id", sa.String(32), nullable=False),
        sa.Column("mirror_id", sa.String(32)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(500)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("sync_id", "origin_side", "origin_id", name="uq_issue_link_mirror_origin"),
    )
    op.create_index("ix_issue_link_mirrors_sync_id", "issue_link_mirrors", ["sync_id"])
    op.create_index("ix_issue_link_mirrors_owner_link_id", "issue_link_mirrors", ["owner_link_id"])


def downgrade() -> None:
    op.drop_index("ix_issue_link_mirrors_owner_link_id", table_name="issue_link_mirrors")
    op.drop_index("ix_issue_link_mirrors_sync_id", table_name="issue_link_mirrors")
    op.drop_table("issue_link_mirrors")
