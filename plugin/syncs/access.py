"""Reaching one synchronization as an actor: visible to their site (404), then permitted by Jira (403)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from plugin.audit import Actor
from plugin.errors import Conflict
from plugin.models.syncs import ACTIVE, Synchronization
from plugin.syncs import scope
from plugin.syncs import status as st
from plugin.syncs.permissions import Permissions


def acting(session: Session, actor: Actor, sync_id: str, action: str | None, permissions: Permissions,
           doing: str, lock: bool = True) -> tuple[Synchronization, int]:
    """The synchronization and the side the actor acts as, if they may see it (404) and act on it (403)."""
    sync = scope.get(session, actor.tenant, sync_id, for_update=lock)
    side = st.side_of(sync, actor.tenant.id, actor.project_id, action)
    permissions.require_project_admin(actor, {sync.project_id(side): sync.project_key(side)}, doing)
    return sync, side


def read(session: Session, actor: Actor, sync_id: str, permissions: Permissions,
         doing: str = "to see this synchronization") -> tuple[Synchronization, int]:
    """The synchronization and the side the actor sees it from, if they may see it (404, then 403)."""
    return acting(session, actor, sync_id, None, permissions, doing, lock=False)


def partner_readable(sync: Synchronization) -> bool:
    """The partner's project (its metadata, checks, suggestion) may be read only once the partner has accepted:
    a request, pending or declined, gives the requester nothing of a project they may not even browse."""
    return sync.state == ACTIVE


def readable_sides(sync: Synchronization, side: int) -> tuple[int, ...]:
    """The sides whose projects `side` may have read for it: both once accepted, else its own alone."""
    return (1, 2) if partner_readable(sync) else (side,)


def require_accepted(sync: Synchronization, doing: str) -> None:
    """Conflict (409) unless the partner has accepted: what needs both projects waits until then."""
    if not partner_readable(sync):
        raise Conflict(f"The partner has not accepted this request: {doing} once they have")
