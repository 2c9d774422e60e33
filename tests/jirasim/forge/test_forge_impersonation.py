"""Offline user impersonation: the remote trades its app system token for a person's token with the GraphQL
gateway's `offlineUserAuthToken` mutation (at the apiBaseUrl's host, `/graphql`), and that token then acts as the
person on the product API, within the scopes the manifest marks `allowImpersonation: true`."""
import re

import requests

from jirasim import adf
from tests.jirasim.forge.support import manifest

MUTATION = """mutation forge_remote_offlineUserAuthToken($input: OfflineUserAuthTokenInput!) {
  offlineUserAuthToken(input: $input) { success errors { message } authToken { token ttl } }
}"""
IMPERSONATING = {"read:jira-work": {"allowImpersonation": True}, "write:jira-work": {"allowImpersonation": True},
                 "read:app-system-token": {}}


def _install(forge_app, scopes=None):
    answer = forge_app.install(manifest(scopes=scopes or IMPERSONATING))
    assert answer.status_code in (200, 201), answer.text
    forge_app.flush()


def _inst(forge_app):
    return next(iter(forge_app.simulator.site("acme").forge_apps.values()))


def _person(forge_app, handle="dev"):
    return next(u for u in forge_app.simulator.site("acme").users.values() if u.email.startswith(f"{handle}@"))


def _exchange(forge_app, user_id, contexts=None, token=None) -> requests.Response:
    """The mutation as Atlassian's Node.js example posts it, to the gateway beside the apiBaseUrl."""
    url = re.sub(r"/ex/jira/[^/]+$", "/graphql", forge_app.api_base_url())
    contexts = contexts if contexts is not None else [_inst(forge_app).context_ari]
    return requests.post(url, timeout=10, json={"query": MUTATION,
                                                "variables": {"input": {"contextIds": contexts, "userId": user_id}}},
                         headers={"Authorization": f"Bearer {token or forge_app.system_token()}",
                                  "accept": "application/json"})


def _result(answer) -> dict:
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]["offlineUserAuthToken"]


def _user_token(forge_app, handle="dev") -> str:
    found = _result(_exchange(forge_app, _person(forge_app, handle).account_id))
    assert found["success"] is True and found["errors"] == [], found
    return found["authToken"]["token"]


def test_the_exchange_answers_a_token_and_its_ttl_for_a_person_of_the_site(forge_app):
    _install(forge_app)
    found = _result(_exchange(forge_app, _person(forge_app).account_id))
    assert found["success"] is True and found["errors"] == []
    assert found["authToken"]["token"] and found["authToken"]["ttl"] == 3600
    assert _inst(forge_app).context_ari == f"ari:cloud:jira::site/{_inst(forge_app).cloud_id}"


def test_a_user_token_writes_a_worklog_authored_by_that_person(forge_app):
    _install(forge_app)
    dev = _person(forge_app)
    token = _user_token(forge_app)
    written = forge_app.product_api("POST", "/rest/api/3/issue/ACME-1/worklog", token,
                                    json={"timeSpentSeconds": 600, "comment": adf.from_text("As Dev")})
    assert written.status_code == 201, written.text
    assert written.json()["author"]["accountId"] == dev.account_id
    stored = forge_app.simulator.site("acme").issue("ACME-1").worklogs[-1]
    assert stored.author_id == dev.account_id
    (last,) = requests.get(f"{forge_app.url}/_sim/requests?limit=1", timeout=5).json()
    assert last["caller"] == dev.account_id and last["path"].startswith("/_api/ex/jira/")
    assert last["app"] == _inst(forge_app).account_id  # the log says which app acted as Dev


def test_a_user_token_has_that_persons_jira_permissions(forge_app):
    _install(forge_app)
    site = forge_app.simulator.site("acme")
    with forge_app.simulator.world.lock:
        guest = site.add_user("guest", "Gus Guest", "guest@acme.example.com")
        for project in site.projects.values():
            project.grants[guest.account_id] = set()
    token = _user_token(forge_app, "guest")
    assert forge_app.product_api("GET", "/rest/api/3/issue/ACME-1", token).status_code == 404
    assert forge_app.product_api("GET", "/rest/api/3/issue/ACME-1").status_code == 200  # the app still sees it


def test_a_user_token_works_only_for_the_scopes_that_allow_impersonation(forge_app):
    _install(forge_app, {"read:jira-work": {}, "write:jira-work": {"allowImpersonation": True},
                         "read:app-system-token": {"allowImpersonation": False}})
    token = _user_token(forge_app)
    refused = forge_app.product_api("GET", "/rest/api/3/issue/ACME-1", token)  # read:jira-work, not impersonating
    assert refused.status_code == 401
    assert refused.json() == {"code": 401, "message": "Unauthorized; scope does not match"}
    assert forge_app.product_api("GET", "/rest/api/3/issue/ACME-1").status_code == 200  # the app's own token may
    assert forge_app.product_api("PUT", "/rest/api/3/issue/ACME-1", token,
                                 json={"fields": {"summary": "By Dev"}}).status_code == 204


def test_a_manifest_without_allow_impersonation_is_refused_with_success_false(forge_app):
    found = _result(_exchange(forge_app, _person(forge_app).account_id))  # the list form: no impersonation
    assert found["success"] is False and found["authToken"] is None
    assert "allowImpersonation" in found["errors"][0]["message"]


def test_the_context_must_be_the_installations_and_the_user_a_person_of_its_site(forge_app):
    _install(forge_app)
    dev = _person(forge_app)
    other = forge_app.simulator.site("globex").cloud_id
    for contexts in ([f"ari:cloud:jira::site/{other}"], [], "ari"):
        found = _result(_exchange(forge_app, dev.account_id, contexts=contexts))
        assert found["success"] is False and "contexts" in found["errors"][0]["message"], contexts
    gina = next(u for u in forge_app.simulator.site("globex").users.values() if u.email.startswith("gina@"))
    for user_id in (_inst(forge_app).account_id, "no-such-account", gina.account_id):
        found = _result(_exchange(forge_app, user_id))
        assert found["success"] is False and found["authToken"] is None, user_id
        assert "cannot be impersonated" in found["errors"][0]["message"]


def test_only_a_valid_app_system_token_may_ask(forge_app):
    _install(forge_app)
    dev = _person(forge_app)
    assert _exchange(forge_app, dev.account_id, token="not-a-token").status_code == 401
    assert _exchange(forge_app, dev.account_id, token=_user_token(forge_app)).status_code == 401
    url = re.sub(r"/ex/jira/[^/]+$", "/graphql", forge_app.api_base_url())
    assert requests.post(url, json={"query": MUTATION}, timeout=5).status_code == 401


def test_more_token_requests_than_the_apps_limit_per_minute_are_refused(forge_app):
    _install(forge_app)
    assert requests.post(f"{forge_app.url}/_sim/forge/settings", json={"user_tokens_per_minute": 2}, timeout=5).ok
    dev = _person(forge_app)
    answers = [_exchange(forge_app, dev.account_id).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_a_user_token_stops_working_once_the_app_is_uninstalled(forge_app):
    _install(forge_app)
    token = _user_token(forge_app)
    assert forge_app.product_api("GET", "/rest/api/3/issue/ACME-1", token).status_code == 200
    assert requests.post(f"{forge_app.url}/_sim/sites/acme/forge/uninstall", json={}, timeout=10).status_code == 200
    assert forge_app.product_api("GET", "/rest/api/3/issue/ACME-1", token).status_code == 401
