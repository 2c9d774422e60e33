"""Jira's 2026 rate limits for apps: per-issue writes, per-endpoint bursts, the hourly quota of all tenants of an app;
429s with Retry-After, X-RateLimit-* and RateLimit-Reason; X-RateLimit-NearLimit on successful responses."""
import re
from datetime import UTC, datetime, timedelta

import pytest
import requests

from jirasim.limits import RateLimits
from jirasim.sample import populate
from jirasim.testing import running_simulator
from jirasim.world import World
from tests.jirasim.conformance import check as check_request_and_response
from tests.jirasim.connect.support import InstalledApp, running_test_app

RESET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\dZ$")
MYSELF = "/rest/api/3/myself"


def check(openapi, response: requests.Response) -> requests.Response:
    """The response conforms to the reference (the app's JWT is no security scheme the reference describes)."""
    return check_request_and_response(openapi, response, request_body=False)


def _limits(installed_app, **body) -> dict:
    r = requests.post(f"{installed_app.url}/_sim/limits", json=body, timeout=5)
    assert r.status_code == 200, r.text
    return r.json()


def _rename(installed_app, ref: str, openapi=None) -> requests.Response:
    path = f"/rest/api/3/issue/{ref}"
    response = installed_app.call("PUT", path, json={"fields": {"summary": f"{ref} renamed"}})
    if openapi is not None and response.status_code != 429:
        check(openapi, response)
    return response


def _denied(response: requests.Response, reason: str, limit: int) -> None:
    assert response.status_code == 429, response.text
    assert response.json() == {"errorMessages": ["Rate limit exceeded."], "errors": {}}
    headers = response.headers
    assert headers["RateLimit-Reason"] == reason
    assert (headers["X-RateLimit-Limit"], headers["X-RateLimit-Remaining"]) == (str(limit), "0")
    assert int(headers["Retry-After"]) >= 0 and RESET.match(headers["X-RateLimit-Reset"])


def test_limits_are_on_by_default_at_jiras_numbers(simulator):
    limits = requests.get(f"{simulator.base_url}/_sim/limits", timeout=5).json()
    assert limits["enabled"] is True and limits["people"] is False
    assert limits["issue_writes"] == [[20, 2.0], [100, 30.0]]
    assert {m: limits["burst"][m] for m in ("GET", "POST", "PUT", "DELETE")} == {
        "GET": 100, "POST": 100, "PUT": 50, "DELETE": 50}


def test_writes_to_one_issue_are_limited_per_issue_whether_named_by_key_or_id(installed_app, openapi):
    _limits(installed_app, issue_writes=[[3, 60]])
    issue_id = installed_app.call("GET", "/rest/api/3/issue/ACME-1").json()["id"]
    assert [_rename(installed_app, ref, openapi).status_code for ref in ("ACME-1", issue_id, "ACME-1")] == [204] * 3
    denied = _rename(installed_app, issue_id)
    _denied(denied, "jira-per-issue-on-write", 3)
    assert 0 < int(denied.headers["Retry-After"]) <= 60
    assert _rename(installed_app, "ACME-2", openapi).status_code == 204
    assert check(openapi, installed_app.call("GET", "/rest/api/3/issue/ACME-1")).status_code == 200


def test_a_burst_is_limited_per_tenant_endpoint_and_method(installed_app, openapi):
    _limits(installed_app, burst={"GET": 3}, burst_seconds=60)
    found = [installed_app.call("GET", "/rest/api/3/user/search", {"query": "dev"}) for _ in range(4)]
    assert [r.status_code for r in found] == [200, 200, 200, 429]
    check(openapi, found[-1])  # this operation documents its 429
    _denied(found[-1], "jira-burst-based", 3)
    assert check(openapi, installed_app.call("GET", MYSELF)).status_code == 200
    assert installed_app.call("POST", "/rest/api/3/search/jql", json={"jql": "project = ACME"}).status_code == 200
    log = requests.get(f"{installed_app.url}/_sim/requests", timeout=5).json()
    assert [e["rateLimit"] for e in log[-3:]] == ["jira-burst-based", None, None]


def test_a_successful_response_says_when_a_limit_is_nearly_used_up(installed_app, openapi):
    _limits(installed_app, issue_writes=[[10, 60]])
    responses = [_rename(installed_app, "ACME-1", openapi) for _ in range(10)]
    flagged = [r.headers.get("X-RateLimit-NearLimit") for r in responses]
    assert flagged == [None] * 8 + ["true", "true"]  # fewer than 20% (2) of 10 left after the 9th


def test_the_hourly_quota_is_shared_by_every_tenant_of_the_app_until_the_top_of_the_hour(installed_app):
    globex = InstalledApp(installed_app.simulator, installed_app.app, "globex")
    assert globex.install().status_code == 201
    _limits(installed_app, hourly_points=4)
    for tenant in (installed_app, installed_app, globex, globex):
        assert tenant.call("GET", MYSELF).status_code == 200
    for tenant in (installed_app, globex):
        denied = tenant.call("GET", MYSELF)
        _denied(denied, "jira-quota-global-based", 4)
        next_hour = (datetime.now(UTC) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:00Z")
        assert denied.headers["X-RateLimit-Reset"] == next_hour and int(denied.headers["Retry-After"]) <= 3600
    assert requests.get(f"{installed_app.url}/_sim/limits", timeout=5).json()["pointsUsed"] == {
        installed_app.app.key: 4}
    requests.post(f"{installed_app.url}/_sim/limits/reset", timeout=5)
    assert installed_app.call("GET", MYSELF).status_code == 200


def test_a_search_costs_a_point_per_issue_it_returns(installed_app):
    installed_app.call("POST", "/rest/api/3/search/jql", json={"jql": "project = ACME", "fields": ["summary"]})
    assert requests.get(f"{installed_app.url}/_sim/limits", timeout=5).json()["pointsUsed"] == {
        installed_app.app.key: 1 + 3}


def test_people_are_not_limited_unless_asked(installed_app):
    alice = requests.Session()
    alice.auth = ("alice@acme.example.com", "api-token")
    myself = installed_app.simulator.site_url("acme") + MYSELF
    _limits(installed_app, burst={"GET": 1}, burst_seconds=60)
    assert [alice.get(myself, timeout=5).status_code for _ in range(3)] == [200, 200, 200]
    _limits(installed_app, people=True)
    assert [alice.get(myself, timeout=5).status_code for _ in range(2)] == [200, 429]


def test_limits_can_be_lowered_in_python_or_switched_off():
    world = World(populate=populate, limits=RateLimits(burst={"GET": 1}, burst_seconds=60))
    world.add_site("acme")
    with running_simulator(world=world) as running, running_test_app(running.base_url) as app:
        installed_app = InstalledApp(running, app)
        assert installed_app.install().status_code == 201
        assert [installed_app.call("GET", MYSELF).status_code for _ in range(2)] == [200, 429]
        _limits(installed_app, enabled=False)
        assert installed_app.call("GET", MYSELF).status_code == 200


def test_a_forced_rate_limit_carries_the_same_headers(installed_app):
    rule = {"kind": "rate_limit", "site": "acme", "count": 1, "retry_after": 3, "reason": "jira-per-issue-on-write"}
    assert requests.post(f"{installed_app.url}/_sim/faults", json=rule, timeout=5).status_code == 201
    forced = _rename(installed_app, "ACME-1")
    _denied(forced, "jira-per-issue-on-write", 100)
    assert forced.headers["Retry-After"] == "3"


@pytest.mark.parametrize("body", [{"burst": {"GET": 0}}, {"burst_seconds": 0}, {"hourly_points": -1},
                                  {"colour": "red"}])
def test_bad_limits_are_refused(simulator, body):
    assert requests.post(f"{simulator.base_url}/_sim/limits", json=body, timeout=5).status_code == 400


def test_the_tenant_quota_limits_one_tenant_of_the_app_until_the_top_of_the_hour(installed_app):
    globex = InstalledApp(installed_app.simulator, installed_app.app, "globex")
    assert globex.install().status_code == 201
    _limits(installed_app, tenant_points=3)
    for _ in range(3):
        assert installed_app.call("GET", MYSELF).status_code == 200
    denied = installed_app.call("GET", MYSELF)
    _denied(denied, "jira-quota-tenant-based", 3)
    assert int(denied.headers["Retry-After"]) <= 3600
    assert denied.headers["Beta-RateLimit"].startswith('"tenant-app-quota";r=0;t=')
    assert globex.call("GET", MYSELF).status_code == 200  # another tenant of the same app is not limited
    used = requests.get(f"{installed_app.url}/_sim/limits", timeout=5).json()["tenantPointsUsed"]
    assert used == {"acme": {installed_app.app.key: 3}, "globex": {installed_app.app.key: 1}}


def test_every_answer_states_both_hourly_quotas_as_atlassian_documents_them(installed_app):
    _limits(installed_app, hourly_points=1000, tenant_points=500)
    first = installed_app.call("GET", MYSELF)
    second = installed_app.call("GET", MYSELF)
    assert first.headers["RateLimit-Policy"] == '"global-app-quota";q=1000;w=3600'
    assert first.headers["Beta-RateLimit-Policy"] == '"tenant-app-quota";q=500;w=3600'
    state = re.compile(r'^"(global|tenant)-app-quota";r=(\d+);t=(\d+)$')
    remaining = [int(state.match(r.headers["Beta-RateLimit"]).group(2)) for r in (first, second)]
    assert remaining == [499, 498]
    assert int(state.match(second.headers["RateLimit"]).group(2)) == 998
    assert 0 < int(state.match(second.headers["RateLimit"]).group(3)) <= 3600
    assert "X-RateLimit-NearLimit" not in second.headers


def test_near_the_tenant_quota_an_answer_says_so(installed_app):
    _limits(installed_app, tenant_points=10)
    flagged = [installed_app.call("GET", MYSELF).headers.get("X-RateLimit-NearLimit") for _ in range(9)]
    assert flagged[:7] == [None] * 7 and flagged[8] == "true"
