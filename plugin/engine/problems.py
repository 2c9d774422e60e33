"""Error rows of synchronizations: recorded (and counted) where a sync fails, resolved when the issue next syncs."""
from __future__ import annotations

import hashlib
from collections.abc import Set as AbstractSet
from typing import cast

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from plugin.models import utcnow
from plugin.models.problems import IGNORED, OPEN, RESOLVED, SyncError

FIXES = {
    "auth": "Work Sync cannot authenticate on this site: check that the app is installed and enabled there.",
    "permission": "Work Sync's app user lacks a permission on this project: grant it in the project's permission "
                  "scheme, then retry.",
    "mapping": "Adjust the configuration (Configure) so this value has a counterpart, then retry.",
    "validation": "Jira refused the value: check the field on the target (screen, required, allowed values), "
                  "then retry.",
    "workflow": "The mapped status cannot be reached through the workflow: map another status or add a transition.",
    "conflict": "Both sides changed this field; the configured winner was kept. Nothing to do unless the loser "
                "should have won.",
    "transient": "Jira did not answer; Work Sync retries by itself.",
    "not_found": "The issue is gone or Work Sync may not see it.",
    "internal": "Work Sync's own database refused; it retries by itself, waiting longer each time. If this stays, "
                "download the support bundle and send it to whoever runs Work Sync.",
}


def fingerprint(side: int | None, issue_id: str | None, field: str | None, category: str) -> str:
    """What makes two failures the same problem (so it is counted, not repeated)."""
    return hashlib.sha256(f"{side}|{issue_id}|{field}|{category}".encode()).hexdigest()[:32]


def record(session: Session, sync_id: int, *, category: str, message: str, side: int | None = None,
           issue_id: str | None = None, issue_key: str | None = None, field: str | None = None,
           trigger: str | None = None, permanent: bool = False, detail: dict | None = None,
           state: str = OPEN, fix: str | None = None) -> SyncError:
    """Record a problem, or count it again when the same one is already open (`fix`: what to do, when the
    category's general advice can be made exact)."""
    key = fingerprint(side, issue_id, field, category)
    row = session.scalar(select(SyncError).where(SyncError.sync_id == sync_id, SyncError.fingerprint == key,
                                                 SyncError.state.in_((OPEN, IGNORED))))
    now = utcnow()
    if row is None:
        row = SyncError(sync_id=sync_id, fingerprint=key, side=side, issue_id=issue_id, issue_key=issue_key,
                        field=field, category=category, message=message[:4000], fix=fix or FIXES.get(category),
                        trigger=trigger, permanent=permanent, detail=detail, state=state, count=1,
                        first_seen=now, last_seen=now)
        session.add(row)
    else:
        row.count, row.last_seen, row.message, row.detail = row.count + 1, now, message[:4000], detail
        row.permanent, row.trigger = permanent, trigger or row.trigger
        row.fix = fix or row.fix
    return row


def resolve(session: Session, sync_id: int, key: str) -> None:
    """The open problem with this fingerprint is resolved (what it named is fixed)."""
    session.execute(update(SyncError).where(SyncError.sync_id == sync_id, SyncError.fingerprint == key,
                                            SyncError.state == OPEN).values(state=RESOLVED, last_seen=utcnow()),
                    execution_options={"synchronize_session": False})


def resolve_issue(session: Session, sync_id: int, issue_ids: list[str], keep: AbstractSet[str] = frozenset()) -> None:
    """The issues synced: their open problems are resolved (except those recorded again in this run)."""
    clause = [SyncError.sync_id == sync_id, SyncError.issue_id.in_(issue_ids), SyncError.state == OPEN]
    if keep:
        clause.append(SyncError.fingerprint.not_in(keep))
    session.execute(update(SyncError).where(*clause).values(state=RESOLVED, last_seen=utcnow()),
                    execution_options={"synchronize_session": False})


def open_for_issue(session: Session, sync_id: int, issue_id: str) -> list[SyncError]:
    """The open problems of one issue of a synchronization."""
    return list(session.scalars(select(SyncError).where(SyncError.sync_id == sync_id, SyncError.issue_id == issue_id,
                                                        SyncError.state == OPEN).order_by(SyncError.id)))


def open_counts(session: Session, sync_id: int, issue_ids: list[str]) -> dict[str, int]:
    """How many open problems each of these issues has (one query for a page of links)."""
    if not issue_ids:
        return {}
    rows = session.execute(select(SyncError.issue_id, func.count(SyncError.id)).where(
        SyncError.sync_id == sync_id, SyncError.issue_id.in_(issue_ids), SyncError.state == OPEN)
        .group_by(SyncError.issue_id))
    return {cast(str, issue_id): count for issue_id, count in rows}  # IN: not null
