"""A new clientKey on a known baseUrl does not displace the tenant that holds it until its secret is proven
on that site; a replaced tenant cannot bring itself back."""
import json

import pytest
import redis
from rq import Queue
from rq.serializers import JSONSerializer
from sqlalchemy import select

from plugin.connect import site_claims
from plugin.connect.tenants import find_active_tenant_by_url, find_tenant
from plugin.errors import AuthError, TransientError
from plugin.models import LifecycleEvent
from tests.support.constants import APP_BASE_URL
from tests.support.jira_site import SiteSigner, install


def _state(app, client_key):
    with app.extensions["work_sync"].sessions() as session:
        tenant = find_tenant(session, client_key)
        events = session.scalars(select(LifecycleEvent.event).where(LifecycleEvent.tenant_id == tenant.id)
                                 .order_by(LifecycleEvent.id)).all()
        return tenant, events


def _active_by_url(app, base_url):
    with app.extensions["work_sync"].sessions() as session:
        tenant = find_active_tenant_by_url(session, base_url)
        return tenant.client_key if tenant else None


@pytest.fixture
def claimant(client, key_server, site) -> SiteSigner:
    """Another clientKey that installs for the site's baseUrl (an attacker, or the same site restored)."""
    other = SiteSigner(client_key="client-claimant", base_url=site.base_url, app_base_url=APP_BASE_URL)
    assert install(client, key_server, other).status_code == 204
    return other


def _prove(app, client_key, probe):
    runtime = app.extensions["work_sync"]
    tenant, _ = _state(app, client_key)
    return site_claims.prove_claim(runtime.sessions, tenant.id, probe)


def test_a_new_client_key_on_a_known_site_leaves_the_holder_active_until_proven(app, client, site, claimant,
                                                                                settings):
    holder, _ = _state(app, site.client_key)
    new, events = _state(app, claimant.client_key)
    assert holder.active and not new.active and new.awaiting_proof
    assert events == ["installed", "claim_pending"]
    assert _active_by_url(app, site.base_url) == site.client_key
    assert client.get(site.signed_url("/pages/admin"), base_url=APP_BASE_URL).status_code == 200
    assert client.get(claimant.signed_url("/pages/admin"), base_url=APP_BASE_URL).status_code == 401
    queued = Queue("default", connection=redis.Redis.from_url(settings.redis_url), serializer=JSONSerializer).jobs
    assert [(job.func_name, list(job.args)) for job in queued] == [("worker.jobs.prove_site_claim", [new.id])]


def test_a_claim_the_site_refuses_changes_nothing(app, client, site, claimant):
    def refused(_tenant):
        raise AuthError("Jira server info: JWT token is invalid", jira_status=401)

    assert _prove(app, claimant.client_key, refused) == "refused"
    assert _state(app, claimant.client_key)[1] == ["installed", "claim_pending", "claim_refused"]
    assert _active_by_url(app, site.base_url) == site.client_key


def test_a_claim_jira_cannot_answer_now_is_retried_later(app, client, site, claimant):
    def unreachable(_tenant):
        raise TransientError("Jira server info: ConnectionError")

    with pytest.raises(TransientError):
        _prove(app, claimant.client_key, unreachable)
    assert _state(app, claimant.client_key)[0].awaiting_proof
    assert _active_by_url(app, site.base_url) == site.client_key


def test_a_proven_claim_replaces_the_holder(app, client, site, claimant):
    probed = []
    assert _prove(app, claimant.client_key, probed.append) == "proven"
    assert [t.client_key for t in probed] == [claimant.client_key]
    old, old_events = _state(app, site.client_key)
    new, new_events = _state(app, claimant.client_key)
    assert (old.active, old.enabled, old.replaced_by_client_key) == (False, False, claimant.client_key)
    assert old_events == ["installed", "replaced"] and new_events[-1] == "claim_proven"
    assert new.active and _active_by_url(app, site.base_url) == claimant.client_key
    assert client.get(site.signed_url("/pages/admin"), base_url=APP_BASE_URL).status_code == 401
    assert _prove(app, claimant.client_key, probed.append) == "nothing to prove"


def _lifecycle(client, site, event):
    token = site.token("POST", f"/lifecycle/{event}", sub=None)
    return client.post(f"/lifecycle/{event}", data=json.dumps(site.payload(event)), content_type="application/json",
                       headers={"Authorization": f"JWT {token}"}, base_url=APP_BASE_URL)


def test_a_replaced_tenant_cannot_enable_itself_again(app, client, site, claimant):
    assert _prove(app, claimant.client_key, lambda _tenant: None) == "proven"
    response = _lifecycle(client, site, "enabled")
    assert response.status_code == 409
    assert claimant.client_key in response.get_json()["message"]
    old, _ = _state(app, site.client_key)
    assert not old.active and not old.enabled
    assert _active_by_url(app, site.base_url) == claimant.client_key
    assert _lifecycle(client, site, "disabled").status_code == 204


def test_enabling_a_claim_awaiting_proof_does_not_activate_it(app, client, site, claimant):
    assert _lifecycle(client, claimant, "enabled").status_code == 204
    assert not _state(app, claimant.client_key)[0].active
    assert _active_by_url(app, site.base_url) == site.client_key
