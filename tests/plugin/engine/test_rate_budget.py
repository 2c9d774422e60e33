"""Jira's 2026 limits on our side: the quota headers read, a site slowed down before the 429 (its budget lowered
for a while, the period counted), the tenant-based quota pausing the whole tenant, each site's budget shown."""
import time
import uuid

import redis
from prometheus_client import REGISTRY

from plugin import metrics
from plugin.engine.runner import pause_for
from plugin.errors import RateLimited
from plugin.guard import SLOW_SHARE, Guard
from plugin.jira.quota import Quota, near_limit, quotas

ANSWER = {"RateLimit-Policy": '"global-app-quota";q=65000;w=3600',
          "RateLimit": '"global-app-quota";r=64000;t=1200',
          "Beta-RateLimit-Policy": '"tenant-app-quota";q=100100;w=3600',
          "Beta-RateLimit": '"tenant-app-quota";r=17842;t=2107'}


def moved(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _guard(redis_url) -> tuple[Guard, str]:
    connection = redis.Redis.from_url(redis_url)
    return Guard(lambda: connection, budget_per_second=40), f"https://{uuid.uuid4().hex[:8]}.example.net"


def test_the_quota_headers_are_read_as_atlassian_sends_them():
    found = {q.policy: q for q in quotas(ANSWER)}
    assert found["global-app-quota"] == Quota("global-app-quota", 65000, 3600, 64000, 1200)
    assert found["tenant-app-quota"].used == 100100 - 17842
    assert found["tenant-app-quota"].near and not found["global-app-quota"].near
    assert near_limit(ANSWER)  # less than a fifth of the tenant quota is left
    assert near_limit({"X-RateLimit-NearLimit": "true"}) and not near_limit({"X-RateLimit-NearLimit": "false"})
    assert quotas({"Beta-RateLimit": "garbage;;"}) == [Quota("garbage", None, None, None, None)]
    assert quotas(None) == [] and not near_limit({})


def test_near_a_limit_the_site_is_slowed_down_before_the_429(redis_url):
    guard, site = _guard(redis_url)
    assert sum(guard.spend(site) for _ in range(40)) == 40
    guard.observe(site, quotas(ANSWER), near=True)
    guard.observe(site, quotas(ANSWER), near=True)  # the same period goes on: counted once
    budget = guard.budget(site)
    assert budget["nearLimitPeriods"] == 1 and budget["slowedUntil"] > time.time()
    assert budget["callsPerSecond"] == 40 // SLOW_SHARE
    assert budget["quotas"]["tenant-app-quota"]["used"] == 100100 - 17842
    assert budget["quotas"]["tenant-app-quota"]["quota"] == 100100
    second = int(time.time())
    while int(time.time()) == second:  # a fresh second: only a quarter of the budget passes
        time.sleep(0.01)
    granted = sum(guard.spend(site) for _ in range(40))
    assert granted <= 40 // SLOW_SHARE
    other = f"https://{uuid.uuid4().hex[:8]}.example.net"
    assert guard.budget(other)["callsPerSecond"] == 40 and guard.budget(other)["nearLimitPeriods"] == 0


def test_the_tenant_based_quota_pauses_the_whole_tenant_and_is_counted(redis_url):
    guard, site = _guard(redis_url)
    before = moved("worksync_jira_pauses_total", scope=metrics.site_of(site), reason="jira-quota-tenant-based")
    exc = RateLimited("Rate limit exceeded.", retry_after=30, reason="jira-quota-tenant-based", site=site)
    assert pause_for(guard, exc) == "jira-quota-tenant-based"
    assert pause_for(guard, exc) == "jira-quota-tenant-based"  # one more 429 of the same pause
    assert guard.paused_until(f"site:{site}") is not None and guard.paused_until("app") is None
    assert guard.budget(site)["pauses"] == 1
    after = moved("worksync_jira_pauses_total", scope=metrics.site_of(site), reason="jira-quota-tenant-based")
    assert after - before == 2


def test_a_per_issue_limit_pauses_nobody(redis_url):
    guard, site = _guard(redis_url)
    exc = RateLimited("Rate limit exceeded.", retry_after=3, reason="jira-per-issue-on-write", site=site)
    pause_for(guard, exc)
    assert guard.paused_until(f"site:{site}") is None and guard.budget(site)["pauses"] == 0
