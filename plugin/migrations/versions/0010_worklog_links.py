"""Worklogs carried between linked pairs: each worklog and its mirror, stored as an intent before Jira is asked.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "worklog_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("link_id", sa.Integer, sa.ForeignKey("links.id", ondelete="CASCADE"), nullable=False),
        sa.Column("origin_side", sa.Integer, nullable=False),
        sa.Column("origin_id", sa.String(32), nullable=False),
        sa.Column("mirror_id", sa.String(32)),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("digest", sa.String(64)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("link_id", "origin_side", "origin_id", name="uq_worklog_link_origin"),
    )
    op.create_index("ix_worklog_links_link_id", "worklog_links", ["link_id"])


def downgrade() -> None:
    op.drop_index("ix_worklog_links_link_id", table_name="worklog_links")
    op.drop_table("worklog_links")
