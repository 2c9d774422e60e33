"""The audit log of a synchronization: every action, by whom (the Actor), from which site, side and page."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plugin.models import Tenant
from plugin.models.base import iso
from plugin.models.syncs import ACTIVE, AuditEvent, Synchronization


@dataclass(frozen=True)
class Actor:
    """A user acting through one of our pages: their site, accountId and the project page they are on, if any."""

    tenant: Tenant
    account_id: str
    project_id: str | None = None
    project_key: str | None = None

    @property
    def page(self) -> str:
        """Which page the call came from, as the audit log records it."""
        return f"project-settings:{self.project_key}" if self.project_id else "admin"


def stored_status(sync: Synchronization) -> str:
    """The stored state in one word, as the audit log records it."""
    if sync.deleted_at is not None:
        return "deleted"
    if sync.state == ACTIVE:
        return "running" if sync.running else "stopped"
    return sync.state


def record(session: Session, sync: Synchronization, action: str, *, actor: Actor | None, side: int | None,
           old_status: str | None, detail: dict | None = None) -> AuditEvent:
    """Add an audit row for `action` (the new status is read from the synchronization as it is now)."""
    event = AuditEvent(sync_id=sync.id, action=action, side=side, old_status=old_status,
                       new_status=stored_status(sync), detail=detail or None,
                       tenant_id=actor.tenant.id if actor else None,
                       account_id=actor.account_id if actor else None, page=actor.page if actor else None)
    session.add(event)
    return event


def page_of(session: Session, sync: Synchronization, page: int = 1, per_page: int = 50) -> tuple[list[AuditEvent], int]:
    """The newest audit rows of a synchronization the caller may already see, and their total."""
    page, per_page = max(1, page), max(1, min(per_page, 100))
    total = session.scalar(select(func.count()).where(AuditEvent.sync_id == sync.id)) or 0
    rows = session.scalars(select(AuditEvent).where(AuditEvent.sync_id == sync.id)
                           .order_by(AuditEvent.id.desc()).limit(per_page).offset((page - 1) * per_page)).all()
    return list(rows), total


def as_json(event: AuditEvent) -> dict:
    """One audit row as the API and the support bundle show it (automatic changes have no account)."""
    return {"id": str(event.id), "action": event.action, "side": event.side, "accountId": event.account_id,
            "site": event.tenant.base_url if event.tenant else None, "page": event.page,
            "oldStatus": event.old_status, "newStatus": event.new_status, "detail": event.detail,
            "createdAt": iso(event.created_at)}
