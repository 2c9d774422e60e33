"""What the pages warn about: synchronizations with open errors (the overview's badge and banner), sides that cannot
be reached (see `plugin.engine.reachability`), and the sites where Jira changed the app's state."""
from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from plugin import audit
from plugin.audit import stored_status
from plugin.engine.reachability import UNREACHABLE
from plugin.models import Tenant
from plugin.models.problems import OPEN, SyncError
from plugin.models.syncs import ACTIVE, REQUESTED, Synchronization
from plugin.syncs import scope

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
