"""App → site JWT verification (401) and scope enforcement (403)."""
import time

import jwt as pyjwt
import pytest
import requests

from jirasim.connect import scopes
from jirasim.connect.install import apps
from jirasim.connect.qsh import qsh


def _token(inst, method, path, params=(), *, secret=None, iss=None, exp=None, qsh_value=None):
    now = int(time.time())
    claims = {"iss": iss or inst.app_key, "iat": now, "exp": exp or now + 120,
              "qsh": qsh_value or qsh(method, path, params, "/alpha")}
    return pyjwt.encode(claims, secret or inst.shared_secret, algorithm="HS256")


def _call(url, method, path, token=None, params=None, **kw):
    headers = {"Authorization": f"JWT {token}"} if token else {}
    return requests.request(method, f"{url}/alpha{path}", params=params, headers=headers, timeout=10, **kw)


@pytest.fixture
def inst(installed):
    world, url, app = installed
    return world, url, apps(world.sites["alpha"])[app.key]


def test_valid_token_authenticates_as_app_user(inst):
    world, url, i = inst
    params = [("fields", "summary"), ("expand", "names")]
    r = _call(url, "GET", "/rest/api/3/issue/A-1", _token(i, "GET", "/alpha/rest/api/3/issue/A-1", params),
              params=params)
    assert r.status_code == 200 and r.json()["accountId"] == i.account_id


def test_token_in_query_parameter(inst):
    world, url, i = inst
    r = requests.get(f"{url}/alpha/rest/api/3/myself",
                     params={"jwt": _token(i, "GET", "/rest/api/3/myself")}, timeout=10)
    assert r.status_code == 200


@pytest.mark.parametrize("case", ["none", "wrong_secret", "expired", "wrong_qsh", "context_qsh", "unknown_iss",
                                  "garbage"])
def test_bad_tokens_get_401(inst, case):
    world, url, i = inst
    path = "/rest/api/3/issue/A-1"
    token = {
        "none": None,
        "wrong_secret": _token(i, "GET", path, secret="x" * 40),
        "expired": _token(i, "GET", path, exp=int(time.time()) - 600),
        "wrong_qsh": _token(i, "GET", "/rest/api/3/issue/A-2"),
        "context_qsh": _token(i, "GET", path, qsh_value="context-qsh"),
        "unknown_iss": _token(i, "GET", path, iss="someone-else"),
        "garbage": "not.a.jwt",
    }[case]
    r = _call(url, "GET", path, token)
    assert r.status_code == 401
    assert r.json()["errorMessages"]


def test_wrong_method_in_qsh_is_401(inst):
    world, url, i = inst
    r = _call(url, "PUT", "/rest/api/3/issue/A-1", _token(i, "GET", "/rest/api/3/issue/A-1"), json={})
    assert r.status_code == 401


def test_disabled_and_uninstalled_app_get_401(inst):
    world, url, i = inst
    token = _token(i, "GET", "/rest/api/3/myself")
    requests.post(f"{url}/_sim/sites/alpha/disable", json={"app_key": i.app_key}, timeout=10)
    assert _call(url, "GET", "/rest/api/3/myself", token).status_code == 401
    requests.post(f"{url}/_sim/sites/alpha/enable", json={"app_key": i.app_key}, timeout=10)
    assert _call(url, "GET", "/rest/api/3/myself", token).status_code == 200
    requests.post(f"{url}/_sim/sites/alpha/uninstall", json={"app_key": i.app_key}, timeout=10)
    assert _call(url, "GET", "/rest/api/3/myself", token).status_code == 401


def test_token_for_other_site_is_401(inst):
    world, url, i = inst
    r = requests.get(f"{url}/beta/rest/api/3/myself",
                     headers={"Authorization": "JWT " + _token(i, "GET", "/rest/api/3/myself")}, timeout=10)
    assert r.status_code == 401


def test_scope_violation_is_403(inst):
    world, url, i = inst
    i.scopes = ["READ"]
    r = _call(url, "POST", "/rest/api/3/issue", _token(i, "POST", "/rest/api/3/issue"), json={})
    assert r.status_code == 403
    assert "WRITE" in r.json()["errorMessages"][0]
    ok = _call(url, "GET", "/rest/api/2/issue/A-1", _token(i, "GET", "/rest/api/2/issue/A-1"))
    assert ok.status_code == 200


def test_scope_rules():
    assert scopes.check(["READ"], "GET", "/rest/api/3/issue/A-1") is None
    assert scopes.check(["READ"], "DELETE", "/rest/api/3/issue/A-1")
    assert scopes.check(["DELETE"], "DELETE", "/rest/api/3/issue/A-1") is None
    assert scopes.check(["ADMIN"], "POST", "/rest/api/3/issue") is None
    assert scopes.check(["ADMIN"], "GET", "/rest/atlassian-connect/1/service-registry")  # INACCESSIBLE
    assert scopes.check(["READ"], "GET", "/rest/no/such/thing")
    assert scopes.check(["READ"], "PUT", "/rest/atlassian-connect/1/addons/me/properties/p", "me") is None
    assert scopes.check(["READ"], "PUT", "/rest/atlassian-connect/1/addons/other/properties/p", "me")
    assert scopes.operation("POST", "/rest/api/3/issue/bulkfetch")[0] == "/rest/api/3/issue/bulkfetch"
    assert scopes.operation("GET", "/rest/api/2/issue/A-1/transitions")[0] == \
        "/rest/api/3/issue/{issueIdOrKey}/transitions"
