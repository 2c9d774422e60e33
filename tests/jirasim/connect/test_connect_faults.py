"""Request faults through the `/_sim` control API: 429, 5xx bursts, latency, search lag; counters, log, reset."""
import requests

MYSELF = "/rest/api/3/myself"
SEARCH = "/rest/api/3/search/jql"
ACME = [("jql", "project = ACME")]


def _fault(installed_app, **body):
    r = requests.post(f"{installed_app.url}/_sim/faults", json=body, timeout=5)
    assert r.status_code == 201, r.text
    return r.json()


def _control(installed_app, path: str):
    return requests.get(f"{installed_app.url}/_sim/{path}", timeout=5).json()


def test_rate_limit_next_n_requests(installed_app):
    _fault(installed_app, kind="rate_limit", site="acme", count=2, retry_after=7)
    responses = [installed_app.call("GET", MYSELF) for _ in range(3)]
    assert [r.status_code for r in responses] == [429, 429, 200]
    assert responses[0].headers["Retry-After"] == "7"
    assert responses[0].json() == {"errorMessages": ["Rate limit exceeded."], "errors": {}}


def test_rate_limit_for_a_duration_with_endpoint_filter(installed_app):
    _fault(installed_app, kind="rate_limit", site="acme", endpoint="/rest/api/3/search/*", seconds=60)
    assert installed_app.call("GET", SEARCH, ACME).status_code == 429
    assert installed_app.call("GET", SEARCH, ACME).status_code == 429
    assert installed_app.call("GET", MYSELF).status_code == 200
    requests.delete(f"{installed_app.url}/_sim/faults", timeout=5)
    assert installed_app.call("GET", SEARCH, ACME).status_code == 200


def test_rate_limit_is_per_site(installed_app):
    _fault(installed_app, kind="rate_limit", site="globex", count=5)
    assert installed_app.call("GET", MYSELF).status_code == 200


def test_a_rate_limit_applies_to_people_too_and_is_logged(installed_app):
    alice = requests.Session()
    alice.auth = ("alice@acme.example.com", "api-token")
    _fault(installed_app, kind="rate_limit", site="acme", count=1, endpoint=MYSELF)
    first = alice.get(installed_app.simulator.site_url("acme") + MYSELF, timeout=10)
    assert first.status_code == 429 and first.headers["Retry-After"] == "1"
    assert alice.get(installed_app.simulator.site_url("acme") + MYSELF, timeout=10).status_code == 200
    log = _control(installed_app, "requests")
    assert log[-2]["faults"][0]["fault"] == "rate_limit" and log[-1]["faults"] == []


def test_5xx_burst(installed_app):
    _fault(installed_app, kind="error", site="acme", count=2, status=503)
    _fault(installed_app, kind="error", site="acme", count=1, status=500)
    codes = [installed_app.call("GET", MYSELF).status_code for _ in range(4)]
    assert codes == [503, 503, 500, 200]


def test_latency_is_recorded_in_request_log(installed_app):
    _fault(installed_app, kind="latency", site="acme", endpoint=MYSELF, ms=30, count=1)
    installed_app.call("GET", MYSELF)
    installed_app.call("GET", MYSELF)
    log = _control(installed_app, "requests")
    assert [[f["ms"] for f in e["faults"]] for e in log[-2:]] == [[30], []]
    applied = _control(installed_app, "faults")["applied"]
    assert applied[-1]["fault"] == "latency" and applied[-1]["ms"] == 30


def test_a_fault_naming_a_method_spares_the_other_methods(installed_app):
    _fault(installed_app, kind="error", site="acme", endpoint=SEARCH, method="post", status=503, count=1)
    assert installed_app.call("GET", SEARCH, ACME).status_code == 200
    assert installed_app.call("POST", SEARCH, json={"jql": "project = ACME"}).status_code == 503
    assert installed_app.call("POST", SEARCH, json={"jql": "project = ACME"}).status_code == 200


def test_search_lag_hides_a_fresh_issue_unless_reconciled(installed_app):
    _fault(installed_app, kind="search_lag", site="acme", ms=600_000)
    body = {"fields": {"project": {"key": "ACME"}, "summary": "Fresh", "issuetype": {"id": "10001"}}}
    created = installed_app.call("POST", "/rest/api/3/issue", json=body).json()

    def found(**extra):
        r = installed_app.call("POST", SEARCH, json={"jql": "project = ACME", "maxResults": 100, **extra})
        assert r.status_code == 200, r.text
        return created["id"] in [i["id"] for i in r.json()["issues"]]

    assert not found()
    assert found(reconcileIssues=[int(created["id"])])
    _fault(installed_app, kind="search_lag", site="acme", ms=0)
    assert found()


def test_calls_requests_and_reset(installed_app):
    _fault(installed_app, kind="rate_limit", site="acme", seconds=60)
    installed_app.call("GET", MYSELF)
    assert _control(installed_app, "calls") == {"acme GET /rest/api/3/myself": 1}
    assert [(e["endpoint"], e["status"]) for e in _control(installed_app, "requests")] == [(MYSELF, 429)]
    assert requests.post(f"{installed_app.url}/_sim/reset", json={}, timeout=5).json() == {"reset": True,
                                                                                          "data": False}
    assert _control(installed_app, "calls") == {}
    assert _control(installed_app, "requests") == []
    assert _control(installed_app, "faults")["rules"] == []
    assert installed_app.call("GET", MYSELF).status_code == 200


def test_reset_with_data_recreates_issues_and_keeps_installed_apps(installed_app):
    body = {"fields": {"project": {"key": "ACME"}, "summary": "Gone after reset", "issuetype": {"id": "10001"}}}
    key = installed_app.call("POST", "/rest/api/3/issue", json=body).json()["key"]
    reset = requests.post(f"{installed_app.url}/_sim/reset", json={"data": True}, timeout=10)
    assert reset.json() == {"reset": True, "data": True}
    assert installed_app.call("GET", f"/rest/api/3/issue/{key}").status_code == 404
    assert installed_app.call("GET", "/rest/api/3/issue/ACME-1").status_code == 200
    assert installed_app.call("GET", MYSELF).json()["accountType"] == "app"


def test_bad_fault_kind_is_400(simulator):
    assert requests.post(f"{simulator.base_url}/_sim/faults", json={"kind": "meteor"}, timeout=5).status_code == 400
