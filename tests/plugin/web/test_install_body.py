"""The install body is trusted no further than its JWT: each token is accepted once, in order, and the site
URLs it brings are plain URLs (in production only https on Jira's own hosts)."""
import json
import time

import pytest

from plugin.app import create_app
from plugin.connect.tenants import find_tenant, shared_secret
from tests.support.constants import APP_BASE_URL
from tests.support.jira_site import SiteSigner, install


def _secret(app, client_key):
    runtime = app.extensions["work_sync"]
    with runtime.sessions() as session:
        tenant = find_tenant(session, client_key)
        return shared_secret(tenant, runtime.secrets) if tenant else None


def _post_install(client, body: dict, token: str):
    return client.post("/lifecycle/installed", data=json.dumps(body), content_type="application/json",
                       headers={"Authorization": f"JWT {token}"}, base_url=APP_BASE_URL)


def _signer(name="acme", base_url=None):
    return SiteSigner(client_key=f"client-{name}", base_url=base_url or f"https://{name}.atlassian.net",
                      app_base_url=APP_BASE_URL)


def test_a_replayed_install_token_is_refused_and_the_secret_stays(app, client, key_server):
    site = _signer()
    token = key_server.install_token(client_key=site.client_key, audience=APP_BASE_URL)
    assert _post_install(client, site.payload(), token).status_code == 204
    forged = site.payload(sharedSecret="attacker-chosen-secret-0123456789", baseUrl="https://evil.atlassian.net")
    for body in (forged, site.payload()):
        response = _post_install(client, body, token)
        assert response.status_code == 401
        assert "already used" in response.get_json()["message"]
    assert _secret(app, site.client_key) == site.shared_secret


def test_an_install_older_than_the_last_accepted_one_is_refused(app, client, key_server):
    site = _signer()
    now = time.time()
    assert install(client, key_server, site, token_options={"iat": now}).status_code == 204
    stale = key_server.install_token(client_key=site.client_key, audience=APP_BASE_URL, iat=now - 30)
    response = _post_install(client, site.payload(sharedSecret="an-older-secret-0123456789abcdef"), stale)
    assert response.status_code == 401
    assert "older" in response.get_json()["message"]
    assert _secret(app, site.client_key) == site.shared_secret


@pytest.fixture
def production_client(settings):
    application = create_app(settings.with_(environment="production"))
    yield application.test_client()
    application.extensions["work_sync"].close()


@pytest.mark.parametrize("base_url", [
    "http://169.254.169.254/latest/meta-data", "https://169.254.169.254", "https://10.0.0.5", "https://localhost",
    "https://127.0.0.1:8080/acme", "http://acme.atlassian.net", "https://acme.atlassian.net.evil.com",
    "https://evilatlassian.net",
])
def test_an_internal_or_foreign_base_url_is_refused_in_production(production_client, key_server, base_url):
    response = install(production_client, key_server, _signer(), baseUrl=base_url)
    assert response.status_code == 400
    assert "baseUrl" in response.get_json()["errors"]


@pytest.mark.parametrize("base_url", ["https://acme.atlassian.net", "https://acme.jira.com",
                                      "https://acme.jira-dev.com"])
def test_atlassian_sites_install_in_production(production_client, key_server, base_url):
    assert install(production_client, key_server, _signer(), baseUrl=base_url).status_code == 204


@pytest.mark.parametrize("field", ["baseUrl", "displayUrl"])
@pytest.mark.parametrize("url", [
    "https://jira.acme.com; script-src *", "https://jira.acme.com\r\nSet-Cookie: x=1", "https://u:pw@acme.com",
    "javascript:alert(1)", "https://acme.com/?next=x", "https://acme.com/#x", "https://acme.com/../admin", "//acme.com",
])
def test_site_urls_must_be_plain_urls_even_in_development(app, client, key_server, field, url):
    response = install(client, key_server, _signer(), **{field: url})
    assert response.status_code == 400
    assert field in response.get_json()["errors"]
    assert _secret(app, "client-acme") is None


def test_development_accepts_any_well_formed_http_url(app, client, key_server):
    site = _signer(base_url="http://127.0.0.1:8080/acme")
    assert install(client, key_server, site).status_code == 204
    assert _secret(app, site.client_key) == site.shared_secret
