"""Database tables. Tenant-owned rows carry `tenant_id`; query them through helpers that take the tenant."""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlsplit

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    """Timezone-aware now, the only clock the models use."""
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    """Declarative base of all tables."""


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

    @property
    def frame_ancestors(self) -> list[str]:
        """Origins allowed to frame our pages for this site (CSP matches ancestors by origin, never by path)."""
        origins = set()
        for url in (self.base_url, self.display_url):
            if url:
                parts = urlsplit(url)
                origins.add(f"{parts.scheme}://{parts.netloc}")
        return sorted(origins)


class LifecycleEvent(Base):
    """What happened to a tenant's installation, and when (install, reinstall, uninstall, ...)."""

    __tablename__ = "lifecycle_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WebhookDelivery(Base):
    """A webhook as received, deduplicated by Jira's delivery identifier (the sync inbox)."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (UniqueConstraint("tenant_id", "delivery_id", name="uq_webhook_delivery"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"), index=True)
    delivery_id: Mapped[str] = mapped_column(String(255))
    event: Mapped[str] = mapped_column(String(64))
    issue_id: Mapped[str | None] = mapped_column(String(64))
    payload: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
