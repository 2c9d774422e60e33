"""App → site JWT verification (401) and scope enforcement (403)."""
import time

import jwt as pyjwt
import pytest
import requests

from jirasim.connect import scopes

ISSUE = "/rest/api/3/issue/ACME-1"


def _forged(installed_app, path, *, secret=None, iss=None, exp=None, qsh=None):
    """A token that is wrong in exactly one given way (the qsh defaults to a correct one)."""
    good = pyjwt.decode(installed_app.token("GET", path), options={"verify_signature": False})
    now = int(time.time())
    claims = {"iss": iss or installed_app.app.key, "iat": now, "exp": exp or now + 120, "qsh": qsh or good["qsh"]}
    return pyjwt.encode(claims, secret or installed_app.installation.shared_secret, algorithm="HS256")


def test_valid_token_authenticates_as_the_app_user(installed_app):
    issue = installed_app.call("GET", ISSUE, [("fields", "summary"), ("expand", "names")])
    assert issue.status_code == 200 and issue.json()["fields"] == {"summary": "Set up the build pipeline"}
    me = installed_app.call("GET", "/rest/api/3/myself")
    assert me.status_code == 200
    assert me.json()["accountId"] == installed_app.installation.account_id and me.json()["accountType"] == "app"


def test_token_in_query_parameter(installed_app):
    token = installed_app.token("GET", "/rest/api/3/myself")
    r = requests.get(f"{installed_app.simulator.site_url('acme')}/rest/api/3/myself", params={"jwt": token},
                     timeout=10)
    assert r.status_code == 200


@pytest.mark.parametrize("case", ["none", "wrong_secret", "expired", "wrong_qsh", "context_qsh", "unknown_iss",
                                  "garbage"])
def test_bad_tokens_get_401_with_jira_error_body(installed_app, case):
    token = {
        "none": None,
        "wrong_secret": _forged(installed_app, ISSUE, secret="x" * 40),
        "expired": _forged(installed_app, ISSUE, exp=int(time.time()) - 600),
        "wrong_qsh": installed_app.token("GET", "/rest/api/3/issue/ACME-2"),
        "context_qsh": _forged(installed_app, ISSUE, qsh="context-qsh"),
        "unknown_iss": _forged(installed_app, ISSUE, iss="someone-else"),
        "garbage": "not.a.jwt",
    }[case]
    headers = {"Authorization": f"JWT {token}"} if token else {}
    r = requests.get(installed_app.simulator.site_url("acme") + ISSUE, headers=headers, timeout=10)
    assert r.status_code == 401
    assert r.json()["errorMessages"] and r.json()["errors"] == {}


def test_wrong_method_in_qsh_is_401(installed_app):
    r = installed_app.call("PUT", ISSUE, token=installed_app.token("GET", ISSUE), json={"fields": {}})
    assert r.status_code == 401


def test_disabled_and_uninstalled_app_get_401(installed_app):
    token = installed_app.token("GET", "/rest/api/3/myself")
    installed_app.lifecycle("disable")
    assert installed_app.call("GET", "/rest/api/3/myself", token=token).status_code == 401
    installed_app.lifecycle("enable")
    assert installed_app.call("GET", "/rest/api/3/myself", token=token).status_code == 200
    installed_app.lifecycle("uninstall")
    assert installed_app.call("GET", "/rest/api/3/myself", token=token).status_code == 401


def test_token_for_other_site_is_401(installed_app):
    token = installed_app.token("GET", "/rest/api/3/myself")
    assert installed_app.call("GET", "/rest/api/3/myself", token=token, site_name="globex").status_code == 401


def test_scope_violation_is_403(installed_app):
    installed_app.app.scopes = ["READ"]
    assert installed_app.install().status_code == 201
    body = {"fields": {"project": {"key": "ACME"}, "summary": "x", "issuetype": {"id": "10001"}}}
    r = installed_app.call("POST", "/rest/api/3/issue", json=body)
    assert r.status_code == 403
    assert "WRITE" in r.json()["errorMessages"][0]
    assert installed_app.call("GET", "/rest/api/2/issue/ACME-1").status_code == 200


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
