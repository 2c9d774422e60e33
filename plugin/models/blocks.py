"""Sites a site refuses requests from: a Jira admin of the blocking site blocks a requesting site."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plugin.models.base import Base, utcnow
from plugin.models.tenants import Tenant


class SiteBlock(Base):
    """`tenant` (the blocking site) accepts no synchronization request from `blocked_tenant`."""

    __tablename__ = "site_blocks"
    __table_args__ = (UniqueConstraint("tenant_id", "blocked_tenant_id", name="uq_site_blocks_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    blocked_tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    blocked_tenant: Mapped[Tenant] = relationship(foreign_keys=[blocked_tenant_id], lazy="joined")
