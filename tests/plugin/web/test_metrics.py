"""GET /metrics: Prometheus text behind METRICS_TOKEN; webhooks, Jira's limits and the backlog move its numbers."""
import json

import pytest
from prometheus_client.parser import text_string_to_metric_families

from plugin import metrics
from tests.support.constants import APP_BASE_URL

TOKEN = "metrics-token-for-tests-0123456789"


@pytest.fixture
def settings(settings):
    return settings.with_(metrics_token=TOKEN)


def scrape(client) -> dict:
    """{(name, frozenset(labels)): value} of one authorised scrape."""
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, base_url=APP_BASE_URL)
    assert response.status_code == 200 and response.content_type.startswith("text/plain")
    return {(sample.name, frozenset(sample.labels.items())): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True)) for sample in family.samples}


def _webhook(client, site, delivery):
    body = json.dumps({"webhookEvent": "jira:issue_updated", "issue": {"id": "10001", "key": "ACME-1"}})
    token = site.token("POST", "/webhooks/issue-updated", sub=None)
    return client.post("/webhooks/issue-updated", data=body, content_type="application/json", base_url=APP_BASE_URL,
                       headers={"Authorization": f"JWT {token}", "X-Atlassian-Webhook-Identifier": delivery})


def test_metrics_need_the_token(client):
    assert client.get("/metrics", base_url=APP_BASE_URL).status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"}, base_url=APP_BASE_URL)
    assert wrong.status_code == 401 and TOKEN not in wrong.get_data(as_text=True)


def test_metrics_are_not_served_without_a_token(app, client):
    app.extensions["work_sync"].settings = app.extensions["work_sync"].settings.with_(metrics_token=None)
    assert client.get("/metrics", headers={"Authorization": "Bearer "}, base_url=APP_BASE_URL).status_code == 404


def test_webhooks_received_and_deduplicated_move(client, site):
    before = scrape(client)
    received = ("worksync_webhooks_received_total", frozenset({("source", "connect")}))
    duplicate = ("worksync_webhooks_deduplicated_total", frozenset({("source", "connect")}))
    assert _webhook(client, site, "m-1").status_code == 204
    assert _webhook(client, site, "m-1").status_code == 204
    after = scrape(client)
    assert after[received] - before.get(received, 0) == 2
    assert after[duplicate] - before.get(duplicate, 0) == 1
    assert after[("worksync_dirty_backlog", frozenset())] == 0  # no synchronization covers ACME here
    assert after[("worksync_database_up", frozenset())] == 1 and after[("worksync_redis_up", frozenset())] == 1


def test_jira_calls_429s_waits_and_points_left_are_counted(client):
    site = "acme.example.net"
    before = scrape(client)
    metrics.jira_call(f"https://{site}", "edit issue", 204, {"X-RateLimit-Remaining": "640"})
    metrics.jira_call(f"https://{site}", "edit issue", 429, {"Retry-After": "7", "X-RateLimit-NearLimit": "true"},
                      retry_after=7, reason="jira-burst-based")
    after = scrape(client)

    def moved(name, **labels):
        key = (name, frozenset(labels.items()))
        return after[key] - before.get(key, 0)

    assert moved("worksync_jira_calls_total", site=site, endpoint="edit issue", status="204") == 1
    assert moved("worksync_jira_calls_total", site=site, endpoint="edit issue", status="429") == 1
    assert moved("worksync_jira_rate_limited_total", site=site, reason="jira-burst-based") == 1
    assert moved("worksync_jira_rate_limit_wait_seconds_total", site=site) == 7
    assert moved("worksync_jira_near_limit_total", site=site) == 1
    assert after[("worksync_jira_rate_limit_remaining", frozenset({("site", site)}))] == 640


def test_sync_latency_is_observed_from_the_change_time():
    before = metrics.LATENCY.collect()[0]
    count = next(s.value for s in before.samples if s.name.endswith("_count"))
    metrics.synced("2026-01-01T10:00:00.000+0000", now=1767261600.4)  # 0.4 s after that moment
    after = metrics.LATENCY.collect()[0]
    assert next(s.value for s in after.samples if s.name.endswith("_count")) == count + 1
    bucket = {s.labels["le"]: s.value for s in after.samples if s.name.endswith("_bucket")}
    bucket_before = {s.labels["le"]: s.value for s in before.samples if s.name.endswith("_bucket")}
    assert bucket["0.5"] - bucket_before["0.5"] == 1 and bucket["0.25"] == bucket_before["0.25"]
