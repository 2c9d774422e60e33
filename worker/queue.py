"""The RQ worker of Work Sync: which queues it serves, with which serializer, and the periodic jobs it re-arms."""
from __future__ import annotations

from rq import SimpleWorker
from rq.serializers import JSONSerializer

from plugin.queue import QUEUE_NAMES, Queues, connect_redis
from plugin.settings import Settings
from worker.periodic import arm_all

MAINTENANCE_SECONDS = 60


class SyncWorker(SimpleWorker):
    """Runs jobs in its own process (no fork), so metadata, people and workflow caches live across jobs; re-arms
    the periodic jobs at start and at every maintenance."""

    queues_helper: Queues

    def run_maintenance_tasks(self):
        super().run_maintenance_tasks()
        arm_all(self.queues_helper)


def make_worker(settings: Settings) -> SyncWorker:
    """A worker on every queue of the app, reading JSON job payloads."""
    worker = SyncWorker(list(QUEUE_NAMES), connection=connect_redis(settings), serializer=JSONSerializer,
                        maintenance_interval=MAINTENANCE_SECONDS)
    worker.queues_helper = Queues(settings)
    return worker
