"""JSON of the API's resources as the caller's side sees them (ids are strings)."""
from __future__ import annotations

from datetime import UTC, datetime

from plugin.models.syncs import AuditEvent, Synchronization
from plugin.syncs import status as st


def when(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with milliseconds and a Z (SQLite hands back naive UTC datetimes)."""
    if moment is None:
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def side_json(sync: Synchronization, side: int) -> dict:
    """One side: its site (base URL), project key and id."""
    return {"site": sync.tenant(side).base_url, "key": sync.project_key(side), "id": sync.project_id(side)}


def sync_json(sync: Synchronization, side: int, project_id: str | None = None) -> dict:
    """A synchronization as `side` sees it, with the actions it may take now from the page of `project_id`."""
    return {
        "id": str(sync.id), "name": sync.name, "description": sync.description, "mode": sync.mode,
        "status": st.status(sync, side), "draftStatus": st.draft_status(sync, side), "side": side,
        "project": side_json(sync, side), "partner": side_json(sync, 3 - side),
        "configurationVersion": sync.configuration_version, "declineMessage": sync.decline_message,
        "createdAt": when(sync.created_at), "updatedAt": when(sync.updated_at), "createdBy": sync.created_by,
        "sameSite": sync.same_site, "actions": st.allowed_actions(sync, side, project_id),
    }


def audit_json(event: AuditEvent) -> dict:
    """One audit row."""
    return {"id": str(event.id), "action": event.action, "side": event.side, "accountId": event.account_id,
            "site": event.tenant.base_url if event.tenant else None, "page": event.page,
            "oldStatus": event.old_status, "newStatus": event.new_status, "detail": event.detail,
            "createdAt": when(event.created_at)}
