"""The RQ worker of Work Sync: which queues it serves, with which serializer, and the ticker of periodic jobs."""
from __future__ import annotations

from rq import SimpleWorker
from rq.serializers import JSONSerializer

from plugin.queue import QUEUE_NAMES, Queues, connect_redis
from plugin.settings import Settings
from worker.periodic import Ticker


def make_worker(settings: Settings) -> SimpleWorker:
    """A worker on every queue of the app, reading JSON job payloads. It runs jobs in its own process (no fork),
    so metadata, people and workflow caches live across jobs."""
    return SimpleWorker(list(QUEUE_NAMES), connection=connect_redis(settings), serializer=JSONSerializer)


def run(settings: Settings, *, burst: bool = False, with_scheduler: bool = True, logging_level: str = "WARNING"):
    """Work until stopped (or, in burst mode, until the queues are empty); periodic jobs tick meanwhile."""
    ticker = None if burst else Ticker(Queues(settings))
    if ticker is not None:
        ticker.start()
    try:
        make_worker(settings).work(with_scheduler=with_scheduler, burst=burst, logging_level=logging_level)
    finally:
        if ticker is not None:
            ticker.stop()
