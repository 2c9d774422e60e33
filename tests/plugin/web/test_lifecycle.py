"""installed / uninstalled / enabled / disabled, exactly as Jira calls them, and every forgery refused."""
import json
import time

import pytest
from sqlalchemy import select

from plugin.connect.tenants import find_tenant, shared_secret
from plugin.models import LifecycleEvent
from tests.support.constants import APP_BASE_URL
from tests.support.jira_site import SiteSigner, install


def _tenant(app, client_key):
    runtime = app.extensions["work_sync"]
    with runtime.sessions() as session:
        tenant = find_tenant(session, client_key)
        return tenant, (shared_secret(tenant, runtime.secrets) if tenant else None)


def _events(app, tenant_id):
    with app.extensions["work_sync"].sessions() as session:
        return session.scalars(select(LifecycleEvent.event).where(LifecycleEvent.tenant_id == tenant_id)
                               .order_by(LifecycleEvent.id)).all()


def _post(client, path, body, token, base_url=APP_BASE_URL):
    headers = {"Authorization": f"JWT {token}"} if token else {}
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(path, data=data, content_type="application/json", headers=headers, base_url=base_url)


def test_install_stores_the_tenant_with_its_secret_encrypted(app, client, site):
    tenant, secret = _tenant(app, site.client_key)
    assert (tenant.base_url, tenant.display_url, tenant.active) == (site.base_url, "https://jira.acme.com", True)
    assert secret == site.shared_secret
    assert site.shared_secret not in tenant.shared_secret_encrypted
    assert _events(app, tenant.id) == ["installed"]


def test_signed_reinstall_updates_the_secret_and_url(app, client, key_server, site):
    site.shared_secret = "a-rotated-shared-secret-0123456789"
    assert install(client, key_server, site, baseUrl="https://acme-renamed.atlassian.net",
                   token_options={"iat": time.time() + 1}).status_code == 204
    tenant, secret = _tenant(app, site.client_key)
    assert (tenant.base_url, secret) == ("https://acme-renamed.atlassian.net", "a-rotated-shared-secret-0123456789")
    assert _events(app, tenant.id) == ["installed", "reinstalled"]


@pytest.mark.parametrize("forgery", [
    "no token", "unknown kid", "wrong audience", "issuer is not the clientKey", "signed by another key",
    "expired", "qsh of another path", "hs256 with the shared secret",
])
def test_forged_reinstall_is_refused_and_the_secret_stays(app, client, key_server, site, forgery):
    body = site.payload(sharedSecret="attacker-chosen-secret-0123456789")
    sign = dict(client_key=site.client_key, audience=APP_BASE_URL)
    if forgery == "unknown kid":
        sign["kid"] = "no-such-kid"
    elif forgery == "wrong audience":
        sign["audience"] = "https://evil.example.com"
    elif forgery == "issuer is not the clientKey":
        sign["client_key"] = "client-evil"
    elif forgery == "signed by another key":
        from cryptography.hazmat.primitives.asymmetric import rsa
        sign["key"] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif forgery == "expired":
        sign.update(iat=0, lifetime=60)
    elif forgery == "qsh of another path":
        sign["path"] = "/lifecycle/uninstalled"
    token = None if forgery == "no token" else key_server.install_token(**sign)
    if forgery == "hs256 with the shared secret":
        token = site.token("POST", "/lifecycle/installed")
    response = _post(client, "/lifecycle/installed", body, token)
    assert response.status_code == 401
    assert response.get_json()["error"] == "unauthorized"
    _, secret = _tenant(app, site.client_key)
    assert secret == site.shared_secret


def test_unsigned_install_of_a_new_site_is_refused_and_nothing_is_stored(app, client):
    signer = SiteSigner(client_key="client-new", base_url="https://new.atlassian.net", app_base_url=APP_BASE_URL)
    response = _post(client, "/lifecycle/installed", signer.payload(), None)
    assert response.status_code == 401
    assert _tenant(app, "client-new") == (None, None)


@pytest.mark.parametrize("body, message", [
    ("{not json", "not valid JSON"),
    ("", "empty"),
    ("[1, 2]", "JSON object"),
])
def test_malformed_lifecycle_bodies_get_400_with_a_message(client, key_server, body, message):
    token = key_server.install_token(client_key="client-x", audience=APP_BASE_URL)
    response = _post(client, "/lifecycle/installed", body, token)
    assert response.status_code == 400
    assert message in response.get_json()["message"]


def test_install_payload_missing_fields_names_them(client, key_server):
    token = key_server.install_token(client_key="client-x", audience=APP_BASE_URL)
    response = _post(client, "/lifecycle/installed", {"key": "work-sync", "sharedSecret": "s" * 32}, token)
    assert response.status_code == 400
    assert set(response.get_json()["errors"]) == {"clientKey", "baseUrl"}


def test_uninstall_disables_keeps_data_and_is_idempotent(app, client, key_server, site):
    for _ in range(2):
        token = key_server.install_token(client_key=site.client_key, audience=APP_BASE_URL,
                                         path="/lifecycle/uninstalled")
        assert _post(client, "/lifecycle/uninstalled", site.payload("uninstalled"), token).status_code == 204
    tenant, secret = _tenant(app, site.client_key)
    assert (tenant.installed, tenant.enabled, secret) == (False, False, site.shared_secret)
    assert _events(app, tenant.id) == ["installed", "uninstalled"]
    page = client.get(site.signed_url("/pages/admin"), base_url=APP_BASE_URL)
    assert page.status_code == 401


def test_uninstall_of_an_unknown_site_is_quietly_accepted(client, key_server):
    token = key_server.install_token(client_key="client-gone", audience=APP_BASE_URL, path="/lifecycle/uninstalled")
    assert _post(client, "/lifecycle/uninstalled", {"clientKey": "client-gone"}, token).status_code == 204


def test_forged_uninstall_is_refused(app, client, site):
    token = site.token("POST", "/lifecycle/uninstalled")
    assert _post(client, "/lifecycle/uninstalled", site.payload("uninstalled"), token).status_code == 401
    assert _tenant(app, site.client_key)[0].active


def test_disable_and_enable_are_signed_with_the_shared_secret(app, client, site):
    assert _post(client, "/lifecycle/disabled", site.payload("disabled"),
                 site.token("POST", "/lifecycle/disabled", sub=None)).status_code == 204
    assert not _tenant(app, site.client_key)[0].active
    assert client.get(site.signed_url("/pages/admin"), base_url=APP_BASE_URL).status_code == 401
    assert _post(client, "/lifecycle/enabled", site.payload("enabled"),
                 site.token("POST", "/lifecycle/enabled", sub=None)).status_code == 204
    assert _tenant(app, site.client_key)[0].active
    assert client.get(site.signed_url("/pages/admin"), base_url=APP_BASE_URL).status_code == 200


def test_enable_signed_with_another_secret_is_refused(app, client, site):
    token = site.token("POST", "/lifecycle/disabled", secret="x" * 40)
    assert _post(client, "/lifecycle/disabled", site.payload("disabled"), token).status_code == 401
    assert _tenant(app, site.client_key)[0].active


@pytest.mark.parametrize("kid", ["..", ".", "../keys", "%2e%2e", "kid\n"])
def test_a_dot_or_path_kid_is_refused_without_asking_the_key_server(client, key_server, kid):
    site = SiteSigner(client_key="client-dots", base_url="https://dots.atlassian.net", app_base_url=APP_BASE_URL)
    before = key_server.requests
    response = _post(client, "/lifecycle/installed", site.payload(),
                     key_server.install_token(client_key=site.client_key, audience=APP_BASE_URL, kid=kid))
    assert response.status_code == 401
    assert key_server.requests == before


def test_an_unknown_kid_is_fetched_once_and_then_refused_from_the_cache(client, key_server):
    site = SiteSigner(client_key="client-kid", base_url="https://kid.atlassian.net", app_base_url=APP_BASE_URL)
    before = key_server.requests
    for _ in range(3):
        token = key_server.install_token(client_key=site.client_key, audience=APP_BASE_URL, kid="no-such-kid-2")
        assert _post(client, "/lifecycle/installed", site.payload(), token).status_code == 401
    assert key_server.requests == before + 1


@pytest.mark.parametrize("field, value", [
    ("productType", "j" * 40), ("clientKey", "c" * 256), ("sharedSecret", "s" * 600),
    ("baseUrl", "https://acme.atlassian.net/" + "p" * 600), ("displayUrl", "https://" + "d" * 600 + ".com"),
])
def test_a_field_too_long_for_its_column_gets_400_not_500(app, client, key_server, field, value):
    signer = SiteSigner(client_key="client-long", base_url="https://long.atlassian.net", app_base_url=APP_BASE_URL)
    response = install(client, key_server, signer, **{field: value})
    assert response.status_code == 400
    assert field in response.get_json()["errors"]
    assert _tenant(app, "client-long") == (None, None)


def test_an_install_token_that_claims_to_live_ten_years_is_refused(app, client, key_server):
    signer = SiteSigner(client_key="client-decade", base_url="https://decade.atlassian.net", app_base_url=APP_BASE_URL)
    token = key_server.install_token(client_key=signer.client_key, audience=APP_BASE_URL,
                                     lifetime=10 * 365 * 24 * 3600)
    response = _post(client, "/lifecycle/installed", signer.payload(), token)
    assert response.status_code == 401
    assert "lifetime" in response.get_json()["message"]


def _reinstall_body(site):
    return site.payload(sharedSecret="attacker-chosen-secret-0123456789", baseUrl="https://evil.example.com")


@pytest.mark.parametrize("respell", [lambda t: t + "==", lambda t: t + "="])
def test_a_padded_copy_of_an_accepted_install_token_is_refused(app, client, key_server, site, respell):
    token = key_server.install_token(client_key=site.client_key, audience=APP_BASE_URL, iat=time.time() + 1)
    assert _post(client, "/lifecycle/installed", site.payload(), token).status_code == 204
    response = _post(client, "/lifecycle/installed", _reinstall_body(site), respell(token))
    assert response.status_code == 401
    tenant, secret = _tenant(app, site.client_key)
    assert (tenant.base_url, secret) == (site.base_url, site.shared_secret)


def test_an_install_token_with_the_iat_of_the_last_accepted_one_is_refused(app, client, key_server, site):
    iat = time.time() + 5
    first = key_server.install_token(client_key=site.client_key, audience=APP_BASE_URL, iat=iat)
    assert _post(client, "/lifecycle/installed", site.payload(), first).status_code == 204
    again = key_server.install_token(client_key=site.client_key, audience=APP_BASE_URL, iat=iat, lifetime=170)
    response = _post(client, "/lifecycle/installed", _reinstall_body(site), again)
    assert response.status_code == 401
    assert "as old" in response.get_json()["message"]
    assert _tenant(app, site.client_key)[1] == site.shared_secret


def test_the_replay_memory_digests_the_signature_bytes_not_the_text():
    from plugin.connect.replay import canonical_digest
    assert canonical_digest("a.b.c2ln") == canonical_digest("a.b.c2ln==")
    assert canonical_digest("a.b.c2ln") != canonical_digest("a.b.c2lm")
