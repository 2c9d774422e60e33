"""The engine running for real in tests: RQ worker processes against the live app's database and Redis, the
simulator delivering webhooks, people editing issues on both simulated sites, and a wait until all is synced."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import ExitStack, contextmanager

import requests
from rq import Queue, Worker
from rq.registry import ScheduledJobRegistry
from sqlalchemy import select

from plugin.jobs import QUEUE_NAMES
from plugin.models import DirtyIssue, InitialSync, Link
from plugin.models.syncs import Synchronization
from plugin.queue import Queues, connect_redis
from tests.support.api import ApiUser
from tests.support.world import Installed


def worker_env(settings) -> dict:
    """The environment of a worker process configured like the live app."""
    metrics = {"PROMETHEUS_MULTIPROC_DIR": str(settings.metrics_dir)} if settings.metrics_dir else {}
    return {**os.environ, **metrics, "INSTANCE_PATH": str(settings.instance_path),
            "DATABASE_URL": settings.database_url, "REDIS_URL": settings.redis_url or "",
            "APP_SECRET_KEY": settings.secret_key,
            "APP_BASE_URL": settings.base_url, "APP_KEY": settings.app_key, "LOG_LEVEL": "INFO",
            "JIRA_TIMEOUT_SECONDS": str(settings.jira_timeout), **_forge_env(settings)}


def _forge_env(settings) -> dict:
    """The FORGE_* settings of a live app that is a Forge remote too (workers are configured like it)."""
    if not settings.forge_app_id:
        return {}
    return {"FORGE_APP_ID": settings.forge_app_id, "FORGE_JWKS_URL": settings.forge_jwks_url,
            "FORGE_API_HOSTS": ",".join(settings.forge_api_hosts)}


@contextmanager
def workers(settings, count: int = 1):
    """`count` worker processes (`python -m plugin worker`) until the block ends, each its own process group.

    The group is ended with the worker, so nothing a worker started outlives its test.
    """
    with ExitStack() as files:
        logs = [files.enter_context(open(settings.instance_path / f"worker-{time.monotonic_ns()}-{n}.log", "w"))
                for n in range(count)]
        processes = [subprocess.Popen([sys.executable, "-m", "plugin", "worker"], env=worker_env(settings),
                                      stdout=log, stderr=subprocess.STDOUT, text=True, start_new_session=True)
                     for log in logs]
        try:
            yield processes
        finally:
            for process in processes:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    pass
                kill(process)


@contextmanager
def running_engine(installed: Installed, count: int = 1):
    """An Engine between the simulated sites acme and globex with `count` worker processes, until the block ends."""
    with workers(installed.live.settings, count) as processes:
        engine = Engine(installed)
        engine.worker_processes = processes
        yield engine


def _alive(pid: int | None) -> bool:
    """Whether a process of this machine is running (workers run here, as SimpleWorkers: jobs run in them)."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def kill(process: subprocess.Popen) -> None:
    """SIGKILL a worker and every process of its group (its RQ scheduler included), as a crash would."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


class Engine:
    """A running engine between the simulated sites acme and globex, and ways to drive and observe it."""

    def __init__(self, installed: Installed):
        self.installed = installed
        self.worker_processes: list[subprocess.Popen] = []
        self.runtime = installed.live.runtime
        self.redis = connect_redis(installed.live.settings)

    # -- setting up --------------------------------------------------------------------------------------------
    def synchronize(self, mode: str = "immediate", project: str = "ACME", partner: str = "GLOBEX",
                    partner_site: str = "globex", start: bool = True) -> str:
        """A synchronization ACME (acme) → GLOBEX (globex), accepted (immediate mode publishes the suggestion)."""
        requester = ApiUser(self.installed, "acme", "pat", project=project)
        answerer = ApiUser(self.installed, partner_site, "pat", project=partner)
        sync = requester.request_sync(partner, partner_site=partner_site, mode=mode)
        assert answerer.post(f"/synchronizations/{sync['id']}/accept").status_code == 200
        if start:
            started = requester.post(f"/synchronizations/{sync['id']}/start")
            assert started.status_code == 200, started.text
        return sync["id"]

    def stop(self, sync_id: str) -> None:
        """Stop the synchronization (as Pat on ACME's page)."""
        assert ApiUser(self.installed, "acme", "pat", project="ACME").post(
            f"/synchronizations/{sync_id}/stop").status_code == 200

    def start(self, sync_id: str) -> None:
        """Start it again."""
        assert ApiUser(self.installed, "acme", "pat", project="ACME").post(
            f"/synchronizations/{sync_id}/start").status_code == 200

    def configure(self, sync_id: str, change) -> None:
        """Change the published configuration (immediate mode): `change(document)` edits it in place."""
        pat = ApiUser(self.installed, "acme", "pat", project="ACME")
        document = pat.get(f"/synchronizations/{sync_id}/configuration").json()["published"]
        change(document)
        saved = pat.call("PUT", f"/synchronizations/{sync_id}/configuration", json=document)
        assert saved.status_code == 200, saved.text

    # -- people at work ----------------------------------------------------------------------------------------
    def rest(self, site: str, method: str, path: str, user: str = "dev", **kwargs) -> requests.Response:
        """A REST call to a simulated site as one of its people."""
        return self.installed.as_user(site, user).request(method, f"{self.installed.sim.site_url(site)}/rest/api/3"
                                                          f"{path}", timeout=30, **kwargs)

    def create(self, site: str, project: str, summary: str, type_name: str = "Task", **fields) -> str:
        """Create an issue as Dev; its key."""
        types = {t["name"]: t["id"] for t in self.rest(site, "GET", f"/project/{project}").json()["issueTypes"]}
        body = {"fields": {"project": {"key": project}, "issuetype": {"id": types[type_name]}, "summary": summary,
                           **fields}}
        response = self.rest(site, "POST", "/issue", json=body)
        assert response.status_code == 201, response.text
        return response.json()["key"]

    def edit(self, site: str, key: str, **fields) -> None:
        """Edit fields of an issue as Dev."""
        response = self.rest(site, "PUT", f"/issue/{key}", json={"fields": fields})
        assert response.status_code == 204, response.text

    def issue(self, site: str, key: str) -> dict:
        """An issue's fields as Alice sees them."""
        response = self.rest(site, "GET", f"/issue/{key}", user="alice")
        assert response.status_code == 200, response.text
        return response.json()["fields"]

    # -- observing -------------------------------------------------------------------------------------------
    def partner(self, sync_id: str, side: int, key: str) -> str | None:
        """The key of the partner of issue `key` of `side`, once linked."""
        column = Link.side1_issue_key if side == 1 else Link.side2_issue_key
        with self.runtime.sessions() as session:
            link = session.scalar(select(Link).where(Link.sync_id == int(sync_id), column == key))
            return None if link is None else link.issue_key(3 - side)

    def links(self, sync_id: str) -> list[Link]:
        """Every link of a synchronization."""
        with self.runtime.sessions() as session:
            return list(session.scalars(select(Link).where(Link.sync_id == int(sync_id)).order_by(Link.id)))

    def calls(self) -> dict[str, int]:
        """The calls our app made to the simulator since the last reset ('site METHOD template' → count), also
        those it made as a person (a Forge user token: the log's `app`)."""
        apps = {site: self.installed.app_account(site) for site in ("acme", "globex")}
        counted: dict[str, int] = {}
        for entry in requests.get(f"{self.installed.sim.base_url}/_sim/requests", timeout=10).json():
            if apps.get(entry["site"]) in (entry["caller"], entry.get("app")):
                name = f"{entry['site']} {entry['method']} {entry['endpoint']}"
                counted[name] = counted.get(name, 0) + 1
        return counted

    def app_requests(self, refused: bool = False) -> list[dict]:
        """The simulator's request log entries of our app (site, method, endpoint, status, at, ...); with `refused`
        also the requests a fault refused before the caller was known (the test's own faults)."""
        apps = {site: self.installed.app_account(site) for site in ("acme", "globex")}
        return [entry for entry in requests.get(f"{self.installed.sim.base_url}/_sim/requests", timeout=10).json()
                if entry["caller"] == apps.get(entry["site"]) or (refused and entry["faults"])]

    def fault(self, **rule) -> None:
        """Add a simulator fault (see docs/jirasim.md)."""
        assert requests.post(f"{self.installed.sim.base_url}/_sim/faults", json=rule, timeout=10).status_code == 201

    def permissions(self, site: str, project: str, grant=(), revoke=()) -> None:
        """Grant or revoke project permissions of our app's user (a Jira admin editing the permission scheme)."""
        response = requests.post(f"{self.installed.sim.base_url}/_sim/sites/{site}/projects/{project}/permissions",
                                 json={"accountId": self.installed.app_account(site), "grant": list(grant),
                                       "revoke": list(revoke)}, timeout=10)
        assert response.status_code == 200, response.text

    def clear_faults(self) -> None:
        """Remove every fault."""
        requests.delete(f"{self.installed.sim.base_url}/_sim/faults", timeout=10)

    def poll_now(self) -> None:
        """Run the poll at once (it runs every 30 s on its own)."""
        Queues(self.installed.live.settings).enqueue("worker.jobs.poll", job_id="poll-now", queue="default")

    def reset_calls(self) -> None:
        """Zero the simulator's counters."""
        requests.post(f"{self.installed.sim.base_url}/_sim/reset", json={}, timeout=10)

    def busy(self) -> str | None:
        """What still waits (webhooks in flight, dirty issues, queued or running sync jobs), or None."""
        if not requests.post(f"{self.installed.sim.base_url}/_sim/webhooks/flush", json={"timeout": 10},
                             timeout=20).json()["flushed"]:
            return "webhooks in flight"
        with self.runtime.sessions() as session:
            rows = session.execute(select(DirtyIssue.sync_id, DirtyIssue.side, DirtyIssue.issue_id,
                                          DirtyIssue.attempts, DirtyIssue.not_before)
                                   .join(Synchronization, Synchronization.id == DirtyIssue.sync_id)
                                   .where(Synchronization.running.is_(True))).all()  # a stopped one's wait
            if rows:
                return "dirty issues " + "; ".join(f"{row} → {self._last_outcome(row)}" for row in rows)
            unfinished = session.scalars(select(InitialSync.sync_id).where(InitialSync.state != "done")).all()
            if unfinished:
                return f"initial syncs of {unfinished} not finished"
        # The database says what is left to do; of RQ, what waits and what a live worker runs now (a poll
        # that has not yet marked what it found). A job of a killed worker stays 'started' in RQ's registry
        # until RQ's own cleanup: its worker's process is gone, so it does not count.
        for worker in Worker.all(connection=self.redis):
            job_id = worker.get_current_job_id()
            if job_id and not job_id.startswith("periodic-") and _alive(worker.pid):
                return f"job {job_id} running"
        for name in QUEUE_NAMES:
            queue = Queue(name, connection=self.redis)
            waiting = [j for j in queue.get_job_ids() if not j.startswith("periodic-")]
            scheduled = [j for j in ScheduledJobRegistry(queue=queue).get_job_ids() if not j.startswith("periodic-")]
            if waiting or scheduled:
                return f"jobs of {name}: waiting {waiting}, scheduled {scheduled}"
        return None

    def _last_outcome(self, row) -> str:
        from rq.exceptions import InvalidJobOperation, NoSuchJobError
        from rq.job import Job
        from rq.serializers import JSONSerializer

        try:
            job = Job.fetch(f"sync-issue-{row[0]}-{row[1]}-{row[2]}", connection=self.redis,
                            serializer=JSONSerializer)
            return f"{job.get_status()}: {job.return_value()!r}"
        except (NoSuchJobError, InvalidJobOperation):  # none, or it expired while we looked
            return "no job"

    def settle(self, timeout: float = 60) -> None:
        """Wait until everything is synced (nothing in flight twice in a row)."""
        deadline, quiet, pending = time.monotonic() + timeout, 0, None
        while time.monotonic() < deadline:
            pending = self.busy()
            quiet = 0 if pending else quiet + 1
            if quiet >= 3:
                return
            time.sleep(0.2)
        logs = "\n".join(path.read_text()[-3000:] for path in self.installed.live.settings.instance_path.glob(
            "worker-*.log"))
        raise AssertionError(f"the engine did not settle: {pending}\nworker logs:\n{logs}")
