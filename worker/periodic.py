"""Periodic work, declared once as data, and the ticker that starts it: every worker process runs a ticker
thread that, for each time slot of each job (every N seconds), enqueues the job — once per slot across all
workers, decided by a Redis `SET NX`. Nothing depends on RQ's scheduler process, so a crashed worker (and its
scheduler) never stops the sweeps; a Redis that lost everything is swept again within a second."""
from __future__ import annotations

import logging
import threading
import time

import redis

from plugin.jobs import PERIODIC
from plugin.ops import Heartbeat
from plugin.queue import Queues

log = logging.getLogger(__name__)
TICK = 0.25




def due(queues: Queues, now: float | None = None) -> int:
    """Enqueue every periodic job whose current slot nobody enqueued yet; how many were enqueued."""
    now = time.time() if now is None else now
    started = 0
    for job in PERIODIC:
        slot = int(now // job.every)
        if queues.redis.set(f"ws:periodic:{job.name}:{slot}", 1, nx=True, ex=max(2, int(job.every * 2))):
            queues.enqueue(job.func, job_id=f"periodic-{job.name}-{slot}", queue="default", result_ttl=0,
                           failure_ttl=3600, job_timeout=max(60, int(job.every * 10)))
            started += 1
    return started


class Ticker(threading.Thread):
    """A daemon thread that starts due periodic jobs until stopped."""

    def __init__(self, queues: Queues):
        super().__init__(name="work-sync-ticker", daemon=True)
        self.queues = queues
        self.stopping = threading.Event()
        self.heartbeat = Heartbeat()  # /health: this worker is alive (a Redis key with a TTL)

    def run(self) -> None:
        away = False
        while not self.stopping.wait(TICK):
            try:
                due(self.queues)
                self.heartbeat.beat(self.queues.redis)
            except redis.RedisError as exc:  # Redis is away: try again on the next tick, and say so once
                if not away:
                    log.warning("periodic jobs wait for Redis: %s", type(exc).__name__)
                away = True
            else:
                if away:
                    log.warning("periodic jobs run again: Redis answers")
                away = False

    def stop(self) -> None:
        """Stop ticking."""
        self.stopping.set()
