"""What an operator sees: the health checks behind `GET /health`, the workers' heartbeats, and the state that
`python -m plugin status` prints. No Flask; nothing here shows a secret or a tenant's data."""
from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass, field

import redis
from sqlalchemy import text

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
