"""What an operator sees: the health checks behind `GET /health`, the workers' heartbeats, and the state that
`python -m plugin status` prints. No Flask; nothing here shows a secret or a tenant's data."""
from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import redis
from sqlalchemy import func, select, text

from plugin import metrics
from plugin.models import DirtyIssue, SyncError, Tenant, utcnow
from plugin.models.problems import OPEN
from plugin.models.syncs import Synchronization
from plugin.runtime import Runtime

log = logging.getLogger(__name__)

HEARTBEAT_PREFIX = "ws:worker-heartbeat:"
HEARTBEAT_TTL = 60  # a worker counts as alive while its last beat is younger than this
BEAT_EVERY = 10.0


class Heartbeat:
    """A worker's heartbeat: a Redis key per worker process with a TTL, refreshed at most every BEAT_EVERY s."""

    def __init__(self, name: str | None = None):
        self.key = HEARTBEAT_PREFIX + (name or f"{socket.gethostname()}:{os.getpid()}")
        self._last = 0.0

    def beat(self, client: redis.Redis, now: float | None = None) -> bool:
        """Write the beat when due; True when written."""
        now = time.time() if now is None else now
        if now - self._last < BEAT_EVERY:
            return False
        client.set(self.key, f"{now:.3f}", ex=HEARTBEAT_TTL)
        self._last = now
        return True


def live_workers(client: redis.Redis) -> dict[str, float]:
    """Worker name → time of its last beat, for every worker that beat within the last HEARTBEAT_TTL seconds."""
    names = list(client.scan_iter(match=HEARTBEAT_PREFIX + "*", count=500))
    beats = client.mget(names) if names else []
    return {name.decode()[len(HEARTBEAT_PREFIX):]: float(value) for name, value in zip(names, beats, strict=True)
            if value is not None}


@dataclass
class Health:
    """The result of the checks: each check's word ("ok" or why not) and whether all are ok."""

    checks: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(value == "ok" for value in self.checks.values())

    def json(self) -> dict:
        down = [name for name, value in self.checks.items() if value != "ok"]
        return {"status": "ok" if not down else "down", "checks": self.checks, **({"down": down} if down else {})}


def _why(exc: BaseException) -> str:
    return f"down ({type(exc).__name__})"  # the class only: driver messages can carry host names and users


def health(runtime: Runtime) -> Health:
    """Database (SELECT 1), Redis (PING) and a worker heartbeat within the last minute."""
    result = Health()
    try:
        with runtime.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        result.checks["database"] = "ok"
    except Exception as exc:  # any failure to reach the database is "down", never a 500
        result.checks["database"] = _why(exc)
    try:
        client = runtime.queues.redis
        client.ping()
        result.checks["redis"] = "ok"
    except Exception as exc:
        result.checks["redis"] = _why(exc)
        result.checks["worker"] = "unknown (Redis is down)"
        return result
    try:
        workers = live_workers(client)
    except redis.RedisError as exc:
        result.checks["worker"] = _why(exc)
    else:
        result.checks["worker"] = "ok" if workers else f"down (no worker heartbeat in the last {HEARTBEAT_TTL} s)"
    return result


@dataclass
class Backlog:
    """Dirty issues: how many, how many are due now, and the age of the oldest (seconds; None when empty)."""

    dirty: int
    due: int
    oldest_age: float | None


def backlog(runtime: Runtime) -> Backlog:
    """The dirty backlog from the database (the engine's truth, whatever Redis holds)."""
    now = utcnow()
    with runtime.sessions() as session:
        count, oldest = session.execute(select(func.count(DirtyIssue.id), func.min(DirtyIssue.first_marked_at))).one()
        due = session.scalar(select(func.count(DirtyIssue.id)).where(DirtyIssue.not_before <= now)) or 0
    return Backlog(count or 0, due, None if oldest is None else max(0.0, (now - _aware(oldest)).total_seconds()))


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@dataclass
class SiteHealth:
    """One installed site: its host, whether it is enabled, how many syncs use it, open errors, a Jira pause."""

    site: str
    enabled: bool
    synchronizations: int
    open_errors: int
    paused_seconds: float | None


def sites(runtime: Runtime) -> list[SiteHealth]:
    """Every installed site with its synchronizations, open errors and any pause Jira asked for."""
    with runtime.sessions() as session:
        tenants = session.scalars(select(Tenant).where(Tenant.installed.is_(True)).order_by(Tenant.base_url)).all()
        syncs = session.execute(select(Synchronization.id, Synchronization.side1_tenant_id,
                                       Synchronization.side2_tenant_id)
                                .where(Synchronization.deleted_at.is_(None))).all()
        errors = dict(session.execute(select(SyncError.sync_id, func.count(SyncError.id))
                                      .where(SyncError.state == OPEN).group_by(SyncError.sync_id)).all())
        found = []
        for tenant in tenants:
            mine = [sync_id for sync_id, t1, t2 in syncs if tenant.id in (t1, t2)]
            found.append(SiteHealth(metrics.site_of(tenant.base_url), tenant.enabled, len(mine),
                                    sum(errors.get(sync_id, 0) for sync_id in mine), None))
        bases = [t.base_url for t in tenants]
    try:
        guard = runtime.tools.guard
        for health_row, base in zip(found, bases, strict=True):
            until = guard.paused_until("app", f"site:{base}")
            health_row.paused_seconds = None if until is None else max(0.0, until - time.time())
    except redis.RedisError:
        pass
    return found


def open_errors(runtime: Runtime) -> dict[str, int]:
    """Open troubleshooting rows by category."""
    with runtime.sessions() as session:
        return dict(session.execute(select(SyncError.category, func.count(SyncError.id))
                                    .where(SyncError.state == OPEN).group_by(SyncError.category)
                                    .order_by(SyncError.category)).all())


def scrape_state(runtime: Runtime) -> dict[str, list[tuple[dict, float]]]:
    """The gauges read at scrape time (not per process): backlog, its oldest age, queues, live workers."""
    state: dict[str, list[tuple[dict, float]]] = {}
    try:
        found = backlog(runtime)
        state["worksync_dirty_backlog"] = [({}, found.dirty)]
        state["worksync_dirty_due"] = [({}, found.due)]
        state["worksync_dirty_oldest_age_seconds"] = [({}, found.oldest_age or 0.0)]
        state["worksync_open_errors"] = [({"category": c}, n) for c, n in open_errors(runtime).items()]
        state["worksync_database_up"] = [({}, 1)]
    except Exception:  # the database is down: say so, keep the rest of the scrape
        state["worksync_database_up"] = [({}, 0)]
    try:
        client = runtime.queues.redis
        counts = runtime.queues.counts()
        state["worksync_queue_jobs"] = [({"queue": q, "state": s}, n) for q, c in counts.items() for s, n in c.items()]
        state["worksync_workers_alive"] = [({}, len(live_workers(client)))]
        state["worksync_redis_up"] = [({}, 1)]
    except redis.RedisError:
        state["worksync_redis_up"] = [({}, 0)]
    return state


def redis_warnings(client: redis.Redis) -> list[str]:
    """What in Redis's configuration can lose jobs or locks: no persistence, or a policy that evicts keys."""
    try:
        config = {**client.config_get("appendonly"), **client.config_get("save"),
                  **client.config_get("maxmemory-policy")}
    except redis.ResponseError:  # managed services often refuse CONFIG
        return ["could not read Redis's configuration (CONFIG GET is refused): make sure it persists "
                "(appendonly yes) and never evicts keys (maxmemory-policy noeviction)"]
    warnings = []
    if str(config.get("appendonly", "no")).lower() != "yes" and not str(config.get("save", "")).strip():
        warnings.append("Redis has no persistence (appendonly no, no save points): a restart loses queued jobs, "
                        "locks and rate-limit pauses until the sweeper rebuilds them; set appendonly yes")
    policy = str(config.get("maxmemory-policy", "noeviction")).lower()
    if policy != "noeviction":
        warnings.append(f"Redis may evict keys (maxmemory-policy {policy}): jobs, locks and pauses could vanish "
                        "under memory pressure; set maxmemory-policy noeviction")
    return warnings


def warn_about_redis(runtime_settings, client: redis.Redis | None = None) -> list[str]:
    """At web or worker start: log each Redis warning (never refuses to start); the warnings, for tests."""
    if not runtime_settings.redis_url:
        return []  # the embedded Redis of development
    try:
        client = client or redis.Redis.from_url(runtime_settings.redis_url, socket_timeout=5)
        found = redis_warnings(client)
    except redis.RedisError as exc:
        found = [f"could not check Redis's configuration ({type(exc).__name__})"]
    for warning in found:
        log.warning("%s", warning)
    return found


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 120:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.0f} min" if seconds < 7200 else f"{seconds / 3600:.1f} h"


def status_text(runtime: Runtime) -> str:
    """What `python -m plugin status` prints: health, queues, workers, backlog, sites, open errors (plain text)."""
    lines = []
    checked = health(runtime)
    lines.append(f"Work Sync: {'ok' if checked.ok else 'DOWN'}   ({runtime.settings.describe()})")
    lines += [f"  {name:<9} {value}" for name, value in checked.checks.items()]
    lines.append("")
    lines.append("Queues            queued  started  scheduled  failed")
    try:
        for name, counts in runtime.queues.counts().items():
            lines.append(f"  {name:<14} {counts['queued']:>7}  {counts['started']:>7}  {counts['scheduled']:>9}  "
                         f"{counts['failed']:>6}")
        beats = live_workers(runtime.queues.redis)
        rq_workers = runtime.queues.workers()
        lines.append("")
        lines.append(f"Workers: {len(beats)} with a heartbeat in the last {HEARTBEAT_TTL} s")
        for worker in rq_workers:
            lines.append(f"  {worker['name']:<34} {worker['state']:<10} {worker['job'] or '-'}")
    except redis.RedisError as exc:
        lines.append(f"  (Redis cannot be read: {type(exc).__name__})")
    lines.append("")
    try:
        found = backlog(runtime)
        lines.append(f"Backlog: {found.dirty} dirty issue(s), {found.due} due now, oldest {_age(found.oldest_age)}")
        lines.append("")
        lines.append("Sites                                     enabled  syncs  open errors  paused")
        for site in sites(runtime):
            lines.append(f"  {site.site:<40} {'yes' if site.enabled else 'no':<7}  {site.synchronizations:>5}  "
                         f"{site.open_errors:>11}  {_age(site.paused_seconds)}")
        errors = open_errors(runtime)
        lines.append("")
        lines.append(f"Open errors: {sum(errors.values())}" + ("" if not errors else " (" + ", ".join(
            f"{category} {count}" for category, count in errors.items()) + ")"))
    except Exception as exc:  # the database is down: the checks above already say so
        lines.append(f"(the database cannot be read: {type(exc).__name__})")
    return "\n".join(lines)
