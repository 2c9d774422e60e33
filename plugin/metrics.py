"""The app's Prometheus metrics, declared once; every process (web, worker) records into them with one-line calls.

With PROMETHEUS_MULTIPROC_DIR set (gunicorn with several workers, RQ workers beside it), prometheus-client writes
each process's values into files there and `GET /metrics` adds them up; without it, each process has its own.
Labels stay bounded: a site is its host name, an endpoint is the client's operation name, never an issue key."""
from __future__ import annotations

import time
from datetime import datetime
from urllib.parse import urlsplit

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

__all__ = ["CONTENT_TYPE_LATEST", "exposition"]

WEBHOOKS = Counter("worksync_webhooks_received_total", "Webhooks and product events received", ["source"])
DEDUPLICATED = Counter("worksync_webhooks_deduplicated_total",
                       "Deliveries already in the inbox (Jira delivered them again)", ["source"])
JOBS = Counter("worksync_jobs_total", "Jobs the workers ran, by job and outcome", ["job", "outcome"])
JIRA_CALLS = Counter("worksync_jira_calls_total", "Calls to Jira by site, endpoint and status",
                     ["site", "endpoint", "status"])
RATE_LIMITED = Counter("worksync_jira_rate_limited_total", "429 answers from Jira by site and RateLimit-Reason",
                       ["site", "reason"])
WAITED = Counter("worksync_jira_rate_limit_wait_seconds_total", "Seconds Jira asked us to wait (Retry-After)",
                 ["site"])
REMAINING = Gauge("worksync_jira_rate_limit_remaining", "Rate-limit points left, where Jira says "
                  "(X-RateLimit-Remaining)", ["site"], multiprocess_mode="mostrecent")
NEAR_LIMIT = Counter("worksync_jira_near_limit_total", "Answers with X-RateLimit-NearLimit: true", ["site"])
QUOTA_USED = Gauge("worksync_jira_quota_used_points", "Points of an hourly quota used, as Jira last stated it "
                   "(RateLimit / Beta-RateLimit: quota minus remaining)", ["site", "policy"],
                   multiprocess_mode="mostrecent")
QUOTA_SIZE = Gauge("worksync_jira_quota_points", "An hourly quota's size, as Jira states it (RateLimit-Policy q=)",
                   ["site", "policy"], multiprocess_mode="mostrecent")
PAUSES = Counter("worksync_jira_pauses_total", "Pauses Jira's rate limits asked of a site or of the whole app "
                 "(one per 429 that pauses more than one issue)", ["scope", "reason"])
LATENCY = Histogram("worksync_sync_latency_seconds", "A change in Jira (its `updated`) until the partner is written",
                    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800))


def site_of(base_url: str) -> str:
    """A site's label: its host (and port, and path where a site lives under one), without the scheme."""
    parts = urlsplit(base_url)
    return (parts.netloc + parts.path.rstrip("/")) or base_url


def webhook(source: str = "connect", duplicate: bool = False) -> None:
    """A webhook (or Forge event) arrived; `duplicate` when the inbox already held it."""
    (DEDUPLICATED if duplicate else WEBHOOKS).labels(source).inc()


def job(name: str, outcome: str) -> None:
    """A job finished with `outcome` (synced, clean, later, stopped, failed, error, ...)."""
    JOBS.labels(name, outcome).inc()


def jira_call(base_url: str, endpoint: str, status: int | str, headers=None, retry_after: float | None = None,
              reason: str | None = None) -> None:
    """One call to Jira: its status (a number, or "timeout"/"connection"), and what its headers say of the limits."""
    site = site_of(base_url)
    JIRA_CALLS.labels(site, endpoint, str(status)).inc()
    if status == 429:
        RATE_LIMITED.labels(site, reason or "unknown").inc()
        if retry_after:
            WAITED.labels(site).inc(retry_after)
    if headers:
        remaining = headers.get("X-RateLimit-Remaining")
        if remaining is not None:
            try:
                REMAINING.labels(site).set(float(remaining))
            except ValueError:
                pass
        if str(headers.get("X-RateLimit-NearLimit", "")).lower() == "true":
            NEAR_LIMIT.labels(site).inc()


def quota(base_url: str, quotas) -> None:
    """The hourly quotas an answer of a site stated (plugin.jira.quota.Quota): points used and the quota's size."""
    site = site_of(base_url)
    for stated in quotas:
        if stated.used is not None:
            QUOTA_USED.labels(site, stated.policy).set(stated.used)
        if stated.quota is not None:
            QUOTA_SIZE.labels(site, stated.policy).set(stated.quota)


def paused(scope: str, reason: str) -> None:
    """A rate limit paused `scope` (a site's base URL, or "app")."""
    PAUSES.labels("app" if scope == "app" else site_of(scope), reason).inc()


def synced(changed_at: str | None, now: float | None = None) -> None:
    """A partner write completed that carries a change Jira stamped `changed_at` (`updated`, UTC string)."""
    if not changed_at:
        return
    try:
        moment = datetime.strptime(changed_at, "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
    except ValueError:
        return
    LATENCY.observe(max(0.0, (time.time() if now is None else now) - moment))


def exposition(multiprocess_dir=None, extra: CollectorRegistry | None = None) -> bytes:
    """The text format of every process's metrics (from `multiprocess_dir`, else this process's) and `extra`."""
    if multiprocess_dir:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=str(multiprocess_dir))
    else:
        registry = REGISTRY
    text = generate_latest(registry)
    return text + generate_latest(extra) if extra is not None else text


_HELP = {
    "worksync_dirty_backlog": "Dirty issues waiting to be synced (database)",
    "worksync_dirty_due": "Dirty issues due now",
    "worksync_dirty_oldest_age_seconds": "Age of the oldest dirty issue (0 when none)",
    "worksync_open_errors": "Open troubleshooting rows by category",
    "worksync_queue_jobs": "RQ jobs by queue and state",
    "worksync_workers_alive": "Workers with a heartbeat in the last minute",
    "worksync_database_up": "1 when the database answered this scrape",
    "worksync_redis_up": "1 when Redis answered this scrape",
}


class _StateCollector:
    """Gauges read once per scrape (the same for every process, so never in the multiprocess files)."""

    def __init__(self, state: dict[str, list[tuple[dict, float]]]):
        self.state = state

    def collect(self):
        for name, samples in self.state.items():
            labels = sorted({key for sample_labels, _ in samples for key in sample_labels})
            family = GaugeMetricFamily(name, _HELP.get(name, name), labels=labels)
            for sample_labels, value in samples:
                family.add_metric([str(sample_labels.get(key, "")) for key in labels], value)
            yield family


def state_registry(state: dict[str, list[tuple[dict, float]]]) -> CollectorRegistry:
    """A registry of the scrape-time gauges in `state` (name → [(labels, value)])."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_StateCollector(state))
    return registry


def process_exited(pid: int, multiprocess_dir=None) -> None:
    """gunicorn's child_exit: forget the live gauges of a web worker that exited."""
    if multiprocess_dir:
        multiprocess.mark_process_dead(pid, str(multiprocess_dir))
