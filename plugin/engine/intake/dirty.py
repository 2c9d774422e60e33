"""Dirty issues: what must be synced. Marked in the transaction that records why (a webhook, the poll, a start),
taken by one job at a time, removed once synced unless it was marked again meanwhile. The database is the truth;
Redis only rings the bell, and the sweeper rings it again for whatever is due."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from plugin import jobs
from plugin.models import utcnow
from plugin.models.links import DirtyIssue
from plugin.models.syncs import Synchronization

MAX_BACKOFF = timedelta(minutes=10)


@dataclass(frozen=True)
class DirtyKey:
    """Which issue of which side of which synchronization."""

    sync_id: int
    side: int
    issue_id: str

    @property
    def job(self) -> jobs.Job:
        """The sync job (deterministic id): a burst of marks coalesces into one job."""
        return jobs.sync_issue(self.sync_id, self.side, self.issue_id)


def mark(session: Session, key: DirtyKey, reason: str, deleted: bool = False) -> None:
    """Mark an issue dirty (an upsert: marking it again bumps its revision and makes it due now)."""
    now = utcnow()
    values = dict(sync_id=key.sync_id, side=key.side, issue_id=key.issue_id, reason=reason, deleted=deleted,
                  marked_at=now, first_marked_at=now, revision=0, attempts=0, not_before=now)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(DirtyIssue).values(**values)
    session.execute(statement.on_conflict_do_update(
        index_elements=["sync_id", "side", "issue_id"],
        set_={"reason": reason, "marked_at": now, "revision": DirtyIssue.revision + 1,
              "deleted": True if deleted else DirtyIssue.deleted,
              "not_before": func.min(DirtyIssue.not_before, now) if dialect is sqlite
              else func.least(DirtyIssue.not_before, now)}))


def find(session: Session, key: DirtyKey) -> DirtyIssue | None:
    """The dirty row of an issue, if it is dirty."""
    return session.scalar(select(DirtyIssue).where(DirtyIssue.sync_id == key.sync_id, DirtyIssue.side == key.side,
                                                   DirtyIssue.issue_id == key.issue_id))


def done(session: Session, row: DirtyIssue, revision: int) -> bool:
    """Remove the row if nobody marked it again since `revision` was read; False when it must run again."""
    removed = cast(CursorResult, session.execute(  # a DELETE: a CursorResult
        delete(DirtyIssue).where(DirtyIssue.id == row.id, DirtyIssue.revision == revision),
        execution_options={"synchronize_session": False})).rowcount
    return removed == 1


def later(session: Session, row: DirtyIssue, until: datetime, failed: bool = False) -> None:
    """Leave the row for later: not before `until` (a failure also counts an attempt)."""
    row.not_before = until
    if failed:
        row.attempts += 1


def backoff(attempts: int) -> timedelta:
    """How long to wait after the n-th transient failure: 2, 4, 8 … seconds, at most ten minutes."""
    return min(timedelta(seconds=2 ** min(attempts + 1, 12)), MAX_BACKOFF)


def due(session: Session, limit: int = 500) -> list[DirtyKey]:
    """Dirty issues of running synchronizations whose time has come (oldest first), for the sweeper to ring; those
    of a stopped one wait for its start."""
    rows = session.execute(select(DirtyIssue.sync_id, DirtyIssue.side, DirtyIssue.issue_id)
                           .join(Synchronization, Synchronization.id == DirtyIssue.sync_id)
                           .where(DirtyIssue.not_before <= utcnow(), Synchronization.running.is_(True),
                                  Synchronization.deleted_at.is_(None))
                           .order_by(DirtyIssue.not_before).limit(limit))
    return [DirtyKey(*row) for row in rows]


def of_sync(session: Session, sync_id: int) -> list[DirtyKey]:
    """Every dirty issue of a synchronization (started again: all of them are due)."""
    rows = session.execute(select(DirtyIssue.sync_id, DirtyIssue.side, DirtyIssue.issue_id)
                           .where(DirtyIssue.sync_id == sync_id))
    return [DirtyKey(*row) for row in rows]


def forget(session: Session, sync_id: int) -> None:
    """Drop every dirty issue of a synchronization (it was deleted)."""
    session.execute(delete(DirtyIssue).where(DirtyIssue.sync_id == sync_id),
                    execution_options={"synchronize_session": False})


def backlog(session: Session, sync_id: int) -> tuple[int, datetime | None]:
    """How many issues of a synchronization wait, and since when the oldest does."""
    count, oldest = session.execute(select(func.count(DirtyIssue.id), func.min(DirtyIssue.first_marked_at))
                                    .where(DirtyIssue.sync_id == sync_id)).one()
    return count or 0, oldest
