"""The poll: per running side, the issues updated since the cursor (minus an overlap) that changed since we last
synced them are marked dirty — it catches what webhooks never delivered. The cursor moves only over what was
processed; an idle poll is one search per side and writes nothing."""
from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, joinedload

from plugin.engine.core.model import other
from plugin.engine.core.values import utc_format, utc_timestamp
from plugin.engine.intake import dirty
from plugin.models import WebhookDelivery, utcnow
from plugin.models.links import CREATING, Link, PollCursor
from plugin.models.problems import IGNORED, SyncError
from plugin.models.syncs import ACTIVE, Synchronization

OVERLAP = timedelta(minutes=2)
MAX_PAGES = 20
# A webhook received this long before the change it is compared with still announced it (clocks differ a little).
ANNOUNCED_SLACK = timedelta(seconds=60)


def running(session: Session) -> list[Synchronization]:
    """Every running synchronization (with both sides' sites)."""
    return list(session.scalars(select(Synchronization).where(
        Synchronization.deleted_at.is_(None), Synchronization.state == ACTIVE, Synchronization.running.is_(True))
        .options(joinedload(Synchronization.side1_tenant), joinedload(Synchronization.side2_tenant))))


def cursor_of(session: Session, sync_id: int, side: int) -> PollCursor:
    """The side's cursor (created at now: a new synchronization polls from when it started)."""
    cursor = session.scalar(select(PollCursor).where(PollCursor.sync_id == sync_id, PollCursor.side == side))
    if cursor is None:
        cursor = PollCursor(sync_id=sync_id, side=side, cursor=utcnow())
        session.add(cursor)
        session.flush()
    return cursor


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def poll_side(session: Session, jira, sync: Synchronization, side: int) -> list[dirty.DirtyKey]:
    """Mark dirty what changed on one side since its cursor; move the cursor over what was seen."""
    cursor = cursor_of(session, sync.id, side)
    prior = _aware(cursor.cursor)
    since = prior - OVERLAP
    minutes = max(1, math.ceil((utcnow() - since).total_seconds() / 60))
    jql = f"project = {sync.project_id(side)} AND updated >= -{minutes}m ORDER BY updated ASC"
    found = []
    for number, issue in enumerate(jira.search(jql, fields=["updated", "created"])):
        if number >= MAX_PAGES * 100:
            break
        fields = issue.get("fields") or {}
        found.append((str(issue["id"]), utc_timestamp(fields.get("updated")), utc_timestamp(fields.get("created"))))
    ids = [issue_id for issue_id, _, _ in found]
    known, ignored = _seen(session, sync.id, side, ids), _ignored(session, sync.id, side, ids)
    first_start = _first_start(sync)
    marked, changes, newest = [], {}, None
    for issue_id, updated, created in found:
        if updated and (newest is None or updated > newest):
            newest = updated
        if known.get(issue_id) == CREATING:
            continue  # its partner is being created: the creator finishes the pair
        if updated and known.get(issue_id) == updated:
            continue  # nothing changed since we synced it (our own writes included)
        if issue_id not in known and created and first_start and created < first_start:
            continue  # an issue that existed before the start: the initial sync's (or not synced at all)
        if updated and issue_id in ignored and _moment(updated) <= _aware(ignored[issue_id]):
            continue  # its error was ignored and it has not changed since: no retry until it does
        key = dirty.DirtyKey(sync.id, side, issue_id)
        dirty.mark(session, key, "poll")
        marked.append(key)
        if updated and _moment(updated) > prior:  # what the overlap finds again was counted (or not) before
            changes[issue_id] = _moment(updated)
    missed = _unannounced(session, sync.tenant_id(side), changes)
    if missed:
        cursor.missed_webhooks, cursor.missed_at = (cursor.missed_webhooks or 0) + missed, utcnow()
    if newest:
        moment = _moment(newest)
        if moment > _aware(cursor.cursor):
            cursor.cursor, cursor.polled_at = moment, utcnow()
    return marked


def _first_start(sync: Synchronization) -> str | None:
    if sync.first_started_at is None:
        return None
    return utc_format(sync.first_started_at)


def _moment(updated: str) -> datetime:
    return datetime.strptime(updated, "%Y-%m-%dT%H:%M:%S.%f+0000").replace(tzinfo=UTC)


def _ignored(session: Session, sync_id: int, side: int, issue_ids: list[str]) -> dict[str, datetime]:
    """When an error of each of these issues, or of its partner, was last ignored (the pair is left alone)."""
    if not issue_ids:
        return {}
    own = Link.side1_issue_id if side == 1 else Link.side2_issue_id
    theirs = Link.side2_issue_id if side == 1 else Link.side1_issue_id
    partners = {partner: issue_id for issue_id, partner in session.execute(
        select(own, theirs).where(Link.sync_id == sync_id, own.in_(issue_ids), theirs.is_not(None)))}
    rows = session.execute(select(SyncError.side, SyncError.issue_id, SyncError.acted_at).where(
        SyncError.sync_id == sync_id, SyncError.state == IGNORED, SyncError.acted_at.is_not(None),
        or_(and_(SyncError.side == side, SyncError.issue_id.in_(issue_ids)),
            and_(SyncError.side == other(side), SyncError.issue_id.in_(list(partners) or [""])))))
    found: dict[str, datetime] = {}
    for error_side, issue_id, acted_at in rows:  # none is null: the query asks for ids and acted_at
        mine, moment = cast(str, issue_id if error_side == side else partners[issue_id]), cast(datetime, acted_at)
        if mine not in found or _aware(moment) > _aware(found[mine]):
            found[mine] = moment
    return found


def _unannounced(session: Session, tenant_id: int, changes: dict[str, datetime]) -> int:
    """How many of these changes (issue id → when) no webhook announced: the poll found them, not the inbox."""
    if not changes:
        return 0
    received = dict(session.execute(select(WebhookDelivery.issue_id, func.max(WebhookDelivery.received_at)).where(
        WebhookDelivery.tenant_id == tenant_id, WebhookDelivery.issue_id.in_(list(changes)))
        .group_by(WebhookDelivery.issue_id)).all())
    return sum(1 for issue_id, moment in changes.items()
               if received.get(issue_id) is None or _aware(received[issue_id]) < moment - ANNOUNCED_SLACK)


def _seen(session: Session, sync_id: int, side: int, issue_ids: list[str]) -> dict[str, str | None]:
    if not issue_ids:
        return {}
    issue_column = Link.side1_issue_id if side == 1 else Link.side2_issue_id
    updated_column = Link.side1_updated if side == 1 else Link.side2_updated
    rows = session.execute(select(issue_column, updated_column, Link.state).where(Link.sync_id == sync_id,
                                                                                  issue_column.in_(issue_ids)))
    return {cast(str, issue_id): CREATING if state == CREATING else updated for issue_id, updated, state in rows}
