"""What a synchronization carries besides fields: comment and attachment links, the initial sync of existing
issues, and when a synchronization first started.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("synchronizations") as batch:
        batch.add_column(sa.Column("first_started_at", sa.DateTime(timezone=True)))
    op.create_table(
        "comment_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("link_id", sa.Integer, sa.ForeignKey("links.id", ondelete="CASCADE"), nullable=False),
        sa.Column("origin_side", sa.Integer, nullable=False),
        sa.Column("origin_id", sa.String(32), nullable=False),
        sa.Column("mirror_id", sa.String(32)),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("digest", sa.String(64)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("link_id", "origin_side", "origin_id", name="uq_comment_link_origin"),
    )
    op.create_index("ix_comment_links_link_id", "comment_links", ["link_id"])
    op.create_table(
        "attachment_links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("link_id", sa.Integer, sa.ForeignKey("links.id", ondelete="CASCADE"), nullable=False),
        sa.Column("origin_side", sa.Integer, nullable=False),
        sa.Column("origin_id", sa.String(32), nullable=False),
        sa.Column("copy_id", sa.String(32)),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("link_id", "origin_side", "origin_id", name="uq_attachment_link_origin"),
    )
    op.create_index("ix_attachment_links_link_id", "attachment_links", ["link_id"])
    op.create_table(
        "initial_syncs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sync_id", sa.Integer, sa.ForeignKey("synchronizations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("side", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("next_page_token", sa.String(2000)),
        sa.Column("total", sa.Integer),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("sync_id", "side", name="uq_initial_sync_side"),
    )


def downgrade() -> None:
    op.drop_table("initial_syncs")
    op.drop_table("attachment_links")
    op.drop_table("comment_links")
    with op.batch_alter_table("synchronizations") as batch:
        batch.drop_column("first_started_at")
