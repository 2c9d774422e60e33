"""A clientKey claiming a known site proves itself with a signed GET serverInfo there, run by a real worker
after the install has answered; the simulator accepts the real site's secret and refuses a forger's."""
import json
import secrets

import requests
from sqlalchemy import select

from jirasim.connect import keys, tokens
from plugin.connect import tenants
from plugin.connect.tenants import find_active_tenant_by_url, find_tenant
from plugin.models import LifecycleEvent
from tests.support.worker import run_worker_burst


def _events(runtime, client_key):
    with runtime.sessions() as session:
        tenant = find_tenant(session, client_key)
        return session.scalars(select(LifecycleEvent.event).where(LifecycleEvent.tenant_id == tenant.id)
                               .order_by(LifecycleEvent.id)).all()


def _active_client_key(runtime, base_url):
    with runtime.sessions() as session:
        return find_active_tenant_by_url(session, base_url).client_key


def test_a_restored_site_proves_its_new_client_key_and_replaces_the_old_tenant(jira_sim, live_app):
    runtime, acme_url = live_app.runtime, jira_sim.site_url("acme")
    with runtime.sessions.begin() as session:  # the tenant of this site before it was restored from a backup
        payload = {"clientKey": "client-before-restore", "baseUrl": acme_url, "displayUrl": None,
                   "sharedSecret": secrets.token_urlsafe(32), "productType": "jira"}
        tenants.install(session, runtime.secrets, payload, {"iss": "client-before-restore", "iat": 0})
    response = requests.post(f"{jira_sim.base_url}/_sim/sites/acme/install",
                             json={"descriptor_url": f"{live_app.base_url}/atlassian-connect.json"}, timeout=30)
    assert response.status_code == 201, response.text
    restored = jira_sim.site("acme").apps["work-sync"].client_key
    assert _active_client_key(runtime, acme_url) == "client-before-restore"  # until proven

    run_worker_burst(live_app.settings)

    assert _active_client_key(runtime, acme_url) == restored
    assert _events(runtime, "client-before-restore") == ["installed", "replaced"]
    with runtime.sessions() as session:
        assert runtime.jira(find_active_tenant_by_url(session, acme_url)).server_info()["baseUrl"] == acme_url


def test_a_forged_claim_on_a_known_site_is_refused_by_the_site(installed):
    runtime, acme_url, live = installed.live.runtime, installed.sim.site_url("acme"), installed.live
    genuine = _active_client_key(runtime, acme_url)
    pair = keys.current()  # a valid signed-install token for another clientKey, as Jira signs for another site
    token = tokens.mint_rs256(pair.private_key, pair.kid, "client-forger", live.base_url, "POST",
                              "/lifecycle/installed")
    body = {"key": "work-sync", "clientKey": "client-forger", "sharedSecret": secrets.token_urlsafe(32),
            "baseUrl": acme_url, "productType": "jira", "eventType": "installed"}
    response = requests.post(f"{live.base_url}/lifecycle/installed", data=json.dumps(body), timeout=10,
                             headers={"Authorization": f"JWT {token}", "Content-Type": "application/json"})
    assert response.status_code == 204

    run_worker_burst(live.settings)

    assert _active_client_key(runtime, acme_url) == genuine
    assert _events(runtime, "client-forger") == ["installed", "claim_pending", "claim_refused"]
    assert installed.client("acme").myself()["accountId"]
