"""The Connect host parts inside CORE's real simulator (create_app + sample data)."""
import base64
import time

import jwt as pyjwt
import requests

from jirasim.connect.install import apps
from jirasim.connect.qsh import qsh


def _user(world, handle):
    return next(u for u in world.sites["acme"].users.values() if u.display_name.lower().startswith(handle))


def _basic(user):
    return {"Authorization": "Basic " + base64.b64encode(f"{user.email}:{user.api_token}".encode()).decode()}


def _jwt(world, app, method, path, params=()):
    inst = apps(world.sites["acme"])[app.key]
    now = int(time.time())
    token = pyjwt.encode({"iss": inst.app_key, "iat": now, "exp": now + 60,
                          "qsh": qsh(method, path, params)}, inst.shared_secret, algorithm="HS256")
    return {"Authorization": f"JWT {token}"}


def test_app_calls_rest_with_jwt_and_scopes(real):
    world, url, app = real
    me = requests.get(f"{url}/acme/rest/api/3/myself", headers=_jwt(world, app, "GET", "/rest/api/3/myself"),
                      timeout=10)
    assert me.status_code == 200 and me.json()["accountType"] == "app"
    bad = requests.get(f"{url}/acme/rest/api/3/myself", headers=_jwt(world, app, "GET", "/rest/api/3/project"),
                       timeout=10)
    assert bad.status_code == 401
    apps(world.sites["acme"])[app.key].scopes = ["READ"]
    body = {"fields": {"project": {"key": "ACME"}, "summary": "x", "issuetype": {"id": "10001"}}}
    denied = requests.post(f"{url}/acme/rest/api/3/issue", json=body,
                           headers=_jwt(world, app, "POST", "/rest/api/3/issue"), timeout=10)
    assert denied.status_code == 403


def test_issue_created_by_user_reaches_app_as_webhook(real):
    world, url, app = real
    alice = _user(world, "alice")
    body = {"fields": {"project": {"key": "ACME"}, "summary": "Hook me", "issuetype": {"id": "10001"}}}
    created = requests.post(f"{url}/acme/rest/api/3/issue", json=body, headers=_basic(alice), timeout=10)
    assert created.status_code == 201, created.text
    assert requests.post(f"{url}/_sim/webhooks/flush", json={"timeout": 20}, timeout=30).json()["flushed"]
    hooks = [h for h in app.webhooks if h["body"]["webhookEvent"] == "jira:issue_created"]
    assert hooks and hooks[-1]["body"]["issue"]["key"] == created.json()["key"]
    assert "error" not in hooks[-1]


def test_faults_on_real_rest(real):
    world, url, app = real
    alice = _user(world, "alice")
    requests.post(f"{url}/_sim/faults", json={"kind": "rate_limit", "site": "acme", "count": 1,
                                              "endpoint": "/rest/api/3/myself"}, timeout=5)
    first = requests.get(f"{url}/acme/rest/api/3/myself", headers=_basic(alice), timeout=10)
    assert first.status_code == 429 and first.headers["Retry-After"] == "1"
    assert requests.get(f"{url}/acme/rest/api/3/myself", headers=_basic(alice), timeout=10).status_code == 200
    log = requests.get(f"{url}/_sim/requests", timeout=5).json()
    assert log[-2]["faults"][0]["fault"] == "rate_limit"
    calls = requests.get(f"{url}/_sim/calls", params={"site": "acme"}, timeout=5).json()
    assert calls["acme GET /rest/api/3/myself"] >= 2


def test_host_pages_and_conditions(real):
    world, url, app = real
    site = world.sites["acme"]
    project = site.project("ACME")
    s = requests.Session()
    s.cookies.set("jirasim_user_acme", _user(world, "pat").account_id)
    assert "ACME" in s.get(f"{url}/acme/", timeout=10).text
    r = s.post(f"{url}/acme/projects/ACME/issues", data={"issuetype": "10001", "summary": "From the form"},
               timeout=10)
    assert "/acme/browse/ACME-" in r.url and "From the form" in r.text
    key = r.url.rsplit("/", 1)[1]
    s.post(f"{url}/acme/browse/{key}/comment", data={"body": "A comment"}, timeout=10)
    s.post(f"{url}/acme/browse/{key}/attach", files={"file": ("n.txt", b"12345")}, timeout=10)
    page = s.get(f"{url}/acme/browse/{key}", timeout=10).text
    assert "A comment" in page and "n.txt" in page and "/page/glance?issueKey=" + key in page
    module = f"{url}/acme/plugins/servlet/ac/{app.key}/ws-project?project.key=ACME&project.id={project.id}"
    assert s.get(module, timeout=10).status_code == 200          # Pat administers ACME
    assert s.get(f"{url}/acme/plugins/servlet/ac/{app.key}/ws-admin", timeout=10).status_code == 403
    s.cookies.set("jirasim_user_acme", _user(world, "dev").account_id)
    assert s.get(module, timeout=10).status_code == 403          # Dev does not
    s.cookies.set("jirasim_user_acme", _user(world, "alice").account_id)
    assert s.get(f"{url}/acme/plugins/servlet/ac/{app.key}/ws-admin", timeout=10).status_code == 200


def test_search_lag_hides_fresh_issue_unless_reconciled(real):
    world, url, app = real
    alice = _user(world, "alice")
    requests.post(f"{url}/_sim/faults", json={"kind": "search_lag", "site": "acme", "ms": 600_000}, timeout=5)
    body = {"fields": {"project": {"key": "ACME"}, "summary": "Fresh", "issuetype": {"id": "10001"}}}
    created = requests.post(f"{url}/acme/rest/api/3/issue", json=body, headers=_basic(alice), timeout=10).json()

    def found(**extra):
        r = requests.post(f"{url}/acme/rest/api/3/search/jql", headers=_basic(alice), timeout=10,
                          json={"jql": "project = ACME", "fields": ["summary"], "maxResults": 100, **extra})
        assert r.status_code == 200, r.text
        return created["key"] in [i["key"] for i in r.json()["issues"]]

    assert not found()
    assert found(reconcileIssues=[int(created["id"])])
    requests.post(f"{url}/_sim/faults", json={"kind": "search_lag", "site": "acme", "ms": 0}, timeout=5)
    assert found()


def test_webhook_jql_filter(real):
    world, url, app = real
    app.webhook_filter = "project = SUP"
    r = requests.post(f"{url}/_sim/sites/acme/install",
                      json={"descriptor_url": app.base_url + "/atlassian-connect.json"}, timeout=20)
    assert r.status_code == 201
    alice = _user(world, "alice")
    keys = []
    for project in ("ACME", "SUP"):
        body = {"fields": {"project": {"key": project}, "summary": "Filter me", "issuetype": {"id": "10001"}}}
        created = requests.post(f"{url}/acme/rest/api/3/issue", json=body, headers=_basic(alice), timeout=10)
        keys.append(created.json()["key"])
    assert requests.post(f"{url}/_sim/webhooks/flush", json={"timeout": 20}, timeout=30).json()["flushed"]
    delivered = [h["body"]["issue"]["key"] for h in app.webhooks]
    assert keys[1] in delivered and keys[0] not in delivered


def test_reset_with_data_keeps_installed_apps(real):
    world, url, app = real
    alice = _user(world, "alice")
    body = {"fields": {"project": {"key": "ACME"}, "summary": "Gone after reset", "issuetype": {"id": "10001"}}}
    key = requests.post(f"{url}/acme/rest/api/3/issue", json=body, headers=_basic(alice), timeout=10).json()["key"]
    assert requests.post(f"{url}/_sim/reset", json={"data": True}, timeout=10).json() == {"reset": True, "data": True}
    alice = _user(world, "alice")
    assert requests.get(f"{url}/acme/rest/api/3/issue/{key}", headers=_basic(alice), timeout=10).status_code == 404
    me = requests.get(f"{url}/acme/rest/api/3/myself", headers=_jwt(world, app, "GET", "/rest/api/3/myself"),
                      timeout=10)
    assert me.status_code == 200
