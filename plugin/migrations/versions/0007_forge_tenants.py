"""Tenants of two kinds: Connect sites and Forge Remote installations (installation id, cloudId, apiBaseUrl,
the encrypted app system token and its expiry).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="connect"))
        batch.add_column(sa.Column("installation_id", sa.String(255)))
        batch.add_column(sa.Column("cloud_id", sa.String(64)))
        batch.add_column(sa.Column("api_base_url", sa.String(512)))
        batch.add_column(sa.Column("system_token_encrypted", sa.Text))
        batch.add_column(sa.Column("system_token_expires_at", sa.DateTime(timezone=True)))
        batch.create_unique_constraint("uq_tenants_installation_id", ["installation_id"])
        batch.create_index("ix_tenants_cloud_id", ["cloud_id"])


def downgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.drop_index("ix_tenants_cloud_id")
        batch.drop_constraint("uq_tenants_installation_id", type_="unique")
        for column in ("system_token_expires_at", "system_token_encrypted", "api_base_url", "cloud_id",
                       "installation_id", "kind"):
            batch.drop_column(column)
