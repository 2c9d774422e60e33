"""The /forge routes: 404 when Forge is off, 401 for every bad FIT (nothing created or changed), lifecycle → a
forge tenant once its token read serverInfo, events → inbox + dirty marks once per event identity, scheduled →
token refreshed and polls rung."""
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from plugin.app import create_app
from plugin.forge.jwks import Jwks
from plugin.models import Tenant, WebhookDelivery
from plugin.models.syncs import Synchronization
from plugin.web.forge import routes
from tests.plugin.forge.fits import API_BASE, APP_ID, CLOUD_ID, INSTALLATION, OTHER_APP, FakeJwks, Key, claims, mint
from tests.support.settings import settings_for

SITE = "https://acme.atlassian.net"
KEY = Key()


@pytest.fixture
def forge_app(tmp_path, database_url, redis_url, monkeypatch):
    settings = settings_for(tmp_path, database_url=database_url, redis_url=redis_url, forge_app_id=APP_ID)
    application = create_app(settings)
    rt = application.extensions["work_sync"]
    rt.forge_keys = Jwks("https://jwks.test/jwks.json", get=FakeJwks(KEY).get)
    calls = []

    def server_info(client):
        calls.append(("serverInfo", client.base_url, client.session.auth(_Prepared()).headers["Authorization"]))
        return {"baseUrl": SITE}

    monkeypatch.setattr(routes.JiraClient, "server_info", server_info)
    monkeypatch.setattr(routes.JiraClient, "myself", lambda client: {"accountId": "app-user"})
    application.probe_calls = calls
    yield application
    rt.close()


class _Prepared:
    def __init__(self):
        self.headers = {}


def _post(app, path, body, token=None, system="system-token-1"):
    headers = {"Authorization": f"Bearer {token or mint(KEY, claims())}", "Content-Type": "application/json"}
    if system:
        headers["x-forge-oauth-system"] = system
    return app.test_client().post(path, data=json.dumps(body), headers=headers)


INSTALLED = {"payload": {"eventType": "avi:forge:installed:app", "id": INSTALLATION.rsplit("/", 1)[-1],
                         "app": {"id": APP_ID.rsplit("/", 1)[-1], "version": "1.0.0"},
                         "context": {"cloudId": CLOUD_ID, "moduleKey": "lifecycle"}}}


def _tenants(app):
    with app.extensions["work_sync"].sessions() as session:
        return session.scalars(select(Tenant)).all()


def test_with_forge_off_every_route_answers_404(app):
    for path in ("/forge/lifecycle", "/forge/events", "/forge/scheduled"):
        assert app.test_client().post(path, data="{}", headers={"Authorization": "Bearer x"}).status_code == 404


def test_installed_creates_a_forge_tenant_after_its_token_read_the_site(forge_app):
    response = _post(forge_app, "/forge/lifecycle", INSTALLED)
    assert response.status_code == 204, response.get_data(as_text=True)
    [tenant] = _tenants(forge_app)
    assert (tenant.kind, tenant.installation_id, tenant.cloud_id, tenant.base_url, tenant.app_account_id) == (
        "forge", INSTALLATION, CLOUD_ID, SITE, "app-user")
    assert forge_app.probe_calls == [("serverInfo", API_BASE, "Bearer system-token-1")]


# Each token is minted when its case runs (a FIT lives 25 s: minted at collection, a long run would expire them all).
@pytest.mark.parametrize("token, system, status", [
    (lambda: mint(KEY, claims(app_id=OTHER_APP)), "t", 401),
    (lambda: mint(KEY, claims(ttl=-300)), "t", 401),
    (lambda: mint(Key(), claims()), "t", 401),
    (lambda: mint(KEY, claims(api_base="https://evil.example/ex/jira/" + CLOUD_ID)), "t", 401),
    (lambda: mint(KEY, claims(nbf_in=600)), "t", 401),
    (lambda: mint(KEY, claims()), None, 422),
], ids=["other-app", "expired", "other-key", "api-base-off-list", "not-yet-valid", "no-system-token"])
def test_a_bad_lifecycle_call_creates_nothing(forge_app, token, system, status):
    assert _post(forge_app, "/forge/lifecycle", INSTALLED, token=token(), system=system).status_code == status
    assert _tenants(forge_app) == [] and forge_app.probe_calls == []


def test_lifecycle_refuses_malformed_and_foreign_bodies(forge_app):
    assert _post(forge_app, "/forge/lifecycle", {"payload": {"eventType": "avi:jira:created:issue"}}).status_code == 422
    other = {"payload": {**INSTALLED["payload"], "id": "11111111-2222-3333-4444-555555555555"}}
    assert _post(forge_app, "/forge/lifecycle", other).status_code == 401
    client = forge_app.test_client()
    headers = {"Authorization": f"Bearer {mint(KEY, claims())}", "x-forge-oauth-system": "t"}
    assert client.post("/forge/lifecycle", data="not json", headers=headers).status_code == 400
    assert client.post("/forge/lifecycle", data="x" * (3 * 1024 * 1024), headers=headers).status_code == 413
    assert _tenants(forge_app) == []


def _event(issue_id="10042", timestamp="1700000000000", **extra):
    return {"payload": {"eventType": "avi:jira:updated:issue", "timestamp": timestamp, "atlassianId": "someone",
                        "issue": {"id": issue_id, "key": "ACME-1", "fields": {"project": {"id": "10000"}}},
                        "changelog": {"id": "555", "items": [{"field": "summary"}]},
                        "context": {"cloudId": CLOUD_ID, "moduleKey": "events"}, **extra}}


def _running_sync(app):
    with app.extensions["work_sync"].sessions.begin() as session:
        tenant = session.scalars(select(Tenant)).one()
        sync = Synchronization(name="s", mode="immediate", state="active", running=True,
                               first_started_at=datetime.now(UTC), side1_tenant_id=tenant.id,
                               side1_project_id="10000", side1_project_key="ACME", side2_tenant_id=tenant.id,
                               side2_project_id="10001", side2_project_key="OTHER", pair_key="p", created_by="u")
        session.add(sync)
        session.flush()
        return sync.id


def _deliveries(app):
    with app.extensions["work_sync"].sessions() as session:
        return session.scalar(select(func.count()).select_from(WebhookDelivery))


def test_an_event_is_stored_once_across_forge_retries_and_marks_the_issue(forge_app):
    assert _post(forge_app, "/forge/lifecycle", INSTALLED).status_code == 204
    _running_sync(forge_app)
    assert _post(forge_app, "/forge/events", _event()).status_code == 204
    retry = _event(retryContext={"retryData": None, "retryCount": 1, "retryReason": "TIMEOUT_ERROR"})
    assert _post(forge_app, "/forge/events", retry).status_code == 204
    assert _deliveries(forge_app) == 1
    assert _post(forge_app, "/forge/events", _event(timestamp="1700000000999")).status_code == 204
    assert _deliveries(forge_app) == 2
    from plugin.models import DirtyIssue
    with forge_app.extensions["work_sync"].sessions() as session:
        assert session.scalars(select(DirtyIssue.issue_id)).all() == ["10042"]


def test_events_of_an_unknown_installation_or_a_bad_token_change_nothing(forge_app):
    assert _post(forge_app, "/forge/events", _event()).status_code == 401  # not installed yet
    assert _post(forge_app, "/forge/lifecycle", INSTALLED).status_code == 204
    other = "ari:cloud:ecosystem::installation/99999999-53ae-4a5b-9e7e-03338980abb5"
    assert _post(forge_app, "/forge/events", _event(), token=mint(KEY, claims(installation=other))).status_code == 401
    assert _post(forge_app, "/forge/events", _event(), token=mint(KEY, claims(ttl=-100))).status_code == 401
    assert _deliveries(forge_app) == 0


def test_scheduled_refreshes_the_token(forge_app):
    assert _post(forge_app, "/forge/lifecycle", INSTALLED).status_code == 204
    rt = forge_app.extensions["work_sync"]
    with rt.sessions.begin() as session:
        session.scalars(select(Tenant)).one().system_token_expires_at = datetime.now(UTC) - timedelta(minutes=1)
    _running_sync(forge_app)
    assert _post(forge_app, "/forge/scheduled", {"payload": {"context": {"cloudId": CLOUD_ID}}},
                 system="system-token-2").status_code == 204
    from plugin.forge.installations import system_token
    with rt.sessions() as session:
        assert system_token(session.scalars(select(Tenant)).one(), rt.secrets) == "system-token-2"


def test_the_api_refuses_bearer_tokens_when_forge_is_off(app):
    headers = {"Authorization": f"Bearer {mint(KEY, claims())}"}
    response = app.test_client().get("/api/synchronizations", headers=headers)
    assert response.status_code == 401 and "Forge is not configured" in response.get_json()["message"]


def test_the_api_takes_a_fit_only_with_a_principal_of_a_known_installation(forge_app):
    client = forge_app.test_client()
    user = mint(KEY, claims(principal="5b10a2844c20165700ede21g", context={"cloudId": CLOUD_ID}))
    assert client.get("/api/synchronizations", headers={"Authorization": f"Bearer {user}"}).status_code == 401
    assert _post(forge_app, "/forge/lifecycle", INSTALLED).status_code == 204
    backend = mint(KEY, claims())
    response = client.get("/api/synchronizations", headers={"Authorization": f"Bearer {backend}"})
    assert response.status_code == 401 and "principal" in response.get_json()["message"]
    expired = mint(KEY, claims(principal="5b10a2844c20165700ede21g", ttl=-100))
    assert client.get("/api/synchronizations", headers={"Authorization": f"Bearer {expired}"}).status_code == 401


def test_the_api_acts_as_the_fits_principal_on_its_page(forge_app, monkeypatch):
    from flask import g

    from plugin.web import auth
    assert _post(forge_app, "/forge/lifecycle", INSTALLED).status_code == 204
    context = {"cloudId": CLOUD_ID, "extension": {"type": "jira:projectSettingsPage",
                                                  "project": {"id": "10000", "key": "ACME"}}}
    token = mint(KEY, claims(principal="5b10a2844c20165700ede21g", context=context))
    with forge_app.test_request_context("/api/synchronizations", headers={"Authorization": f"Bearer {token}"}):
        auth.forge_user()
        from plugin.web.api.common import actor
        who = actor()
        assert (who.account_id, who.project_id, who.project_key) == ("5b10a2844c20165700ede21g", "10000", "ACME")
        assert g.tenant.installation_id == INSTALLATION
