"""Connect hardening: one active tenant per baseUrl, claims awaiting proof, lifecycle token memory.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ACTIVE_WHERE = {
    "sqlite": "installed = 1 AND enabled = 1 AND awaiting_proof = 0 AND replaced_by_client_key IS NULL",
    "postgresql": "installed AND enabled AND NOT awaiting_proof AND replaced_by_client_key IS NULL",
}


def upgrade() -> None:
    with op.batch_alter_table("tenants") as batch:
        batch.add_column(sa.Column("awaiting_proof", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("last_lifecycle_iat", sa.BigInteger))
    # Earlier versions left a replaced tenant's row enabled=False with replaced_by set, so no two rows are active.
    op.create_index("uq_tenants_active_base_url", "tenants", ["base_url"], unique=True,
                    sqlite_where=sa.text(ACTIVE_WHERE["sqlite"]), postgresql_where=sa.text(ACTIVE_WHERE["postgresql"]))
    op.create_table(
        "seen_install_tokens",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_seen_install_tokens_expires_at", "seen_install_tokens", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_seen_install_tokens_expires_at", table_name="seen_install_tokens")
    op.drop_table("seen_install_tokens")
    op.drop_index("uq_tenants_active_base_url", table_name="tenants")
    with op.batch_alter_table("tenants") as batch:
        batch.drop_column("last_lifecycle_iat")
        batch.drop_column("awaiting_proof")
