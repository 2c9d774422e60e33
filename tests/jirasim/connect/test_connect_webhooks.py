"""Webhook delivery: JWT, identifier and retry headers, and the webhook fault modes."""
import requests

from jirasim.connect.install import apps


def _emit(world, *keys, event="jira:issue_updated"):
    for key in keys:
        world.emit(world.sites["alpha"], event, key)


def _flush(url):
    r = requests.post(f"{url}/_sim/webhooks/flush", json={"timeout": 20}, timeout=30)
    assert r.status_code == 200 and r.json()["flushed"]


def _fault(url, **body):
    r = requests.post(f"{url}/_sim/faults", json={"kind": "webhooks", **body}, timeout=5)
    assert r.status_code == 201


def test_delivery_is_signed_and_identified(installed):
    world, url, app = installed
    _emit(world, "A-1", event="jira:issue_created")
    _flush(url)
    (hook,) = app.webhooks
    assert "error" not in hook, hook.get("error")
    inst = apps(world.sites["alpha"])[app.key]
    assert hook["claims"]["iss"] == inst.client_key
    assert hook["headers"]["X-Atlassian-Webhook-Identifier"]
    assert "X-Atlassian-Webhook-Retry" not in hook["headers"]
    assert hook["body"]["webhookEvent"] == "jira:issue_created" and hook["body"]["issue"]["key"] == "A-1"
    assert hook["args"] == {"e": "jira:issue_created"}
    log = requests.get(f"{url}/_sim/webhooks", timeout=5).json()
    assert log[-1]["outcome"] == "delivered"


def test_retry_after_500_reuses_identifier(installed):
    world, url, app = installed
    app.fail_webhooks = 2
    _emit(world, "A-1")
    _flush(url)
    assert len(app.webhooks) == 3
    ids = {h["headers"]["X-Atlassian-Webhook-Identifier"] for h in app.webhooks}
    assert len(ids) == 1
    retries = [h["headers"].get("X-Atlassian-Webhook-Retry") for h in app.webhooks]
    assert retries == [None, "1", "2"]
    assert all("error" not in h for h in app.webhooks)


def test_retries_are_bounded(installed):
    world, url, app = installed
    app.fail_webhooks = 100
    _emit(world, "A-1")
    _flush(url)
    assert len(app.webhooks) == world.webhook_dispatcher.retries + 1
    assert world.webhook_dispatcher.log[-1]["outcome"] == "failed"


def test_no_delivery_when_disabled_or_event_not_declared(installed):
    world, url, app = installed
    _emit(world, "A-1", event="worklog_created")
    requests.post(f"{url}/_sim/sites/alpha/disable", json={"app_key": app.key}, timeout=10)
    _emit(world, "A-2")
    _flush(url)
    assert app.webhooks == []


def test_in_order_by_default(installed):
    world, url, app = installed
    _emit(world, "A-1", "A-2", "A-3")
    _flush(url)
    assert [h["body"]["issue"]["key"] for h in app.webhooks] == ["A-1", "A-2", "A-3"]


def test_duplicate_fault(installed):
    world, url, app = installed
    _fault(url, duplicate=1)
    _emit(world, "A-1", "A-2")
    _flush(url)
    keys = [h["body"]["issue"]["key"] for h in app.webhooks]
    assert keys == ["A-1", "A-1", "A-2"]
    assert app.webhooks[0]["headers"]["X-Atlassian-Webhook-Identifier"] == \
        app.webhooks[1]["headers"]["X-Atlassian-Webhook-Identifier"]


def test_drop_fault(installed):
    world, url, app = installed
    _fault(url, drop=2)
    _emit(world, "A-1", "A-2", "A-3")
    _flush(url)
    assert [h["body"]["issue"]["key"] for h in app.webhooks] == ["A-3"]
    outcomes = [e["outcome"] for e in requests.get(f"{url}/_sim/webhooks", timeout=5).json()]
    assert outcomes == ["dropped", "dropped", "delivered"]


def test_reorder_fault(installed):
    world, url, app = installed
    _fault(url, reorder=3)
    _emit(world, "A-1", "A-2", "A-3", "A-4")
    _flush(url)
    assert [h["body"]["issue"]["key"] for h in app.webhooks] == ["A-3", "A-2", "A-1", "A-4"]


def test_delay_fault_is_logged(installed):
    world, url, app = installed
    _fault(url, delay_ms=50)
    _emit(world, "A-1")
    _flush(url)
    assert len(app.webhooks) == 1
    assert world.webhook_dispatcher.log[-1]["delayMs"] == 50
