"""The in-process engine: the app's jobs run in the test's own process — an RQ SimpleWorker in burst mode on the live
app's Redis and database, the simulator and the app on their loopback threads as everywhere — with no worker process
to start and no periodic ticker. `settle()` drains: webhooks delivered, due retries rung (the sweeper's job), due
scheduled jobs queued (RQ's scheduler's), every queued job run, until nothing is left twice in a row.

For engine tests that need no process of their own (crashes, two workers, Redis restarts keep `running_engine`):
they start in milliseconds and every pass runs where the test can see it."""
from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager

from rq import Queue
from rq.registry import ScheduledJobRegistry
from rq.serializers import JSONSerializer

import worker.jobs as worker_jobs
from plugin.jobs import QUEUE_NAMES
from tests.support.engine import Engine
from tests.support.world import Installed
from worker.queue import make_worker


class InProcessEngine(Engine):
    """An Engine whose jobs run here, when `settle()` (or `drain()`) asks."""

    def drain(self) -> int:
        """Run what is due now: retries the sweeper would ring, scheduled jobs whose time came, every queued job.
        The number of jobs run."""
        worker_jobs.sweep()
        for name in QUEUE_NAMES:
            queue = Queue(name, connection=self.redis, serializer=JSONSerializer)
            registry = ScheduledJobRegistry(queue=queue)
            for job_id in registry.get_jobs_to_schedule(int(time.time())):
                job = queue.fetch_job(job_id)
                registry.remove(job_id)
                if job is not None:
                    queue._enqueue_job(job)
        handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
        runner, ran = make_worker(self.installed.live.settings), []
        execute = runner.execute_job
        runner.execute_job = lambda job, queue: (ran.append(job.id), execute(job, queue))[1]  # type: ignore[method-assign]
        try:
            runner.work(burst=True, with_scheduler=False, logging_level="WARNING")
        finally:  # RQ's worker installs its own stop handlers: give pytest its own back
            for number, handler in handlers.items():
                signal.signal(number, handler)
        return len(ran)

    def reset_calls(self) -> None:
        """Zero the simulator's counters — after delivering the webhooks it holds, which its reset would drop (a
        worker process's periodic poll would find those issues again; here nothing runs until `settle`, so
        delivering first counts every call the engine makes for them)."""
        self.installed.flush_webhooks()
        super().reset_calls()

    def settle(self, timeout: float = 60) -> None:
        """Drain until nothing waits (webhooks, dirty issues, initial syncs, jobs) twice in a row."""
        deadline, quiet, pending = time.monotonic() + timeout, 0, None
        while time.monotonic() < deadline:
            ran = self.drain()
            pending = self.busy()
            quiet = 0 if pending or ran else quiet + 1
            if quiet >= 2:
                return
            if not ran:
                time.sleep(0.05)  # a retry's backoff, or a webhook on its way: its time has not come yet
        raise AssertionError(f"the engine did not settle in process: {pending}")


@contextmanager
def in_process_engine(installed: Installed) -> Iterator[InProcessEngine]:
    """An InProcessEngine between the simulated sites acme and globex; its jobs use the live app's runtime."""
    runtime = installed.live.runtime
    original = worker_jobs._runtime
    worker_jobs._runtime = lambda: runtime  # the jobs look their runtime up by this name
    try:
        yield InProcessEngine(installed)
    finally:
        worker_jobs._runtime = original
