"""The sync engine: links with their base snapshot, dirty issues, poll cursors, errors; our app user per site.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("app_account_id", sa.String(128)))
    op.create_table(
        "links",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sync_id", sa.Integer, sa.ForeignKey("synchronizations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("side1_issue_id", sa.String(32)),
        sa.Column("side1_issue_key", sa.String(300)),
        sa.Column("side2_issue_id", sa.String(32)),
        sa.Column("side2_issue_key", sa.String(300)),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("origin_side", sa.Integer, nullable=False),
        sa.Column("create_token", sa.String(64)),
        sa.Column("base", sa.JSON, nullable=False),
        sa.Column("side1_updated", sa.String(40)),
        sa.Column("side2_updated", sa.String(40)),
        sa.Column("configuration_version", sa.Integer),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_synced_at", sa.DateTime(timezone=True)),
    )
    op.create_index("ix_links_sync_id", "links", ["sync_id"])
    for side in (1, 2):
        where = sa.text(f"side{side}_issue_id IS NOT NULL")
        op.create_index(f"uq_links_side{side}", "links", ["sync_id", f"side{side}_issue_id"], unique=True,
                        sqlite_where=where, postgresql_where=where)
    op.create_table(
        "dirty_issues",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sync_id", sa.Integer, sa.ForeignKey("synchronizations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("side", sa.Integer, nullable=False),
        sa.Column("issue_id", sa.String(32), nullable=False),
        sa.Column("reason", sa.String(16), nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_marked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("sync_id", "side", "issue_id", name="uq_dirty_issue"),
    )
    op.create_index("ix_dirty_due", "dirty_issues", ["not_before"])
    op.create_table(
        "poll_cursors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sync_id", sa.Integer, sa.ForeignKey("synchronizations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("side", sa.Integer, nullable=False),
        sa.Column("cursor", sa.DateTime(timezone=True), nullable=False),
        sa.Column("polled_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("sync_id", "side", name="uq_poll_cursor"),
    )
    op.create_table(
        "sync_errors",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sync_id", sa.Integer, sa.ForeignKey("synchronizations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("side", sa.Integer),
        sa.Column("issue_id", sa.String(32)),
        sa.Column("issue_key", sa.String(300)),
        sa.Column("field", sa.String(300)),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("fix", sa.Text),
        sa.Column("trigger", sa.String(16)),
        sa.Column("permanent", sa.Boolean, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("detail", sa.JSON),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sync_errors_where", "sync_errors", ["sync_id", "state", "fingerprint"])


def downgrade() -> None:
    op.drop_table("sync_errors")
    op.drop_table("poll_cursors")
    op.drop_table("dirty_issues")
    op.drop_table("links")
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("app_account_id")
