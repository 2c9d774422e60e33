"""Webhook delivery of real writes: JWT, identifier and retry headers, JQL filters and the webhook fault modes."""
import requests

from tests.jirasim.connect.support import InstalledApp, running_test_app


def _edit(installed_app, *keys):
    """Rename each issue as a person would: one `jira:issue_updated` each."""
    alice = requests.Session()
    alice.auth = ("alice@acme.example.com", "api-token")
    for key in keys:
        r = alice.put(f"{installed_app.simulator.site_url('acme')}/rest/api/3/issue/{key}",
                      json={"fields": {"summary": f"{key} renamed"}}, timeout=10)
        assert r.status_code == 204, r.text


def _create(installed_app, project="ACME") -> str:
    alice = requests.Session()
    alice.auth = ("alice@acme.example.com", "api-token")
    body = {"fields": {"project": {"key": project}, "summary": "Hook me", "issuetype": {"id": "10001"}}}
    created = alice.post(f"{installed_app.simulator.site_url('acme')}/rest/api/3/issue", json=body, timeout=10)
    assert created.status_code == 201, created.text
    return created.json()["key"]


def _fault(installed_app, **body):
    r = requests.post(f"{installed_app.url}/_sim/faults", json={"kind": "webhooks", **body}, timeout=5)
    assert r.status_code == 201


def _keys(app):
    return [h["body"]["issue"]["key"] for h in app.webhooks]


def test_delivery_is_signed_and_identified(installed_app):
    key = _create(installed_app)
    log = installed_app.flush_webhooks()
    (hook,) = installed_app.app.webhooks
    assert "error" not in hook, hook.get("error")
    assert hook["claims"]["iss"] == installed_app.installation.client_key
    assert hook["headers"]["X-Atlassian-Webhook-Identifier"]
    assert "X-Atlassian-Webhook-Retry" not in hook["headers"]
    assert hook["body"]["webhookEvent"] == "jira:issue_created" and hook["body"]["issue"]["key"] == key
    assert hook["args"] == {"e": "jira:issue_created"}
    assert log[-1]["outcome"] == "delivered"


def test_retry_after_500_reuses_identifier(installed_app):
    installed_app.app.fail_webhooks = 2
    _edit(installed_app, "ACME-1")
    installed_app.flush_webhooks()
    hooks = installed_app.app.webhooks
    assert len(hooks) == 3
    assert len({h["headers"]["X-Atlassian-Webhook-Identifier"] for h in hooks}) == 1
    assert [h["headers"].get("X-Atlassian-Webhook-Retry") for h in hooks] == [None, "1", "2"]
    assert all("error" not in h for h in hooks)


def test_retries_are_bounded(installed_app):
    installed_app.app.fail_webhooks = 100
    _edit(installed_app, "ACME-1")
    log = installed_app.flush_webhooks()
    assert len(installed_app.app.webhooks) == 4  # the first attempt and three retries
    assert log[-1]["outcome"] == "failed" and [a["retry"] for a in log[-1]["attempts"]] == [0, 1, 2, 3]


def test_no_delivery_for_an_undeclared_event_or_a_disabled_app(simulator):
    with running_test_app(simulator.base_url, events=("jira:issue_created",)) as app:
        installed_app = InstalledApp(simulator, app)
        assert installed_app.install().status_code == 201
        _edit(installed_app, "ACME-1")
        installed_app.lifecycle("disable")
        _create(installed_app)
        assert installed_app.flush_webhooks() == []
        assert app.webhooks == []


def test_in_order_by_default(installed_app):
    _edit(installed_app, "ACME-1", "ACME-2", "ACME-3")
    installed_app.flush_webhooks()
    assert _keys(installed_app.app) == ["ACME-1", "ACME-2", "ACME-3"]


def test_duplicate_fault(installed_app):
    _fault(installed_app, duplicate=1)
    _edit(installed_app, "ACME-1", "ACME-2")
    installed_app.flush_webhooks()
    hooks = installed_app.app.webhooks
    assert _keys(installed_app.app) == ["ACME-1", "ACME-1", "ACME-2"]
    identifiers = [h["headers"]["X-Atlassian-Webhook-Identifier"] for h in hooks]
    assert identifiers[0] == identifiers[1] != identifiers[2]


def test_drop_fault(installed_app):
    _fault(installed_app, drop=2)
    _edit(installed_app, "ACME-1", "ACME-2", "ACME-3")
    log = installed_app.flush_webhooks()
    assert _keys(installed_app.app) == ["ACME-3"]
    assert [e["outcome"] for e in log] == ["dropped", "dropped", "delivered"]


def test_reorder_fault(installed_app):
    _fault(installed_app, reorder=3)
    _edit(installed_app, "ACME-1", "ACME-2", "ACME-3", "SUP-1")
    installed_app.flush_webhooks()
    assert _keys(installed_app.app) == ["ACME-3", "ACME-2", "ACME-1", "SUP-1"]


def test_delay_fault_is_logged(installed_app):
    _fault(installed_app, delay_ms=50)
    _edit(installed_app, "ACME-1")
    log = installed_app.flush_webhooks()
    assert len(installed_app.app.webhooks) == 1
    assert log[-1]["delayMs"] == 50


def test_a_webhook_jql_filter_is_evaluated_when_the_event_happens(installed_app):
    installed_app.app.webhook_filter = "project = SUP"
    assert installed_app.install().status_code == 201
    acme, sup = _create(installed_app, "ACME"), _create(installed_app, "SUP")
    installed_app.flush_webhooks()
    assert _keys(installed_app.app) == [sup] and acme.startswith("ACME-")
