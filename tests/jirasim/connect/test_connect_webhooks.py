"""Webhook delivery of real writes as Jira does it: signed and identified, several in flight and in no promised
order (strict order on request), retried on Jira's list of answers, Primary and (late) Secondary flows, faults."""
import socket
from collections.abc import Iterator

import pytest
import requests

from jirasim.connect.delivery import DeliveryPolicy
from jirasim.sample import populate
from jirasim.testing import RunningSimulator, running_simulator
from jirasim.world import World
from tests.jirasim.connect.support import InstalledApp, running_test_app
from tests.support.eventually import eventually


def _alice(installed_app, site="acme") -> requests.Session:
    alice = requests.Session()
    alice.auth = (f"alice@{site}.example.com", "api-token")
    alice.base = installed_app.simulator.site_url(site) + "/rest/api/3"
    return alice


def _edit(installed_app, *keys):
    """Rename each issue as a person would: one `jira:issue_updated` each."""
    alice = _alice(installed_app)
    for key in keys:
        r = alice.put(f"{alice.base}/issue/{key}", json={"fields": {"summary": f"{key} renamed"}}, timeout=10)
        assert r.status_code == 204, r.text


def _create(installed_app, project="ACME") -> str:
    body = {"fields": {"project": {"key": project}, "summary": "Hook me", "issuetype": {"id": "10001"}}}
    created = _alice(installed_app).post(f"{_alice(installed_app).base}/issue", json=body, timeout=10)
    assert created.status_code == 201, created.text
    return created.json()["key"]


def _sim(installed_app, method, path, **body):
    r = requests.request(method, f"{installed_app.url}/_sim/{path}", json=body, timeout=30)
    assert r.status_code in (200, 201), r.text
    return r.json()


def _fault(installed_app, **body):
    _sim(installed_app, "POST", "faults", kind="webhooks", **body)


def _keys(app):
    return [h["body"]["issue"]["key"] for h in app.webhooks]


def _retries(app):
    return [h["headers"].get("X-Atlassian-Webhook-Retry") for h in app.webhooks]


@pytest.fixture
def strict_simulator() -> Iterator[RunningSimulator]:
    """Sample sites in a World built in Python to deliver webhooks in strict order."""
    world = World(populate=populate, delivery=DeliveryPolicy(strict_order=True))
    for name in ("acme", "globex"):
        world.add_site(name)
    with running_simulator(world=world) as running:
        yield running


def test_delivery_is_signed_identified_and_in_the_primary_flow(installed_app):
    key = _create(installed_app)
    log = installed_app.flush_webhooks()
    (hook,) = installed_app.app.webhooks
    assert "error" not in hook, hook.get("error")
    assert hook["claims"]["iss"] == installed_app.installation.client_key
    assert hook["headers"]["X-Atlassian-Webhook-Identifier"]
    assert hook["headers"]["X-Atlassian-Webhook-Flow"] == "Primary"
    assert "X-Atlassian-Webhook-Retry" not in hook["headers"]
    assert hook["body"]["webhookEvent"] == "jira:issue_created" and hook["body"]["issue"]["key"] == key
    assert hook["args"] == {"e": "jira:issue_created"}
    assert log[-1]["outcome"] == "delivered" and log[-1]["flow"] == "Primary"


def test_deliveries_are_in_flight_together_so_a_slow_one_is_overtaken(installed_app):
    installed_app.app.hold_first = 10
    _edit(installed_app, "ACME-1", "ACME-2")
    installed_app.flush_webhooks()
    first, second = installed_app.app.webhooks
    assert first["overtaken"] is True  # the second arrived while the first was still being answered
    assert {first["body"]["issue"]["key"], second["body"]["issue"]["key"]} == {"ACME-1", "ACME-2"}


def test_strict_order_sends_one_delivery_at_a_time_in_event_order(strict_simulator):
    with running_test_app(strict_simulator.base_url) as app:
        installed_app = InstalledApp(strict_simulator, app)
        assert installed_app.install().status_code == 201
        app.hold_first = 1
        _edit(installed_app, "ACME-1", "ACME-2", "ACME-3")
        installed_app.flush_webhooks()
        assert app.webhooks[0]["overtaken"] is False
        assert _keys(app) == ["ACME-1", "ACME-2", "ACME-3"]


def test_strict_order_can_be_asked_for_one_site_through_the_control_api(installed_app):
    settings = _sim(installed_app, "POST", "webhooks/settings", strict_order=True, site="acme")
    assert settings["strict_order"] is False and settings["strict_sites"] == {"acme": True}
    installed_app.app.hold_first = 1
    _edit(installed_app, "ACME-1", "ACME-2", "ACME-3")
    installed_app.flush_webhooks()
    assert installed_app.app.webhooks[0]["overtaken"] is False
    assert _keys(installed_app.app) == ["ACME-1", "ACME-2", "ACME-3"]


def test_retry_after_500_reuses_identifier(installed_app):
    installed_app.app.fail_webhooks = 2
    _edit(installed_app, "ACME-1")
    installed_app.flush_webhooks()
    hooks = installed_app.app.webhooks
    assert len({h["headers"]["X-Atlassian-Webhook-Identifier"] for h in hooks}) == 1
    assert _retries(installed_app.app) == [None, "1", "2"]
    assert all("error" not in h for h in hooks)


@pytest.mark.parametrize("status", [408, 409, 425, 429, 500, 502, 503, 504])
def test_jiras_retryable_answers_are_retried(installed_app, status):
    installed_app.app.fail_webhooks, installed_app.app.fail_status = 1, status
    _edit(installed_app, "ACME-1")
    log = installed_app.flush_webhooks()
    assert _retries(installed_app.app) == [None, "1"]
    assert log[-1]["attempts"] == [{"retry": 0, "status": status}, {"retry": 1, "status": 204}]
    assert log[-1]["outcome"] == "delivered"


@pytest.mark.parametrize("status", [400, 401, 403, 404, 410])
def test_other_refusals_are_not_retried(installed_app, status):
    installed_app.app.fail_webhooks, installed_app.app.fail_status = 1, status
    _edit(installed_app, "ACME-1")
    log = installed_app.flush_webhooks()
    assert _retries(installed_app.app) == [None]
    assert log[-1]["outcome"] == "rejected"


def test_retries_are_bounded_at_five_and_the_delivery_ends_failed(installed_app):
    installed_app.app.fail_webhooks = 100
    _edit(installed_app, "ACME-1")
    log = installed_app.flush_webhooks()
    assert _retries(installed_app.app) == [None, "1", "2", "3", "4", "5"]
    assert log[-1]["outcome"] == "failed" and [a["retry"] for a in log[-1]["attempts"]] == [0, 1, 2, 3, 4, 5]


def test_a_timeout_is_retried(installed_app):
    _sim(installed_app, "POST", "webhooks/settings", timeout=1)
    installed_app.app.hold_first = 5  # longer than the timeout; the retry ends the hold
    _edit(installed_app, "ACME-1")
    log = installed_app.flush_webhooks()
    assert log[-1]["attempts"] == [{"retry": 0, "error": "ReadTimeout"}, {"retry": 1, "status": 204}]
    assert log[-1]["outcome"] == "delivered"


def test_a_connection_error_is_retried(installed_app):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}/app"
    installed_app.installation.base_url = dead
    _edit(installed_app, "ACME-1")
    log = installed_app.flush_webhooks()
    assert [a.get("error") for a in log[-1]["attempts"]] == ["ConnectionError"] * 6
    assert log[-1]["outcome"] == "failed"


def test_a_retry_waits_for_its_configured_delay_and_a_flush_can_skip_it(installed_app):
    _sim(installed_app, "POST", "webhooks/settings", retry_delays=[600])
    installed_app.app.fail_webhooks = 1
    _edit(installed_app, "ACME-1")
    (waiting,) = eventually(lambda: [p for p in _sim(installed_app, "GET", "webhooks/pending") if p["retry"] == 1])
    assert waiting["event"] == "jira:issue_updated" and waiting["dueInSeconds"] > 500
    assert _sim(installed_app, "POST", "webhooks/flush", skip_delays=True) == {"flushed": True}
    assert _retries(installed_app.app) == [None, "1"]


def test_comments_deleted_with_their_issue_come_late_in_the_secondary_flow(installed_app):
    _sim(installed_app, "POST", "webhooks/settings", secondary_delay=600)
    alice, key = _alice(installed_app), _create(installed_app)
    for text in ("one", "two"):
        body = {"body": {"type": "doc", "version": 1, "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": text}]}]}}
        assert alice.post(f"{alice.base}/issue/{key}/comment", json=body, timeout=10).status_code == 201
    installed_app.flush_webhooks()
    assert alice.delete(f"{alice.base}/issue/{key}", timeout=10).status_code == 204

    deleted = eventually(lambda: [h for h in installed_app.app.webhooks
                                  if h["body"]["webhookEvent"] == "jira:issue_deleted"])
    assert deleted[0]["headers"]["X-Atlassian-Webhook-Flow"] == "Primary"
    late = _sim(installed_app, "GET", "webhooks/pending")
    assert [(p["event"], p["flow"]) for p in late] == [("comment_deleted", "Secondary")] * 2
    assert all(p["dueInSeconds"] > 500 for p in late)

    assert _sim(installed_app, "POST", "webhooks/flush", skip_delays=True) == {"flushed": True}
    fallout = [h for h in installed_app.app.webhooks if h["body"]["webhookEvent"] == "comment_deleted"]
    assert [h["headers"]["X-Atlassian-Webhook-Flow"] for h in fallout] == ["Secondary", "Secondary"]
    assert {h["body"]["issue"]["key"] for h in fallout} == {key}
    assert len({h["headers"]["X-Atlassian-Webhook-Identifier"] for h in fallout}) == 2


def test_no_delivery_for_an_undeclared_event_or_a_disabled_app(simulator):
    with running_test_app(simulator.base_url, events=("jira:issue_created",)) as app:
        installed_app = InstalledApp(simulator, app)
        assert installed_app.install().status_code == 201
        _edit(installed_app, "ACME-1")
        installed_app.lifecycle("disable")
        _create(installed_app)
        assert installed_app.flush_webhooks() == []
        assert app.webhooks == []


def test_duplicate_fault_sends_a_delivery_twice_under_one_identifier(installed_app):
    _sim(installed_app, "POST", "webhooks/settings", strict_order=True)
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


def test_reorder_fault_reverses_the_next_deliveries(installed_app):
    _sim(installed_app, "POST", "webhooks/settings", strict_order=True)
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


def test_bad_delivery_settings_are_refused(simulator):
    for body in ({"retry_delays": [-1]}, {"timeout": 0}, {"colour": "red"}):
        r = requests.post(f"{simulator.base_url}/_sim/webhooks/settings", json=body, timeout=5)
        assert r.status_code == 400, body
