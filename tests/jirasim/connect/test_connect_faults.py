"""Request faults through the `/_sim` control API: 429, 5xx bursts, latency, search lag; reset."""
import time

import jwt as pyjwt
import requests

from jirasim.connect.install import apps
from jirasim.connect.qsh import qsh


def _get(url, inst, path, site="alpha"):
    token = pyjwt.encode({"iss": inst.app_key, "iat": int(time.time()), "exp": int(time.time()) + 60,
                          "qsh": qsh("GET", path)}, inst.shared_secret, algorithm="HS256")
    return requests.get(f"{url}/{site}{path}", headers={"Authorization": f"JWT {token}"}, timeout=10)


def _fault(url, **body):
    r = requests.post(f"{url}/_sim/faults", json=body, timeout=5)
    assert r.status_code == 201, r.text
    return r.json()


def _inst(world, app):
    return apps(world.sites["alpha"])[app.key]


def test_rate_limit_next_n_requests(installed):
    world, url, app = installed
    inst = _inst(world, app)
    _fault(url, kind="rate_limit", site="alpha", count=2, retry_after=7)
    statuses = [_get(url, inst, "/rest/api/3/myself") for _ in range(3)]
    assert [r.status_code for r in statuses] == [429, 429, 200]
    assert statuses[0].headers["Retry-After"] == "7"
    assert statuses[0].json()["errorMessages"]


def test_rate_limit_for_a_duration_with_endpoint_filter(installed):
    world, url, app = installed
    inst = _inst(world, app)
    _fault(url, kind="rate_limit", site="alpha", endpoint="/rest/api/3/search/*", seconds=60)
    assert _get(url, inst, "/rest/api/3/search/jql").status_code == 429
    assert _get(url, inst, "/rest/api/3/search/jql").status_code == 429
    assert _get(url, inst, "/rest/api/3/myself").status_code == 200
    requests.delete(f"{url}/_sim/faults", timeout=5)
    assert _get(url, inst, "/rest/api/3/search/jql").status_code == 200


def test_rate_limit_is_per_site(installed):
    world, url, app = installed
    _fault(url, kind="rate_limit", site="beta", count=5)
    assert _get(url, _inst(world, app), "/rest/api/3/myself").status_code == 200


def test_5xx_burst(installed):
    world, url, app = installed
    inst = _inst(world, app)
    _fault(url, kind="error", site="alpha", count=2, status=503)
    _fault(url, kind="error", site="alpha", count=1, status=500)
    codes = [_get(url, inst, "/rest/api/3/myself").status_code for _ in range(4)]
    assert codes == [503, 503, 500, 200]


def test_latency_is_recorded_in_request_log(installed):
    world, url, app = installed
    inst = _inst(world, app)
    _fault(url, kind="latency", site="alpha", endpoint="/rest/api/3/myself", ms=30, count=1)
    _get(url, inst, "/rest/api/3/myself")
    _get(url, inst, "/rest/api/3/myself")
    log = requests.get(f"{url}/_sim/requests", timeout=5).json()
    assert [[f["ms"] for f in e["faults"]] for e in log[-2:]] == [[30], []]
    applied = requests.get(f"{url}/_sim/faults", timeout=5).json()["applied"]
    assert applied[-1]["fault"] == "latency" and applied[-1]["ms"] == 30


def test_search_lag_hides_fresh_issue(installed):
    world, url, app = installed
    inst = _inst(world, app)
    _fault(url, kind="search_lag", site="alpha", ms=60_000)
    world.search_index["alpha"] = [("A-1", time.time())]
    assert _get(url, inst, "/rest/api/3/search/jql").json()["issues"] == []
    _fault(url, kind="search_lag", site="alpha", ms=0)
    assert _get(url, inst, "/rest/api/3/search/jql").json()["issues"] == [{"key": "A-1"}]


def test_calls_requests_and_reset(installed):
    world, url, app = installed
    inst = _inst(world, app)
    _fault(url, kind="rate_limit", site="alpha", seconds=60)
    _get(url, inst, "/rest/api/3/myself")
    assert requests.get(f"{url}/_sim/calls", timeout=5).json() == {"GET /rest/api/3/myself": 1}
    assert len(requests.get(f"{url}/_sim/requests", timeout=5).json()) == 1
    assert requests.post(f"{url}/_sim/reset", json={}, timeout=5).json()["reset"]
    assert requests.get(f"{url}/_sim/calls", timeout=5).json() == {}
    assert requests.get(f"{url}/_sim/requests", timeout=5).json() == []
    assert requests.get(f"{url}/_sim/faults", timeout=5).json()["rules"] == []
    assert _get(url, inst, "/rest/api/3/myself").status_code == 200


def test_bad_fault_kind_is_400(sim):
    _, url = sim
    assert requests.post(f"{url}/_sim/faults", json={"kind": "meteor"}, timeout=5).status_code == 400
