"""JSON of the API's resources as the caller's side sees them (ids are strings)."""
from __future__ import annotations

from datetime import datetime

from plugin import audit
from plugin.engine.core.model import other
from plugin.models.base import iso
from plugin.models.links import Link
from plugin.models.syncs import AuditEvent, Synchronization
from plugin.syncs import status as st


def when(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with milliseconds and a Z (SQLite hands back naive UTC datetimes)."""
    return iso(moment)


def side_json(sync: Synchronization, side: int) -> dict:
    """One side: its site (base URL), project key and id."""
    return {"site": sync.tenant(side).base_url, "key": sync.project_key(side), "id": sync.project_id(side)}


def _draft_saved(sync: Synchronization, side: int) -> bool:
    """The side holds a saved draft it has not sent (review mode), or could not publish (immediate mode)."""
    mine = sync.draft(side)
    return mine is not None and mine.state not in ("sent", "declined")


def sync_json(sync: Synchronization, side: int, project_id: str | None = None, open_errors: int | None = None) -> dict:
    """A synchronization as `side` sees it, with the actions it may take now from the page of `project_id` (and its
    open errors, where the page shows them)."""
    answer = {
        "id": str(sync.id), "name": sync.name, "description": sync.description, "mode": sync.mode,
        "status": st.status(sync, side), "draftStatus": st.draft_status(sync, side), "side": side,
        "project": side_json(sync, side), "partner": side_json(sync, other(side)),
        "configurationVersion": sync.configuration_version, "declineMessage": sync.decline_message,
        "createdAt": when(sync.created_at), "updatedAt": when(sync.updated_at), "createdBy": sync.created_by,
        "sameSite": sync.same_site, "actions": st.allowed_actions(sync, side, project_id),
        "draftSaved": _draft_saved(sync, side),
    }
    if open_errors is not None:
        answer["openErrors"] = open_errors
    return answer


def audit_json(event: AuditEvent) -> dict:
    """One audit row."""
    return audit.as_json(event)


def link_json(link: Link, side: int, errors: dict[str, int]) -> dict:
    """A linked pair as `side` sees it (local and partner issue), with its open errors (counts by issue id)."""
    return {"id": str(link.id), "state": link.state, "lastSyncedAt": when(link.last_synced_at),
            "local": {"key": link.issue_key(side), "id": link.issue_id(side)},
            "partner": {"key": link.issue_key(other(side)), "id": link.issue_id(other(side))},
            "openErrors": sum(errors.get(issue_id, 0) for issue_id in (link.side1_issue_id, link.side2_issue_id)
                              if issue_id is not None)}
