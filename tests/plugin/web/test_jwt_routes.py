"""Pages, webhooks and the JSON API refuse every bad token with 401 JSON, never a stack trace."""
import json
import time

import jwt as pyjwt
import pytest

from tests.support.constants import APP_BASE_URL

PAGE = "/pages/project-settings"
PARAMS = {"project.key": "ACME", "project.id": "10000"}


def _page(client, site, **token_options):
    return client.get(site.signed_url(PAGE, PARAMS, **token_options), base_url=APP_BASE_URL)


def _unsigned(client, query):
    return client.get(f"{PAGE}?{query}", base_url=APP_BASE_URL)


def test_a_page_signed_by_jira_renders(client, site):
    response = _page(client, site)
    assert response.status_code == 200


@pytest.mark.parametrize("attack", [
    "no token", "alg none", "rs256", "another secret", "expired", "issued in the future",
    "qsh of another path", "qsh of another method", "qsh of another query", "missing qsh", "context token",
    "unknown issuer",
])
def test_page_route_refuses(client, site, attack):
    now = int(time.time())
    query = "project.key=ACME&project.id=10000"
    if attack == "no token":
        response = _unsigned(client, query)
    elif attack == "alg none":
        token = pyjwt.encode({"iss": site.client_key, "iat": now, "exp": now + 60, "qsh": "x"}, None, algorithm="none")
        response = _unsigned(client, f"{query}&jwt={token}")
    elif attack == "rs256":
        from cryptography.hazmat.primitives.asymmetric import rsa
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        token = pyjwt.encode({"iss": site.client_key, "iat": now, "exp": now + 60, "qsh": "x"}, key, algorithm="RS256")
        response = _unsigned(client, f"{query}&jwt={token}")
    elif attack == "another secret":
        response = _page(client, site, secret="another-secret-entirely-0123456789")
    elif attack == "expired":
        response = _page(client, site, iat=now - 3600, lifetime=60)
    elif attack == "issued in the future":
        response = _page(client, site, iat=now + 3600)
    elif attack == "qsh of another path":
        token = site.token("GET", "/pages/admin", query)
        response = _unsigned(client, f"{query}&jwt={token}")
    elif attack == "qsh of another method":
        token = site.token("POST", PAGE, query)
        response = _unsigned(client, f"{query}&jwt={token}")
    elif attack == "qsh of another query":
        token = site.token("GET", PAGE, "project.key=OTHER&project.id=10000")
        response = _unsigned(client, f"{query}&jwt={token}")
    elif attack == "missing qsh":
        claims = {"iss": site.client_key, "iat": now, "exp": now + 60}
        token = pyjwt.encode(claims, site.shared_secret, algorithm="HS256")
        response = _unsigned(client, f"{query}&jwt={token}")
    elif attack == "context token":
        response = _unsigned(client, f"{query}&jwt={site.token('GET', PAGE, context=True)}")
    else:
        response = _page(client, site, claims={"iss": "client-unknown"})
    assert response.status_code == 401
    body = response.get_json()
    assert body["error"] == "unauthorized" and body["message"]
    assert "Traceback" not in response.get_data(as_text=True)


def test_webhook_refuses_a_context_token(client, site):
    token = site.token("POST", "/webhooks/issue-updated", context=True)
    response = client.post("/webhooks/issue-updated", data="{}", content_type="application/json",
                           headers={"Authorization": f"JWT {token}"}, base_url=APP_BASE_URL)
    assert response.status_code == 401


def test_api_accepts_a_context_token_and_knows_the_user(client, site):
    token = site.token("GET", "/api/context", context=True, sub="557058:pat")
    response = client.get("/api/context", headers={"Authorization": f"JWT {token}"}, base_url=APP_BASE_URL)
    assert response.status_code == 200
    assert response.get_json()["accountId"] == "557058:pat"
    assert response.get_json()["displayName"] is None  # Jira unreachable: the header falls back to the id
    assert response.get_json()["site"]["baseUrl"] == site.base_url


def test_api_refuses_a_request_signed_token_and_a_query_token(client, site):
    token = site.token("GET", "/api/context")
    assert client.get("/api/context", headers={"Authorization": f"JWT {token}"},
                      base_url=APP_BASE_URL).status_code == 401
    context_token = site.token("GET", "/api/context", context=True)
    assert client.get(f"/api/context?jwt={context_token}", base_url=APP_BASE_URL).status_code == 401


def test_api_refuses_a_context_token_without_a_user(client, site):
    token = site.token("GET", "/api/context", context=True, sub=None)
    assert client.get("/api/context", headers={"Authorization": f"JWT {token}"},
                      base_url=APP_BASE_URL).status_code == 401


def _webhook(client, site, body, delivery="d-1"):
    token = site.token("POST", "/webhooks/issue-updated", sub=None)
    return client.post("/webhooks/issue-updated", data=body, content_type="application/json", base_url=APP_BASE_URL,
                       headers={"Authorization": f"JWT {token}", "X-Atlassian-Webhook-Identifier": delivery})


def test_webhooks_are_stored_once_per_delivery_id(app, client, site):
    from plugin.models import WebhookDelivery

    body = json.dumps({"webhookEvent": "jira:issue_updated", "issue": {"id": "10001", "key": "ACME-1"}})
    assert _webhook(client, site, body).status_code == 204
    assert _webhook(client, site, body).status_code == 204
    assert _webhook(client, site, body, delivery="d-2").status_code == 204
    with app.extensions["work_sync"].sessions() as session:
        rows = session.query(WebhookDelivery).order_by(WebhookDelivery.id).all()
    assert [(r.delivery_id, r.event, r.issue_id) for r in rows] == [
        ("d-1", "jira:issue_updated", "10001"), ("d-2", "jira:issue_updated", "10001")]


def test_malformed_webhook_body_gets_400(client, site):
    response = _webhook(client, site, "{broken")
    assert response.status_code == 400
    assert "not valid JSON" in response.get_json()["message"]


def test_malformed_page_parameters_get_400(client, site):
    response = client.get(site.signed_url(PAGE, {"project.key": "<script>", "project.id": "1"}), base_url=APP_BASE_URL)
    assert response.status_code == 400


TEN_YEARS = 10 * 365 * 24 * 3600


@pytest.mark.parametrize("kind", ["page", "context", "webhook"])
def test_a_token_that_claims_to_live_ten_years_is_refused(client, site, kind):
    if kind == "page":
        response = _page(client, site, lifetime=TEN_YEARS)
    elif kind == "context":
        token = site.token("GET", "/api/context", context=True, lifetime=TEN_YEARS)
        response = client.get("/api/context", headers={"Authorization": f"JWT {token}"}, base_url=APP_BASE_URL)
    else:
        token = site.token("POST", "/webhooks/issue-updated", sub=None, lifetime=TEN_YEARS)
        response = client.post("/webhooks/issue-updated", data="{}", content_type="application/json",
                               headers={"Authorization": f"JWT {token}"}, base_url=APP_BASE_URL)
    assert response.status_code == 401
    assert "lifetime" in response.get_json()["message"]


def test_tokens_live_as_long_as_jira_makes_them(client, site):
    assert _page(client, site, lifetime=180).status_code == 200
    token = site.token("GET", "/api/context", context=True, lifetime=900)
    assert client.get("/api/context", headers={"Authorization": f"JWT {token}"},
                      base_url=APP_BASE_URL).status_code == 200
    assert _page(client, site, lifetime=900).status_code == 401  # a page token is not a context token


def test_webhook_tokens_are_accepted_only_in_the_header(client, site):
    token = site.token("POST", "/webhooks/issue-updated", sub=None)
    response = client.post(f"/webhooks/issue-updated?jwt={token}", data="{}", content_type="application/json",
                           base_url=APP_BASE_URL)
    assert response.status_code == 401


def test_two_long_delivery_ids_that_differ_after_255_characters_are_stored_twice(app, client, site):
    from plugin.models import WebhookDelivery

    body = json.dumps({"webhookEvent": "jira:issue_updated", "issue": {"id": "10001"}})
    first, second = "d" * 300 + "-1", "d" * 300 + "-2"
    for delivery in (first, second, first):
        assert _webhook(client, site, body, delivery=delivery).status_code == 204
    with app.extensions["work_sync"].sessions() as session:
        stored = session.query(WebhookDelivery.delivery_id).all()
    assert len(stored) == 2 and len({row.delivery_id for row in stored}) == 2


@pytest.mark.parametrize("issue_id", ["1" * 65, "10001; drop", "x"])
def test_a_webhook_issue_id_that_is_not_a_jira_id_gets_400_not_500(app, client, site, issue_id):
    from plugin.models import WebhookDelivery

    body = json.dumps({"webhookEvent": "jira:issue_updated", "issue": {"id": issue_id}})
    response = _webhook(client, site, body)
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"issue.id": "must be numeric"}
    with app.extensions["work_sync"].sessions() as session:
        assert session.query(WebhookDelivery).count() == 0
