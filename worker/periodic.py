"""Periodic work, declared once as data: each job runs, then schedules its next run (a deterministic job id keeps
one pending run per job however many workers re-arm it). Workers re-arm them at start and at every maintenance,
so a Redis that lost everything gets them back."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from plugin.queue import Queues


@dataclass(frozen=True)
class Periodic:
    """A job run every `every` seconds."""

    name: str
    func: str
    every: float

    @property
    def job_id(self) -> str:
        """The one id of its pending run."""
        return f"periodic-{self.name}"


PERIODIC = (
    Periodic("sweep", "worker.jobs.sweep", every=3),
    Periodic("poll", "worker.jobs.poll", every=30),
    Periodic("prune", "worker.jobs.prune", every=3600),
)
BY_NAME = {job.name: job for job in PERIODIC}


def arm(queues: Queues, job: Periodic, now: bool = False) -> None:
    """Schedule the job's next run unless one is already pending."""
    try:
        pending = Job.fetch(job.job_id, connection=queues.redis, serializer=queues.queue().serializer)
        if pending.get_status(refresh=False) in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED):
            return
    except NoSuchJobError:
        pass
    queue = queues.queue("default")
    if now:
        queue.enqueue(job.func, job_id=job.job_id, result_ttl=0, failure_ttl=3600)
    else:
        queue.enqueue_in(timedelta(seconds=job.every), job.func, job_id=job.job_id, result_ttl=0, failure_ttl=3600)


def arm_all(queues: Queues) -> None:
    """Make sure every periodic job has a pending run."""
    for job in PERIODIC:
        arm(queues, job)
