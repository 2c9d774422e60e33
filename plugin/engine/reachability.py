"""Whether the poll reached each side: a site it cannot reach becomes a site-wide error row (no issue), resolved by
the next poll that works; both moments are audited as automatic state changes."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin import audit
from plugin.engine import problems
from plugin.errors import AuthError, NotFound, PermissionDenied, TransientError, WorkSyncError
from plugin.models import utcnow
from plugin.models.problems import OPEN, RESOLVED, SyncError
from plugin.models.syncs import Synchronization

UNREACHABLE = ("auth", "permission", "transient")


def site_failed(session: Session, sync: Synchronization, side: int, exc: WorkSyncError, trigger: str) -> None:
    """The poll could not reach a side: a site-wide error row (counted while it lasts); the first time, audited."""
    category = _category(exc)
    site = sync.tenant(side).display_url or sync.tenant(side).base_url
    message = f"{site} cannot be reached: {exc.message}" if category in UNREACHABLE else \
        f"The poll of {sync.project_key(side)} on {site} failed: {exc.message}"
    row = problems.record(session, sync.id, category=category, side=side, trigger=trigger,
                          permanent=category != "transient", message=message)
    session.flush()
    if row.count == 1 and category in UNREACHABLE:
        audit.record(session, sync, "side unreachable", actor=None, side=side, old_status=audit.stored_status(sync),
                     detail={"site": sync.tenant(side).base_url, "category": category})


def _category(exc: WorkSyncError) -> str:
    if isinstance(exc, AuthError):
        return "auth"
    if isinstance(exc, PermissionDenied):
        return "permission"
    if isinstance(exc, TransientError):
        return "transient"
    return "not_found" if isinstance(exc, NotFound) else "validation"


def site_reached(session: Session, sync: Synchronization, side: int) -> None:
    """The poll reached a side: its site-wide errors are resolved, and that is audited when there were some."""
    rows = list(session.scalars(select(SyncError).where(
        SyncError.sync_id == sync.id, SyncError.side == side, SyncError.issue_id.is_(None), SyncError.state == OPEN)))
    for row in rows:
        row.state, row.last_seen = RESOLVED, utcnow()
    if any(row.category in UNREACHABLE for row in rows):
        audit.record(session, sync, "side reachable", actor=None, side=side, old_status=audit.stored_status(sync),
                     detail={"site": sync.tenant(side).base_url})
