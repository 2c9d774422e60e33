"""Installing from the simulator through the real lifecycle stores a tenant per site; uninstall cuts access."""
import requests
from sqlalchemy import select

from plugin.connect.tenants import shared_secret
from plugin.errors import AuthError
from plugin.models import Tenant, WebhookDelivery


def test_each_site_becomes_a_tenant_with_the_secret_jira_sent(installed):
    runtime = installed.live.runtime
    with runtime.sessions() as session:
        tenants = session.scalars(select(Tenant).order_by(Tenant.base_url)).all()
        secrets = [shared_secret(t, runtime.secrets) for t in tenants]
    assert [t.base_url for t in tenants] == [installed.sim.site_url("acme"), installed.sim.site_url("globex")]
    for tenant, secret in zip(tenants, secrets, strict=True):
        site = installed.site(tenant.base_url.rsplit("/", 1)[1])
        installation = site.apps["work-sync"]
        assert (tenant.client_key, secret) == (installation.client_key, installation.shared_secret)


def test_reinstall_rotates_the_secret_and_the_client_keeps_working(installed):
    before = installed.client("acme").myself()["accountId"]
    response = installed.reinstall("acme")
    assert response.status_code == 201
    assert installed.client("acme").myself()["accountId"] == before


def test_after_uninstall_the_site_refuses_the_app_and_the_tenant_is_disabled(installed):
    client = installed.client("globex")
    assert requests.post(f"{installed.sim.base_url}/_sim/sites/globex/uninstall", json={}).status_code == 200
    runtime = installed.live.runtime
    with runtime.sessions() as session:
        tenant = session.scalars(select(Tenant).where(Tenant.base_url == installed.sim.site_url("globex"))).one()
    assert not tenant.installed and not tenant.enabled
    try:
        client.myself()
        raise AssertionError("an uninstalled app must be refused")
    except AuthError as exc:
        assert exc.details["jira_status"] == 401


def test_a_jira_webhook_no_running_synchronization_covers_is_recorded_once_without_its_body(installed):
    pat = installed.as_user("acme", "pat")
    created = pat.post(f"{installed.sim.site_url('acme')}/rest/api/3/issue", json={"fields": {
        "project": {"key": "ACME"}, "issuetype": {"id": "10001"}, "summary": "From a person"}})
    assert created.status_code == 201, created.text
    installed.flush_webhooks()
    with installed.live.runtime.sessions() as session:
        rows = session.scalars(select(WebhookDelivery).where(WebhookDelivery.event == "jira:issue_created")).all()
    assert [(r.issue_id, r.payload, r.processed_at is not None) for r in rows] == [(created.json()["id"], {}, True)]
