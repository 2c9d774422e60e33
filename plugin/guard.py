"""Guards of the workers, kept in Redis so every worker on every machine sees them: per-link locks that expire
(no lock outlives a crash), pauses asked by Jira's rate limits (one site, or the whole app), and a per-site
request budget so one busy site cannot starve the others."""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from contextlib import contextmanager

import redis

log = logging.getLogger(__name__)

PREFIX = "ws:guard:"
SLOW_SECONDS = 60  # after an answer says a limit is near, the site's budget stays lowered this long
SLOW_SHARE = 4  # ... to a quarter of it
HOUR = 3600


class Guard:
    """Locks, pauses and budgets shared by all workers."""

    def __init__(self, connect: Callable[[], redis.Redis], budget_per_second: int = 40, lock_seconds: int = 30):
        self._connect = connect
        self.budget_per_second = budget_per_second
        self.lock_seconds = lock_seconds

    @property
    def redis(self) -> redis.Redis:
        return self._connect()

    @contextmanager
    def lock(self, name: str):
        """Hold the lock `name` (yields True), or yield False at once when another worker holds it."""
        lock = self.redis.lock(PREFIX + "lock:" + name, timeout=self.lock_seconds, blocking=False)
        held = lock.acquire(blocking=False)
        try:
            yield held
        finally:
            if held:
                try:
                    lock.release()
                except redis.exceptions.LockError:  # it expired while we worked: another worker may hold it now
                    pass
                except redis.RedisError:  # Redis went away: the lock expires by itself, the work is already stored
                    log.warning("could not release the lock %s: Redis did not answer", name)

    def locked(self, name: str) -> bool:
        """True while some worker holds the lock `name`."""
        return bool(self.redis.exists(PREFIX + "lock:" + name))

    def pause(self, scope: str, seconds: float) -> None:
        """Make `scope` ("app" or "site:<id>") wait `seconds` (a longer pause already set stays)."""
        until = time.time() + max(0.0, seconds)
        key = PREFIX + "pause:" + scope
        current = self.redis.get(key)
        if current is None or float(current) < until:
            self.redis.set(key, repr(until), ex=max(1, int(seconds) + 1))
        if current is None or float(current) <= time.time():  # a new pause (not one more 429 of the same)
            self._count("pauses", scope)

    def paused_until(self, *scopes: str) -> float | None:
        """The latest end of a pause of any of the scopes, or None when none is paused."""
        values = [v for v in self.redis.mget([PREFIX + "pause:" + s for s in scopes]) if v is not None]
        until = max((float(v) for v in values), default=None)
        return until if until is not None and until > time.time() else None

    def spend(self, site: str, calls: int = 1) -> bool:
        """Take `calls` from the site's budget of this second; False when it is spent (come back next second)."""
        key = f"{PREFIX}budget:{site}:{int(time.time())}"
        with self.redis.pipeline() as pipe:
            pipe.incrby(key, calls)
            pipe.expire(key, 3)
            pipe.exists(PREFIX + "slow:" + site)
            used, _, slowed = pipe.execute()
        return used <= self.budget_of(bool(slowed))

    def budget_of(self, slowed: bool) -> int:
        """Calls a site may take per second: the whole budget, or a quarter while Jira says a limit is near."""
        return max(1, self.budget_per_second // SLOW_SHARE) if slowed else self.budget_per_second

    def _count(self, what: str, scope: str) -> None:
        key = f"{PREFIX}{what}:{scope}:{int(time.time() // HOUR)}"
        with self.redis.pipeline() as pipe:
            pipe.incr(key)
            pipe.expire(key, 2 * HOUR)
            pipe.execute()

    def observe(self, site: str, quotas: list, near: bool) -> None:
        """What an answer of `site` said of Jira's limits: each quota's points used (kept for the Troubleshoot page
        and /metrics), and when a limit is near, the site's budget lowered for a while (a new near-limit period is
        counted) — slowing down before the 429, not after it."""
        stated = {q.policy: json.dumps({"used": q.used, "quota": q.quota, "remaining": q.remaining, "at": time.time()})
                  for q in quotas if q.used is not None}
        if stated:
            with self.redis.pipeline() as pipe:
                pipe.hset(PREFIX + "quota:" + site, mapping=stated)
                pipe.expire(PREFIX + "quota:" + site, HOUR)
                pipe.execute()
        if near:
            if self.redis.set(PREFIX + "slow:" + site, repr(time.time() + SLOW_SECONDS), ex=SLOW_SECONDS, nx=True):
                self._count("near", f"site:{site}")
                log.info("Jira says a limit of %s is near: its budget is lowered for %s s", site, SLOW_SECONDS)
            else:
                self.redis.set(PREFIX + "slow:" + site, repr(time.time() + SLOW_SECONDS), ex=SLOW_SECONDS)

    def budget(self, site: str) -> dict:
        """A site's budget now: the points of each quota Jira last stated, pauses and near-limit periods of this
        hour (the app's pauses included), whether it is slowed down (until when) and its calls per second."""
        hour = int(time.time() // HOUR)
        with self.redis.pipeline() as pipe:
            pipe.hgetall(PREFIX + "quota:" + site)
            pipe.get(f"{PREFIX}pauses:site:{site}:{hour}")
            pipe.get(f"{PREFIX}pauses:app:{hour}")
            pipe.get(f"{PREFIX}near:site:{site}:{hour}")
            pipe.get(PREFIX + "slow:" + site)
            stated, site_pauses, app_pauses, near, slow = pipe.execute()
        quotas = {}
        for policy, raw in (stated or {}).items():
            try:
                quotas[policy.decode() if isinstance(policy, bytes) else policy] = json.loads(raw)
            except (TypeError, ValueError):
                continue
        slowed = float(slow) if slow is not None and float(slow) > time.time() else None
        return {"quotas": quotas, "pauses": int(site_pauses or 0) + int(app_pauses or 0),
                "nearLimitPeriods": int(near or 0), "slowedUntil": slowed,
                "callsPerSecond": self.budget_of(slowed is not None)}
