"""A running engine seen from outside: a synced change moves /metrics (counted in the worker process, summed from
the multiprocess directory) and /health sees the worker's heartbeat."""
import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from plugin.db import migrate
from tests.support.eventually import eventually
from tests.support.settings import settings_for

TOKEN = "metrics-token-for-tests-0123456789"


@pytest.fixture
def settings(tmp_path, redis_url):
    """SQLite only (the metrics do not depend on the database), a multiprocess directory and a token."""
    folder = tmp_path / "prometheus"
    folder.mkdir()
    settings = settings_for(tmp_path, redis_url=redis_url, metrics_token=TOKEN, metrics_dir=folder)
    migrate(settings.database_url)
    return settings


def _scrape(live) -> dict:
    text = requests.get(f"{live.base_url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10).text
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def _sum(samples: dict, name: str, **labels) -> float:
    return sum(value for (sample, found), value in samples.items()
               if sample == name and set(labels.items()) <= set(found))


def test_a_synced_change_moves_the_counters(engine, installed):
    live = installed.live
    sync_id = engine.synchronize()
    key = engine.create("acme", "ACME", "Seen by Prometheus")
    engine.settle()
    partner = engine.partner(sync_id, 1, key)
    assert partner
    before = _scrape(live)
    engine.edit("acme", key, summary="Edited for the metrics")
    engine.settle()
    after = eventually(lambda: (lambda s: s if _sum(s, "worksync_sync_latency_seconds_count") >
                                _sum(before, "worksync_sync_latency_seconds_count") else None)(_scrape(live)))
    globex = installed.sim.site_url("globex").split("://", 1)[1]
    assert _sum(after, "worksync_jira_calls_total", site=globex, endpoint="edit issue", status="200") > _sum(
        before, "worksync_jira_calls_total", site=globex, endpoint="edit issue", status="200")
    assert _sum(after, "worksync_jobs_total", job="sync_issue", outcome="synced") > _sum(
        before, "worksync_jobs_total", job="sync_issue", outcome="synced")
    assert _sum(after, "worksync_dirty_backlog") == 0
    # the heartbeat is refreshed every few seconds: a Redis flushed meanwhile shows it again soon
    eventually(lambda: _sum(_scrape(live), "worksync_workers_alive") >= 1, timeout=30)
    health = requests.get(f"{live.base_url}/health", timeout=10)
    assert health.status_code == 200 and health.json()["checks"]["worker"] == "ok"


def test_status_prints_the_state_of_a_running_engine(engine, installed):
    import subprocess
    import sys

    from plugin.models import SyncError
    from tests.support.engine import worker_env

    sync_id = engine.synchronize()
    engine.create("acme", "ACME", "Counted by status")
    engine.settle()
    with installed.live.runtime.sessions() as session:
        session.add(SyncError(sync_id=int(sync_id), fingerprint="f" * 16, category="validation", message="x"))
        session.commit()
    eventually(lambda: requests.get(f"{installed.live.base_url}/health", timeout=10).status_code == 200, timeout=30)
    result = subprocess.run([sys.executable, "-m", "plugin", "status"], env=worker_env(installed.live.settings),
                            capture_output=True, text=True, timeout=60)
    out = result.stdout
    assert result.returncode == 0, result.stdout + result.stderr
    assert out.startswith("Work Sync: ok") and "database  ok" in out and "worker    ok" in out
    assert "Queues" in out and "sync" in out and "default" in out
    assert "Workers: 1 with a heartbeat" in out
    assert "Backlog: 0 dirty issue(s)" in out
    for site in ("acme", "globex"):
        line = next(line for line in out.splitlines() if line.strip().startswith(
            installed.sim.site_url(site).split("://", 1)[1]))
        assert line.split()[1:4] == ["yes", "1", "1"]  # enabled, one synchronization, its open error
    assert "Open errors: 1 (validation 1)" in out
    assert installed.live.settings.secret_key not in out
