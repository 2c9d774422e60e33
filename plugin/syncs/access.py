"""Reaching one synchronization as an actor: visible to their site (404), then permitted by Jira (403)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from plugin.audit import Actor
from plugin.models.syncs import Synchronization
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
