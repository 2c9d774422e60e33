"""A real RQ worker process consumes jobs the app enqueues."""
import os
import subprocess
import sys

import pytest
import redis

from plugin.queue import Queues, stop_embedded_redis
from tests.support.settings import settings_for


def test_worker_process_runs_an_enqueued_job(tmp_path, redis_url):
    settings = settings_for(tmp_path, redis_url=redis_url)
    job = Queues(settings).enqueue("worker.jobs.heartbeat", "tick-1", job_id="heartbeat-tick-1")
    env = {**os.environ, "INSTANCE_PATH": str(tmp_path), "REDIS_URL": redis_url, "APP_SECRET_KEY": "k" * 40}
    result = subprocess.run([sys.executable, "-m", "plugin", "worker", "--burst", "--no-scheduler"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    job.refresh()
    assert job.get_status() == "finished" and job.return_value() == "tick-1"


def test_the_same_job_id_enqueues_the_work_once(tmp_path, redis_url):
    settings = settings_for(tmp_path, redis_url=redis_url)
    queues = Queues(settings)
    first = queues.enqueue("worker.jobs.heartbeat", "a", job_id="same")
    second = queues.enqueue("worker.jobs.heartbeat", "a", job_id="same")
    assert first.id == second.id and queues.queue().count == 1
    queues.queue().empty()


def test_embedded_redis_is_used_when_no_url_is_set(tmp_path):
    settings = settings_for(tmp_path, redis_url=None)
    queues = Queues(settings)
    assert queues.redis.ping()
    stop_embedded_redis()
    with pytest.raises(redis.ConnectionError):
        queues.redis.ping()


def test_a_job_a_killed_worker_took_off_the_queue_is_enqueued_again_when_rung(tmp_path, redis_url):
    settings = settings_for(tmp_path, redis_url=redis_url)
    queues = Queues(settings)
    first = queues.enqueue("worker.jobs.heartbeat", "a", job_id="taken", queue="sync")
    queue = queues.queue("sync")
    # What a worker does first (RQ moves the id into its intermediate list), and then it is SIGKILLed: the job
    # still says queued, but no list a worker reads holds it.
    queues.redis.lmove(queue.key, queue.intermediate_queue_key, "RIGHT", "LEFT")
    assert first.get_status() == "queued" and queue.get_job_ids() == []
    again = queues.enqueue("worker.jobs.heartbeat", "a", job_id="taken", queue="sync")
    assert again.id == "taken" and queue.get_job_ids() == ["taken"]
    assert queues.enqueue("worker.jobs.heartbeat", "a", job_id="taken", queue="sync") is not None
    assert queue.get_job_ids() == ["taken"]  # while it waits in the list, ringing again adds nothing
    queue.empty()
    queues.redis.delete(queue.intermediate_queue_key)
