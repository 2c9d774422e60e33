"""What the pages warn about: synchronizations with open errors (the overview's badge and banner) and sides that
cannot be reached. A site the poll cannot reach becomes a site-wide error row (no issue), resolved by the next poll
that works; both moments are audited as automatic state changes."""
from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from plugin.errors import AuthError, NotFound, PermissionDenied, TransientError, WorkSyncError
from plugin.models import Tenant, utcnow
from plugin.models.problems import OPEN, RESOLVED, SyncError
from plugin.models.syncs import ACTIVE, REQUESTED, Synchronization
from plugin.syncs import audit, problems, scope
from plugin.syncs.status import stored_status

UNREACHABLE = ("auth", "permission", "transient")
MAX_NOTICES = 20


def open_by_sync(session: Session, sync_ids: list[int]) -> dict[int, int]:
    """How many open errors each synchronization has (one query for a page of them)."""
    if not sync_ids:
        return {}
    rows = session.execute(select(SyncError.sync_id, func.count(SyncError.id)).where(
        SyncError.sync_id.in_(sync_ids), SyncError.state == OPEN).group_by(SyncError.sync_id))
    return dict(rows.all())


def _unreachable_rows(session: Session, sync_ids: list[int]) -> list[SyncError]:
    if not sync_ids:
        return []
    return list(session.scalars(select(SyncError).where(
        SyncError.sync_id.in_(sync_ids), SyncError.state == OPEN,
        or_(SyncError.category == "auth", and_(SyncError.issue_id.is_(None), SyncError.category.in_(UNREACHABLE))))
        .order_by(SyncError.last_seen.desc())))


def unreachable(session: Session, syncs: list[Synchronization]) -> dict[int, dict[int, str]]:
    """Per synchronization, the sides that cannot be reached now and why: the app is not active there, Jira refuses
    our credentials, or the poll found the site down."""
    found: dict[int, dict[int, str]] = {}
    for sync in syncs:
        for side in (1, 2):
            if not sync.tenant(side).active:
                found.setdefault(sync.id, {})[side] = "Work Sync is not installed and enabled there"
    for row in _unreachable_rows(session, [sync.id for sync in syncs]):
        if row.side in (1, 2):
            found.setdefault(row.sync_id, {}).setdefault(row.side, row.message)
    return found


def banner(session: Session, tenant: Tenant, project_id: str | None) -> list[dict]:
    """The site's (or project's) active synchronizations that have open errors or an unreachable side."""
    syncs = list(session.scalars(scope.query(tenant, project_id).where(Synchronization.state == ACTIVE)
                                 .order_by(func.lower(Synchronization.name), Synchronization.id)).unique())
    counts = open_by_sync(session, [sync.id for sync in syncs])
    down = unreachable(session, syncs)
    notices = []
    for sync in syncs:
        if counts.get(sync.id) or down.get(sync.id):
            notices.append({"synchronization": {"id": str(sync.id), "name": sync.name},
                            "openErrors": counts.get(sync.id, 0),
                            "unreachable": [{"side": side, "site": sync.tenant(side).base_url, "message": why}
                                            for side, why in sorted(down.get(sync.id, {}).items())]})
    return notices[:MAX_NOTICES]


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
        audit.record(session, sync, "side unreachable", actor=None, side=side, old_status=stored_status(sync),
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
        audit.record(session, sync, "side reachable", actor=None, side=side, old_status=stored_status(sync),
                     detail={"site": sync.tenant(side).base_url})


def site_changed(session: Session, tenant: Tenant, what: str) -> int:
    """Jira installed, enabled, disabled or uninstalled Work Sync on a site: an automatic row in the history of
    every open synchronization with a side there (`what`: "site installed", "site enabled", ...)."""
    S = Synchronization
    syncs = session.scalars(select(S).where(S.deleted_at.is_(None), S.state.in_((REQUESTED, ACTIVE)),
                                            or_(S.side1_tenant_id == tenant.id, S.side2_tenant_id == tenant.id)))
    count = 0
    for sync in syncs:
        for side in (1, 2):
            if sync.tenant_id(side) == tenant.id and (side == 1 or sync.side1_tenant_id != tenant.id):
                audit.record(session, sync, what, actor=None, side=side, old_status=stored_status(sync),
                             detail={"site": tenant.base_url})
                count += 1
    return count
