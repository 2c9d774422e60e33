"""Forge installations as tenants: created from a proven install, the token kept encrypted with its expiry, a
reinstall (new installationId, same cloudId) taking over the synchronizations; the client bears the token."""
from datetime import UTC, datetime, timedelta

import pytest
import requests
from sqlalchemy import select

from plugin.errors import AuthError, TokenExpired
from plugin.forge import installations
from plugin.forge.fit import Invocation
from plugin.forge.system_token import SystemToken
from plugin.models import LifecycleEvent, Tenant
from plugin.models.syncs import Synchronization
from tests.plugin.forge.fits import API_BASE, APP_ID, CLOUD_ID, INSTALLATION

SITE = "https://acme.atlassian.net"
SECOND = "ari:cloud:ecosystem::installation/99999999-53ae-4a5b-9e7e-03338980abb5"


def _invocation(installation=INSTALLATION) -> Invocation:
    return Invocation(installation_id=installation, cloud_id=CLOUD_ID, api_base_url=API_BASE, app_id=APP_ID)


def _token(value="system-token-1", minutes=60) -> SystemToken:
    return SystemToken(value, datetime.now(UTC) + timedelta(minutes=minutes))


@pytest.fixture
def rt(app):
    return app.extensions["work_sync"]


def test_install_creates_a_forge_tenant_with_the_token_sealed(rt):
    with rt.sessions.begin() as session:
        tenant = installations.install(session, rt.secrets, _invocation(), SITE, _token(), "app-account", "installed")
        tenant_id = tenant.id
    with rt.sessions() as session:
        tenant = session.get(Tenant, tenant_id)
        assert (tenant.kind, tenant.installation_id, tenant.cloud_id, tenant.api_base_url, tenant.base_url) == (
            "forge", INSTALLATION, CLOUD_ID, API_BASE, SITE)
        assert tenant.active and tenant.app_account_id == "app-account"
        assert "system-token-1" not in tenant.system_token_encrypted
        assert installations.system_token(tenant, rt.secrets) == "system-token-1"
        assert installations.known_installation(session, _invocation()).id == tenant_id


def test_an_older_token_never_replaces_a_newer_one_and_an_expired_one_raises_token_expired(rt):
    with rt.sessions.begin() as session:
        tenant = installations.install(session, rt.secrets, _invocation(), SITE, _token("new", 60), None, "installed")
        assert not installations.store_token(tenant, rt.secrets, _token("older", 10))
        assert installations.system_token(tenant, rt.secrets) == "new"
        tenant.system_token_expires_at = datetime.now(UTC) - timedelta(minutes=1)
        with pytest.raises(TokenExpired, match="has not called in") as caught:
            installations.system_token(tenant, rt.secrets)
        assert caught.value.details["site"] == SITE and caught.value.retry_after > 0


def test_a_reinstall_takes_over_the_synchronizations_and_the_old_installation_is_refused(rt):
    with rt.sessions.begin() as session:
        old = installations.install(session, rt.secrets, _invocation(), SITE, _token(), None, "installed")
        other = Tenant(client_key="connect-globex", base_url="https://globex.atlassian.net",
                       shared_secret_encrypted=rt.secrets.encrypt("s" * 32))
        session.add(other)
        session.flush()
        sync = Synchronization(name="s", mode="immediate", side1_tenant_id=old.id, side1_project_id="10000",
                               side1_project_key="ACME", side2_tenant_id=other.id, side2_project_id="10001",
                               side2_project_key="GLX", pair_key="p", created_by="someone")
        session.add(sync)
        session.flush()
        old_id, sync_id = old.id, sync.id
    with rt.sessions.begin() as session:
        new = installations.install(session, rt.secrets, _invocation(SECOND), SITE, _token("t2"), None, "installed")
        new_id = new.id
    with rt.sessions() as session:
        assert session.get(Synchronization, sync_id).side1_tenant_id == new_id
        old = session.get(Tenant, old_id)
        assert not old.active and old.replaced_by_client_key == SECOND
        events = session.scalars(select(LifecycleEvent.event).where(LifecycleEvent.tenant_id == new_id)).all()
        assert "claim_proven" in events
        with pytest.raises(AuthError, match="no installation"):
            installations.known_installation(session, _invocation())
        with pytest.raises(AuthError, match="replaced"):
            installations.install(session, rt.secrets, _invocation(), SITE, _token(), None, "upgraded")


def test_the_client_of_a_forge_tenant_bears_its_token_against_the_api_base_url(rt):
    with rt.sessions.begin() as session:
        tenant = installations.install(session, rt.secrets, _invocation(), SITE, _token("bearer-1"), None,
                                       "installed")
        client = rt.jira(tenant)
    request = requests.Request("GET", f"{client.base_url}/rest/api/3/myself").prepare()
    request = client.session.auth(request)
    assert client.base_url == API_BASE
    assert request.headers["Authorization"] == "Bearer bearer-1"
    assert "bearer-1" not in repr(client.session.auth)


def test_an_expired_token_is_reloaded_once_then_the_call_waits(rt):
    with rt.sessions.begin() as session:
        tenant = installations.install(session, rt.secrets, _invocation(), SITE, _token("old", 60), None,
                                       "installed")
        tenant.system_token_expires_at = datetime.now(UTC) - timedelta(minutes=1)
        session.flush()
        client, tenant_id = rt.jira(tenant), tenant.id
    request = requests.Request("GET", f"{API_BASE}/rest/api/3/myself").prepare()
    with pytest.raises(TokenExpired):
        client.session.auth(request)
    with rt.sessions.begin() as session:  # the scheduled trigger brought a fresh one meanwhile
        installations.store_token(session.get(Tenant, tenant_id), rt.secrets, _token("fresh", 60))
    assert client.session.auth(request).headers["Authorization"] == "Bearer fresh"
