"""Synchronizations, their published configurations, drafts and the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

OPEN_PAIR = "deleted_at IS NULL AND state <> 'declined'"


def upgrade() -> None:
    op.create_table(
        "synchronizations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("running", sa.Boolean, nullable=False),
        sa.Column("decline_message", sa.Text),
        sa.Column("configuration_version", sa.Integer),
        sa.Column("draft_revision", sa.Integer, nullable=False),
        sa.Column("side1_tenant_id", sa.Integer, sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("side1_project_id", sa.String(32), nullable=False),
        sa.Column("side1_project_key", sa.String(255), nullable=False),
        sa.Column("side2_tenant_id", sa.Integer, sa.ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
        sa.Column("side2_project_id", sa.String(32), nullable=False),
        sa.Column("side2_project_key", sa.String(255), nullable=False),
        sa.Column("pair_key", sa.String(128), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True)),
    )
    op.create_index("uq_synchronization_open_pair", "synchronizations", ["pair_key"], unique=True,
                    sqlite_where=sa.text(OPEN_PAIR), postgresql_where=sa.text(OPEN_PAIR))
    op.create_index("ix_synchronizations_side1", "synchronizations", ["side1_tenant_id", "side1_project_id"])
    op.create_index("ix_synchronizations_side2", "synchronizations", ["side2_tenant_id", "side2_project_id"])
    op.create_table(
        "sync_configurations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sync_id", sa.Integer, sa.ForeignKey("synchronizations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("published_by", sa.String(128)),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("sync_id", "version", name="uq_sync_configuration_version"),
    )
    op.create_table(
        "sync_drafts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sync_id", sa.Integer, sa.ForeignKey("synchronizations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("side", sa.Integer, nullable=False),
        sa.Column("document", sa.JSON, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("base_version", sa.Integer),
        sa.Column("message", sa.Text),
        sa.Column("decline_message", sa.Text),
        sa.Column("updated_by", sa.String(128)),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("sync_id", "side", name="uq_sync_draft_side"),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sync_id", sa.Integer, sa.ForeignKey("synchronizations.id", ondelete="CASCADE"), nullable=False),
        sa.Column("tenant_id", sa.Integer, sa.ForeignKey("tenants.id", ondelete="SET NULL")),
        sa.Column("side", sa.Integer),
        sa.Column("account_id", sa.String(128)),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("page", sa.String(300)),
        sa.Column("old_status", sa.String(32)),
        sa.Column("new_status", sa.String(32)),
        sa.Column("detail", sa.JSON),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_audit_events_sync", "audit_events", ["sync_id", "id"])


def downgrade() -> None:
    op.drop_table("audit_events")
    op.drop_table("sync_drafts")
    op.drop_table("sync_configurations")
    op.drop_table("synchronizations")
