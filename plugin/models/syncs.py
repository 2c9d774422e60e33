"""Synchronizations (two sides: a tenant and a project each), their published configurations, and the audit log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from plugin.models.base import Base, utcnow
from plugin.models.tenants import Tenant

REQUESTED, DECLINED, ACTIVE = "requested", "declined", "active"
STATES = (REQUESTED, DECLINED, ACTIVE)
MODES = ("immediate", "review")
# A pair of projects may have one open (requested or active) synchronization at a time.
OPEN_PAIR = "deleted_at IS NULL AND state <> 'declined'"


class Synchronization(Base):
    """A pairing of two projects: side 1 asked (the requester), side 2 answers (the partner)."""

    __tablename__ = "synchronizations"
    __table_args__ = (
        Index("uq_synchronization_open_pair", "pair_key", unique=True,
              sqlite_where=text(OPEN_PAIR), postgresql_where=text(OPEN_PAIR)),
        Index("ix_synchronizations_side1", "side1_tenant_id", "side1_project_id"),
        Index("ix_synchronizations_side2", "side2_tenant_id", "side2_project_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    mode: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16), default=REQUESTED)
    running: Mapped[bool] = mapped_column(Boolean, default=False)
    decline_message: Mapped[str | None] = mapped_column(Text)
    configuration_version: Mapped[int | None] = mapped_column(Integer)
    # Bumped by every draft send, accept, decline and publish: a compare-and-set decides concurrent ones.
    draft_revision: Mapped[int] = mapped_column(Integer, default=0)
    side1_tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    side1_project_id: Mapped[str] = mapped_column(String(32))
    side1_project_key: Mapped[str] = mapped_column(String(255))
    side2_tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    side2_project_id: Mapped[str] = mapped_column(String(32))
    side2_project_key: Mapped[str] = mapped_column(String(255))
    # The unordered pair of (tenant, project) of both sides: A↔B and B↔A are the same pair.
    pair_key: Mapped[str] = mapped_column(String(128))
    created_by: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When it first started: issues created before then are "existing issues" (synced only if configured so).
    first_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    side1_tenant: Mapped[Tenant] = relationship(foreign_keys=[side1_tenant_id], lazy="raise")
    side2_tenant: Mapped[Tenant] = relationship(foreign_keys=[side2_tenant_id], lazy="raise")
    drafts: Mapped[list[SyncDraft]] = relationship(lazy="raise", order_by="SyncDraft.side",
                                                   cascade="all, delete-orphan")

    def draft(self, side: int) -> SyncDraft | None:
        """Side 1's or side 2's draft, if it has one."""
        return next((d for d in self.drafts if d.side == side), None)

    def tenant_id(self, side: int) -> int:
        """The tenant id of side 1 or 2."""
        return self.side1_tenant_id if side == 1 else self.side2_tenant_id

    def tenant(self, side: int) -> Tenant:
        """The tenant of side 1 or 2 (loaded with the row by the scoped queries)."""
        return self.side1_tenant if side == 1 else self.side2_tenant

    def project_id(self, side: int) -> str:
        """The Jira project id of side 1 or 2."""
        return self.side1_project_id if side == 1 else self.side2_project_id

    def project_key(self, side: int) -> str:
        """The Jira project key of side 1 or 2 (as it was when last seen)."""
        return self.side1_project_key if side == 1 else self.side2_project_key

    @property
    def same_site(self) -> bool:
        """Both sides are projects of one Jira site."""
        return self.side1_tenant_id == self.side2_tenant_id


def pair_key(tenant1: int, project1: str, tenant2: int, project2: str) -> str:
    """The order-independent key of a pair of (tenant, project)."""
    return "|".join(sorted((f"{tenant1}:{project1}", f"{tenant2}:{project2}")))


class SyncConfiguration(Base):
    """A published version of a synchronization's configuration; every version is kept."""

    __tablename__ = "sync_configurations"
    __table_args__ = (UniqueConstraint("sync_id", "version", name="uq_sync_configuration_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sync_id: Mapped[int] = mapped_column(ForeignKey("synchronizations.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict] = mapped_column(JSON)
    published_by: Mapped[str | None] = mapped_column(String(128))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


DRAFT_STATES = ("editing", "sent", "declined")


class SyncDraft(Base):
    """One side's proposed configuration (review mode): edited, sent to the partner, and accepted or declined."""

    __tablename__ = "sync_drafts"
    __table_args__ = (UniqueConstraint("sync_id", "side", name="uq_sync_draft_side"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sync_id: Mapped[int] = mapped_column(ForeignKey("synchronizations.id", ondelete="CASCADE"))
    side: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict] = mapped_column(JSON)
    state: Mapped[str] = mapped_column(String(16), default="editing")
    base_version: Mapped[int | None] = mapped_column(Integer)
    message: Mapped[str | None] = mapped_column(Text)
    decline_message: Mapped[str | None] = mapped_column(Text)
    updated_by: Mapped[str | None] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class AuditEvent(Base):
    """One action on a synchronization: who (account and site), which side, what, when, from which page."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_sync", "sync_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sync_id: Mapped[int] = mapped_column(ForeignKey("synchronizations.id", ondelete="CASCADE"))
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="SET NULL"))
    side: Mapped[int | None] = mapped_column(Integer)
    account_id: Mapped[str | None] = mapped_column(String(128))
    action: Mapped[str] = mapped_column(String(32))
    page: Mapped[str | None] = mapped_column(String(300))
    old_status: Mapped[str | None] = mapped_column(String(32))
    new_status: Mapped[str | None] = mapped_column(String(32))
    detail: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    tenant: Mapped[Tenant | None] = relationship(lazy="joined")
