"""The RQ worker of Work Sync: which queues it serves, with which serializer."""
from __future__ import annotations

from rq import Worker
from rq.serializers import JSONSerializer

from plugin.queue import QUEUE_NAMES, connect_redis
from plugin.settings import Settings


def make_worker(settings: Settings) -> Worker:
    """An RQ worker on every queue of the app, reading JSON job payloads."""
    return Worker(list(QUEUE_NAMES), connection=connect_redis(settings), serializer=JSONSerializer)
