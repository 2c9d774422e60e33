"""Published configurations of a synchronization (the mapping document itself grows in plugin/syncs/config)."""
from __future__ import annotations

from sqlalchemy.orm import Session

from plugin.models.syncs import SyncConfiguration, Synchronization


def empty_document() -> dict:
    """A configuration that maps nothing yet: every top-level key, no rows."""
    return {"issueTypes": [], "fields": [], "statuses": [], "users": {"match": ["accountId"], "pairs": [],
                                                                       "fallback": {"type": "unassigned"}},
            "comments": {"direction": "none"}, "attachments": {"direction": "none"},
            "filters": {"1": None, "2": None}, "existingIssues": "ignore", "deletes": "ignore"}


def publish(session: Session, sync: Synchronization, document: dict, by: str | None) -> SyncConfiguration:
    """Store `document` as the next published version and make it the synchronization's live one."""
    version = (sync.configuration_version or 0) + 1
    published = SyncConfiguration(sync_id=sync.id, version=version, document=document, published_by=by)
    session.add(published)
    sync.configuration_version = version
    return published
