"""Tenants (installed Jira sites) and their lifecycle events."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from plugin.models.base import Base, utcnow


class Tenant(Base):
    """One Jira site where the app is installed, known by its clientKey."""

    __tablename__ = "tenants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_key: Mapped[str] = mapped_column(String(255), unique=True)
    base_url: Mapped[str] = mapped_column(String(512), index=True)
    display_url: Mapped[str | None] = mapped_column(String(512))
    shared_secret_encrypted: Mapped[str] = mapped_column(Text)
    product_type: Mapped[str] = mapped_column(String(32), default="jira")
    installed: Mapped[bool] = mapped_column(Boolean, default=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set when another clientKey installed from the same baseUrl (a site import or restore).
    replaced_by_client_key: Mapped[str | None] = mapped_column(String(255))
    installed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    uninstalled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @property
    def active(self) -> bool:
        """Installed and enabled: the only state in which we accept its calls or call it."""
        return self.installed and self.enabled


class LifecycleEvent(Base):
    """What happened to a tenant's installation, and when (install, reinstall, uninstall, ...)."""

    __tablename__ = "lifecycle_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
