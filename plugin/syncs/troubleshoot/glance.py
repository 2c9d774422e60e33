"""The issue glance (and issue context): for an issue of this site, its partner in every active synchronization —
the partner's key and where to open it, the pair's state, when it last synced, and the pair's open errors."""
from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, joinedload

from plugin.audit import Actor
from plugin.engine.core.model import other
from plugin.models.base import iso
from plugin.models.links import Link
from plugin.models.syncs import ACTIVE, Synchronization
from plugin.syncs import status as st
from plugin.syncs.permissions import Permissions
from plugin.syncs.troubleshoot import errors

S = Synchronization


def links_of_issue(session: Session, actor: Actor, issue_id: str) -> list[tuple[Synchronization, int, Link]]:
    """(synchronization, the issue's side, link) for every active synchronization that links this site's issue."""
    tenant = actor.tenant.id
    rows = session.execute(select(Link, S).join(S, S.id == Link.sync_id).where(
        S.deleted_at.is_(None), S.state == ACTIVE,
        or_(and_(S.side1_tenant_id == tenant, Link.side1_issue_id == issue_id),
            and_(S.side2_tenant_id == tenant, Link.side2_issue_id == issue_id)))
        .options(joinedload(S.side1_tenant), joinedload(S.side2_tenant)).order_by(Link.id)).unique().all()
    return [(sync, 1 if sync.side1_tenant_id == tenant and link.side1_issue_id == issue_id else 2, link)
            for link, sync in rows]


def glance(session: Session, actor: Actor, issue_id: str, permissions: Permissions) -> list[dict]:
    """What the glance shows of this issue (the caller must be able to browse it); errors come with whether the
    caller may retry them (the synchronization's admins only)."""
    permissions.require_browse_issue(actor, issue_id, "to see how it syncs")
    answer = []
    for sync, side, link in links_of_issue(session, actor, issue_id):
        partner = sync.tenant(other(side))
        key = link.issue_key(other(side))
        may_retry = permissions.may_administer(actor, {sync.project_id(side): sync.project_key(side)})
        answer.append({
            "synchronization": {"id": str(sync.id), "name": sync.name, "status": st.status(sync, side)},
            "link": str(link.id), "state": link.state, "lastSyncedAt": iso(link.last_synced_at),
            "partner": {"key": key, "id": link.issue_id(other(side)), "site": partner.base_url,
                        "url": f"{partner.base_url}/browse/{key}" if key else None},
            "errors": errors.described(session, sync, errors.open_of_link(session, sync.id, link), detail=False),
            "canRetry": may_retry,
        })
    return answer
