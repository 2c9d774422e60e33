"""Components and versions paired per synchronization (side 1's id and its partner's), so renames follow the pair.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "value_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sync_id", sa.Integer, sa.ForeignKey("synchronizations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("side1_id", sa.String(32), nullable=False),
        sa.Column("side2_id", sa.String(32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("sync_id", "kind", "side1_id", name="uq_value_link_side1"),
        sa.UniqueConstraint("sync_id", "kind", "side2_id", name="uq_value_link_side2"),
    )
    op.create_index("ix_value_links_sync_id", "value_links", ["sync_id"])


def downgrade() -> None:
    op.drop_index("ix_value_links_sync_id", table_name="value_links")
    op.drop_table("value_links")
