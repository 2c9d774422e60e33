"""The one catalogue of background jobs: their dotted names (in `worker.jobs`), ids and queues.

The plugin rings jobs by name and never imports `worker`; a deterministic id per job coalesces repeats (a job that
waits to run is not enqueued twice)."""
from __future__ import annotations

from typing import NamedTuple

SYNC, DEFAULT = "sync", "default"
QUEUE_NAMES = (SYNC, DEFAULT)


class Job(NamedTuple):
    """One job to ring: the dotted function name, its JSON arguments (ids only), its id and its queue."""

    func: str
    args: tuple
    id: str
    queue: str = SYNC


def sync_issue(sync_id: int, side: int, issue_id: str) -> Job:
    """Sync one dirty issue of a synchronization."""
    return Job("worker.jobs.sync_issue", (sync_id, side, issue_id), f"sync-issue-{sync_id}-{side}-{issue_id}")


def poll_sync(sync_id: int) -> Job:
    """Poll both sides of one synchronization now."""
    return Job("worker.jobs.poll_sync", (sync_id,), f"poll-sync-{sync_id}", DEFAULT)


def initial_sync(sync_id: int, done: int = 0) -> Job:
    """The next page of the initial sync of existing issues (`done` issues so far)."""
    return Job("worker.jobs.initial_sync", (sync_id,), f"initial-sync-{sync_id}-{done}", DEFAULT)


def sweep_now() -> Job:
    """Ring the sweeper now (a Forge scheduled trigger), besides its periodic slot."""
    return Job("worker.jobs.sweep", (), "sweep-now", DEFAULT)


def prove_site_claim(tenant_id: int) -> Job:
    """Activate a clientKey that claims a known site once a signed call there proves it."""
    return Job("worker.jobs.prove_site_claim", (tenant_id,), f"prove-site-claim-{tenant_id}", DEFAULT)


class Periodic(NamedTuple):
    """A job every worker's ticker enqueues once per time slot of `every` seconds (across all workers)."""

    name: str
    func: str
    every: float


PERIODIC = (
    Periodic("sweep", "worker.jobs.sweep", every=1),
    Periodic("poll", "worker.jobs.poll", every=30),
    Periodic("prune", "worker.jobs.prune", every=3600),
    Periodic("notify", "worker.jobs.notify", every=60),
)
