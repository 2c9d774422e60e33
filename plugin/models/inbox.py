"""The webhook inbox: every delivery as received, deduplicated by Jira's delivery identifier."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from plugin.models.base import Base, utcnow


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
