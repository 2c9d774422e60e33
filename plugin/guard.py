"""Guards of the workers, kept in Redis so every worker on every machine sees them: per-link locks that expire
(no lock outlives a crash), pauses asked by Jira's rate limits (one site, or the whole app), and a per-site
request budget so one busy site cannot starve the others."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextlib import contextmanager

import redis

log = logging.getLogger(__name__)

PREFIX = "ws:guard:"


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
            used, _ = pipe.execute()
        return used <= self.budget_per_second
