"""The product API for remotes: `{apiBaseUrl}/rest/api/3/...` with the app system token, its scopes and lifetime,
the same rate limits, faults and counters as every other REST caller."""
import requests

from tests.support.eventually import eventually


def test_the_system_token_reads_and_writes_as_the_forge_app_user(forge_app):
    site = forge_app.simulator.site("acme")
    issue = forge_app.product_api("GET", "/rest/api/3/issue/ACME-1")
    assert issue.status_code == 200 and issue.json()["key"] == "ACME-1"
    edited = forge_app.product_api("PUT", "/rest/api/3/issue/ACME-1", json={"fields": {"summary": "By Forge"}})
    assert edited.status_code == 204
    inst = next(iter(site.forge_apps.values()))
    changer = site.issue("ACME-1").changelog[-1].author_id
    assert changer == inst.account_id and site.user(changer).account_type == "app"


def test_the_token_works_only_for_the_granted_scopes(forge_app):
    assert forge_app.product_api("GET", "/rest/api/3/serverInfo").status_code == 200  # no scope needed
    refused = forge_app.product_api("GET", "/rest/api/3/myself")  # needs read:jira-user, not granted
    assert refused.status_code == 401
    assert refused.json() == {"code": 401, "message": "Unauthorized; scope does not match"}
    admin = forge_app.product_api("DELETE", "/rest/api/3/field/customfield_10000")  # manage:jira-configuration
    assert admin.status_code == 401


def test_a_token_is_refused_once_it_has_expired(forge_app):
    assert requests.post(f"{forge_app.url}/_sim/forge/settings", json={"system_token_ttl": 1}, timeout=5).ok
    site = forge_app.simulator.site("acme")
    forge_app.simulator.world.forge.tokens.forget(next(iter(site.forge_apps.values())).installation_id)
    requests.post(f"{forge_app.url}/_sim/sites/acme/forge/scheduled/fire", json={}, timeout=5)
    forge_app.flush()
    token = forge_app.system_token()
    assert forge_app.product_api("GET", "/rest/api/3/issue/ACME-1", token).status_code == 200
    eventually(lambda: forge_app.product_api("GET", "/rest/api/3/issue/ACME-1", token).status_code == 401, timeout=10)
    assert forge_app.product_api("GET", "/rest/api/3/issue/ACME-1", "not-a-token").status_code == 401


def test_the_gateway_counts_limits_and_faults_calls_like_the_site_api(forge_app):
    requests.post(f"{forge_app.url}/_sim/reset", json={}, timeout=5)
    fault = {"kind": "rate_limit", "site": "acme", "count": 1, "retry_after": 3}
    assert requests.post(f"{forge_app.url}/_sim/faults", json=fault, timeout=5).status_code == 201
    limited = forge_app.product_api("GET", "/rest/api/3/issue/ACME-1")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "3"
    assert forge_app.product_api("GET", "/rest/api/3/issue/ACME-1").status_code == 200
    calls = requests.get(f"{forge_app.url}/_sim/calls?site=acme", timeout=5).json()
    assert calls["acme GET /rest/api/3/issue/{issueIdOrKey}"] == 2
    (last,) = requests.get(f"{forge_app.url}/_sim/requests?limit=1", timeout=5).json()
    inst = next(iter(forge_app.simulator.site("acme").forge_apps.values()))
    assert last["caller"] == inst.account_id and last["path"].startswith("/_api/ex/jira/")
    points = requests.get(f"{forge_app.url}/_sim/limits", timeout=5).json()
    assert inst.app_id in str(points)


def test_bearer_tokens_are_not_accepted_on_the_site_url(forge_app):
    answer = requests.get(f"{forge_app.url}/acme/rest/api/3/issue/ACME-1", timeout=5,
                          headers={"Authorization": f"Bearer {forge_app.system_token()}"})
    assert answer.status_code == 401
