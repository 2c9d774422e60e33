"""Published configurations of a synchronization: every version kept, one of them live."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from plugin.models.syncs import SyncConfiguration, Synchronization


def publish(session: Session, sync: Synchronization, document: dict, by: str | None) -> SyncConfiguration:
    """Store `document` as the next published version and make it the synchronization's live one."""
    version = (sync.configuration_version or 0) + 1
    published = SyncConfiguration(sync_id=sync.id, version=version, document=document, published_by=by)
    session.add(published)
    sync.configuration_version = version
    return published


def published_document(session: Session, sync: Synchronization) -> dict | None:
    """The live configuration, or None before the first publish."""
    if not sync.configuration_version:
        return None
    return session.scalar(select(SyncConfiguration.document).where(
        SyncConfiguration.sync_id == sync.id, SyncConfiguration.version == sync.configuration_version))
