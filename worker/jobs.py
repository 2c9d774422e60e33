"""Thin RQ entry points: they take ids and call plain domain functions."""
from __future__ import annotations

from datetime import timedelta
from functools import cache

from plugin import metrics
from plugin.connect import site_claims
from plugin.engine import maintenance, runner
from plugin.engine.intake.dirty import DirtyKey
from plugin.logs import log_context
from plugin.runtime import Runtime
from plugin.settings import Settings
from plugin.syncs.troubleshoot import mail


@cache
def _runtime() -> Runtime:
    return Runtime.build(Settings.from_env())


def heartbeat(token: str) -> str:
    """Echo `token`: proves a worker is consuming the queue (used by /health and tests)."""
    return token


def prove_site_claim(tenant_id: int) -> str:
    """Activate a clientKey that claims a known site once a signed GET serverInfo there works with its secret."""
    runtime = _runtime()
    return site_claims.prove_claim(runtime.sessions, tenant_id, lambda tenant: runtime.jira(tenant).server_info())


def sync_issue(sync_id: int, side: int, issue_id: str) -> str:
    """Sync one dirty issue (a deterministic job id per issue coalesces bursts of edits)."""
    runtime = _runtime()
    key = DirtyKey(sync_id, side, issue_id)
    with log_context(sync=sync_id, side=side, issue=issue_id):
        try:
            outcome = runner.sync_issue(runtime.tools, key)
        except Exception:
            metrics.job("sync_issue", "error")
            raise
    metrics.job("sync_issue", outcome.state)
    if outcome.again:  # marked again while we worked: run once more
        runtime.queues.ring([key.job])
    return f"{outcome.state}: {outcome.detail}" if outcome.detail else outcome.state


def sweep() -> int:
    """Ring a job for every dirty issue that is due and every unfinished initial sync (Redis may have lost them)."""
    runtime = _runtime()
    rung = runtime.queues.ring(key.job for key in maintenance.due(runtime.tools))
    return rung + runtime.queues.ring(maintenance.unfinished_initial_syncs(runtime.tools))


def initial_sync(sync_id: int) -> str:
    """One page of the initial sync of existing issues; the next page is its own job."""
    runtime = _runtime()
    with log_context(sync=sync_id):
        following = maintenance.initial_step(runtime.tools, sync_id)
    metrics.job("initial_sync", "more" if following else "done")
    if following is not None:
        runtime.queues.ring([following])
    return "more" if following else "done"


def poll() -> int:
    """Poll every running side for changes whose webhooks never came."""
    runtime = _runtime()
    return runtime.queues.ring(key.job for key in maintenance.poll_all(runtime.tools))


def poll_sync(sync_id: int) -> int:
    """Poll both sides of one synchronization now (after a start: catch up what changed while stopped)."""
    runtime = _runtime()
    return runtime.queues.ring(key.job for key in maintenance.poll_one(runtime.tools, sync_id))


def prune() -> int:
    """Forget old inbox deliveries."""
    return maintenance.prune(_runtime().tools)


def notify() -> int:
    """Mail the creators of synchronizations with new errors after a quiet period (when SMTP is set)."""
    runtime = _runtime()
    return mail.notify_all(runtime.tools, runtime.mailer, runtime.settings.app_key,
                           timedelta(minutes=runtime.settings.notify_quiet_minutes))
