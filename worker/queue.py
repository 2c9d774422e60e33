"""The RQ worker of Work Sync: which queues it serves, with which serializer, the ticker of periodic jobs, and the
loop that outlives Redis: when Redis goes away mid-job, RQ gives up its work loop; we wait for Redis to answer
again (with backoff, the outage logged once) and serve on, so only a stop request ends the process."""
from __future__ import annotations

import logging
import signal
import threading

import redis
from rq import SimpleWorker
from rq.serializers import JSONSerializer

from plugin.jobs import QUEUE_NAMES
from plugin.queue import Queues, connect_redis
from plugin.settings import Settings
from worker.periodic import Ticker

log = logging.getLogger(__name__)
MAX_WAIT = 10.0


def make_worker(settings: Settings) -> SimpleWorker:
    """A worker on every queue of the app, reading JSON job payloads. It runs jobs in its own process (no fork),
    so metadata, people and workflow caches live across jobs."""
    return SimpleWorker(list(QUEUE_NAMES), connection=connect_redis(settings), serializer=JSONSerializer)


def _stop_requested(worker: SimpleWorker) -> bool:
    # RQ notes a warm shutdown (SIGTERM, SIGINT) in this field whether it stopped at once or after the job.
    return worker._stop_requested or getattr(worker, "_shutdown_requested_date", None) is not None


def _wait_for_redis(settings: Settings, stopping: threading.Event) -> bool:
    """Wait (1 s, 2 s, … 10 s apart) until Redis answers; False when a stop was asked meanwhile."""
    delay = 1.0
    while not stopping.wait(delay):
        try:
            connect_redis(settings).ping()
            return True
        except (redis.ConnectionError, redis.TimeoutError):
            delay = min(MAX_WAIT, delay * 2)
    return False


def run(settings: Settings, *, burst: bool = False, with_scheduler: bool = True, logging_level: str = "WARNING"):
    """Work until stopped (or, in burst mode, until the queues are empty); periodic jobs tick meanwhile."""
    ticker = None if burst else Ticker(Queues(settings))
    if ticker is not None:
        ticker.start()
    stopping = threading.Event()
    try:
        while True:
            worker = make_worker(settings)
            try:
                worker.work(with_scheduler=with_scheduler, burst=burst, logging_level=logging_level)
            except (redis.ConnectionError, redis.TimeoutError):
                pass  # RQ's teardown needs Redis too: the outage is handled below
            if burst or _stop_requested(worker):
                return
            log.warning("Redis went away while the worker ran (jobs are retried from the database); waiting for it")
            previous = {sig: signal.signal(sig, lambda *_: stopping.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
            try:
                if not _wait_for_redis(settings, stopping):
                    return
            finally:
                for sig, handler in previous.items():
                    signal.signal(sig, handler)
            log.warning("Redis answers again; the worker serves on")
    finally:
        if ticker is not None:
            ticker.stop()
