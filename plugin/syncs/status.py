"""What each side sees of a synchronization: its status, draft status, and the actions it may take. Pure."""
from __future__ import annotations

from plugin.engine.core.model import other
from plugin.models.syncs import DECLINED, REQUESTED, Synchronization

REQUEST_SENT, INCOMING_REQUEST, STATUS_DECLINED = "request_sent", "incoming_request", "declined"
RUNNING, STOPPED = "running", "stopped"
STATUSES = (REQUEST_SENT, INCOMING_REQUEST, STATUS_DECLINED, RUNNING, STOPPED)
DRAFT_STATUSES = ("n/a", "draft_sent", "draft_received", "declined", "draft_published")
ANSWERING = ("accept", "decline")  # actions only side 2 may take


def status(sync: Synchronization, side: int) -> str:
    """The status `side` sees (derived from the stored state, never stored twice)."""
    if sync.state == REQUESTED:
        return REQUEST_SENT if side == 1 else INCOMING_REQUEST
    if sync.state == DECLINED:
        return STATUS_DECLINED
    return RUNNING if sync.running else STOPPED


def draft_status(sync: Synchronization, side: int) -> str:
    """The configuration's draft status as `side` sees it (its own draft first, then the partner's)."""
    mine, theirs = sync.draft(side), sync.draft(other(side))
    if mine is not None and mine.state == "sent":
        return "draft_sent"
    if theirs is not None and theirs.state == "sent":
        return "draft_received"
    if mine is not None and mine.state == "declined":
        return "declined"
    return "draft_published" if sync.configuration_version else "n/a"


def visible_to(sync: Synchronization, tenant_id: int) -> bool:
    """True when the site takes part and may still see it (a declined request is gone for side 2)."""
    if sync.deleted_at is not None:
        return False
    return sync.side1_tenant_id == tenant_id or (sync.side2_tenant_id == tenant_id and sync.state != DECLINED)


def side_of(sync: Synchronization, tenant_id: int, project_id: str | None = None, action: str | None = None) -> int:
    """The side a caller of site `tenant_id` acts as (0 if the site takes no part).

    Across sites the site decides. On one site the side whose project the caller names wins; otherwise the
    caller answers a request as side 2 and does everything else as side 1.
    """
    sides = [n for n in (1, 2) if sync.tenant_id(n) == tenant_id]
    if len(sides) <= 1:
        return sides[0] if sides else 0
    named = [n for n in sides if project_id is not None and sync.project_id(n) == project_id]
    if named:
        return named[0]
    return 2 if action in ANSWERING else 1


def allowed_actions(sync: Synchronization, side: int, project_id: str | None = None) -> list[str]:
    """The actions `side` may take now, seen from the page of `project_id` (None: the administration page)."""
    current = status(sync, side)
    actions = ["edit", "delete"]
    answers = side_of(sync, sync.tenant_id(side), project_id, "accept") == 2
    if sync.state == REQUESTED and answers:
        actions[:0] = ["accept", "decline"]
    elif current == STOPPED:
        actions[:0] = (["start"] if sync.configuration_version else []) + ["configure"]
    elif current == RUNNING:
        actions[:0] = ["stop", "configure"]
    return actions
