"""Periodic work, declared once as data: each job runs, then schedules its next run. Runs fall on time slots
(every N seconds) and a run's job id names its slot, so however many workers arm a job there is one run per slot,
and a running job never shares its id with the next run. Workers arm them at start and at every maintenance, so
a Redis that lost everything gets them back."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from plugin.queue import Queues


@dataclass(frozen=True)
class Periodic:
    """A job run every `every` seconds."""

    name: str
    func: str
    every: float

    def next_slot(self) -> int:
        """The number of the next time slot (slots are `every` seconds long)."""
        return int(time.time() // self.every) + 1

    def job_id(self, slot: int) -> str:
        """The id of the run of one slot."""
        return f"periodic-{self.name}-{slot}"


PERIODIC = (
    Periodic("sweep", "worker.jobs.sweep", every=1),
    Periodic("poll", "worker.jobs.poll", every=30),
    Periodic("prune", "worker.jobs.prune", every=3600),
)
BY_NAME = {job.name: job for job in PERIODIC}


def arm(queues: Queues, job: Periodic) -> None:
    """Schedule the run of the job's next slot unless it is already scheduled."""
    slot = job.next_slot()
    job_id = job.job_id(slot)
    try:
        pending = Job.fetch(job_id, connection=queues.redis, serializer=queues.queue().serializer)
        if pending.get_status(refresh=False) in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED):
            return
    except NoSuchJobError:
        pass
    queues.queue("default").enqueue_at(datetime.fromtimestamp(slot * job.every, UTC), job.func, job_id=job_id,
                                       result_ttl=0, failure_ttl=3600)


def arm_all(queues: Queues) -> None:
    """Make sure every periodic job has a pending run."""
    for job in PERIODIC:
        arm(queues, job)
