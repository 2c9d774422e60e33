"""The periodic work of the engine as plain functions: what is due, polls, pruning the inbox."""
from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import func, select

from plugin import jobs
from plugin.engine import initial, reachability
from plugin.engine.context import EngineContext
from plugin.engine.intake import dirty, inbox, poll
from plugin.engine.runner import load_sync, pause_for
from plugin.errors import RateLimited, WorkSyncError
from plugin.models import InitialSync, utcnow

log = logging.getLogger(__name__)
INBOX_RETENTION = timedelta(days=7)


def due(ctx: EngineContext, limit: int = 500) -> list[dirty.DirtyKey]:
    """Dirty issues whose time has come."""
    with ctx.sessions() as session:
        return dirty.due(session, limit)


def unfinished_initial_syncs(ctx: EngineContext) -> list[jobs.Job]:
    """The next-step job of every initial sync not finished (a killed run is picked up again)."""
    with ctx.sessions() as session:
        rows = session.execute(select(InitialSync.sync_id, func.sum(InitialSync.done)).where(
            InitialSync.state != "done").group_by(InitialSync.sync_id)).all()
    return [jobs.initial_sync(sync_id, done or 0) for sync_id, done in rows
            if not ctx.guard.locked(f"initial:{sync_id}")]


def initial_step(ctx: EngineContext, sync_id: int) -> jobs.Job | None:
    """Bring one page of existing issues across; the next step's job, or None when finished (or not running)."""
    with ctx.sessions() as session, ctx.guard.lock(f"initial:{sync_id}") as held:
        sync = load_sync(session, sync_id)
        if not held or sync is None or not sync.running:
            return None
        more = initial.step(session, ctx, sync)
        done = session.scalar(select(func.sum(InitialSync.done)).where(InitialSync.sync_id == sync_id)) or 0
        return jobs.initial_sync(sync_id, done) if more else None


def _poll(ctx: EngineContext, session, sync) -> list[dirty.DirtyKey]:
    marked = []
    for side in (1, 2):
        site = sync.tenant(side).base_url
        if ctx.guard.paused_until("app", f"site:{site}"):
            continue  # Jira asked us to wait: the next poll catches up (its cursor has not moved)
        try:
            marked += poll.poll_side(session, ctx.jira_for(sync.tenant(side)), sync, side)
        except RateLimited as exc:
            pause_for(ctx.guard, exc)
        except WorkSyncError as exc:  # one site's trouble never stops the others' polls
            log.warning("poll of synchronization %s side %s failed: %s", sync.id, side, exc.message)
            reachability.site_failed(session, sync, side, exc, "poll")
        else:
            reachability.site_reached(session, sync, side)
    session.commit()
    return marked


def poll_all(ctx: EngineContext) -> list[dirty.DirtyKey]:
    """Poll every running synchronization's sides; the issues marked dirty."""
    with ctx.sessions() as session:
        return [key for sync in poll.running(session) for key in _poll(ctx, session, sync)]


def poll_one(ctx: EngineContext, sync_id: int) -> list[dirty.DirtyKey]:
    """Poll one synchronization now, and ring what it already had dirty."""
    with ctx.sessions() as session:
        sync = load_sync(session, sync_id)
        if sync is None or not sync.running:
            return []
        return _poll(ctx, session, sync) + dirty.of_sync(session, sync_id)


def prune(ctx: EngineContext) -> int:
    """Forget inbox deliveries older than the retention."""
    with ctx.sessions() as session:
        removed = inbox.prune(session, utcnow() - INBOX_RETENTION)
        session.commit()
        return removed
