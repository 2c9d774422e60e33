"""The errors table of a synchronization and what can be done with its rows: retry (mark the issue dirty again),
ignore (hide it and stop retrying), retry all (of a filter), and resync a linked pair (re-read both, re-merge).
Each action is checked like every other (404, 403, 409), audited, and leaves ringing the workers to the caller."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from plugin import audit, jobs
from plugin.audit import Actor, stored_status
from plugin.engine.intake import dirty
from plugin.errors import Conflict, NotFound, Unprocessable
from plugin.models import utcnow
from plugin.models.base import iso
from plugin.models.links import CREATING, LINKED, DirtyIssue, Link
from plugin.models.problems import IGNORED, OPEN, RESOLVED, SyncError
from plugin.models.syncs import Synchronization
from plugin.syncs import access, scope
from plugin.syncs.permissions import Permissions

STATES = (OPEN, IGNORED, RESOLVED, "all")
CATEGORIES = ("auth", "permission", "mapping", "validation", "workflow", "conflict", "transient", "not_found",
              "internal")
# Their dirty row stays and is tried again: ignoring stops that.
RETRYING = ("transient", "auth", "permission", "internal")


@dataclass(frozen=True)
class Ring:
    """What to ring once committed: sync jobs of the issues marked dirty again, and a poll when a site failed."""

    keys: list[dirty.DirtyKey] = field(default_factory=list)
    poll: int | None = None

    def to_ring(self) -> Iterator[jobs.Job]:
        """The sync jobs of the issues, and the poll of the synchronization if a site-wide error was retried."""
        yield from (key.job for key in self.keys)
        if self.poll is not None:
            yield jobs.poll_sync(self.poll)


def check_filters(state: str | None, category: str | None) -> tuple[str, str | None]:
    """The state (default open) and category filters, or Unprocessable naming the valid values."""
    state = state or OPEN
    if state not in STATES:
        raise Unprocessable(f"state must be one of {', '.join(STATES)}", [{"path": "state", "message": "unknown"}])
    if category is not None and category not in CATEGORIES:
        raise Unprocessable(f"category must be one of {', '.join(CATEGORIES)}",
                            [{"path": "category", "message": "unknown"}])
    return state, category


def _where(sync_id: int, state: str, category: str | None) -> list:
    clause = [SyncError.sync_id == sync_id]
    if state != "all":
        clause.append(SyncError.state == state)
    if category is not None:
        clause.append(SyncError.category == category)
    return clause


def page_of(session: Session, sync: Synchronization, *, state: str | None = OPEN, category: str | None = None,
            page: int = 1, per_page: int = 25) -> tuple[list[dict], int]:
    """One page of the synchronization's errors (newest last seen first) as JSON, and their total."""
    state, category = check_filters(state, category)
    page, per_page = max(1, page), max(1, min(per_page, 100))
    clause = _where(sync.id, state, category)
    total = session.scalar(select(func.count(SyncError.id)).where(*clause)) or 0
    rows = session.scalars(select(SyncError).where(*clause).order_by(SyncError.last_seen.desc(), SyncError.id.desc())
                           .limit(per_page).offset((page - 1) * per_page)).all()
    return described(session, sync, list(rows)), total


def links_of(session: Session, sync_id: int, rows: list[SyncError]) -> dict[tuple[int, str], Link]:
    """The links that hold the issues of these errors, by (side, issue id); one query."""
    wanted = {(row.side, row.issue_id) for row in rows if row.side in (1, 2) and row.issue_id}
    if not wanted:
        return {}
    ids = {side: [issue for s, issue in wanted if s == side] for side in (1, 2)}
    found = session.scalars(select(Link).where(Link.sync_id == sync_id, or_(
        Link.side1_issue_id.in_(ids[1] or [""]), Link.side2_issue_id.in_(ids[2] or [""])))).all()
    return {(side, issue_id): link for link in found for side in (1, 2) if (issue_id := link.issue_id(side))}


def described(session: Session, sync: Synchronization, rows: list[SyncError], detail: bool = True) -> list[dict]:
    """Errors as JSON: where (side, site, issue, field), what, why, when, how often, what to do, and its link."""
    held = links_of(session, sync.id, rows)
    answer = []
    for row in rows:
        link = held.get((row.side, row.issue_id)) if row.side and row.issue_id else None
        key = row.issue_key or (link.issue_key(row.side) if link and row.side else None)
        site = sync.tenant(row.side).base_url if row.side in (1, 2) else None
        answer.append({
            "id": str(row.id), "state": row.state, "category": row.category, "message": row.message,
            "fix": row.fix, "side": row.side, "site": site,
            "issue": {"id": row.issue_id, "key": key} if row.issue_id else None,
            "field": row.field, "trigger": row.trigger, "permanent": row.permanent, "count": row.count,
            "firstSeen": iso(row.first_seen), "lastSeen": iso(row.last_seen),
            "link": str(link.id) if link else None, "actedAt": iso(row.acted_at), "actedBy": row.acted_by,
            **({"detail": row.detail} if detail else {}),
        })
    return answer


def _row(session: Session, sync: Synchronization, error_id: str) -> SyncError:
    number = scope.id_number(error_id)
    row = session.get(SyncError, number) if number is not None else None
    if row is None or row.sync_id != sync.id:
        raise NotFound(f"no error {str(error_id)[:40]} in this synchronization")
    return row


def _again(session: Session, sync: Synchronization, rows: list[SyncError], reason: str) -> Ring:
    """Mark the issues of these errors dirty again, and their partners (a row names the issue whose call failed,
    which may be the partner of the one parked); a site-wide error: poll the synchronization now."""
    keys: dict[dirty.DirtyKey, None] = {}
    poll: int | None = None
    held = links_of(session, sync.id, rows)
    for row in rows:
        if row.side in (1, 2) and row.issue_id:
            link = held.get((row.side, row.issue_id))
            pair = [(n, issue_id) for n in (1, 2) if (issue_id := link.issue_id(n))] if link else \
                [(row.side, row.issue_id)]
            for side, issue_id in pair:
                keys.setdefault(dirty.DirtyKey(sync.id, side, issue_id), None)
        else:
            poll = sync.id
    for key in keys:
        dirty.mark(session, key, reason)
    return Ring(list(keys), poll)


def _acted(rows: list[SyncError], actor: Actor, state: str | None = None) -> None:
    now = utcnow()
    for row in rows:
        row.acted_at, row.acted_by = now, actor.account_id
        if state is not None:
            row.state = state


def _actionable(row: SyncError, verb: str) -> None:
    if row.category == "conflict":
        raise Conflict(f"A conflict has nothing to {verb}: the configured winner was kept. Change which side wins "
                       "the field on the Configure page if the other value should have won.")
    if row.state == RESOLVED:
        raise Conflict(f"This error is resolved already: there is nothing to {verb}.")


def retry(session: Session, actor: Actor, sync_id: str, error_id: str,
          permissions: Permissions) -> tuple[Synchronization, int, SyncError, Ring]:
    """Sync the error's issue again now (an ignored error is open again); it resolves itself when that works."""
    sync, side = access.acting(session, actor, sync_id, "retry", permissions, "to retry its errors", lock=False)
    row = _row(session, sync, error_id)
    _actionable(row, "retry")
    ring = _again(session, sync, [row], "retry")
    _acted([row], actor, OPEN)
    audit.record(session, sync, "retry", actor=actor, side=side, old_status=stored_status(sync),
                 detail={"error": str(row.id), "category": row.category, "issue": row.issue_key})
    return sync, side, row, ring


def ignore(session: Session, actor: Actor, sync_id: str, error_id: str,
           permissions: Permissions) -> tuple[Synchronization, int, SyncError]:
    """Hide the error and stop retrying its issue and that issue's partner (until one of them changes again: the
    poll leaves the pair alone meanwhile)."""
    sync, side = access.acting(session, actor, sync_id, "ignore", permissions, "to ignore its errors", lock=False)
    row = _row(session, sync, error_id)
    _actionable(row, "ignore")
    if row.category in RETRYING and row.side in (1, 2) and row.issue_id:
        link = links_of(session, sync.id, [row]).get((row.side, row.issue_id))
        pair = [(n, link.issue_id(n)) for n in (1, 2) if link.issue_id(n)] if link else [(row.side, row.issue_id)]
        session.execute(delete(DirtyIssue).where(DirtyIssue.sync_id == sync.id, or_(*[
            and_(DirtyIssue.side == n, DirtyIssue.issue_id == issue) for n, issue in pair])),
            execution_options={"synchronize_session": False})
    _acted([row], actor, IGNORED)
    audit.record(session, sync, "ignore", actor=actor, side=side, old_status=stored_status(sync),
                 detail={"error": str(row.id), "category": row.category, "issue": row.issue_key})
    return sync, side, row


def retry_all(session: Session, actor: Actor, sync_id: str, category: str | None,
              permissions: Permissions) -> tuple[Synchronization, int, int, Ring]:
    """Retry every open error (of one category): how many, and what to ring."""
    _, category = check_filters(OPEN, category)
    sync, side = access.acting(session, actor, sync_id, "retry", permissions, "to retry its errors", lock=False)
    rows = list(session.scalars(select(SyncError).where(*_where(sync.id, OPEN, category),
                                                        SyncError.category != "conflict")))
    ring = _again(session, sync, rows, "retry")
    _acted(rows, actor)
    audit.record(session, sync, "retry all", actor=actor, side=side, old_status=stored_status(sync),
                 detail={"category": category, "errors": len(rows)})
    return sync, side, len(rows), ring


def resync(session: Session, actor: Actor, sync_id: str, link_id: str,
           permissions: Permissions) -> tuple[Synchronization, int, Link, Ring]:
    """Read both issues of a pair again and merge them (whatever the engine believes it last saw)."""
    sync, side = access.acting(session, actor, sync_id, "resync", permissions, "to resync its issues", lock=False)
    number = scope.id_number(link_id)
    link = session.get(Link, number) if number is not None else None
    if link is None or link.sync_id != sync.id:
        raise NotFound(f"no linked pair {str(link_id)[:40]} in this synchronization")
    if link.state not in (LINKED, CREATING):
        raise Conflict(f"This pair is {link.state}: there is nothing to sync.")
    sides = (1, 2) if link.state == LINKED else (link.origin_side,)
    keys = [dirty.DirtyKey(sync.id, n, link.known_issue_id(n)) for n in sides]
    for n in sides:
        link.set_updated(n, None)  # the poll sees it as changed too, should this run fail for a moment
    for key in keys:
        dirty.mark(session, key, "resync")
    audit.record(session, sync, "resync", actor=actor, side=side, old_status=stored_status(sync),
                 detail={"link": str(link.id), "issues": [link.issue_key(1), link.issue_key(2)]})
    return sync, side, link, Ring(keys)


def open_of_link(session: Session, sync_id: int, link: Link) -> list[SyncError]:
    """The open errors of both issues of a pair, newest first."""
    pairs = [and_(SyncError.side == n, SyncError.issue_id == link.issue_id(n)) for n in (1, 2) if link.issue_id(n)]
    if not pairs:
        return []
    return list(session.scalars(select(SyncError).where(SyncError.sync_id == sync_id, SyncError.state == OPEN,
                                                        or_(*pairs)).order_by(SyncError.last_seen.desc())))
