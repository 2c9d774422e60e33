"""Tenants (installed Jira sites) and their lifecycle events."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, and_, false, text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column

from plugin.models.base import Base, utcnow

# "Active" in SQL, per dialect (SQLite keeps booleans as 0/1): at most one active tenant per baseUrl.
ACTIVE_WHERE = {
    "sqlite": "installed = 1 AND enabled = 1 AND awaiting_proof = 0 AND replaced_by_client_key IS NULL",
    "postgresql": "installed AND enabled AND NOT awaiting_proof AND replaced_by_client_key IS NULL",
}


KIND_CONNECT, KIND_FORGE = "connect", "forge"


class Tenant(Base):
    """One Jira site where the app is installed, known by its clientKey."""

    __tablename__ = "tenants"
    __table_args__ = (
        Index("uq_tenants_active_base_url", "base_url", unique=True,
              sqlite_where=text(ACTIVE_WHERE["sqlite"]), postgresql_where=text(ACTIVE_WHERE["postgresql"])),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_key: Mapped[str] = mapped_column(String(255), unique=True)
    base_url: Mapped[str] = mapped_column(String(512), index=True)
    display_url: Mapped[str | None] = mapped_column(String(512))
    shared_secret_encrypted: Mapped[str] = mapped_column(Text)
    product_type: Mapped[str] = mapped_column(String(32), default="jira")
    installed: Mapped[bool] = mapped_column(Boolean, default=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when another clientKey proved it owns this baseUrl now (a site import or restore).
    replaced_by_client_key: Mapped[str | None] = mapped_column(String(255))
    # True while this clientKey claims a baseUrl another tenant holds and has not proved its secret works there.
    awaiting_proof: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # `iat` of the newest signed lifecycle call (install/uninstall) accepted: older ones are refused.
    last_lifecycle_iat: Mapped[int | None] = mapped_column(BigInteger)
    # Our app's own user on this site (learnt from /myself): webhooks it caused are our writes coming back.
    app_account_id: Mapped[str | None] = mapped_column(String(128))
    installed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    uninstalled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # "connect" (clientKey, sharedSecret) or "forge" (a Forge Remote installation; client_key = installation_id,
    # and the shared secret a random one nobody knows, so that no Connect JWT can ever name a Forge tenant).
    kind: Mapped[str] = mapped_column(String(16), default=KIND_CONNECT, server_default=KIND_CONNECT)
    installation_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    cloud_id: Mapped[str | None] = mapped_column(String(64), index=True)
    api_base_url: Mapped[str | None] = mapped_column(String(512))
    # The app system token, encrypted like the shared secret, and when it stops working.
    system_token_encrypted: Mapped[str | None] = mapped_column(Text)
    system_token_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @hybrid_property
    def active(self) -> bool:
        """Installed, enabled, proven and not replaced: the only state in which we accept its calls or call it."""
        return self.installed and self.enabled and not self.awaiting_proof and self.replaced_by_client_key is None

    @active.inplace.expression
    @classmethod
    def _active_expression(cls):
        return and_(cls.installed.is_(True), cls.enabled.is_(True), cls.awaiting_proof.is_(False),
                    cls.replaced_by_client_key.is_(None))


class LifecycleEvent(Base):
    """What happened to a tenant's installation, and when (install, reinstall, uninstall, ...)."""

    __tablename__ = "lifecycle_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SeenInstallToken(Base):
    """A signed lifecycle token already accepted, kept (as a hash) until it expires: it is never accepted twice."""

    __tablename__ = "seen_install_tokens"

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
